"""R torch's activation functions `nnf_*` (R/nnf-activation.R), composed of
the tensor core's recorded operations so that autograd comes free. Dims are 1-based, as in R torch."""
from ..._functions import torch_where

__all__ = ["nnf_relu", "nnf_relu6", "nnf_leaky_relu", "nnf_elu", "nnf_gelu",
           "nnf_silu", "nnf_sigmoid", "nnf_tanh", "nnf_softmax", "nnf_log_softmax", "nnf_softplus",
           "nnf_logsigmoid", "nnf_hardtanh", "nnf_selu", "nnf_mish", "nnf_hardsigmoid", "nnf_hardswish"]


def nnf_relu(input, inplace=False):
    return input.relu_() if inplace else input.relu()


def nnf_relu6(input, inplace=False):
    return nnf_hardtanh(input, 0, 6, inplace)


def nnf_hardtanh(input, min_val=-1, max_val=1, inplace=False):
    return input.clamp_(min_val, max_val) if inplace else input.clamp(min_val, max_val)


def nnf_leaky_relu(input, negative_slope=0.01, inplace=False):
    out = torch_where(input > 0, input, input * negative_slope)
    return input.copy_(out) if inplace else out


def nnf_elu(input, alpha=1, inplace=False):
    out = torch_where(input > 0, input, (input.clamp(max=0).exp() - 1) * alpha)
    return input.copy_(out) if inplace else out


def nnf_selu(input, inplace=False):
    alpha, scale = 1.6732632423543772848170429916717, 1.0507009873554804934193349852946
    return nnf_elu(input, alpha, inplace) * scale


def nnf_gelu(input, approximate="none"):
    """Exact (erf) GELU, or `approximate = "tanh"`."""
    if approximate == "none":
        return input * ((input * (1 / math.sqrt(2))).erf() + 1) * 0.5
    if approximate == "tanh":
        inner = (input + input ** 3 * 0.044715) * math.sqrt(2 / math.pi)
        return input * (inner.tanh() + 1) * 0.5
    raise ValueError(f"approximate argument must be either none or tanh, got {approximate}")


def nnf_silu(input, inplace=False):
    out = input * input.sigmoid()
    return input.copy_(out) if inplace else out


def nnf_mish(input, inplace=False):
    out = input * nnf_softplus(input).tanh()
    return input.copy_(out) if inplace else out


def nnf_hardsigmoid(input, inplace=False):
    out = (input / 6 + 0.5).clamp(0, 1)
    return input.copy_(out) if inplace else out


def nnf_hardswish(input, inplace=False):
    out = input * (input / 6 + 0.5).clamp(0, 1)
    return input.copy_(out) if inplace else out


def nnf_sigmoid(input):
    return input.sigmoid()


def nnf_tanh(input):
    return input.tanh()


def nnf_softplus(input, beta=1, threshold=20):
    """`log(1 + exp(beta x)) / beta`, linear where `beta x > threshold`, as libtorch computes it."""
    bx = input * beta
    soft = (bx.clamp(max=threshold).exp().log1p()) / beta
    return torch_where(bx > threshold, input, soft)


def nnf_logsigmoid(input):
    """`log(sigmoid(x))` computed stably as `min(x, 0) - log1p(exp(-|x|))`."""
    return input.clamp(max=0) - (-input.abs()).exp().log1p()


def nnf_softmax(input, dim, dtype=None):
    if dtype is not None:
        input = input.to(dtype=dtype)
    return input.softmax(dim=dim)


def nnf_log_softmax(input, dim=None, dtype=None):
    if dtype is not None:
        input = input.to(dtype=dtype)
    return input.log_softmax(dim=dim)
