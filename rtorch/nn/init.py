"""R torch's `nn_init_*` (R/nn-init.R): fill a tensor in place under no_grad, drawing from the seeded
generator with the bounds and order libtorch's / PyTorch's `torch.nn.init` use, so the same seed gives
the same weights."""
import math
import warnings

import numpy as np

from ..autograd import with_no_grad

__all__ = ["nn_init_calculate_gain", "nn_init_uniform_", "nn_init_normal_", "nn_init_constant_",
           "nn_init_ones_", "nn_init_zeros_", "nn_init_eye_", "nn_init_xavier_uniform_", "nn_init_xavier_normal_",
           "nn_init_kaiming_uniform_", "nn_init_kaiming_normal_", "nn_init_orthogonal_",
           "nn_init_trunc_normal_", "nn_init_dirac_", "nn_init_sparse_"]

_GAINS = {"linear": 1.0, "conv1d": 1.0, "conv2d": 1.0, "conv3d": 1.0, "conv_transpose1d": 1.0,
          "conv_transpose2d": 1.0, "conv_transpose3d": 1.0, "sigmoid": 1.0, "tanh": 5.0 / 3,
          "relu": math.sqrt(2.0)}


def nn_init_calculate_gain(nonlinearity, param=None):
    """The recommended gain for a nonlinearity (`leaky_relu` takes its negative slope, default 0.01).
    As in R torch, "selu" is unsupported (PyTorch's gives 3/4)."""
    if nonlinearity == "leaky_relu":
        slope = 0.01 if param is None else float(param)
        return math.sqrt(2.0 / (1 + slope ** 2))
    if nonlinearity not in _GAINS:
        raise NotImplementedError(f"Unsupported nonlinearity: {nonlinearity}")
    return _GAINS[nonlinearity]


def nn_init_calculate_fan_in_and_fan_out(tensor):
    """(fan_in, fan_out): dims 2 and 1 times the receptive field (the product of the remaining dims).
    Internal in R torch (`torch:::nn_init_calculate_fan_in_and_fan_out`), as here: not exported."""
    if tensor.dim() < 2:
        raise ValueError("Fan in and fan out can not be computed for tensor with fewer than 2 dimensions")
    receptive = 1
    for s in tensor.shape[2:]:
        receptive *= s
    return tensor.shape[1] * receptive, tensor.shape[0] * receptive


def _fan(tensor, mode):
    mode = mode.lower()
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"Mode {mode} not supported, please use one of fan_in, fan_out")
    fan_in, fan_out = nn_init_calculate_fan_in_and_fan_out(tensor)
    return fan_in if mode == "fan_in" else fan_out


def nn_init_uniform_(tensor, a=0, b=1):
    with with_no_grad():
        return tensor.uniform_(a, b)


def nn_init_normal_(tensor, mean=0, std=1):
    with with_no_grad():
        return tensor.normal_(mean, std)


def nn_init_constant_(tensor, val):
    with with_no_grad():
        return tensor.fill_(val)


def nn_init_ones_(tensor):
    return nn_init_constant_(tensor, 1)


def nn_init_zeros_(tensor):
    with with_no_grad():
        return tensor.zero_()


def nn_init_eye_(tensor):
    from .._creation import torch_eye
    if tensor.dim() != 2:
        raise ValueError("Only tensors with 2 dimensions are supported")
    with with_no_grad():
        tensor.copy_(torch_eye(*tensor.shape, dtype=tensor.dtype))
    return tensor


def nn_init_xavier_uniform_(tensor, gain=1):
    fan_in, fan_out = nn_init_calculate_fan_in_and_fan_out(tensor)
    bound = math.sqrt(3.0) * gain * math.sqrt(2.0 / (fan_in + fan_out))
    return nn_init_uniform_(tensor, -bound, bound)


def nn_init_xavier_normal_(tensor, gain=1):
    fan_in, fan_out = nn_init_calculate_fan_in_and_fan_out(tensor)
    return nn_init_normal_(tensor, 0, gain * math.sqrt(2.0 / (fan_in + fan_out)))


def nn_init_kaiming_uniform_(tensor, a=0, mode="fan_in", nonlinearity="leaky_relu"):
    """A zero-element tensor is left as it is, with PyTorch's warning (its fan is 0)."""
    if tensor.numel() == 0:
        warnings.warn("Initializing zero-element tensors is a no-op", stacklevel=2)
        return tensor
    std = nn_init_calculate_gain(nonlinearity, a) / math.sqrt(_fan(tensor, mode))
    bound = math.sqrt(3.0) * std
    return nn_init_uniform_(tensor, -bound, bound)


def nn_init_kaiming_normal_(tensor, a=0, mode="fan_in", nonlinearity="leaky_relu"):
    std = nn_init_calculate_gain(nonlinearity, a) / math.sqrt(_fan(tensor, mode))
    return nn_init_normal_(tensor, 0, std)


def nn_init_trunc_normal_(tensor, mean=0, std=1, a=-2, b=2):
    """Uniform on [2l-1, 2u-1] through erfinv, as R torch and PyTorch draw it."""
    def cdf(x):
        return (1.0 + math.erf(x / math.sqrt(2.0))) / 2.0
    lo, hi = cdf((a - mean) / std), cdf((b - mean) / std)
    with with_no_grad():
        tensor.uniform_(2 * lo - 1, 2 * hi - 1)
        tensor.erfinv_()
        tensor.mul_(std * math.sqrt(2.0))
        tensor.add_(mean)
        tensor.clamp_(min=a, max=b)
    return tensor


def nn_init_orthogonal_(tensor, gain=1):
    """A (semi-)orthogonal matrix from the QR of a standard normal draw, signs fixed by diag(R). As
    R torch, the draw is `torch_randn(rows, cols)` in the default dtype (PyTorch draws in the
    tensor's dtype: the same numbers for Float tensors, other ones for Double)."""
    from .._sampling import torch_randn
    from .._linalg import linalg_qr
    if tensor.dim() < 2:
        raise ValueError("Only tensors with 2 or more dimensions are supported")
    if tensor.numel() == 0:
        return tensor
    rows = tensor.shape[0]
    cols = tensor.numel() // rows
    with with_no_grad():
        flat = torch_randn(rows, cols)
        if rows < cols:
            flat = flat.t()
        q, r = linalg_qr(flat)
        q = q * r.diagonal().sign()
        if rows < cols:
            q = q.t()
        tensor.view_as(q).copy_(q)
        tensor.mul_(gain)
    return tensor


def nn_init_dirac_(tensor, groups=1):
    """Dirac delta per group: `tensor[g*k + d, d, centre...] = 1` for a 3-5 dim tensor (libtorch's
    `dirac_`; R torch exports `nn_init_dirac_` but raises "not implemented")."""
    dims = tensor.dim()
    if dims not in (3, 4, 5):
        raise ValueError("Only tensors with 3, 4, or 5 dimensions are supported")
    sizes = tensor.shape
    if sizes[0] % groups != 0:
        raise ValueError("dim 0 must be divisible by groups")
    per = sizes[0] // groups
    mask = np.zeros(tuple(sizes), dtype=bool)
    centre = tuple(s // 2 for s in sizes[2:])
    for g in range(groups):
        for d in range(min(per, sizes[1])):
            mask[(g * per + d, d) + centre] = True
    with with_no_grad():
        tensor.zero_()
        tensor.masked_fill_(_bool_tensor(mask, tensor), 1)
    return tensor


def nn_init_sparse_(tensor, sparsity, std=0.01):
    """Normal(0, std) with `ceiling(sparsity * rows)` zeros per column, the rows picked by one
    `torch_randperm(rows)` per column after the normal draw (libtorch's `sparse_`; R torch exports
    `nn_init_sparse_` but raises "not implemented")."""
    from .._sampling import torch_randperm
    if tensor.dim() != 2:
        raise ValueError("Only tensors with 2 dimensions are supported")
    rows, cols = tensor.shape
    num_zeros = int(math.ceil(sparsity * rows))
    mask = np.zeros((rows, cols), dtype=bool)
    with with_no_grad():
        tensor.normal_(0, std)
        for col in range(cols):
            idx = np.asarray(torch_randperm(rows)._data)[:num_zeros]
            mask[idx, col] = True
        tensor.masked_fill_(_bool_tensor(mask, tensor), 0)
    return tensor


def _bool_tensor(mask, like):
    from .._creation import torch_tensor
    return torch_tensor(mask, device=like.device)
