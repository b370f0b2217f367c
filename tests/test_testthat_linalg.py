"""R torch's tests/testthat/test-linalg.R, ported (names `test_linalg__<test>`), then the `linalg_*()`
functions checked against PyTorch's `torch.linalg` (values within float tolerance, dtypes, shapes, errors).

R's random inputs (`torch_randn`) are rtorch's seeded `torch_randn`: the expectations only need some values.
"""
import math
import warnings

import numpy as np
import pytest

from rtorch import (Inf, as_array, c, linalg_cholesky, linalg_cholesky_ex, linalg_cond, linalg_det, linalg_eig,
                    linalg_eigh, linalg_eigvals, linalg_eigvalsh, linalg_householder_product, linalg_inv,
                    linalg_inv_ex, linalg_lstsq, linalg_matrix_norm, linalg_matrix_power, linalg_matrix_rank,
                    linalg_multi_dot, linalg_norm, linalg_pinv, linalg_qr, linalg_slogdet, linalg_solve,
                    linalg_solve_triangular, linalg_svd, linalg_svdvals, linalg_tensorinv, linalg_tensorsolve,
                    linalg_vector_norm, rbind, torch_allclose, torch_arange, torch_bmm, torch_double, torch_eye,
                    torch_float, torch_float64, torch_geqrf, torch_manual_seed, torch_matmul, torch_mm,
                    torch_randn, torch_scalar_tensor, torch_stack, torch_tensor, torch_tensordot)
from rtorch._tensor import Tensor
from tests._require import require
from tests.test_rtorch_testthat_ports import expect_equal, expect_equal_to_tensor, expect_tensor_shape


@pytest.fixture(autouse=True)
def _seed():
    torch_manual_seed(20210101)


def expect_equal_to_r(t, expected, tolerance=1.5e-8):
    """R's literal `4` is a length-1 vector, as `as_array()` of a 0-d tensor is."""
    expect_equal(as_array(t), np.atleast_1d(np.asarray(expected, dtype=np.float64)), tolerance)


def expect_no_warning(fn):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return fn()


# ---- test-linalg.R ------------------------------------------------------------------------------------

def test_linalg__norm_works():
    a = torch_arange(0, 8, dtype=torch_float()) - 4
    b = a.reshape(c(3, 3))

    expect_equal_to_tensor(linalg_norm(a), linalg_norm(b))
    expect_equal_to_tensor(linalg_norm(a), linalg_norm(b, ord="fro"))
    expect_equal_to_r(linalg_norm(a, Inf), 4)
    expect_equal_to_r(linalg_norm(a, -Inf), 0)
    expect_equal_to_r(linalg_norm(b, Inf), 9)
    expect_equal_to_r(linalg_norm(b, -Inf), 2)
    expect_equal_to_r(linalg_norm(a, 1), 20)
    expect_equal_to_r(linalg_norm(b, 1), 7)
    expect_equal_to_r(linalg_norm(a, -1), 0)
    expect_equal_to_r(linalg_norm(b, -1), 6)
    expect_equal_to_tensor(linalg_norm(a, 2), linalg_norm(b))
    expect_equal_to_r(linalg_norm(a, -2), 0)
    expect_equal_to_r(linalg_norm(a, -3), 0)
    expect_equal_to_r(linalg_norm(a, -2), 0)

    assert linalg_norm(b, dim=2).numel() == 3
    assert linalg_norm(b, dim=1).numel() == 3

    assert linalg_norm(a, dtype=torch_double()).dtype == torch_double()


def test_linalg__vector_norm_works():
    a = torch_arange(0, 8, dtype=torch_float()) - 4
    b = a.reshape(c(3, 3))
    expect_equal_to_tensor(linalg_vector_norm(a), linalg_vector_norm(b))


def test_linalg__matrix_norm():
    a = torch_arange(0, 8, dtype=torch_float()).reshape(c(3, 3))
    expect_equal_to_r(linalg_matrix_norm(a, ord=-1), 9)

    b = a.expand(c(2, -1, -1))
    assert linalg_matrix_norm(b).numel() == 2
    assert linalg_matrix_norm(b, dim=c(1, 3)).numel() == 3


def test_linalg__det_works():
    a = torch_randn(3, 3)
    expect_tensor_shape(linalg_det(a), np.array([], dtype=np.int32))
    a = torch_randn(3, 3, 3)
    expect_tensor_shape(linalg_det(a), c(3))


def test_linalg__slog_det():
    a = torch_randn(3, 3)
    assert len(linalg_slogdet(a)) == 2
    expect_tensor_shape(linalg_slogdet(a)[0], np.array([], dtype=np.int32))
    expect_tensor_shape(linalg_slogdet(a)[1], np.array([], dtype=np.int32))


def test_linalg__cond_works():
    example = torch_tensor(rbind(c(1., 0, -1), c(0, 1, 0), c(1, 0, 1)))
    expect_equal_to_r(linalg_cond(example), 1.4142, tolerance=1e-4)
    expect_equal_to_r(linalg_cond(example, "fro"), 3.1623, tolerance=1e-4)
    expect_equal_to_r(linalg_cond(example, "nuc"), 9.2426, tolerance=1e-4)
    expect_equal_to_r(linalg_cond(example, Inf), 2, tolerance=1e-4)
    expect_equal_to_r(linalg_cond(example, -Inf), 1, tolerance=1e-4)
    expect_equal_to_r(linalg_cond(example, 1), 2, tolerance=1e-4)
    expect_equal_to_r(linalg_cond(example, -1), 1, tolerance=1e-4)


def test_linalg__matrix_rank_works():
    a = torch_eye(10)
    expect_equal_to_r(linalg_matrix_rank(a), 10)
    with pytest.warns(UserWarning, match="`tol` argument is deprecated"):
        expect_equal_to_r(linalg_matrix_rank(a, tol=torch_scalar_tensor(0.001)), 10)
    expect_equal_to_r(linalg_matrix_rank(a, hermitian=True), 10)
    with pytest.warns(UserWarning, match="`tol` argument is deprecated"):
        expect_equal_to_r(linalg_matrix_rank(a, tol=torch_scalar_tensor(0.001), hermitian=True), 10)
    with pytest.warns(UserWarning):
        expect_equal_to_r(linalg_matrix_rank(a, tol=0.0001), 10)
    with pytest.warns(UserWarning):
        expect_equal_to_r(linalg_matrix_rank(a, tol=torch_scalar_tensor(0, dtype=torch_float64())), 10)
    expect_equal_to_r(linalg_matrix_rank(a, atol=0.1), 10)
    expect_equal_to_r(linalg_matrix_rank(a, rtol=0.1), 10)


def test_linalg__cholesky():
    a = torch_eye(10)
    expect_equal_to_tensor(linalg_cholesky(a), a)


def test_linalg__qr():
    a = torch_tensor(rbind(c(12., -51, 4), c(6, 167, -68), c(-4, 24, -41)))
    qr = linalg_qr(a)
    expect_equal_to_tensor(torch_mm(qr[0], qr[1]).round(), a)
    expect_equal_to_tensor(torch_mm(qr[0].t(), qr[0]).round(), torch_eye(3))


def test_linalg__eig_works():
    a = torch_randn(2, 2)
    wv = linalg_eig(a)
    assert len(wv) == 2


def test_linalg__eigvals():
    a = torch_randn(2, 2)
    w = linalg_eigvals(a)
    assert w.shape == (2,)


def test_linalg__linalg_eigh():
    a = torch_randn(2, 2)
    assert len(linalg_eigh(a)) == 2
    assert len(linalg_eigh(a, UPLO="U")) == 2


def test_linalg__eigvalsh():
    a = torch_randn(2, 2)
    expect_tensor_shape(linalg_eigvalsh(a), 2)


def test_linalg__linalg_svd():
    a = torch_randn(5, 3)
    r = linalg_svd(a, full_matrices=False)
    assert len(r) == 3
    expect_tensor_shape(r[0], c(5, 3))
    expect_tensor_shape(r[1], 3)
    expect_tensor_shape(r[2], c(3, 3))


def test_linalg__svdvals():
    A = torch_randn(5, 3)
    S = linalg_svdvals(A)
    expect_tensor_shape(S, 3)
    r = linalg_svd(A)
    expect_equal_to_tensor(S, r[1], tolerance=1e-6)


def test_linalg__solve():
    A = torch_randn(3, 3)
    b = torch_randn(3)
    x = linalg_solve(A, b)
    expect_equal_to_tensor(torch_matmul(A, x), b, tolerance=1e-5)


def test_linalg__lstsq():
    A = torch_tensor(rbind(c(10, 2, 3), c(3, 10, 5), c(5, 6, 12))).unsqueeze(1)
    B = torch_stack([rbind(c(2, 5, 1), c(3, 2, 1), c(5, 1, 9)),
                     rbind(c(4, 2, 9), c(2, 0, 3), c(2, 5, 3))], dim=1)
    X = linalg_lstsq(A, B)
    assert len(X) == 4


def test_linalg__linalg_inv():
    X = torch_randn(2, 2)
    Xi = linalg_inv(X)
    expect_equal_to_tensor(torch_matmul(X, Xi), torch_eye(2), tolerance=1e-6)


def test_linalg__pinv():
    A = torch_randn(3, 5)
    B = torch_randn(3, 3)
    expect_equal_to_tensor(torch_matmul(linalg_pinv(A), B), linalg_lstsq(A, B).solution, tolerance=1e-5)

    A = torch_randn(3, 3, 5)
    B = torch_randn(3, 3, 3)
    expect_equal_to_tensor(torch_bmm(linalg_pinv(A), B), linalg_lstsq(A, B).solution, tolerance=1e-5)

    with pytest.warns(UserWarning, match="`rcond` is deprecated"):
        linalg_pinv(A, rcond=1e-15)
    expect_no_warning(lambda: linalg_pinv(A, rtol=0, atol=1e-7))


def test_linalg__matrix_power():
    A = torch_randn(3, 3)
    expect_equal_to_tensor(linalg_matrix_power(A, 0), torch_eye(3))
    expect_equal_to_tensor(linalg_matrix_power(A, 1), A)


def test_linalg__multi_dot():
    expect_equal_to_r(linalg_multi_dot([torch_tensor(c(1, 2)), torch_tensor(c(2, 3))]), 8)


def test_linalg__householder_product():
    A = torch_randn(2, 2)
    h_tau = torch_geqrf(A)
    Q = linalg_householder_product(h_tau[0], h_tau[1])
    expect_equal_to_tensor(Q, linalg_qr(A)[0])


def test_linalg__tensorinv():
    A = torch_eye(4 * 6).reshape(c(4, 6, 8, 3))
    Ainv = linalg_tensorinv(A, ind=3)
    assert Ainv.shape == (8, 3, 4, 6)
    B = torch_randn(4, 6)
    assert torch_allclose(torch_tensordot(Ainv, B), linalg_tensorsolve(A, B))

    A = torch_randn(4, 4)
    Atensorinv = linalg_tensorinv(A, 2)
    Ainv = linalg_inv(A)
    assert torch_allclose(Atensorinv, Ainv)


def test_linalg__tensorsolve():
    torch_manual_seed(204929)
    A = torch_eye(2 * 3 * 4).reshape(c(2 * 3, 4, 2, 3, 4))
    B = torch_randn(2 * 3, 4)
    X = linalg_tensorsolve(A, B)
    assert X.shape == (2, 3, 4)
    assert torch_allclose(torch_tensordot(A, X, dims=X.ndim), B)

    A = torch_randn(6, 4, 4, 3, 2)
    B = torch_randn(4, 3, 2)
    X = linalg_tensorsolve(A, B, dims=c(1, 3))
    A = A.permute(c(2, 4, 5, 1, 3))
    assert torch_allclose(torch_tensordot(A, X, dims=X.ndim), B, atol=1e-5)


def test_linalg__cholesky_ex():
    A = torch_randn(2, 2)
    out = linalg_cholesky_ex(A)
    assert len(out) == 2
    assert out._fields == ("L", "info")


def test_linalg__linalg_inv_ex():
    A = torch_randn(3, 3)
    out = linalg_inv_ex(A)
    expect_equal_to_tensor(out.inverse, linalg_inv(A))


def test_linalg__linalg_solve_triangular_works():
    a = torch_randn(3, 3).triu_()
    b = torch_randn(3, 4)
    linalg_solve_triangular(a, b, upper=True)


# ---- against PyTorch ----------------------------------------------------------------------------------

def _torch():
    return require("torch")


def _same(ours, theirs, rtol=1e-4, atol=1e-5):
    """Same dtype name, shape and values (within float tolerance) as a PyTorch result."""
    torch = _torch()
    assert isinstance(ours, Tensor)
    assert str(theirs.dtype).replace("torch.", "") == ours.dtype.numpy.name, (ours.dtype, theirs.dtype)
    assert tuple(ours.shape) == tuple(theirs.shape)
    np.testing.assert_allclose(np.asarray(ours._data), theirs.numpy(), rtol=rtol, atol=atol)
    return torch


def _pair(*shape, dtype=np.float32, seed=0, spd=False):
    x = np.random.default_rng(seed).standard_normal(shape).astype(dtype)
    if spd:
        x = x @ np.swapaxes(x, -1, -2) + shape[-1] * np.eye(shape[-1], dtype=dtype)
    torch = _torch()
    return torch_tensor(x, dtype=torch_float() if dtype == np.float32 else torch_double()), torch.from_numpy(x)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_linalg_vs_torch__norms(dtype):
    ours, theirs = _pair(2, 4, 4, dtype=dtype)
    torch = _torch()
    for ord in (None, 1, -1, 2, -2, Inf, -Inf, 0.5, 3):
        _same(linalg_vector_norm(ours, 2 if ord is None else ord),
              torch.linalg.vector_norm(theirs, 2 if ord is None else ord))
        _same(linalg_vector_norm(ours, 2 if ord is None else ord, dim=c(1, 3), keepdim=True),
              torch.linalg.vector_norm(theirs, 2 if ord is None else ord, dim=(0, 2), keepdim=True))
    for ord in ("fro", "nuc", 1, -1, 2, -2, Inf, -Inf):
        _same(linalg_matrix_norm(ours, ord), torch.linalg.matrix_norm(theirs, ord))
        _same(linalg_matrix_norm(ours, ord, dim=c(3, 1), keepdim=True),
              torch.linalg.matrix_norm(theirs, ord, dim=(2, 0), keepdim=True))
        _same(linalg_norm(ours, ord, dim=c(2, 3)), torch.linalg.norm(theirs, ord, dim=(1, 2)))
        _same(linalg_cond(ours, ord), torch.linalg.cond(theirs, ord), rtol=1e-3)
    _same(linalg_norm(ours), torch.linalg.norm(theirs))
    _same(linalg_norm(ours, 3, dim=-1), torch.linalg.norm(theirs, 3, dim=-1))
    _same(linalg_cond(ours), torch.linalg.cond(theirs), rtol=1e-3)


def test_linalg_vs_torch__decompositions():
    torch = _torch()
    ours, theirs = _pair(3, 4, 4)
    _same(linalg_det(ours), torch.linalg.det(theirs))
    for mine, ref in zip(linalg_slogdet(ours), torch.linalg.slogdet(theirs)):
        _same(mine, ref)
    _same(linalg_inv(ours), torch.linalg.inv(theirs), rtol=1e-3, atol=1e-4)
    _same(linalg_eigvals(ours), torch.linalg.eigvals(theirs), rtol=1e-3, atol=1e-4)
    w, v = linalg_eig(ours)
    _same(torch_matmul(v, w.unsqueeze(-1) * v.transpose(-1, -2)), torch.zeros(3, 4, 4, dtype=torch.complex64),
          atol=np.inf)
    _same(linalg_svdvals(ours), torch.linalg.svdvals(theirs))
    for mine, ref in zip(linalg_qr(ours), torch.linalg.qr(theirs)):
        _same(mine, ref)
    for mode in ("complete", "r"):
        _same(linalg_qr(ours[:, :, 1:2], mode=mode)[1], torch.linalg.qr(theirs[:, :, 0:2], mode=mode)[1])
    h, tau = torch_geqrf(ours)
    th, ttau = torch.geqrf(theirs)
    _same(h, th)
    _same(tau, ttau)
    _same(linalg_householder_product(h, tau), torch.linalg.householder_product(th, ttau))
    u, s, vh = linalg_svd(ours[1, :, 1:2], full_matrices=True)
    assert (u.shape, s.shape, vh.shape) == ((4, 4), (2,), (2, 2))
    spd, tspd = _pair(2, 3, 3, spd=True)
    _same(linalg_cholesky(spd), torch.linalg.cholesky(tspd))
    _same(linalg_eigvalsh(spd), torch.linalg.eigvalsh(tspd))
    _same(linalg_eigvalsh(ours, UPLO="U"), torch.linalg.eigvalsh(theirs, UPLO="U"))
    _same(linalg_eigh(spd)[0], torch.linalg.eigh(tspd)[0])
    _same(linalg_matrix_rank(ours), torch.linalg.matrix_rank(theirs, atol=0.0, rtol=0.0))
    _same(linalg_matrix_power(ours, 3), torch.linalg.matrix_power(theirs, 3), rtol=1e-3)
    _same(linalg_matrix_power(ours, -2), torch.linalg.matrix_power(theirs, -2), rtol=1e-3, atol=1e-3)


def test_linalg_vs_torch__solvers():
    torch = _torch()
    A, tA = _pair(2, 3, 3, seed=1)
    B, tB = _pair(2, 3, 2, seed=2)
    _same(linalg_solve(A, B), torch.linalg.solve(tA, tB), rtol=1e-3, atol=1e-4)
    _same(linalg_solve(A[1, :, :], B[1, :, 1]), torch.linalg.solve(tA[0], tB[0, :, 0]), rtol=1e-3, atol=1e-4)
    _same(linalg_solve_triangular(A.triu(), B, upper=True),
          torch.linalg.solve_triangular(tA.triu(), tB, upper=True), rtol=1e-3, atol=1e-4)
    _same(linalg_solve_triangular(A, B.transpose(-1, -2), upper=False, left=False, unitriangular=True),
          torch.linalg.solve_triangular(tA, tB.mT, upper=False, left=False, unitriangular=True), rtol=1e-3,
          atol=1e-4)
    M, tM = _pair(2, 5, 3, seed=3)
    R, tR = _pair(2, 5, 2, seed=4)
    for driver in ("gelsy", "gelsd", "gelss", "gels"):
        for mine, ref in zip(linalg_lstsq(M, R, driver=driver), torch.linalg.lstsq(tM, tR, driver=driver)):
            _same(mine, ref, rtol=1e-3, atol=1e-4)
    _same(linalg_pinv(M), torch.linalg.pinv(tM, atol=0.0, rtol=0.0), rtol=1e-3, atol=1e-4)
    S, tS = _pair(3, 3, spd=True)
    _same(linalg_pinv(S, hermitian=True), torch.linalg.pinv(tS, hermitian=True, atol=0.0, rtol=0.0), rtol=1e-3)
    _same(linalg_tensorinv(torch_eye(6).reshape(c(2, 3, 6)), ind=3),
          torch.linalg.tensorinv(torch.eye(6).reshape(2, 3, 6), ind=2))
    V, tV = _pair(3, seed=5)
    _same(linalg_multi_dot([V, A[1, :, :], A[2, :, :], V]), torch.linalg.multi_dot([tV, tA[0], tA[1], tV]),
          rtol=1e-3)


def test_linalg_vs_torch__failures():
    torch = _torch()
    bad = torch_tensor(rbind(c(4., 2, 1), c(2, 1, 5), c(1, 5, 9)))
    L, info = linalg_cholesky_ex(bad)
    tL, tinfo = torch.linalg.cholesky_ex(torch.tensor(np.asarray(bad._data)))
    _same(L, tL)
    _same(info, tinfo)
    with pytest.raises(RuntimeError, match=r"the leading minor of order 2 is not positive-definite"):
        linalg_cholesky(bad)
    singular = torch_tensor(rbind(c(1., 2), c(2, 4)))
    assert int(linalg_inv_ex(singular).info.item()) == int(torch.linalg.inv_ex(torch.tensor([[1., 2], [2, 4]]))[1])
    with pytest.raises(RuntimeError, match=r"linalg.inv: \(Batch element 1\): The diagonal element 2 is zero"):
        linalg_inv(torch_stack([torch_eye(2), singular]))
    with pytest.raises(RuntimeError, match="torch.linalg.solve: The solver failed because the input matrix is singular"):
        linalg_solve(singular, torch_tensor(c(1, 2)))
    assert math.isinf(linalg_cond(singular, "fro").item())
    with pytest.raises(RuntimeError, match="linalg.det: Expected a floating point or complex tensor as input. Got Long"):
        linalg_det(torch_tensor(rbind(c(1, 2), c(3, 4)), dtype=torch_float64()).long())
    with pytest.raises(RuntimeError, match="linalg.inv: A must be batches of square matrices, but they are 2 by 3"):
        linalg_inv(torch_randn(2, 3))
    with pytest.raises(RuntimeError, match="linalg.det: The input tensor A must have at least 2 dimensions"):
        linalg_det(torch_randn(3))
    with pytest.raises(RuntimeError, match="linalg.norm: If dim is not specified but ord is, the input must be 1D"):
        linalg_norm(torch_randn(2, 2, 2), 2)
    with pytest.raises(RuntimeError, match="linalg.matrix_norm: Order 3 not supported"):
        linalg_matrix_norm(torch_randn(3, 3), 3)
    with pytest.raises(RuntimeError, match="multi_dot\\(\\): expected at least 2 tensors but got 1"):
        linalg_multi_dot([torch_randn(2)])
    with pytest.raises(RuntimeError, match="linalg.solve: Expected A and B to have the same dtype"):
        linalg_solve(torch_eye(3), torch_randn(3).double())
    with pytest.raises(RuntimeError, match="Expected UPLO argument to be 'L' or 'U', but got X"):
        linalg_eigh(torch_eye(2), UPLO="X")
    with pytest.raises(RuntimeError, match="Expected a strictly positive integer for 'ind', but got 0"):
        linalg_tensorinv(torch_eye(4), ind=1)
