"""R torch's `nnf_unfold` (libtorch's im2col) and `nnf_fold` (col2im), R/nnf-fold.R.

`nnf_unfold` reads, for every channel, kernel position and block, one element of the zero-padded input
(libtorch's order: row `c * kH * kW + i * kW + j`, column the block in row-major order); `nnf_fold` adds
each column entry back to the position it came from, then drops the padding. Both are the flat gather
and scatter-add pair of autograd's primitives, so each is the other's gradient.
"""
import numpy as np

from ...autograd._ops import scatter_flat, take_flat
from ._checks import check_tensor
from ._conv import _tuple
from ._padding import nnf_pad

__all__ = ["nnf_unfold", "nnf_fold"]


def _blocks(spatial, k, d, p, s):
    return [(L + 2 * p_ - (d_ * (k_ - 1) + 1)) // s_ + 1 for L, k_, d_, p_, s_ in zip(spatial, k, d, p, s)]


def _positions(n, c, padded, k, d, s, blocks):
    """Flat positions in the padded (n, c, Hp, Wp) input of the (n, c kH kW, L) columns."""
    Hp, Wp = padded
    ki, kj = np.meshgrid(np.arange(k[0]), np.arange(k[1]), indexing="ij")
    bi, bj = np.meshgrid(np.arange(blocks[0]), np.arange(blocks[1]), indexing="ij")
    rows = ki.reshape(-1, 1) * d[0] + bi.reshape(1, -1) * s[0]
    cols = kj.reshape(-1, 1) * d[1] + bj.reshape(1, -1) * s[1]
    plane = (rows * Wp + cols).astype(np.int64)                       # (K, L)
    base = np.arange(n * c, dtype=np.int64).reshape(n, c, 1, 1) * (Hp * Wp)
    return (base + plane).reshape(n, c * k[0] * k[1], -1)


def _args(kernel_size, dilation, padding, stride):
    return [_tuple(v, 2, name) for v, name in ((kernel_size, "kernel_size"), (dilation, "dilation"),
                                                 (padding, "padding"), (stride, "stride"))]


def _check_args(k, d, p, s):
    for v, name in ((k, "kernel"), (d, "dilation"), (s, "stride")):
        if min(v) <= 0:
            raise RuntimeError(f"{name} should be greater than zero, but got {name}_height: {v[0]} "
                               f"{name}_width: {v[1]}")
    if min(p) < 0:
        raise RuntimeError(f"padding should be non-negative, but got pad_height: {p[0]} pad_width: {p[1]}")


def _text(v):
    return "(" + ", ".join(map(str, v)) + ")"


def nnf_unfold(input, kernel_size, dilation=1, padding=0, stride=1):
    """Sliding local blocks of a (N, C, H, W) or (C, H, W) input as columns: (N, C kH kW, L)."""
    check_tensor(input)
    if input.dim() not in (3, 4) or any(v == 0 for v in input.shape[-3:]):
        raise RuntimeError(f"Expected 3D or 4D (batch mode) tensor with possibly 0 batch size and other non-zero "
                           f"dimensions for input, but got: {list(input.shape)}")
    k, d, p, s = _args(kernel_size, dilation, padding, stride)
    _check_args(k, d, p, s)
    batched = input.dim() == 4
    x = input if batched else input.unsqueeze(1)
    n, c, h, w = x.shape
    blocks = _blocks((h, w), k, d, p, s)
    if min(blocks) < 1:
        raise RuntimeError(f"Given input with spatial size {_text((h, w))}, kernel_size={_text(k)}, "
                           f"dilation={_text(d)}, padding={_text(p)}, calculated shape of the array of sliding "
                           f"blocks as {_text(blocks)}, but its components must be at least one.")
    xp = nnf_pad(x, [p[1], p[1], p[0], p[0]]) if any(p) else x
    out = take_flat(xp, _positions(n, c, (h + 2 * p[0], w + 2 * p[1]), k, d, s, blocks))
    return out if batched else out.squeeze(1)


def nnf_fold(input, output_size, kernel_size, dilation=1, padding=0, stride=1):
    """Sums (N, C kH kW, L) or (C kH kW, L) columns into a (N, C, *output_size) image: `nnf_unfold`'s adjoint."""
    check_tensor(input)
    if input.dim() not in (2, 3) or any(v == 0 for v in input.shape[-2:]):
        raise RuntimeError(f"Expected 2D or 3D (batch mode) tensor for input with possibly 0 batch size and non-zero "
                           f"dimensions for input, but got: {list(input.shape)}")
    o = _tuple(output_size, 2, "output_size")
    k, d, p, s = _args(kernel_size, dilation, padding, stride)
    _check_args(k, d, p, s)
    batched = input.dim() == 3
    x = input if batched else input.unsqueeze(1)
    n, ck, L = x.shape
    if ck % (k[0] * k[1]):
        raise RuntimeError(f"Expected size of input's dimension 1 to be divisible by the product of kernel_size, but "
                           f"got input.size(1)={ck} and kernel_size={_text(k)}.")
    blocks = _blocks(o, k, d, p, s)
    if min(blocks) < 1 or blocks[0] * blocks[1] != L:
        raise RuntimeError(f"Given output_size={_text(o)}, kernel_size={_text(k)}, dilation={_text(d)}, "
                           f"padding={_text(p)}, stride={_text(s)}, expected size of input's dimension 2 to match "
                           f"the calculated number of sliding blocks {blocks[0]} * {blocks[1]} = "
                           f"{blocks[0] * blocks[1]}, but got input.size(2)={L}.")
    c = ck // (k[0] * k[1])
    padded = (o[0] + 2 * p[0], o[1] + 2 * p[1])
    out = scatter_flat(x, _positions(n, c, padded, k, d, s, blocks), (n, c) + padded)
    if any(p):
        out = out.narrow(3, p[0] + 1, o[0]).narrow(4, p[1] + 1, o[1])
    return out if batched else out.squeeze(1)
