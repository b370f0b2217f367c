"""R torch's older linear-algebra functions (`torch_det`, `torch_svd`, `torch_lu`, `torch_triangular_solve`,
...) and their methods against PyTorch's same-named functions (values, dtypes, shapes, errors), and the
derivatives of those and of `linalg_*` against torch.autograd (values, node names, gradients; float64 ones
also by finite differences).

R torch's test-linalg.R tests only `linalg_*` (tests/test_testthat_linalg.py ports it all); no testthat
file tests these functions, so every number here is PyTorch's.
"""
import warnings

import numpy as np
import pytest

import rtorch as rt
from rtorch import (as_array, c, matrix, rbind, torch_cholesky, torch_cholesky_inverse, torch_cholesky_solve,
                    torch_det, torch_double, torch_float, torch_geqrf, torch_inverse, torch_logdet, torch_lu,
                    torch_lu_solve, torch_lu_unpack, torch_matrix_exp, torch_matrix_power, torch_orgqr,
                    torch_ormqr, torch_pinverse, torch_qr, torch_slogdet, torch_svd, torch_tensor,
                    torch_triangular_solve)
from rtorch._tensor import Tensor
from tests._require import require
from tests.test_autograd_differential import check

torch = require("torch")
warnings.filterwarnings("ignore", message=r".*is deprecated in favor of", category=UserWarning)


def _np(seed, *shape, spd=False, upper=None):
    x = np.random.default_rng(seed).standard_normal(shape)
    if spd:
        x = x @ np.swapaxes(x, -1, -2) + shape[-1] * np.eye(shape[-1])
    if upper is not None:
        x = (np.triu(x) if upper else np.tril(x)) + 3 * np.eye(shape[-1])
    return x


def _pair(x, dtype):
    """The same values as an rtorch and a PyTorch tensor of `dtype` ("Float" or "Double")."""
    np_dtype = np.float32 if dtype == "Float" else np.float64
    x = np.asarray(x, np_dtype)
    return (torch_tensor(x, dtype=torch_float() if dtype == "Float" else torch_double()),
            torch.from_numpy(x.copy()))


def _same(ours, theirs):
    """Same dtype, shape and values (float tolerance) as PyTorch's result, element by element of a tuple."""
    if isinstance(theirs, (tuple, list)):
        assert isinstance(ours, tuple) and len(ours) == len(theirs)
        for a, b in zip(ours, theirs):
            _same(a, b)
        return
    assert isinstance(ours, Tensor)
    assert str(theirs.dtype).replace("torch.", "") == ours.dtype.numpy.name, (ours.dtype, theirs.dtype)
    assert tuple(ours.shape) == tuple(theirs.shape), (ours.shape, theirs.shape)
    tol = dict(rtol=1e-4, atol=1e-5) if theirs.dtype == torch.float32 else dict(rtol=1e-9, atol=1e-11)
    np.testing.assert_allclose(np.asarray(ours._data), theirs.numpy(), equal_nan=True, **tol)


DT = ["Float", "Double"]


# ---- values against PyTorch -------------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", DT)
def test_determinants_and_inverses_match_pytorch(dtype):
    a, ta = _pair(_np(0, 2, 3, 3), dtype)
    m, tm = _pair(_np(1, 4, 3), dtype)
    _same(torch_det(a), torch.det(ta))
    _same(a.det(), torch.det(ta))
    _same(torch_logdet(a), torch.logdet(ta))
    _same(a.logdet(), torch.logdet(ta))
    _same(torch_slogdet(a), tuple(torch.slogdet(ta)))
    _same(a.slogdet(), tuple(torch.slogdet(ta)))
    _same(torch_inverse(a), torch.inverse(ta))
    _same(a.inverse(), torch.inverse(ta))
    _same(torch_pinverse(m), torch.pinverse(tm))
    _same(m.pinverse(rcond=0.5), torch.pinverse(tm, rcond=0.5))
    for n in (-3, -1, 0, 1, 2, 5):
        _same(torch_matrix_power(a, n), torch.matrix_power(ta, n))
    _same(a.matrix_power(3), torch.matrix_power(ta, 3))
    _same(torch_matrix_exp(a), torch.matrix_exp(ta))
    _same(a.matrix_exp(), torch.matrix_exp(ta))


def test_logdet_is_nan_for_a_negative_determinant_and_minus_inf_for_zero():
    for x in (-np.eye(3), np.zeros((3, 3)), np.diag([-1., -1, 2])):
        a, ta = _pair(x, "Double")
        _same(torch_logdet(a), torch.logdet(ta))
    assert np.isnan(torch_logdet(torch_tensor(-np.eye(3))).item())
    assert torch_logdet(torch_tensor(np.zeros((2, 2)))).item() == -np.inf


def _svd_invariants(u, s, v):
    """What a singular value decomposition fixes regardless of LAPACK's choice of signs."""
    k = s.shape[-1]
    u, v = np.asarray(u._data if isinstance(u, Tensor) else u), np.asarray(v._data if isinstance(v, Tensor) else v)
    return np.abs(u[..., :, :k]), np.abs(v[..., :, :k]), (u[..., :, :k] * s[..., None, :]) @ np.swapaxes(
        v[..., :, :k], -1, -2)


@pytest.mark.parametrize("dtype", DT)
@pytest.mark.parametrize("shape", [(4, 3), (3, 5), (2, 3, 3)])
def test_svd_matches_pytorch_up_to_signs(dtype, shape):
    a, ta = _pair(_np(2, *shape), dtype)
    tol = dict(rtol=1e-4, atol=1e-5) if dtype == "Float" else dict(rtol=1e-9, atol=1e-11)
    for some in (True, False):
        U, S, V = torch_svd(a, some=some)
        tU, tS, tV = torch.svd(ta, some=some)
        assert [tuple(x.shape) for x in (U, S, V)] == [tuple(x.shape) for x in (tU, tS, tV)]
        _same(S, tS)
        for ours, theirs in zip(_svd_invariants(U, np.asarray(S._data), V),
                                _svd_invariants(tU.numpy(), tS.numpy(), tV.numpy())):
            np.testing.assert_allclose(ours, theirs, **tol)
        np.testing.assert_allclose(_svd_invariants(U, np.asarray(S._data), V)[2], np.asarray(a._data), **tol)
    _same(a.svd(compute_uv=False), tuple(torch.svd(ta, compute_uv=False)))  # U, V zero-filled, square


@pytest.mark.parametrize("dtype", DT)
@pytest.mark.parametrize("shape", [(4, 3), (3, 5), (2, 3, 3)])
def test_qr_matches_pytorch(dtype, shape):
    a, ta = _pair(_np(3, *shape), dtype)
    _same(torch_qr(a), tuple(torch.qr(ta)))
    _same(a.qr(some=False), tuple(torch.qr(ta, some=False)))


@pytest.mark.parametrize("dtype", DT)
@pytest.mark.parametrize("shape", [(3, 3), (2, 4, 4), (5, 3), (3, 5)])
def test_lu_matches_pytorch_with_lapack_1_based_pivots(dtype, shape):
    a, ta = _pair(_np(4, *shape), dtype)
    LU, piv = torch_lu(a)
    tLU, tpiv = torch.lu(ta)
    _same((LU, piv), (tLU, tpiv))
    assert piv.dtype.name == "Int" and int(as_array(piv).min()) >= 1
    _same(torch_lu(a, get_infos=True), tuple(torch.lu(ta, get_infos=True)))
    P, L, U = torch_lu_unpack(LU, piv)
    _same((P, L, U), tuple(torch.lu_unpack(tLU, tpiv)))
    np.testing.assert_allclose(np.asarray((P.matmul(L).matmul(U))._data), np.asarray(a._data),
                               rtol=1e-4, atol=1e-5)
    _same(torch_lu_unpack(LU, piv, unpack_data=False), tuple(torch.lu_unpack(tLU, tpiv, unpack_data=False)))
    _same(torch_lu_unpack(LU, piv, unpack_pivots=False), tuple(torch.lu_unpack(tLU, tpiv, unpack_pivots=False)))


def test_lu_of_a_singular_matrix_reports_the_first_zero_pivot():
    for x in (np.zeros((3, 3)), np.array([[1., 2, 3], [2, 4, 6], [1, 0, 1]])):
        a, ta = _pair(x, "Double")
        _same(torch_lu(a, get_infos=True), tuple(torch.lu(ta, get_infos=True)))


@pytest.mark.parametrize("dtype", DT)
def test_lu_solve_matches_pytorch_with_broadcast_batches(dtype):
    a, ta = _pair(_np(5, 2, 3, 3), dtype)
    b, tb = _pair(_np(6, 3, 2), dtype)
    LU, piv = torch_lu(a)
    tLU, tpiv = torch.lu(ta)
    _same(torch_lu_solve(b, LU, piv), torch.lu_solve(tb, tLU, tpiv))
    b2, tb2 = _pair(_np(7, 2, 3, 4), dtype)
    _same(b2.lu_solve(LU, piv), torch.lu_solve(tb2, tLU, tpiv))


@pytest.mark.parametrize("dtype", DT)
@pytest.mark.parametrize("upper", [True, False])
def test_triangular_solve_matches_pytorch_in_r_torch_argument_order(dtype, upper):
    A, tA = _pair(_np(8, 3, 3, upper=upper), dtype)
    b, tb = _pair(_np(9, 2, 3, 2), dtype)
    for transpose in (False, True):
        for unitriangular in (False, True):
            _same(torch_triangular_solve(b, A, upper, transpose, unitriangular),
                  tuple(torch.triangular_solve(tb, tA, upper, transpose, unitriangular)))
    _same(b.triangular_solve(A, upper=upper), tuple(torch.triangular_solve(tb, tA, upper=upper)))
    # R torch's default: upper = TRUE, so a lower matrix's upper triangle (its diagonal) is what is read
    _same(torch_triangular_solve(b, A), tuple(torch.triangular_solve(tb, tA)))


@pytest.mark.parametrize("dtype", DT)
@pytest.mark.parametrize("upper", [False, True])
def test_cholesky_family_matches_pytorch(dtype, upper):
    s, ts = _pair(_np(10, 2, 3, 3, spd=True), dtype)
    b, tb = _pair(_np(11, 3, 2), dtype)
    _same(torch_cholesky(s, upper), torch.cholesky(ts, upper))
    _same(s.cholesky(upper=upper), torch.cholesky(ts, upper=upper))
    F, tF = torch_cholesky(s, upper), torch.cholesky(ts, upper)
    _same(torch_cholesky_solve(b, F, upper), torch.cholesky_solve(tb, tF, upper))
    _same(b.cholesky_solve(F, upper=upper), torch.cholesky_solve(tb, tF, upper=upper))
    _same(torch_cholesky_inverse(F, upper), torch.cholesky_inverse(tF, upper))
    _same(F.cholesky_inverse(upper=upper), torch.cholesky_inverse(tF, upper=upper))
    np.testing.assert_allclose(np.asarray(torch_cholesky_inverse(F, upper)._data), np.linalg.inv(np.asarray(s._data)),
                               rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("dtype", DT)
def test_orgqr_and_ormqr_match_pytorch(dtype):
    a, ta = _pair(_np(12, 5, 3), dtype)
    h, tau = torch_geqrf(a)
    th, ttau = torch.geqrf(ta)
    _same(torch_orgqr(h, tau), torch.orgqr(th, ttau))
    _same(h.orgqr(tau), torch.orgqr(th, ttau))
    left, tleft = _pair(_np(13, 5, 2), dtype)
    right, tright = _pair(_np(14, 2, 5), dtype)
    for transpose in (False, True):
        _same(torch_ormqr(h, tau, left, True, transpose), torch.ormqr(th, ttau, tleft, True, transpose))
        _same(h.ormqr(tau, right, left=False, transpose=transpose),
              torch.ormqr(th, ttau, tright, left=False, transpose=transpose))


def test_function_forms_take_r_matrices():
    m = matrix(c(2, 1, 1, 3), ncol=2)
    assert torch_det(m).item() == pytest.approx(5.0)
    assert torch_det(m).dtype.name == "Float"
    assert torch_inverse(m).shape == (2, 2)


def test_r_torch_methods_are_the_ones_r_has():
    x = torch_tensor(rbind(c(2., 1), c(1, 3)))
    for name in ("det", "logdet", "slogdet", "inverse", "pinverse", "matrix_power", "matrix_exp", "svd", "qr",
                 "lu_solve", "triangular_solve", "cholesky", "cholesky_solve", "cholesky_inverse", "orgqr",
                 "ormqr"):
        assert callable(getattr(x, name)), name
    for name in ("lu", "lu_unpack"):  # R torch has them as functions only
        assert not hasattr(x, name), name
    for name in ("torch_det", "torch_lu", "torch_lu_unpack", "torch_svd", "torch_ormqr"):
        assert name in rt.__all__


# ---- errors: libtorch's words ---------------------------------------------------------------------------

def _errors_alike(ours, theirs):
    with pytest.raises(Exception) as t_err:
        theirs()
    kind = next(k for k in (NotImplementedError, IndexError, ValueError, TypeError, RuntimeError)
                if isinstance(t_err.value, k))  # PyTorch's own subclasses (_LinAlgError) are libtorch's kinds
    with pytest.raises(kind) as r_err:
        ours()
    assert str(r_err.value) == str(t_err.value)


LONG = np.array([[1, 2], [3, 4]])
CASES = {
    "det long": (lambda: torch_det(torch_tensor(LONG)), lambda: torch.det(torch.tensor(LONG))),
    "det vector": (lambda: torch_det(torch_tensor(c(1., 2))), lambda: torch.det(torch.tensor([1., 2]))),
    "logdet long": (lambda: torch_logdet(torch_tensor(LONG)), lambda: torch.logdet(torch.tensor(LONG))),
    "inverse singular": (lambda: torch_inverse(torch_tensor(np.zeros((2, 2)))),
                         lambda: torch.inverse(torch.zeros(2, 2))),
    "matrix_exp long": (lambda: torch_matrix_exp(torch_tensor(LONG)), lambda: torch.matrix_exp(torch.tensor(LONG))),
    "matrix_exp wide": (lambda: torch_matrix_exp(torch_tensor(np.ones((2, 3)))),
                        lambda: torch.matrix_exp(torch.ones(2, 3))),
    "matrix_power wide": (lambda: torch_matrix_power(torch_tensor(np.ones((2, 3))), 2),
                          lambda: torch.matrix_power(torch.ones(2, 3), 2)),
    "svd long": (lambda: torch_svd(torch_tensor(LONG)), lambda: torch.svd(torch.tensor(LONG))),
    "qr long": (lambda: torch_qr(torch_tensor(LONG)), lambda: torch.qr(torch.tensor(LONG))),
    "lu long": (lambda: torch_lu(torch_tensor(LONG)), lambda: torch.lu(torch.tensor(LONG))),
    "lu no pivot": (lambda: torch_lu(torch_tensor(np.eye(2)), pivot=False),
                    lambda: torch.lu(torch.eye(2), pivot=False)),
    "lu_solve shapes": (lambda: torch_lu_solve(torch_tensor(np.ones((3, 2))), *torch_lu(torch_tensor(np.eye(2)))),
                        lambda: torch.lu_solve(torch.ones(3, 2), *torch.lu(torch.eye(2)))),
    "cholesky long": (lambda: torch_cholesky(torch_tensor(LONG)), lambda: torch.cholesky(torch.tensor(LONG))),
    "cholesky wide": (lambda: torch_cholesky(torch_tensor(np.ones((2, 3)))), lambda: torch.cholesky(torch.ones(2, 3))),
    "cholesky not pd": (lambda: torch_cholesky(torch_tensor(np.zeros((3, 3)))),
                        lambda: torch.cholesky(torch.zeros(3, 3))),
    "cholesky_inverse wide": (lambda: torch_cholesky_inverse(torch_tensor(np.ones((2, 3)))),
                              lambda: torch.cholesky_inverse(torch.ones(2, 3))),
    "triangular_solve dtypes": (
        lambda: torch_triangular_solve(torch_tensor(np.ones((3, 2)), dtype=torch_double()), torch_tensor(np.eye(3))),
        lambda: torch.triangular_solve(torch.ones(3, 2, dtype=torch.float64), torch.eye(3))),
    "triangular_solve vector": (lambda: torch_triangular_solve(torch_tensor(c(1., 2, 3)), torch_tensor(np.eye(3))),
                                lambda: torch.triangular_solve(torch.ones(3), torch.eye(3))),
    "triangular_solve wide": (lambda: torch_triangular_solve(torch_tensor(np.ones((3, 2))),
                                                             torch_tensor(np.ones((2, 3)))),
                              lambda: torch.triangular_solve(torch.ones(3, 2), torch.ones(2, 3))),
    "cholesky_solve wide": (lambda: torch_cholesky_solve(torch_tensor(np.ones((3, 2))), torch_tensor(np.ones((2, 3)))),
                            lambda: torch.cholesky_solve(torch.ones(3, 2), torch.ones(2, 3))),
    "orgqr wide": (lambda: torch_orgqr(torch_tensor(np.ones((2, 3))), torch_tensor(c(1., 1))),
                   lambda: torch.orgqr(torch.ones(2, 3), torch.ones(2))),
    "ormqr rows": (lambda: torch_ormqr(torch_tensor(np.ones((3, 2))), torch_tensor(c(1., 1)),
                                       torch_tensor(np.ones((2, 2)))),
                   lambda: torch.ormqr(torch.ones(3, 2), torch.ones(2), torch.ones(2, 2))),
    "lu_unpack long pivots": (lambda: torch_lu_unpack(torch_tensor(np.eye(2)),
                                                      torch_tensor(c(1, 2), dtype=rt.torch_long())),
                              lambda: torch.lu_unpack(torch.eye(2), torch.tensor([1, 2]))),
    "lu vector": (lambda: torch_lu(torch_tensor(c(1., 2))), lambda: torch.lu(torch.ones(2))),
    "svd vector": (lambda: torch_svd(torch_tensor(c(1., 2))), lambda: torch.svd(torch.ones(2))),
    "ormqr tau dtype": (lambda: torch_ormqr(torch_tensor(np.ones((3, 2))), torch_tensor(c(1., 1), dtype=torch_double()),
                                            torch_tensor(np.ones((3, 2)))),
                        lambda: torch.ormqr(torch.ones(3, 2), torch.ones(2).double(), torch.ones(3, 2))),
    "ormqr other dtype": (lambda: torch_ormqr(torch_tensor(np.ones((3, 2))), torch_tensor(c(1., 1)),
                                              torch_tensor(np.ones((3, 2)), dtype=torch_double())),
                          lambda: torch.ormqr(torch.ones(3, 2), torch.ones(2), torch.ones(3, 2).double())),
    "cholesky batch not pd": (lambda: torch_cholesky(torch_tensor(np.stack([np.eye(2), np.zeros((2, 2))]))),
                              lambda: torch.cholesky(torch.stack([torch.eye(2), torch.zeros(2, 2)]))),
    "cholesky_solve sizes": (lambda: torch_cholesky_solve(torch_tensor(np.ones((2, 2))), torch_tensor(np.eye(3))),
                             lambda: torch.cholesky_solve(torch.ones(2, 2), torch.eye(3))),
    "triangular_solve sizes": (lambda: torch_triangular_solve(torch_tensor(np.ones((2, 2))), torch_tensor(np.eye(3))),
                               lambda: torch.triangular_solve(torch.ones(2, 2), torch.eye(3))),
    "logdet wide": (lambda: torch_logdet(torch_tensor(np.ones((2, 3)))), lambda: torch.logdet(torch.ones(2, 3))),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_gets_libtorchs_error(case):
    _errors_alike(*CASES[case])


# ---- derivatives against torch.autograd -------------------------------------------------------------------

def _inv_svd(u, s, v):
    """Functions of an SVD that LAPACK's choice of signs leaves alone, each reading U, S or V."""
    return u * u, s, v * v, u.matmul(v.transpose(-2, -1))


SQ, SQ3, TALL, WIDE = _np(20, 3, 3), _np(21, 2, 3, 3), _np(22, 4, 3), _np(23, 3, 4)
SPD, RHS = _np(24, 3, 3, spd=True), _np(25, 3, 2)
GRADS = {  # name -> (inputs, rtorch, PyTorch, finite differences apply)
    "det": ([SQ3], lambda a: a.det(), torch.det, True),
    "logdet": ([SPD], lambda a: torch_logdet(a), torch.logdet, True),
    "slogdet": ([SQ3], lambda a: a.slogdet(), torch.slogdet, True),
    "inverse": ([SQ3], lambda a: a.inverse(), torch.inverse, True),
    "pinverse tall": ([TALL], lambda a: a.pinverse(), torch.pinverse, True),
    "pinverse wide": ([WIDE], lambda a: torch_pinverse(a), torch.pinverse, True),
    "matrix_power 3": ([SQ], lambda a: a.matrix_power(3), lambda a: torch.matrix_power(a, 3), True),
    "matrix_power -2": ([SQ], lambda a: a.matrix_power(-2), lambda a: torch.matrix_power(a, -2), True),
    "matrix_power -1": ([SQ], lambda a: a.matrix_power(-1), lambda a: torch.matrix_power(a, -1), True),
    "matrix_power 1": ([SQ], lambda a: a.matrix_power(1), lambda a: torch.matrix_power(a, 1), True),
    "matrix_power 0": ([SQ], lambda a: a.matrix_power(0), lambda a: torch.matrix_power(a, 0), True),
    "matrix_power batch": ([SQ3], lambda a: a.matrix_power(2), lambda a: torch.matrix_power(a, 2), True),
    "matrix_exp": ([SQ3 * 0.5], lambda a: a.matrix_exp(), torch.matrix_exp, True),
    # libtorch's Cholesky gradient is for a symmetric perturbation: not the one-entry finite differences
    "cholesky": ([SPD], lambda a: a.cholesky(), torch.cholesky, False),
    "cholesky upper": ([SPD], lambda a: torch_cholesky(a, upper=True), lambda a: torch.cholesky(a, upper=True), False),
    "svd tall": ([TALL], lambda a: _inv_svd(*a.svd()), lambda a: _inv_svd(*torch.svd(a)), True),
    "svd wide": ([WIDE], lambda a: _inv_svd(*torch_svd(a)), lambda a: _inv_svd(*torch.svd(a)), True),
    "svd batch": ([SQ3], lambda a: _inv_svd(*a.svd()), lambda a: _inv_svd(*torch.svd(a)), True),
    "svd values": ([TALL], lambda a: a.svd(compute_uv=False)[1], lambda a: torch.svd(a, compute_uv=False)[1], True),
    "svd full": ([TALL], lambda a: (lambda u, s, v: (s, u.narrow(-1, 1, 3).matmul(v.t())))(*a.svd(some=False)),
                 lambda a: (lambda u, s, v: (s, u[:, :3].matmul(v.t())))(*torch.svd(a, some=False)), True),
    # libtorch's gradient for a Cholesky factor covers the triangle the function does not read
    "cholesky_solve": ([RHS, np.linalg.cholesky(SPD)], lambda b, f: b.cholesky_solve(f), torch.cholesky_solve, False),
    "cholesky_solve upper": ([RHS, np.linalg.cholesky(SPD).T.copy()], lambda b, f: torch_cholesky_solve(b, f, True),
                             lambda b, f: torch.cholesky_solve(b, f, True), False),
    "cholesky_inverse": ([np.linalg.cholesky(SPD)], lambda f: f.cholesky_inverse(), torch.cholesky_inverse, False),
    "cholesky_inverse upper": ([np.linalg.cholesky(SPD).T.copy()], lambda f: torch_cholesky_inverse(f, upper=True),
                               lambda f: torch.cholesky_inverse(f, upper=True), False),
    "lu": ([SQ3], torch_lu, torch.lu, True),
    "lu infos": ([SQ], lambda a: torch_lu(a, get_infos=True), lambda a: torch.lu(a, get_infos=True), True),
    "qr tall": ([TALL], lambda a: a.qr(), torch.qr, True),
    "qr wide": ([WIDE], lambda a: torch_qr(a), torch.qr, True),
    "qr batch": ([SQ3], lambda a: a.qr(), torch.qr, True),
    "qr complete wide": ([WIDE], lambda a: a.qr(some=False), lambda a: torch.qr(a, some=False), True),
    "linalg_det": ([SQ], rt.linalg_det, torch.linalg.det, True),
    "linalg_slogdet": ([SQ3], rt.linalg_slogdet, torch.linalg.slogdet, True),
    "linalg_inv": ([SQ], rt.linalg_inv, torch.linalg.inv, True),
    "linalg_pinv": ([TALL], rt.linalg_pinv, torch.linalg.pinv, True),
    "linalg_matrix_power": ([SQ], lambda a: rt.linalg_matrix_power(a, 2), lambda a: torch.linalg.matrix_power(a, 2),
                            True),
    "linalg_cholesky": ([SPD], rt.linalg_cholesky, torch.linalg.cholesky, False),
    "linalg_qr": ([TALL], rt.linalg_qr, torch.linalg.qr, True),
    "linalg_svd": ([TALL], lambda a: (lambda u, s, vh: _inv_svd(u, s, vh.transpose(-2, -1)))(
        *rt.linalg_svd(a, full_matrices=False)), lambda a: (lambda u, s, vh: _inv_svd(u, s, vh.mT))(
        *torch.linalg.svd(a, full_matrices=False)), True),
    "linalg_svd full": ([WIDE], lambda a: (lambda u, s, vh: (s, u.matmul(vh.narrow(-2, 1, 3))))(*rt.linalg_svd(a)),
                        lambda a: (lambda u, s, vh: (s, u.matmul(vh[:3])))(*torch.linalg.svd(a)), True),
    "linalg_svdvals": ([WIDE], rt.linalg_svdvals, torch.linalg.svdvals, True),
    "linalg_solve": ([SQ, RHS], rt.linalg_solve, torch.linalg.solve, True),
    "linalg_solve vector": ([SQ, RHS[:, 0].copy()], rt.linalg_solve, torch.linalg.solve, True),
}
for _upper in (True, False):
    _tri = _np(26, 3, 3, upper=_upper)
    for _un in (False, True):
        for _left in (True, False):
            GRADS[f"linalg_solve_triangular {_upper} {_left} {_un}"] = (
                [_tri, RHS if _left else RHS.T.copy()],
                lambda a, b, u=_upper, l=_left, n=_un: rt.linalg_solve_triangular(a, b, upper=u, left=l,
                                                                                  unitriangular=n),
                lambda a, b, u=_upper, l=_left, n=_un: torch.linalg.solve_triangular(a, b, upper=u, left=l,
                                                                                     unitriangular=n), True)
        for _tr in (False, True):
            GRADS[f"triangular_solve {_upper} {_tr} {_un}"] = (
                [_np(27, 2, 3, 2), _tri],
                lambda b, a, u=_upper, t=_tr, n=_un: b.triangular_solve(a, u, t, n),
                lambda b, a, u=_upper, t=_tr, n=_un: torch.triangular_solve(b, a, u, t, n), True)


@pytest.mark.parametrize("dtype", DT)
@pytest.mark.parametrize("case", list(GRADS))
def test_gradients_match_pytorch(case, dtype):
    values, ours, theirs, fd = GRADS[case]
    check(values, [dtype] * len(values), ours, theirs, fd=fd)


SECOND = {  # name -> (input, rtorch scalar function, PyTorch's)
    "det": (SQ, lambda a: a.det(), torch.det),
    "inverse": (SQ, lambda a: a.inverse().sum(), lambda a: torch.inverse(a).sum()),
    "matrix_exp": (SQ * 0.5, lambda a: a.matrix_exp().sum(), lambda a: torch.matrix_exp(a).sum()),
    "cholesky": (SPD, lambda a: (a.cholesky() * a).sum(), lambda a: (torch.cholesky(a) * a).sum()),
    "svd values": (TALL, lambda a: a.svd()[1].pow(3).sum(), lambda a: torch.svd(a)[1].pow(3).sum()),
    "qr": (TALL, lambda a: (a.qr()[1] * a[1:3]).sum(), lambda a: (torch.qr(a)[1] * a[:3]).sum()),
    "lu": (SQ, lambda a: (torch_lu(a)[0] * a).sum(), lambda a: (torch.lu(a)[0] * a).sum()),
    "eigh": (SPD, lambda a: rt.linalg_eigvalsh(a).pow(3).sum(), lambda a: torch.linalg.eigvalsh(a).pow(3).sum()),
    "triangular_solve": (np.triu(SPD),
                         lambda a: (torch_tensor(RHS, dtype=torch_double()).triangular_solve(a)[0] * a[:, 1:2]).sum(),
                         lambda a: (torch.triangular_solve(torch.from_numpy(RHS), a)[0] * a[:, :2]).sum()),
}


@pytest.mark.parametrize("case", list(SECOND))
def test_create_graph_gives_second_derivatives(case):
    """A backward records its own graph: the gradient of the gradient agrees with PyTorch's."""
    value, ours, theirs = SECOND[case]
    x, tx = _pair(value, "Double")
    x.requires_grad_(True)
    tx.requires_grad_(True)
    g, = rt.autograd_grad(ours(x), x, create_graph=True)
    tg, = torch.autograd.grad(theirs(tx), tx, create_graph=True)
    w = np.random.default_rng(31).standard_normal(value.shape)
    gg, = rt.autograd_grad((g * torch_tensor(w, dtype=torch_double())).sum(), x)
    tgg, = torch.autograd.grad((tg * torch.from_numpy(w)).sum(), tx)
    np.testing.assert_allclose(np.asarray(gg._data), tgg.numpy(), rtol=1e-7, atol=1e-9)


def test_qr_complete_of_a_tall_matrix_is_not_differentiable():
    x = torch_tensor(TALL, requires_grad=True)
    q, r = x.qr(some=False)
    with pytest.raises(RuntimeError, match="not differentiable when mode='complete' and nrows > ncols"):
        (q.sum() + r.sum()).backward()


def test_complex_derivatives_raise_rather_than_give_a_real_formula():
    x = torch_tensor(np.eye(2) + 0j, requires_grad=True)
    with pytest.raises(NotImplementedError, match="the derivative of 'det' is implemented for real inputs only"):
        x.det().abs().backward()


def test_lu_of_a_rectangular_matrix_is_not_differentiable_here():
    x = torch_tensor(TALL, requires_grad=True)
    with pytest.raises(NotImplementedError, match="'torch_lu' is implemented for square matrices only"):
        torch_lu(x)[0].sum().backward()


@pytest.mark.parametrize("dtype", DT)
@pytest.mark.parametrize("shape", [(3, 3), (2, 3, 3), (4, 3), (3, 4)])
def test_lu_unpack_and_lu_solve_gradients_match_pytorch(dtype, shape):
    LU, piv = torch.linalg.lu_factor(torch.from_numpy(_np(28, *shape)))
    ours = torch_tensor(piv.numpy(), dtype=rt.torch_int())
    check([LU.numpy()], [dtype], lambda lu: torch_lu_unpack(lu, ours)[1:], lambda lu: torch.lu_unpack(lu, piv)[1:])
    if shape[-1] == shape[-2]:
        check([RHS, LU.numpy()], [dtype] * 2, lambda b, lu: b.lu_solve(lu, ours),
              lambda b, lu: torch.lu_solve(b, lu, piv))


def test_gradient_flows_from_lu_solve_through_lu_to_the_matrix():
    check([SQ, RHS], ["Double"] * 2, lambda a, b: torch_lu_solve(b, *torch_lu(a)),
          lambda a, b: torch.lu_solve(b, *torch.lu(a)))


NORM_CASES = [(ord, dim, keepdim) for ord in (2, 1, 3, 0.5, float("inf"), -float("inf"), 0)
              for dim, keepdim in ((None, False), (2, False), (c(1, 2), True), (-1, True))]


@pytest.mark.parametrize("dtype", DT)
@pytest.mark.parametrize("ord,dim,keepdim", NORM_CASES)
def test_linalg_vector_norm_gradients_match_pytorch(ord, dim, keepdim, dtype):
    dims = None if dim is None else tuple(d - 1 if d > 0 else d for d in np.atleast_1d(np.asarray(dim, int)).tolist())
    check([_np(29, 3, 4)], [dtype], lambda a: rt.linalg_vector_norm(a, ord, dim, keepdim),
          lambda a: torch.linalg.vector_norm(a, ord, dims, keepdim), fd=abs(ord) not in (0, float("inf")))


@pytest.mark.parametrize("dtype", DT)
@pytest.mark.parametrize("uplo", ["L", "U"])
def test_linalg_eigh_gradients_match_pytorch(uplo, dtype):
    s = _np(30, 2, 3, 3)
    s = s + np.swapaxes(s, -1, -2)
    # eigenvectors up to sign: V * V; one triangle read, so no one-entry finite differences
    check([s], [dtype], lambda a: (lambda w, v: (w, v * v))(*rt.linalg_eigh(a, uplo)),
          lambda a: (lambda w, v: (w, v * v))(*torch.linalg.eigh(a, uplo)), fd=False)
    check([s], [dtype], lambda a: rt.linalg_eigvalsh(a, uplo), lambda a: torch.linalg.eigvalsh(a, uplo), fd=False)
