"""R torch's `nnf_linear` and `nnf_bilinear` (R/nnf-linear.R).

`nnf_linear` of a matrix with a bias is libtorch's `addmm(bias, input, t(weight))`: one node,
`AddmmBackward0`, whose forward is one matrix product; other shapes compose `matmul` and `+`."""
import math

import numpy as np

from ..._tensor import wrap_as
from ...autograd._record import differentiable
from ._checks import check_tensor

__all__ = ["nnf_linear", "nnf_bilinear"]


def _addmm_forward(ctx, bias, input, weight_t):
    return wrap_as(input._data @ weight_t._data + bias._data, input.dtype)


def _addmm_backward(ctx, g):
    bias, input, weight_t = ctx.args
    return (g if bias._rg else None,
            g.mm(weight_t.t()) if input._rg else None,
            input.t().mm(g) if weight_t._rg else None)


def _addmm_fast(ctx, g):
    bias, input, weight_t = ctx.args
    return (np.add.reduce(g, axis=0) if bias._rg else None,
            g.dot(weight_t._data.T) if input._rg else None,
            input._data.T.dot(g) if weight_t._rg else None)


_addmm = differentiable("AddmmBackward0", _addmm_forward, _addmm_backward, saves=lambda ctx: ctx.args[1:],
                        fast=_addmm_fast)


def _shape_error(input, weight):
    rows = math.prod(input.shape[:-1]) if input.dim() > 1 else 1
    cols = input.shape[-1] if input.dim() else 1
    return RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({rows}x{cols} and "
                        f"{weight.shape[1]}x{weight.shape[0]})")


def nnf_linear(input, weight, bias=None):
    """`input %*% t(weight) + bias`; libtorch's shape error when the last dim is not `in_features`."""
    check_tensor(input)
    if input.dim() == 0 or input.shape[-1] != weight.shape[-1]:
        raise _shape_error(input, weight)
    if (bias is not None and input.dim() == 2 and bias.dim() == 1 and input.dtype is weight.dtype is bias.dtype
            and (type(input._data) is type(weight._data) is type(bias._data) is np.ndarray
                 or input.device == weight.device == bias.device)):
        return _addmm(bias, input, weight.t())
    out = input.matmul(weight.t())
    return out if bias is None else out + bias


def nnf_bilinear(input1, input2, weight, bias=None):
    """`y[..., o] = sum_ij x1[..., i] W[o, i, j] x2[..., j] + b[o]`."""
    lead = input1.shape[:-1]
    x1 = input1.reshape(-1, input1.shape[-1])
    x2 = input2.reshape(-1, input2.shape[-1])
    out_f, in1, in2 = weight.shape
    tmp = x1.matmul(weight.permute(2, 1, 3).reshape(in1, out_f * in2)).reshape(-1, out_f, in2)
    out = (tmp * x2.unsqueeze(2)).sum(dim=3)
    if bias is not None:
        out = out + bias
    return out.reshape(*lead, out_f)
