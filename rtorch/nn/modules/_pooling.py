"""R torch's pooling modules (R/nn-pooling.R): `nn_max_pool1d/2d`, `nn_avg_pool1d/2d`,
`nn_adaptive_avg_pool1d/2d`, `nn_adaptive_max_pool1d/2d`. `stride = NULL` means `kernel_size`; a max
pool with `return_indices = TRUE` returns a list of the output and the 1-based indices."""
from ..functional._pooling import (nnf_adaptive_avg_pool1d, nnf_adaptive_avg_pool2d, nnf_adaptive_max_pool1d,
                                   nnf_adaptive_max_pool2d, nnf_avg_pool1d, nnf_avg_pool2d, nnf_max_pool1d,
                                   nnf_max_pool2d)
from ._module import nn_Module

__all__ = ["nn_max_pool1d", "nn_max_pool2d", "nn_avg_pool1d", "nn_avg_pool2d", "nn_adaptive_avg_pool1d",
           "nn_adaptive_avg_pool2d", "nn_adaptive_max_pool1d", "nn_adaptive_max_pool2d"]


class nn_max_pool_nd_(nn_Module):
    def initialize(self, kernel_size, stride=None, padding=0, dilation=1, return_indices=False, ceil_mode=False):
        self.kernel_size = kernel_size
        self.stride = kernel_size if stride is None else stride
        self.padding, self.dilation = padding, dilation
        self.return_indices, self.ceil_mode = return_indices, ceil_mode

    def forward(self, input):
        return self._fn(input, self.kernel_size, self.stride, self.padding, self.dilation, self.ceil_mode,
                        self.return_indices)


class nn_max_pool1d(nn_max_pool_nd_):
    _fn = staticmethod(nnf_max_pool1d)


class nn_max_pool2d(nn_max_pool_nd_):
    _fn = staticmethod(nnf_max_pool2d)


class nn_avg_pool1d(nn_Module):
    def initialize(self, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True):
        self.kernel_size = kernel_size
        self.stride = kernel_size if stride is None else stride
        self.padding, self.ceil_mode, self.count_include_pad = padding, ceil_mode, count_include_pad

    def forward(self, input):
        return nnf_avg_pool1d(input, self.kernel_size, self.stride, self.padding, self.ceil_mode,
                              self.count_include_pad)


class nn_avg_pool2d(nn_Module):
    def initialize(self, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True,
                   divisor_override=None):
        self.kernel_size = kernel_size
        self.stride = kernel_size if stride is None else stride
        self.padding, self.ceil_mode, self.count_include_pad = padding, ceil_mode, count_include_pad
        self.divisor_override = divisor_override

    def forward(self, input):
        return nnf_avg_pool2d(input, self.kernel_size, self.stride, self.padding, self.ceil_mode,
                              self.count_include_pad, self.divisor_override)


class nn_adaptive_avg_pool_nd_(nn_Module):
    def initialize(self, output_size):
        self.output_size = output_size

    def forward(self, input):
        return self._fn(input, self.output_size)


class nn_adaptive_avg_pool1d(nn_adaptive_avg_pool_nd_):
    _fn = staticmethod(nnf_adaptive_avg_pool1d)


class nn_adaptive_avg_pool2d(nn_adaptive_avg_pool_nd_):
    _fn = staticmethod(nnf_adaptive_avg_pool2d)


class nn_adaptive_max_pool_nd_(nn_Module):
    def initialize(self, output_size, return_indices=False):
        self.output_size, self.return_indices = output_size, return_indices

    def forward(self, input):
        return self._fn(input, self.output_size, self.return_indices)


class nn_adaptive_max_pool1d(nn_adaptive_max_pool_nd_):
    _fn = staticmethod(nnf_adaptive_max_pool1d)


class nn_adaptive_max_pool2d(nn_adaptive_max_pool_nd_):
    _fn = staticmethod(nnf_adaptive_max_pool2d)
