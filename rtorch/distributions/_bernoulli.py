"""R torch's `distr_bernoulli(probs, logits)` (R/distributions-bernoulli.R)."""
from .._functions import torch_arange, torch_bernoulli, torch_exp, torch_log
from ..autograd import with_no_grad
from ..nn.functional import nnf_binary_cross_entropy_with_logits
from . import constraints
from ._exp_family import ExponentialFamily
from ._utils import broadcast_all, logits_to_probs, probs_to_logits

__all__ = ["distr_bernoulli", "Bernoulli"]


class Bernoulli(ExponentialFamily):
    """Bernoulli draws of 0 and 1. As in R torch, `has_rsample` is TRUE but `rsample()` raises, and the
    declared support is `constraint_real`."""
    _r_name = "torch_Bernoulli"
    _arg_constraints = {"probs": constraints.constraint_unit_interval, "logits": constraints.constraint_real}
    _support = constraints.constraint_real
    has_rsample = True

    def __init__(self, probs=None, logits=None, validate_args=None):
        if (probs is None) == (logits is None):
            raise ValueError("Either `probs` or `logits` must be specified, but not both.")
        self._probs = self._logits = None
        if probs is not None:
            self._probs = self._param = broadcast_all([probs])[0]
        else:
            self._logits = self._param = broadcast_all([logits])[0]
        super().__init__(self._param.size(), validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        new = self._new_like(batch_shape)
        shape = list(self._finish_expand(new, batch_shape).batch_shape)
        return self._expand_probs_or_logits(new, shape)

    def sample(self, sample_shape=None):
        shape = list(self._extended_shape(sample_shape))
        with with_no_grad():
            return torch_bernoulli(self.probs.expand(shape))

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        logits, value = broadcast_all([self.logits, value])
        return -nnf_binary_cross_entropy_with_logits(logits, value, reduction="none")

    def entropy(self):
        return nnf_binary_cross_entropy_with_logits(self.logits, self.probs, reduction="none")

    def enumerate_support(self, expand=True):
        values = torch_arange(0, 1, dtype=self._param.dtype, device=self._param.device)
        values = values.view([-1] + [1] * len(self.batch_shape))
        return values.expand([-1, *self.batch_shape]) if expand else values

    @property
    def mean(self):
        return self.probs

    @property
    def variance(self):
        return self.probs * (1 - self.probs)

    @property
    def logits(self):
        if self._logits is None:
            self._logits = probs_to_logits(self._probs, is_binary=True)
        return self._logits

    @property
    def probs(self):
        if self._probs is None:
            self._probs = logits_to_probs(self._logits, is_binary=True)
        return self._probs

    @property
    def param_shape(self):
        return self._param.size()

    @property
    def _natural_params(self):
        return torch_log(self.probs / (1 - self.probs))

    @property
    def _mean_carrier_measure(self):
        return 0

    def _log_normalizer(self, x):
        return torch_log(1 + torch_exp(x))


def distr_bernoulli(probs=None, logits=None, validate_args=None):
    """R torch's `distr_bernoulli()`: 1 with probability `probs` (or `sigmoid(logits)`), else 0."""
    return Bernoulli(probs, logits, validate_args)
