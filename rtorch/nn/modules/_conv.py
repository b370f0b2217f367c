"""R torch's convolution modules: `nn_conv1d/2d/3d`, `nn_conv_transpose1d/2d/3d` (R/nn-conv.R).

Weights are (out, in/groups, *k), transposed ones (in, out/groups, *k); libtorch's default init:
kaiming-uniform weight with `a = sqrt(5)`, then the bias uniform in +-1/sqrt(fan_in), so the same seed
gives PyTorch's (and R torch's) weights. `padding_mode` "reflect", "replicate" and "circular" pad the
input first (by index selection, so the pad's `grad_fn` is not libtorch's `ReflectionPad2DBackward0`
but the gradients are the same); transposed convolutions support "zeros" only, as R torch."""
import math

import numpy as np

from ..._creation import torch_empty, torch_tensor
from ..._dtypes import DTYPES
from .. import init
from ..functional._conv import (_tuple, nnf_conv1d, nnf_conv2d, nnf_conv3d, nnf_conv_transpose1d,
                                nnf_conv_transpose2d, nnf_conv_transpose3d)
from ._module import nn_Module, nn_parameter

__all__ = ["nn_conv1d", "nn_conv2d", "nn_conv3d", "nn_conv_transpose1d", "nn_conv_transpose2d",
           "nn_conv_transpose3d"]

_PADDING_MODES = ("zeros", "reflect", "replicate", "circular")


def _pad_index(L, lo, hi, mode):
    """1-based positions of the padded dim's elements in the input's."""
    j = np.arange(-lo, L + hi)
    if mode == "reflect":
        if lo >= L or hi >= L:
            raise RuntimeError(f"Argument #4: Padding size should be less than the corresponding input dimension, "
                               f"but got: padding ({lo}, {hi}) at dimension of input {L}")
        j = np.abs(j)
        j = np.where(j >= L, 2 * (L - 1) - j, j)
    elif mode == "replicate":
        j = np.clip(j, 0, L - 1)
    else:
        j = np.mod(j, L)
    return j + 1


class nn_conv_nd_(nn_Module):
    """The shared part of the convolution modules (R torch's `nn_conv_nd`)."""

    def initialize(self, in_channels, out_channels, kernel_size, stride, padding, dilation, transposed,
                   output_padding, groups, bias, padding_mode):
        if in_channels % groups:
            raise ValueError("`in_channels` must be divisible by groups")
        if out_channels % groups:
            raise ValueError("`out_channels` must be divisible by groups")
        if padding_mode not in _PADDING_MODES:
            raise ValueError(f"padding_mode must be one of [{', '.join(_PADDING_MODES)}],but got "
                             f"padding_mode='{padding_mode}'.")
        self.in_channels, self.out_channels = in_channels, out_channels
        self.kernel_size, self.stride, self.padding, self.dilation = kernel_size, stride, padding, dilation
        self.transposed, self.output_padding, self.groups = transposed, output_padding, groups
        self.padding_mode = padding_mode
        shape = ((in_channels, out_channels // groups) if transposed else (out_channels, in_channels // groups))
        self.weight = nn_parameter(torch_empty(*shape, *kernel_size))
        self.bias = nn_parameter(torch_empty(out_channels)) if bias else None
        self.reset_parameters()

    def reset_parameters(self):
        init.nn_init_kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            fan_in, _ = init.nn_init_calculate_fan_in_and_fan_out(self.weight)
            bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0
            init.nn_init_uniform_(self.bias, -bound, bound)

    def _padded(self, input):
        """The input padded by `padding_mode` (for modes other than "zeros")."""
        n = len(self.kernel_size)
        if isinstance(self.padding, str):
            if self.padding == "valid":
                return input
            tot = [d * (k - 1) for k, d in zip(self.kernel_size, self.dilation)]
            pads = [(t // 2, t - t // 2) for t in tot]
        else:
            pads = [(p, p) for p in self.padding]
        x = input
        for i, (lo, hi) in enumerate(pads):
            if lo or hi:
                dim = x.dim() - n + i + 1
                idx = torch_tensor(_pad_index(x.shape[dim - 1], lo, hi, self.padding_mode), dtype=DTYPES["Long"])
                x = x.index_select(dim, idx)
        return x

    def _conv(self, fn, input):
        if self.padding_mode != "zeros":
            return fn(self._padded(input), self.weight, self.bias, self.stride, 0, self.dilation, self.groups)
        return fn(input, self.weight, self.bias, self.stride, self.padding, self.dilation, self.groups)


def _padding(padding, n):
    return padding if isinstance(padding, str) else _tuple(padding, n, "padding")


class nn_conv1d(nn_conv_nd_):
    """1D convolution over (N, C_in, L) inputs."""

    def initialize(self, in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1, groups=1,
                   bias=True, padding_mode="zeros"):
        super().initialize(in_channels, out_channels, _tuple(kernel_size, 1), _tuple(stride, 1),
                           _padding(padding, 1), _tuple(dilation, 1), False, (0,), groups, bias, padding_mode)

    def forward(self, input):
        return self._conv(nnf_conv1d, input)


class nn_conv2d(nn_conv_nd_):
    """2D convolution over (N, C_in, H, W) inputs."""

    def initialize(self, in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1, groups=1,
                   bias=True, padding_mode="zeros"):
        super().initialize(in_channels, out_channels, _tuple(kernel_size, 2), _tuple(stride, 2),
                           _padding(padding, 2), _tuple(dilation, 2), False, (0, 0), groups, bias, padding_mode)

    def forward(self, input):
        return self._conv(nnf_conv2d, input)


class nn_conv3d(nn_conv_nd_):
    """3D convolution over (N, C_in, T, H, W) inputs."""

    def initialize(self, in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1, groups=1,
                   bias=True, padding_mode="zeros"):
        super().initialize(in_channels, out_channels, _tuple(kernel_size, 3), _tuple(stride, 3),
                           _padding(padding, 3), _tuple(dilation, 3), False, (0, 0, 0), groups, bias, padding_mode)

    def forward(self, input):
        return self._conv(nnf_conv3d, input)


class nn_conv_transpose_nd_(nn_conv_nd_):
    def initialize(self, in_channels, out_channels, kernel_size, stride, padding, dilation, transposed,
                   output_padding, groups, bias, padding_mode):
        if padding_mode != "zeros":
            raise ValueError("Only `zeros` padding is supported.")
        super().initialize(in_channels, out_channels, kernel_size, stride, padding, dilation, transposed,
                           output_padding, groups, bias, padding_mode)

    def _output_padding(self, input, output_size):
        """`output_padding`, or what makes the output `output_size` (its last k sizes count)."""
        if output_size is None:
            return self.output_padding
        k = input.dim() - 2
        output_size = list(output_size)
        if len(output_size) == k + 2:
            output_size = output_size[2:]
        if len(output_size) != k:
            raise ValueError(f"output_size must have {k} or {k + 2} elements (got {len(output_size)})")
        res = []
        for d in range(k):
            lo = ((input.shape[d + 2] - 1) * self.stride[d] - 2 * self.padding[d]
                  + self.dilation[d] * (self.kernel_size[d] - 1) + 1)
            hi = lo + self.stride[d] - 1
            if not lo <= output_size[d] <= hi:
                raise ValueError(f"requested an output of size {output_size}, but valid sizes range from {lo} to "
                                 f"{hi} (for an input of size {list(input.shape[2:])})")
            res.append(output_size[d] - lo)
        return tuple(res)

    def _tconv(self, fn, input, output_size):
        return fn(input, self.weight, self.bias, self.stride, self.padding, self._output_padding(input, output_size),
                  self.groups, self.dilation)


class nn_conv_transpose1d(nn_conv_transpose_nd_):
    """Transposed 1D convolution; `forward(input, output_size = NULL)`."""

    def initialize(self, in_channels, out_channels, kernel_size, stride=1, padding=0, output_padding=0, groups=1,
                   bias=True, dilation=1, padding_mode="zeros"):
        super().initialize(in_channels, out_channels, _tuple(kernel_size, 1), _tuple(stride, 1),
                           _tuple(padding, 1), _tuple(dilation, 1), True, _tuple(output_padding, 1), groups, bias,
                           padding_mode)

    def forward(self, input, output_size=None):
        return self._tconv(nnf_conv_transpose1d, input, output_size)


class nn_conv_transpose2d(nn_conv_transpose_nd_):
    """Transposed 2D convolution; `forward(input, output_size = NULL)`."""

    def initialize(self, in_channels, out_channels, kernel_size, stride=1, padding=0, output_padding=0, groups=1,
                   bias=True, dilation=1, padding_mode="zeros"):
        super().initialize(in_channels, out_channels, _tuple(kernel_size, 2), _tuple(stride, 2),
                           _tuple(padding, 2), _tuple(dilation, 2), True, _tuple(output_padding, 2), groups, bias,
                           padding_mode)

    def forward(self, input, output_size=None):
        return self._tconv(nnf_conv_transpose2d, input, output_size)


class nn_conv_transpose3d(nn_conv_transpose_nd_):
    """Transposed 3D convolution; `forward(input, output_size = NULL)`."""

    def initialize(self, in_channels, out_channels, kernel_size, stride=1, padding=0, output_padding=0, groups=1,
                   bias=True, dilation=1, padding_mode="zeros"):
        super().initialize(in_channels, out_channels, _tuple(kernel_size, 3), _tuple(stride, 3),
                           _tuple(padding, 3), _tuple(dilation, 3), True, _tuple(output_padding, 3), groups, bias,
                           padding_mode)

    def forward(self, input, output_size=None):
        return self._tconv(nnf_conv_transpose3d, input, output_size)
