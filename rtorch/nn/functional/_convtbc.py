"""R torch's `nnf_conv_tbc` (R/nnf-conv.R) and `torch_conv_tbc`: a 1-d convolution over (time, batch,
channels) input with a (kernel width, in channels, out channels) weight, as libtorch's `conv_tbc`.

It is `nnf_conv1d` on the input permuted to (batch, channels, time) with the weight permuted to
(out, in, width), permuted back; one recorded node, `ConvTbcBackward0`. A negative `pad` crops that
many steps from each end, as libtorch's loop does."""
from ..._creation import torch_zeros
from ._checks import check_tensor
from ._conv import torch_conv1d
from ._recompute import recomputed

__all__ = ["nnf_conv_tbc", "torch_conv_tbc"]


def _conv_tbc(input, weight, bias, pad):
    x = input.permute(2, 3, 1)
    if pad < 0:
        x = x.narrow(3, 1 - pad, input.shape[0] + 2 * pad)
    return torch_conv1d(x, weight.permute(3, 2, 1), bias, 1, max(pad, 0)).permute(3, 1, 2)


_conv_tbc_node = recomputed("ConvTbcBackward0", _conv_tbc)


def torch_conv_tbc(self, weight, bias, pad=0):
    """libtorch's `conv_tbc(self, weight, bias, pad)`, with its checks and messages."""
    check_tensor(self)
    if self.dim() != 3:
        raise RuntimeError("Input must have 3 dims: time, batch, in_channel")
    if weight.dim() != 3:
        raise RuntimeError("Weight tensor must have 3 dims: kernel_width, in_channels, out_channels.")
    if bias.dim() != 1:
        raise RuntimeError("Bias must be 1-D")
    T, B, C = self.shape
    K, C_in, C_out = weight.shape
    pad = int(pad)
    olen = T - K + 1 + 2 * pad
    if C != C_in:
        raise RuntimeError("Input dim 2 (input channels) is not == dim 1 in the weight tensor")
    if C_out != bias.shape[0]:
        raise RuntimeError("Bias size must equal dim 2 in the weight tensor (output channels).")
    if olen < 0:
        raise RuntimeError(f"Trying to create tensor with negative dimension {olen}: [{olen}, {B}, {C_out}]")
    if self.dtype is not weight.dtype:
        raise RuntimeError(f"self and mat2 must have the same dtype, but got {self.dtype.name} and "
                           f"{weight.dtype.name}")
    if olen == 0:
        return torch_zeros(0, B, C_out, dtype=self.dtype, device=self.device)
    return _conv_tbc_node(self, weight, bias, pad)


def nnf_conv_tbc(input, weight, bias, pad=0):
    """(time, batch, in) input, (width, in, out) weight, (out) bias -> (time + 2 pad - width + 1, batch, out)."""
    return torch_conv_tbc(input, weight, bias, pad)
