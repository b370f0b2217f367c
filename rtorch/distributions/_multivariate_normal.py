"""R torch's `distr_multivariate_normal(loc, covariance_matrix, precision_matrix, scale_tril)`
(R/distributions-multivariate_normal.R), parameterised by the lower Cholesky factor of the covariance."""
import math

from .._functions import torch_broadcast_shapes, torch_eye, torch_flip, torch_matmul, torch_transpose
from .._tensor import Tensor
from . import constraints
from ._distribution import Distribution
from ._utils import as_shape, linalg_cholesky, linalg_solve_triangular, standard_normal

__all__ = ["distr_multivariate_normal", "MultivariateNormal"]


def _batch_mv(bmat, bvec):
    return torch_matmul(bmat, bvec.unsqueeze(-1)).squeeze(-1)


def _batch_mahalanobis(L, x):
    """`x' (L L')^-1 x` for each vector `x` (the last dim), `L` broadcast against `x`'s batch dims."""
    batch = torch_broadcast_shapes(L.shape[:-2], x.shape[:-1])
    n = L.size(-1)
    Lb = L.expand([*batch, n, n])
    xb = x.expand([*batch, n]).unsqueeze(-1)
    return linalg_solve_triangular(Lb, xb, upper=False).pow(2).sum(-1).sum(-1)


def _precision_to_scale_tril(P):
    Lf = linalg_cholesky(torch_flip(P, [-2, -1]))
    L_inv = torch_transpose(torch_flip(Lf, [-2, -1]), -2, -1)
    Id = torch_eye(P.size(-1), dtype=P.dtype, device=P.device)
    return linalg_solve_triangular(L_inv, Id, upper=False)


class MultivariateNormal(Distribution):
    """The event is the last dim of `loc`; exactly one of `covariance_matrix`, `precision_matrix`,
    `scale_tril` is given. The matrix properties are computed from the Cholesky factor when not given."""
    _r_name = "torch_MultivariateNormal"
    _arg_constraints = {"loc": constraints.constraint_real_vector,
                        "covariance_matrix": constraints.constraint_positive_definite,
                        "precision_matrix": constraints.constraint_positive_definite,
                        "scale_tril": constraints.constraint_lower_cholesky}
    _support = constraints.constraint_real_vector
    has_rsample = True

    def __init__(self, loc, covariance_matrix=None, precision_matrix=None, scale_tril=None, validate_args=None):
        if not isinstance(loc, Tensor):
            raise TypeError(f"loc must be a tensor, not {type(loc).__name__}")
        if loc.dim() < 1:
            raise ValueError("loc must be at least one-dimensional.")
        if (covariance_matrix is None) + (precision_matrix is None) + (scale_tril is None) != 2:
            raise ValueError("Exactly one of covariance_matrix or precision_matrix or scale_tril may be specified.")
        self._scale_tril = self._covariance_matrix = self._precision_matrix = None
        for name, m in (("scale_tril", scale_tril), ("covariance_matrix", covariance_matrix),
                        ("precision_matrix", precision_matrix)):
            if m is not None:
                if m.dim() < 2:
                    raise ValueError(f"{name} matrix must be at least two-dimensional with optional leading "
                                     "batch dimensions")
                batch_shape = torch_broadcast_shapes(m.shape[:-2], loc.shape[:-1])
                setattr(self, "_" + name, m.expand([*batch_shape, -1, -1]))
        self.loc = loc.expand([*batch_shape, -1])
        super().__init__(batch_shape, self.loc.shape[-1:], validate_args=validate_args)
        if scale_tril is not None:
            self._unbroadcasted_scale_tril = scale_tril
        elif covariance_matrix is not None:
            self._unbroadcasted_scale_tril = linalg_cholesky(covariance_matrix)
        else:
            self._unbroadcasted_scale_tril = _precision_to_scale_tril(precision_matrix)

    def expand(self, batch_shape, _instance=None):
        """The given matrix expanded, the Cholesky factor shared (R torch's expand stops on a typo)."""
        batch = as_shape(batch_shape, "batch_shape")
        new = self._new_like(batch)
        self._finish_expand(new, batch)
        ev = self._event_shape
        new.loc = self.loc.expand([*batch, *ev])
        new._unbroadcasted_scale_tril = self._unbroadcasted_scale_tril
        for name in ("_scale_tril", "_covariance_matrix", "_precision_matrix"):
            m = getattr(self, name)
            setattr(new, name, None if m is None else m.expand([*batch, *ev, *ev]))
        return new

    def _matrix_shape(self):
        return [*self._batch_shape, *self._event_shape, *self._event_shape]

    @property
    def scale_tril(self):
        if self._scale_tril is not None:
            return self._scale_tril
        return self._unbroadcasted_scale_tril.expand(self._matrix_shape())

    @property
    def covariance_matrix(self):
        if self._covariance_matrix is not None:
            return self._covariance_matrix
        L = self._unbroadcasted_scale_tril
        return torch_matmul(L, L.transpose(-1, -2)).expand(self._matrix_shape())

    @property
    def precision_matrix(self):
        """`(L L')^-1`, as R torch's `torch_cholesky_solve(I, L)` computes it (here by two triangular solves)."""
        if self._precision_matrix is not None:
            return self._precision_matrix
        L = self._unbroadcasted_scale_tril
        Id = torch_eye(self.loc.size(-1), dtype=self.loc.dtype, device=self.loc.device)
        L_inv = linalg_solve_triangular(L, Id, upper=False)
        return torch_matmul(L_inv.transpose(-1, -2), L_inv).expand(self._matrix_shape())

    @property
    def mean(self):
        return self.loc

    @property
    def variance(self):
        return self._unbroadcasted_scale_tril.pow(2).sum(-1).expand([*self._batch_shape, *self._event_shape])

    def rsample(self, sample_shape=None):
        eps = standard_normal(self._extended_shape(sample_shape), self.loc.dtype, self.loc.device)
        return self.loc + _batch_mv(self._unbroadcasted_scale_tril, eps)

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        diff = value - self.loc
        M = _batch_mahalanobis(self._unbroadcasted_scale_tril, diff)
        half_log_det = self._unbroadcasted_scale_tril.diagonal(dim1=-2, dim2=-1).log().sum(-1)
        return -0.5 * (self._event_shape[0] * math.log(2 * math.pi) + M) - half_log_det

    def entropy(self):
        half_log_det = self._unbroadcasted_scale_tril.diagonal(dim1=-2, dim2=-1).log().sum(-1)
        H = 0.5 * self._event_shape[0] * (1.0 + math.log(2 * math.pi)) + half_log_det
        return H if len(self._batch_shape) == 0 else H.expand(list(self._batch_shape))


def distr_multivariate_normal(loc, covariance_matrix=None, precision_matrix=None, scale_tril=None,
                              validate_args=None):
    """R torch's `distr_multivariate_normal()`: a Gaussian over vectors with mean `loc`."""
    return MultivariateNormal(loc, covariance_matrix, precision_matrix, scale_tril, validate_args)
