"""R torch's `ExponentialFamily` (R/distributions-exp-family.R): densities
`exp(<t(x), theta> - F(theta) + k(x))`, whose entropy follows from the log normaliser `F` by autograd
(Bregman divergence)."""
from ..autograd import autograd_grad
from ._distribution import Distribution

__all__ = ["ExponentialFamily"]


class ExponentialFamily(Distribution):
    _r_name = "torch_ExponentialFamily"

    @property
    def _natural_params(self):
        raise NotImplementedError(f"{self._r_name}: `.natural_params` is not implemented")

    @property
    def _mean_carrier_measure(self):
        raise NotImplementedError(f"{self._r_name}: `.mean_carrier_measure` is not implemented")

    def _log_normalizer(self, *natural_params):
        raise NotImplementedError(f"{self._r_name}: `.log_normalizer` is not implemented")

    def entropy(self):
        """`-k + F(theta) - sum(theta * dF/dtheta)`, the gradients taken with `create_graph`."""
        result = -self._mean_carrier_measure
        params = self._natural_params
        params = [p.detach().requires_grad_() for p in (params if isinstance(params, (list, tuple)) else [params])]
        lg = self._log_normalizer(*params)
        grads = autograd_grad(lg.sum(), params, create_graph=True)
        result = result + lg
        for p, g in zip(params, grads):
            result = result - p * g
        return result
