"""R torch's `nn_utils_weight_norm` (R/nn-utils-weight-norm.R): an R6 class, here a Python class.

`nn_utils_weight_norm(name, dim)` is R's `nn_utils_weight_norm$new(name, dim)` (`.new(...)` works too);
`.apply(module)` replaces parameter `name` by `name_g` (the norm over every dim but `dim`) and `name_v`
(the direction) and sets `module.name` to the recomputed weight, a plain tensor; `.call(module)` /
`.recompute(module)` recompute it (R torch has no forward hooks, so `forward` calls it);
`.remove(module)` makes the weight a parameter again (and returns it, as R's assignment does).
`dim` is 1-based as in R torch (its C++ side subtracts 1), `None` becomes -1, which libtorch's
`norm_except_dim` takes as "the whole tensor" (not the last dim); 0 is R torch's error. The weight is libtorch's `_weight_norm`: one
`WeightNormInterfaceBackward0` node when the (0-based) dim is the first or the last, else
`v * (g / norm_except_dim(v))` of recorded ops."""
from ..._tensor import Tensor, wrap_as
from ...autograd._grad_mode import with_no_grad
from ...autograd._record import differentiable
from ._module import nn_parameter

__all__ = ["nn_utils_weight_norm"]


def _index(dim):
    """R torch's index argument: 1-based, negatives kept, 0 an error."""
    dim = int(dim)
    if dim == 0:
        raise RuntimeError("Indexing starts at 1 but found a 0.")
    return dim - 1 if dim > 0 else dim


def _norm_except_dim(v, dim):
    """libtorch's `norm_except_dim(v, 2, dim)` (`dim` 0-based; -1: the norm of the whole tensor)."""
    if dim == -1:
        return (v * v).sum().sqrt()
    d = dim % v.dim()
    others = [i + 1 for i in range(v.dim()) if i != d]
    if not others:
        return (v * v).sqrt()
    return (v * v).sum(dim=others, keepdim=True).sqrt()


def _wn_forward(ctx, v, g, dim):
    n = _norm_except_dim(v, dim)
    return v * (g / n)


def _wn_backward(ctx, gw):
    v, g, dim = ctx.args
    n = _norm_except_dim(v, dim)
    d = dim % v.dim()
    others = [i + 1 for i in range(v.dim()) if i != d]
    s = (gw * v).sum(dim=others, keepdim=True) if others else gw * v
    grad_g = s / n if g._rg else None
    grad_v = (g / n) * (gw - v * (s / (n * n))) if v._rg else None
    return grad_v, grad_g, None


_weight_norm_interface = differentiable("WeightNormInterfaceBackward0", _wn_forward, _wn_backward)


def _weight_norm(v, g, dim):
    """libtorch's `_weight_norm(v, g, dim)`, `dim` 0-based."""
    if v.device != g.device:
        raise RuntimeError("weight_norm: expected v and g to be on the same device")
    if dim == 0 or dim == v.dim() - 1:
        return _weight_norm_interface(v, g, dim)
    return v * (g / _norm_except_dim(v, dim))


class nn_utils_weight_norm:
    """Weight normalization `w = g * v / ||v||` of parameter `name`, the norm taken per slice of `dim`."""

    def __init__(self, name, dim):
        self.name = name
        self.dim = -1 if dim is None else dim

    @classmethod
    def new(cls, name, dim):
        return cls(name, dim)

    def compute_weight(self, module, name=None, dim=None):
        name = name if name is not None else self.name
        dim = dim if dim is not None else self.dim
        g = getattr(module, f"{name}_g")
        v = getattr(module, f"{name}_v")
        return _weight_norm(v, g, _index(dim))

    def apply(self, module, name=None, dim=None):
        name = name if name is not None else self.name
        dim = dim if dim is not None else self.dim
        weight = getattr(module, name)
        if not isinstance(weight, Tensor):
            raise ValueError(f"module has no parameter or buffer with name '{name}'")
        d = _index(dim)
        with with_no_grad():
            g = _norm_except_dim(weight.data(), d)
        module._parameters.pop(name, None)
        module.register_parameter(f"{name}_g", nn_parameter(wrap_as(g._data, g.dtype)))
        module.register_parameter(f"{name}_v", nn_parameter(weight.data()))
        setattr(module, name, self.compute_weight(module))
        return module

    def call(self, module):
        setattr(module, self.name, self.compute_weight(module))
        return module

    def recompute(self, module):
        return self.call(module)

    def remove(self, module, name=None):
        name = name if name is not None else self.name
        weight = self.compute_weight(module)
        module._parameters.pop(f"{name}_g", None)
        module._parameters.pop(f"{name}_v", None)
        weight = nn_parameter(weight.data())
        setattr(module, name, weight)
        return weight
