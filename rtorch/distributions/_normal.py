"""R torch's `distr_normal(loc, scale)` (R/distributions-normal.R)."""
import math

from .._functions import torch_erf, torch_erfinv, torch_log, torch_normal
from ..autograd import with_no_grad
from . import constraints
from ._exp_family import ExponentialFamily
from ._utils import broadcast_all, standard_normal

__all__ = ["distr_normal", "Normal"]


class Normal(ExponentialFamily):
    """Normal(loc, scale); numbers become one-element tensors, so `distr_normal(0, 1)` has batch shape (1,)."""
    _r_name = "torch_Normal"
    _arg_constraints = {"loc": constraints.constraint_real, "scale": constraints.constraint_positive}
    _support = constraints.constraint_real
    has_rsample = True

    def __init__(self, loc, scale, validate_args=None):
        self.loc, self.scale = broadcast_all([loc, scale])
        super().__init__(self.loc.size(), validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        new = self._new_like(batch_shape)
        shape = list(self._finish_expand(new, batch_shape).batch_shape)
        new.loc, new.scale = self.loc.expand(shape), self.scale.expand(shape)
        return new

    def sample(self, sample_shape=None):
        shape = list(self._extended_shape(sample_shape))
        with with_no_grad():
            return torch_normal(self.loc.expand(shape), self.scale.expand(shape))

    def rsample(self, sample_shape=None):
        eps = standard_normal(self._extended_shape(sample_shape), self.loc.dtype, self.loc.device)
        return self.loc + eps * self.scale

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        var = self.scale ** 2
        return -((value - self.loc) ** 2) / (2 * var) - self.scale.log() - math.log(math.sqrt(2 * math.pi))

    def cdf(self, value):
        if self._validate_args:
            self._validate_sample(value)
        return 0.5 * (1 + torch_erf((value - self.loc) * self.scale.reciprocal() / math.sqrt(2)))

    def icdf(self, value):
        if self._validate_args:
            self._validate_sample(value)
        return self.loc + self.scale * torch_erfinv(2 * value - 1) * math.sqrt(2)

    def entropy(self):
        return 0.5 + 0.5 * math.log(2 * math.pi) + torch_log(self.scale)

    @property
    def mean(self):
        return self.loc

    @property
    def stddev(self):
        return self.scale

    @property
    def variance(self):
        return self.stddev.pow(2)

    @property
    def _natural_params(self):
        return [self.loc / self.scale.pow(2), -0.5 * self.scale.pow(2).reciprocal()]

    @property
    def _mean_carrier_measure(self):
        return 0

    def _log_normalizer(self, x, y):
        return -0.25 * x.pow(2) / y + 0.5 * torch_log(-math.pi / y)


def distr_normal(loc, scale, validate_args=None):
    """R torch's `distr_normal()`: a Normal distribution with mean `loc` and standard deviation `scale`."""
    return Normal(loc, scale, validate_args)
