"""R torch's `distr_mixture_same_family(mixture_distribution, component_distribution)`
(R/distributions-mixture_same_family.R): a Categorical over the last batch dim of a batch of components."""
from .._functions import torch_gather, torch_logsumexp, torch_sum
from ..autograd import with_no_grad
from ._categorical import Categorical
from ._distribution import Distribution
from ._utils import as_shape

__all__ = ["distr_mixture_same_family", "MixtureSameFamily"]


class MixtureSameFamily(Distribution):
    """R torch defines `log_prob`, `cdf` and `sample` (no `mean`, `variance` or `rsample`)."""
    _r_name = "torch_MixtureSameFamily"

    def __init__(self, mixture_distribution, component_distribution, validate_args=None):
        if not isinstance(mixture_distribution, Categorical):
            raise ValueError("Mixture distribution must be distr_categorical.")
        if not isinstance(component_distribution, Distribution):
            raise ValueError("Component distribution must be an instance of torch_Distribution.")
        self._mixture_distribution = mixture_distribution
        self._component_distribution = component_distribution
        cbs = component_distribution.batch_shape
        km = mixture_distribution.logits.shape[-1:]
        kc = cbs[-1:]
        if km and kc and km != kc:
            raise ValueError(f"Mixture distribution component ({km[0]}) does not equal "
                             f"component_distribution$batch_shape[-1] ({kc[0]}).")
        self._num_components = km[0] if km else None
        event_shape = component_distribution.event_shape
        self._event_ndims = len(event_shape)
        super().__init__(batch_shape=cbs[:-1], event_shape=event_shape, validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        """Both parts expanded, the components over `batch_shape` plus the component dim (R torch's reads a
        misspelt field and expands them to `batch_shape` alone)."""
        batch = as_shape(batch_shape, "batch_shape")
        return type(self)(self._mixture_distribution.expand(batch),
                          self._component_distribution.expand(batch + (self._num_components,)),
                          validate_args=self._validate_args)

    @property
    def mixture_distribution(self):
        return self._mixture_distribution

    @property
    def component_distribution(self):
        return self._component_distribution

    def _pad(self, x):
        return x.unsqueeze(-1 - self._event_ndims)

    def cdf(self, x):
        x = self._pad(x)
        cdf_x = self.component_distribution.cdf(x)
        return torch_sum(cdf_x * self.mixture_distribution.probs, dim=-1)

    def log_prob(self, x):
        if self._validate_args:
            self._validate_sample(x)
        x = self._pad(x)
        log_prob_x = self.component_distribution.log_prob(x)
        log_mix_prob = self.mixture_distribution.logits.log_softmax(dim=-1)
        return torch_logsumexp(log_prob_x + log_mix_prob, dim=-1)

    def sample(self, sample_shape=None):
        with with_no_grad():
            sample_shape = as_shape(sample_shape, "sample_shape")
            gather_dim = len(sample_shape) + len(self.batch_shape) + 1
            es = self.event_shape
            mix_sample = self.mixture_distribution.sample(sample_shape)
            mix_shape = tuple(mix_sample.shape)
            comp_samples = self.component_distribution.sample(sample_shape)
            mix_sample_r = mix_sample.reshape([*mix_shape, *([1] * (len(es) + 1))])
            mix_sample_r = mix_sample_r.repeat([*([1] * len(mix_shape)), 1, *es])
            return torch_gather(comp_samples, gather_dim, mix_sample_r).squeeze(gather_dim)


def distr_mixture_same_family(mixture_distribution, component_distribution, validate_args=None):
    """R torch's `distr_mixture_same_family()`: a mixture whose components are one batched distribution."""
    return MixtureSameFamily(mixture_distribution, component_distribution, validate_args)
