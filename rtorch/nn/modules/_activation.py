"""R torch's activation modules (R/nn-activation.R), made from one table: each `nn_<name>(...)` takes
R torch's `initialize` arguments with its defaults, keeps them as attributes (`self.inplace`, ...) and
calls its functional form with them. As in R torch, `nn_relu6` inherits from `nn_hardtanh`, `nn_rrelu`
passes `self.training`, `nn_softmax2d` is `nnf_softmax(input, dim = 1)` (R torch's dim 1; PyTorch's
Softmax2d uses the channel dim, -3) and `nn_prelu` holds a `weight` parameter filled with `init`."""
import inspect

from ..._creation import torch_empty
from .. import functional as F
from ._module import nn_Module, nn_parameter, _ModuleMeta

_REQ = inspect.Parameter.empty

# module name: (call(self, input), [(argument, default)])
TABLE = {
    "threshold": (lambda s, x: F.nnf_threshold(x, s.threshold, s.value, s.inplace),
                  [("threshold", _REQ), ("value", _REQ), ("inplace", False)]),
    "relu": (lambda s, x: F.nnf_relu(x, s.inplace), [("inplace", False)]),
    "rrelu": (lambda s, x: F.nnf_rrelu(x, s.lower, s.upper, s.training, s.inplace),
              [("lower", 1 / 8), ("upper", 1 / 3), ("inplace", False)]),
    "hardtanh": (lambda s, x: F.nnf_hardtanh(x, s.min_val, s.max_val, s.inplace),
                 [("min_val", -1), ("max_val", 1), ("inplace", False)]),
    "sigmoid": (lambda s, x: x.sigmoid(), []),
    "hardsigmoid": (lambda s, x: F.nnf_hardsigmoid(x), []),
    "tanh": (lambda s, x: x.tanh(), []),
    "hardswish": (lambda s, x: F.nnf_hardswish(x), []),
    "elu": (lambda s, x: F.nnf_elu(x, s.alpha, s.inplace), [("alpha", 1), ("inplace", False)]),
    "celu": (lambda s, x: F.nnf_celu(x, s.alpha, s.inplace), [("alpha", 1), ("inplace", False)]),
    "selu": (lambda s, x: F.nnf_selu(x, s.inplace), [("inplace", False)]),
    "glu": (lambda s, x: F.nnf_glu(x, s.dim), [("dim", -1)]),
    "gelu": (lambda s, x: F.nnf_gelu(x, approximate=s.approximate), [("approximate", "none")]),
    "hardshrink": (lambda s, x: F.nnf_hardshrink(x, s.lambd), [("lambd", 0.5)]),
    "leaky_relu": (lambda s, x: F.nnf_leaky_relu(x, s.negative_slope, s.inplace),
                   [("negative_slope", 1e-2), ("inplace", False)]),
    "log_sigmoid": (lambda s, x: F.nnf_logsigmoid(x), []),
    "softplus": (lambda s, x: F.nnf_softplus(x, s.beta, s.threshold), [("beta", 1), ("threshold", 20)]),
    "softshrink": (lambda s, x: F.nnf_softshrink(x, s.lambd), [("lambd", 0.5)]),
    "softsign": (lambda s, x: F.nnf_softsign(x), []),
    "tanhshrink": (lambda s, x: F.nnf_tanhshrink(x), []),
    "softmin": (lambda s, x: F.nnf_softmin(x, s.dim), [("dim", _REQ)]),
    "softmax": (lambda s, x: F.nnf_softmax(x, s.dim), [("dim", _REQ)]),
    "softmax2d": (lambda s, x: F.nnf_softmax(x, dim=1), []),
    "log_softmax": (lambda s, x: F.nnf_log_softmax(x, s.dim), [("dim", _REQ)]),
    "silu": (lambda s, x: F.nnf_silu(x, s.inplace), [("inplace", False)]),
}


def _make(name, call, args, base=nn_Module):
    P = inspect.Parameter
    sig = inspect.Signature([P("self", P.POSITIONAL_OR_KEYWORD)] +
                            [P(a, P.POSITIONAL_OR_KEYWORD, default=d) for a, d in args])
    names = [a for a, _ in args]

    def initialize(self, *a, **kw):
        bound = sig.bind(self, *a, **kw)
        bound.apply_defaults()
        for k in names:
            object.__setattr__(self, k, bound.arguments[k])

    def forward(self, input):
        return call(self, input)

    initialize.__signature__ = sig
    return _ModuleMeta("nn_" + name, (base,), {"initialize": initialize, "forward": forward,
                                               "__module__": "rtorch.nn",
                                               "__doc__": f"R torch's `nn_{name}`: calls its functional form."})


globals().update({"nn_" + n: _make(n, call, args) for n, (call, args) in TABLE.items()})


class nn_relu6(nn_hardtanh):  # noqa: F821 (made by the table)
    """`nn_hardtanh(0, 6, inplace)`, as R torch's `nn_relu6` (inherits `nn_hardtanh`)."""

    def initialize(self, inplace=False):
        self.super_.initialize(0, 6, inplace)


nn_relu6.__module__ = "rtorch.nn"


class nn_prelu(nn_Module):
    """`nnf_prelu(input, weight)` with `weight` a parameter of `num_parameters` elements set to `init`."""

    def initialize(self, num_parameters=1, init=0.25):
        self.num_parameters = num_parameters
        self.weight = nn_parameter(torch_empty(num_parameters).fill_(init))

    def forward(self, input):
        return F.nnf_prelu(input, self.weight)


nn_prelu.__module__ = "rtorch.nn"

__all__ = ["nn_" + n for n in TABLE] + ["nn_relu6", "nn_prelu"]
