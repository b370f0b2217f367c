"""`torch_*()` functions, made from the op table's rows with a function (`_ops.OPS`): the function forms of
tensor methods (R torch's `torch_mm(a, b)` is `a$mm(b)`) and the functions R torch has without a method of
that name."""
from ._autocast import install as _autocast_install
from ._creation import torch_tensor
from ._methods import _RECORDED
from ._ops import LEAF, METHOD, OPS, SELF
from ._tensor import Tensor
from .autograd import install_functions


def _function_form(name, method):
    """`torch_name(input, ...)`: the method, with an R vector or array as `input` made a tensor first, as R
    torch's generated functions convert it."""
    def fn(self, *args, **kwargs):
        if type(self) is not Tensor:
            self = torch_tensor(self)
        return method(self, *args, **kwargs)
    fn.__name__ = fn.__qualname__ = "torch_" + name
    fn.__doc__ = method.__doc__
    return fn


def _function(row):
    """`torch_<name>` of one row: the recorded method's form, the row's own function recorded by autograd
    (named as R names the op: `name` for a `self`-taking function, `torch_name` for one taken as it is), or
    a creation or sampling function as it is."""
    if row.first == LEAF:
        return row.function
    if row.function is METHOD:
        return _function_form(row.name, _RECORDED[row.name])
    key = row.name if row.first == SELF else "torch_" + row.name
    table = {key: row.function}
    install_functions(table)
    return _function_form(row.name, table[key]) if row.first == SELF else table[key]


_ALL = {"torch_" + row.name: _function(row) for row in OPS if row.function is not None
        and not isinstance(row.function, str)}
# rows that share another row's function (libtorch's `__and__`, R torch's torch___and__, is bitwise_and)
_ALL.update({"torch_" + row.name: _ALL["torch_" + row.function] for row in OPS if isinstance(row.function, str)})
# the method forms call the methods, which autocast already wraps; the other functions get wrapped here
_METHOD_FORMS = {"torch_" + row.name for row in OPS if row.function is METHOD}
_OWN = {name: fn for name, fn in _ALL.items() if name not in _METHOD_FORMS}
_autocast_install(_OWN, prefix="torch_")
_ALL.update(_OWN)
globals().update(_ALL)
__all__ = list(_ALL)
