"""`nnf_contrib_sparsemax`/`nn_contrib_sparsemax` and `nnf_area_under_min_fpr_fnr`/`nn_aum_loss`, which
PyTorch does not have: values and gradients against NumPy references written from the papers' formulas
(sparsemax's simplex projection and its Jacobian; the AUM as a sum over threshold intervals, its
gradient by central differences), and R torch's own testthat expectations."""
import numpy as np
import pytest

import rtorch as r
from tests.test_nn_padding_distance import arr, f32


def _t(a, requires_grad=False):
    t = r.torch_tensor(np.asarray(a), dtype=r.torch_float64())
    if requires_grad:
        t.requires_grad_(True)
    return t


# ---- sparsemax --------------------------------------------------------------------------------------

def _sparsemax_rows(z):
    """Martins & Astudillo's Algorithm 1 for each row of `z`: the projection onto the simplex."""
    out = np.zeros_like(z)
    for i, row in enumerate(z):
        s = np.sort(row)[::-1]
        k = max(j for j in range(1, len(s) + 1) if 1 + j * s[j - 1] > s[:j].sum())
        tau = (s[:k].sum() - 1) / k
        out[i] = np.maximum(row - tau, 0)
    return out


def _sparsemax_vjp(p, g):
    """`J^T g` with sparsemax's Jacobian `diag(s) - s s^T / |S|`, `s` the support of `p`, per row."""
    out = np.zeros_like(g)
    for i in range(p.shape[0]):
        s = (p[i] > 0).astype(float)
        J = np.diag(s) - np.outer(s, s) / s.sum()
        out[i] = J.T @ g[i]
    return out


def test_sparsemax_r_torch_testthat():
    m = r.nn_contrib_sparsemax(dim=-1)
    x = np.array([[0.01, 0.01, 0.01, 0.97], [0.001, 0.01, 0.01, 0.97], [0.01, 0.01, 0.01, 5]])
    xt = r.torch_tensor(x, requires_grad=True)
    out = m(xt)
    assert list(out.shape) == [3, 4]
    np.testing.assert_allclose(arr(out)[0], x[0], atol=1e-6)
    np.testing.assert_allclose(arr(out)[1], [0.0033, 0.0123, 0.0123, 0.9723], atol=1e-4)
    np.testing.assert_allclose(arr(out)[2], [0, 0, 0, 1], atol=1e-5)
    r.nnf_nll_loss(out, r.torch_tensor([4, 4, 4], dtype=r.torch_long())).backward()
    np.testing.assert_allclose(arr(xt.grad), [[0.0833, 0.0833, 0.0833, -0.25]] * 2 + [[0, 0, 0, 0]], atol=1e-4)


@pytest.mark.parametrize("dim", [1, 2, 3, -1, -2])
def test_sparsemax_matches_reference(dim):
    x = 2 * f32(3, 4, 5, seed=dim + 10).astype(np.float64)
    axis = dim - 1 if dim > 0 else dim
    moved = np.moveaxis(x, axis, -1)
    flat = moved.reshape(-1, moved.shape[-1])
    want = np.moveaxis(_sparsemax_rows(flat).reshape(moved.shape), -1, axis)
    xt = _t(x, True)
    out = r.nnf_contrib_sparsemax(xt, dim=dim)
    np.testing.assert_allclose(arr(out), want, atol=1e-12)
    np.testing.assert_allclose(arr(out).sum(axis=axis), 1, atol=1e-12)
    assert (arr(out) == 0).any() and out.grad_fn.name == "SparsemaxBackward"
    g = f32(*x.shape, seed=3).astype(np.float64)
    (out * _t(g)).sum().backward()
    gm = np.moveaxis(g, axis, -1).reshape(flat.shape)
    pm = np.moveaxis(want, axis, -1).reshape(flat.shape)
    want_g = np.moveaxis(_sparsemax_vjp(pm, gm).reshape(moved.shape), -1, axis)
    np.testing.assert_allclose(arr(xt.grad), want_g, atol=1e-12)


def test_sparsemax_float32_shift_invariance_and_double_backward():
    x = f32(4, 6, seed=2)
    out = r.nnf_contrib_sparsemax(r.torch_tensor(x))
    assert out.dtype == r.torch_float32()
    np.testing.assert_allclose(arr(out), arr(r.nnf_contrib_sparsemax(r.torch_tensor(x + 3))), atol=1e-6)
    xt = _t(x, True)
    y = r.nnf_contrib_sparsemax(xt)
    (gx,) = r.autograd_grad((y * y).sum(), xt, create_graph=True)
    gx.sum().backward()
    assert list(xt.grad.shape) == [4, 6]


def test_sparsemax_errors():
    with pytest.raises(ValueError, match="Input should be a tensor and got 'list"):
        r.nnf_contrib_sparsemax([1, 2, 3])
    with pytest.raises(IndexError, match="Dimension out of range"):
        r.nnf_contrib_sparsemax(r.torch_randn(2, 3), dim=3)


# ---- AUM ---------------------------------------------------------------------------------------------

def _aum_reference(pred, label):
    """Sum over the intervals between consecutive unique predictions of min(FPR, FNR) times the interval's
    length, FPR and FNR of the rule `positive when pred > threshold` inside the interval."""
    pos = label == label.max()
    neg = ~pos
    if not pos.any() or not neg.any():
        return 0.0
    u = np.unique(pred)
    total = 0.0
    for lo, hi in zip(u[:-1], u[1:]):
        c = (lo + hi) / 2
        fpr = (neg & (pred > c)).sum() / neg.sum()
        fnr = (pos & (pred <= c)).sum() / pos.sum()
        total += min(fpr, fnr) * (hi - lo)
    return total


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("labels", ["factor", "bool"])
def test_aum_matches_reference(seed, labels):
    g = np.random.default_rng(seed)
    pred = g.standard_normal(40)
    lab = g.integers(1, 3, 40)
    target = r.torch_tensor(lab, dtype=r.torch_long()) if labels == "factor" else r.torch_tensor(lab == 2)
    xt = _t(pred, True)
    loss = r.nn_aum_loss()(xt, target)
    assert loss.dim() == 0 and loss.grad_fn is not None
    np.testing.assert_allclose(arr(loss), _aum_reference(pred, lab), rtol=1e-12)
    assert float(arr(loss)) > 0
    loss.backward()
    eps = 1e-7
    fd = np.array([(_aum_reference(pred + eps * e, lab) - _aum_reference(pred - eps * e, lab)) / (2 * eps)
                   for e in np.eye(40)])
    np.testing.assert_allclose(arr(xt.grad), fd, atol=1e-6)


def test_aum_ties_column_input_and_degenerate_labels():
    pred = np.array([0.3, 1.2, 0.3, -0.5, 1.2, 0.0, 0.3])
    lab = np.array([1, 2, 2, 1, 1, 2, 1])
    out = r.nnf_area_under_min_fpr_fnr(_t(pred.reshape(-1, 1)), r.torch_tensor(lab.reshape(-1, 1)))
    np.testing.assert_allclose(arr(out), _aum_reference(pred, lab), rtol=1e-12)
    x = _t(pred, True)
    zero = r.nnf_area_under_min_fpr_fnr(x, r.torch_tensor(np.ones(7, np.int64)))
    assert float(arr(zero)) == 0
    zero.backward()
    np.testing.assert_array_equal(arr(x.grad), np.zeros(7))
    assert isinstance(r.nn_aum_loss(), r.nn_loss)


def test_aum_errors():
    with pytest.raises(RuntimeError, match="must match the size"):
        r.nnf_area_under_min_fpr_fnr(r.torch_randn(5), r.torch_tensor([1, 2]))
    with pytest.raises(TypeError, match="`target` must be a torch_tensor"):
        r.nnf_area_under_min_fpr_fnr(r.torch_randn(5), [1, 2, 1, 2, 1])
