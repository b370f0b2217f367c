"""Attaches the op table's methods and Python's operators (`_ops.OPS`, the rows with a method) to `Tensor`
(R `x$method(...)` is Python `x.method(...)`), each a plain function set on the class."""
from ._ops import OPS
from ._tensor import Tensor
from . import _autocast, autograd

_METHODS = {row.name: row.method for row in OPS if row.method is not None}

# Until a tensor first requires grad, the class carries the core's functions as they are, so that a
# program that never uses autograd pays nothing for it; from then on, their recorded forms.
_RECORDED = dict(_METHODS)
autograd.install(_RECORDED)
_autocast.install(_METHODS)
_autocast.install(_RECORDED)
_METHODS.update(autograd.TENSOR_METHODS)


def attach(table=None):
    for name, fn in (table or _METHODS).items():
        setattr(Tensor, name, fn)
    Tensor.__hash__ = object.__hash__


attach()
autograd.on_first_use(lambda: attach(_RECORDED))
