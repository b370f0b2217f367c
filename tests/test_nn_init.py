"""R torch's initialiser tests (mlverse/torch tests/testthat/test-nn-init.R, one block: "nn_init_eye"),
and every `nn_init_*` against `torch.nn.init` under the same seed: the same draws in the same order.

`nn_init_trunc_normal_` is checked against R torch's algorithm (uniform on [2l-1, 2u-1], erfinv, scale,
clamp) run in PyTorch: PyTorch 2.13's own `trunc_normal_` has moved to rejection sampling, so it draws
other numbers than R torch does. `nn_init_orthogonal_` draws in the default dtype as R torch does, so it
is compared to PyTorch on Float tensors (PyTorch draws a Double tensor's in double).
"""
import math

import numpy as np
import pytest

import rtorch as r
from rtorch import as_array, torch_empty, torch_manual_seed
from rtorch.nn.init import nn_init_calculate_fan_in_and_fan_out

from tests._require import require
from tests.test_rtorch_testthat_ports import expect_equal_to_r

torch = require("torch")
I = torch.nn.init

SHAPES = [(5, 7), (7, 5), (4, 3, 2, 2), (6, 2, 3)]
DTYPES = [(r.torch_float, torch.float32), (r.torch_double, torch.float64)]


def both(fr, ft, shape, dtype=DTYPES[0], seed=7):
    torch_manual_seed(seed)
    torch.manual_seed(seed)
    a = torch_empty(*shape, dtype=dtype[0]())
    b = torch.empty(*shape, dtype=dtype[1])
    fr(a)
    ft(b)
    return as_array(a), b.numpy()


def assert_same(fr, ft, shape, dtype=DTYPES[0], tol=0):
    a, b = both(fr, ft, shape, dtype)
    assert a.shape == b.shape
    if tol:
        np.testing.assert_allclose(a, b, rtol=0, atol=tol)
    else:
        assert np.array_equal(a, b)


# ---- test-nn-init.R -----------------------------------------------------------------------------

def test_nn_init__nn_init_eye():
    w = torch_empty(5, 5, requires_grad=True)
    r.nn_init_eye_(w)
    assert w.requires_grad
    expect_equal_to_r(w, np.eye(5))


# ---- against torch.nn.init ----------------------------------------------------------------------

@pytest.mark.parametrize("dtype", DTYPES, ids=["float", "double"])
@pytest.mark.parametrize("shape", SHAPES)
def test_uniform_normal_constant(shape, dtype):
    assert_same(lambda t: r.nn_init_uniform_(t, -2, 3), lambda t: I.uniform_(t, -2, 3), shape, dtype)
    assert_same(lambda t: r.nn_init_uniform_(t), lambda t: I.uniform_(t), shape, dtype)
    assert_same(lambda t: r.nn_init_normal_(t, 1, 2), lambda t: I.normal_(t, 1, 2), shape, dtype)
    assert_same(lambda t: r.nn_init_constant_(t, 0.3), lambda t: I.constant_(t, 0.3), shape, dtype)
    assert_same(r.nn_init_ones_, I.ones_, shape, dtype)
    assert_same(r.nn_init_zeros_, I.zeros_, shape, dtype)


@pytest.mark.parametrize("dtype", DTYPES, ids=["float", "double"])
@pytest.mark.parametrize("shape", SHAPES)
def test_xavier(shape, dtype):
    assert_same(lambda t: r.nn_init_xavier_uniform_(t, 2), lambda t: I.xavier_uniform_(t, 2), shape, dtype)
    assert_same(lambda t: r.nn_init_xavier_normal_(t, 0.5), lambda t: I.xavier_normal_(t, 0.5), shape, dtype)


@pytest.mark.parametrize("nonlinearity", ["leaky_relu", "relu", "linear", "tanh", "sigmoid", "conv1d",
                                          "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
                                          "conv_transpose3d"])
@pytest.mark.parametrize("mode", ["fan_in", "fan_out", "FAN_IN"])
@pytest.mark.parametrize("shape", SHAPES)
def test_kaiming(shape, mode, nonlinearity):
    for a in (0, 0.3, math.sqrt(5)):
        assert_same(lambda t: r.nn_init_kaiming_uniform_(t, a, mode, nonlinearity),
                    lambda t: I.kaiming_uniform_(t, a, mode.lower(), nonlinearity), shape)
        assert_same(lambda t: r.nn_init_kaiming_normal_(t, a, mode, nonlinearity),
                    lambda t: I.kaiming_normal_(t, a, mode.lower(), nonlinearity), shape)


def test_kaiming_defaults_and_double():
    assert_same(r.nn_init_kaiming_uniform_, I.kaiming_uniform_, (8, 3), DTYPES[1])
    assert_same(r.nn_init_kaiming_normal_, I.kaiming_normal_, (8, 3), DTYPES[1])


def test_kaiming_bad_mode():
    with pytest.raises(ValueError, match="Mode fan_up not supported"):
        r.nn_init_kaiming_uniform_(torch_empty(3, 3), mode="fan_up")


@pytest.mark.parametrize("shape", SHAPES + [(1, 6), (6, 1), (3, 3)])
def test_orthogonal(shape):
    """QR of a `torch_randn(rows, cols)` draw (transposed when rows < cols), columns signed by diag(R)."""
    assert_same(lambda t: r.nn_init_orthogonal_(t, 1.5), lambda t: I.orthogonal_(t, 1.5), shape, tol=1e-6)
    a, _ = both(r.nn_init_orthogonal_, I.orthogonal_, shape)
    flat = a.reshape(shape[0], -1)
    small = flat @ flat.T if flat.shape[0] <= flat.shape[1] else flat.T @ flat
    np.testing.assert_allclose(small, np.eye(small.shape[0]), atol=1e-5)


def test_orthogonal_of_a_double_draws_as_r_torch():
    """R torch draws `torch_randn(rows, cols)` (Float) whatever the tensor's dtype."""
    a, _ = both(r.nn_init_orthogonal_, I.orthogonal_, (4, 6), DTYPES[1])
    b, _ = both(r.nn_init_orthogonal_, I.orthogonal_, (4, 6), DTYPES[0])
    np.testing.assert_allclose(a, b, atol=1e-6)


def _r_trunc_normal(t, mean, std, a, b):
    def cdf(x):
        return (1.0 + math.erf(x / math.sqrt(2.0))) / 2.0
    lo, hi = cdf((a - mean) / std), cdf((b - mean) / std)
    with torch.no_grad():
        t.uniform_(2 * lo - 1, 2 * hi - 1)
        t.erfinv_()
        t.mul_(std * math.sqrt(2.0))
        t.add_(mean)
        t.clamp_(min=a, max=b)
    return t


@pytest.mark.parametrize("dtype", DTYPES, ids=["float", "double"])
@pytest.mark.parametrize("args", [(0, 1, -2, 2), (0.5, 2, -1, 3), (1, 0.1, 0.9, 2)])
def test_trunc_normal(args, dtype):
    assert_same(lambda t: r.nn_init_trunc_normal_(t, *args), lambda t: _r_trunc_normal(t, *args), (20, 30),
                dtype, tol=1e-6 if dtype[0] is r.torch_float else 1e-12)
    a, _ = both(lambda t: r.nn_init_trunc_normal_(t, *args), lambda t: t, (20, 30), dtype)
    assert a.min() >= args[2] and a.max() <= args[3]


def test_trunc_normal_defaults():
    assert_same(r.nn_init_trunc_normal_, lambda t: _r_trunc_normal(t, 0, 1, -2, 2), (50,), tol=1e-6)


@pytest.mark.parametrize("shape,groups", [((6, 3, 3), 1), ((6, 4, 3, 3), 2), ((4, 4, 3, 3, 3), 1),
                                          ((3, 5, 4), 3), ((8, 2, 5, 5), 4)])
def test_dirac(shape, groups):
    assert_same(lambda t: r.nn_init_dirac_(t, groups), lambda t: I.dirac_(t, groups), shape)


def test_dirac_errors():
    with pytest.raises(ValueError, match="Only tensors with 3, 4, or 5 dimensions are supported"):
        r.nn_init_dirac_(torch_empty(3, 3))
    with pytest.raises(ValueError, match="dim 0 must be divisible by groups"):
        r.nn_init_dirac_(torch_empty(5, 3, 3), 2)


@pytest.mark.parametrize("shape,sparsity", [((10, 6), 0.3), ((7, 3), 0.1), ((5, 5), 0.9)])
def test_sparse(shape, sparsity):
    assert_same(lambda t: r.nn_init_sparse_(t, sparsity, 0.5), lambda t: I.sparse_(t, sparsity, 0.5), shape)
    a, _ = both(lambda t: r.nn_init_sparse_(t, sparsity), lambda t: t, shape)
    assert ((a == 0).sum(0) == math.ceil(sparsity * shape[0])).all()


def test_eye():
    assert_same(r.nn_init_eye_, I.eye_, (3, 5))
    assert_same(r.nn_init_eye_, I.eye_, (5, 3))
    with pytest.raises(ValueError, match="Only tensors with 2 dimensions are supported"):
        r.nn_init_eye_(torch_empty(3))


def test_init_keeps_requires_grad_and_records_nothing():
    for fn in (r.nn_init_uniform_, r.nn_init_normal_, r.nn_init_xavier_uniform_, r.nn_init_kaiming_normal_,
               r.nn_init_orthogonal_, r.nn_init_trunc_normal_, r.nn_init_zeros_, r.nn_init_ones_):
        w = torch_empty(4, 3, requires_grad=True)
        out = fn(w)
        assert out is w and w.requires_grad and w.grad_fn is None


@pytest.mark.parametrize("nonlinearity,param", [("linear", None), ("conv1d", None), ("conv2d", None),
                                                ("conv3d", None), ("conv_transpose1d", None),
                                                ("conv_transpose2d", None), ("conv_transpose3d", None),
                                                ("sigmoid", None), ("tanh", None), ("relu", None),
                                                ("leaky_relu", None), ("leaky_relu", 0.2), ("leaky_relu", 0)])
def test_calculate_gain(nonlinearity, param):
    assert r.nn_init_calculate_gain(nonlinearity, param) == pytest.approx(I.calculate_gain(nonlinearity, param),
                                                                          rel=1e-15)


def test_calculate_gain_unsupported_as_r_torch():
    """R torch has no "selu" gain (PyTorch's is 3/4)."""
    for name in ("selu", "softmax"):
        with pytest.raises(NotImplementedError, match=f"Unsupported nonlinearity: {name}"):
            r.nn_init_calculate_gain(name)


@pytest.mark.parametrize("shape", SHAPES + [(3, 4, 5, 6, 2)])
def test_fan_in_and_fan_out(shape):
    assert nn_init_calculate_fan_in_and_fan_out(torch_empty(*shape)) == \
        I._calculate_fan_in_and_fan_out(torch.empty(*shape))
    assert "nn_init_calculate_fan_in_and_fan_out" not in r.__all__   # internal in R torch, as here
    assert "calculate_fan_in_and_fan_out" not in r.__all__
    with pytest.raises(ValueError, match="fewer than 2 dimensions"):
        nn_init_calculate_fan_in_and_fan_out(torch_empty(3))
