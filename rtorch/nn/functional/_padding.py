"""R torch's padding, `nnf_pad` (R/nnf-padding.R, libtorch's `pad`).

`pad` lists (before, after) pairs from the last dimension backwards, as libtorch's. A negative amount
crops. Constant padding is a `torch_cat` with filled blocks (any number of dimensions); reflect,
replicate and circular padding select, along each padded dimension, the input positions libtorch reads
(`index_select` with 1-based indices), so autograd sums the gradient of every copy back into its source.
Arguments are checked with libtorch's messages.
"""
import numpy as np

from ..._creation import torch_full
from ..._functions import torch_cat
from ..._tensor import wrap
from ._checks import check_tensor

__all__ = ["nnf_pad"]

_MODES = ("constant", "reflect", "replicate", "circular")


def _pairs(input, pad):
    pad = [int(p) for p in (pad.tolist() if hasattr(pad, "tolist") else list(pad))]
    if len(pad) % 2:
        raise RuntimeError("Padding length must be divisible by 2")
    if len(pad) // 2 > input.dim():
        raise RuntimeError(f"Padding length should be less than or equal to two times the input dimension but "
                           f"got padding length {len(pad)} and input of dimension {input.dim()}")
    # (0-based dim, before, after), last dim first
    return [(input.dim() - 1 - i, pad[2 * i], pad[2 * i + 1]) for i in range(len(pad) // 2)]


def _constant(input, pairs, value):
    out = input
    for d, lo, hi in pairs:
        L = out.shape[d]
        if lo < 0 or hi < 0:
            start, stop = max(-lo, 0), L - max(-hi, 0)
            if stop < start:
                raise RuntimeError(f"The input size {L}, plus negative padding {lo} and {hi} resulted in a "
                                   f"negative output size, which is invalid. Check dimension {d} of your input.")
            out = out.narrow(d + 1, start + 1, stop - start)
        parts = []
        for n in (lo, hi):
            shape = list(out.shape)
            shape[d] = max(n, 0)
            parts.append(torch_full(shape, value, dtype=out.dtype))
        if lo > 0 or hi > 0:
            out = torch_cat([parts[0], out, parts[1]], dim=d + 1)
    return out


def _positions(mode, L, lo, hi):
    """0-based input positions that output positions -lo .. L + hi - 1 read."""
    q = np.arange(-lo, L + hi)
    if mode == "replicate":
        return np.clip(q, 0, L - 1)
    if mode == "circular":  # libtorch crops first, then wraps around what is left
        start, n = max(-lo, 0), L - max(-lo, 0) - max(-hi, 0)
        return start + np.mod(np.arange(-max(lo, 0), n + max(hi, 0)), n)
    if L == 1:
        return np.zeros_like(q)
    period = 2 * (L - 1)
    q = np.mod(q, period)
    return np.where(q < L, q, period - q)


def _check_non_constant(input, pairs, mode):
    n = len(pairs)
    if n == 0 or n > 3 or input.dim() not in (n + 1, n + 2):
        raise NotImplementedError(
            f"Padding size {2 * n} is not supported for {input.dim()}D input tensor.\n"
            "Supported combinations for non-constant padding:\n"
            "  - 2D or 3D input: padding size = 2 (pads last dimension)\n"
            "  - 3D or 4D input: padding size = 4 (pads last 2 dimensions)\n"
            "  - 4D or 5D input: padding size = 6 (pads last 3 dimensions)")
    for d, lo, hi in pairs:
        L = input.shape[d]
        if mode == "reflect" and (lo >= L or hi >= L):
            raise RuntimeError(f"Argument #4: Padding size should be less than the corresponding input dimension, "
                               f"but got: padding ({lo}, {hi}) at dimension {d} of input {list(input.shape)}")
        if mode == "circular" and (lo > L or hi > L):
            raise RuntimeError("Padding value causes wrapping around more than once.")
        if mode == "replicate" and L == 0:
            raise RuntimeError(f"Expected a non-empty dimension {d} to pad, but got input {list(input.shape)}")
        if L + lo + hi < 0:
            raise RuntimeError(f"input tensor is too small for padding ({lo}, {hi}) at dimension {d}")


def nnf_pad(input, pad, mode="constant", value=None):
    """Pads `input` by `pad` (before/after amounts, last dimension first) with `mode` 'constant'
    (filled with `value`, default 0), 'reflect', 'replicate' or 'circular'."""
    check_tensor(input)
    if mode not in _MODES:
        raise NotImplementedError(f"Unrecognised padding mode {mode}")
    pairs = _pairs(input, pad)
    if mode == "constant":
        return _constant(input, pairs, 0 if value is None else value)
    if value is not None:
        raise RuntimeError(f'Padding mode "{mode}" doesn\'t take in value argument')
    _check_non_constant(input, pairs, mode)
    out = input
    for d, lo, hi in pairs:
        idx = _positions(mode, out.shape[d], lo, hi) + 1
        out = out.index_select(d + 1, wrap(idx.astype(np.int64)))
    return out
