"""R torch's fractional max pooling (R/nnf-pooling.R): `nnf_fractional_max_pool2d`, `nnf_fractional_max_pool3d`
(Graham, "Fractional Max-Pooling", 2014).

Each (batch, channel) plane has its own pseudo-random window starts, made from its `random_samples`
entries (one per spatial dim, in [0, 1)) by libtorch's `generate_intervals`, in the input's float type:
`alpha = (in - k) / (out - 1)`, start `i` is `int((i + u) alpha) - int(u alpha)`, the last start `in - k`.
The 2-d kernel reads a plane's samples as (W, H), the 3-d one as (T, H, W), as libtorch does. Without
`random_samples`, R torch draws `torch_rand(N, C, 2 or 3)` in the input's dtype (an unbatched input gets
(1, C, ...), as PyTorch's); given, they are checked as libtorch checks them, so the same samples give
PyTorch's `_random_samples` result. The window maximum is libtorch's (scan in order, keep a greater value
or a NaN); values are read through autograd's gather, so the gradient goes to them, and indices are
flat positions in each plane, 1-based as R torch's other max poolings return them. `output_ratio` scales
the last spatial dims and truncates, as R torch's `as.integer(size * ratio)`.
"""
import itertools
import math

import numpy as np

from ..._dtypes import DTYPES
from ..._sampling import torch_rand
from ..._tensor import Tensor, wrap_as
from ...autograd._ops import take_flat
from ._checks import check_tensor

__all__ = ["nnf_fractional_max_pool2d", "nnf_fractional_max_pool3d"]

_LONG = DTYPES["Long"]


def _ints(v, n, name, fn):
    if isinstance(v, Tensor):
        v = v.tolist()
    v = [v] * n if np.ndim(v) == 0 else list(np.ravel(v))
    if len(v) == 1:
        v = v * n
    if len(v) != n:
        raise RuntimeError(f"{fn}: {name} must either be a single Int or tuple of Ints")
    return [int(x) for x in v]


def _intervals(u, size, out, k, ftype):
    """libtorch's generate_intervals for samples `u` (P,): the (P, out) window starts."""
    u = u.astype(ftype)
    P = u.shape[0]
    seq = np.zeros((P, out), dtype=np.int64)
    if out > 1:
        alpha = ftype(size - k) / ftype(out - 1)
        i = np.arange(out - 1).astype(ftype)
        seq[:, :-1] = ((i[None, :] + u[:, None]) * alpha).astype(np.int64) - (u * alpha).astype(np.int64)[:, None]
    if out > 0:
        seq[:, -1] = size - k
    return seq


def _fractional(input, kernel_size, output_size, output_ratio, return_indices, random_samples, n):
    fn = f"fractional_max_pool{n}d"
    check_tensor(input)
    if input.dim() not in (n + 1, n + 2):
        raise RuntimeError(f"{fn}(): Expected {n + 1}D or {n + 2}D tensor, but got: {list(input.shape)}")
    if input.dtype.category < 2:
        raise NotImplementedError(f'"{fn}" not implemented for \'{input.dtype.name}\'')
    k = _ints(kernel_size, n, "kernel_size", fn)
    spatial = list(input.shape[-n:])
    if output_size is None:
        if output_ratio is None:
            raise ValueError("output_ratio should not be NULL if output_size is NULL")
        ratio = [float(v) for v in (np.ravel(output_ratio) if np.ndim(output_ratio) else [output_ratio] * n)]
        if len(ratio) == 1:
            ratio = ratio * n
        output_size = [int(L * q) for L, q in zip(spatial, ratio)]
    out = _ints(output_size, n, "output_size", fn)
    batched = input.dim() == n + 2
    nb = input.shape[0] if batched else 1
    C = input.shape[-n - 1]
    if random_samples is None:
        random_samples = torch_rand(nb, C, n, dtype=input.dtype, device=input.device)
    else:
        check_tensor(random_samples, "random_samples")
        if random_samples.dtype != input.dtype:
            raise RuntimeError("Expect _random_samples to have the same dtype as input")
        rs = random_samples.shape
        if random_samples.dim() != 3:
            raise RuntimeError(f"Expect _random_samples to have 3 dimensions, got {random_samples.dim()}")
        if rs[0] < nb:
            raise RuntimeError("Expect _random_samples.size(0) no less then input batch size.")
        if rs[1] != C:
            raise RuntimeError("Expect _random_samples.size(1) equals to input channel size.")
        if rs[2] != n:
            raise RuntimeError(f"Expect _random_samples.size(2) equals to {n}; got {rs[2]}.")
    names = ["height", "width"] if n == 2 else ["time", "height", "width"]
    where = fn + ("()" if n == 2 else "_out()")
    for L, o, kk, name in zip(spatial, out, k, names):
        if o + kk - 1 > L:
            raise RuntimeError(f"{where}: pool {name} {kk} too large relative to input {name} {L}")
    x = input._data
    ftype = x.dtype.type
    samples = np.asarray(random_samples._data)[:nb].reshape(nb * C, n)
    order = [1, 0] if n == 2 else [0, 1, 2]
    starts = [_intervals(samples[:, j], L, o, kk, ftype) for j, L, o, kk in zip(order, spatial, out, k)]
    P = nb * C
    plane = math.prod(spatial)
    flat = x.reshape(P, plane)
    strides = [math.prod(spatial[d + 1:]) for d in range(n)]
    best = np.full([P] + out, -np.inf, dtype=x.dtype)
    best_pos = None
    for offs in itertools.product(*[range(kk) for kk in k]):
        pos = np.zeros([P] + out, dtype=np.int64)
        for d in range(n):
            shape = [P] + [1] * n
            shape[d + 1] = out[d]
            pos = pos + ((starts[d] + offs[d]) * strides[d]).reshape(shape)
        v = np.take_along_axis(flat, pos.reshape(P, -1), axis=1).reshape(pos.shape)
        if best_pos is None:
            best_pos = pos.copy()
        better = (v > best) | np.isnan(v)
        best = np.where(better, v, best)
        best_pos = np.where(better, pos, best_pos)
    if best_pos is None:
        best_pos = np.zeros([P] + out, dtype=np.int64)
    lead = tuple(input.shape[:-n])
    best_pos = best_pos.reshape(lead + tuple(out))
    base = (np.arange(P, dtype=np.int64) * plane).reshape(lead + (1,) * n)
    res = [take_flat(input, best_pos + base), wrap_as(best_pos + 1, _LONG)]
    return res if return_indices else res[0]


def nnf_fractional_max_pool2d(input, kernel_size, output_size=None, output_ratio=None, return_indices=False,
                              random_samples=None):
    """2-d fractional max pooling of (N, C, H, W) or (C, H, W) input to `output_size` (or `output_ratio`
    of H, W); `random_samples` (N, C, 2); with `return_indices` a list of the output and 1-based indices."""
    return _fractional(input, kernel_size, output_size, output_ratio, return_indices, random_samples, 2)


def nnf_fractional_max_pool3d(input, kernel_size, output_size=None, output_ratio=None, return_indices=False,
                              random_samples=None):
    """3-d fractional max pooling of (N, C, T, H, W) or (C, T, H, W) input; `random_samples` (N, C, 3)."""
    return _fractional(input, kernel_size, output_size, output_ratio, return_indices, random_samples, 3)
