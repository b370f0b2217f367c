"""R torch's `linalg_*()` functions (and `torch_geqrf`, `torch_bmm`) on numpy.linalg, with libtorch's result
dtypes (Float in, Float out; complex eigenvalues), batch dims, 1-based `dim=` and libtorch's errors.

Multi-output functions return what R torch returns: an unnamed list is a tuple, a named list
(`linalg_lstsq`, `linalg_cholesky_ex`, `linalg_inv_ex`) a named tuple (`res.solution`, `res[0]`)."""
import math
import warnings
from collections import namedtuple

import numpy as np

from ._dtypes import DTYPES, FLOATING, as_dtype
from ._tensor import Tensor, wrap
from ._scalars import _shape_text
from ._creation import torch_tensor
from ._indexing import dim0

_LONG, _INT32 = DTYPES["Long"], DTYPES["Int"]
_REAL_OF = {np.dtype(np.complex64): np.dtype(np.float32), np.dtype(np.complex128): np.dtype(np.float64)}
_COMPLEX_OF = {np.dtype(np.float32): np.dtype(np.complex64), np.dtype(np.float64): np.dtype(np.complex128)}

LstsqResult = namedtuple("LstsqResult", ["solution", "residuals", "rank", "singular_values"])
CholeskyExResult = namedtuple("CholeskyExResult", ["L", "info"])
InvExResult = namedtuple("InvExResult", ["inverse", "info"])


# ---- helpers ------------------------------------------------------------------------------------------

def _tensor(x):
    if isinstance(x, Tensor):
        return x
    return torch_tensor(x)


def _host(t):
    from ._devices import to_host
    return to_host(t._data)


def _out(array, like, dtype=None):
    """A result array as a tensor on `like`'s device (in `dtype` when given)."""
    array = np.asarray(array)
    if dtype is not None and array.dtype != dtype:
        array = array.astype(dtype)
    if type(like._data) is not np.ndarray:
        from ._devices import to_device_array
        array = to_device_array(array, like.device)
    return wrap(array)


def _floating(A, name):
    """`A`'s data on the host; libtorch's error for anything but Float, Double and the complex types."""
    cat = A.dtype.category
    if cat < FLOATING:
        raise RuntimeError(f"{name}: Expected a floating point or complex tensor as input. Got {A.dtype.name}")
    if A.dtype.name == "Half":
        raise NotImplementedError(f"\"{name}\" not implemented for 'Half'")
    return _host(A)


def _matrices(A, name, square=True, what="A"):
    A = _tensor(A)
    a = _floating(A, name)
    if a.ndim < 2:
        raise RuntimeError(f"{name}: The input tensor {what} must have at least 2 dimensions.")
    if square and a.shape[-1] != a.shape[-2]:
        raise RuntimeError(f"{name}: {what} must be batches of square matrices, but they are "
                           f"{a.shape[-2]} by {a.shape[-1]} matrices")
    return A, a


def _batch_prefix(a, i):
    return f"(Batch element {i}): " if a.ndim > 2 else ""


def _each(a):
    """(batch index, matrix) over the matrices of `a`."""
    flat = a.reshape((-1,) + a.shape[-2:])
    return enumerate(flat)


def _lu_zero_pivot(m):
    """The 1-based position of the first zero pivot of LAPACK's getrf (partial pivoting), 0 if none."""
    m = np.array(m, dtype=np.complex128 if np.iscomplexobj(m) else np.float64)
    n = m.shape[0]
    info = 0
    for j in range(n):
        p = j + int(np.argmax(np.abs(m[j:, j])))
        if m[p, j] == 0:
            info = info or j + 1
            continue
        m[[j, p]] = m[[p, j]]
        m[j + 1:, j] /= m[j, j]
        m[j + 1:, j + 1:] -= np.outer(m[j + 1:, j], m[j, j + 1:])
    return info


def _singular_info(a):
    """getrf's info for every matrix of `a` (shape: the batch dims), as Int."""
    return np.array([_lu_zero_pivot(m) for _, m in _each(a)], dtype=np.int32).reshape(a.shape[:-2])


def _cholesky_partial(m):
    """LAPACK potf2 (lower) on one matrix: the factor and info (first failing leading minor, 0 if none)."""
    m = np.tril(np.array(m))
    n = m.shape[0]
    for j in range(n):
        d = m[j, j] - np.vdot(m[j, :j], m[j, :j])
        if np.iscomplexobj(d):
            d = d.real
        if not d > 0:
            m[j, j] = d
            return m, j + 1
        m[j, j] = math.sqrt(d)
        m[j + 1:, j] = (m[j + 1:, j] - m[j + 1:, :j] @ m[j, :j].conj()) / m[j, j]
    return m, 0


def _ord_name(ord):
    if isinstance(ord, str):
        return ord
    return ("inf" if ord > 0 else "-inf") if math.isinf(ord) else f"{ord:g}"


# ---- norms --------------------------------------------------------------------------------------------

def _norm_dtype(A, dtype, name):
    """The input cast to the `dtype=` argument, checked as libtorch checks it."""
    a = _floating(A, name)
    if dtype is None:
        return a
    d = as_dtype(dtype)
    if d.category < FLOATING:
        raise RuntimeError(f"{name}: dtype should be floating point or complex, but got {d.name}")
    if A.dtype.is_complex and not d.is_complex:
        raise RuntimeError(f"{name}: dtype should be complex for complex inputs, but got {d.name}")
    if not A.dtype.is_complex and d.is_complex:
        raise RuntimeError(f"{name}: dtype should be real for real inputs, but got {d.name}")
    return a.astype(d.numpy, copy=False)


def _dims(dim, ndim):
    if dim is None:
        return None
    if isinstance(dim, Tensor):
        dim = dim._data.tolist()
    return tuple(dim0(d, ndim) for d in np.ravel(dim).tolist())


def _vector_norm(a, ord, axes, keepdim):
    if np.ndim(a) == 0:  # a 0-d tensor's dim 1 (or -1) is all of it, and keepdim keeps no dims
        axes = None
    x = np.abs(a)
    real = _REAL_OF.get(a.dtype, a.dtype)
    x = x.astype(real, copy=False)
    if x.size == 0 and (ord < 0 or math.isinf(ord)):
        raise RuntimeError(f"linalg.vector_norm cannot compute the {_ord_name(ord)} norm on an empty tensor "
                           "because the operation does not have an identity")
    if ord == math.inf:
        out = np.max(x, axis=axes, keepdims=keepdim)
    elif ord == -math.inf:
        out = np.min(x, axis=axes, keepdims=keepdim)
    elif ord == 0:
        out = np.sum(x != 0, axis=axes, keepdims=keepdim)
    elif ord == 1:
        out = np.sum(x, axis=axes, keepdims=keepdim)
    elif ord == 2:
        out = np.sqrt(np.sum(x * x, axis=axes, keepdims=keepdim))
    else:
        out = np.sum(x ** real.type(ord), axis=axes, keepdims=keepdim) ** real.type(1 / ord)
    return np.asarray(out).astype(real, copy=False)


def linalg_vector_norm(A, ord=2, dim=None, keepdim=False, dtype=None):
    """The vector `ord`-norm over `dim` (1-based; all elements when NULL), real-valued."""
    A = _tensor(A)
    if isinstance(ord, str):
        raise TypeError(f"linalg_vector_norm(): argument 'ord' must be Number, not str")
    if A.dtype.name == "Half" and dtype is None:  # libtorch computes Half in float (its opmath), result Half
        a = _host(A).astype(np.float32)
        return _out(_vector_norm(a, float(ord), _dims(dim, a.ndim), keepdim).astype(np.float16), A)
    a = _norm_dtype(A, dtype, "linalg.vector_norm")
    return _out(_vector_norm(a, float(ord), _dims(dim, a.ndim), keepdim), A)


_MATRIX_ORDS = ("fro", "nuc", math.inf, -math.inf, 1, -1, 2, -2)


def _matrix_norm(a, ord, axes, keepdim):
    r, c = axes
    if ord not in _MATRIX_ORDS:
        raise RuntimeError(f"linalg.matrix_norm: Order {_ord_name(ord)} not supported.")
    if r == c:
        raise RuntimeError(f"linalg.matrix_norm: dims must be different. Got ({r}, {c})")
    real = _REAL_OF.get(a.dtype, a.dtype)
    if ord == "fro":
        return _vector_norm(a, 2.0, (r, c), keepdim)
    if ord in ("nuc", 2, -2):
        moved = np.moveaxis(a, (r, c), (-2, -1))
        if moved.size == 0 and ord != "nuc":
            raise RuntimeError("linalg.matrix_norm: The input tensor A must have at least 1 element.")
        s = np.linalg.svd(moved, compute_uv=False)
        out = s.sum(-1) if ord == "nuc" else (s.max(-1) if ord == 2 else s.min(-1))
        if keepdim:
            out = np.expand_dims(out, tuple(sorted((r % a.ndim, c % a.ndim))))
        return np.asarray(out).astype(real, copy=False)
    x = np.abs(a).astype(real, copy=False)
    reduce_first, reduce_then = (r, c) if ord in (1, -1) else (c, r)
    sums = np.sum(x, axis=reduce_first, keepdims=True)
    pick = np.max if ord > 0 else np.min
    if sums.shape[reduce_then] == 0:
        raise IndexError(f"{'amax' if ord > 0 else 'amin'}(): Expected reduction dim {reduce_then % a.ndim} to have "
                         "non-zero size.")
    out = pick(sums, axis=reduce_then, keepdims=True)
    if not keepdim:
        out = np.squeeze(out, axis=(r, c))
    return np.asarray(out).astype(real, copy=False)


def linalg_matrix_norm(A, ord="fro", dim=(-2, -1), keepdim=False, dtype=None):
    """The matrix norm (`"fro"`, `"nuc"`, `Inf`, `-Inf`, 1, -1, 2, -2) over the two 1-based dims `dim`."""
    A = _tensor(A)
    # Half: the norms libtorch builds from sums and maxima (all but the SVD ones) run in float, a Half result
    half = A.dtype.name == "Half" and dtype is None and ord not in ("nuc", 2, -2)
    a = _host(A).astype(np.float32) if half else _norm_dtype(A, dtype, "linalg.matrix_norm")
    if a.ndim < 2:
        raise RuntimeError("linalg.matrix_norm: The input tensor A must have at least 2 dimensions.")
    axes = _dims(dim, a.ndim)
    if len(axes) != 2:
        raise RuntimeError(f"linalg.matrix_norm: dim must be a 2-tuple. Got {' '.join(map(str, axes))}")
    out = _matrix_norm(a, ord, axes, keepdim)
    return _out(out.astype(np.float16) if half else out, A)


def linalg_norm(A, ord=None, dim=None, keepdim=False, dtype=None):
    """A vector norm (1-d input or one `dim`) or a matrix norm (2-d input or two `dim`s); without `ord`
    and `dim`, the 2-norm of all elements."""
    A = _tensor(A)
    a = _norm_dtype(A, dtype, "linalg.vector_norm")
    axes = _dims(dim, a.ndim)
    if axes is None:
        if ord is None:
            return _out(_vector_norm(a, 2.0, None, keepdim), A)
        if a.ndim not in (1, 2):
            raise RuntimeError(f"linalg.norm: If dim is not specified but ord is, the input must be 1D or 2D. "
                               f"Got {a.ndim}D.")
        axes = tuple(range(a.ndim))
    if len(axes) == 1:
        if isinstance(ord, str):
            raise RuntimeError("linalg.matrix_norm: The input tensor A must have at least 2 dimensions.")
        return _out(_vector_norm(a, 2.0 if ord is None else float(ord), axes, keepdim), A)
    if len(axes) == 2:
        return _out(_matrix_norm(a, "fro" if ord is None else ord, axes, keepdim), A)
    raise RuntimeError(f"linalg.norm: If dim is specified, it must be of length 1 or 2. "
                       f"Got {_shape_text(axes)}")


# ---- determinants, ranks, conditions ------------------------------------------------------------------

def linalg_det(A):
    """The determinant of each square matrix (batch dims kept)."""
    A, a = _matrices(A, "linalg.det")
    return _out(np.linalg.det(a), A, a.dtype)


def linalg_slogdet(A):
    """`list(sign, logabsdet)` of each square matrix."""
    A, a = _matrices(A, "linalg.slogdet")
    sign, logabs = np.linalg.slogdet(a)
    return _out(sign, A, a.dtype), _out(logabs, A, _REAL_OF.get(a.dtype, a.dtype))


def _svdvals(a):
    if a.size == 0:
        return np.zeros(a.shape[:-2] + (min(a.shape[-2:]),), _REAL_OF.get(a.dtype, a.dtype))
    return np.linalg.svd(a, compute_uv=False)


def _inv_or_inf(a):
    """The inverse of each matrix; a singular one gives Inf (what linalg.cond needs)."""
    try:
        return np.linalg.inv(a)
    except np.linalg.LinAlgError:
        flat = a.reshape((-1,) + a.shape[-2:]).copy()
        for i, m in enumerate(flat):
            try:
                flat[i] = np.linalg.inv(m)
            except np.linalg.LinAlgError:
                flat[i] = np.inf
        return flat.reshape(a.shape)


def linalg_cond(A, p=None):
    """The condition number in the `p` norm (NULL: the 2-norm, from singular values)."""
    A = _tensor(A)
    a = _floating(A, "linalg.cond")
    if a.ndim < 2:
        raise RuntimeError("linalg.cond: The input tensor must have at least 2 dimensions.")
    real = _REAL_OF.get(a.dtype, a.dtype)
    if a.shape[-1] == 0 and a.shape[-2] == 0:  # libtorch: the condition number of a 0 x 0 matrix is 0
        return _out(np.zeros(a.shape[:-2], real), A)
    if p is None or (not isinstance(p, str) and p in (2, -2)):
        s = _svdvals(a)
        out = s[..., 0] / s[..., -1] if p in (None, 2) else s[..., -1] / s[..., 0]
        return _out(out, A, real)
    if p not in _MATRIX_ORDS:
        raise RuntimeError(f"linalg.cond got an invalid norm type: {_ord_name(p)}")
    if a.shape[-1] != a.shape[-2]:
        raise RuntimeError(f"linalg.cond(ord={_ord_name(p)}): A must be batches of square matrices, but they are "
                           f"{a.shape[-2]} by {a.shape[-1]} matrices")
    axes = (a.ndim - 2, a.ndim - 1)
    out = _matrix_norm(a, p, axes, False) * _matrix_norm(_inv_or_inf(a), p, axes, False)
    return _out(np.nan_to_num(out, nan=np.inf, posinf=np.inf), A, real)


def _tolerances(atol, rtol, tol, replaced):
    if tol is not None:
        warnings.warn(replaced, stacklevel=3)
        atol = tol
    return (0.0 if atol is None else float(atol)), (0.0 if rtol is None else float(rtol))


def linalg_matrix_rank(A, atol=None, rtol=None, tol=None, hermitian=False):
    """The number of singular values (eigenvalues' moduli when `hermitian`) above max(atol, rtol * largest),
    as Long; R torch passes 0 for an absent `atol`/`rtol` and warns that `tol` is deprecated."""
    atol, rtol = _tolerances(atol, rtol, tol, "`tol` argument is deprecated in favor of `atol` and `rtol`.")
    A = _tensor(A)
    if A.dtype.category < FLOATING:
        raise RuntimeError("This function doesn't handle types other than float and double")
    a = _host(A)
    if a.ndim < 2:
        raise RuntimeError("torch.linalg.matrix_rank: The input tensor input must have at least 2 dimensions.")
    s = np.abs(np.linalg.eigvalsh(a)) if hermitian else _svdvals(a)
    top = s.max(-1, initial=0.0) if s.shape[-1] else np.zeros(s.shape[:-1])
    cut = np.maximum(atol, rtol * top)
    return _out(np.sum(s > cut[..., None], axis=-1), A, np.int64)


# ---- factorizations -----------------------------------------------------------------------------------

def _cholesky_error(a, info):
    i = int(np.flatnonzero(info.ravel())[0])
    return RuntimeError(f"linalg.cholesky: {_batch_prefix(a, i)}The factorization could not be completed because "
                        f"the input is not positive-definite (the leading minor of order {info.ravel()[i]} is "
                        "not positive-definite).")


def linalg_cholesky_ex(A, check_errors=False):
    """`list(L = , info = )`: the lower Cholesky factor and an Int `info` (0, or the first leading minor
    that is not positive-definite; then `L` is LAPACK's partial factor)."""
    A, a = _matrices(A, "linalg.cholesky")
    flat = a.reshape((-1,) + a.shape[-2:])
    L = np.empty_like(flat)
    info = np.zeros(flat.shape[0], np.int32)
    for i, m in enumerate(flat):
        try:
            L[i] = np.linalg.cholesky(m)
        except np.linalg.LinAlgError:
            L[i], info[i] = _cholesky_partial(m)
    info = info.reshape(a.shape[:-2])
    if check_errors and info.any():
        raise _cholesky_error(a, info)
    return CholeskyExResult(_out(L.reshape(a.shape), A), _out(info, A))


def linalg_cholesky(A):
    """The lower Cholesky factor of each Hermitian positive-definite matrix."""
    A, a = _matrices(A, "linalg.cholesky")
    try:
        return _out(np.linalg.cholesky(a), A, a.dtype)
    except np.linalg.LinAlgError:
        res = linalg_cholesky_ex(A)
        raise _cholesky_error(a, _host(res.info)) from None


def _geqrf(a):
    h, tau = np.linalg.qr(a, mode="raw")
    return np.ascontiguousarray(np.swapaxes(h, -1, -2)).astype(a.dtype, copy=False), tau.astype(a.dtype, copy=False)


def _householder(a, tau):
    """LAPACK's orgqr: the first n columns of H_1 ... H_k, H_i = I - tau_i v_i v_i^H."""
    m, n = a.shape[-2:]
    k = tau.shape[-1]
    q = np.zeros(a.shape, a.dtype)
    idx = np.arange(n)
    q[..., idx, idx] = 1
    for i in range(k - 1, -1, -1):
        v = a[..., :, i].copy()
        v[..., :i] = 0
        v[..., i] = 1
        w = np.einsum("...m,...mn->...n", v.conj(), q)
        q = q - tau[..., i, None, None] * v[..., :, None] * w[..., None, :]
    return q


def torch_geqrf(self):
    """`list(a, tau)`: LAPACK geqrf's compact QR (R on and above the diagonal, the reflectors below it)."""
    A = _tensor(self)
    a = _floating(A, "geqrf")
    if a.ndim < 2:
        raise RuntimeError("torch.geqrf: input must have at least 2 dimensions.")
    h, tau = _geqrf(a)
    return _out(h, A), _out(tau, A)


def linalg_householder_product(A, tau):
    """The first n columns of the product of the Householder reflectors (`torch_geqrf()`'s output)."""
    A, tau = _tensor(A), _tensor(tau)
    a = _floating(A, "torch.linalg.householder_product")
    name = "torch.linalg.householder_product"
    if a.ndim < 2:
        raise RuntimeError(f"{name}: input must have at least 2 dimensions.")
    t = _host(tau)
    if a.shape[-2] < a.shape[-1]:
        raise RuntimeError(f"{name}: input.shape[-2] must be greater than or equal to input.shape[-1]")
    if a.shape[-1] < t.shape[-1]:
        raise RuntimeError(f"{name}: input.shape[-1] must be greater than or equal to tau.shape[-1]")
    if t.ndim != a.ndim - 1:
        raise RuntimeError(f"{name}: Expected tau to have one dimension less than input, but got tau.ndim equal "
                           f"to {t.ndim} and input.ndim is equal to {a.ndim}")
    if tau.dtype is not A.dtype:
        raise RuntimeError(f"{name}: tau dtype {tau.dtype.name} does not match input dtype {A.dtype.name}")
    return _out(_householder(a, t), A)


_QR_MODES = ("reduced", "complete", "r")


def linalg_qr(A, mode="reduced"):
    """`list(Q, R)` (`mode = "r"`: an empty Q), from geqrf and orgqr as in libtorch."""
    if mode not in _QR_MODES:
        raise RuntimeError(f"qr received unrecognized mode '{mode}' but expected one of 'reduced' (default), "
                           "'r', or 'complete'")
    A, a = _matrices(A, "linalg.qr", square=False)
    m, n = a.shape[-2:]
    k = min(m, n)
    h, tau = _geqrf(a)
    rows = m if mode == "complete" else k
    r = np.triu(h[..., :rows, :])
    if mode == "r":
        return _out(np.zeros((0,), a.dtype), A), _out(r, A)
    cols = m if mode == "complete" else k
    base = np.zeros(a.shape[:-1] + (cols,), a.dtype)
    base[..., :, :min(n, cols)] = h[..., :, :min(n, cols)]
    return _out(_householder(base, tau), A), _out(r, A)


def linalg_eig(A):
    """`list(eigenvalues, eigenvectors)`, always complex (ComplexFloat for Float)."""
    A = _tensor(A)
    if A.dtype.category < FLOATING:
        raise RuntimeError(f"Unknown Complex ScalarType for {A.dtype.name}")
    A, a = _matrices(A, "linalg.eig")
    w, v = np.linalg.eig(a)
    c = _COMPLEX_OF.get(a.dtype, a.dtype)
    return _out(w, A, c), _out(v, A, c)


def linalg_eigvals(A):
    """The eigenvalues, always complex."""
    A = _tensor(A)
    if A.dtype.category < FLOATING:
        raise RuntimeError(f"Unknown Complex ScalarType for {A.dtype.name}")
    A, a = _matrices(A, "linalg.eigvals")
    return _out(np.linalg.eigvals(a), A, _COMPLEX_OF.get(a.dtype, a.dtype))


def _uplo(UPLO):
    if UPLO not in ("L", "U"):
        raise RuntimeError(f"Expected UPLO argument to be 'L' or 'U', but got {UPLO}")
    return UPLO


def _hermitian(A):
    A = _tensor(A)
    if A.dtype.category < FLOATING:
        raise NotImplementedError(f"\"linalg_eigh_cpu\" not implemented for '{A.dtype.name}'")
    return _matrices(A, "linalg.eigh")


def linalg_eigh(A, UPLO="L"):
    """`list(eigenvalues, eigenvectors)` of Hermitian matrices (only the `UPLO` triangle is read); real
    eigenvalues in ascending order."""
    A, a = _hermitian(A)
    w, v = np.linalg.eigh(a, UPLO=_uplo(UPLO))
    return _out(w, A, _REAL_OF.get(a.dtype, a.dtype)), _out(v, A, a.dtype)


def linalg_eigvalsh(A, UPLO="L"):
    """The real eigenvalues of Hermitian matrices, ascending."""
    A, a = _hermitian(A)
    return _out(np.linalg.eigvalsh(a, UPLO=_uplo(UPLO)), A, _REAL_OF.get(a.dtype, a.dtype))


def linalg_svd(A, full_matrices=True):
    """`list(U, S, Vh)`: `A = U diag(S) Vh`, S real and descending."""
    A, a = _matrices(A, "linalg.svd", square=False)
    u, s, vh = np.linalg.svd(a, full_matrices=bool(full_matrices))
    return _out(u, A, a.dtype), _out(s, A, _REAL_OF.get(a.dtype, a.dtype)), _out(vh, A, a.dtype)


def linalg_svdvals(A):
    """The singular values, real and descending."""
    A, a = _matrices(A, "linalg.svd", square=False)
    return _out(_svdvals(a), A, _REAL_OF.get(a.dtype, a.dtype))


# ---- solvers and inverses -----------------------------------------------------------------------------

def _same_dtype(A, B, name):
    if A.dtype is not B.dtype:
        raise RuntimeError(f"{name}: Expected A and B to have the same dtype, but found A of type {A.dtype.name} "
                           f"and B of type {B.dtype.name} instead")


def _inv_error(a, info):
    i = int(np.flatnonzero(info.ravel())[0])
    return RuntimeError(f"linalg.inv: {_batch_prefix(a, i)}The diagonal element {info.ravel()[i]} is zero, the "
                        "inversion could not be completed because the input matrix is singular.")


def linalg_inv_ex(A, check_errors=False):
    """`list(inverse = , info = )`; `info` (Int) is getrf's: the first zero pivot, 0 for invertible matrices
    (whose `inverse` is then undefined: NaN here)."""
    A, a = _matrices(A, "linalg.inv")
    try:
        inv = np.linalg.inv(a)
        info = np.zeros(a.shape[:-2], np.int32)
    except np.linalg.LinAlgError:
        info = _singular_info(a)
        inv = np.where(info[..., None, None] == 0, _inv_or_inf(a), np.nan)
        if check_errors:
            raise _inv_error(a, info) from None
    return InvExResult(_out(inv, A, a.dtype), _out(info, A))


def linalg_inv(A):
    """The inverse of each square matrix; a singular one raises libtorch's error."""
    A, a = _matrices(A, "linalg.inv")
    try:
        return _out(np.linalg.inv(a), A, a.dtype)
    except np.linalg.LinAlgError:
        raise _inv_error(a, _singular_info(a)) from None


def _rhs(A, B, a, b, name):
    """B as a batch of matrices (a vector right-hand side gets a trailing dim), and whether it was a vector."""
    vector = b.ndim == 1 or (b.ndim == a.ndim - 1 and b.shape == a.shape[:-1])
    if vector:
        b = b[..., None]
    if b.shape[-2] != a.shape[-1]:
        raise RuntimeError(f"{name}: Incompatible shapes of A and B for the equation AX = B "
                           f"({a.shape[-2]}x{a.shape[-1]} and {b.shape[-2]}x{b.shape[-1]})")
    return b, vector


def linalg_solve(A, B):
    """X with `A X = B` (a vector B gives a vector X), batch dims broadcast."""
    A, a = _matrices(A, "linalg.solve")
    B = _tensor(B)
    _same_dtype(A, B, "linalg.solve")
    b, vector = _rhs(A, B, a, _host(B), "linalg.solve")
    batch = np.broadcast_shapes(a.shape[:-2], b.shape[:-2])
    a = np.broadcast_to(a, batch + a.shape[-2:])
    b = np.broadcast_to(b, batch + b.shape[-2:])
    try:
        x = np.linalg.solve(a, b)
    except np.linalg.LinAlgError:
        info = _singular_info(a)
        i = int(np.flatnonzero(info.ravel())[0])
        raise RuntimeError(f"torch.linalg.solve: {_batch_prefix(a, i)}The solver failed because the input matrix "
                           "is singular.") from None
    return _out(x[..., 0] if vector else x, A, a.dtype)


def linalg_solve_triangular(A, B, upper, left=True, unitriangular=False):
    """X with `A X = B` (`left = FALSE`: `X A = B`) for triangular A; only A's `upper` triangle is read."""
    A, a = _matrices(A, "linalg.solve_triangular")
    B = _tensor(B)
    b = _host(B)
    if b.ndim < 2:
        raise RuntimeError("linalg.solve_triangular: The input tensor B must have at least 2 dimensions.")
    _same_dtype(A, B, "linalg.solve_triangular")
    tri = np.triu(a) if upper else np.tril(a)
    if unitriangular:
        n = a.shape[-1]
        tri[..., np.arange(n), np.arange(n)] = 1
    if not left:
        tri, b = np.swapaxes(tri, -1, -2), np.swapaxes(b, -1, -2)
    batch = np.broadcast_shapes(tri.shape[:-2], b.shape[:-2])
    tri = np.broadcast_to(tri, batch + tri.shape[-2:])
    b = np.broadcast_to(b, batch + b.shape[-2:])
    with np.errstate(all="ignore"):
        try:
            x = np.linalg.solve(tri, b)
        except np.linalg.LinAlgError:
            x = np.linalg.pinv(tri) @ b * np.inf
    return _out(np.swapaxes(x, -1, -2) if not left else x, A, a.dtype)


_DRIVERS = ("gels", "gelsy", "gelsd", "gelss")


def linalg_lstsq(A, B, rcond=None, driver=None):
    """`list(solution = , residuals = , rank = , singular_values = )`, the least-squares solution of
    `A X = B` with batch dims broadcast; R torch's default driver on the CPU is "gelsy" (rank, no residuals,
    no singular values)."""
    A, B = _tensor(A), _tensor(B)
    if driver is None:
        driver = "gelsy" if type(A._data) is np.ndarray else "gels"
    if driver not in _DRIVERS:
        raise RuntimeError("torch.linalg.lstsq: parameter `driver` should be one of (gels, gelsy, gelsd, gelss)")
    A, a = _matrices(A, "torch.linalg.lstsq", square=False)
    b = _host(B)
    if B.dtype is not A.dtype:
        raise RuntimeError(f"torch.linalg.lstsq: Expected input and other to have the same dtype, but got "
                           f"input's dtype {A.dtype.name} and other's dtype {B.dtype.name}")
    vector = b.ndim == a.ndim - 1
    if vector:
        b = b[..., None]
    if b.shape[-2] != a.shape[-2]:
        raise RuntimeError("torch.linalg.lstsq: input.size(-2) should match other.size(-2)")
    m, n = a.shape[-2:]
    batch = np.broadcast_shapes(a.shape[:-2], b.shape[:-2])
    a = np.broadcast_to(a, batch + a.shape[-2:])
    b = np.broadcast_to(b, batch + b.shape[-2:])
    real = _REAL_OF.get(a.dtype, a.dtype)
    cutoff = float(np.finfo(real).eps) * max(m, n) if rcond is None else float(rcond)
    u, s, vh = np.linalg.svd(a, full_matrices=False)
    keep = s > cutoff * s[..., :1] if s.shape[-1] else s > 0
    inv_s = np.where(keep, 1 / np.where(keep, s, 1), 0).astype(real)
    x = np.swapaxes(vh, -1, -2).conj() @ (inv_s[..., None] * (np.swapaxes(u, -1, -2).conj() @ b))
    rank = keep.sum(-1).astype(np.int64)
    residuals = np.zeros((0,), real)
    if m > n and driver != "gelsy" and (rank == n).all():
        residuals = (np.abs(a @ x - b) ** 2).sum(-2).astype(real)
    ranked = driver != "gels"
    return LstsqResult(_out(x[..., 0] if vector else x, A, a.dtype), _out(residuals, A),
                       _out(rank if ranked else np.zeros((0,), np.int64), A),
                       _out(s if driver in ("gelsd", "gelss") else np.zeros((0,), real), A, real))


def linalg_pinv(A, rcond=None, hermitian=False, atol=None, rtol=None):
    """The pseudo-inverse, keeping singular values above max(atol, rtol * largest); R torch passes 0 for an
    absent `atol`/`rtol` and warns that `rcond` is deprecated."""
    if rcond is not None:
        warnings.warn("`rcond` is deprecated in favor of `rtol`.", stacklevel=2)
        rtol = rcond
    atol, rtol = _tolerances(atol, rtol, None, "")
    A = _tensor(A)
    a = _host(A)
    if A.dtype.category < FLOATING or A.dtype.name == "Half" or a.ndim < 2:
        raise RuntimeError(f"linalg.pinv({A.dtype.name}{{{_shape_text(a.shape)}}}): expected a tensor "
                           "with 2 or more dimensions of float, double, cfloat or cdouble types")
    real = _REAL_OF.get(a.dtype, a.dtype)
    if hermitian:
        w, v = np.linalg.eigh(a)
        top = np.abs(w).max(-1, keepdims=True, initial=0.0)
        keep = np.abs(w) > np.maximum(atol, rtol * top)
        inv_w = np.where(keep, 1 / np.where(keep, w, 1), 0).astype(real)
        out = (v * inv_w[..., None, :]) @ np.swapaxes(v, -1, -2).conj()
    else:
        u, s, vh = np.linalg.svd(a, full_matrices=False)
        top = s[..., :1] if s.shape[-1] else np.zeros(s.shape[:-1] + (1,), real)
        keep = s > np.maximum(atol, rtol * top)
        inv_s = np.where(keep, 1 / np.where(keep, s, 1), 0).astype(real)
        out = (np.swapaxes(vh, -1, -2).conj() * inv_s[..., None, :]) @ np.swapaxes(u, -1, -2).conj()
    return _out(out, A, a.dtype)


def linalg_matrix_power(A, n):
    """A to the integer power `n` (0: the identity; negative: powers of the inverse)."""
    A = _tensor(A)
    a = _host(A)
    n = int(n)
    if a.ndim < 2:
        raise RuntimeError("linalg.matrix_power: The input tensor A must have at least 2 dimensions.")
    if a.shape[-1] != a.shape[-2]:
        raise RuntimeError(f"linalg.matrix_power: A must be batches of square matrices, but they are "
                           f"{a.shape[-2]} by {a.shape[-1]} matrices")
    if n < 0:
        a = _host(linalg_inv(A))
        n = -n
    if A.dtype.name == "Bool":
        return _out(np.linalg.matrix_power(a.astype(np.int64), n) != 0, A)
    return _out(np.linalg.matrix_power(a, n), A, a.dtype)


def linalg_multi_dot(tensors):
    """The chained matrix product of `list(...)` in the cheapest order; the first and last may be vectors."""
    tensors = [_tensor(t) for t in tensors]
    if len(tensors) < 2:
        raise RuntimeError(f"multi_dot(): expected at least 2 tensors but got {len(tensors)}")
    arrays = [_host(t) for t in tensors]
    last = len(arrays) - 1
    for i, x in enumerate(arrays):
        if i in (0, last):
            if x.ndim not in (1, 2):
                which = "first" if i == 0 else "last"
                raise RuntimeError(f"multi_dot(): the {which} tensor must be 1D or 2D but got {x.ndim}D")
        elif x.ndim != 2:
            raise RuntimeError(f"multi_dot(): tensor {i} must be 2D but got {x.ndim}D")
        if tensors[i].dtype is not tensors[0].dtype:
            raise RuntimeError(f"multi_dot(): all tensors must have be the same dtype but tensor 0 is "
                               f"{tensors[0].dtype.numpy} and tensor {i} {tensors[i].dtype.numpy}")
    for i in range(last):
        if arrays[i].shape[-1] != arrays[i + 1].shape[0]:
            raise RuntimeError(f"multi_dot(): tensors {i} and {i + 1} with shapes {_shape_text(arrays[i].shape)} "
                               f"and {_shape_text(arrays[i + 1].shape)} cannot be multiplied")
    return _out(np.linalg.multi_dot(arrays), tensors[0], arrays[0].dtype)


def linalg_tensorinv(A, ind=3):
    """The tensor inverse: R torch's `ind` is 1-based (the first dim of the second group), so the result has
    dims A.shape[ind:] then A.shape[:ind] in libtorch's 0-based terms."""
    A = _tensor(A)
    k = int(ind) - 1
    if k <= 0:
        raise RuntimeError(f"Expected a strictly positive integer for 'ind', but got {k}")
    shape = A.shape
    rows, cols = int(np.prod(shape[:k])), int(np.prod(shape[k:]))
    if rows != cols:
        raise RuntimeError(f"Expected self to satisfy the requirement prod(self.shape[ind:]) == "
                           f"prod(self.shape[:ind]), but got {cols} != {rows}")
    inv = _host(linalg_inv(_out(_host(A).reshape(rows, cols), A)))
    return _out(inv.reshape(shape[k:] + shape[:k]), A)


def linalg_tensorsolve(A, B, dims=None):
    """X with `torch_tensordot(A, X, dims = X$ndim) == B`; `dims` (1-based) are moved to the end of A first."""
    A, B = _tensor(A), _tensor(B)
    a = _host(A)
    if dims is not None:
        axes = _dims(dims, a.ndim)
        a = np.moveaxis(a, axes, tuple(range(a.ndim - len(axes), a.ndim)))
    nb = B.ndim
    rows, cols = int(np.prod(a.shape[:nb])), int(np.prod(a.shape[nb:]))
    if rows != cols:
        raise RuntimeError(f"Expected self to satisfy the requirement prod(self.shape[other.ndim:]) == "
                           f"prod(self.shape[:other.ndim]), but got {cols} != {rows}")
    x = linalg_solve(_out(a.reshape(rows, cols), A), _out(_host(B).reshape(rows), B))
    return _out(_host(x).reshape(a.shape[nb:]), A)


def torch_bmm(self, mat2):
    """The batched matrix product of two 3-d tensors with the same batch size."""
    self, mat2 = _tensor(self), _tensor(mat2)
    a, b = self._data, mat2._data
    if a.ndim != 3:
        raise RuntimeError(f"batch1 must be a 3D tensor")
    if b.ndim != 3:
        raise RuntimeError(f"batch2 must be a 3D tensor")
    if a.shape[0] != b.shape[0] or a.shape[2] != b.shape[1]:
        raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: "
                           f"[{a.shape[0]}, {a.shape[2]}] but got: [{b.shape[0]}, {b.shape[1]}].")
    if self.dtype is not mat2.dtype:
        raise RuntimeError(f"expected scalar type {self.dtype.name} but found {mat2.dtype.name}")
    return wrap(a @ b)


__all__ = [name for name in dir() if name.startswith("linalg_")]  # torch_geqrf, torch_bmm: rows of _ops
