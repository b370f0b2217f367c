"""The porting contract of issue 2 (how R torch spells it -> how rtorch spells it), row by row, and the
tensor API it lists: values, shapes, dtypes, strides, shared storage and error messages.

R-typed data is written as R holds it: an R double vector is a float64 array, an R integer vector an
int32 array (`1:3` is `np.arange(1, 4, dtype=np.int32)`), an R logical vector a bool array. R fills a
matrix by column, so `matrix(1:6, ncol = 3)` is `np.arange(1, 7).reshape(3, 2).T`.
"""
import warnings

import numpy as np
import pytest

import rtorch
from rtorch import (N, Tensor, as_array, cuda_device_count, cuda_is_available, drop, newaxis, torch_allclose,
                    torch_arange, torch_bool, torch_cat, torch_device, torch_double, torch_empty,
                    torch_empty_like, torch_equal, torch_eye, torch_float, torch_float16, torch_float32,
                    torch_float64, torch_full, torch_full_like, torch_half, torch_int, torch_int8, torch_int16,
                    torch_int32, torch_int64, torch_linspace, torch_logspace, torch_long, torch_mm, torch_nonzero,
                    torch_ones, torch_ones_like, torch_short, torch_stack, torch_tensor, torch_uint8, torch_where,
                    torch_zeros, torch_zeros_like)


def dbl(*values):
    return np.array(values, dtype=np.float64)


def r_int(*values):
    return np.array(values, dtype=np.int32)


def r_matrix(values, ncol):
    """R's `matrix(values, ncol = ncol)`: filled by column."""
    v = np.asarray(values)
    return v.reshape(ncol, -1).T.copy()


def x34():
    """`torch_tensor(matrix(1:12, ncol = 4, byrow = TRUE))` as a Float tensor: rows 1..4, 5..8, 9..12."""
    return torch_tensor(np.arange(1, 13, dtype=np.float64).reshape(3, 4))


def values(t):
    return as_array(t).tolist()


# ---- from rtorch import * ------------------------------------------------------------------------

def test_star_import_gives_the_r_names():
    namespace = {}
    exec("from rtorch import *", namespace)
    for name in ("torch_tensor", "torch_zeros", "torch_ones", "torch_full", "torch_empty", "torch_eye",
                 "torch_arange", "torch_linspace", "torch_logspace", "torch_float", "torch_long", "torch_bool",
                 "torch_device", "cuda_is_available", "cuda_device_count", "as_array", "N", "drop", "newaxis",
                 "torch_cat", "torch_stack", "torch_where", "torch_nonzero", "torch_mm", "torch_matmul",
                 "torch_allclose", "torch_equal", "torch_sum", "torch_mean", "torch_max", "torch_relu",
                 "torch_sigmoid", "torch_tanh", "torch_exp", "torch_log", "torch_sqrt", "torch_abs",
                 "torch_clamp", "torch_pow", "torch_argmax", "torch_sort", "torch_topk", "torch_gather"):
        assert name in namespace, name
    assert "np" not in namespace and "Tensor" in namespace


# ---- t$method(a, dim = 1) -> t.method(a, dim=1); attributes ------------------------------------------

def test_methods_take_1_based_dims():
    x = x34()
    assert values(x.sum(dim=1)) == [15, 18, 21, 24]
    assert values(x.sum(dim=2)) == [10, 26, 42]
    assert values(x.sum(dim=-1)) == [10, 26, 42]
    assert x.sum(dim=2, keepdim=True).shape == (3, 1)
    assert values(x.mean(dim=1)) == [5, 6, 7, 8]
    assert x.size(1) == 3 and x.size(2) == 4 and x.size(-1) == 4 and x.size() == (3, 4)


def test_attributes():
    x = torch_tensor(dbl(1, 2, 3), requires_grad=True)
    assert x.dtype == torch_float() and x.device == torch_device("cpu")
    assert x.shape == (3,) and x.ndim == 1 and x.is_leaf and x.requires_grad
    assert not x.is_cuda and rtorch.is_undefined_tensor(x.grad)  # R torch: undefined until a backward
    assert torch_tensor(1).requires_grad is False
    assert x.dtype.is_floating_point and not torch_long().is_floating_point


# ---- literals and their dtypes ------------------------------------------------------------------

@pytest.mark.parametrize("data, dtype, shape", [
    (2, "Float", (1,)), (2.0, "Float", (1,)), (True, "Bool", (1,)), (np.int32(2), "Long", (1,)),
    (dbl(1, 2), "Float", (2,)), (r_int(1, 2), "Long", (2,)), (np.array([True, False]), "Bool", (2,)),
    ([1, 2, 3], "Float", (3,)), ([[1, 2], [3, 4]], "Float", (2, 2)), ([True, False], "Bool", (2,)),
    (np.array([1, 2], np.int64), "Long", (2,)), (np.array([1, 2], np.float32), "Float", (2,)),
    (np.array([1, 2], np.int16), "Short", (2,)), (np.array([1, 2], np.uint8), "Byte", (2,)),
    (np.array([1, 2], np.int8), "Char", (2,)), (np.array([1, 2], np.float16), "Half", (2,)),
    (np.array([1 + 1j]), "ComplexFloat", (1,)), (None, "Bool", (0,)), (np.zeros(0), "Float", (0,)),
])
def test_torch_tensor_infers_dtypes_as_r_torch(data, dtype, shape):
    x = torch_tensor(data)
    assert x.dtype.name == dtype and x.shape == shape


def test_torch_tensor_copies_and_keeps_r_layout():
    m = r_matrix(np.arange(1, 7, dtype=np.float64), ncol=3)
    x = torch_tensor(m)
    assert x.shape == (2, 3) and values(x) == [[1, 3, 5], [2, 4, 6]] and x.is_contiguous()
    m[0, 0] = 100
    assert x[1, 1].item() == 1
    a = np.arange(8, dtype=np.float64).reshape(2, 2, 2)
    np.testing.assert_array_equal(as_array(torch_tensor(a)), a)
    y = torch_tensor(x)
    assert y.storage().data_ptr() != x.storage().data_ptr() and torch_equal(x, y)


def test_torch_tensor_dtype_device_requires_grad_arguments():
    x = torch_tensor(dbl(1, 2), dtype=torch_double(), device="cpu", requires_grad=True)
    assert x.dtype == torch_double() and x.device.type == "cpu" and x.requires_grad
    assert torch_tensor(dbl(1, 2), dtype="long").dtype == torch_long()
    assert torch_tensor(np.array([1.5]), dtype=torch_int()).dtype == torch_int()


def test_torch_tensor_refuses_values_the_dtype_cannot_hold():
    with pytest.raises(ValueError, match="NA/NaN/Inf"):
        torch_tensor(dbl(1, np.nan), dtype=torch_long())
    with pytest.raises(OverflowError, match="out of range"):
        torch_tensor(dbl(300), dtype=torch_uint8())
    with pytest.raises(TypeError, match="string"):
        torch_tensor("a")
    with pytest.raises(ValueError, match="rectangular"):
        torch_tensor([[1, 2], [3]])
    with pytest.raises(TypeError, match="torch_stack"):
        torch_tensor([torch_tensor(1), torch_tensor(2)])


def test_nan_and_inf_survive_a_float_tensor():
    x = torch_tensor(dbl(np.nan, -np.inf, np.inf))
    out = as_array(x)
    assert np.isnan(out[0]) and out[1] == -np.inf and out[2] == np.inf


# ---- dtypes -------------------------------------------------------------------------------------

@pytest.mark.parametrize("fn, name, size", [
    (torch_float, "Float", 4), (torch_float32, "Float", 4), (torch_double, "Double", 8), (torch_float64, "Double", 8),
    (torch_half, "Half", 2), (torch_float16, "Half", 2), (torch_long, "Long", 8), (torch_int64, "Long", 8),
    (torch_int, "Int", 4), (torch_int32, "Int", 4), (torch_short, "Short", 2), (torch_int16, "Short", 2),
    (torch_int8, "Char", 1), (torch_uint8, "Byte", 1), (torch_bool, "Bool", 1),
])
def test_dtype_constructors_print_and_compare(fn, name, size):
    d = fn()
    assert repr(d) == f"torch_{name}" and str(d) == f"torch_{name}"
    assert d == fn() and d.name == name
    assert torch_zeros(2, dtype=d).dtype == d and torch_zeros(2, dtype=d).element_size() == size


def test_dtypes_differ_and_strings_name_them():
    assert torch_float() != torch_int() and torch_float32() == torch_float()
    for s, d in {"float": torch_float(), "float64": torch_double(), "long": torch_long(), "int32": torch_int(),
                 "bool": torch_bool(), "uint8": torch_uint8(), "half": torch_half(), "short": torch_short()}.items():
        assert torch_empty(2, dtype=s).dtype == d
    with pytest.raises(ValueError, match="unknown dtype"):
        torch_zeros(2, dtype="float128")


def test_promotion_examples_from_the_issue():
    x_long = torch_tensor(r_int(1, 2))
    assert (x_long + 0.5).dtype == torch_float()
    assert (x_long + np.int32(1)).dtype == torch_long()
    assert (torch_tensor(r_int(1, 2)).to(dtype=torch_int()) + x_long).dtype == torch_long()
    assert (torch_tensor(dbl(1)).double() + torch_tensor(dbl(1))).dtype == torch_double()
    assert (torch_tensor(np.array([True])) + torch_tensor(np.array([True]))).dtype == torch_bool()
    assert (x_long / x_long).dtype == torch_float()


# ---- devices ------------------------------------------------------------------------------------

def test_devices_print_as_r_torch():
    assert repr(torch_device("cpu")) == "torch_device(type='cpu')"
    assert repr(torch_device(type="cuda", index=0)) == "torch_device(type='cuda', index=0)"
    assert repr(torch_device("cuda:1")) == "torch_device(type='cuda', index=1)"
    d = torch_device("cuda")
    assert d.type == "cuda" and d.index is None
    assert torch_device("cpu", 0).index == 0
    assert torch_device("cpu") == torch_device("cpu") and torch_device("cpu") != torch_device("cuda")


def test_bad_devices_raise_clear_errors():
    with pytest.raises(ValueError, match="unknown device type"):
        torch_device("tpu")
    with pytest.raises(ValueError, match="index"):
        torch_device("cuda:x")


@pytest.mark.skipif(cuda_is_available(), reason="checks the CPU-only machine")
def test_cuda_without_a_gpu():
    assert cuda_is_available() is False and cuda_device_count() == 0
    for make in (lambda: torch_tensor(1, device="cuda"), lambda: torch_zeros(2, device=torch_device("cuda")),
                 lambda: torch_tensor(1).to(device="cuda"), lambda: torch_tensor(1).cuda()):
        with pytest.raises(RuntimeError, match="cuda_is_available"):
            make()


def test_cpu_and_to():
    x = torch_tensor(dbl(1.5, 2.5))
    assert x.cpu() is x
    y = x.to(dtype=torch_long())
    assert y.dtype == torch_long() and values(y) == [1, 2]
    z = x.to(device="cpu", dtype=torch_double())
    assert z.dtype == torch_double() and z.device == torch_device("cpu")
    assert x.to(torch_double()).dtype == torch_double()
    assert x.to(device=torch_device("cpu")) is x
    assert x.to(other=torch_tensor(r_int(1))).dtype == torch_long()
    assert x.to(torch_tensor(r_int(1))).dtype == torch_long()


# ---- creation -----------------------------------------------------------------------------------

@pytest.mark.parametrize("fn, fill", [(torch_zeros, 0), (torch_ones, 1)])
def test_zeros_ones_size_forms(fn, fill):
    for x in (fn(3, 2), fn(dbl(3, 2)), fn((3, 2)), fn(size=dbl(3, 2)), fn(r_int(3, 2))):
        assert x.shape == (3, 2) and x.dtype == torch_float() and (as_array(x) == fill).all()
    x = fn(2, 2, dtype=torch_double(), device="cpu", requires_grad=True)
    assert x.dtype == torch_double() and x.requires_grad
    with pytest.raises(RuntimeError, match="floating point"):  # libtorch: integer tensors cannot require grad
        fn(2, 2, dtype=torch_long(), requires_grad=True)
    assert fn(0).shape == (0,)
    with pytest.raises(RuntimeError, match="negative dimension"):
        fn(-1)


def test_full_empty_eye():
    x = torch_full(dbl(2, 2), 7)
    assert x.dtype == torch_float() and values(x) == [[7, 7], [7, 7]]
    assert torch_full(c2(2, 2), True).dtype == torch_bool()
    assert torch_full(c2(2), 7, dtype=torch_long()).dtype == torch_long()
    with pytest.raises(ValueError, match="NaN"):
        torch_full(c2(2), float("nan"), dtype=torch_long())
    assert torch_empty(2, 3).shape == (2, 3) and torch_empty(2, 3).dtype == torch_float()
    np.testing.assert_array_equal(as_array(torch_eye(3)), np.eye(3))
    np.testing.assert_array_equal(as_array(torch_eye(4, 2)), np.eye(4, 2))


def c2(*v):
    return dbl(*v)


def test_like_variants_keep_shape_dtype_device():
    x = torch_tensor(r_int(1, 2, 3))
    for like, fill in ((torch_zeros_like, 0), (torch_ones_like, 1)):
        y = like(x)
        assert y.shape == (3,) and y.dtype == torch_long() and (as_array(y) == fill).all()
    assert torch_full_like(x, 5).dtype == torch_long() and values(torch_full_like(x, 5)) == [5, 5, 5]
    assert torch_empty_like(x).shape == (3,)
    assert torch_zeros_like(x, dtype=torch_double()).dtype == torch_double()


def test_arange_is_inclusive_and_starts_at_1():
    assert values(torch_arange(1, 5)) == [1, 2, 3, 4, 5]
    assert values(torch_arange(5)) == [1, 2, 3, 4, 5] and torch_arange(5).dtype == torch_float()
    assert torch_arange(np.int32(5)).dtype == torch_long()
    assert values(torch_arange(0, 1, 0.25)) == [0, 0.25, 0.5, 0.75, 1]
    assert values(torch_arange(5, 1, -2)) == [5, 3, 1]
    x = torch_arange(np.int32(0), np.int32(5))
    assert x.dtype == torch_long() and as_array(x).dtype == np.int32 and values(x) == [0, 1, 2, 3, 4, 5]
    assert torch_arange(1, 10, dtype=torch_int64()).dtype == torch_long()
    with pytest.raises(RuntimeError, match="inconsistent with step sign"):
        torch_arange(5, 1)
    with pytest.raises(RuntimeError, match="nonzero"):
        torch_arange(1, 5, 0)


def test_linspace_logspace():
    x = torch_linspace(0, 1, 5)
    assert x.dtype == torch_float() and values(x) == [0, 0.25, 0.5, 0.75, 1]
    y = torch_logspace(0, 2, 3)
    np.testing.assert_allclose(as_array(y), [1, 10, 100])
    assert torch_linspace(0, 1, 3, dtype=torch_double()).dtype == torch_double()


# ---- operators ----------------------------------------------------------------------------------

def test_arithmetic_operators():
    a, b = torch_tensor(dbl(-7, 7, 5)), torch_tensor(dbl(2, -2, 5))
    assert values(a + b) == [-5, 5, 10] and values(a - b) == [-9, 9, 0] and values(a * b) == [-14, -14, 25]
    assert values(a / b) == [-3.5, -3.5, 1]
    assert values(a ** 2) == [49, 49, 25] and values(2 ** b) == [4, 0.25, 32]
    assert values(-a) == [7, -7, -5]


def test_r_modulo_and_integer_division_are_fmod_and_trunc():
    """R torch's `%%` is `torch_fmod` (sign of the dividend) and `%/%` divides rounding toward zero."""
    a, b = torch_tensor(dbl(-7, 7, -7, 7)), torch_tensor(dbl(2, -2, -2, 2))
    assert values(a % b) == [-1, 1, -1, 1]
    assert values(a // b) == [-3, -3, 3, 3]
    ai, bi = torch_tensor(r_int(-7, 7)), torch_tensor(r_int(2, -2))
    assert values(ai // bi) == [-3, -3] and (ai // bi).dtype == torch_long()
    assert values(ai % 3) == [-1, 1] and (ai % 3).dtype == torch_float()
    assert values(ai % np.int32(3)) == [-1, 1] and (ai % np.int32(3)).dtype == torch_long()
    assert values(a.remainder(2)) == [1, 1, 1, 1]
    assert values(a.floor_divide(2)) == [-4, 3, -4, 3]
    assert values(a.div(b, rounding_mode="floor")) == [-4, -4, 3, 3]
    with pytest.raises(RuntimeError, match="ZeroDivisionError"):
        ai // np.int32(0)


def test_comparison_and_logical_operators():
    x, y = torch_tensor(dbl(2, 2)), torch_tensor(dbl(2, 3))
    assert values(x > y) == [False, False] and values(y > x) == [False, True] and values(y >= 2) == [True, True]
    assert values(2 > y) == [False, False] and values(x == y) == [True, False] and values(x != y) == [False, True]
    assert (x > y).dtype == torch_bool()
    a, b = torch_tensor(dbl(0, 2)), torch_tensor(dbl(1, 2))
    assert values(a & b) == [False, True] and values(a | b) == [True, True] and values(a | 0) == [False, True]
    assert values(~torch_tensor(np.array([True, False]))) == [False, True]
    assert values(~a) == [True, False]


def test_matrix_product_operator():
    lhs = torch_tensor(r_matrix(dbl(1, 2, 3, 4), ncol=2))
    rhs = torch_tensor(r_matrix(dbl(0, 1, 1, 0), ncol=2))
    np.testing.assert_array_equal(as_array(lhs @ rhs), as_array(lhs) @ as_array(rhs))
    m = r_matrix(dbl(2, 0, 1, 2), ncol=2)
    np.testing.assert_array_equal(as_array(lhs @ m), as_array(lhs) @ m)
    np.testing.assert_array_equal(as_array(m @ lhs), m @ as_array(lhs))
    assert torch_equal(torch_mm(lhs, rhs), lhs.mm(rhs))


def test_bool_tensors_refuse_subtraction_and_negation():
    m = torch_tensor(np.array([True, False]))
    with pytest.raises(RuntimeError, match="Subtraction, the `-` operator, with two bool tensors is not supported"):
        m - m
    with pytest.raises(RuntimeError, match="Subtraction"):
        torch_tensor(dbl(1, 2)) - True
    with pytest.raises(RuntimeError, match="Negation, the `-` operator, on a bool tensor is not supported"):
        -m


def test_broadcasting_error_is_libtorchs():
    with pytest.raises(RuntimeError, match=r"^The size of tensor a \(2\) must match the size of tensor b \(5\) at "
                                           r"non-singleton dimension 1$"):
        torch_ones(3, 2) + torch_ones(3, 5)
    assert (torch_ones(3, 1) + torch_ones(1, 5)).shape == (3, 5)


# ---- indexing: reads ----------------------------------------------------------------------------

def test_index_is_1_based_and_slices_inclusive():
    x = x34()
    assert x[1, 1].item() == 1 and x[3, 4].item() == 12
    assert values(x[1, 1:2]) == [1, 2]
    assert values(x[1, :]) == [1, 2, 3, 4]
    assert x[1, 1:2, drop(False)].shape == (1, 2) and values(x[1, 1:2, drop(False)]) == [[1, 2]]
    assert x[1, 1].shape == () and x[1, 1, drop(False)].shape == (1, 1)


def test_negative_positions_and_n():
    v = torch_tensor(np.arange(10, dtype=np.int32))
    assert v[-1].item() == 9 and values(v[-2:10]) == [8, 9]
    assert values(v[2:N]) == list(range(1, 10)) and values(v[-2:N]) == [8, 9]
    assert values(v[2:-1]) == list(range(1, 10)) and values(v[-3:-2]) == [7, 8]
    assert values(v[2:10:2]) == [1, 3, 5, 7, 9]
    assert values(v[[-1, -2]]) == [9, 8]
    assert repr(N) == "N"


def test_ellipsis_none_and_newaxis():
    x = torch_zeros(2, 3, 4, 5)
    assert x[..., 1].shape == (2, 3, 4) and x[1, ...].shape == (3, 4, 5) and x[1, ..., 1].shape == (3, 4)
    v = torch_zeros(10)
    assert v[:, None].shape == (10, 1) and v[None, :, None].shape == (1, 10, 1)
    assert v[newaxis, :].shape == (1, 10) and v[newaxis, :, newaxis, newaxis].shape == (1, 10, 1, 1)
    assert x[:, 1, None].shape == (2, 1, 4, 5)


def test_vector_indices_select_per_dim():
    x = x34()
    assert values(x[dbl(1, 3, 2)]) == values(x[[1, 3, 2]]) == [[1, 2, 3, 4], [9, 10, 11, 12], [5, 6, 7, 8]]
    assert torch_equal(x[dbl(1, 2), dbl(1, 2)], x[1:2, 1:2])
    assert torch_equal(x[[1, 2], [1, 2]], x[1:2, 1:2])
    assert values(x[np.array([True, False, True]), 1]) == [1, 9]
    assert values(x[[True, False, True], [False, True, True, False]]) == [[2, 3], [10, 11]]
    idx = torch_tensor(np.array([1, 3]), dtype=torch_long())
    assert values(x[idx, -1]) == [4, 12]
    assert x[torch_tensor(np.array([2]), dtype=torch_long()), 1].shape == (1,)
    assert x[torch_tensor(np.array([2]), dtype=torch_long()).squeeze(), 1].shape == ()
    assert x[np.array([[1, 2], [3, 1]])].shape == (2, 2, 4)


def test_masks():
    x = torch_tensor(dbl(-1, -2, 0, 1, 2))
    assert values(x[x < 0]) == [-1, -2]
    m = torch_tensor(np.array([[-1.0, 2.0], [3.0, -4.0]]))
    assert values(m[m < 0]) == [-1, -4]
    assert values(torch_tensor(dbl(5))[True]) == [5]
    with pytest.raises(IndexError, match="shape of the mask"):
        x[np.array([True, False])]
    with pytest.raises(IndexError, match="too many indices"):
        m[m < 0, 1]


def test_reads_are_views_for_slices_and_copies_for_vectors():
    x = x34()
    row = x[2, :]
    assert row.storage().data_ptr() == x.storage().data_ptr()
    row.fill_(0)
    assert values(x[2, :]) == [0, 0, 0, 0]
    picked = x[[1, 3], :]
    picked.fill_(-1)
    assert values(x[1, :]) == [1, 2, 3, 4]
    assert x[1:3:2, 2:N].stride() == (8, 1)


def test_index_zero_and_out_of_range_raise():
    x = x34()
    for bad in (lambda: x[0], lambda: x[1, 0], lambda: x[[0, 1]], lambda: x[0:2],
                lambda: x[torch_tensor(np.array([0, 1]), dtype=torch_long())]):
        with pytest.raises(IndexError, match="^Indexing starts at 1 but found a 0.$"):
            bad()
    with pytest.raises(IndexError, match="^index 4 is out of bounds for dimension 1 with size 3$"):
        x[4]
    with pytest.raises(IndexError, match="^index 5 is out of bounds for dimension 2 with size 4$"):
        x[1, 5]
    with pytest.raises(IndexError, match="^index -4 is out of bounds for dimension 1 with size 3$"):
        x[-4, 1]
    with pytest.raises(IndexError, match="index 7 is out of bounds for dimension 2 with size 4"):
        x[:, [1, 7]]
    with pytest.raises(IndexError, match="too many indices for tensor of dimension 2"):
        x[1, 1, 1]
    with pytest.raises(IndexError, match="^index 1 is out of bounds for dimension 1 with size 0$"):
        torch_tensor(None)[1]


def test_index_type_errors():
    x = x34()
    with pytest.raises(IndexError, match="not a whole number"):
        x[1.5]
    with pytest.raises(IndexError, match="Long or Bool"):
        x[torch_tensor(dbl(1))]
    with pytest.raises(IndexError, match="drop"):
        x[drop(False), 1]


# ---- indexing: writes ---------------------------------------------------------------------------

def test_assignments():
    x = torch_tensor(r_matrix(dbl(-1, 2, -2, 1, 0, 0, 1, -1, 2, -2), ncol=5))
    x[x < 0] = 0
    assert (as_array(x) >= 0).all()
    x[1, :] = dbl(1, 2, 3, 4, 5)
    assert values(x[1, :]) == [1, 2, 3, 4, 5]
    x[2, 2:3] = torch_tensor(dbl(9, 8))
    assert values(x[2, :]) == [2, 9, 8, 0, 0]
    x[1, 1] = np.int32(7)
    assert x[1, 1].item() == 7 and x.dtype == torch_float()
    b = torch_tensor(np.array([True, False]))
    b[2] = True
    assert values(b) == [True, True]


def test_assignment_with_mask_and_vector_on_other_dims():
    x = torch_zeros(3, 2)
    x[torch_tensor(np.array([True, False, True])), 1] = torch_tensor(dbl(1, 2))
    assert values(x) == [[1, 0], [0, 0], [2, 0]]
    x[1, [1, 2]] = 5
    assert values(x[1, :]) == [5, 5]


def test_assignment_with_two_vector_indices_is_refused_as_in_r_torch():
    x = torch_zeros(3, 2)
    with pytest.raises(IndexError, match="Only one tensor is allowed in the index"):
        x[torch_tensor(r_int(1, 3)), torch_tensor(r_int(1, 2))] = 2


def test_assignment_refuses_nan_into_integers_and_writes_to_expanded_views():
    x = torch_tensor(r_int(1, 2))
    with pytest.raises((RuntimeError, ValueError), match="cannot be converted to type int64_t without overflow"):
        x[1] = float("nan")
    e = torch_ones(1, 3).expand(2, 3)
    e[1, 1] = 0
    assert as_array(e)[:, 0].tolist() == [0, 0]
    with pytest.raises(RuntimeError, match="clone"):
        e.add_(1)


# ---- views and storage --------------------------------------------------------------------------

def _same_storage(a, b):
    return a.storage().data_ptr() == b.storage().data_ptr()


def test_views_share_storage_and_report_strides():
    x = torch_zeros(2, 3, 4)
    assert x.stride() == (12, 4, 1) and x.stride(1) == 12 and x.stride(-1) == 1
    cases = {
        "view": (x.view(6, 4), (6, 4), (4, 1)), "view -1": (x.view(-1), (24,), (1,)),
        "reshape": (x.reshape(4, 6), (4, 6), (6, 1)), "transpose": (x.transpose(1, 3), (4, 3, 2), (1, 4, 12)),
        "permute": (x.permute(3, 1, 2), (4, 2, 3), (1, 12, 4)), "unsqueeze": (x.unsqueeze(1), (1, 2, 3, 4), None),
        "squeeze": (x[:, 1, drop(False)].squeeze(2), (2, 4), (12, 1)), "flatten": (x.flatten(), (24,), (1,)),
        "expand": (x[:, 1:1, :].expand(2, 5, 4), (2, 5, 4), (12, 0, 1)), "t": (x[1].t(), (4, 3), (1, 4)),
        "narrow": (x.narrow(3, 2, 2), (2, 3, 2), (12, 4, 1)), "select": (x.select(2, 3), (2, 4), (12, 1)),
    }
    for name, (v, shape, stride) in cases.items():
        assert v.shape == shape, name
        if stride is not None:
            assert v.stride() == stride, name
        assert _same_storage(v, x), name


def test_reshape_copies_only_when_it_must():
    x = torch_zeros(3, 4)
    assert _same_storage(x.reshape(12), x)
    y = x.t().reshape(12)
    assert not _same_storage(y, x) and y.is_contiguous()


def test_contiguous_is_contiguous_clone():
    x = torch_zeros(3, 4)
    assert x.is_contiguous() and x.contiguous() is x
    t = x.t()
    assert not t.is_contiguous()
    c = t.contiguous()
    assert c.is_contiguous() and c.stride() == (3, 1) and not _same_storage(c, x)
    k = x.clone()
    assert torch_equal(k, x) and not _same_storage(k, x)


def test_view_on_incompatible_strides_is_refused():
    with pytest.raises(RuntimeError, match=r"^view size is not compatible with input tensor's size and stride .*"
                                           r"Use \.reshape\(\.\.\.\) instead\.$"):
        torch_zeros(3, 4).t().view(12)
    with pytest.raises(RuntimeError, match=r"shape '\[5, -1\]' is invalid for input of size 12"):
        torch_zeros(3, 4).view(5, -1)
    with pytest.raises(RuntimeError, match="only one dimension can be inferred"):
        torch_zeros(3, 4).view(-1, -1)


def test_storage_is_shared_by_in_place_results_and_not_by_copies():
    x = torch_tensor(1)
    y = x
    assert x.storage().data_ptr() == y.storage().data_ptr()
    k = x.add_(1)
    assert k is x and x.item() == 2
    assert _same_storage(x[1:1], x) and not _same_storage(x.clone(), x)


def test_size_numel_dim_item():
    x = torch_zeros(2, 3, 4)
    assert x.size() == (2, 3, 4) and x.size(2) == 3 and x.size(-1) == 4 and x.numel() == 24 and x.dim() == 3
    assert torch_tensor(2.5).item() == 2.5 and isinstance(torch_tensor(np.int32(2)).item(), int)
    assert torch_tensor(True).item() is True
    with pytest.raises(RuntimeError, match="a Tensor with 24 elements cannot be converted to Scalar"):
        x.item()
    with pytest.raises(IndexError, match="Dimension is 1-based, but found 0."):
        x.size(0)
    with pytest.raises(IndexError, match=r"Dimension out of range \(expected to be in range of \[-3, 3\], but got 4\)"):
        x.size(4)


def test_expand_and_its_errors():
    x = torch_tensor(dbl(1, 2, 3))
    e = x.expand(2, 3)
    assert e.shape == (2, 3) and e.stride() == (0, 1) and _same_storage(e, x)
    assert x.expand(dbl(4, -1)).shape == (4, 3)
    with pytest.raises(RuntimeError, match=r"The expanded size of the tensor \(4\) must match the existing size \(3\)"):
        x.expand(2, 4)


# ---- 1-based indices out ------------------------------------------------------------------------

def test_indices_out_are_1_based():
    x = torch_tensor(r_matrix(dbl(1, 2, 5, 5, 7, 1, 0, 9, 4), ncol=3))
    assert values(x) == [[1, 5, 0], [2, 7, 9], [5, 1, 4]]
    v, i = x.max(dim=2)
    assert values(v) == [5, 9, 5] and values(i) == [2, 3, 1] and i.dtype == torch_long()
    v, i = x.min(dim=2)
    assert values(v) == [0, 2, 1] and values(i) == [3, 1, 2]
    assert x.min(dim=2, keepdim=True)[1].shape == (3, 1)
    assert x.argmax().item() == 6 and values(x.argmax(dim=1)) == [3, 2, 2] and values(x.argmin(dim=2)) == [3, 1, 2]
    s, i = torch_tensor(dbl(3, 1, 2)).sort()
    assert values(s) == [1, 2, 3] and values(i) == [2, 3, 1]
    assert values(torch_tensor(dbl(3, 1, 2)).sort(descending=True)[1]) == [1, 3, 2]
    v, i = torch_tensor(dbl(3, 1, 2)).topk(2)
    assert values(v) == [3, 2] and values(i) == [1, 3]
    assert values(torch_nonzero(torch_tensor(dbl(0, 1, 2, 0, 3)))) == [[2], [3], [5]]
    where = torch_where(torch_tensor(r_matrix(dbl(1, 0, 0, 1), ncol=2)) > 0)
    assert [values(w) for w in where] == [[1, 2], [1, 2]]


def test_gather_index_select_scatter_take_1_based_indices():
    x = torch_tensor(np.arange(1, 13, dtype=np.float64).reshape(3, 4))
    idx = torch_tensor(np.array([[1, 4], [2, 2], [4, 1]]), dtype=torch_long())
    assert values(x.gather(2, idx)) == [[1, 4], [6, 6], [12, 9]]
    assert values(x.index_select(1, torch_tensor(np.array([3, 1]), dtype=torch_long()))) == \
        [[9, 10, 11, 12], [1, 2, 3, 4]]
    z = torch_zeros(3, 5)
    out = z.scatter(1, torch_tensor(np.array([[1], [2]]), dtype=torch_long()), 1)
    assert values(out[:, 1]) == [1, 1, 0] and as_array(z).sum() == 0
    with pytest.raises(IndexError, match="Indexing starts at 1"):
        x.gather(2, torch_tensor(np.array([[0]]), dtype=torch_long()))
    with pytest.raises(IndexError, match="out of bounds"):
        x.index_select(1, torch_tensor(np.array([4]), dtype=torch_long()))
    with pytest.raises(RuntimeError, match="int64"):
        x.index_select(1, torch_tensor(np.array([1.0])))


# ---- operations ---------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["add", "sub", "mul", "div"])
def test_arithmetic_methods_and_in_place_variants_write_through_views(name):
    x = torch_tensor(np.arange(1, 7, dtype=np.float64).reshape(2, 3))
    expected = getattr(np, {"add": "add", "sub": "subtract", "mul": "multiply", "div": "divide"}[name])(
        as_array(x), 2)
    np.testing.assert_allclose(as_array(getattr(x, name)(2)), expected)
    col = x[:, 2]
    out = getattr(col, name + "_")(2)
    assert out is col
    np.testing.assert_allclose(as_array(x)[:, 1], expected[:, 1])
    np.testing.assert_allclose(as_array(x)[:, 0], [1, 4])


def test_add_with_alpha_and_in_place_cast_rules():
    x = torch_tensor(dbl(1, 2))
    assert values(x.add(torch_tensor(dbl(1, 1)), alpha=3)) == [4, 5]
    assert values(x.sub(1, alpha=2)) == [-1, 0]
    xi = torch_tensor(r_int(1, 2))
    with pytest.raises(RuntimeError, match="result type Float can't be cast to the desired output type Long"):
        xi.add_(0.5)
    assert values(xi.add_(np.int32(1))) == [2, 3]


def test_mm_matmul_and_their_errors():
    a = torch_tensor(np.arange(6, dtype=np.float64).reshape(2, 3))
    b = torch_tensor(np.arange(12, dtype=np.float64).reshape(3, 4))
    np.testing.assert_allclose(as_array(a.mm(b)), as_array(a) @ as_array(b))
    np.testing.assert_allclose(as_array(a.matmul(b)), as_array(a) @ as_array(b))
    assert a.matmul(torch_ones(3)).shape == (2,) and torch_ones(5, 2, 3).matmul(b).shape == (5, 2, 4)
    with pytest.raises(RuntimeError, match=r"mat1 and mat2 shapes cannot be multiplied \(2x3 and 2x3\)"):
        a.mm(a)
    with pytest.raises(RuntimeError, match="expected m1 and m2 to have the same dtype, but got: float != double"):
        a.mm(b.double())


def test_clamp_pow_and_elementwise_functions():
    x = torch_tensor(dbl(-2, 0.5, 3))
    assert values(x.clamp(min=0)) == [0, 0.5, 3] and values(x.clamp(max=1)) == [-2, 0.5, 1]
    assert values(x.clamp(min=-1, max=1)) == [-1, 0.5, 1]
    assert torch_tensor(r_int(1, 5)).clamp(min=0.5).dtype == torch_float()
    with pytest.raises(RuntimeError, match="At least one of 'min' or 'max'"):
        x.clamp()
    assert values(x.pow(2)) == [4, 0.25, 9] and values(x.abs()) == [2, 0.5, 3] and values(x.relu()) == [0, 0.5, 3]
    p = torch_tensor(dbl(1, 4))
    np.testing.assert_allclose(as_array(p.sqrt()), [1, 2])
    np.testing.assert_allclose(as_array(p.exp()), np.exp([1, 4]), rtol=1e-6)
    np.testing.assert_allclose(as_array(p.log()), np.log([1, 4]), rtol=1e-6)
    np.testing.assert_allclose(as_array(x.sigmoid()), 1 / (1 + np.exp(-as_array(x))), rtol=1e-6)
    np.testing.assert_allclose(as_array(x.tanh()), np.tanh(as_array(x)), rtol=1e-6)
    assert torch_tensor(r_int(1, 4)).sqrt().dtype == torch_float()
    with pytest.raises(RuntimeError, match="Integers to negative integer powers are not allowed."):
        torch_tensor(r_int(1, 2)).pow(np.int32(-1))
    assert values(torch_tensor(r_int(1, -1, 2, 0)).pow(torch_tensor(r_int(-1)))) == [1, -1, 0, 0]
    assert torch_tensor(r_int(2)).pow(-1).dtype == torch_float()


def test_in_place_elementwise_functions():
    x = torch_tensor(dbl(-1, 4))
    assert x.abs_() is x and values(x) == [1, 4]
    assert values(x.sqrt_()) == [1, 2] and values(x.relu_()) == [1, 2]
    x.clamp_(max=1.5)
    assert values(x) == [1, 1.5]
    with pytest.raises(RuntimeError, match="can't be cast"):
        torch_tensor(r_int(1)).exp_()


def test_reductions():
    x = torch_tensor(np.arange(1, 7, dtype=np.float64).reshape(2, 3))
    assert x.sum().item() == 21 and x.sum().shape == () and values(x.sum(dim=1)) == [5, 7, 9]
    assert x.mean().item() == 3.5 and values(x.mean(dim=2, keepdim=True)) == [[2], [5]]
    assert x.max().item() == 6 and x.min().item() == 1 and x.prod().item() == 720
    assert values(x.prod(dim=1)) == [4, 10, 18]
    assert torch_tensor(r_int(1, 2)).sum().dtype == torch_long()
    assert torch_tensor(np.array([True, True])).sum().dtype == torch_long()
    with pytest.raises(RuntimeError, match="mean\\(\\): could not infer output dtype"):
        torch_tensor(r_int(1, 2)).mean()
    with pytest.raises(IndexError, match="Expected reduction dim to be specified for input.numel\\(\\) == 0"):
        torch_zeros(0).max()


def test_all_any_allclose_equal():
    m = torch_tensor(np.array([[True, False], [True, True]]))
    assert m.all().item() is False and m.any().item() is True
    assert values(m.all(dim=1)) == [True, False] and values(m.any(dim=2)) == [True, True]
    a = torch_tensor(dbl(1, 2))
    assert torch_allclose(a, a + 1e-9) is True and torch_allclose(a, a + 1) is False
    assert torch_equal(a, torch_tensor(dbl(1, 2))) is True
    assert torch_equal(a, torch_tensor(dbl(1, 2)).view(1, 2)) is False


def test_cat_and_stack():
    a, b = torch_ones(2, 3), torch_zeros(1, 3)
    assert torch_cat([a, b]).shape == (3, 3) and torch_cat([a, b], dim=1).shape == (3, 3)
    assert torch_cat([a, a], dim=2).shape == (2, 6)
    assert torch_stack([a, a]).shape == (2, 2, 3) and torch_stack([a, a], dim=3).shape == (2, 3, 2)
    assert torch_cat([a, torch_tensor(r_int(1, 2, 3)).view(1, 3)]).dtype == torch_float()
    with pytest.raises(RuntimeError, match="Sizes of tensors must match except in dimension 2. Expected size 2 "
                                           "but got size 1 for tensor number 2 in the list."):
        torch_cat([a, b], dim=2)
    with pytest.raises(RuntimeError, match="stack expects each tensor to be equal size"):
        torch_stack([a, b])


def test_where_three_arguments():
    out = torch_where(torch_tensor(np.array([True, False])), torch_tensor(dbl(1, 2)), torch_tensor(dbl(9, 9)))
    assert values(out) == [1, 9]
    assert torch_where(torch_tensor(np.array([True, False])), torch_ones(2), 0).dtype == torch_float()


# ---- conversion ---------------------------------------------------------------------------------

@pytest.mark.parametrize("dtype, r_type", [("float", np.float64), ("double", np.float64), ("half", np.float64),
                                           ("long", np.int32), ("int", np.int32), ("short", np.int32),
                                           ("uint8", np.uint8), ("bool", np.bool_)])
def test_as_array_gives_r_types(dtype, r_type):
    x = torch_ones(2, 3, dtype=dtype)
    out = as_array(x)
    assert out.dtype == r_type and out.shape == (2, 3)
    assert not np.shares_memory(out, x.numpy())


def test_as_array_of_0_d_and_overflow():
    assert as_array(torch_tensor(2.5).sum()).shape == (1,)
    big = torch_tensor(np.array([2**31], np.int64))
    with pytest.raises(OverflowError, match="outside R's integer range"):
        as_array(big)


def test_numpy_and_array_protocol_share_memory():
    x = torch_tensor(dbl(1, 2))
    assert x.numpy().dtype == np.float32 and np.shares_memory(x.numpy(), np.asarray(x))
    x.numpy()[0] = 5
    assert x[1].item() == 5
    assert np.asarray(x, dtype=np.float64).dtype == np.float64


def test_print_produces_r_torch_text():
    text = repr(torch_tensor(dbl(1, 2)))
    assert text.startswith("torch_tensor\n") and text.endswith("[ CPUFloatType{2} ]")
    assert repr(torch_tensor(2.5).sum()).endswith("[ CPUFloatType{} ]")


def test_tensors_are_not_iterable_and_bool_needs_one_value():
    x = torch_tensor(dbl(1, 2))
    with pytest.raises(TypeError, match="1-based"):
        list(x)
    with pytest.raises(RuntimeError, match="ambiguous"):
        bool(x > 0)
    assert bool(torch_tensor(1) > 0) is True


def test_no_warnings_from_numpy_leak_on_common_paths():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        x = torch_tensor(dbl(1, 2, 3))
        (x * 2 + 1).sum()
        x[2:N].mean()


def test_ieee_results_come_without_numpy_warnings():
    """libtorch returns Inf/NaN for x / 0, log(0) and overflow silently; so does rtorch, while NumPy
    called from elsewhere keeps its warnings. Run in a fresh Python: pytest installs warning filters of
    its own around each test."""
    import subprocess
    import sys
    script = (
        "import numpy as np\n"
        "from rtorch import as_array, c, torch_log, torch_tensor\n"
        "x = torch_tensor(c(1, 0, -1))\n"
        "q, l, s = as_array(x / 0), as_array(torch_log(x)), as_array(torch_tensor(3e38).pow(2))\n"
        "assert q[0] == np.inf and np.isnan(q[1]) and l[1] == -np.inf and np.isnan(l[2]) and s[0] == np.inf\n"
        "np.log(np.zeros(1))\n"
    )
    out = subprocess.run([sys.executable, "-W", "default", "-c", script], capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    warned = [line for line in out.stderr.splitlines() if "RuntimeWarning" in line]
    assert len(warned) == 1 and "divide by zero encountered in log" in warned[0], out.stderr
