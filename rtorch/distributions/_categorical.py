"""R torch's `distr_categorical(probs, logits)` (R/distributions-categorical.R). Categories are 1-based, as
R torch's `torch_multinomial()` returns them and its `gather()` takes them: `sample()` gives 1..K and
`log_prob(k)` reads category `k`."""
import math

from .._creation import torch_full
from .._dtypes import torch_long
from .._functions import torch_multinomial
from .._indexing import drop
from .._tensor import Tensor
from . import constraints
from ._distribution import Distribution
from ._utils import as_shape, broadcast_tensors, logits_to_probs, probs_to_logits

__all__ = ["distr_categorical", "Categorical"]


class Categorical(Distribution):
    """A categorical over the last dim of `probs` (normalised to sum to 1) or `logits` (normalised by
    logsumexp). R torch defines no `entropy()` or `enumerate_support()` for it (they raise)."""
    _r_name = "torch_Categorical"
    _arg_constraints = {"probs": constraints.constraint_simplex, "logits": constraints.constraint_real_vector}
    has_enumerate_support = True

    def __init__(self, probs=None, logits=None, validate_args=None):
        if (probs is None) == (logits is None):
            raise ValueError("Either `probs` or `logits` must be specified, but not both.")
        self._probs = self._logits = None
        for name, v in (("probs", probs), ("logits", logits)):
            if v is not None and not isinstance(v, Tensor):
                raise TypeError(f"`{name}` must be a tensor, not {type(v).__name__}")
        if probs is not None:
            if probs.dim() < 1:
                raise ValueError("`probs` must be at least one-dimensional.")
            self._probs = self._param = probs / probs.sum(-1, keepdim=True)
        else:
            if logits.dim() < 1:
                raise ValueError("`logits` must be at least one-dimensional.")
            self._logits = self._param = logits - logits.logsumexp(dim=-1, keepdim=True)
        self._num_events = self._param.size(-1)
        super().__init__(self._param.shape[:-1], validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        """The parameter that was given, expanded (R torch's expand passes both and stops with its
        "not both" error)."""
        shape = [*as_shape(batch_shape, "batch_shape"), self._num_events]
        new = self._new_like(batch_shape)
        self._finish_expand(new, batch_shape)
        new._num_events = self._num_events
        return self._expand_probs_or_logits(new, shape)

    def sample(self, sample_shape=None):
        probs2d = self.probs.reshape([-1, self._num_events])
        numel = math.prod(as_shape(sample_shape, "sample_shape"))
        samples = torch_multinomial(probs2d, numel, replacement=True).t()
        return samples.reshape(list(self._extended_shape(sample_shape)))

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        value = value.to(dtype=torch_long()).unsqueeze(-1)
        value, log_pmf = broadcast_tensors([value, self.logits])
        value = value[..., 1, drop(False)]
        return log_pmf.gather(-1, value).squeeze(-1)

    @property
    def probs(self):
        return self._probs if self._probs is not None else logits_to_probs(self._logits)

    @property
    def logits(self):
        return self._logits if self._logits is not None else probs_to_logits(self._probs)

    @property
    def mean(self):
        return torch_full(list(self._extended_shape()), math.nan, dtype=self.probs.dtype, device=self.probs.device)

    @property
    def variance(self):
        return torch_full(list(self._extended_shape()), math.nan, dtype=self.probs.dtype, device=self.probs.device)


def distr_categorical(probs=None, logits=None, validate_args=None):
    """R torch's `distr_categorical()`: one of K categories (1-based) drawn with the weights in the last dim."""
    return Categorical(probs, logits, validate_args=validate_args)
