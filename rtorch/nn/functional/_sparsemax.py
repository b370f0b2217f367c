"""R torch's `nnf_contrib_sparsemax` (R/nnf-activation.R), the sparsemax of Martins & Astudillo (2016):
the Euclidean projection of `input` onto the probability simplex along `dim` (1-based, -1 the last).

R torch calls its C++ contrib kernel (after aced125/sparsemax); here it is one recorded op,
`SparsemaxBackward`: forward `max(0, z - tau)` with `z` the input less its maximum, `tau = (sum of the
k largest z - 1) / k` and `k` the largest count with `1 + k z_(k) > sum of the k largest z`; backward the
simplex projection's Jacobian, `mask * (g - sum(g mask) / sum(mask))` on the output's support `mask`."""
import numpy as np

from ..._indexing import dim0
from ..._tensor import Tensor, wrap_as
from ...autograd._record import differentiable

__all__ = ["nnf_contrib_sparsemax"]


def _sparsemax_forward(ctx, input, axis):
    x = np.moveaxis(input._data, axis, -1)
    z = x - x.max(axis=-1, keepdims=True)
    zs = -np.sort(-z, axis=-1)
    k = np.arange(1, z.shape[-1] + 1, dtype=z.dtype)
    cum = np.cumsum(zs, axis=-1)
    support = 1 + k * zs > cum
    kz = (support * k).max(axis=-1, keepdims=True)
    tau = ((support * zs).sum(axis=-1, keepdims=True) - 1) / kz
    out = np.maximum(np.zeros_like(z), z - tau)
    ctx.mask = np.moveaxis(out != 0, -1, axis)
    return wrap_as(np.ascontiguousarray(np.moveaxis(out, -1, axis)), input.dtype)


def _sparsemax_backward(ctx, g):
    input, axis = ctx.args
    mask = wrap_as(ctx.mask.astype(input._data.dtype), input.dtype)
    d = axis + 1
    gm = g * mask
    mean = gm.sum(dim=d, keepdim=True) / mask.sum(dim=d, keepdim=True)
    return (g - mean) * mask, None


_sparsemax = differentiable("SparsemaxBackward", _sparsemax_forward, _sparsemax_backward)


def nnf_contrib_sparsemax(input, dim=-1):
    """Sparsemax along `dim`: like softmax it sums to 1 along `dim`, but small entries are exactly 0."""
    if not isinstance(input, Tensor):
        raise ValueError(f"Input should be a tensor and got '{type(input).__name__}.")
    if input.dtype.category < 2:
        raise RuntimeError(f"sparsemax expects a floating point input, got {input.dtype.name}")
    return _sparsemax(input, dim0(dim, input.dim()))
