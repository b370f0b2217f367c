"""R torch's `distr_gamma(concentration, rate)` (R/distributions-gamma.R): `rsample()` draws with
`torch__standard_gamma` (libtorch's sampler, so a seeded draw equals PyTorch's) and is differentiable in
`concentration` (libtorch's reparameterised gradient) and `rate`."""
from .._creation import torch_finfo, torch_tensor
from .._functions import torch__standard_gamma, torch_digamma, torch_lgamma, torch_log
from .._tensor import Tensor
from . import constraints
from ._exp_family import ExponentialFamily
from ._utils import broadcast_all

__all__ = ["distr_gamma", "Gamma"]


class Gamma(ExponentialFamily):
    _r_name = "torch_Gamma"
    _arg_constraints = {"concentration": constraints.constraint_positive, "rate": constraints.constraint_positive}
    _support = constraints.constraint_positive
    has_rsample = True

    def __init__(self, concentration, rate, validate_args=None):
        self.concentration, self.rate = broadcast_all([concentration, rate])
        super().__init__(self.concentration.size(), validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        new = self._new_like(batch_shape)
        shape = list(self._finish_expand(new, batch_shape).batch_shape)
        new.concentration, new.rate = self.concentration.expand(shape), self.rate.expand(shape)
        return new

    def rsample(self, sample_shape=None):
        shape = list(self._extended_shape(sample_shape))
        value = torch__standard_gamma(self.concentration.expand(shape)) / self.rate.expand(shape)
        value.detach().clamp_(min=torch_finfo(value.dtype)["tiny"])
        return value

    def log_prob(self, value):
        if not isinstance(value, Tensor):
            value = torch_tensor(value, dtype=self.rate.dtype, device=self.rate.device)
        if self._validate_args:
            self._validate_sample(value)
        c, r = self.concentration, self.rate
        return c * torch_log(r) + (c - 1) * torch_log(value) - r * value - torch_lgamma(c)

    def entropy(self):
        c = self.concentration
        return c - torch_log(self.rate) + torch_lgamma(c) + (1.0 - c) * torch_digamma(c)

    @property
    def mean(self):
        return self.concentration / self.rate

    @property
    def variance(self):
        return self.concentration / self.rate.pow(2)

    @property
    def _natural_params(self):
        return [self.concentration - 1, -self.rate]

    @property
    def _mean_carrier_measure(self):
        return 0

    def _log_normalizer(self, x, y):
        """`lgamma(x + 1) + (x + 1) log(-1 / y)` (R torch's source adds where the formula multiplies)."""
        return torch_lgamma(x + 1) + (x + 1) * torch_log(-y.reciprocal())


def distr_gamma(concentration, rate, validate_args=None):
    """R torch's `distr_gamma()`: Gamma with shape `concentration` and inverse scale `rate`."""
    return Gamma(concentration, rate, validate_args)
