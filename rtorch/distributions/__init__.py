"""R torch's probability distributions (R/distributions*.R): `distr_normal`, `distr_bernoulli`,
`distr_categorical`, `distr_gamma`, `distr_chi2`, `distr_poisson`, `distr_multivariate_normal`,
`distr_mixture_same_family`; the base class `Distribution` and the constraints (`constraints`)."""
from . import constraints
from ._bernoulli import Bernoulli, distr_bernoulli
from ._categorical import Categorical, distr_categorical
from ._chi2 import Chi2, distr_chi2
from ._distribution import Distribution
from ._exp_family import ExponentialFamily
from ._gamma import Gamma, distr_gamma
from ._mixture_same_family import MixtureSameFamily, distr_mixture_same_family
from ._multivariate_normal import MultivariateNormal, distr_multivariate_normal
from ._normal import Normal, distr_normal
from ._poisson import Poisson, distr_poisson

__all__ = ["distr_bernoulli", "distr_categorical", "distr_chi2", "distr_gamma", "distr_mixture_same_family",
           "distr_multivariate_normal", "distr_normal", "distr_poisson"]
