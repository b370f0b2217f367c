"""R torch's `distr_chi2(df)` (R/distributions-chi2.R): Gamma(df / 2, rate 0.5)."""
from .._creation import torch_tensor
from . import constraints
from ._gamma import Gamma

__all__ = ["distr_chi2", "Chi2"]


class Chi2(Gamma):
    _r_name = "torch_Chi2"
    _arg_constraints = {"df": constraints.constraint_positive}

    def __init__(self, df, validate_args=None):
        super().__init__(0.5 * df, torch_tensor(0.5), validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        """Gamma's expand, kept a Chi2 (R torch's stops: it calls `new()` without `df`)."""
        return super().expand(batch_shape, _instance)

    @property
    def df(self):
        return self.concentration * 2


def distr_chi2(df, validate_args=None):
    """R torch's `distr_chi2()`: the chi-squared distribution with `df` degrees of freedom."""
    return Chi2(df, validate_args=validate_args)
