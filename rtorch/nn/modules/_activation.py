"""R torch's activation modules (R/nn-activation.R): each `nn_<name>(...)` keeps its arguments (as
attributes, R torch's `self$inplace` etc.) and calls `nnf_<name>(input, ...)` with them. They are made
from one table: the module takes the functional form's arguments after `input`, with its defaults."""
import inspect

from .. import functional as F
from ._module import nn_Module, _ModuleMeta

NAMES = ["relu", "relu6", "hardtanh", "leaky_relu", "elu", "selu", "gelu", "silu", "mish", "hardsigmoid",
         "hardswish", "sigmoid", "tanh", "softplus", "logsigmoid", "softmax", "log_softmax"]

__all__ = ["nn_" + n for n in NAMES]


def _activation(name):
    fn = getattr(F, "nnf_" + name)
    params = list(inspect.signature(fn).parameters.values())[1:]
    sig = inspect.Signature([inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD)] + params)

    def initialize(self, *args, **kwargs):
        bound = sig.bind(self, *args, **kwargs)
        bound.apply_defaults()
        kw = dict(list(bound.arguments.items())[1:])
        self.__dict__["_args"] = kw
        for k, v in kw.items():
            setattr(self, k, v)

    def forward(self, input):
        return fn(input, **{k: getattr(self, k) for k in self._args})

    initialize.__signature__ = sig
    cls = _ModuleMeta("nn_" + name, (nn_Module,), {"initialize": initialize, "forward": forward,
                                                   "__module__": "rtorch.nn", "__doc__": fn.__doc__})
    return cls


globals().update({"nn_" + n: _activation(n) for n in NAMES})
