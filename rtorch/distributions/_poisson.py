"""R torch's `distr_poisson(rate)` (R/distributions-poisson.R): draws with `torch_poisson` (libtorch's
sampler, so a seeded draw equals PyTorch's)."""
from .._functions import torch_exp, torch_log, torch_poisson
from ..autograd import with_no_grad
from ._exp_family import ExponentialFamily
from ._utils import broadcast_all

__all__ = ["distr_poisson", "Poisson"]


class Poisson(ExponentialFamily):
    """As in R torch, no constraints or support are declared, and `entropy()` (the exponential family's)
    raises for want of a carrier measure."""
    _r_name = "torch_Poisson"

    def __init__(self, rate, validate_args=None):
        self.rate = broadcast_all([rate])[0]
        super().__init__(self.rate.size(), validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        new = self._new_like(batch_shape)
        new.rate = self.rate.expand(list(self._finish_expand(new, batch_shape).batch_shape))
        return new

    def sample(self, sample_shape=None):
        shape = list(self._extended_shape(sample_shape))
        with with_no_grad():
            return torch_poisson(self.rate.expand(shape))

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        rate, value = broadcast_all([self.rate, value])
        return rate.log() * value - rate - (value + 1).lgamma()

    @property
    def mean(self):
        return self.rate

    @property
    def variance(self):
        return self.rate

    @property
    def _natural_params(self):
        return torch_log(self.rate)

    def _log_normalizer(self, x):
        return torch_exp(x)


def distr_poisson(rate, validate_args=None):
    """R torch's `distr_poisson()`: Poisson counts with mean `rate`."""
    return Poisson(rate, validate_args)
