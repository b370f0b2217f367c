"""R torch's further pooling modules (R/nn-pooling.R): `nn_max_pool3d`, `nn_avg_pool3d`,
`nn_adaptive_avg_pool3d`, `nn_adaptive_max_pool3d`, `nn_lp_pool1d/2d` and `nn_max_unpool1d/2d/3d`
(whose forward takes `input, indices, output_size = NULL`)."""
from ..functional._conv import _tuple
from ..functional._lppool import nnf_lp_pool1d, nnf_lp_pool2d
from ..functional._pooling3d import (nnf_adaptive_avg_pool3d, nnf_adaptive_max_pool3d, nnf_avg_pool3d,
                                     nnf_max_pool3d, nnf_max_unpool1d, nnf_max_unpool2d, nnf_max_unpool3d)
from ._module import nn_Module
from ._pooling import nn_avg_pool2d, nn_max_pool_nd_

__all__ = ["nn_max_pool3d", "nn_avg_pool3d", "nn_adaptive_avg_pool3d", "nn_adaptive_max_pool3d", "nn_lp_pool1d",
           "nn_lp_pool2d", "nn_max_unpool1d", "nn_max_unpool2d", "nn_max_unpool3d"]


class nn_max_pool3d(nn_max_pool_nd_):
    _fn = staticmethod(nnf_max_pool3d)


class nn_avg_pool3d(nn_avg_pool2d):
    """`nn_avg_pool2d`'s arguments, over (kT, kH, kW) windows."""
    def forward(self, input):
        return nnf_avg_pool3d(input, self.kernel_size, self.stride, self.padding, self.ceil_mode,
                              self.count_include_pad, self.divisor_override)


class nn_adaptive_avg_pool3d(nn_Module):
    def initialize(self, output_size):
        self.output_size = output_size

    def forward(self, input):
        return nnf_adaptive_avg_pool3d(input, self.output_size)


class nn_adaptive_max_pool3d(nn_Module):
    def initialize(self, output_size, return_indices=False):
        self.output_size, self.return_indices = output_size, return_indices

    def forward(self, input):
        return nnf_adaptive_max_pool3d(input, self.output_size, self.return_indices)


class nn_lp_pool_nd_(nn_Module):
    def initialize(self, norm_type, kernel_size, stride=None, ceil_mode=False):
        self.norm_type, self.kernel_size, self.stride, self.ceil_mode = norm_type, kernel_size, stride, ceil_mode

    def forward(self, input):
        return self._fn(input, self.norm_type, self.kernel_size, self.stride, self.ceil_mode)


class nn_lp_pool1d(nn_lp_pool_nd_):
    _fn = staticmethod(nnf_lp_pool1d)


class nn_lp_pool2d(nn_lp_pool_nd_):
    _fn = staticmethod(nnf_lp_pool2d)


class nn_max_unpool_nd_(nn_Module):
    def initialize(self, kernel_size, stride=None, padding=0):
        n = self._n
        self.kernel_size = _tuple(kernel_size, n, "kernel_size")
        self.stride = _tuple(kernel_size if stride is None else stride, n, "stride")
        self.padding = _tuple(padding, n, "padding")

    def forward(self, input, indices, output_size=None):
        return self._fn(input, indices, self.kernel_size, self.stride, self.padding, output_size)


class nn_max_unpool1d(nn_max_unpool_nd_):
    _n, _fn = 1, staticmethod(nnf_max_unpool1d)


class nn_max_unpool2d(nn_max_unpool_nd_):
    _n, _fn = 2, staticmethod(nnf_max_unpool2d)


class nn_max_unpool3d(nn_max_unpool_nd_):
    _n, _fn = 3, staticmethod(nnf_max_unpool3d)
