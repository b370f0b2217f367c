"""R torch's pooling: `nnf_max_pool1d/2d`, `nnf_avg_pool1d/2d`, `nnf_adaptive_avg_pool1d/2d`,
`nnf_adaptive_max_pool1d/2d` (R/nnf-pooling.R) and `torch_avg_pool1d`, `torch_adaptive_avg_pool1d`.

As in libtorch, the 2D poolings are one recorded operation each (`MaxPool2DWithIndicesBackward0`,
`AvgPool2DBackward0`, `AdaptiveAvgPool2DBackward0`, `AdaptiveMaxPool2DBackward0`) and the 1D ones are
the 2D ones on an unsqueezed input (so their `grad_fn` is `SqueezeBackward1`, as PyTorch's).
Max pooling scans each window's positions in order over the input padded with -Inf and keeps a value
that is greater or NaN (libtorch's rule: the first maximum, the last NaN); its indices are flat positions in each (H, W) plane, 1-based as R torch returns them;
its backward sends the gradient to those positions (a plain assignment when windows are disjoint). Average pooling, plain or
adaptive, is separable: `A_h %*% x %*% t(A_w)` with one averaging matrix per spatial dim (libtorch's
window bounds and divisors), so its backward is `t(A_h) %*% g %*% A_w`, written with tensor products.
"""
import itertools
import math

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from ..._dtypes import DTYPES
from ..._tensor import wrap_as
from ...autograd._ops import take_flat
from ...autograd._grad_mode import STATE
from ...autograd._record import differentiable
from ._checks import check_tensor
from ._conv import _tuple

__all__ = ["nnf_max_pool1d", "nnf_max_pool2d", "nnf_avg_pool1d", "nnf_avg_pool2d", "nnf_adaptive_avg_pool1d",
           "nnf_adaptive_avg_pool2d", "nnf_adaptive_max_pool1d", "nnf_adaptive_max_pool2d", "torch_avg_pool1d",
           "torch_adaptive_avg_pool1d"]

_LONG = DTYPES["Long"]


def _stride(stride, kernel_size, n):
    if stride is None or (isinstance(stride, (list, tuple)) and len(stride) == 0):
        return _tuple(kernel_size, n, "kernel_size")
    return _tuple(stride, n, "stride")


def _pool_out(L, k, s, p, d, ceil_mode):
    """libtorch's `pooling_output_shape`: the last window must start inside the input or left padding."""
    num = L + 2 * p - d * (k - 1) - 1 + ((s - 1) if ceil_mode else 0)
    o = num // s + 1
    if ceil_mode and (o - 1) * s >= L + p:
        o -= 1
    return o


def _check_pool(input, k, s, p, d, out, effective=True):
    for k_, p_, d_ in zip(k, p, d):
        if k_ <= 0:
            raise RuntimeError(f"kernel size should be greater than zero, but got kH: {k[0]} kW: {k[-1]}")
        if p_ > ((k_ - 1) * d_ + 1) // 2 if effective else p_ > k_ // 2:
            raise RuntimeError(f"pad should be at most half of effective kernel size, but got pad={p_}, "
                               f"kernel_size={k_} and dilation={d_}")
    if any(v <= 0 for v in s):
        raise RuntimeError(f"stride should be greater than zero, but got dH: {s[0]} dW: {s[-1]}")
    if any(o < 1 for o in out):
        c = input.shape[-3]
        raise RuntimeError(f"Given input size: ({c}x{'x'.join(map(str, input.shape[-2:]))}). Calculated output "
                           f"size: ({c}x{'x'.join(map(str, out))}). Output size is too small")


def _check_2d(input, name=None):
    check_tensor(input)
    if input.dim() not in (3, 4) or input.numel() == 0:
        if name:
            sep = ": " if name == "adaptive_max_pool2d" else " "
            raise RuntimeError(f"{name}(): Expected 3D or 4D tensor, but got{sep}{list(input.shape)}")
        raise RuntimeError("non-empty 3D or 4D (batch mode) tensor expected for input")


def _check_1d(input, name):
    check_tensor(input)
    if input.dim() not in (2, 3):
        raise RuntimeError(f"Expected 2 to 3 dimensions, but got {input.dim()}-dimensional tensor for argument #1 "
                           f"'self' (while checking arguments for {name})")


# ---- max pooling --------------------------------------------------------------------------------

def _padded_slices(x, k, s, p, d, out):
    """The input padded with -Inf, and per kernel position the strided slice of it that position reads."""
    ext = [d_ * (k_ - 1) + 1 for k_, d_ in zip(k, d)]
    need = [(o - 1) * s_ + e for o, s_, e in zip(out, s, ext)]
    hi = [max(0, n - L - p_) for n, L, p_ in zip(need, x.shape[-2:], p)]
    lead = [(0, 0)] * (x.ndim - 2)
    xp = np.pad(x, lead + [(p[0], hi[0]), (p[1], hi[1])], constant_values=-np.inf) if any(p) or any(hi) else x
    lead_sl = (slice(None),) * (x.ndim - 2)
    return [xp[lead_sl + (slice(i0 * d[0], i0 * d[0] + (out[0] - 1) * s[0] + 1, s[0]),
                          slice(j0 * d[1], j0 * d[1] + (out[1] - 1) * s[1] + 1, s[1]))]
            for i0, j0 in itertools.product(range(k[0]), range(k[1]))]


def _max_values(x, k, s, p, d, out):
    """The maxima alone (no indices): what a forward that needs no gradient computes."""
    sl = _padded_slices(x, k, s, p, d, out)
    val = sl[0].copy()
    for v in sl[1:]:
        np.maximum(val, v, out=val)
    return val


def _max_forward(ctx, input, k, s, p, d, out):
    x = input._data
    sl = _padded_slices(x, k, s, p, d, out)
    first = [(np.maximum(0, p_ - np.arange(o) * s_) + d_ - 1) // d_ for o, s_, p_, d_ in zip(out, s, p, d)]
    kind = np.int8 if k[0] * k[1] < 128 else np.int64
    arg = np.broadcast_to((first[0][:, None] * k[1] + first[1][None, :]).astype(kind), x.shape[:-2] + tuple(out))
    arg = arg.copy()
    nan = bool(np.isnan(x).any())
    val = sl[0].copy()
    for j in range(1, len(sl)):
        better = sl[j] > val
        if nan:
            better |= np.isnan(sl[j])
        np.maximum(val, sl[j], out=val)
        np.putmask(arg, better, j)
    W = x.shape[-1]
    offsets = np.array([i0 * d[0] * W + j0 * d[1] for i0, j0 in itertools.product(range(k[0]), range(k[1]))])
    base = (np.arange(out[0])[:, None] * s[0] - p[0]) * W + np.arange(out[1]) * s[1] - p[1]
    idx = np.take(offsets, arg)
    idx += base
    ctx.idx = idx
    ctx.disjoint = all(s_ >= d_ * (k_ - 1) + 1 for s_, k_, d_ in zip(s, k, d))
    return wrap_as(val, input.dtype), wrap_as(idx + 1, _LONG)


def _max_backward(ctx, g, *_):
    input = ctx.args[0]
    hw = input.shape[-2] * input.shape[-1]
    planes = math.prod(input.shape[:-2])
    pos = (ctx.idx.reshape(planes, -1) + (np.arange(planes) * hw)[:, None]).reshape(g.shape)
    return (_unpool(g, pos, tuple(input.shape), getattr(ctx, "disjoint", False)),) + (None,) * 5


def _unpool_forward(ctx, g, pos, shape, disjoint):
    """The gradient of a max pool: `g` sent to the positions of the maxima, added where windows overlap."""
    size = math.prod(shape)
    if disjoint:
        out = np.zeros(size, dtype=g._data.dtype)
        out[pos.reshape(-1)] = g._data.reshape(-1)
    else:
        out = np.bincount(pos.reshape(-1), weights=g._data.reshape(-1), minlength=size).astype(g._data.dtype)
    return wrap_as(out.reshape(shape), g.dtype)


_unpool = differentiable("MaxPool2DWithIndicesBackwardBackward0", _unpool_forward,
                         lambda ctx, gg: (take_flat(gg, ctx.args[1]), None, None, None))


_max_pool2d = differentiable("MaxPool2DWithIndicesBackward0", _max_forward, _max_backward,
                             saves=lambda ctx: ctx.args[:1])


def _max_pool2d_impl(input, kernel_size, stride, padding, dilation, ceil_mode, return_indices):
    k = _tuple(kernel_size, 2, "kernel_size")
    s = _stride(stride, kernel_size, 2)
    p = _tuple(padding, 2, "padding")
    d = _tuple(dilation, 2, "dilation")
    if any(v <= 0 for v in d):
        raise RuntimeError(f"dilation should be greater than zero, but got dilationH: {d[0]} dilationW: {d[1]}")
    out = tuple(_pool_out(L, k_, s_, p_, d_, ceil_mode) for L, k_, s_, p_, d_ in zip(input.shape[-2:], k, s, p, d))
    _check_pool(input, k, s, p, d, out)
    if not return_indices and not (STATE.enabled and input._rg):
        return wrap_as(_max_values(input._data, k, s, p, d, out), input.dtype)
    o, i = _max_pool2d(input, k, s, p, d, out)
    return [o, i] if return_indices else o


def nnf_max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
    """Max over (kH, kW) windows of (N, C, H, W) or (C, H, W); `stride` defaults to `kernel_size`. With
    `return_indices = TRUE`, a list of the output and the 1-based flat position of each max in its plane."""
    _check_2d(input)
    return _max_pool2d_impl(input, kernel_size, stride, padding, dilation, ceil_mode, return_indices)


def nnf_max_pool1d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
    """Max over windows of (N, C, L) or (C, L); the 2D pooling of the input unsqueezed at dim -2."""
    check_tensor(input)
    if input.dim() not in (2, 3):
        raise RuntimeError(f"max_pool1d: Expected 2D or 3D (batch mode) tensor with optional 0 dim batch size for "
                           f"input, but got:{list(input.shape)}")
    one = lambda v, name: (1,) + _tuple(v, 1, name)
    r = _max_pool2d_impl(input.unsqueeze(-2), one(kernel_size, "kernel_size"),
                         None if stride is None or stride == [] else one(stride, "stride"),
                         (0,) + _tuple(padding, 1, "padding"), one(dilation, "dilation"), ceil_mode, return_indices)
    if return_indices:
        return [r[0].squeeze(-2), r[1].squeeze(-2)]
    return r.squeeze(-2)


# ---- adaptive max pooling -----------------------------------------------------------------------

def _adaptive_bounds(L, o):
    return [(i * L // o, -((-(i + 1) * L) // o)) for i in range(o)]


def _amax_forward(ctx, input, out):
    x = input._data
    H, W = x.shape[-2:]
    val = np.empty(x.shape[:-2] + tuple(out), dtype=x.dtype)
    idx = np.empty(x.shape[:-2] + tuple(out), dtype=np.int64)
    for i, (h0, h1) in enumerate(_adaptive_bounds(H, out[0])):
        for j, (w0, w1) in enumerate(_adaptive_bounds(W, out[1])):
            blk = x[..., h0:h1, w0:w1].reshape(x.shape[:-2] + (-1,))
            a = np.argmax(blk, axis=-1)
            nan = np.isnan(blk)
            if nan.any():
                a = np.where(nan.any(axis=-1), np.argmax(nan, axis=-1), a)
            val[..., i, j] = np.take_along_axis(blk, a[..., None], axis=-1)[..., 0]
            r, c = np.divmod(a, w1 - w0)
            idx[..., i, j] = (h0 + r) * W + w0 + c
    ctx.idx = idx
    return wrap_as(val, input.dtype), wrap_as(idx + 1, _LONG)


_adaptive_max_pool2d = differentiable("AdaptiveMaxPool2DBackward0", _amax_forward, lambda ctx, g, *_: (
    _max_backward(ctx, g)[0], None), saves=lambda ctx: ctx.args[:1])


def _out_size(output_size, input, n):
    o = list(_tuple_or_none(output_size, n))
    return tuple(input.shape[-n + i] if v is None else v for i, v in enumerate(o))


def _tuple_or_none(v, n):
    if isinstance(v, (list, tuple)):
        v = list(v) * n if len(v) == 1 else list(v)
        return tuple(None if x is None or (isinstance(x, float) and math.isnan(x)) else int(x) for x in v)
    return (int(v),) * n


def nnf_adaptive_max_pool2d(input, output_size, return_indices=False):
    """Max over libtorch's adaptive windows (start `floor(i L / O)`, end `ceil((i + 1) L / O)`)."""
    _check_2d(input, "adaptive_max_pool2d")
    o, i = _adaptive_max_pool2d(input, _out_size(output_size, input, 2))
    return [o, i] if return_indices else o


def nnf_adaptive_max_pool1d(input, output_size, return_indices=False):
    _check_1d(input, "adaptive_max_pool1d")
    o, i = _adaptive_max_pool2d(input.unsqueeze(-2), (1,) + _out_size(output_size, input, 1))
    return [o.squeeze(-2), i.squeeze(-2)] if return_indices else o.squeeze(-2)


# ---- average pooling (separable) ----------------------------------------------------------------

def _avg_matrix(L, k, s, p, o, count_include_pad, divisor):
    A = np.zeros((o, L))
    for i in range(o):
        start = i * s - p
        end = min(start + k, L + p)
        size = end - start
        lo, hi = max(start, 0), min(end, L)
        if divisor is not None:
            A[i, lo:hi] = 1.0
        else:
            A[i, lo:hi] = 1.0 / (size if count_include_pad else max(hi - lo, 1))
    return A


def _adaptive_matrix(L, o):
    A = np.zeros((o, L))
    for i, (a, b) in enumerate(_adaptive_bounds(L, o)):
        A[i, a:b] = 1.0 / (b - a)
    return A


def _sep_forward(ctx, input, Ah, Aw):
    x = input._data
    ah, aw = Ah._data.astype(x.dtype, copy=False), Aw._data.astype(x.dtype, copy=False)
    return wrap_as(np.matmul(np.matmul(ah, x), aw.T), input.dtype)


def _sep_backward(ctx, g):
    _, Ah, Aw = ctx.args
    return Ah.t().matmul(g).matmul(Aw), None, None


_avg_pool2d = differentiable("AvgPool2DBackward0", _sep_forward, _sep_backward)
_adaptive_avg_pool2d = differentiable("AdaptiveAvgPool2DBackward0", _sep_forward, _sep_backward)


def _const(A, like):
    return wrap_as(A.astype(like._data.dtype), like.dtype)


def _avg_pool2d_impl(input, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override):
    k = _tuple(kernel_size, 2, "kernel_size")
    s = _stride(stride, kernel_size, 2)
    p = _tuple(padding, 2, "padding")
    if any(v <= 0 for v in s):
        raise RuntimeError(f"stride should be greater than zero, but got dH: {s[0]} dW: {s[1]}")
    out = tuple(_pool_out(L, k_, s_, p_, 1, ceil_mode) for L, k_, s_, p_ in zip(input.shape[-2:], k, s, p))
    _check_pool(input, k, s, p, (1, 1), out)
    if divisor_override is not None and divisor_override == 0:
        raise RuntimeError("divisor must be not zero")
    Ah = _avg_matrix(input.shape[-2], k[0], s[0], p[0], out[0], count_include_pad, divisor_override)
    Aw = _avg_matrix(input.shape[-1], k[1], s[1], p[1], out[1], count_include_pad, divisor_override)
    if divisor_override is not None:
        Ah = Ah / divisor_override
    return _avg_pool2d(input, _const(Ah, input), _const(Aw, input))


def nnf_avg_pool2d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True,
                   divisor_override=None):
    """Mean over (kH, kW) windows; `stride` defaults to `kernel_size`; the divisor counts the zero padding
    when `count_include_pad`, or is `divisor_override`."""
    _check_2d(input)
    return _avg_pool2d_impl(input, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override)


def torch_avg_pool1d(self, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True):
    _check_1d(self, "avg_pool1d")
    one = lambda v, name: (1,) + _tuple(v, 1, name)
    st = None if stride is None or stride == [] else one(stride, "stride")
    return _avg_pool2d_impl(self.unsqueeze(-2), one(kernel_size, "kernel_size"), st, (0,) + _tuple(padding, 1),
                            ceil_mode, count_include_pad, None).squeeze(-2)


def nnf_avg_pool1d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True):
    """Mean over windows of (N, C, L) or (C, L)."""
    return torch_avg_pool1d(input, kernel_size, stride, padding, ceil_mode, count_include_pad)


def nnf_adaptive_avg_pool2d(input, output_size):
    """Mean over libtorch's adaptive windows; `output_size` a number or (H, W), `NA`/None keeps that dim."""
    _check_2d(input, "adaptive_avg_pool2d")
    oh, ow = _out_size(output_size, input, 2)
    return _adaptive_avg_pool2d(input, _const(_adaptive_matrix(input.shape[-2], oh), input),
                                _const(_adaptive_matrix(input.shape[-1], ow), input))


def torch_adaptive_avg_pool1d(self, output_size):
    _check_1d(self, "adaptive_avg_pool1d")
    (o,) = _out_size(output_size, self, 1)
    x = self.unsqueeze(-2)
    return _adaptive_avg_pool2d(x, _const(np.ones((1, 1)), x),
                                _const(_adaptive_matrix(self.shape[-1], o), x)).squeeze(-2)


def nnf_adaptive_avg_pool1d(input, output_size):
    return torch_adaptive_avg_pool1d(input, output_size)
