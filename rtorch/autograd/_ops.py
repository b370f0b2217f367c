"""Autograd's own primitives: the gradient of any read of a tensor's elements (views, indexing, gathers)
is a scatter-add of the output gradient to the positions that were read, and its gradient is the
gather back — one pair serves every such operation."""
import numpy as np

from .._devices import array_module
from .._tensor import wrap_as
from ._record import differentiable


def _scatter_forward(ctx, g, pos, shape):
    xp = array_module(g.device)
    out = xp.zeros(int(np.prod(shape, dtype=np.int64)), dtype=g._data.dtype)
    flat = xp.asarray(pos).reshape(-1)
    src = g._data.reshape(-1)
    if flat.size and len(xp.unique(flat)) == flat.size:
        out[flat] = src
    else:
        xp.add.at(out, flat, src)
    return wrap_as(out.reshape(shape), g.dtype)


def _scatter_backward(ctx, grad):
    return take_flat(grad, ctx.args[1]), None, None


def _take_forward(ctx, g, pos):
    xp = array_module(g.device)
    return wrap_as(g._data.reshape(-1)[xp.asarray(pos).reshape(-1)].reshape(pos.shape), g.dtype)


def _take_backward(ctx, grad):
    return scatter_flat(grad, ctx.args[1], ctx.args[0].shape), None


scatter_flat = differentiable("IndexPutBackward0", _scatter_forward, _scatter_backward)
take_flat = differentiable("TakeBackward0", _take_forward, _take_backward)
