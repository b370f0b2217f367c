"""R torch's constraints (R/distributions-constraints.R): objects whose `check(value)` returns a Bool tensor
saying where `value` lies in a region. R torch keeps them internal (`torch:::constraint_real`); here they are
`rtorch.distributions.constraints.constraint_*`. The parameterised ones are classes, as in R torch, where
`constraint_less_than$new(1)` is `constraint_less_than(1)`."""
import numpy as np

from .._sampling import _r_double_string
from ._utils import linalg_cholesky_ex, torch_all, torch_isnan

__all__ = ["Constraint", "constraint_dependent", "constraint_boolean", "constraint_nonnegative_integer",
           "constraint_positive_integer", "constraint_real", "constraint_real_vector", "constraint_positive",
           "constraint_greater_than", "constraint_greater_than_eq", "constraint_less_than",
           "constraint_unit_interval", "constraint_interval", "constraint_half_open_interval",
           "constraint_positive_definite", "constraint_lower_cholesky", "constraint_simplex", "is_dependent"]


def _num(x):
    return _r_double_string(float(x)) if isinstance(x, (int, float, np.number)) else repr(x)


class Constraint:
    """R torch's `torch_Constraint`: `check(value)` is abstract; printing gives the R class name."""
    _r_name = "torch_Constraint"
    event_dim = 0

    @property
    def _r_class(self):
        return np.array([k._r_name for k in type(self).__mro__ if "_r_name" in k.__dict__] + ["R6"])

    def check(self, value):
        raise NotImplementedError(f"{self._r_name}: check() is not implemented")

    def _bounds(self):
        return ""

    def __repr__(self):
        return f"{self._r_name}{self._bounds()}"


class _Dependent(Constraint):
    _r_name = "torch_Dependent"

    def check(self, x):
        raise ValueError("Cannot determine validity of dependent constraint")


def is_dependent(obj):
    return isinstance(obj, _Dependent)


class _IndependentConstraint(Constraint):
    """The base constraint, all of it true over the last `reinterpreted_batch_ndims` dims."""
    _r_name = "torch_IndependentConstraint"

    def __init__(self, base_constraint, reinterpreted_batch_ndims):
        self.base_constraint = base_constraint
        self.reinterpreted_batch_ndims = reinterpreted_batch_ndims

    def check(self, value):
        result = self.base_constraint.check(value)
        n = self.reinterpreted_batch_ndims
        if result.dim() < n:
            expected = self.base_constraint.event_dim + n
            raise ValueError(f"Expected value$dim() >= {expected} but got {value.dim()}")
        result = result.reshape([*result.shape[:result.dim() - n], -1])
        return result.all(dim=-1)


class _Boolean(Constraint):
    _r_name = "torch_Boolean"

    def check(self, value):
        return (value == 0) | (value == 1)


class _IntegerInterval(Constraint):
    _r_name = "torch_IntegerInterval"

    def __init__(self, lower_bound, upper_bound):
        self.lower_bound, self.upper_bound = lower_bound, upper_bound

    def check(self, value):
        return (value % 1 == 0) & (value >= self.lower_bound) & (value <= self.upper_bound)

    def _bounds(self):
        return f": (lower_bound={_num(self.lower_bound)}, upper_bound={_num(self.upper_bound)})"


class _IntegerLessThan(Constraint):
    _r_name = "torch_IntegerLessThan"

    def __init__(self, upper_bound):
        self.upper_bound = upper_bound

    def check(self, value):
        return (value % 1 == 0) & (value <= self.upper_bound)

    def _bounds(self):
        return f": (upper_bound={_num(self.upper_bound)})"


class _IntegerGreaterThan(Constraint):
    _r_name = "torch_IntegerGreaterThan"

    def __init__(self, lower_bound):
        self.lower_bound = lower_bound

    def check(self, value):
        return (value % 1 == 0) & (value >= self.lower_bound)

    def _bounds(self):
        return f": (lower_bound={_num(self.lower_bound)})"


class _Real(Constraint):
    """The extended real line: anything but NaN."""
    _r_name = "torch_Real"

    def check(self, value):
        return ~torch_isnan(value)


class _GreaterThan(Constraint):
    _r_name = "torch_GreaterThan"

    def __init__(self, lower_bound):
        self.lower_bound = lower_bound

    def check(self, value):
        return value > self.lower_bound

    def _bounds(self):
        return f": (lower_bound={_num(self.lower_bound)})"


class _GreaterThanEq(_GreaterThan):
    _r_name = "torch_GreaterThanEq"

    def check(self, value):
        return value >= self.lower_bound


class _LessThan(Constraint):
    """R torch's `.LessThan`; its check is `upper_bound < value` in R torch's source, but R torch's tests (and
    the name) want `value < upper_bound`, which is what this checks."""
    _r_name = "torch_LessThan"

    def __init__(self, upper_bound):
        self.upper_bound = upper_bound

    def check(self, value):
        return value < self.upper_bound

    def _bounds(self):
        return f": (upper_bound={_num(self.upper_bound)})"


class _Interval(Constraint):
    _r_name = "torch_Interval"

    def __init__(self, lower_bound, upper_bound):
        self.lower_bound, self.upper_bound = lower_bound, upper_bound

    def check(self, value):
        return (value >= self.lower_bound) & (value <= self.upper_bound)

    def _bounds(self):
        return f" (lower_bound={_num(self.lower_bound)}, upper_bound={_num(self.upper_bound)})"


class _HalfOpenInterval(_Interval):
    _r_name = "torch_HalfOpenInterval"

    def check(self, value):
        return (value >= self.lower_bound) & (value < self.upper_bound)


class _PositiveDefinite(Constraint):
    """Cholesky succeeds; the result has a leading dim of 1, as R torch's `$unsqueeze(1)` gives it."""
    _r_name = "torch_PositiveDefinite"
    event_dim = 2

    def check(self, value):
        return linalg_cholesky_ex(value).info.eq(0).unsqueeze(1)


class _LowerCholesky(Constraint):
    _r_name = "torch_LowerCholesky"
    event_dim = 2

    def check(self, value):
        lower = (value.tril() == value).view([*value.shape[:-2], -1]).min(-1)[0]
        positive = (value.diagonal(dim1=-2, dim2=-1) > 0).min(-1)[0]
        return lower & positive


class _Simplex(Constraint):
    _r_name = "torch_Simplex"
    event_dim = 1

    def check(self, value):
        return torch_all(value >= 0, dim=-1) & ((value.sum(dim=-1) - 1).abs() < 1e-6)


constraint_dependent = _Dependent()
constraint_boolean = _Boolean()
constraint_nonnegative_integer = _IntegerGreaterThan(0)
constraint_positive_integer = _IntegerGreaterThan(1)
constraint_real = _Real()
constraint_real_vector = _IndependentConstraint(constraint_real, 1)
constraint_positive = _GreaterThan(0.0)
constraint_greater_than = _GreaterThan
constraint_greater_than_eq = _GreaterThanEq
constraint_less_than = _LessThan
constraint_unit_interval = _Interval(0.0, 1.0)
constraint_interval = _Interval
constraint_half_open_interval = _HalfOpenInterval
constraint_positive_definite = _PositiveDefinite()
constraint_lower_cholesky = _LowerCholesky()
constraint_simplex = _Simplex()
