"""R torch's loss functions `nnf_*_loss` (R/nnf-loss.R).

Where libtorch has one kernel (`mse_loss`, `smooth_l1_loss`, `huber_loss`, `nll_loss`, `nll_loss2d`,
`binary_cross_entropy`, `binary_cross_entropy_with_logits`, `soft_margin_loss`) the loss is one recorded
operation with libtorch's node name and its gradient formula; the others are composed of recorded
operations in libtorch's order, so their graphs read as libtorch's.

Class labels are 1-based, as R torch makes them: a 0 is an error ("Indexing starts at 1 but found a
0."), positive labels lose 1 before libtorch sees them, negative ones (the default `ignore_index = -100`)
pass as they are. Out-of-range labels get libtorch's "Target k is out of bounds." with the 0-based `k`
libtorch reports. Python differs from R torch in three additions, keyword arguments with libtorch's
defaults: `beta` of `nnf_smooth_l1_loss`, `log_target` of `nnf_kl_div`, `label_smoothing` of
`nnf_cross_entropy` (R torch's forms have the default behaviour only).
"""
import math
import warnings

import numpy as np

from ..._creation import torch_zeros_like
from ..._dtypes import DTYPES
from ..._functions import torch_where
from ..._tensor import Tensor, wrap, wrap_as
from ...autograd._grad_mode import STATE
from ...autograd._record import differentiable
from ._activation import nnf_log_softmax, nnf_logsigmoid
from ._checks import check_reduction, check_tensor

__all__ = ["nnf_mse_loss", "nnf_l1_loss", "nnf_smooth_l1_loss", "nnf_huber_loss", "nnf_nll_loss",
           "nnf_cross_entropy", "nnf_binary_cross_entropy", "nnf_binary_cross_entropy_with_logits",
           "nnf_kl_div", "nnf_soft_margin_loss", "nnf_hinge_embedding_loss", "nnf_margin_ranking_loss",
           "nnf_multilabel_soft_margin_loss", "nnf_cosine_embedding_loss", "nnf_poisson_nll_loss",
           "nnf_triplet_margin_loss", "nnf_multi_margin_loss", "nnf_multilabel_margin_loss",
           "nnf_triplet_margin_with_distance_loss"]

_LONG = DTYPES["Long"]


def _shape_text(shape):
    return "(" + ",".join(str(s) for s in shape) + ")"


def _reduce_np(loss, reduction):
    if reduction == "mean":
        return np.asarray(loss.mean(dtype=loss.dtype) if loss.size else np.array(np.nan, loss.dtype))
    if reduction == "sum":
        return np.asarray(np.add.reduce(loss, axis=None))
    return loss


def _reduce(loss, reduction):
    """libtorch's apply_loss_reduction on a recorded tensor."""
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    return loss


def _scale(g, reduction, n):
    """The incoming gradient, divided by the element count for "mean"."""
    return g / n if reduction == "mean" else g


# ---- regression losses ------------------------------------------------------------------------

def _mse_forward(ctx, input, target, reduction):
    d = input._data - target._data
    ctx.diff = d
    if reduction == "none":
        return wrap(d * d)
    flat = d.reshape(-1)
    out = np.dot(flat, flat)
    if reduction == "mean":
        out = out / out.dtype.type(flat.size) if flat.size else out.dtype.type(np.nan)
    return wrap(np.asarray(out))


def _mse_backward(ctx, g):
    input, target, reduction = ctx.args
    d = ctx.diff
    if STATE.enabled:
        grad = (input - target) * (_scale(g, reduction, d.size) * 2)
        return (grad if input._rg else None, -grad if target._rg else None, None)
    return tuple(None if a is None else wrap(a) for a in _mse_fast(ctx, g._data))


def _mse_fast(ctx, g):
    input, target, reduction = ctx.args
    d = ctx.diff
    grad = d * (g * d.dtype.type(2 / d.size if reduction == "mean" else 2))
    return (grad if input._rg else None, -grad if target._rg else None, None)


_mse = differentiable("MseLossBackward0", _mse_forward, _mse_backward, saves=lambda ctx: ctx.args[:2],
                      fast=_mse_fast)


def _check_pair(input, target):
    check_tensor(input)
    check_tensor(target, "target")


def _floating(input, kernel):
    """libtorch's error for a loss kernel given an integer or Bool input."""
    if input.dtype.category < 2:
        raise RuntimeError(f'"{kernel}" not implemented for \'{input.dtype.name}\'')


def _size_warning(input, target):
    if target.shape != input.shape:
        warnings.warn(f"Using a target size {_shape_text(target.shape)} that is different to the input size "
                      f"{_shape_text(input.shape)}. This will likely lead to incorrect results due to "
                      "broadcasting. Please ensure they have the same size.", stacklevel=3)


def nnf_mse_loss(input, target, reduction="mean"):
    """Mean squared error; R torch warns when the target's size differs from the input's, then broadcasts."""
    if type(input) is not Tensor or type(target) is not Tensor:
        _check_pair(input, target)
    if input._data.shape != target._data.shape:
        _size_warning(input, target)
    if reduction not in ("mean", "sum", "none"):
        check_reduction(reduction)
    if input.dtype.category < 2:
        _floating(input, "mse_cpu")
    return _mse(input, target, reduction)


def nnf_l1_loss(input, target, reduction="mean"):
    """Mean absolute error: libtorch's composite `abs(input - target)`, then the reduction."""
    _check_pair(input, target)
    return _reduce((input - target).abs(), check_reduction(reduction))


def _smooth_forward(ctx, input, target, reduction, beta):
    d = input._data - target._data
    z = np.abs(d)
    out = np.where(z < beta, 0.5 * d * d / beta, z - 0.5 * beta).astype(d.dtype, copy=False)
    ctx.n = d.size
    return wrap(_reduce_np(out, reduction))


def _smooth_backward(ctx, g):
    input, target, reduction, beta = ctx.args
    d = input - target
    grad = torch_where(d.abs() < beta, d / beta, d.sign()) * _scale(g, reduction, ctx.n)
    return (grad if input._rg else None, -grad if target._rg else None, None, None)


_smooth_l1 = differentiable("SmoothL1LossBackward0", _smooth_forward, _smooth_backward,
                            saves=lambda ctx: ctx.args[:2])


def nnf_smooth_l1_loss(input, target, reduction="mean", beta=1):
    """Squared error below `beta` (halved, divided by `beta`), absolute error minus `beta / 2` above;
    `beta = 0` is the L1 loss, as in libtorch."""
    _check_pair(input, target)
    check_reduction(reduction)
    if beta < 0:
        raise RuntimeError("smooth_l1_loss does not support negative values for beta.")
    _floating(input, "smooth_l1_cpu")
    if beta == 0:
        return nnf_l1_loss(input, target, reduction)
    return _smooth_l1(input, target, reduction, beta)


def _huber_forward(ctx, input, target, reduction, delta):
    d = input._data - target._data
    z = np.abs(d)
    out = np.where(z < delta, 0.5 * d * d, delta * (z - 0.5 * delta)).astype(d.dtype, copy=False)
    ctx.n = d.size
    return wrap(_reduce_np(out, reduction))


def _huber_backward(ctx, g):
    input, target, reduction, delta = ctx.args
    d = input - target
    grad = torch_where(d.abs() < delta, d, d.sign() * delta) * _scale(g, reduction, ctx.n)
    return (grad if input._rg else None, -grad if target._rg else None, None, None)


_huber = differentiable("HuberLossBackward0", _huber_forward, _huber_backward, saves=lambda ctx: ctx.args[:2])


def nnf_huber_loss(input, target, reduction="mean", delta=1):
    """libtorch's Huber loss: `0.5 d^2` below `delta`, `delta (|d| - delta / 2)` above."""
    _check_pair(input, target)
    check_reduction(reduction)
    if delta <= 0:
        raise RuntimeError("huber_loss does not support non-positive values for delta.")
    _floating(input, "huber_cpu")
    return _huber(input, target, reduction, delta)


# ---- classification: nll_loss and cross_entropy ---------------------------------------------------

def _index_target(target):
    """R torch's to_index_tensor: no zeros; positive labels lose 1; then libtorch's Long check."""
    t = target._data
    if t.size and not np.all(t):
        raise RuntimeError("Indexing starts at 1 but found a 0.")
    if target.dtype is not _LONG:
        raise RuntimeError(f"expected scalar type Long but found {target.dtype.name}")
    return np.where(t > 0, t - 1, t)


def _index_ignore(ignore_index):
    if ignore_index is None:
        return -100
    if ignore_index == 0:
        raise ValueError("`ignore_index` is a 1 based class index, so it cannot be 0. Use a negative value "
                         "(e.g. the default -100) for a target value that never occurs.")
    return ignore_index - 1 if ignore_index >= 1 else ignore_index


def _nll_forward(ctx, input, weight, t0, ignore, reduction):
    """`input` is (C), (N, C) or (N, C, H, W); `t0` the 0-based targets of the matching shape."""
    x = input._data
    n_classes = x.shape[0] if x.ndim == 1 else x.shape[1]
    valid = t0 != ignore
    bad = valid & ((t0 < 0) | (t0 >= n_classes))
    if bad.any():
        raise IndexError(f"Target {int(t0[bad].reshape(-1)[0])} is out of bounds.")
    safe = np.where(valid, t0, 0)
    xc = np.moveaxis(x, 1, -1) if x.ndim > 1 else x
    picked = np.take_along_axis(xc, safe[..., None], axis=-1)[..., 0] if x.ndim > 1 else x[safe]
    w = np.ones(n_classes, x.dtype) if weight is None else weight._data.astype(x.dtype, copy=False)
    wt = np.where(valid, w[safe], 0).astype(x.dtype, copy=False)
    loss = -picked * wt
    if reduction == "mean":
        denom = wt.sum()
        with np.errstate(invalid="ignore", divide="ignore"):
            coef = np.where(valid, -wt / denom, 0)
            out = np.asarray(loss.sum() / denom)
    elif reduction == "sum":
        coef = -wt
        out = np.asarray(loss.sum())
    else:
        coef = -wt
        out = loss
    ctx.coef, ctx.safe = coef.astype(x.dtype, copy=False), safe
    return wrap_as(out.astype(x.dtype, copy=False), input.dtype)


def _nll_backward(ctx, g):
    input, reduction = ctx.args[0], ctx.args[4]
    x = input._data
    m = np.zeros_like(x)
    if x.ndim == 1:
        m[ctx.safe] = ctx.coef
        return (g * wrap_as(m, input.dtype),) + (None,) * 4
    mc = np.moveaxis(m, 1, -1)
    np.put_along_axis(mc, ctx.safe[..., None], ctx.coef[..., None], axis=-1)
    if reduction == "none":
        g = g.unsqueeze(2)
    return (g * wrap_as(m, input.dtype),) + (None,) * 4


_nll = differentiable("NllLossBackward0", _nll_forward, _nll_backward)
_nll2d = differentiable("NllLoss2DBackward0", _nll_forward, _nll_backward)


def _sizes(shape):
    return "[" + ", ".join(str(s) for s in shape) + "]"


def _check_nll_shapes(input, target):
    """libtorch's checks of nll_loss_nd, then of nll_loss / nll_loss2d."""
    nd = input.dim()
    if nd < 1:
        raise ValueError(f"Expected 1 or more dimensions (got {nd})")
    if nd != 1 and target.dim() and input.shape[0] != target.shape[0]:
        raise ValueError(f"Expected input batch_size ({input.shape[0]}) to match target batch_size "
                         f"({target.shape[0]}).")
    if nd <= 2:
        if target.dim() > 1:
            raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
        if not (nd == 1 and target.dim() == 0) and input.shape[0] != (target.shape[0] if target.dim() else 1):
            raise RuntimeError(f"size mismatch (got input: {_sizes(input.shape)}, target: {_sizes(target.shape)})")
    elif target.dim() != nd - 1 or tuple(input.shape[2:]) != tuple(target.shape[1:]):
        raise RuntimeError(f"size mismatch (got input: {_sizes(input.shape)}, target: {_sizes(target.shape)})")


def _nll_nd(input, target, weight, reduction, ignore):
    """libtorch's nll_loss_nd: 1-2 dims `nll_loss`, 4 dims `nll_loss2d`, other shapes viewed as 4 dims."""
    _check_nll_shapes(input, target)
    t0 = _index_target(target)
    _floating(input, "nll_loss_out_frame" if input.dim() <= 2 else "nll_loss2d_forward_out_frame")
    if weight is not None:
        n_classes = input.shape[0] if input.dim() == 1 else input.shape[1]
        if weight.dim() != 1 or weight.shape[0] != n_classes:
            raise RuntimeError(f"weight tensor should be defined either for all {n_classes} classes or no "
                               f"classes but got weight tensor of shape: {_shape_text(weight.shape)}")
    nd = input.dim()
    if nd <= 2:
        return _nll(input, weight, t0, ignore, reduction)
    if nd == 4:
        return _nll2d(input, weight, t0, ignore, reduction)
    n, c = input.shape[:2]
    out = _nll2d(input.reshape(n, c, 1, -1), weight, t0.reshape(n, 1, -1), ignore, reduction)
    return out.view(n, *input.shape[2:]) if reduction == "none" else out


def nnf_nll_loss(input, target, weight=None, ignore_index=-100, reduction="mean"):
    """Negative log likelihood of 1-based Long class labels; `input` (N, C), (C) or (N, C, d1, ...)."""
    _check_pair(input, target)
    return _nll_nd(input, target, weight, check_reduction(reduction), _index_ignore(ignore_index))


def _class_dim(input):
    return 1 if input.dim() == 1 else 2


def _cross_entropy_probs(logp, target, weight, reduction, label_smoothing):
    cdim = _class_dim(logp)
    n_classes = logp.shape[cdim - 1]
    if label_smoothing > 0:
        target = target * (1 - label_smoothing) + label_smoothing / n_classes
    if weight is not None:
        shape = [1] * logp.dim()
        shape[cdim - 1] = n_classes
        prod = logp * target * weight.view(*shape)
    else:
        prod = logp * target
    if reduction == "mean":
        return -prod.sum() / (logp.numel() / n_classes) if logp.numel() else -prod.sum() / 0.0
    if reduction == "sum":
        return -prod.sum()
    return -prod.sum(dim=cdim)


def _cross_entropy_smoothing(logp, target, weight, reduction, ignore, label_smoothing):
    cdim = _class_dim(logp)
    n_classes = logp.shape[cdim - 1]
    nll = _nll_nd(logp, target, weight, reduction, ignore)
    t0 = _index_target(target)
    ignore_mask = wrap(t0 == ignore)
    if weight is not None:
        shape = [1] * logp.dim()
        shape[cdim - 1] = n_classes
        smooth = -(logp * weight.view(*shape)).sum(dim=cdim)
    else:
        smooth = -logp.sum(dim=cdim)
    smooth = smooth.masked_fill(ignore_mask, 0.0)
    if reduction == "mean":
        keep = t0[t0 != ignore]
        if weight is not None:
            denom = float(weight._data[keep].sum())
        else:
            denom = float(keep.size)
        ret = smooth.sum() / denom
    elif reduction == "sum":
        ret = smooth.sum()
    else:
        ret = smooth
    return nll * (1 - label_smoothing) + ret * (label_smoothing / n_classes)


def nnf_cross_entropy(input, target, weight=None, ignore_index=-100, reduction="mean", label_smoothing=0.0):
    """`log_softmax` over the class dim (2, or 1 for a vector) then `nll_loss`, as libtorch's
    cross_entropy_loss. A floating target of the input's shape holds class probabilities (libtorch's
    second form; R torch would shift those by 1 as labels)."""
    _check_pair(input, target)
    check_reduction(reduction)
    if not 0.0 <= label_smoothing <= 1.0:
        raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing}")
    if input.dim() == 0:
        raise ValueError("Expected 1 or more dimensions (got 0)")
    logp = nnf_log_softmax(input, dim=_class_dim(input))
    if target.dtype.category >= 2 and target.shape == input.shape:
        return _cross_entropy_probs(logp, target, weight, reduction, label_smoothing)
    ignore = _index_ignore(ignore_index)
    if label_smoothing > 0:
        return _cross_entropy_smoothing(logp, target, weight, reduction, ignore, label_smoothing)
    return _nll_nd(logp, target, weight, reduction, ignore)


# ---- binary losses --------------------------------------------------------------------------------

def _bce_forward(ctx, input, target, weight, reduction):
    x, y = input._data, target._data
    if x.size and (x.min() < 0 or x.max() > 1):
        raise RuntimeError("all elements of input should be between 0 and 1")
    with np.errstate(divide="ignore", invalid="ignore"):
        loss = (y - 1) * np.maximum(np.log1p(-x), -100) - y * np.maximum(np.log(x), -100)
    if weight is not None:
        loss = loss * weight._data
    return wrap_as(_reduce_np(loss.astype(x.dtype, copy=False), reduction), input.dtype)


def _bce_backward(ctx, g):
    input, target, weight, reduction = ctx.args
    gs = _scale(g, reduction, input.numel())
    gi = gt = None
    if input._rg:
        gi = gs * (input - target) / ((1 - input) * input).clamp(min=1e-12)
        if weight is not None:
            gi = gi * weight
    if target._rg:
        gt = gs * ((1 - input).log().clamp(min=-100) - input.log().clamp(min=-100))
        if weight is not None:
            gt = gt * weight
    return gi, gt, None, None


_bce = differentiable("BinaryCrossEntropyBackward0", _bce_forward, _bce_backward,
                      saves=lambda ctx: ctx.args[:2])


def nnf_binary_cross_entropy(input, target, weight=None, reduction="mean"):
    """`-(y log x + (1 - y) log(1 - x))`, logs clamped at -100 as libtorch; `weight` rescales elements."""
    _check_pair(input, target)
    check_reduction(reduction)
    if target.shape != input.shape:
        raise ValueError(f"Using a target size {_shape_text(target.shape)} that is different to the input size "
                         f"{_shape_text(input.shape)} is deprecated. Please ensure they have the same size.")
    _floating(input, "binary_cross_entropy")
    return _bce(input, target, weight, reduction)


def _log_sigmoid_np(x):
    return np.minimum(x, 0) - np.log1p(np.exp(-np.abs(x)))


def _bcel_forward(ctx, input, target, weight, pos_weight, reduction):
    x, y = input._data, target._data
    ls = _log_sigmoid_np(x)
    if pos_weight is not None:
        ls = ls * ((pos_weight._data - 1) * y + 1)
    loss = (1 - y) * x - ls
    if weight is not None:
        loss = loss * weight._data
    return wrap_as(_reduce_np(loss.astype(x.dtype, copy=False), reduction), input.dtype)


def _bcel_backward(ctx, g):
    input, target, weight, pos_weight, reduction = ctx.args
    gs = _scale(g, reduction, input.numel())
    gi = gt = None
    if input._rg:
        if pos_weight is not None:
            t = pos_weight * target
            gi = (t + 1 - target) * input.sigmoid() - t
        else:
            gi = input.sigmoid() - target
        gi = gi * gs
        if weight is not None:
            gi = gi * weight
    if target._rg:
        if pos_weight is not None:
            gt = nnf_logsigmoid(-input) - nnf_logsigmoid(input) * pos_weight
        else:
            gt = -input
        gt = gt * gs
        if weight is not None:
            gt = gt * weight
    return gi, gt, None, None, None


_bce_logits = differentiable("BinaryCrossEntropyWithLogitsBackward0", _bcel_forward, _bcel_backward,
                             saves=lambda ctx: ctx.args[:2])


def nnf_binary_cross_entropy_with_logits(input, target, weight=None, reduction="mean", pos_weight=None):
    """Binary cross entropy of `sigmoid(input)`, computed stably from the logits; `pos_weight` weighs
    the positive term (one value per class, broadcast over the last dim)."""
    _check_pair(input, target)
    check_reduction(reduction)
    if target.shape != input.shape:
        raise ValueError(f"Target size {_shape_text(target.shape)} must be the same as input size "
                         f"{_shape_text(input.shape)}")
    return _bce_logits(input, target, weight, pos_weight, reduction)


def _soft_margin_forward(ctx, input, target, reduction):
    loss = np.log1p(np.exp(-input._data * target._data))
    return wrap_as(_reduce_np(loss.astype(input._data.dtype, copy=False), reduction), input.dtype)


def _soft_margin_backward(ctx, g):
    input, target, reduction = ctx.args
    gs = _scale(g, reduction, input.numel())
    return (-(target * (-(input * target)).sigmoid()) * gs, None, None)


_soft_margin = differentiable("SoftMarginLossBackward0", _soft_margin_forward, _soft_margin_backward,
                              saves=lambda ctx: ctx.args[:2])


def nnf_soft_margin_loss(input, target, reduction="mean"):
    """Two-class logistic loss `log(1 + exp(-y x))` with targets 1 or -1."""
    _check_pair(input, target)
    check_reduction(reduction)
    if target._rg and STATE.enabled:
        raise RuntimeError("The function 'soft_margin_loss' is not differentiable with respect to argument "
                           "'target'. This input cannot have requires_grad True.")
    return _soft_margin(input, target, reduction)


# ---- divergences and embedding losses (composed, in libtorch's order) ---------------------------

def nnf_kl_div(input, target, reduction="mean", log_target=False):
    """`target (log target - input)` summed/averaged; `input` holds log-probabilities. "batchmean"
    divides the sum by the batch size; "mean" warns as R torch does."""
    _check_pair(input, target)
    if reduction == "mean":
        warnings.warn("reduction: 'mean' divides the total loss by both the batch size and the support size."
                      "'batchmean' divides only by the batch size, and aligns with the KL div math definition."
                      "'mean' will be changed to behave the same as 'batchmean' in the next major release.",
                      stacklevel=2)
    if reduction != "batchmean":
        check_reduction(reduction)
    if log_target:
        out = target.exp() * (target - input)
    else:
        out = target * target.masked_fill(target == 0, 1).log() - target * input
    if reduction == "batchmean":
        return out.sum() / input.shape[0] if input.dim() else out.sum()
    return _reduce(out, reduction)


def nnf_hinge_embedding_loss(input, target, margin=1, reduction="mean"):
    """`x` where the target is 1, `max(0, margin - x)` where it is -1."""
    _check_pair(input, target)
    check_reduction(reduction)
    zeros = torch_zeros_like(input)
    margin_clamp = (margin - input).clamp(min=0)
    out = torch_where(target != 1, margin_clamp, zeros) + torch_where(target != -1, input, zeros)
    return _reduce(out, reduction)


def nnf_margin_ranking_loss(input1, input2, target, margin=0, reduction="mean"):
    """`max(0, -y (x1 - x2) + margin)`."""
    _check_pair(input1, input2)
    check_reduction(reduction)
    return _reduce((-target * (input1 - input2) + margin).clamp(min=0), reduction)


def nnf_multilabel_soft_margin_loss(input, target, weight=None, reduction="mean"):
    """R torch's composition: per-class logistic loss, averaged over the class dim (the last)."""
    _check_pair(input, target)
    check_reduction(reduction)
    loss = -(target * nnf_logsigmoid(input) + (1 - target) * nnf_logsigmoid(-input))
    if weight is not None:
        loss = loss * weight
    class_dim = input.dim()
    loss = loss.sum(dim=class_dim) / input.shape[class_dim - 1]
    return _reduce(loss, reduction)


def nnf_cosine_embedding_loss(input1, input2, target, margin=0, reduction="mean"):
    """`1 - cos(x1, x2)` where the target is 1, `max(0, cos(x1, x2) - margin)` where it is -1."""
    _check_pair(input1, input2)
    check_reduction(reduction)
    dim = input1.dim()
    eps = 1e-12
    prod_sum = (input1 * input2).sum(dim=dim)
    mag1 = (input1 * input1).sum(dim=dim) + eps
    mag2 = (input2 * input2).sum(dim=dim) + eps
    cos = prod_sum / (mag1 * mag2).sqrt()
    zeros = torch_zeros_like(cos)
    out = torch_where(target == 1, 1 - cos, zeros) + torch_where(target == -1, (cos - margin).clamp(min=0), zeros)
    return _reduce(out, reduction)


def nnf_poisson_nll_loss(input, target, log_input=True, full=False, eps=1e-8, reduction="mean"):
    """`exp(x) - y x` (or `x - y log(x + eps)`), plus Stirling's term for `y > 1` when `full`."""
    _check_pair(input, target)
    check_reduction(reduction)
    loss = input.exp() - target * input if log_input else input - target * (input + eps).log()
    if full:
        stirling = target * target.log() - target + (target * (2 * math.pi)).log() * 0.5
        loss = loss + stirling.masked_fill(target <= 1, 0)
    return _reduce(loss, reduction)


def _pairwise_distance(x1, x2, p, eps):
    return (x1 - x2 + eps).norm(p=p, dim=-1)


def nnf_triplet_margin_loss(anchor, positive, negative, margin=1, p=2, eps=1e-6, swap=False,
                            reduction="mean"):
    """`max(d(a, p) - d(a, n) + margin, 0)` with libtorch's pairwise distance `||x1 - x2 + eps||_p`."""
    check_tensor(anchor, "anchor")
    check_reduction(reduction)
    d_pos = _pairwise_distance(anchor, positive, p, eps)
    d_neg = _pairwise_distance(anchor, negative, p, eps)
    if swap:
        d_neg = d_neg.minimum(_pairwise_distance(positive, negative, p, eps))
    return _reduce((d_pos - d_neg + margin).clamp(min=0), reduction)



def nnf_triplet_margin_with_distance_loss(anchor, positive, negative, distance_function=None, margin=1.0,
                                          swap=False, reduction="mean"):
    """The triplet loss with any `distance_function(x1, x2)`; without one, libtorch's pairwise distance
    (p = 2, eps = 1e-6), as R torch's `nnf_pairwise_distance` default."""
    check_reduction(reduction)
    if distance_function is None:
        def distance_function(x1, x2):
            return _pairwise_distance(x1, x2, 2, 1e-6)
    positive_dist = distance_function(anchor, positive)
    negative_dist = distance_function(anchor, negative)
    if swap:
        negative_dist = negative_dist.minimum(distance_function(positive, negative))
    return _reduce((positive_dist - negative_dist + margin).clamp(min=0.0), reduction)

# ---- margin losses over classes (libtorch kernels) -------------------------------------------------

def _as_matrix(input, name):
    if input.dim() > 2 or input.numel() == 0 and input.dim() != 2:
        raise RuntimeError(f"Expected non-empty vector or matrix with optional 0-dim batch size, but got: "
                           f"{_sizes(input.shape)}")
    return input._data.reshape(1, -1) if input.dim() <= 1 else input._data


def _margin_result(loss, reduction, input):
    if reduction == "none":
        out = loss if input.dim() == 2 else loss.reshape(())
    else:
        out = _reduce_np(loss, reduction)
    return wrap_as(np.asarray(out).astype(input._data.dtype, copy=False), input.dtype)


def _margin_grad(ctx, g, reduction, input):
    coef = ctx.coef
    if reduction == "mean":
        coef = coef / coef.shape[0]
    gd = g._data
    if reduction == "none" and gd.ndim:
        gd = gd.reshape(-1, 1)
    return wrap_as((coef * gd).reshape(input.shape).astype(input._data.dtype, copy=False), input.dtype)


def _multi_margin_forward(ctx, input, t0, p, margin, weight, reduction):
    x = _as_matrix(input, "input").astype(np.float64)
    n, c = x.shape
    t0 = t0.reshape(-1)
    if t0.size != n:
        raise RuntimeError(f"inconsistent target size, expected {n} but got {_sizes(t0.shape)}")
    if t0.size and (t0.min() < 0 or t0.max() >= c):
        raise RuntimeError("target out of range")
    rows = np.arange(n)
    z = margin - x[rows, t0][:, None] + x
    z[rows, t0] = 0
    active = z > 0
    h = np.where(active, z if p == 1 else z * z, 0)
    dh = np.where(active, 1.0 if p == 1 else 2 * z, 0)
    if weight is not None:
        wy = weight._data.astype(np.float64)[t0][:, None]
        h, dh = h * wy, dh * wy
    coef = dh / c
    coef[rows, t0] = -coef.sum(axis=1)
    ctx.coef = coef
    return _margin_result(h.sum(axis=1) / c, reduction, input)


def _multi_margin_backward(ctx, g):
    input, t0, p, margin, weight, reduction = ctx.args
    if p == 2 and STATE.enabled:
        raise RuntimeError("rtorch: double backward of nnf_multi_margin_loss with p = 2 is not supported")
    return (_margin_grad(ctx, g, reduction, input),) + (None,) * 5


_multi_margin = differentiable("MultiMarginLossBackward0", _multi_margin_forward, _multi_margin_backward,
                               saves=lambda ctx: ctx.args[:1])


def nnf_multi_margin_loss(input, target, p=1, margin=1, weight=None, reduction="mean"):
    """Multi-class hinge loss: per sample, `sum_{j != y} max(0, margin - x[y] + x[j])^p / C` (times
    `weight[y]`), with 1-based Long labels `y`."""
    _check_pair(input, target)
    check_reduction(reduction)
    if p not in (1, 2):
        raise RuntimeError("only p == 1 and p == 2 supported")
    t0 = _index_target(target)
    if weight is not None and weight.numel() != (input.shape[-1] if input.dim() else 1):
        raise RuntimeError("inconsistent weight size, expected " f"{input.shape[-1]} but got {_sizes(weight.shape)}")
    return _multi_margin(input, t0, p, margin, weight, reduction)


def _multilabel_forward(ctx, input, t0, reduction):
    x = _as_matrix(input, "input").astype(np.float64)
    n, c = x.shape
    t = t0.reshape(n, c)
    if t.size and (t.min() < -1 or t.max() >= c):
        raise RuntimeError("target out of range")
    coef = np.zeros((n, c))
    loss = np.zeros(n)
    for i in range(n):
        row = t[i]
        stop = np.nonzero(row < 0)[0]
        targets = row[:stop[0]] if stop.size else row
        is_target = np.zeros(c, bool)
        is_target[targets] = True
        others = ~is_target
        for j in targets:
            z = 1 - (x[i, j] - x[i, others])
            active = z > 0
            loss[i] += z[active].sum()
            coef[i, j] -= active.sum()
            coef[i, others] += active
    ctx.coef = coef / c
    return _margin_result(loss / c, reduction, input)


def _multilabel_backward(ctx, g):
    input, t0, reduction = ctx.args
    return _margin_grad(ctx, g, reduction, input), None, None


_multilabel_margin = differentiable("MultilabelMarginLossBackward0", _multilabel_forward, _multilabel_backward,
                                    saves=lambda ctx: ctx.args[:1])


def nnf_multilabel_margin_loss(input, target, reduction="mean"):
    """Multi-label hinge loss: `target` lists each sample's 1-based classes, ended by the first -1;
    per sample `sum_{j in targets, k not in targets} max(0, 1 - (x[j] - x[k])) / C`."""
    _check_pair(input, target)
    check_reduction(reduction)
    t0 = _index_target(target)
    if t0.shape != tuple(input.shape):
        raise RuntimeError(f"inconsistent target size: {_sizes(target.shape)} for input of size: "
                           f"{_sizes(input.shape)}")
    return _multilabel_margin(input, t0, reduction)
