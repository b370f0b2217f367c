"""R torch's `nnf_batch_norm`, `nnf_layer_norm`, `nnf_group_norm`, `nnf_normalize` (R/nnf-batchnorm.R,
R/nnf-normalization.R).

Batch, layer and group norm are each one recorded operation, as libtorch's `native_batch_norm`,
`native_layer_norm`, `native_group_norm` (nodes `NativeBatchNormBackward0`, `NativeLayerNormBackward0`,
`NativeGroupNormBackward0`): the forward computes the statistics in double precision and normalises
with the biased variance; the backward is written with tensor operations, so it can be differentiated
again. In training, batch norm updates the running statistics in place with libtorch's rule
`running = (1 - momentum) running + momentum stat`, the unbiased batch variance for `running_var`.
"""

import numpy as np

from ..._tensor import wrap_as
from ...autograd._record import bump, differentiable
from ._checks import check_tensor

__all__ = ["nnf_batch_norm", "nnf_layer_norm", "nnf_group_norm", "nnf_normalize"]


def _stats(x, axes, eps):
    """Mean and 1/sqrt(biased var + eps) over `axes`, in double precision, kept as dims."""
    x64 = x.astype(np.float64, copy=False)
    mean = x64.mean(axis=axes, keepdims=True)
    var = np.square(x64 - mean).mean(axis=axes, keepdims=True)
    return mean, var, 1.0 / np.sqrt(var + eps)


def _input_grad(x, gxhat, dims, eps):
    """d(loss)/dx of `xhat = (x - mean(x)) / sqrt(var(x) + eps)` over the 1-based `dims`, given the
    gradient with respect to `xhat`; written with tensor operations (so double backward works)."""
    mean = x.mean(dim=dims, keepdim=True)
    xc = x - mean
    invstd = ((xc * xc).mean(dim=dims, keepdim=True) + eps).rsqrt()
    xhat = xc * invstd
    return (gxhat - gxhat.mean(dim=dims, keepdim=True)
            - xhat * (gxhat * xhat).mean(dim=dims, keepdim=True)) * invstd


def _channel_shape(ndim, c):
    return (1, c) + (1,) * (ndim - 2) if ndim > 1 else (c,)


# ---- batch norm ---------------------------------------------------------------------------------

def _bn_forward(ctx, input, weight, bias, running_mean, running_var, training, momentum, eps):
    x = input._data
    axes = (0,) + tuple(range(2, x.ndim))
    shape = _channel_shape(x.ndim, x.shape[1])
    if training:
        mean, var, invstd = _stats(x, axes, eps)
        n = x.size // x.shape[1]
        with np.errstate(divide="ignore", invalid="ignore"):
            if running_mean is not None:
                rm = running_mean._data
                rm[...] = ((1 - momentum) * rm + momentum * mean.reshape(-1)).astype(rm.dtype)
                bump(running_mean)
            if running_var is not None:
                rv = running_var._data
                unbiased = var.reshape(-1) * (n / (n - 1)) if n > 1 else var.reshape(-1) * np.inf
                rv[...] = ((1 - momentum) * rv + momentum * unbiased).astype(rv.dtype)
                bump(running_var)
    else:
        mean = running_mean._data.astype(np.float64).reshape(shape)
        invstd = 1.0 / np.sqrt(running_var._data.astype(np.float64).reshape(shape) + eps)
    ctx.invstd = invstd
    out = (x - mean) * invstd
    if weight is not None:
        out = out * weight._data.reshape(shape)
    if bias is not None:
        out = out + bias._data.reshape(shape)
    return wrap_as(out.astype(x.dtype, copy=False), input.dtype)


def _bn_backward(ctx, g):
    input, weight, bias, running_mean, running_var, training, momentum, eps = ctx.args
    nd = input.dim()
    shape = _channel_shape(nd, input.shape[1])
    dims = [1] + list(range(3, nd + 1))
    if training:
        mean = input.mean(dim=dims, keepdim=True)
        xc = input - mean
        invstd = ((xc * xc).mean(dim=dims, keepdim=True) + eps).rsqrt()
    else:
        mean = running_mean.view(*shape)
        invstd = (running_var.view(*shape) + eps).rsqrt()
    xhat = (input - mean) * invstd
    gi = gw = gb = None
    if input._rg:
        gxhat = g * weight.view(*shape) if weight is not None else g
        gi = _input_grad(input, gxhat, dims, eps) if training else gxhat * invstd
    if weight is not None and weight._rg:
        gw = (g * xhat).sum(dim=dims)
    if bias is not None and bias._rg:
        gb = g.sum(dim=dims)
    return gi, gw, gb, None, None, None, None, None


_batch_norm = differentiable("NativeBatchNormBackward0", _bn_forward, _bn_backward,
                             saves=lambda ctx: ctx.args[:3])


def nnf_batch_norm(input, running_mean, running_var, weight=None, bias=None, training=False, momentum=0.1,
                   eps=1e-5):
    """Normalise each channel (dim 2) over the batch and the other dims: with the batch's statistics in
    training (updating `running_mean`/`running_var` if given), with the running ones otherwise."""
    check_tensor(input)
    if input.dim() < 2:
        raise RuntimeError(f"batch_norm: expected an input of 2 or more dims (N, C, ...), got {input.dim()}D")
    c = input.shape[1]
    for name, t in (("weight", weight), ("bias", bias), ("running_mean", running_mean),
                    ("running_var", running_var)):
        if t is not None and t.numel() != c:
            raise RuntimeError(f"{name} should contain {c} elements not {t.numel()}")
    if not training and (running_mean is None or running_var is None):
        raise RuntimeError("running_mean and running_var must be defined in evaluation mode")
    return _batch_norm(input, weight, bias, running_mean, running_var, bool(training), momentum, eps)


# ---- layer norm ---------------------------------------------------------------------------------

def _ln_forward(ctx, input, weight, bias, k, eps):
    x = input._data
    axes = tuple(range(x.ndim - k, x.ndim))
    mean, _, invstd = _stats(x, axes, eps)
    out = (x - mean) * invstd
    if weight is not None:
        out = out * weight._data
    if bias is not None:
        out = out + bias._data
    return wrap_as(out.astype(x.dtype, copy=False), input.dtype)


def _ln_backward(ctx, g):
    input, weight, bias, k, eps = ctx.args
    nd = input.dim()
    dims = list(range(nd - k + 1, nd + 1))
    lead = list(range(1, nd - k + 1))
    gi = gw = gb = None
    if input._rg:
        gi = _input_grad(input, g * weight if weight is not None else g, dims, eps)
    if (weight is not None and weight._rg) or (bias is not None and bias._rg):
        if weight is not None and weight._rg:
            mean = input.mean(dim=dims, keepdim=True)
            xc = input - mean
            xhat = xc * ((xc * xc).mean(dim=dims, keepdim=True) + eps).rsqrt()
            gw = (g * xhat).sum(dim=lead) if lead else g * xhat
        if bias is not None and bias._rg:
            gb = g.sum(dim=lead) if lead else g
    return gi, gw, gb, None, None


_layer_norm = differentiable("NativeLayerNormBackward0", _ln_forward, _ln_backward,
                             saves=lambda ctx: ctx.args[:3])


def _shape_list(shape):
    return "[" + ", ".join(str(s) for s in shape) + "]"


def nnf_layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-5):
    """Normalise over the last `length(normalized_shape)` dims, then scale by `weight` and shift by `bias`
    (each of `normalized_shape`)."""
    check_tensor(input)
    normalized_shape = [int(s) for s in ([normalized_shape] if np.isscalar(normalized_shape)
                                         else list(normalized_shape))]
    k = len(normalized_shape)
    if k == 0:
        raise RuntimeError("Expected normalized_shape to be at least 1-dimensional, i.e., containing at least "
                           "one element, but got normalized_shape = []")
    for name, t in (("weight", weight), ("bias", bias)):
        if t is not None and list(t.shape) != normalized_shape:
            raise RuntimeError(f"Expected {name} to be of same shape as normalized_shape, but got {name} of "
                               f"shape {_shape_list(t.shape)} and normalized_shape = {_shape_list(normalized_shape)}")
    if input.dim() < k or list(input.shape[input.dim() - k:]) != normalized_shape:
        raise RuntimeError(f"Given normalized_shape={_shape_list(normalized_shape)}, expected input with shape "
                           f"[*, {', '.join(str(s) for s in normalized_shape)}], but got input of size"
                           f"{_shape_list(input.shape)}")
    return _layer_norm(input, weight, bias, k, eps)


# ---- group norm ---------------------------------------------------------------------------------

def _gn_forward(ctx, input, weight, bias, groups, eps):
    x = input._data
    n, c = x.shape[0], x.shape[1]
    xr = x.reshape(n, groups, -1)
    mean, _, invstd = _stats(xr, (2,), eps)
    out = ((xr - mean) * invstd).reshape(x.shape)
    shape = _channel_shape(x.ndim, c)
    if weight is not None:
        out = out * weight._data.reshape(shape)
    if bias is not None:
        out = out + bias._data.reshape(shape)
    return wrap_as(out.astype(x.dtype, copy=False), input.dtype)


def _gn_backward(ctx, g):
    input, weight, bias, groups, eps = ctx.args
    n, c = input.shape[0], input.shape[1]
    nd = input.dim()
    shape = _channel_shape(nd, c)
    dims = [1] + list(range(3, nd + 1))
    xr = input.reshape(n, groups, -1)
    gi = gw = gb = None
    if input._rg:
        gxhat = (g * weight.view(*shape) if weight is not None else g).reshape(n, groups, -1)
        gi = _input_grad(xr, gxhat, [3], eps).reshape(*input.shape)
    if weight is not None and weight._rg:
        mean = xr.mean(dim=3, keepdim=True)
        xc = xr - mean
        xhat = (xc * ((xc * xc).mean(dim=3, keepdim=True) + eps).rsqrt()).reshape(*input.shape)
        gw = (g * xhat).sum(dim=dims)
    if bias is not None and bias._rg:
        gb = g.sum(dim=dims)
    return gi, gw, gb, None, None


_group_norm = differentiable("NativeGroupNormBackward0", _gn_forward, _gn_backward,
                             saves=lambda ctx: ctx.args[:3])


def nnf_group_norm(input, num_groups, weight=None, bias=None, eps=1e-5):
    """Split the channels (dim 2) into `num_groups` groups and normalise each group of each sample;
    `weight` and `bias` are per channel."""
    check_tensor(input)
    if input.dim() < 2:
        raise RuntimeError(f"Expected at least 2 dimensions for input tensor but received {input.dim()}")
    c = input.shape[1]
    if c % num_groups:
        raise RuntimeError(f"Expected number of channels in input to be divisible by num_groups, but got input "
                           f"of shape {_shape_list(input.shape)} and num_groups={num_groups}")
    for name, t in (("weight", weight), ("bias", bias)):
        if t is not None and (t.dim() != 1 or t.numel() != c):
            raise RuntimeError(f"Expected {name} tensor to have {c} elements, but got {name}: "
                               f"{_shape_list(t.shape)}")
    return _group_norm(input, weight, bias, int(num_groups), eps)


def nnf_normalize(input, p=2, dim=2, eps=1e-12, out=None):
    """`input / max(||input||_p, eps)` along `dim` (1-based; R torch's default 2); with `out`, writes the
    result there."""
    check_tensor(input)
    denom = input.norm(p=p, dim=dim, keepdim=True).clamp(min=eps).expand_as(input)
    if out is None:
        return input / denom
    return out.copy_(input / denom)
