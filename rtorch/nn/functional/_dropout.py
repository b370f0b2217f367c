"""R torch's `nnf_dropout`, `nnf_dropout2d`, `nnf_dropout3d`, `nnf_alpha_dropout` (R/nnf-dropout.R).

libtorch's CPU dropout (at::native `_dropout_impl`): the noise is `empty_like(input)$bernoulli_(1 - p)`
(a feature dropout draws it of shape (N, C, 1, ...)), divided in place by `1 - p`, and the result is
`input * noise` (node `MulBackward0`). The noise is drawn here the same way, from the same generator,
so under the same seed the mask is PyTorch's. With `training = FALSE` or `p = 0` the input itself comes
back; `p = 1` multiplies by a zero (alpha dropout too, as libtorch).
"""
import math
import warnings

import numpy as np

from ..._creation import torch_empty, torch_empty_like, torch_tensor
from ..._tensor import wrap_as
from ...autograd._grad_mode import STATE
from ._checks import check_tensor

__all__ = ["nnf_dropout", "nnf_dropout2d", "nnf_dropout3d", "nnf_alpha_dropout", "nnf_feature_alpha_dropout"]

_ALPHA = 1.7580993408473766


def _check_p(p):
    if p < 0 or p > 1:
        raise RuntimeError(f"dropout probability has to be between 0 and 1, but got {p}")


def _noise(input, feature):
    """The tensor the 0/1 noise is drawn into, without recording: libtorch's `empty_like`, which keeps
    the input's memory layout (a transposed input gets a transposed noise, filled in memory order)."""
    enabled, STATE.enabled = STATE.enabled, False
    try:
        if feature:
            shape = list(input.shape[:2]) + [1] * (input.dim() - 2)
            return torch_empty(*shape, dtype=input.dtype, device=input.device)
        data = input._data
        if type(data) is np.ndarray:
            return wrap_as(np.empty_like(data), input.dtype)
        return torch_empty_like(input)
    finally:
        STATE.enabled = enabled


def _dropout(input, p, training, inplace, feature=False, alpha=False):
    check_tensor(input)
    _check_p(p)
    if p == 0 or not training or input.numel() == 0:
        return input
    if feature and input.dim() < 2:
        raise RuntimeError("Feature dropout requires at least 2 dimensions in the input")
    if p == 1:
        zero = _zero(input)
        return input.mul_(zero) if inplace else input * zero
    noise = _noise(input, feature)
    enabled, STATE.enabled = STATE.enabled, False
    try:
        noise.bernoulli_(1 - p)
        if alpha:
            a = 1.0 / math.sqrt((_ALPHA * _ALPHA * p + 1) * (1 - p))
            b = (noise - 1) * (_ALPHA * a) + _ALPHA * a * p
            noise.mul_(a)
        else:
            noise.div_(1 - p)
    finally:
        STATE.enabled = enabled
    if alpha:
        return input.mul_(noise).add_(b) if inplace else input * noise + b
    return input.mul_(noise) if inplace else input * noise


def _zero(input):
    return torch_tensor(0, dtype=input.dtype, device=input.device).squeeze()


def nnf_dropout(input, p=0.5, training=True, inplace=False):
    """Zeroes each element with probability `p` and scales the rest by `1 / (1 - p)`."""
    return _dropout(input, p, training, inplace)


def nnf_dropout2d(input, p=0.5, training=True, inplace=False):
    """Zeroes whole channels (dim 2) of an (N, C, H, W) input; warns as R torch for other dims."""
    nd = input.dim()
    if nd not in (3, 4):
        warnings.warn(f"dropout2d: Received a {nd}-D input to dropout2d, which is deprecated and will result in "
                      "an error in a future release. To retain the behavior and silence this warning, please use "
                      "dropout instead. Note that dropout2d exists to provide channel-wise dropout on inputs with "
                      "2 spatial dimensions, a channel dimension, and an optional batch dimension (i.e. 3D or 4D "
                      "inputs).", stacklevel=2)
    if nd == 3:
        warnings.warn("dropout2d: Received a 3D input to dropout2d and assuming that channel-wise 1D dropout "
                      "behavior is desired - input is interpreted as shape (N, C, L), where C is the channel dim. "
                      "This behavior will change in a future release to interpret the input as one without a "
                      "batch dimension, i.e. shape (C, H, W). To maintain the 1D channel-wise dropout behavior, "
                      "please switch to using dropout1d instead.", stacklevel=2)
    return _dropout(input, p, training, inplace, feature=True)


def nnf_dropout3d(input, p=0.5, training=True, inplace=False):
    """Zeroes whole channels (dim 2) of an (N, C, D, H, W) input."""
    return _dropout(input, p, training, inplace, feature=True)


def nnf_alpha_dropout(input, p=0.5, training=False, inplace=False):
    """SELU-preserving dropout: dropped elements go to the negative saturation value, then an affine map
    keeps mean and variance. R torch's default is `training = FALSE`."""
    return _dropout(input, p, training, inplace, alpha=True)


def nnf_feature_alpha_dropout(input, p=0.5, training=False, inplace=False):
    """Alpha dropout of whole channels (dim 2)."""
    return _dropout(input, p, training, inplace, feature=True, alpha=True)
