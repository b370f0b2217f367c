"""R torch's testthat expectations from test-operators.R (its CUDA blocks; the CPU blocks are in
test_rtorch_testthat_ports.py), test-compare.R and test-reduction.R, ported to pytest.

The CUDA blocks run on `tests/_fake_cupy.py` everywhere and on a real GPU where `cuda_is_available()` is TRUE,
as `tests/test_gpu.py` does. test-compare.R checks R torch's `compare_proxy.torch_tensor`, what testthat's
edition-3 `expect_equal()` compares for a tensor: `as_array(x)`, `as.character(x$device)`, `x$requires_grad`
and `x$grad_fn`; `expect_equal3` below compares the same four, and `expect_failure` is
`pytest.raises(AssertionError)`.
"""
import numpy as np
import pytest

from rtorch import (FALSE, TRUE, as_array, as_character, as_double, c, cuda_is_available, matrix, rep,
                    torch_reduction_mean, torch_reduction_none, torch_reduction_sum, torch_tensor)
from rtorch import _devices
from tests import _fake_cupy
from tests._require import require
from tests.test_rtorch_testthat_ports import array, expect_equal, expect_equal_to_r, runif


@pytest.fixture(params=["fake", "gpu"])
def cuda(request, monkeypatch):
    """`skip_if_cuda_not_available()`, with the CuPy stand-in as a second CUDA device kind."""
    if request.param == "gpu":
        if not cuda_is_available():
            pytest.skip("no usable CUDA device: cuda_is_available() is FALSE")
    else:
        monkeypatch.setattr(_devices, "_cupy", lambda: _fake_cupy)
    return "cuda"


V = c(1, 2, 3, 4)


# ---- test-operators.R: the one CPU expectation the ports left out -----------------------------------

def test_operators__as_double():
    x = array(runif(200), dim=(10, 5, 2))
    expect_equal(as_double(torch_tensor(x)), as_double(x), tolerance=1e-5)


# ---- test-operators.R: GPU tests ----------------------------------------------------------------

def test_operators__plus_works_on_cuda(cuda):
    x = torch_tensor(V, device=cuda)
    expect_equal_to_r(x + x, 2 * V)
    expect_equal_to_r(x + 2, V + 2)
    expect_equal_to_r(2 + x, V + 2)


def test_operators__minus_works_on_cuda(cuda):
    x = torch_tensor(V, device=cuda)
    expect_equal_to_r(x - x, rep(0, 4))
    expect_equal_to_r(x - 2, V - 2)
    expect_equal_to_r(2 - x, 2 - V)
    expect_equal_to_r(-x, -V)


def test_operators__times_works_on_cuda(cuda):
    x = torch_tensor(V, device=cuda)
    expect_equal_to_r(x * x, V ** 2)
    expect_equal_to_r(x * 2, V * 2)
    expect_equal_to_r(2 * x, V * 2)


def test_operators__divide_works_on_cuda(cuda):
    x = torch_tensor(V, device=cuda)
    expect_equal_to_r(x / x, rep(1, 4))
    expect_equal_to_r(x / 2, V / 2)
    expect_equal_to_r(12 / x, 12 / V)


def test_operators__power_works_on_cuda(cuda):
    x = torch_tensor(V, device=cuda)
    expect_equal_to_r(x ** x, V ** V)
    expect_equal_to_r(x ** 2, V ** 2)
    expect_equal_to_r(2 ** x, 2 ** V)


def test_operators__modulo_works_on_cuda(cuda):
    x = torch_tensor(V, device=cuda)
    expect_equal_to_r(x % x, V % V)
    expect_equal_to_r(x % 2, V % 2)
    expect_equal_to_r(2 % x, 2 % V)


def test_operators__integer_division_works_on_cuda(cuda):
    x = torch_tensor(V, device=cuda)
    expect_equal_to_r(x // x, V // V)
    expect_equal_to_r(x // 2, V // 2)
    expect_equal_to_r(2 // x, 2 // V)


def test_operators__greater_works_on_cuda(cuda):
    x, y = torch_tensor(c(2, 2), device=cuda), torch_tensor(c(2, 3), device=cuda)
    expect_equal_to_r(x > y, c(FALSE, FALSE))
    expect_equal_to_r(y > x, c(FALSE, TRUE))
    expect_equal_to_r(y > 2, c(FALSE, TRUE))
    expect_equal_to_r(2 > y, c(FALSE, FALSE))


def test_operators__greater_equal_works_on_cuda(cuda):
    x, y = torch_tensor(c(2, 2), device=cuda), torch_tensor(c(2, 3), device=cuda)
    expect_equal_to_r(x >= y, c(TRUE, FALSE))
    expect_equal_to_r(y >= x, c(TRUE, TRUE))
    expect_equal_to_r(y >= 2, c(TRUE, TRUE))
    expect_equal_to_r(2 >= y, c(TRUE, FALSE))


def test_operators__less_works_on_cuda(cuda):
    x, y = torch_tensor(c(2, 2), device=cuda), torch_tensor(c(2, 3), device=cuda)
    expect_equal_to_r(x < y, c(FALSE, TRUE))
    expect_equal_to_r(y < x, c(FALSE, FALSE))
    expect_equal_to_r(y < 2, c(FALSE, FALSE))
    expect_equal_to_r(2 > y, c(FALSE, FALSE))


def test_operators__less_equal_works_on_cuda(cuda):
    x, y = torch_tensor(c(2, 2), device=cuda), torch_tensor(c(2, 3), device=cuda)
    expect_equal_to_r(x <= y, c(TRUE, TRUE))
    expect_equal_to_r(y <= x, c(TRUE, FALSE))
    expect_equal_to_r(y <= 2, c(TRUE, FALSE))
    expect_equal_to_r(2 <= y, c(TRUE, TRUE))


def test_operators__equal_works_on_cuda(cuda):
    x, y = torch_tensor(c(1, 2), device=cuda), torch_tensor(c(2, 2), device=cuda)
    expect_equal_to_r(x == y, c(FALSE, TRUE))
    expect_equal_to_r(x == 2, c(FALSE, TRUE))


def test_operators__not_equal_works_on_cuda(cuda):
    x, y = torch_tensor(c(1, 2), device=cuda), torch_tensor(c(2, 2), device=cuda)
    expect_equal_to_r(x != y, c(TRUE, FALSE))
    expect_equal_to_r(x != 2, c(TRUE, FALSE))


def test_operators__and_works_on_cuda(cuda):
    x, y = torch_tensor(c(1, 2), device=cuda), torch_tensor(c(2, 2), device=cuda)
    expect_equal_to_r(x & y, c(TRUE, TRUE))
    expect_equal_to_r(x & 0, c(FALSE, FALSE))


def test_operators__or_works_on_cuda(cuda):
    x, y = torch_tensor(c(0, 2), device=cuda), torch_tensor(c(1, 2), device=cuda)
    expect_equal_to_r(x | y, c(TRUE, TRUE))
    expect_equal_to_r(c(TRUE, TRUE) | y, c(TRUE, TRUE))
    expect_equal_to_r(x | 0, c(FALSE, TRUE))


def test_operators__matrix_product_works_on_cuda(cuda):
    lhs = torch_tensor(matrix(c(1, 2, 3, 4), nrow=2), device=cuda)
    rhs_tensor = torch_tensor(matrix(c(0, 1, 1, 0), nrow=2), device=cuda)
    rhs_matrix = matrix(c(2, 0, 1, 2), nrow=2)
    lhs_r, rhs_tensor_r = as_array(lhs.cpu()), as_array(rhs_tensor.cpu())
    expect_equal_to_r(lhs @ rhs_tensor, lhs_r @ rhs_tensor_r)
    expect_equal_to_r(lhs @ rhs_matrix, lhs_r @ rhs_matrix)


# ---- test-compare.R -----------------------------------------------------------------------------

def compare_proxy(x):
    """R torch's `compare_proxy.torch_tensor`."""
    return {"x": as_array(x.cpu()), "device": as_character(x.device), "requires_grad": x.requires_grad,
            "grad_fn": x.grad_fn}


def expect_equal3(a, b):
    """testthat edition 3's `expect_equal()` on two tensors: their proxies, numbers within 1.5e-8."""
    pa, pb = compare_proxy(a), compare_proxy(b)
    assert pa["x"].dtype == pb["x"].dtype
    expect_equal(pa["x"], pb["x"])
    assert np.array_equal(pa["device"], pb["device"]), (pa["device"], pb["device"])
    assert pa["requires_grad"] == pb["requires_grad"] and pa["grad_fn"] == pb["grad_fn"]


def expect_failure():
    return pytest.raises(AssertionError)


def test_compare__comparison_takes_requires_grad_into_account():
    expect_equal3(torch_tensor(1).requires_grad_(False), torch_tensor(1).requires_grad_(False))
    expect_equal3(torch_tensor(1).requires_grad_(True), torch_tensor(1).requires_grad_(True))
    with expect_failure():
        expect_equal3(torch_tensor(1).requires_grad_(False), torch_tensor(1).requires_grad_(True))


def test_compare__comparison_takes_tensor_value_into_account():
    with expect_failure():
        expect_equal3(torch_tensor(1), torch_tensor(2))


def test_compare__comparison_takes_tensor_dimension_into_account():
    with expect_failure():
        expect_equal3(torch_tensor(1).reshape(c(1, 1)), torch_tensor(1).reshape(1))


def test_compare__grad_fn_is_respected():
    """Only the half without autograd: a clone of a tensor that needs no grad has the same (NULL) grad_fn."""
    x = torch_tensor(1)
    assert x.grad_fn is None
    expect_equal3(x, x.clone())


def test_compare__compare_tensors_using_cuda(cuda):
    assert as_character(torch_tensor(1).cuda().device).tolist() == ["cuda:0"]
    assert as_character(torch_tensor(1).cpu().device).tolist() == ["cpu"]
    with expect_failure():
        expect_equal3(torch_tensor(1).cuda(), torch_tensor(1).cpu())


# ---- test-reduction.R ---------------------------------------------------------------------------

def test_reduction__reduction_works():
    assert torch_reduction_none() == 0
    assert torch_reduction_mean() == 1
    assert torch_reduction_sum() == 2


def test_reduction__codes_are_libtorchs():
    _reduction = require("torch.nn._reduction")
    assert [torch_reduction_none(), torch_reduction_mean(), torch_reduction_sum()] == \
        [_reduction.get_enum(r) for r in ("none", "mean", "sum")]
