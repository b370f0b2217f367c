"""R torch's testthat expectations (mlverse/torch, tests/testthat/) for its generated namespace, creation ops,
dtypes, devices and generators, ported to pytest: the blocks that tests/test_rtorch_testthat_ports.py does
not port yet. Same conventions and helpers as that file; a testthat test is `test_<file>__<test name>`.
Blocks left out (named tensors, the meta and CUDA devices) need what rtorch does not have; nn, autograd,
bfloat16 and `slc()` blocks are ported in their own files.
"""
import numpy as np
import pytest

from rtorch import (as_array, as_character, length, torch_addr_out, torch_allclose, torch_arange, torch_bernoulli,
                    torch_device, torch_double, torch_einsum, torch_empty_like, torch_empty_strided, torch_eye,
                    torch_finfo, torch_float, torch_float32, torch_float64, torch_generator, torch_get_default_dtype,
                    torch_iinfo, torch_int, torch_int16, torch_int64, torch_kron, torch_logit, torch_manual_seed,
                    torch_ones, torch_rand, torch_rand_like, torch_randint, torch_randint_like, torch_randn,
                    torch_randn_like, torch_randperm, torch_range, torch_set_default_dtype, torch_tensor,
                    torch_tensordot, torch_tril_indices, torch_triu_indices, torch_var_mean, torch_zeros,
                    torch_zeros_like, torch_zeros_out, with_torch_manual_seed)
from rtorch import _functions as F
from rtorch._rbase import dim

from .test_rtorch_testthat_ports import (c, expect_equal, expect_equal_to_r, expect_equal_to_tensor, expect_tensor,
                                         expect_tensor_shape, matrix, r_int, rbind)


# ---- test-gen-namespace.R -----------------------------------------------------------------------

def test_gen_namespace__and_or_xor_function_forms():
    """The `torch___and__()`, `torch___or__()`, `torch___xor__()` calls of the `__and__`, `__or__` and
    `__xor__` blocks (the operator forms are ported in test_rtorch_testthat_ports.py)."""
    x = torch_tensor(True)
    expect_equal_to_tensor(F.torch___and__(x, x), x)
    expect_equal_to_tensor(F.torch___and__(x, True), x)
    expect_equal_to_tensor(F.torch___or__(x, x), x)
    expect_equal_to_tensor(F.torch___or__(x, False), x)
    expect_equal_to_tensor(F.torch___xor__(x, x), torch_tensor(False))
    expect_equal_to_tensor(F.torch___xor__(x, True), torch_tensor(False))


def test_gen_namespace__lshift():
    x = torch_tensor(c(-1, -2, 3), dtype=torch_int16())
    y = torch_tensor(c(1, 0, 3), dtype=torch_int16())
    assert torch_allclose(F.torch___lshift__(x, y), torch_tensor(c(-2, -2, 24), dtype=torch_int16()))


def test_gen_namespace__rshift():
    x = torch_tensor(c(-2, -7, 31), dtype=torch_int16())
    y = torch_tensor(c(1, 0, 3), dtype=torch_int16())
    assert torch_allclose(F.torch___rshift__(x, y), torch_tensor(c(-1, -7, 3), dtype=torch_int16()))


def test_gen_namespace__addr_out():
    out = torch_zeros(c(2, 2))
    x = torch_rand(c(2, 2))
    y = torch_rand(c(2))
    z = torch_rand(c(2))
    k = torch_addr_out(out, x, y, z)
    expect_equal_to_tensor(out, k)


def test_gen_namespace__cast_byte():
    expect_tensor(F.torch__cast_Byte(torch_rand(1)))


def test_gen_namespace__cast_double():
    expect_tensor(F.torch__cast_Double(torch_tensor(np.int32(1), dtype=torch_int())))


def test_gen_namespace__cast_float():
    expect_tensor(F.torch__cast_Float(torch_tensor(np.int32(1), dtype=torch_int())))


def test_gen_namespace__cast_int():
    expect_tensor(F.torch__cast_Int(torch_tensor(1)))


def test_gen_namespace__einsum():
    x = torch_tensor(c(1, 2, 3))
    y = torch_tensor(c(1, 2))
    out = torch_einsum("i,j->ij", [x, y])
    expect_equal_to_r(out, matrix(c(1, 2, 3, 2, 4, 6), ncol=2))


def test_gen_namespace__kron():
    mat1 = torch_eye(2)
    mat2 = torch_arange(1, 4).reshape(c(2, 2))
    out = torch_kron(mat1, mat2)
    expected = rbind(c(1., 2., 0., 0.), c(3., 4., 0., 0.), c(0., 0., 1., 2.), c(0., 0., 3., 4.))
    expect_equal_to_r(out, expected)


def test_gen_namespace__logit_works():
    x = torch_tensor(c(0.5, 0.1, 0.9))
    expect_equal_to_tensor(torch_logit(x).exp() / (1 + torch_logit(x).exp()), x, tolerance=1e-6)


def test_gen_namespace__tensordot():
    a = torch_arange(start=1, end=60).reshape(c(3, 4, 5))
    b = torch_arange(start=1, end=24).reshape(c(4, 3, 2))
    out = torch_tensordot(a, b, [c(2, 1), c(1, 2)])
    expect_tensor_shape(out, c(5, 2))


def test_gen_namespace__var_mean():
    x = torch_rand(100)
    for t in torch_var_mean(x):
        expect_tensor(t)
    for t in torch_var_mean(x, dim=1):
        expect_tensor(t)


def test_gen_namespace__zeros_out():
    x = torch_ones(c(2))
    expect_tensor(torch_zeros_out(x, c(2)))
    expect_equal_to_tensor(x, torch_tensor(c(0, 0)))


def test_gen_namespace__triu_and_tril_indices_return_1_based_indexes():
    n, m, k = 4, 5, 0
    triu_indices = torch_triu_indices(n, m, k)
    tril_indices = torch_tril_indices(n, m, k)
    expect_equal_to_r(F.torch_min(tril_indices), r_int(1))
    expect_equal_to_r(F.torch_min(triu_indices), r_int(1))


# ---- test-creation-ops.R ------------------------------------------------------------------------

def test_creation_ops__rand():
    x = torch_rand(2, 2, 2)
    expect_equal(dim(as_array(x)), c(2, 2, 2))


def test_creation_ops__rand_like():
    x = torch_rand(2, 2, 2)
    y = torch_rand_like(x)
    expect_equal(dim(as_array(x)), dim(as_array(y)))


def test_creation_ops__randint():
    x = torch_randint(0, 10, c(2, 2))
    expect_equal(dim(as_array(x)), c(2, 2))
    x = torch_randint(0, 10, c(2, 2), generator=torch_generator())
    expect_equal(dim(as_array(x)), c(2, 2))


def test_creation_ops__randint_like():
    x = torch_randint(0, 10, c(2, 2))
    y = torch_randint_like(x, 0, 500)
    expect_equal(dim(as_array(x)), dim(as_array(y)))


def test_creation_ops__randn():
    x = torch_randn(2, 2)
    expect_equal(dim(as_array(x)), c(2, 2))


def test_creation_ops__randn_like():
    x = torch_randn(2, 2)
    y = torch_randn_like(x)
    expect_equal(dim(as_array(x)), dim(as_array(y)))


def test_creation_ops__randperm():
    x = torch_randperm(10)
    assert x.size(1) == 10


def test_creation_ops__empty_like():
    """R torch's block calls torch_zeros_like; torch_empty_like, which the block is named after, is checked
    the same way."""
    x = torch_zeros(2, 2, 2)
    expect_equal(dim(as_array(x)), dim(as_array(torch_zeros_like(x))))
    expect_equal(dim(as_array(x)), dim(as_array(torch_empty_like(x))))


def test_creation_ops__empty_strided():
    x = torch_empty_strided(c(2, 2), stride=c(1, 2))
    assert x.stride(1) == 1
    assert x.stride(2) == 2


def test_creation_ops__arange_type_info_and_range():
    """The parts of the `arange` block that test_rtorch_testthat_ports.py leaves out: torch_finfo,
    torch_iinfo and the deprecated torch_range."""
    x = torch_arange(0, 1, 1, dtype=torch_float64())
    assert torch_finfo(x.dtype)["eps"] == torch_finfo(torch_double())["eps"]
    x = torch_arange(0, 1, 1, dtype=torch_float32())
    expect_equal(torch_finfo(x.dtype)["eps"], torch_finfo(torch_float())["eps"], tolerance=torch_finfo(torch_float())["eps"])
    x = torch_arange(0, 1, 1, dtype=torch_int64())
    assert torch_iinfo(x.dtype)["bits"] == 64
    with pytest.warns(FutureWarning, match="deprecated in favor of torch_arange"):
        x = torch_range(1, 9)
    assert x.size(1) == 9


# ---- test-dtype.R -------------------------------------------------------------------------------

def test_dtype__default_dtype():
    x = torch_randn(10)
    assert x.dtype == torch_float()
    assert torch_get_default_dtype() == torch_float()
    try:
        torch_set_default_dtype(torch_float64())
        assert torch_get_default_dtype() == torch_float64()
        x = torch_randn(10)
        assert x.dtype == torch_float64()
    finally:
        torch_set_default_dtype(torch_float())


def test_dtype__error_when_comparing_dtypes():
    with pytest.raises(RuntimeError, match="not a dtype"):
        None == torch_float64()  # noqa: B015


# ---- test-device.R ------------------------------------------------------------------------------

def test_device__can_query_device_length():
    device = torch_device("cpu")
    assert length(device) == 1


def test_device__can_correctly_get_back_device_to_string():
    """The `mps` device of the block is left out: rtorch knows cpu and cuda only."""
    assert as_character(torch_device("cuda:0")) == "cuda:0"
    assert as_character(torch_device("cpu")) == "cpu"


# ---- test-generator.R ---------------------------------------------------------------------------

def test_generator__can_create_and_use_simple_generators():
    x = torch_generator()
    x.set_current_seed(np.int32(12345678))
    assert x.current_seed() == 12345678
    x.set_current_seed(123456789101112)
    assert x.current_seed() == 123456789101112


def test_generator__manual_seed_works():
    torch_manual_seed(np.int32(1))
    a = torch_randn(1)
    torch_manual_seed(np.int32(1))
    b = torch_randn(1)
    expect_equal_to_tensor(a, b)


def test_generator__current_behavior_is_identical_to_pytorch():
    torch_manual_seed(1)
    expect_equal_to_r(torch_randn(1), c(0.661352157592773))


def test_generator__can_use_torch_bernoulli_on_cuda():
    """The CPU half of the block (the CUDA half needs a GPU)."""
    x = torch_bernoulli(torch_ones(3, 3, device="cpu") * 0.5)
    expect_tensor_shape(x, c(3, 3))


def test_generator__can_use_a_with_context_to_modify_the_torch_seed_temporarily():
    torch_manual_seed(1)
    x = torch_randn(1)
    y = torch_randn(1)
    with with_torch_manual_seed(seed=1):
        x_ = torch_randn(1)
        y_ = torch_randn(1)
        z_ = torch_randn(1)
    z = torch_randn(1)
    expect_equal_to_tensor(x, x_)
    expect_equal_to_tensor(y, y_)
    expect_equal_to_tensor(z, z_)
