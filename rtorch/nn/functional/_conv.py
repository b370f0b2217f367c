"""R torch's convolutions: `nnf_conv1d/2d/3d`, `nnf_conv_transpose1d/2d/3d` (R/nnf-conv.R) and the
`torch_conv*` names they call.

Each convolution is one recorded operation, `ConvolutionBackward0` as in libtorch (transposed ones too).
The forward is im2col on NumPy: each sample's columns (C*prod(k), prod(out)) are built by one strided
copy of the zero-padded input per kernel position, then one batched `matmul` with the weight (groups are
a batch dim) gives the output in NCHW order with no transpose. The input gradient is the adjoint:
for stride 1 the full convolution of the gradient with the flipped, transposed weight (the same im2col
and product), otherwise col2im (one batched product of the gradient with the weight, then one strided
add per kernel position);
the weight gradient is the batched product of the gradient with the columns, summed over the batch. Those two are
recorded operations as well (`ConvolutionBackwardBackward0`) whose backwards are again the three
kernels, so `create_graph = TRUE` and higher-order gradients work.
"""
import itertools

import numpy as np

from ..._tensor import wrap_as
from ...autograd._record import differentiable
from ._checks import check_tensor

__all__ = ["nnf_conv1d", "nnf_conv2d", "nnf_conv3d", "nnf_conv_transpose1d", "nnf_conv_transpose2d",
           "nnf_conv_transpose3d", "torch_conv1d", "torch_conv2d", "torch_conv3d", "torch_conv_transpose1d",
           "torch_conv_transpose2d", "torch_conv_transpose3d"]


def _tuple(v, n, name="argument"):
    """R torch's `nn_util_single/pair/triple`: a number or a length-1 vector repeated, or n numbers."""
    if isinstance(v, (list, tuple)):
        v = list(v)
        if len(v) == 1:
            v = v * n
        if len(v) != n:
            raise RuntimeError(f"expected {name} to be a single integer value or a list of {n} values to match "
                             f"the convolution dimensions, but got {name}={v}")
        return tuple(int(x) for x in v)
    return (int(v),) * n


# ---- NumPy kernels (arrays in, arrays out; pads are (low, high) pairs per spatial dim) ----------------

def _out_sizes(padded, k, s, d):
    return tuple((L - d_ * (k_ - 1) - 1) // s_ + 1 for L, k_, s_, d_ in zip(padded, k, s, d))


def _pad(x, pads):
    if not any(lo or hi for lo, hi in pads):
        return x
    return np.pad(x, [(0, 0), (0, 0)] + list(pads))


def _positions(k, s, d, out):
    """Per kernel position: its index and the strided slices of the padded input it reads."""
    for j, pos in enumerate(itertools.product(*(range(k_) for k_ in k))):
        yield j, tuple(slice(p * d_, p * d_ + (o - 1) * s_ + 1, s_) for p, d_, o, s_ in zip(pos, d, out, s))


def _cols(xp, k, s, d, out):
    """im2col: (N, C, prod(k), prod(out)), one strided copy per kernel position."""
    N, C = xp.shape[:2]
    kk = int(np.prod(k))
    cols = np.empty((N, C, kk) + tuple(out), dtype=xp.dtype)
    for j, sl in _positions(k, s, d, out):
        cols[:, :, j] = xp[(slice(None), slice(None)) + sl]
    return cols.reshape(N, C, kk, -1)


def _conv_np(x, w, s, pads, d, groups):
    """(N, G, OC/G, C/G*K) products of the weight with each sample's columns: one batched BLAS call."""
    k = w.shape[2:]
    xp = _pad(x, pads)
    out = _out_sizes(xp.shape[2:], k, s, d)
    N = x.shape[0]
    cols = _cols(xp, k, s, d, out).reshape(N, groups, -1, int(np.prod(out)))
    wm = w.reshape(groups, w.shape[0] // groups, -1)
    return np.matmul(wm, cols).reshape((N, w.shape[0]) + tuple(out))


def _conv_input_grad_np(g, w, xshape, s, pads, d, groups):
    """The adjoint of `_conv_np` in its input: for stride 1, the full convolution of `g` with the flipped,
    transposed weight; otherwise col2im of `weight^T g`."""
    k = w.shape[2:]
    N, OC = g.shape[:2]
    full = [d_ * (k_ - 1) for k_, d_ in zip(k, d)]
    if all(s_ == 1 for s_ in s) and all(lo <= f and hi <= f for (lo, hi), f in zip(pads, full)):
        n = len(k)
        wt = w.reshape((groups, OC // groups, w.shape[1]) + tuple(k)).swapaxes(1, 2)
        wt = wt[(Ellipsis,) + (slice(None, None, -1),) * n].reshape((groups * w.shape[1], OC // groups) + tuple(k))
        return _conv_np(g, wt, s, tuple((f - lo, f - hi) for (lo, hi), f in zip(pads, full)), d, groups)
    out = g.shape[2:]
    C = xshape[1]
    wm = w.reshape(groups, OC // groups, -1)
    cols = np.matmul(wm.transpose(0, 2, 1), g.reshape(N, groups, OC // groups, -1))
    cols = cols.reshape((N, C, int(np.prod(k))) + tuple(out))
    padded = tuple(L + lo + hi for L, (lo, hi) in zip(xshape[2:], pads))
    gx = np.zeros((N, C) + padded, dtype=g.dtype)
    for j, sl in _positions(k, s, d, out):
        gx[(slice(None), slice(None)) + sl] += cols[:, :, j]
    crop = (slice(None), slice(None)) + tuple(slice(lo, lo + L) for (lo, _), L in zip(pads, xshape[2:]))
    return gx[crop] if any(lo or hi for lo, hi in pads) else gx


def _conv_weight_grad_np(x, g, wshape, s, pads, d, groups):
    k = wshape[2:]
    xp = _pad(x, pads)
    out = g.shape[2:]
    N = x.shape[0]
    cols = _cols(xp, k, s, d, out).reshape(N, groups, -1, int(np.prod(out)))
    gm = g.reshape(N, groups, wshape[0] // groups, -1)
    return np.matmul(gm, cols.transpose(0, 1, 3, 2)).sum(axis=0).reshape(wshape)


# ---- recorded operations ------------------------------------------------------------------------

def _bias_shape(nd, c):
    return (1, c) + (1,) * (nd - 2)


def _conv_forward(ctx, input, weight, bias, stride, pads, dilation, groups):
    out = _conv_np(input._data, weight._data, stride, pads, dilation, groups)
    if bias is not None:
        out += bias._data.reshape(_bias_shape(out.ndim, -1))
    return wrap_as(out.astype(input._data.dtype, copy=False), input.dtype)


def _conv_backward(ctx, g):
    input, weight, bias, stride, pads, dilation, groups = ctx.args
    gi = gw = gb = None
    if input._rg:
        gi = _conv_input_grad(g, weight, tuple(input.shape), stride, pads, dilation, groups)
    if weight._rg:
        gw = _conv_weight_grad(input, g, tuple(weight.shape), stride, pads, dilation, groups)
    if bias is not None and bias._rg:
        gb = g.sum(dim=[1] + list(range(3, g.dim() + 1)))
    return gi, gw, gb, None, None, None, None


def _input_grad_forward(ctx, g, weight, xshape, stride, pads, dilation, groups):
    return wrap_as(_conv_input_grad_np(g._data, weight._data, xshape, stride, pads, dilation, groups), g.dtype)


def _input_grad_backward(ctx, gg):
    g, weight, xshape, stride, pads, dilation, groups = ctx.args
    return (_conv(gg, weight, None, stride, pads, dilation, groups) if g._rg else None,
            _conv_weight_grad(gg, g, tuple(weight.shape), stride, pads, dilation, groups) if weight._rg else None,
            None, None, None, None, None)


def _weight_grad_forward(ctx, input, g, wshape, stride, pads, dilation, groups):
    r = _conv_weight_grad_np(input._data, g._data, wshape, stride, pads, dilation, groups)
    return wrap_as(r.astype(input._data.dtype, copy=False), input.dtype)


def _weight_grad_backward(ctx, gw):
    input, g, wshape, stride, pads, dilation, groups = ctx.args
    return (_conv_input_grad(g, gw, tuple(input.shape), stride, pads, dilation, groups) if input._rg else None,
            _conv(input, gw, None, stride, pads, dilation, groups) if g._rg else None,
            None, None, None, None, None)


_conv = differentiable("ConvolutionBackward0", _conv_forward, _conv_backward, saves=lambda ctx: ctx.args[:2])
_conv_input_grad = differentiable("ConvolutionBackwardBackward0", _input_grad_forward, _input_grad_backward,
                                  saves=lambda ctx: ctx.args[:2])
_conv_weight_grad = differentiable("ConvolutionBackwardBackward0", _weight_grad_forward, _weight_grad_backward,
                                   saves=lambda ctx: ctx.args[:2])


def _tconv_forward(ctx, input, weight, bias, stride, pads, dilation, groups, out_shape):
    out = _conv_input_grad_np(input._data, weight._data, out_shape, stride, pads, dilation, groups)
    if bias is not None:
        out += bias._data.reshape(_bias_shape(out.ndim, -1))
    return wrap_as(out.astype(input._data.dtype, copy=False), input.dtype)


def _tconv_backward(ctx, g):
    input, weight, bias, stride, pads, dilation, groups, out_shape = ctx.args
    gi = gw = gb = None
    if input._rg:
        gi = _conv(g, weight, None, stride, pads, dilation, groups)
    if weight._rg:
        gw = _conv_weight_grad(g, input, tuple(weight.shape), stride, pads, dilation, groups)
    if bias is not None and bias._rg:
        gb = g.sum(dim=[1] + list(range(3, g.dim() + 1)))
    return gi, gw, gb, None, None, None, None, None


_conv_transpose = differentiable("ConvolutionBackward0", _tconv_forward, _tconv_backward,
                                 saves=lambda ctx: ctx.args[:2])


# ---- argument handling, in libtorch's words -----------------------------------------------------

def _sz(shape):
    return "[" + ", ".join(str(s) for s in shape) + "]"


def _check_rank(input, n, name):
    if input.dim() not in (n + 1, n + 2):
        raise RuntimeError(f"Expected {n + 1}D (unbatched) or {n + 2}D (batched) input to {name}, but got input "
                           f"of size: {_sz(input.shape)}")


def _check_weight_bias(input, weight, bias, groups, transposed):
    n = input.dim() - 2
    if weight.dim() != n + 2:
        raise RuntimeError(f"Expected {n + 2}-dimensional input for {n + 2}-dimensional weight {_sz(weight.shape)}, "
                           f"but got {input.dim()}-dimensional input of size {_sz(input.shape)} instead")
    if groups <= 0:
        raise RuntimeError("non-positive groups is not supported")
    if not transposed and weight.shape[0] % groups:
        raise RuntimeError(f"Given groups={groups}, expected weight to be divisible by {groups} at dimension 0, but "
                           f"got weight of size [{_sz(weight.shape)}] instead")
    want = weight.shape[0] if transposed else weight.shape[1] * groups
    if input.shape[1] != want:
        head = f"Given transposed=1, weight of size" if transposed else f"Given groups={groups}, weight of size"
        raise RuntimeError(f"{head} {_sz(weight.shape)}, expected input{_sz(input.shape)} to have {want} channels, "
                           f"but got {input.shape[1]} channels instead")
    oc = weight.shape[1] * groups if transposed else weight.shape[0]
    if bias is not None and (bias.dim() != 1 or bias.shape[0] != oc):
        raise RuntimeError(f"Given weight of size {_sz(weight.shape)}, expected bias to be 1-dimensional with {oc} "
                           f"elements, but got bias of size {_sz(bias.shape)} instead")
    if input.dtype is not weight.dtype:
        raise RuntimeError(f"expected scalar type {input.dtype.name} but found {weight.dtype.name}")
    if bias is not None and bias.dtype is not input.dtype:
        raise RuntimeError(f"Input type ({_C_NAMES.get(input.dtype.name, input.dtype.name)}) and bias type "
                           f"({_C_NAMES.get(bias.dtype.name, bias.dtype.name)}) should be the same")


_C_NAMES = {"Float": "float", "Double": "double", "Half": "c10::Half", "BFloat16": "c10::BFloat16"}


def _pads(padding, k, s, d, n):
    if isinstance(padding, str):
        if padding == "valid":
            return ((0, 0),) * n
        if padding != "same":
            raise RuntimeError(f"Invalid padding string: '{padding}'")
        if any(s_ != 1 for s_ in s):
            raise RuntimeError("padding='same' is not supported for strided convolutions")
        tot = [d_ * (k_ - 1) for k_, d_ in zip(k, d)]
        return tuple((t // 2, t - t // 2) for t in tot)
    p = _tuple(padding, n, "padding")
    if any(v < 0 for v in p):
        raise RuntimeError("negative padding is not supported")
    return tuple((v, v) for v in p)


def _batched(input, n, fn):
    """Run `fn` on a batched input, adding and removing the batch dim of an unbatched one."""
    if input.dim() == n + 1:
        return fn(input.unsqueeze(1)).squeeze(1)
    return fn(input)


def _convnd(n, name, input, weight, bias, stride, padding, dilation, groups):
    check_tensor(input)
    check_tensor(weight, "weight")
    _check_rank(input, n, name)
    groups = int(groups)
    k = tuple(weight.shape[2:]) if weight.dim() == n + 2 else (1,) * n
    s = _tuple(stride, n, "stride")
    d = _tuple(dilation, n, "dilation")
    if any(v <= 0 for v in s):
        raise RuntimeError("non-positive stride is not supported")
    if any(v <= 0 for v in d):
        raise RuntimeError(f"dilation should be greater than zero, but got {list(d)}")
    pads = _pads(padding, k, s, d, n)

    def run(x):
        _check_weight_bias(x, weight, bias, groups, False)
        padded = [L + lo + hi for L, (lo, hi) in zip(x.shape[2:], pads)]
        ext = [d_ * (k_ - 1) + 1 for k_, d_ in zip(k, d)]
        if any(e > p for e, p in zip(ext, padded)):
            raise RuntimeError(f"Calculated padded input size per channel: ({' x '.join(map(str, padded))}). Kernel "
                               f"size: ({' x '.join(map(str, ext))}). Kernel size can't be greater than actual "
                               f"input size")
        return _conv(x, weight, bias, s, pads, d, groups)
    return _batched(input, n, run)


def _conv_transposend(n, name, input, weight, bias, stride, padding, output_padding, groups, dilation):
    check_tensor(input)
    check_tensor(weight, "weight")
    _check_rank(input, n, name)
    groups = int(groups)
    k = tuple(weight.shape[2:]) if weight.dim() == n + 2 else (1,) * n
    s = _tuple(stride, n, "stride")
    d = _tuple(dilation, n, "dilation")
    p = _tuple(padding, n, "padding")
    op = _tuple(output_padding, n, "output_padding")
    for o, s_, d_ in zip(op, s, d):
        if o >= s_ and o >= d_:
            raise RuntimeError(f"output padding must be smaller than either stride or dilation, but got "
                               f"output_padding={list(op)}, stride={list(s)}, dilation={list(d)}")

    def run(x):
        _check_weight_bias(x, weight, bias, groups, True)
        if weight.shape[0] % groups:
            raise RuntimeError(f"Given groups={groups}, expected weight to be divisible by {groups} at dimension 0, "
                               f"but got weight of size [{_sz(weight.shape)}] instead")
        sizes = tuple((L - 1) * s_ - 2 * p_ + d_ * (k_ - 1) + o + 1
                      for L, s_, p_, d_, k_, o in zip(x.shape[2:], s, p, d, k, op))
        if any(v <= 0 for v in sizes):
            raise RuntimeError(f"Given input size per channel: ({' x '.join(map(str, x.shape[2:]))}). Calculated "
                               f"output size per channel: ({' x '.join(map(str, sizes))}). Output size is too small")
        out_shape = (x.shape[0], weight.shape[1] * groups) + sizes
        return _conv_transpose(x, weight, bias, s, tuple((v, v) for v in p), d, groups, out_shape)
    return _batched(input, n, run)


def torch_conv1d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    return _convnd(1, "conv1d", input, weight, bias, stride, padding, dilation, groups)


def torch_conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    return _convnd(2, "conv2d", input, weight, bias, stride, padding, dilation, groups)


def torch_conv3d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    return _convnd(3, "conv3d", input, weight, bias, stride, padding, dilation, groups)


def torch_conv_transpose1d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
    return _conv_transposend(1, "conv_transpose1d", input, weight, bias, stride, padding, output_padding, groups,
                             dilation)


def torch_conv_transpose2d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
    return _conv_transposend(2, "conv_transpose2d", input, weight, bias, stride, padding, output_padding, groups,
                             dilation)


def torch_conv_transpose3d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
    return _conv_transposend(3, "conv_transpose3d", input, weight, bias, stride, padding, output_padding, groups,
                             dilation)


def nnf_conv1d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """1D convolution of (N, C_in, L) (or unbatched (C_in, L)) with weight (C_out, C_in/groups, k);
    `padding` a number, a vector, or "same"/"valid"."""
    return torch_conv1d(input, weight, bias, stride, padding, dilation, groups)


def nnf_conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """2D convolution of (N, C_in, H, W) with weight (C_out, C_in/groups, kH, kW)."""
    return torch_conv2d(input, weight, bias, stride, padding, dilation, groups)


def nnf_conv3d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """3D convolution of (N, C_in, T, H, W) with weight (C_out, C_in/groups, kT, kH, kW)."""
    return torch_conv3d(input, weight, bias, stride, padding, dilation, groups)


def nnf_conv_transpose1d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
    """Transposed 1D convolution, weight (C_in, C_out/groups, k); note R torch's argument order
    (`output_padding`, `groups` before `dilation`)."""
    return torch_conv_transpose1d(input, weight, bias, stride, padding, output_padding, groups, dilation)


def nnf_conv_transpose2d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
    """Transposed 2D convolution, weight (C_in, C_out/groups, kH, kW)."""
    return torch_conv_transpose2d(input, weight, bias, stride, padding, output_padding, groups, dilation)


def nnf_conv_transpose3d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
    """Transposed 3D convolution, weight (C_in, C_out/groups, kT, kH, kW)."""
    return torch_conv_transpose3d(input, weight, bias, stride, padding, output_padding, groups, dilation)
