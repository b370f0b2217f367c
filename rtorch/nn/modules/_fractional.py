"""R torch's `nn_fractional_max_pool2d` and `nn_fractional_max_pool3d` (R/nn-pooling.R): keep
`kernel_size`, `output_size` or `output_ratio` (exactly one of them, a ratio in [0, 1]) and
`return_indices`, and register a `random_samples` buffer, NULL, so each forward draws fresh samples;
set `m.random_samples` to a (N, C, 2 or 3) tensor to fix them."""
from ..functional._conv import _tuple
from ..functional._fractional import nnf_fractional_max_pool2d, nnf_fractional_max_pool3d
from ._module import nn_Module

__all__ = ["nn_fractional_max_pool2d", "nn_fractional_max_pool3d"]


class _fractional_nd(nn_Module):
    def initialize(self, kernel_size, output_size=None, output_ratio=None, return_indices=False):
        n = self._n
        self.kernel_size = _tuple(kernel_size, n, "kernel_size")
        self.return_indices = return_indices
        self.register_buffer("random_samples", None)
        self.output_size = None if output_size is None else _tuple(output_size, n, "output_size")
        self.output_ratio = None if output_ratio is None else _ratio(output_ratio, n)
        if output_ratio is None and output_size is None:
            raise ValueError("both output_size and output_ratio are NULL")
        if output_ratio is not None and output_size is not None:
            raise ValueError("both output_size and output_ratio are not NULL")
        if output_ratio is not None and any(q > 1 or q < 0 for q in self.output_ratio):
            raise ValueError("output_ratio must be between 0 and 1.")

    def forward(self, input):
        return self._fn(input, self.kernel_size, self.output_size, self.output_ratio, self.return_indices,
                        random_samples=self.random_samples)


def _ratio(v, n):
    v = list(v) if isinstance(v, (list, tuple)) else [v]
    return [float(q) for q in (v * n if len(v) == 1 else v)]


class nn_fractional_max_pool2d(_fractional_nd):
    _n, _fn = 2, staticmethod(nnf_fractional_max_pool2d)


class nn_fractional_max_pool3d(_fractional_nd):
    _n, _fn = 3, staticmethod(nnf_fractional_max_pool3d)
