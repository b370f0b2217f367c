"""R torch's 3-d poolings (R/nnf-pooling.R): `nnf_avg_pool3d`, `nnf_max_pool3d`,
`nnf_adaptive_avg_pool3d`, `nnf_adaptive_max_pool3d`, and `nnf_max_unpool1d/2d/3d`.

Average pooling, plain or adaptive, is separable as the 2-d one is: one averaging matrix per spatial dim
(libtorch's window bounds and divisors, `_pooling`'s own matrices) applied with `matmul`. Max pooling
picks each window's maximum in NumPy with libtorch's rule (scan in order, keep a greater value or a
NaN, padding never chosen), then reads those positions with autograd's flat gather, so the gradient goes
to them. Indices are flat positions in each (D, H, W) plane, 1-based as R torch returns them; the
unpools put values back at such indices (autograd's flat scatter), checked as libtorch checks them.
"""
import itertools
import math

import numpy as np

from ..._dtypes import DTYPES
from ..._tensor import Tensor, wrap_as
from ...autograd._ops import scatter_flat, take_flat
from ._checks import check_tensor
from ._conv import _tuple
from ._pooling import _adaptive_bounds, _adaptive_matrix, _avg_matrix, _check_pool, _out_size, _pool_out, _stride

__all__ = ["nnf_avg_pool3d", "nnf_max_pool3d", "nnf_adaptive_avg_pool3d", "nnf_adaptive_max_pool3d",
           "nnf_max_unpool1d", "nnf_max_unpool2d", "nnf_max_unpool3d"]

_LONG = DTYPES["Long"]


def _check_3d(input, name=None):
    check_tensor(input)
    if input.dim() not in (4, 5) or input.numel() == 0:
        if name:
            sep = ": " if name == "adaptive_max_pool3d" else " "
            raise RuntimeError(f"{name}(): Expected 4D or 5D tensor, but got{sep}{list(input.shape)}")
        raise RuntimeError(f"non-empty 4D or 5D (batch mode) tensor expected for input, but got "
                           f"{list(input.shape)}")


def _separable(input, mats):
    """`input` with matrix `mats[i]` (out x in) applied along its i-th spatial dim."""
    nd = input.dim()
    out = input
    for i, A in enumerate(mats):
        d = nd - len(mats) + i + 1
        At = wrap_as(A.T.astype(input._data.dtype), input.dtype)
        out = out.transpose(d, nd).matmul(At).transpose(d, nd)
    return out


def nnf_avg_pool3d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True,
                   divisor_override=None):
    """Mean over (kT, kH, kW) windows; `stride` defaults to `kernel_size`."""
    _check_3d(input)
    k = _tuple(kernel_size, 3, "kernel_size")
    s = _stride(stride, kernel_size, 3)
    p = _tuple(padding, 3, "padding")
    if any(v <= 0 for v in s):
        raise RuntimeError(f"stride should be greater than zero, but got dT: {s[0]} dH: {s[1]} dW: {s[2]}")
    for k_, p_ in zip(k, p):
        if p_ > k_ // 2:
            raise RuntimeError(f"pad should be smaller than or equal to half of kernel size, but got "
                               f"padT = {p[0]}, padW = {p[2]}, padH = {p[1]}, kT = {k[0]}, kW = {k[2]}, kH = {k[1]}")
    spatial = input.shape[-3:]
    out = [_pool_out(L, k_, s_, p_, 1, ceil_mode) for L, k_, s_, p_ in zip(spatial, k, s, p)]
    if any(L + 2 * p_ < k_ for L, k_, p_ in zip(spatial, k, p)) or any(o < 1 for o in out):
        raise RuntimeError(f"input image (T: {spatial[0]} H: {spatial[1]} W: {spatial[2]}) smaller than kernel "
                           f"size (kT: {k[0]} kH: {k[1]} kW: {k[2]})")
    if divisor_override is not None and divisor_override == 0:
        raise RuntimeError("divisor must be not zero")
    mats = [_avg_matrix(L, k_, s_, p_, o, count_include_pad, divisor_override)
            for L, k_, s_, p_, o in zip(spatial, k, s, p, out)]
    if divisor_override is not None:
        mats[0] = mats[0] / divisor_override
    return _separable(input, mats)


def nnf_adaptive_avg_pool3d(input, output_size):
    """Mean over libtorch's adaptive windows; `output_size` a number or (D, H, W), `NA`/None keeps a dim."""
    _check_3d(input, "adaptive_avg_pool3d")
    out = _out_size(output_size, input, 3)
    return _separable(input, [_adaptive_matrix(L, o) for L, o in zip(input.shape[-3:], out)])


# ---- max pooling ----------------------------------------------------------------------------------

def _argmax_windows(x, windows):
    """`windows`: per spatial dim a list (one per output position) of input positions (-1: outside).
    Returns the flat (D, H, W) position of libtorch's maximum of each window: (*lead, oD, oH, oW)."""
    lead = x.shape[:-3]
    D, H, W = x.shape[-3:]
    flat = x.reshape(lead + (-1,))
    out = [len(w) for w in windows]
    k = [max(len(v) for v in w) for w in windows]
    # (oD, oH, oW, K) positions, -1 where the window has none
    idx = [np.full((o, kk), -1, dtype=np.int64) for o, kk in zip(out, k)]
    for a, w in zip(idx, windows):
        for i, v in enumerate(w):
            a[i, :len(v)] = v
    best_pos = np.full(lead + tuple(out), -1, dtype=np.int64)
    best = np.full(lead + tuple(out), -np.inf, dtype=x.dtype if x.dtype.kind == "f" else np.float64)
    for a, b, c in itertools.product(range(k[0]), range(k[1]), range(k[2])):
        pd, ph, pw = idx[0][:, a], idx[1][:, b], idx[2][:, c]
        valid = (pd[:, None, None] >= 0) & (ph[None, :, None] >= 0) & (pw[None, None, :] >= 0)
        pos = (pd[:, None, None] * H + ph[None, :, None]) * W + pw[None, None, :]
        pos = np.where(valid, pos, 0)
        v = np.take(flat, pos.reshape(-1), axis=-1).reshape(lead + pos.shape)
        better = valid & ((v > best) | np.isnan(v) | (best_pos < 0))
        best = np.where(better, v, best)
        best_pos = np.where(better, pos, best_pos)
    return best_pos


def _pick(input, pos):
    """Values at flat (D, H, W) positions `pos` of each plane, through autograd's gather; and 1-based `pos`."""
    plane = math.prod(input.shape[-3:])
    lead = math.prod(input.shape[:-3])
    offs = (np.arange(lead, dtype=np.int64) * plane).reshape(input.shape[:-3] + (1, 1, 1))
    return [take_flat(input, pos + offs), wrap_as(pos + 1, _LONG)]


def nnf_max_pool3d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
    """Max over (kT, kH, kW) windows; with `return_indices` a list of the output and 1-based indices."""
    _check_3d(input)
    k = _tuple(kernel_size, 3, "kernel_size")
    s = _stride(stride, kernel_size, 3)
    p = _tuple(padding, 3, "padding")
    d = _tuple(dilation, 3, "dilation")
    spatial = input.shape[-3:]
    out = [_pool_out(L, k_, s_, p_, d_, ceil_mode) for L, k_, s_, p_, d_ in zip(spatial, k, s, p, d)]
    _check_pool(input, k, s, p, d, out)
    windows = [[[q if 0 <= q < L else -1 for q in (i * s_ - p_ + np.arange(k_) * d_)] for i in range(o)]
               for L, k_, s_, p_, d_, o in zip(spatial, k, s, p, d, out)]
    res = _pick(input, _argmax_windows(input._data, windows))
    return res if return_indices else res[0]


def nnf_adaptive_max_pool3d(input, output_size, return_indices=False):
    """Max over libtorch's adaptive windows (start `floor(i L / O)`, end `ceil((i + 1) L / O)`)."""
    _check_3d(input, "adaptive_max_pool3d")
    out = _out_size(output_size, input, 3)
    windows = [[list(range(a, b)) for a, b in _adaptive_bounds(L, o)] for L, o in zip(input.shape[-3:], out)]
    res = _pick(input, _argmax_windows(input._data, windows))
    return res if return_indices else res[0]


# ---- max unpooling --------------------------------------------------------------------------------

def _unpool_size(input, k, s, p, output_size):
    """R torch's `unpool_output_size`."""
    n = len(k)
    default = [(input.shape[-n + i] - 1) * s[i] + k[i] - 2 * p[i] for i in range(n)]
    if output_size is None:
        return default
    output_size = [int(v) for v in (output_size.tolist() if hasattr(output_size, "tolist") else output_size)]
    if len(output_size) == n + 2:
        output_size = output_size[2:]
    if len(output_size) != n:
        raise ValueError(f"output_size should be a sequence containing {n} or {n + 2} elements, but it has a "
                         f"length of '{len(output_size)}'")
    for i in range(n):
        lo, hi = default[i] - s[i], default[i] + s[i]
        if not lo < output_size[i] < hi:
            raise ValueError(f"invalid output_size '{output_size}' (dim {i} must be between {lo} and {hi})")
    return output_size


def _unpool(input, indices, size, name):
    check_tensor(input)
    check_tensor(indices, "indices")
    n = len(size)
    if input.dim() not in (n + 1, n + 2):
        raise RuntimeError(f"{name}(): Expected {n + 1}D or {n + 2}D tensor, but got {list(input.shape)}")
    if list(indices.shape) != list(input.shape):
        raise RuntimeError(f"Expected shape of indices to be same as that of the input tensor "
                           f"({list(input.shape)}) but got indices tensor with shape: {list(indices.shape)}")
    if not isinstance(indices, Tensor) or indices.dtype != _LONG:
        raise RuntimeError(f"elements in indices should be type int64 but got: {indices.dtype}")
    plane = math.prod(size)
    pos = np.asarray(indices._data, dtype=np.int64) - 1
    bad = (pos < 0) | (pos >= plane)
    if bad.any():
        raise RuntimeError(f"Found an invalid max index: {int(pos[bad].reshape(-1)[0])} (output volumes are of "
                           f"size {'x'.join(map(str, size))}")
    lead = tuple(input.shape[:-n])
    offs = (np.arange(math.prod(lead), dtype=np.int64) * plane).reshape(lead + (1,) * n)
    return scatter_flat(input, pos + offs, lead + tuple(size))


def _unpool_nd(input, indices, kernel_size, stride, padding, output_size, n, name):
    k = _tuple(kernel_size, n, "kernel_size")
    s = k if stride is None or (isinstance(stride, (list, tuple)) and len(stride) == 0) else _tuple(stride, n, "stride")
    p = _tuple(padding, n, "padding")
    return _unpool(input, indices, _unpool_size(input, k, s, p, output_size), name)


def nnf_max_unpool1d(input, indices, kernel_size, stride=None, padding=0, output_size=None):
    """Puts each value of (N, C, L) `input` at its 1-based index (as `nnf_max_pool1d` returns them), zeros elsewhere."""
    return _unpool_nd(input, indices, kernel_size, stride, padding, output_size, 1, "max_unpooling1d")


def nnf_max_unpool2d(input, indices, kernel_size, stride=None, padding=0, output_size=None):
    """The partial inverse of `nnf_max_pool2d`: values at their 1-based (H, W) plane indices."""
    return _unpool_nd(input, indices, kernel_size, stride, padding, output_size, 2, "max_unpooling2d")


def nnf_max_unpool3d(input, indices, kernel_size, stride=None, padding=0, output_size=None):
    """The partial inverse of `nnf_max_pool3d`: values at their 1-based (D, H, W) plane indices."""
    return _unpool_nd(input, indices, kernel_size, stride, padding, output_size, 3, "max_unpooling3d")
