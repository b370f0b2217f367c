"""R torch's older linear-algebra functions (`torch_det`, `torch_svd`, `torch_lu`, `torch_triangular_solve`,
...), the libtorch ops that predate `linalg_*`: their argument orders (`torch_triangular_solve(B, A)`,
`torch_lu_solve(B, LU, pivots)`), their flags (`some`, `compute_uv`, `upper`, `transpose`) and their errors.

Multi-output functions return R torch's unnamed lists as tuples. LU pivots are LAPACK's, 1-based, as libtorch
returns them and R torch passes them on unchanged (they are row numbers, not dims or indices R shifts)."""
import numpy as np

from ._dtypes import FLOATING
from ._linalg import (_floating, _host, _householder, _matrices, _out, _tensor,
                      linalg_cholesky, linalg_det, linalg_householder_product, linalg_inv, linalg_matrix_power,
                      linalg_pinv, linalg_qr, linalg_slogdet, linalg_solve_triangular, linalg_svd)


def _lapack(name, a):
    from scipy.linalg import lapack
    return lapack.get_lapack_funcs(name, (a,))


def _batched(a):
    return a.reshape((-1,) + a.shape[-2:])


def _not_for(A, kernel):
    """libtorch's dispatch error of a kernel without integer or Half forms."""
    if A.dtype.category < FLOATING or A.dtype.name == "Half":
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{A.dtype.name}'")


def _square(a, name):
    if a.shape[-1] != a.shape[-2]:
        raise RuntimeError(f"{name}A must be batches of square matrices, but they are {a.shape[-2]} by "
                           f"{a.shape[-1]} matrices")


def _broadcast_batch(a, b):
    batch = np.broadcast_shapes(a.shape[:-2], b.shape[:-2])
    return np.broadcast_to(a, batch + a.shape[-2:]), np.broadcast_to(b, batch + b.shape[-2:])


# ---- determinants and inverses ------------------------------------------------------------------------

def det(self):
    """`torch_det(self)`, `x$det()`: libtorch's `linalg_det`."""
    return linalg_det(self)


def slogdet(self):
    """`list(sign, logabsdet)`: libtorch's `linalg_slogdet`."""
    return linalg_slogdet(self)


def logdet(self):
    """The log of the determinant: NaN where it is negative, -Inf where it is 0."""
    A, a = _matrices(self, "logdet")
    sign, logabs = np.linalg.slogdet(a)
    if not np.iscomplexobj(a):
        logabs = np.where(sign == -1, np.nan, logabs)
    else:
        logabs = logabs + np.log(sign)
    return _out(logabs, A, a.dtype)


def inverse(self):
    """`torch_inverse(self)`, `x$inverse()`: libtorch's `linalg_inv`."""
    return linalg_inv(self)


def pinverse(self, rcond=1e-15):
    """The pseudo-inverse, dropping singular values at or below `rcond` times the largest (libtorch's
    `linalg_pinv(self, rtol = rcond)`)."""
    return linalg_pinv(self, atol=0.0, rtol=float(rcond))


def matrix_power(self, n):
    """`self` to the integer power `n`: libtorch's `linalg_matrix_power`."""
    return linalg_matrix_power(self, n)


def matrix_exp(self):
    """The matrix exponential of each square matrix (SciPy's scaling and squaring Padé approximant)."""
    from scipy.linalg import expm
    A, a = _matrices(self, "linalg.matrix_exp")
    if a.size == 0:
        return _out(a.copy(), A)
    return _out(expm(a), A, a.dtype)


# ---- decompositions -----------------------------------------------------------------------------------

def svd(self, some=True, compute_uv=True):
    """`list(U, S, V)` with `self = U diag(S) V^H` (V, not linalg_svd's Vh); `some = FALSE` gives square U
    and V; `compute_uv = FALSE` gives zero-filled square U and V."""
    A = _tensor(self)
    a = _floating(A, "linalg.svd")
    if a.ndim < 2:
        raise RuntimeError(f"linalg.svd: input should have at least 2 dimensions, but has {a.ndim} dimensions "
                           "instead")
    m, n = a.shape[-2:]
    if not compute_uv:
        s = _host(linalg_svd(A, full_matrices=False)[1])
        batch = a.shape[:-2]
        return (_out(np.zeros(batch + (m, m), a.dtype), A), _out(s, A),
                _out(np.zeros(batch + (n, n), a.dtype), A))
    u, s, vh = linalg_svd(A, full_matrices=not some)
    return u, s, _out(np.swapaxes(_host(vh), -1, -2).conj(), A)


def qr(self, some=True):
    """`list(Q, R)`: libtorch's `linalg_qr(mode = "reduced")`, or `"complete"` for `some = FALSE`."""
    return linalg_qr(self, "reduced" if some else "complete")


def _getrf(a):
    """LAPACK getrf on every matrix: (LU, 1-based Int pivots, Int info)."""
    flat = _batched(a)
    k = min(a.shape[-2:])
    lu = np.empty_like(flat)
    piv = np.empty((flat.shape[0], k), np.int32)
    info = np.zeros(flat.shape[0], np.int32)
    if flat.size:
        getrf = _lapack("getrf", flat)
        for i, m in enumerate(flat):
            lu[i], p, info[i] = getrf(m)
            piv[i] = p[:k] + 1
    else:
        piv[:] = np.arange(1, k + 1, dtype=np.int32)
    batch = a.shape[:-2]
    return lu.reshape(a.shape), piv.reshape(batch + (k,)), info.reshape(batch)


def torch_lu(A, pivot=True, get_infos=False):
    """`list(LU, pivots)` (with `get_infos = TRUE`, `list(LU, pivots, infos)`): LAPACK's packed factors,
    1-based Int pivots and getrf's Int info (0, or the first zero pivot). Without pivoting libtorch's CPU
    has no LU; R torch's `out =` is Python's assignment."""
    A = _tensor(A)
    _not_for(A, "lu_cpu")
    a = _host(A)
    if a.ndim < 2:
        raise RuntimeError(f"torch.lu_factor: Expected tensor with 2 or more dimensions. Got size: "
                           f"{list(a.shape)} instead")
    if not pivot:
        raise RuntimeError("linalg.lu_factor: LU without pivoting is not implemented on the CPU")
    lu, piv, info = _getrf(a)
    out = (_out(lu, A), _out(piv, A), _out(info, A))
    return out if get_infos else out[:2]


def _permutation(piv, m):
    """The permutation matrices P (A = P L U) of LAPACK's row interchanges."""
    flat = piv.reshape(-1, piv.shape[-1]) if piv.ndim else piv.reshape(1, -1)
    perms = np.tile(np.arange(m), (flat.shape[0], 1))
    for b, p in enumerate(flat):
        for i, j in enumerate(p.tolist()):
            if not 1 <= j <= m:
                raise RuntimeError(f"torch.lu_unpack: pivots must be between 1 and {m}, but got {j}")
            perms[b, [i, j - 1]] = perms[b, [j - 1, i]]
    eye = np.eye(m)
    return eye[:, perms].transpose(1, 0, 2).reshape(piv.shape[:-1] + (m, m))


def lu_unpack(LU_data, LU_pivots, unpack_data=True, unpack_pivots=True):
    """`list(P, L, U)` from `torch_lu()`'s factors and 1-based pivots; what is not unpacked is an empty
    tensor."""
    LU, piv = _tensor(LU_data), _tensor(LU_pivots)
    a = _host(LU)
    if a.ndim < 2:
        raise RuntimeError("torch.lu_unpack: Expected tensor with 2 or more dimensions. Got size: "
                           f"{list(a.shape)} instead")
    if piv.dtype.name != "Int":
        raise RuntimeError("torch.lu_unpack: LU_pivots is expected to be a contiguous tensor of torch.int32 "
                           f"dtype.\nNote: this function is intended to be used with the output produced by "
                           "torch.linalg.lu_factor")
    m, n = a.shape[-2:]
    k = min(m, n)
    empty = np.zeros((0,), a.dtype)
    L = U = P = empty
    if unpack_data:
        L = np.tril(a[..., :, :k], -1)
        L[..., np.arange(k), np.arange(k)] = 1
        U = np.triu(a[..., :k, :])
    if unpack_pivots:
        P = _permutation(_host(piv), m).astype(a.dtype)
    return _out(P, LU), _out(L, LU), _out(U, LU)


def lu_solve(self, LU_data, LU_pivots):
    """X with `A X = self`, A given by `torch_lu()`'s factors and pivots (R torch's order: right-hand side
    first); batch dims broadcast."""
    B, LU = _tensor(self), _tensor(LU_data)
    b, lu = _host(B), _host(LU)
    piv = _host(_tensor(LU_pivots))
    if lu.ndim < 2 or b.ndim < 2:
        raise RuntimeError("linalg.lu_solve: The input tensor A must have at least 2 dimensions.")
    _square(lu, "linalg.lu_solve: ")
    if b.shape[-2] != lu.shape[-1]:
        raise RuntimeError(f"linalg.lu_solve: Incompatible shapes of A and B for the equation AX = B "
                           f"({lu.shape[-2]}x{lu.shape[-1]} and {b.shape[-2]}x{b.shape[-1]})")
    if B.dtype is not LU.dtype:
        raise RuntimeError(f"linalg.lu_solve: Expected LU and B to have the same dtype, but found LU of type "
                           f"{LU.dtype.name} and B of type {B.dtype.name} instead")
    batch = np.broadcast_shapes(lu.shape[:-2], b.shape[:-2], piv.shape[:-1])
    lu = _batched(np.broadcast_to(lu, batch + lu.shape[-2:]))
    b2 = _batched(np.broadcast_to(b, batch + b.shape[-2:]))
    piv = np.broadcast_to(piv, batch + piv.shape[-1:]).reshape(-1, piv.shape[-1])
    x = np.empty(b2.shape, np.result_type(lu, b2))
    if x.size:
        getrs = _lapack("getrs", lu)
        for i in range(x.shape[0]):
            x[i] = getrs(lu[i], piv[i] - 1, b2[i])[0]
    return _out(x.reshape(batch + b.shape[-2:]), B)


def triangular_solve(self, A, upper=True, transpose=False, unitriangular=False):
    """`list(solution, cloned_coefficient)`: X with `op(A) X = self` for triangular A (`op` the transpose
    when `transpose`), only A's `upper` triangle read, and A broadcast to the batch (R torch's order:
    right-hand side first)."""
    B, A = _tensor(self), _tensor(A)
    b, a = _host(B), _host(A)
    if b.ndim < 2:
        raise RuntimeError(f"torch.triangular_solve: Expected b to have at least 2 dimensions, but it has "
                           f"{b.ndim} dimensions instead")
    if a.ndim < 2:
        raise RuntimeError(f"torch.triangular_solve: Expected A to have at least 2 dimensions, but it has "
                           f"{a.ndim} dimensions instead")
    if B.dtype is not A.dtype:
        raise RuntimeError(f"Expected b and A to have the same dtype, but found b of type {B.dtype.name} and A "
                           f"of type {A.dtype.name} instead.")
    _square(a, "")
    if b.shape[-2] != a.shape[-1]:
        raise RuntimeError(f"Incompatible matrix sizes for triangular_solve: each A matrix is {a.shape[-2]} by "
                           f"{a.shape[-1]} but each b matrix is {b.shape[-2]} by {b.shape[-1]}")
    a, b = _broadcast_batch(a, b)
    tri = np.triu(a) if upper else np.tril(a)
    if transpose:
        tri = np.swapaxes(tri, -1, -2)
    x = linalg_solve_triangular(_out(tri, A), _out(b, B), upper=upper != bool(transpose),
                                unitriangular=unitriangular)
    return x, _out(a.copy(), A)


def _square_batch(self, kernel, prefix):
    """The tensor and its host array, after libtorch's checks for a batch of square matrices (`kernel`
    names the dtype error; `prefix` starts the shape errors)."""
    T = _tensor(self)
    _not_for(T, kernel)
    a = _host(T)
    if a.ndim < 2:
        raise RuntimeError(f"{prefix}The input tensor A must have at least 2 dimensions.")
    _square(a, prefix)
    return T, a


def cholesky(self, upper=False):
    """The Cholesky factor: lower (`A = L L^H`), or upper (`A = U^H U`) when `upper`."""
    A, a = _square_batch(self, "cholesky_cpu", "cholesky: ")
    try:
        L = _host(linalg_cholesky(A))
    except RuntimeError as e:
        raise RuntimeError(str(e).replace("linalg.cholesky: ", "cholesky: ", 1)) from None
    return _out(np.swapaxes(L, -1, -2).conj() if upper else L, A)


def _factor(L, upper):
    return np.swapaxes(L, -1, -2).conj() if upper else L


def cholesky_solve(self, input2, upper=False):
    """X with `A X = self`, A given by its Cholesky factor `input2` (lower, or upper when `upper`); batch
    dims broadcast."""
    B, F = _tensor(self), _tensor(input2)
    _not_for(F, "cholesky_solve_cpu")
    b, f = _host(B), _host(F)
    if b.ndim < 2:
        raise RuntimeError(f"b should have at least 2 dimensions, but has {b.ndim} dimensions instead")
    if f.ndim < 2:
        raise RuntimeError(f"u should have at least 2 dimensions, but has {f.ndim} dimensions instead")
    if B.dtype is not F.dtype:
        raise RuntimeError(f"Expected b and A to have the same dtype, but found b of type {B.dtype.name} and A "
                           f"of type {F.dtype.name} instead.")
    _square(f, "")
    if b.shape[-2] != f.shape[-1]:
        raise RuntimeError(f"Incompatible matrix sizes for cholesky_solve: each A matrix is {f.shape[-2]} by "
                           f"{f.shape[-1]} but each b matrix is {b.shape[-2]} by {b.shape[-1]}")
    L = np.tril(_factor(np.triu(f) if upper else f, upper))
    L, b = _broadcast_batch(L, b)
    with np.errstate(all="ignore"):
        y = np.linalg.solve(L, b) if L.size else b.copy()
        x = np.linalg.solve(np.swapaxes(L, -1, -2).conj(), y) if L.size else y
    return _out(x, B, b.dtype)


def cholesky_inverse(self, upper=False):
    """The inverse of `A = L L^H` (`U^H U` when `upper`) from its Cholesky factor."""
    F, f = _square_batch(self, "cholesky_inverse_out_cpu", "cholesky_inverse: ")
    L = np.tril(_factor(np.triu(f) if upper else f, upper))
    with np.errstate(all="ignore"):
        inv_l = np.linalg.inv(L) if L.size else L
    return _out(np.swapaxes(inv_l, -1, -2).conj() @ inv_l, F, f.dtype)


def orgqr(self, input2):
    """The first n columns of Q from `torch_geqrf()`'s reflectors `self` and scales `input2`:
    `linalg_householder_product`."""
    return linalg_householder_product(self, input2)


def ormqr(self, input2, input3, left=True, transpose=False):
    """`op(Q) input3` (`left`) or `input3 op(Q)`, with Q the full m x m product of `torch_geqrf()`'s
    reflectors (`self`, `input2`) and `op` its conjugate transpose when `transpose`."""
    A, tau, C = _tensor(self), _tensor(input2), _tensor(input3)
    a, t, c = _floating(A, "torch.ormqr"), _host(tau), _host(C)
    if a.ndim < 2:
        raise RuntimeError("torch.ormqr: input must have at least 2 dimensions.")
    if c.ndim < 2:
        raise RuntimeError("torch.ormqr: other must have at least 2 dimensions.")
    side = -2 if left else -1
    if c.shape[side] != a.shape[-2]:
        raise RuntimeError(f"torch.ormqr: other.shape[{side}] must be equal to input.shape[-2]")
    if t.shape[-1] > c.shape[side]:
        raise RuntimeError(f"torch.ormqr: tau.shape[-1] must be less than or equal to other.shape[{side}]")
    if t.ndim != a.ndim - 1:
        raise RuntimeError(f"torch.ormqr: Expected tau to have one dimension less than input, but got "
                           f"tau.ndim equal to {t.ndim} and input.ndim is equal to {a.ndim}")
    for what, other in (("tau", tau), ("other", C)):
        if other.dtype is not A.dtype:
            raise RuntimeError(f"torch.ormqr: Expected input and {what} to have the same dtype, but input has "
                               f"dtype{A.dtype.name} and {what} has dtype {other.dtype.name}")
    m = a.shape[-2]
    k = t.shape[-1]
    base = np.zeros(a.shape[:-1] + (m,), a.dtype)
    base[..., :, :min(k, a.shape[-1])] = a[..., :, :min(k, a.shape[-1])]
    q = _householder(base, t)
    if transpose:
        q = np.swapaxes(q, -1, -2).conj()
    return _out(q @ c if left else c @ q, A, a.dtype)

