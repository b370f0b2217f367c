"""R torch's activation functions `nnf_*` (R/nnf-activation.R).

Where R torch calls one libtorch op (`torch_leaky_relu`, `torch_elu`, `torch_gelu`, ...) the function here
is one recorded op with libtorch's node name (`LeakyReluBackward0`, `EluBackward0`, `GeluBackward0`, ...):
a NumPy forward and a backward written with tensor ops (so double backward works), side by side. Where
R torch composes ops (`nnf_softsign`, `nnf_tanhshrink`, `nnf_softmin`) this composes the same ops. Dims
are 1-based. The `inplace = TRUE` forms write the result into `input` (recorded as a copy, so the node
reads `CopyBackwards` where libtorch's reads `...Backward1`).

Python differs from R torch where R torch's `nnf_hardswish` is "not yet implemented": here it computes
libtorch's `hardswish`.
"""
import math

import numpy as np

from ..._functions import torch_where
from ..._tensor import Tensor, wrap_as
from ...autograd._grad_mode import STATE
from ...autograd._record import differentiable

__all__ = ["nnf_relu", "nnf_relu_", "nnf_relu6", "nnf_leaky_relu", "nnf_elu", "nnf_elu_", "nnf_selu",
           "nnf_selu_", "nnf_celu", "nnf_celu_", "nnf_gelu", "nnf_silu", "nnf_glu", "nnf_hardtanh",
           "nnf_hardtanh_", "nnf_hardshrink", "nnf_softshrink", "nnf_tanhshrink", "nnf_threshold",
           "nnf_threshold_", "nnf_softplus", "nnf_softsign", "nnf_logsigmoid", "nnf_sigmoid", "nnf_prelu",
           "nnf_rrelu", "nnf_rrelu_", "nnf_softmax", "nnf_softmin", "nnf_log_softmax", "nnf_hardsigmoid",
           "nnf_hardswish", "torch_selu", "torch_selu_", "torch_celu", "torch_celu_", "torch_rrelu_"]

_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def _check(input, kernel):
    if not isinstance(input, Tensor):
        raise TypeError(f"`input` must be a torch_tensor, not {type(input).__name__}")
    if not input.dtype.is_floating_point:
        raise RuntimeError(f'"{kernel}" not implemented for \'{input.dtype.name}\'')


def _erf(x):
    if type(x) is np.ndarray:
        from scipy.special import erf
    else:
        from cupyx.scipy.special import erf
    return erf(x)


def _mask(cond, g):
    """`g` where `cond`, 0 elsewhere (a Bool tensor times g keeps g's dtype)."""
    return g * cond


def _unary(name, kernel, fwd, bwd):
    """One recorded element-wise op: `fwd(x_array, *params)` in the input's dtype, `bwd(x, g, *params)`
    with tensor ops; the params are the positional arguments after `input`."""
    def forward(ctx, input, *params):
        x = input._data
        t = x.dtype.type
        return wrap_as(np.asarray(fwd(x, *(t(p) for p in params)), dtype=x.dtype), input.dtype)

    def backward(ctx, g):
        input, *params = ctx.args
        return (bwd(input, g, *params),) + (None,) * len(params)

    op = differentiable(name, forward, backward, saves=lambda ctx: ctx.args[:1])

    def call(input, *params):
        _check(input, kernel)
        return op(input, *params)
    return call


def _into(input, out, inplace):
    return input.copy_(out) if inplace else out


def _src(input, inplace):
    """What an in-place activation computes from: a copy where autograd records, so the node's saved input
    is not the tensor the result is written into (libtorch's in-place forms save their result instead)."""
    return input.clone() if inplace and input._rg and STATE.enabled else input


# -- the single-op activations --------------------------------------------------------------------

_leaky_relu = _unary(
    "LeakyReluBackward0", "leaky_relu_cpu",
    lambda x, s: np.where(x > 0, x, x * s),
    lambda x, g, s: torch_where(x > 0, g, g * s))


def _elu_fwd(x, alpha, scale, input_scale):
    return np.where(x > 0, x * scale, np.expm1(x * input_scale) * (alpha * scale))


def _elu_bwd(x, g, alpha, scale, input_scale):
    return torch_where(x > 0, g * scale, g * ((x * input_scale).exp() * (alpha * scale * input_scale)))


_elu = _unary("EluBackward0", "elu_cpu", _elu_fwd, _elu_bwd)
_celu = _unary("CeluBackward0", "elu_cpu", _elu_fwd,
               lambda x, g, alpha, scale, input_scale: _elu_bwd(x, g, alpha, scale, 1 / float(np.float32(alpha))))
"""libtorch's CeluBackward0 takes `1 / alpha` with alpha rounded to float (`1.0 / alpha.toFloat()`)."""

_SQRT1_2 = 1 / math.sqrt(2)
_SQRT2_PI = math.sqrt(2 / math.pi)
_INV_SQRT_2PI = 1 / math.sqrt(2 * math.pi)


def _gelu_fwd(x, tanh):
    if tanh:
        return x * 0.5 * (1 + np.tanh((x + x * x * x * 0.044715) * _SQRT2_PI))
    return x * 0.5 * (1 + _erf(x * _SQRT1_2))


def _gelu_bwd(x, g, tanh):
    if tanh:
        inner = (x + x * x * x * 0.044715) * _SQRT2_PI
        t = inner.tanh()
        d = (t + 1) * 0.5 + x * 0.5 * (-t * t + 1) * ((x * x * (3 * 0.044715) + 1) * _SQRT2_PI)
        return g * d
    cdf = ((x * _SQRT1_2).erf() + 1) * 0.5
    pdf = (x * x * -0.5).exp() * _INV_SQRT_2PI
    return g * (cdf + x * pdf)


_gelu = _unary("GeluBackward0", "GeluKernelImpl", _gelu_fwd, _gelu_bwd)


def _silu_fwd(x):
    return x / (1 + np.exp(-x))


def _silu_bwd(x, g):
    s = x.sigmoid()
    return g * s * (x * (-s + 1) + 1)


_silu = _unary("SiluBackward0", "silu_cpu", _silu_fwd, _silu_bwd)

_hardtanh = _unary(
    "HardtanhBackward0", "hardtanh_cpu",
    lambda x, lo, hi: np.minimum(np.maximum(x, lo), hi),
    lambda x, g, lo, hi: _mask((x > lo).logical_and(x < hi), g))

_hardshrink = _unary(
    "HardshrinkBackward0", "hardshrink_cpu",
    lambda x, l: np.where((x > l) | (x < -l), x, 0),
    lambda x, g, l: _mask((x > l).logical_or(x < -l), g))

_softshrink = _unary(
    "SoftshrinkBackward0", "softshrink_check",
    lambda x, l: np.where(x > l, x - l, np.where(x < -l, x + l, 0)),
    lambda x, g, l: _mask((x > l).logical_or(x < -l), g))

_threshold = _unary(
    "ThresholdBackward0", "threshold_cpu",
    lambda x, th, v: np.where(x > th, x, v),
    lambda x, g, th, v: _mask(x > th, g))


def _softplus_fwd(x, beta, threshold):
    bx = x * beta
    with np.errstate(over="ignore"):
        return np.where(bx > threshold, x, np.log1p(np.exp(bx)) / beta)


def _softplus_bwd(x, g, beta, threshold):
    bx = x * beta
    z = bx.exp()
    return torch_where(bx > threshold, g, g * z / (z + 1))


_softplus = _unary("SoftplusBackward0", "softplus_cpu", _softplus_fwd, _softplus_bwd)

_logsigmoid = _unary(
    "LogSigmoidBackward0", "log_sigmoid_cpu",
    lambda x: np.minimum(x, 0) - np.log1p(np.exp(-np.abs(x))),
    lambda x, g: g * (-x).sigmoid())

_ONE_SIXTH_F = float(np.float32(1) / np.float32(6))   # libtorch's backward uses the float 1.0f / 6.0f

_hardsigmoid = _unary(
    "HardsigmoidBackward0", "hardsigmoid_cpu",
    lambda x: np.minimum(np.maximum(x / 6 + 0.5, 0), 1),
    lambda x, g: _mask((x > -3).logical_and(x < 3), g) * _ONE_SIXTH_F)

_hardswish = _unary(
    "HardswishBackward0", "hardswish_cpu",
    lambda x: x * np.minimum(np.maximum(x + 3, 0), 6) / 6,
    lambda x, g: torch_where(x < -3, g * 0, torch_where(x <= 3, g * (x / 3 + 0.5), g)))


# -- the exported functions ----------------------------------------------------------------------

def nnf_relu(input, inplace=False):
    return input.relu_() if inplace else input.relu()


def nnf_relu_(input):
    return nnf_relu(input, inplace=True)


def nnf_hardtanh(input, min_val=-1, max_val=1, inplace=False):
    if not input.dtype.is_floating_point:
        out = input.clamp(min_val, max_val)
    else:
        out = _hardtanh(_src(input, inplace), min_val, max_val)
    return _into(input, out, inplace)


def nnf_hardtanh_(input, min_val=-1, max_val=1):
    return nnf_hardtanh(input, min_val, max_val, inplace=True)


def nnf_relu6(input, inplace=False):
    return nnf_hardtanh(input, 0, 6, inplace)


def nnf_leaky_relu(input, negative_slope=0.01, inplace=False):
    return _into(input, _leaky_relu(_src(input, inplace), negative_slope), inplace)


def nnf_elu(input, alpha=1, inplace=False):
    return _into(input, _elu(_src(input, inplace), alpha, 1, 1), inplace)


def nnf_elu_(input, alpha=1):
    return nnf_elu(input, alpha, inplace=True)


def nnf_selu(input, inplace=False):
    """libtorch's selu is its elu with SELU's alpha and scale (node `EluBackward0`)."""
    return _into(input, _elu(_src(input, inplace), _SELU_ALPHA, _SELU_SCALE, 1), inplace)


def nnf_selu_(input):
    return nnf_selu(input, inplace=True)


def nnf_celu(input, alpha=1, inplace=False):
    """`max(0, x) + min(0, alpha * (exp(x / alpha) - 1))`."""
    if alpha == 0:
        raise RuntimeError("ZeroDivisionError")
    return _into(input, _celu(_src(input, inplace), alpha, 1, 1 / alpha), inplace)


def nnf_celu_(input, alpha=1):
    return nnf_celu(input, alpha, inplace=True)


def nnf_gelu(input, approximate="none"):
    """Exact (erf) GELU, or `approximate = "tanh"`."""
    if approximate not in ("none", "tanh"):
        raise RuntimeError("approximate argument must be either none or tanh.")
    return _gelu(input, approximate == "tanh")


def nnf_silu(input, inplace=False):
    return _into(input, _silu(_src(input, inplace)), inplace)


def nnf_hardshrink(input, lambd=0.5):
    return _hardshrink(input, lambd)


def nnf_softshrink(input, lambd=0.5):
    if lambd < 0:
        raise RuntimeError(f"lambda must be greater or equal to 0, but found to be {lambd}.")
    return _softshrink(input, lambd)


def nnf_tanhshrink(input):
    """`input - tanh(input)`, as R torch composes it."""
    return input - input.tanh()


def nnf_softsign(input):
    """`input / (abs(input) + 1)`, as R torch composes it."""
    return input / (input.abs() + 1)


def nnf_threshold(input, threshold, value, inplace=False):
    """`input` where `input > threshold`, `value` elsewhere."""
    if not input.dtype.is_floating_point:
        return _into(input, input.threshold(threshold, value), inplace)
    return _into(input, _threshold(_src(input, inplace), threshold, value), inplace)


def nnf_threshold_(input, threshold, value):
    return nnf_threshold(input, threshold, value, inplace=True)


def nnf_softplus(input, beta=1, threshold=20):
    """`log(1 + exp(beta x)) / beta`, linear where `beta x > threshold`, as libtorch computes it."""
    return _softplus(input, beta, threshold)


def nnf_logsigmoid(input):
    """`log(sigmoid(x))` computed stably as `min(x, 0) - log1p(exp(-|x|))`."""
    return _logsigmoid(input)


def nnf_sigmoid(input):
    return input.sigmoid()


def nnf_hardsigmoid(input, inplace=False):
    return _into(input, _hardsigmoid(_src(input, inplace)), inplace)


def nnf_hardswish(input, inplace=False):
    """libtorch's hardswish `x * relu6(x + 3) / 6` (R torch's is "not yet implemented")."""
    return _into(input, _hardswish(_src(input, inplace)), inplace)


def _axis(dim, ndim):
    if dim == 0:
        raise IndexError("Dimension out of range (expected to be in range of [-%d, %d], but got 0)\n"
                         "Indexing starts at 1 but found a 0." % (ndim, ndim))
    if not -ndim <= dim <= ndim:
        raise IndexError(f"Dimension out of range (expected to be in range of [-{ndim}, {ndim}], but got {dim})")
    return dim - 1 if dim > 0 else ndim + dim


def _glu_forward(ctx, input, axis):
    a, b = np.split(input._data, 2, axis=axis)
    return wrap_as((a / (1 + np.exp(-b))).astype(input._data.dtype, copy=False), input.dtype)


def _glu_backward(ctx, g):
    input, axis = ctx.args
    a, b = input.chunk(2, dim=axis + 1)
    s = b.sigmoid()
    return (_cat([g * s, g * a * s * (-s + 1)], axis + 1), None)


def _cat(tensors, dim):
    from ..._manipulation import cat
    return cat(tensors, dim=dim)


_glu_op = differentiable("GluBackward0", _glu_forward, _glu_backward, saves=lambda ctx: ctx.args[:1])


def nnf_glu(input, dim=-1):
    """`a * sigmoid(b)` where `a` and `b` are the halves of `input` along `dim` (1-based)."""
    _check(input, "glu_cpu")
    if input.dim() == 0:
        raise RuntimeError("glu does not support scalars because halving size must be even")
    axis = _axis(dim, input.dim())
    if input.shape[axis] % 2:
        raise RuntimeError(f"Halving dimension must be even, but dimension {axis} is size {input.shape[axis]}")
    return _glu_op(input, axis)


def _prelu_shape(input, weight):
    if weight.numel() == 1:
        return ()
    channels = input.shape[1] if input.dim() >= 2 else 1
    if weight.numel() != channels:
        raise RuntimeError("Mismatch of parameter numbers and input channel size. Found parameter numbers = "
                           f"{weight.numel()} and channel size = {channels}.")
    return (channels,) + (1,) * (input.dim() - 2)


def _prelu_forward(ctx, input, weight):
    ctx.wshape = _prelu_shape(input, weight)
    x = input._data
    w = weight._data.reshape(ctx.wshape)
    return wrap_as(np.where(x > 0, x, w * x).astype(x.dtype, copy=False), input.dtype)


def _prelu_backward(ctx, g):
    input, weight = ctx.args
    pos = input > 0
    gx = gw = None
    if input._rg:
        w = weight.reshape(list(ctx.wshape)) if ctx.wshape else weight.reshape([])
        gx = torch_where(pos, g, g * w)
    if weight._rg:
        part = torch_where(pos, g * 0, g * input)
        dims = [d + 1 for d in range(input.dim()) if d != 1] if ctx.wshape else []
        part = part.sum(dim=dims) if dims else part.sum()
        gw = part.reshape(list(weight.shape))
    return gx, gw


_prelu = differentiable("PreluKernelBackward0", _prelu_forward, _prelu_backward, saves=lambda ctx: ctx.args)


def nnf_prelu(input, weight):
    """`max(0, x) + weight * min(0, x)`; `weight` has one element or one per channel (dim 2)."""
    _check(input, "prelu_cpu")
    return _prelu(input, weight)


def _rrelu_forward(ctx, input, lower, upper, training, generator=None):
    from ..._sampling import _engine
    x = input._data
    if training:
        neg = x <= 0
        noise = np.ones_like(x)
        k = int(np.count_nonzero(neg))
        if k:
            r = _engine(generator).uniform64(k) * (upper - lower) + lower
            noise[neg] = r.astype(x.dtype)
        ctx.noise = noise
        return wrap_as(x * noise, input.dtype)
    ctx.noise = None
    slope = x.dtype.type((lower + upper) / 2)
    return wrap_as(np.where(x > 0, x, x * slope), input.dtype)


def _rrelu_backward(ctx, g):
    input, lower, upper = ctx.args[:3]
    rest = (None,) * (len(ctx.args) - 1)
    if ctx.noise is not None:
        return (g * wrap_as(ctx.noise, input.dtype),) + rest
    return (torch_where(input > 0, g, g * ((lower + upper) / 2)),) + rest


_rrelu = differentiable("RreluWithNoiseBackward0", _rrelu_forward, _rrelu_backward, saves=lambda ctx: ctx.args[:1])


def nnf_rrelu(input, lower=1 / 8, upper=1 / 3, training=False, inplace=False):
    """Randomized leaky ReLU: in training each non-positive element is scaled by a draw from
    U(lower, upper) (libtorch's draw, one double per such element in memory order); otherwise by
    `(lower + upper) / 2`."""
    _check(input, "leaky_relu_cpu")
    return _into(input, _rrelu(_src(input, inplace), lower, upper, bool(training)), inplace)


def nnf_rrelu_(input, lower=1 / 8, upper=1 / 3, training=False):
    """As R torch's: calls `nnf_rrelu(input, lower, upper, training = TRUE)`, whatever `training` says and
    without `inplace = TRUE`, so `input` is left as it was."""
    return nnf_rrelu(input, lower, upper, training=True)


def nnf_softmax(input, dim, dtype=None):
    return input.softmax(dim=dim, dtype=dtype)


def nnf_softmin(input, dim, dtype=None):
    """`softmax(-input)`, as R torch composes it."""
    return nnf_softmax(-input, dim, dtype)


def nnf_log_softmax(input, dim=None, dtype=None):
    return input.log_softmax(dim=dim, dtype=dtype)


def torch_selu(self):
    """R torch's `torch_selu(self)`: `nnf_selu(self)`."""
    return nnf_selu(self)


def torch_selu_(self):
    """R torch's `torch_selu_(self)`: selu written into `self` (recorded as a copy: `CopyBackwards`, where
    libtorch's node is `EluBackward1`)."""
    return self.copy_(nnf_selu(self.clone()))


def torch_celu(self, alpha=1):
    """R torch's `torch_celu(self, alpha = 1)`: `nnf_celu(self, alpha)`."""
    return nnf_celu(self, alpha)


def torch_celu_(self, alpha=1):
    """R torch's `torch_celu_(self, alpha = 1)`: celu written into `self` (recorded as a copy)."""
    return self.copy_(nnf_celu(self.clone(), alpha))


def torch_rrelu_(self, lower=1 / 8, upper=1 / 3, training=False, generator=None):
    """R torch's `torch_rrelu_()`, libtorch's in-place rrelu: unlike `nnf_rrelu_()` it honours `training`
    (FALSE: the fixed slope `(lower + upper) / 2`) and writes into `self`; the draws come from `generator`
    (NULL: the default one), one double per non-positive element in memory order."""
    _check(self, "leaky_relu_cpu")
    return self.copy_(_rrelu(self, lower, upper, bool(training), generator))
