"""R torch's power-average pooling `nnf_lp_pool1d/2d` (R/nnf-pooling.R), R torch's formula:
`(sign(out) * relu(abs(out)) * prod(kernel_size)) ^ (1 / norm_type)` with `out` the average pool of
`input ^ norm_type` (no padding)."""
from ._activation import nnf_relu
from ._conv import _tuple
from ._pooling import nnf_avg_pool1d, nnf_avg_pool2d

__all__ = ["nnf_lp_pool1d", "nnf_lp_pool2d"]


def _lp(out, norm_type, size):
    return (out.sign() * nnf_relu(out.abs())).mul(size).pow(1 / norm_type)


def nnf_lp_pool1d(input, norm_type, kernel_size, stride=None, ceil_mode=False):
    out = nnf_avg_pool1d(input.pow(norm_type), kernel_size, stride, 0, ceil_mode)
    return _lp(out, norm_type, _tuple(kernel_size, 1, "kernel_size")[0])


def nnf_lp_pool2d(input, norm_type, kernel_size, stride=None, ceil_mode=False):
    k = _tuple(kernel_size, 2, "kernel_size")
    out = nnf_avg_pool2d(input.pow(norm_type), kernel_size, stride, 0, ceil_mode)
    return _lp(out, norm_type, k[0] * k[1])
