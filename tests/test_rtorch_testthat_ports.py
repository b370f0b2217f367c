"""R torch's own testthat expectations (mlverse/torch, tests/testthat/) for the tensor core, ported to
pytest. Each test is named after its testthat file and test; the expectations keep R torch's values.

R data is written as R holds it: `c(1, 2)` is a float64 array, `1:10` an int32 array, `c(TRUE, FALSE)` a
bool array; `matrix(v, ncol = k)` fills by column. R's random inputs (`torch_randn`, `runif`) become seeded
NumPy draws: the expectations only need some values. Parts of a testthat test that need what rtorch does
not have (named tensors, sparse and quantized tensors, bit64, the meta device, CUDA) are left out of the port;
`slc()` itself is tested in tests/test_scoped_state.py.
"""
import numpy as np
import pytest

from rtorch import (N, as_array, cuda_is_available, drop, newaxis, torch_allclose, torch_arange, torch_bfloat16,
                    torch_bool, torch_cat, torch_cdouble, torch_cfloat, torch_device, torch_double, torch_empty,
                    torch_equal, torch_eye, torch_float, torch_float16, torch_float32, torch_float64, torch_full,
                    torch_full_like, torch_half, torch_int, torch_int8, torch_int16, torch_int32, torch_int64,
                    torch_linspace, torch_logspace, torch_long, torch_ones, torch_ones_like, torch_short,
                    torch_stack, torch_tensor, torch_uint8, torch_where, torch_zeros, torch_zeros_like)
from rtorch import Inf, slc
from rtorch import _functions as F
from rtorch._rbase import as_integer, as_logical, as_matrix, as_numeric, dim, length
from rtorch._tensor import Tensor

RNG = np.random.default_rng(20201001)


def c(*v):
    return np.array(v, dtype=np.float64)


def r_int(*v):
    return np.array(v, dtype=np.int32)


def colon(a, b):
    """R's `a:b` on integers."""
    step = 1 if b >= a else -1
    return np.arange(a, b + step, step, dtype=np.int32)


def matrix(v, ncol=None, nrow=None, byrow=False):
    v = np.asarray(v)
    if ncol is None:
        ncol = v.size // nrow
    nrow = v.size // ncol
    return v.reshape(nrow, ncol).copy() if byrow else v.reshape(ncol, nrow).T.copy()


def array(v, dim):
    """R's `array(v, dim)`: filled by the first dim fastest, `v` cut to the size."""
    return np.asarray(v)[:int(np.prod(dim))].reshape(tuple(reversed(dim))).transpose()


def rbind(*rows):
    return np.array(rows, dtype=np.result_type(*rows))


def randn(*shape):
    return torch_tensor(RNG.standard_normal(shape))


def runif(*shape):
    return RNG.random(shape)


def expect_equal(got, expected, tolerance=1.5e-8):
    """testthat's expect_equal (R's all.equal) on R values: same dims, NaN and Inf in the same places, and
    the mean difference relative to the mean magnitude (absolute when that is below the tolerance) under
    the tolerance."""
    got, expected = np.asarray(got), np.asarray(expected)
    assert got.shape == expected.shape, (got.shape, expected.shape)
    if got.dtype == np.bool_ or expected.dtype == np.bool_:
        assert got.dtype == expected.dtype and np.array_equal(got, expected)
        return
    g, e = got.astype(np.complex128).ravel(), expected.astype(np.complex128).ravel()
    special = np.isnan(e) | np.isinf(e)
    assert np.array_equal(np.isnan(g), np.isnan(e)) and np.array_equal(g[np.isinf(e)], e[np.isinf(e)])
    g, e = g[~special], e[~special]
    if e.size:
        scale = np.mean(np.abs(e))
        diff = np.mean(np.abs(g - e))
        assert (diff / scale if scale > tolerance else diff) < tolerance, (got, expected)


def expect_equal_to_r(t, expected, tolerance=1.5e-8):
    expect_equal(as_array(t.cpu()), expected, tolerance)


def expect_equal_to_tensor(a, b, tolerance=1.5e-8):
    expect_equal(as_array(a), as_array(b), tolerance)


def expect_tensor(t):
    assert isinstance(t, Tensor)
    as_array(t.to(device="cpu"))


def expect_tensor_shape(t, shape):
    expect_tensor(t)
    assert t.shape == tuple(np.atleast_1d(shape).astype(int).tolist())


# ---- test-indexing.R ----------------------------------------------------------------------------

def test_indexing__brackets_work():
    x = randn(10, 10, 10)
    r = as_array(x)
    expect_equal(as_array(x[1, 1, 1]), r[0, 0, 0].reshape(1))
    expect_equal(as_array(x[1, :, :]), r[0])
    expect_equal(as_array(x[1:5, :, :]), r[0:5])
    expect_equal(as_array(x[1:10:2, :, :]), r[0:10:2])

    x = torch_tensor(colon(0, 9))
    expect_equal(as_array(x[-1].to(dtype=torch_int())), r_int(9))
    expect_equal(as_array(x[-2:10].to(dtype=torch_int())), r_int(8, 9))
    expect_equal(as_array(x[2:N].to(dtype=torch_int())), colon(1, 9))

    x = randn(10, 10, 10, 10)
    r = as_array(x)
    expect_equal(as_array(x[1, ...]), r[0])
    expect_equal(as_array(x[1, 1, ...]), r[0, 0])
    expect_equal(as_array(x[..., 1]), r[..., 0])
    expect_equal(as_array(x[..., 1, 1]), r[..., 0, 0])
    i = [1, 2, 3, 4]
    expect_equal(as_array(x[tuple(i)]), r[0, 1, 2, 3].reshape(1))
    i = [1, 2]
    expect_equal(as_array(x[(*i, 3, 4)]), r[0, 1, 2, 3].reshape(1))

    x = torch_tensor(colon(1, 10))
    y = colon(1, 10)
    expect_equal_to_r(x[c(1, 3, 2, 5)].to(dtype=torch_int()), y[[0, 2, 1, 4]])
    index = colon(1, 3)
    expect_equal_to_r(x[index].to(dtype=torch_int()), y[index - 1])

    x = randn(10, 10)
    expect_equal_to_r(x[c(2, 3, 1), c(3, 2, 1)], as_array(x)[[1, 2, 0]][:, [2, 1, 0]])

    x = randn(10)
    expect_equal_to_tensor(x[1:5, ...], x[1:5])

    x = randn(10)
    expect_tensor_shape(x[:, None], c(10, 1))
    expect_tensor_shape(x[None, :, None], c(1, 10, 1))
    expect_tensor_shape(x[None, :, None, None], c(1, 10, 1, 1))
    expect_tensor_shape(x[:, newaxis], c(10, 1))
    expect_tensor_shape(x[newaxis, :, newaxis], c(1, 10, 1))
    expect_tensor_shape(x[newaxis, :, newaxis, newaxis], c(1, 10, 1, 1))

    x = randn(10, 10)
    expect_tensor_shape(x[1, :, drop(False)], c(1, 10))
    expect_tensor_shape(x[..., 1, drop(False)], c(10, 1))
    expect_tensor_shape(x[..., -1, drop(False)], c(10, 1))


def test_indexing__indexing_error_expectations():
    x = randn(10, 10, 10, 10)
    with pytest.raises(IndexError):
        x[1, 1, 1, 1, 1]
    x = torch_tensor(10)
    with pytest.raises(IndexError):
        x[0]
    with pytest.raises(IndexError):
        x[c(0, 1)]


def test_indexing__indexing_with_boolean_tensor():
    x = torch_tensor(c(-1, -2, 0, 1, 2))
    expect_equal_to_r(x[x < 0], c(-1, -2))
    x = torch_tensor(rbind(c(-1, -2, 0, 1, 2), c(2, 1, 0, -1, -2)))
    expect_equal_to_r(x[x < 0], c(-1, -2, -1, -2))
    with pytest.raises(IndexError):
        x[x < 0, 1]


def test_indexing__slice_with_negative_indexes():
    x = torch_tensor(c(1, 2, 3))
    expect_equal_to_r(x[2:-1], c(2, 3))
    expect_equal_to_r(x[-2:-1], c(2, 3))
    expect_equal_to_r(x[-3:-2], c(1, 2))
    expect_equal_to_r(x[c(-1, -2)], c(3, 2))


def test_indexing__subset_assignment():
    x = randn(2, 2)
    x[1, 1] = torch_tensor(0)
    expect_equal_to_r(x[1, 1], c(0))
    x[1, 2] = 0
    expect_equal_to_r(x[1, 2], c(0))
    x[1, 2] = np.int32(1)
    expect_equal_to_r(x[1, 2], c(1))

    x = torch_tensor(np.array([True, False]))
    x[2] = True
    expect_equal_to_r(x[2], np.array([True]))

    x = torch_tensor(rbind(c(-1, -2, 0, 1, 2), c(2, 1, 0, -1, -2)))
    x[x <= 0] = 1
    assert as_array(F.torch_all(x > 0)).all()

    x = torch_tensor(c(1, 2, 3, 4, 5))
    x[1:2] = c(0, 0)
    expect_equal_to_r(x[1:2], c(0, 0))


def test_indexing__subset_assignment_scalar_and_tensor():
    x = randn(3, 2)
    x_r = as_array(x)
    mask = torch_tensor(np.array([True, False, True]))
    y = torch_tensor(c(1, 2))
    x[mask, 1] = y
    x_r[[True, False, True], 0] = c(1, 2)
    expect_equal_to_r(x, x_r)

    x = randn(2, 3)
    x_r = as_array(x)
    x[1, mask] = y
    x_r[0, [True, False, True]] = c(1, 2)
    expect_equal_to_r(x, x_r)


def test_indexing__subset_assignment_tensor_x_tensor():
    x = randn(3, 2)
    with pytest.raises(IndexError, match="Only one tensor is allowed in the index"):
        x[torch_tensor(r_int(1, 3)), torch_tensor(r_int(1, 2))] = 2
    with pytest.raises(IndexError, match="Only one tensor is allowed in the index"):
        x[torch_tensor(r_int(1, 3)), torch_tensor(r_int(1, 2))] = torch_tensor(2)


def test_indexing__indexing_with_r_boolean_vectors():
    """R torch (src/indexing.cpp, index_append_sexp) sends every logical index but NA, TRUE included, to
    index_append_bool_vector: a 1-d mask of its length, so `x[TRUE]` on a length-one tensor keeps shape 1
    (libtorch's bool scalar would add a dim, giving 1x1, which this expectation refuses)."""
    x = torch_tensor(c(1, 2))
    expect_equal_to_r(x[np.array([True, False])], c(1))
    x = torch_tensor(c(1))
    expect_equal_to_r(x[True], c(1))
    x = torch_zeros(2, 2)
    assert x[np.array([True, False]), :].shape == (1, 2)
    assert x[np.array([True, False]), np.array([True, False])].shape == (1, 1)


def test_indexing__indexing_with_long_tensors():
    x = randn(4, 4)
    index = torch_tensor(1, dtype=torch_long())
    assert x[index, index].item() == x[1, 1].item()
    expect_tensor_shape(x[index, index], c(1, 1))

    index = F.torch_scalar_tensor(1, dtype=torch_long())
    expect_equal_to_tensor(x[index, index], x[1, 1])

    index = torch_tensor(-1, dtype=torch_long())
    assert x[index, index].item() == x[-1, -1].item()
    expect_tensor_shape(x[index, index], c(1, 1))

    index = F.torch_scalar_tensor(-1, dtype=torch_long())
    expect_equal_to_tensor(x[index, index], x[-1, -1])

    index = torch_tensor(c(-1, 1), dtype=torch_long())
    expect_equal_to_tensor(x[index, index], x[c(-1, 1), c(-1, 1)])

    index = torch_tensor(c(-1, 0, 1), dtype=torch_long())
    with pytest.raises(IndexError, match="Indexing starts at 1"):
        x[index, :]


def test_indexing__can_use_the_slc_construct():
    x = randn(10, 10)
    r = as_array(x)
    expect_equal_to_r(x[1:5:2, :], r[0:5:2])
    expect_equal_to_r(x[1:5:2, 1], r[0:5:2, 0])
    expect_equal_to_r(x[1:5:2, 1:5:2], r[0:5:2, 0:5:2])
    expect_equal_to_tensor(x[2:N, :], x[2:10, :])
    expect_equal_to_tensor(x[slc(1, 5, 2), :], x[1:5:2, :])
    expect_equal_to_tensor(x[slc(2, Inf), :], x[2:10, :])


def test_indexing__mix_vector_indexing_with_slices_and_others():
    x = randn(3, 3, 3)
    expect_equal_to_tensor(x[c(1, 2), 1:2, c(1, 2)], x[1:2, 1:2, 1:2])
    expect_equal_to_tensor(x[c(1, 2), newaxis, 1:2, c(1, 2)], x[1:2, newaxis, 1:2, 1:2])
    expect_equal_to_tensor(x[newaxis, c(1, 2), newaxis, 1:2, c(1, 2)], x[newaxis, 1:2, newaxis, 1:2, 1:2])
    expect_equal_to_tensor(x[c(1, 2), c(1, 2), :], x[1:2, 1:2, :])
    expect_equal_to_tensor(x[c(1, 2), :, c(1, 2)], x[1:2, :, 1:2])
    expect_equal_to_tensor(x[c(1, 2), c(1, 2), c(1, 2)], x[1:2, 1:2, 1:2])
    expect_equal_to_tensor(x[c(1, 2), c(1, 2), newaxis, c(1, 2)], x[1:2, 1:2, newaxis, 1:2])


def test_indexing__boolean_vector_indexing_works_as_expected():
    x = randn(4, 4, 4)
    index = np.array([True, False, True, False])
    expect_equal_to_r(x[index, index, index], as_array(x)[index][:, index][:, :, index])


def test_indexing__regression_test_for_691():
    a = randn(6, 4)
    b = c(1, 2, 3)
    a[b]
    expect_equal(b, c(1, 2, 3))


def test_indexing__regression_test_for_695():
    a = randn(3, 4, 2)
    b = torch_tensor(c(1, 3), dtype=torch_long())
    expect_equal_to_r(a[..., b, :], as_array(a)[:, [0, 2], :])
    a = randn(3, 4, 3)
    expect_equal_to_r(a[..., b, b], as_array(a)[:, [0, 2]][:, :, [0, 2]])
    expect_equal_to_r(a[b, ..., b], as_array(a)[[0, 2]][:, :, [0, 2]])


def test_indexing__null_tensor():
    x = torch_tensor(None)
    assert x.dtype == torch_bool()
    assert x.shape == (0,)
    with pytest.raises(IndexError, match="out of bounds"):
        x[1]
    with pytest.raises(IndexError, match="out of bounds"):
        torch_tensor(np.zeros(0, np.int32))[1]


def test_indexing__works_with_numeric_logic_matrix():
    x = randn(4, 4)
    y = rbind(c(1, 1), c(1, 2))
    assert torch_allclose(x[y], x[torch_tensor(y, dtype="long")])
    assert torch_allclose(x[x > 0], x[as_array(x > 0)])


# ---- test-tensor.R ------------------------------------------------------------------------------

def test_tensor__can_create_a_tensor():
    x = torch_tensor(1)
    assert isinstance(x, Tensor)
    x = torch_tensor(1, dtype=torch_double())
    assert isinstance(x, Tensor)
    x = torch_tensor(np.zeros(0), dtype=torch_float32())
    expect_equal(dim(x), r_int(0))
    x = torch_tensor(1)
    assert x.dtype == torch_float32()
    x = torch_tensor(1, dtype=torch_double())
    assert x.dtype == torch_double()
    assert x.device.type == "cpu"


def test_tensor__numeric_tensors():
    for x in (c(1, 2, 3, 4), matrix(c(1, 2, 3, 4), ncol=2), array(c(1, 2, 3, 4, 5, 6, 7, 8), dim=(2, 2, 2)),
              c(np.nan, -np.inf, np.inf)):
        expect_equal_to_r(torch_tensor(x), x)


def test_tensor__integer_tensors():
    for x in (colon(1, 4), matrix(colon(1, 4), ncol=2), array(colon(1, 8), dim=(2, 2, 2))):
        expect_equal_to_r(torch_tensor(x).to(dtype=torch_int()), x)
        expect_equal_to_r(torch_tensor(x), x)
    x = torch_tensor(np.int32(2147483647))
    expect_equal(as_integer(x), r_int(2147483647))
    with pytest.raises(OverflowError):
        as_array(np.int32(2) * x)
    with pytest.raises(OverflowError):
        as_integer(np.int32(2) * x)


def test_tensor__logical_tensors():
    for x in (np.array([True, True, False, False]), matrix(np.array([True, True, False, False]), ncol=2),
              array(np.array([True] * 4 + [False] * 4), dim=(2, 2, 2))):
        expect_equal_to_r(torch_tensor(x), x)


def test_tensor__pass_only_device_argument_to_to():
    x = torch_tensor(1)
    expect_tensor(x.to(dtype=torch_int()))
    expect_tensor(x.to(device=torch_device("cpu")))
    expect_tensor(x.to(device=torch_device("cpu"), dtype=torch_int()))
    y = torch_tensor(1, dtype=torch_long())
    k = x.to(other=y)
    assert k.dtype == torch_long()


def test_tensor__stride():
    x = randn(10, 10)
    assert x.stride() == (10, 1)
    assert x.stride(1) == 10
    assert x.stride(2) == 1


def test_tensor__is_contiguous():
    x = randn(10, 10)
    assert x.is_contiguous()
    x.t_()
    assert not x.is_contiguous()


def test_tensor__is_cuda():
    x = randn(10, 10)
    assert not x.is_cuda


def test_tensor__ndim():
    x = randn(10, 10)
    assert x.ndim == 2


def test_tensor__as_matrix():
    r = as_matrix(randn(2, 2))
    assert r.ndim == 2 and r.shape == (2, 2)
    r = as_matrix(randn(2, 2, 2))
    assert r.ndim == 2 and r.shape == (8, 1)


def test_tensor__scatter_works():
    index = torch_tensor(matrix(c(1, 2), ncol=1), dtype=torch_long())
    z = torch_zeros(3, 5)
    expected_out = torch_zeros(3, 5)
    expected_out[1:2, 1] = np.int32(1)
    expect_equal_to_tensor(z.scatter(1, index, 1), expected_out)
    expect_equal_to_tensor(z.scatter_(1, index, 1), expected_out)


def test_tensor__max_and_min():
    x = torch_tensor(colon(1, 10))
    expect_equal_to_r(x.min(), r_int(1))
    expect_equal_to_r(x.max(), r_int(10))
    expect_equal_to_r(x.min(other=np.int32(9))[10], r_int(9))
    expect_equal_to_r(x.max(other=np.int32(2))[1], r_int(2))

    x = torch_tensor(rbind(c(1, 5, 0), c(2, 7, 9), c(5, 1, 4)))
    expect_equal_to_r(x.min(dim=2)[0], c(0, 2, 1))
    expect_equal_to_r(x.min(dim=2)[1], r_int(3, 1, 2))
    expect_tensor_shape(x.min(dim=2, keepdim=True)[1], r_int(3, 1))
    expect_equal_to_r(x.max(dim=2)[0], c(5, 9, 5))
    expect_equal_to_r(x.max(dim=2)[1], r_int(2, 3, 1))
    expect_tensor_shape(x.min(dim=2, keepdim=True)[1], r_int(3, 1))
    with pytest.raises(ValueError):
        x.min(dim=1, other=2)

    x = torch_tensor(c(1, 2))
    expect_equal_to_r(x.min(other=c(2, 1)), c(1, 1))
    expect_equal_to_r(x.max(other=c(2, 1)), c(2, 2))


def test_tensor__element_size_works():
    x = torch_tensor(1, dtype=torch_int8())
    assert x.element_size() == 1
    for dtype in (torch_float32(), torch_float(), torch_float64(), torch_double(), torch_float16(), torch_half(),
                  torch_uint8(), torch_int8(), torch_int16(), torch_short(), torch_int32(), torch_int(), torch_int64(),
                  torch_long(), torch_bool()):
        result = torch_tensor(1, dtype=dtype).element_size()
        assert isinstance(result, int) and result > 0


def test_tensor__tensor_bool_works():
    from rtorch import torch_contiguous_format
    x = torch_tensor(c(1, 0, 1))
    expect_equal_to_tensor(x.bool(), x.to(torch_bool()))
    expect_equal_to_tensor(x.bool(memory_format=torch_contiguous_format()), x.to(torch_bool()))


def test_tensor__size_works():
    x = randn(1, 2, 3, 4, 5)
    assert x.size(1) == 1
    assert x.size(-1) == 5
    assert x.size(-2) == 4
    assert x.size(4) == 4
    with pytest.raises(IndexError):
        x.size(0)


def test_tensor__tensor_identity_works_as_expected():
    v = runif(1)
    x = torch_tensor(v)
    y = x.abs_().abs_()
    z = x.abs_()
    assert x is y and x is z
    expect_equal_to_r(y, v, tolerance=1e-7)


def test_tensor__can_create_tensors_from_tensors():
    x = torch_tensor(1)
    y = torch_tensor(x)
    assert x is not y and x.storage().data_ptr() != y.storage().data_ptr()
    expect_equal_to_tensor(x, y)


def test_tensor__create_complex_from_and_to_r():
    x = np.array([0 + 1j, 1 + 1j])
    y = torch_tensor(x)
    assert y.dtype == torch_cfloat()
    expect_equal(as_array(y), x)
    x = np.array([RNG.random() + 1j * RNG.random()])
    y = torch_tensor(x, dtype=torch_cdouble())
    assert y.dtype == torch_cdouble()
    expect_equal(as_array(y), x)


def test_tensor__expand_works():
    x = torch_tensor(1)
    assert x.expand(c(1, 2, 3)).size() == (1, 2, 3)
    assert x.expand(c(2, 2, 3), True).size() == (2, 2, 3)
    assert x.expand(c(2, 2, 3), False).size() == (2, 2, 3)


def test_tensor__narrow_copy_works():
    x = torch_tensor(colon(1, 10))
    y = F.torch_narrow_copy(x, dim=1, start=1, length=3)  # the generated function's start is 0-based
    assert y.size() == (3,)
    expect_equal_to_tensor(y, torch_tensor(colon(2, 4)))
    assert y.storage().data_ptr() != x.storage().data_ptr()


def test_tensor__can_convert_to_half_using_the_method_half():
    x = randn(10, 10)
    assert x.half().dtype == torch_half()
    x = torch_tensor(1, dtype="half")
    expect_equal(as_numeric(x), c(1))


def test_tensor__cloning_works_and_preserves_attributes():
    x = torch_tensor(1)
    x_clone = x.clone()
    x[1] = 2
    assert not torch_equal(x_clone, x)


def test_tensor__requires_grad_is_left_unchanged_when_cloning_tensor():
    assert torch_tensor(1, requires_grad=True).clone().requires_grad
    assert not torch_tensor(1, requires_grad=False).clone().requires_grad


def test_tensor__detach_shares_storage():
    x = torch_tensor(1, requires_grad=True)
    d = x.detach()
    assert not d.requires_grad and d.storage().data_ptr() == x.storage().data_ptr()


# ---- test-creation-ops.R ------------------------------------------------------------------------

def test_creation_ops__torch_ones():
    x = torch_ones(5, 5, dtype=torch_float32(), device=torch_device("cpu"), requires_grad=True)
    expect_equal_to_r(x, np.ones((5, 5)))
    expect_equal_to_r(torch_ones(c(5, 5)), np.ones((5, 5)))
    expect_equal_to_r(torch_ones(size=c(5, 5)), np.ones((5, 5)))


def test_creation_ops__ones_like():
    x = torch_ones(2, 2)
    expect_equal_to_tensor(x, torch_ones_like(x))


def test_creation_ops__zeros():
    expect_equal(dim(as_array(torch_zeros(2, 2))), r_int(2, 2))
    expect_equal(dim(as_array(torch_zeros(c(2, 2)))), r_int(2, 2))


def test_creation_ops__zeros_like():
    x = torch_zeros(2, 2, 2)
    expect_equal(dim(as_array(torch_zeros_like(x))), dim(as_array(x)))


def test_creation_ops__empty():
    expect_equal(dim(as_array(torch_empty(2, 2))), r_int(2, 2))
    expect_equal(dim(as_array(torch_empty(c(2, 2)))), r_int(2, 2))


def test_creation_ops__arange():
    for args, n in (((1, 9), 9), ((0, 2, 0.5), 5), ((0, 2.5, 0.5), 6), ((0, 2.5, 0.51), 5), ((0, 2.5, 0.49), 6),
                    ((0, 1, 1), 2), ((2.5, 1, -0.5), 4), ((2.5, 1, -1), 2), ((2.5, 1, -0.51), 3),
                    ((2.5, 1, -0.49), 4)):
        assert length(torch_arange(*args)) == n, args
    assert torch_arange(0, 1, 1, dtype=torch_float64()).dtype == torch_double()
    assert torch_arange(0, 1, 1, dtype=torch_float32()).dtype == torch_float()
    assert torch_arange(0, 1, 1, dtype=torch_int64()).dtype == torch_long()
    assert length(torch_arange(torch_tensor(1), torch_tensor(10), torch_tensor(1))) == 10
    assert length(torch_arange(torch_tensor(10), torch_tensor(1), torch_tensor(-1))) == 10
    assert length(torch_arange(1, 10, dtype=torch_int64())) == 10
    x = torch_arange(np.int32(10))
    assert length(x) == 10 and x.dtype == torch_int64()
    x = torch_arange(10)
    assert length(x) == 10 and x.dtype == torch_float32()
    x = torch_arange(np.int32(0), np.int32(5))
    out = as_array(x)
    assert out.dtype == np.int32 and np.array_equal(out, colon(0, 5))


def test_creation_ops__linspace():
    assert torch_linspace(1, 10, 100).size(1) == 100


def test_creation_ops__logspace():
    assert torch_logspace(1, 10, 100).size(1) == 100


def test_creation_ops__eye():
    expect_equal_to_r(torch_eye(10, 5), np.eye(10, 5))
    expect_equal_to_r(torch_eye(10), np.eye(10))


def test_creation_ops__full():
    expect_equal(dim(as_array(torch_full(c(2, 2), fill_value=2))), r_int(2, 2))


def test_creation_ops__full_like():
    x = torch_full(c(2, 2, 2), fill_value=4)
    expect_equal(dim(as_array(torch_full_like(x, fill_value=3))), dim(as_array(x)))


def test_creation_ops__scalar_tensor():
    x = F.torch_scalar_tensor(1)
    assert len(x.shape) == 0 and x.dtype == torch_float()
    x = F.torch_scalar_tensor(np.int32(1))
    assert len(x.shape) == 0 and x.dtype == torch_int64()
    x = F.torch_scalar_tensor(torch_tensor(1))
    assert len(x.shape) == 0 and x.dtype == torch_float()


# ---- test-dtype.R -------------------------------------------------------------------------------

def test_dtype__can_create_dtypes():
    from rtorch import torch_dtype
    for fn in (torch_float32, torch_float, torch_float64, torch_double, torch_float16, torch_half, torch_bfloat16,
               torch_uint8, torch_int8, torch_int16, torch_short, torch_int32, torch_int, torch_int64, torch_long,
               torch_bool):
        assert isinstance(fn(), torch_dtype)


def test_dtype__can_compare_dtypes():
    assert torch_float32() == torch_float()
    assert not torch_float() == torch_int()
    assert not torch_float32() != torch_float()
    assert torch_float() != torch_int()


def test_dtype__can_set_select_devices_using_strings():
    dtypes = {"float32": torch_float32(), "float": torch_float(), "float64": torch_float64(),
              "double": torch_double(), "float16": torch_float16(), "half": torch_half(),
              "bfloat16": torch_bfloat16(), "uint8": torch_uint8(),
              "int8": torch_int8(), "int16": torch_int16(), "short": torch_short(), "int32": torch_int32(),
              "int": torch_int(), "int64": torch_int64(), "long": torch_long(), "bool": torch_bool()}
    for name, dtype in dtypes.items():
        x = torch_empty(10, 10, dtype=name)
        y = torch_empty(10, 10, dtype=dtype)
        assert x.device == y.device and x.dtype == y.dtype


def test_dtype__is_floating_point_works_for_all_floating_point_types():
    for fn in (torch_float, torch_float32, torch_float64, torch_double, torch_float16, torch_half, torch_bfloat16):
        assert fn().is_floating_point
    for fn in (torch_int, torch_int32, torch_int64, torch_long, torch_int16, torch_short, torch_int8, torch_uint8,
               torch_bool):
        assert not fn().is_floating_point


# ---- test-device.R ------------------------------------------------------------------------------

def test_device__can_create_devices():
    device = torch_device("cuda")
    assert device.type == "cuda" and device.index is None
    device = torch_device("cuda:1")
    assert device.type == "cuda" and device.index == 1
    device = torch_device("cuda", 1)
    assert device.type == "cuda" and device.index == 1
    device = torch_device("cpu", 0)
    assert device.type == "cpu" and device.index == 0


def test_device__use_string_to_define_the_device():
    assert torch_tensor(1, device="cpu").device.type == "cpu"
    assert torch_zeros(10, 10, device="cpu").device.type == "cpu"


def test_device__can_compare_devices():
    x, y = torch_zeros(10, 10, device="cpu"), torch_zeros(10, 10, device="cpu")
    assert x.device == y.device


def test_device__printer_works():
    assert str(torch_device("cpu")) == "torch_device(type='cpu')"


# ---- test-storage.R -----------------------------------------------------------------------------

def test_storage__storage():
    x = torch_tensor(1)
    y = x
    assert x.storage().data_ptr() == y.storage().data_ptr()
    k = x.add_(1)
    assert x.storage().data_ptr() == k.storage().data_ptr()


# ---- test-operators.R ---------------------------------------------------------------------------

V = c(1, 2, 3, 4)


def test_operators__plus_works():
    x = torch_tensor(V)
    expect_equal_to_r(x + x, 2 * V)
    expect_equal_to_r(x + 2, V + 2)
    expect_equal_to_r(2 + x, V + 2)


def test_operators__minus_works():
    x = torch_tensor(V)
    expect_equal_to_r(x - x, np.zeros(4))
    expect_equal_to_r(x - 2, V - 2)
    expect_equal_to_r(2 - x, 2 - V)
    expect_equal_to_r(-x, -V)


def test_operators__times_works():
    x = torch_tensor(V)
    expect_equal_to_r(x * x, V ** 2)
    expect_equal_to_r(x * 2, V * 2)
    expect_equal_to_r(2 * x, V * 2)


def test_operators__divide_works():
    x = torch_tensor(V)
    expect_equal_to_r(x / x, np.ones(4))
    expect_equal_to_r(x / 2, V / 2)
    expect_equal_to_r(12 / x, 12 / V)


def test_operators__power_works():
    x = torch_tensor(V)
    expect_equal_to_r(x ** x, V ** V)
    expect_equal_to_r(x ** 2, V ** 2)
    expect_equal_to_r(2 ** x, 2 ** V)


def test_operators__modulo_works():
    x = torch_tensor(V)
    expect_equal_to_r(x % x, np.fmod(V, V))
    expect_equal_to_r(x % 2, np.fmod(V, 2))
    expect_equal_to_r(2 % x, np.fmod(2, V))


def test_operators__integer_division_works():
    x = torch_tensor(V)
    expect_equal_to_r(x // x, V // V)
    expect_equal_to_r(x // 2, V // 2)
    expect_equal_to_r(2 // x, 2 // V)


def test_operators__comparisons_work():
    x, y = torch_tensor(c(2, 2)), torch_tensor(c(2, 3))
    expect_equal_to_r(x > y, np.array([False, False]))
    expect_equal_to_r(y > x, np.array([False, True]))
    expect_equal_to_r(y > 2, np.array([False, True]))
    expect_equal_to_r(2 > y, np.array([False, False]))
    expect_equal_to_r(x >= y, np.array([True, False]))
    expect_equal_to_r(y >= x, np.array([True, True]))
    expect_equal_to_r(y >= 2, np.array([True, True]))
    expect_equal_to_r(2 >= y, np.array([True, False]))
    expect_equal_to_r(x < y, np.array([False, True]))
    expect_equal_to_r(y < x, np.array([False, False]))
    expect_equal_to_r(y < 2, np.array([False, False]))
    expect_equal_to_r(x <= y, np.array([True, True]))
    expect_equal_to_r(y <= x, np.array([True, False]))
    expect_equal_to_r(y <= 2, np.array([True, False]))
    expect_equal_to_r(2 <= y, np.array([True, True]))
    x, y = torch_tensor(c(1, 2)), torch_tensor(c(2, 2))
    expect_equal_to_r(x == y, np.array([False, True]))
    expect_equal_to_r(x == 2, np.array([False, True]))
    expect_equal_to_r(x != y, np.array([True, False]))
    expect_equal_to_r(x != 2, np.array([True, False]))


def test_operators__logical_operators_work():
    x, y = torch_tensor(c(1, 2)), torch_tensor(c(2, 2))
    expect_equal_to_r(x & y, np.array([True, True]))
    expect_equal_to_r(x & 0, np.array([False, False]))
    x, y = torch_tensor(c(0, 2)), torch_tensor(c(1, 2))
    expect_equal_to_r(x | y, np.array([True, True]))
    expect_equal_to_r(x | 0, np.array([False, True]))
    x, y = torch_tensor(c(1, 2)), torch_tensor(c(0, 2))
    expect_equal_to_r(~x, np.array([False, False]))
    expect_equal_to_r(~y, np.array([True, False]))


def test_operators__matrix_product_works():
    lhs = torch_tensor(matrix(c(1, 2, 3, 4), nrow=2))
    rhs_tensor = torch_tensor(matrix(c(0, 1, 1, 0), nrow=2))
    rhs_matrix = matrix(c(2, 0, 1, 2), nrow=2)
    lhs_r, rhs_tensor_r = as_matrix(as_array(lhs)), as_matrix(as_array(rhs_tensor))
    expect_equal_to_r(lhs @ rhs_tensor, lhs_r @ rhs_tensor_r)
    expect_equal_to_r(lhs @ rhs_matrix, lhs_r @ rhs_matrix)


def test_operators__dim_and_length_work():
    x = randn(2, 2)
    expect_equal(dim(x), r_int(2, 2))
    assert length(x) == 4


def test_operators__as_star():
    x = array(runif(200), dim=(10, 5, 2))
    t = torch_tensor(x)
    expect_equal(as_numeric(t), as_numeric(x), tolerance=1e-5)
    expect_equal(as_integer(t), as_integer(x))
    expect_equal(as_logical(t > 0.5), as_logical(x > 0.5))


@pytest.mark.parametrize("fn, ref", [("abs", np.abs), ("sign", np.sign), ("sqrt", np.sqrt), ("ceil", np.ceil),
                                     ("floor", np.floor), ("trunc", np.trunc), ("log", np.log), ("log2", np.log2),
                                     ("log10", np.log10), ("log1p", np.log1p), ("acos", np.arccos),
                                     ("asin", np.arcsin), ("atan", np.arctan), ("cos", np.cos), ("cosh", np.cosh),
                                     ("sin", np.sin), ("sinh", np.sinh), ("tan", np.tan), ("tanh", np.tanh),
                                     ("exp", np.exp), ("expm1", np.expm1)])
def test_operators__elementwise_math_works(fn, ref):
    x = array(runif(200), dim=(10, 5, 2))
    expect_equal(as_numeric(getattr(F, "torch_" + fn)(torch_tensor(x))), as_numeric(ref(x)), tolerance=1e-5)


def test_operators__log_with_base_works():
    x = array(runif(200), dim=(10, 5, 2))
    t = torch_tensor(x)
    expect_equal(as_numeric(F.torch_log(t) / F.torch_log(torch_tensor(3))), as_numeric(np.log(x) / np.log(3)),
                 tolerance=1e-5)


def test_operators__cumsum_works():
    x = runif(200)
    expect_equal(as_numeric(F.torch_cumsum(torch_tensor(x), dim=1)), np.cumsum(x), tolerance=1e-5)


def test_operators__max_min_work():
    x = array(runif(200), dim=(10, 5, 2))
    y = c(1, 2, 3)
    tx, ty = torch_tensor(x), torch_tensor(y)
    expect_equal(as_numeric(F.torch_max(tx)), c(x.max()), tolerance=1e-5)
    expect_equal(as_numeric(F.torch_max(tx).max(other=F.torch_max(ty))), c(max(x.max(), y.max())), tolerance=1e-5)
    expect_equal(as_numeric(F.torch_min(tx)), c(x.min()), tolerance=1e-5)
    expect_equal(as_numeric(F.torch_min(tx).min(other=F.torch_min(ty))), c(min(x.min(), y.min())), tolerance=1e-5)


def test_operators__prod_works():
    x = array(runif(200), dim=(10, 5, 2))
    y = c(1, 2, 3)
    expect_equal(as_numeric(F.torch_prod(torch_tensor(x))), c(np.prod(x)), tolerance=1e-5)
    expect_equal(as_numeric(F.torch_prod(torch_tensor(x), dim=1)), as_numeric(F.torch_prod(x, dim=1)), tolerance=1e-5)
    expect_equal(as_numeric(F.torch_prod(torch_tensor(x)) * F.torch_prod(torch_tensor(y))), c(np.prod(x) * 6),
                 tolerance=1e-5)


def test_operators__sum_works():
    x = array(runif(200), dim=(10, 5, 2))
    y = c(1, 2, 3)
    expect_equal(as_numeric(F.torch_sum(torch_tensor(x))), c(x.sum()), tolerance=1e-5)
    expect_equal(as_numeric(F.torch_sum(torch_tensor(x), dim=1)), as_numeric(F.torch_sum(x, dim=1)), tolerance=1e-5)
    expect_equal(as_numeric(F.torch_sum(torch_tensor(x)) + F.torch_sum(torch_tensor(y))), c(x.sum() + 6),
                 tolerance=1e-5)


def test_operators__mean_works():
    expect_equal_to_r(F.torch_mean(torch_tensor(c(1, 2, 3, 4))), c(2.5))
    x = randn(20, 100)
    expect_tensor_shape(F.torch_mean(x, dim=1), 100)
    expect_tensor_shape(F.torch_mean(x, dim=2), 20)
    expect_tensor_shape(F.torch_mean(x, dim=1, keepdim=True), c(1, 100))
    expect_tensor_shape(F.torch_mean(x, dim=2, keepdim=True), c(20, 1))


# ---- test-gen-method.R --------------------------------------------------------------------------

def test_gen_method__and():
    x = torch_tensor(True)
    y = x.__and__(x)
    expect_tensor(y)
    expect_equal_to_tensor(y, x)
    x = torch_tensor(np.array([True, False]))
    y = x.__and__(True)
    expect_equal_to_tensor(y, x)


def test_gen_method__add():
    x = torch_tensor(np.int32(1), dtype=torch_long())
    expect_equal_to_r(x.add(np.int32(1)).to(dtype=torch_int()), r_int(2))
    x.add(np.int32(1))
    assert x.dtype == torch_long()
    x = torch_tensor(1)
    expect_equal_to_r(x.add(1), c(2))


def test_gen_method__clamp():
    randn(5).clamp(1)


def test_gen_method__clone():
    x = randn(10, 10)
    y = x.clone()
    expect_equal_to_tensor(x, y)
    assert not x.storage().data_ptr() == y.storage().data_ptr()


def test_gen_method__item():
    assert torch_tensor(1).item() == 1
    assert torch_tensor(np.int32(1)).item() == 1 and isinstance(torch_tensor(np.int32(1)).item(), int)
    assert torch_tensor(True).item() is True
    assert torch_tensor(1.5).item() == 1.5
    assert torch_tensor(1.5, dtype=torch_double()).item() == 1.5


def test_gen_method__new_full():
    x = randn(2, 2)
    expect_equal_to_tensor(x.new_full(c(3, 3), 1), torch_ones(3, 3))


def test_gen_method__permute():
    x = randn(2, 3, 4)
    expect_tensor_shape(x.permute(c(3, 2, 1)), c(4, 3, 2))
    with pytest.raises(IndexError, match="^Indexing starts at 1 but found a 0.$"):
        x.permute(c(2, 1, 0))


def test_gen_method__std_works():
    x = randn(10)
    expect_equal_to_r(x.std(), c(np.std(as_numeric(x), ddof=1)), tolerance=1e-6)


def test_gen_method__var_works():
    x = randn(10)
    expect_equal_to_r(x.var(), c(np.var(as_numeric(x), ddof=1)), tolerance=1e-6)


def test_gen_method__repeat_interleave_works():
    device = "cuda" if cuda_is_available() else "cpu"
    x = torch_tensor(c(1, 2, 3), device=device)
    expect_tensor_shape(x.repeat_interleave(np.int32(2)), 6)
    expect_tensor_shape(F.torch_repeat_interleave(x, np.int32(2)), 6)


# ---- test-gen-namespace.R -----------------------------------------------------------------------

def test_gen_namespace__and_or_xor():
    x = torch_tensor(True)
    expect_equal_to_tensor(x & x, x)
    expect_equal_to_tensor(x & True, x)
    expect_equal_to_tensor(x | x, x)
    expect_equal_to_tensor(x | False, x)
    expect_equal_to_tensor(x ^ x, torch_tensor(False))
    expect_equal_to_tensor(x ^ True, torch_tensor(False))


def test_gen_namespace__torch_cat_works_as_expected():
    x, y = randn(2, 3, 4), randn(2, 4, 4)
    expect_tensor_shape(torch_cat([x, y], dim=2), c(2, 7, 4))


def test_gen_namespace__diff_works():
    a = torch_tensor(c(1, 2, 3))
    expect_equal_to_r(F.torch_diff(a), c(1, 1))
    b = torch_tensor(c(4, 5))
    expect_equal_to_r(F.torch_diff(a, append=b), np.ones(4))
    cc = torch_tensor(rbind(c(1, 2, 3), c(3, 4, 5)))
    expect_equal_to_tensor(F.torch_diff(cc, dim=1), torch_ones(1, 3) * 2)
    expect_equal_to_tensor(F.torch_diff(cc, dim=2), torch_ones(2, 2))


def test_gen_namespace__index():
    x = randn(4, 4)
    y = F.torch_index(x, [torch_tensor(colon(1, 2)), torch_tensor(colon(1, 2))])
    expect_equal_to_tensor(y, torch_stack([x[1, 1], x[2, 2]]))


def test_gen_namespace__index_put():
    x = randn(4, 4)
    y = F.torch_index_put(x, [torch_tensor(colon(1, 2)), torch_tensor(colon(1, 2))], torch_tensor(0))
    x[1, 1] = 0
    x[2, 2] = 0
    expect_equal_to_tensor(y, x)


def test_gen_namespace__index_put_():
    x = randn(4, 4)
    F.torch_index_put_(x, [torch_tensor(colon(1, 2)), torch_tensor(colon(1, 2))], torch_tensor(0))
    assert x[1, 1].item() == 0 and x[2, 2].item() == 0


def test_gen_namespace__std_works():
    x = randn(10)
    expect_equal_to_r(F.torch_std(x), c(np.std(as_numeric(x), ddof=1)), tolerance=1e-6)


def test_gen_namespace__var():
    x = torch_tensor(runif(100))
    expect_tensor(F.torch_var(x))
    expect_tensor(F.torch_var(x, dim=1))


def test_gen_namespace__where():
    expect_equal_to_tensor(torch_where(torch_tensor(True), torch_tensor(1), torch_tensor(0)), torch_tensor(1))
    expect_equal_to_tensor(torch_where(torch_tensor(False), torch_tensor(1), torch_tensor(0)), torch_tensor(0))
    expect_tensor(torch_where(torch_tensor(np.array([True, False])), torch_ones(2), torch_zeros(2)))


def test_gen_namespace__zero_():
    x = torch_ones(2)
    y = F.torch_zero_(x)
    expect_tensor(y)
    expect_equal_to_tensor(x, torch_tensor(c(0, 0)))


def test_gen_namespace__zeros():
    expect_tensor(torch_zeros(c(2)))
    expect_equal_to_tensor(torch_zeros(2), torch_tensor(c(0, 0)))


def test_gen_namespace__zeros_like():
    x = torch_ones(c(2))
    y = torch_zeros_like(x)
    expect_equal_to_tensor(y, torch_tensor(c(0, 0)))
    expect_tensor(torch_zeros_like(x, dtype=torch_int()))


def test_gen_namespace__tile_works_correctly():
    x = torch_tensor(c(1, 2, 3))
    assert length(x.tile(2)) == 6
    assert length(F.torch_tile(x, 2)) == 6


# ---- test-with-indices.R ------------------------------------------------------------------------

def test_with_indices__max_with_indices():
    m = F.torch_max(torch_tensor(c(5, 6, 7, 8)), dim=1)
    expect_equal_to_r(m[1].to(dtype=torch_int()), r_int(4))
    expect_equal_to_r(F.torch_max(c(2, 1), other=c(1, 2)), c(2, 2))


def test_with_indices__min_with_indices():
    m = F.torch_min(torch_tensor(c(5, 6, 7, 8)), dim=1)
    expect_equal_to_r(m[1].to(dtype=torch_int()), r_int(1))
    expect_equal_to_r(F.torch_min(c(2, 1), other=c(1, 2)), c(1, 1))


def test_with_indices__argsort():
    x = torch_tensor(c(3, 2, 1))
    expect_equal_to_r(F.torch_argsort(x), r_int(3, 2, 1))
    expect_equal_to_r(x.argsort(), r_int(3, 2, 1))
    x = torch_tensor(c(1, 2, 3))
    expect_equal_to_r(F.torch_argsort(x, descending=True), r_int(3, 2, 1))
    expect_equal_to_r(x.argsort(descending=True), r_int(3, 2, 1))
    x = torch_tensor(colon(1, 10)).view(c(5, 2))
    expect_equal_to_r(F.torch_argsort(x, dim=1)[:, 1], colon(1, 5))
    expect_equal_to_r(x.argsort(dim=1)[:, 1], colon(1, 5))
    expect_equal_to_r(F.torch_argsort(x, dim=2)[:, 1], np.ones(5, np.int32))
    expect_equal_to_r(x.argsort(dim=2)[:, 1], np.ones(5, np.int32))


def test_with_indices__argmax():
    x = torch_tensor(c(1, 2, 3))
    expect_equal_to_r(F.torch_argmax(x), r_int(3))
    expect_equal_to_r(x.argmax(), r_int(3))
    x = torch_tensor(c(3, 2, 1))
    expect_equal_to_r(F.torch_argmax(x), r_int(1))
    x = torch_tensor(colon(1, 9)).reshape(c(3, 3))
    expect_equal_to_r(F.torch_argmax(x, dim=2), r_int(3, 3, 3))
    assert F.torch_argmax(x, dim=2, keepdim=True).shape == (3, 1)


def test_with_indices__argmin():
    x = torch_tensor(c(1, 2, 3))
    expect_equal_to_r(F.torch_argmin(x), r_int(1))
    expect_equal_to_r(x.argmin(), r_int(1))
    x = torch_tensor(c(3, 2, 1))
    expect_equal_to_r(F.torch_argmin(x), r_int(3))
    x = torch_tensor(colon(1, 9)).reshape(c(3, 3))
    expect_equal_to_r(F.torch_argmin(x, dim=2), r_int(1, 1, 1))
    assert F.torch_argmin(x, dim=2, keepdim=True).shape == (3, 1)


def test_with_indices__sort():
    x = torch_tensor(RNG.permutation(100).astype(np.int32) + 1)
    order = np.argsort(as_integer(x), kind="stable").astype(np.int32) + 1
    order_desc = np.argsort(-as_integer(x), kind="stable").astype(np.int32) + 1
    expect_equal_to_r(F.torch_sort(x)[1], order)
    expect_equal_to_r(F.torch_sort(x, descending=True)[1], order_desc)
    expect_equal_to_r(x.sort()[1], order)
    expect_equal_to_r(x.sort(descending=True)[1], order_desc)


def test_with_indices__bincount_is_1_indexed():
    x = torch_tensor(c(1, 2, 3, 1), dtype=torch_int64())
    assert length(F.torch_bincount(x)) == 3
    assert length(x.bincount()) == 3
    expect_equal_to_r(x.bincount(), r_int(2, 1, 1))
    x = torch_tensor(c(1, 2, 3, 1, 0), dtype=torch_int64())
    with pytest.raises(RuntimeError, match="Indexing starts at 1 but found a 0."):
        F.torch_bincount(x)


# ---- test-wrapers.R -----------------------------------------------------------------------------

def test_wrapers__result_type():
    assert F.torch_result_type(tensor1=torch_tensor(c(1, 2), dtype=torch_int()), tensor2=1) == torch_float()
    assert F.torch_result_type(tensor1=torch_tensor(c(1, 2), dtype=torch_int()),
                               tensor2=torch_tensor(colon(1, 2))) == torch_long()
    assert F.torch_result_type(tensor1=1, tensor2=torch_tensor(colon(1, 2))) == torch_float()
    assert F.torch_result_type(tensor1=1, tensor2=np.int32(2)) == torch_float()


def test_wrapers__torch_topk():
    x = torch_arange(1, 15).view(c(5, 3))
    expected = np.tile(r_int(3, 2), (5, 1))
    expect_equal_to_r(F.torch_topk(x, 2)[1], expected)
    expect_equal_to_r(x.topk(2)[1], expected)


def test_wrapers__torch_narrow():
    x = torch_tensor(matrix(colon(1, 9), ncol=3, byrow=True))
    expect_equal_to_tensor(F.torch_narrow(x, 1, 1, 2), x[1:2, :])
    expect_equal_to_tensor(x.narrow(1, 1, 2), x[1:2, :])
    expect_equal_to_tensor(x.narrow_copy(1, 1, 2), x[1:2, :])
    for narrow in (x.narrow, x.narrow_copy, lambda *a: F.torch_narrow(x, *a)):
        with pytest.raises(ValueError, match="start indexing starts at 1"):
            narrow(1, 0, 2)


@pytest.mark.parametrize("fn, n", [("torch_atleast_1d", 1), ("torch_atleast_2d", 2), ("torch_atleast_3d", 3)])
def test_wrapers__atleast(fn, n):
    f = getattr(F, fn)
    x = randn(2)
    assert f(x).ndim == n
    y = F.torch_scalar_tensor(1)
    assert y.ndim == 0 and f(y).ndim == n
    z = f([x, y, randn(*([2] * (n + 1)))])
    assert z[0].ndim == n and z[1].ndim == n and z[2].ndim == n + 1


def test_wrapers__movedim():
    x = randn(3, 2, 1)
    expect_tensor_shape(F.torch_movedim(x, 1, 2), c(2, 3, 1))
    expect_tensor_shape(F.torch_movedim(x, c(1, 2), c(2, 3)), c(1, 3, 2))
    expect_tensor_shape(x.movedim(1, 2), c(2, 3, 1))
    expect_tensor_shape(x.movedim(c(1, 2), c(2, 3)), c(1, 3, 2))


def test_wrapers__torch_split():
    x = torch_tensor(colon(1, 5))
    assert len(F.torch_split(x, 2)) == 3
    assert len(F.torch_split(x, c(2, 3))) == 2
    assert len(x.split(2)) == 3
    assert len(x.split(c(2, 3))) == 2


def test_wrapers__torch_nonzero():
    x = torch_tensor(c(0, 1, 2, 0, 3))
    expect_equal_to_r(F.torch_nonzero(x), matrix(r_int(2, 3, 5), ncol=1))
    expect_equal_to_r(x.nonzero(), matrix(r_int(2, 3, 5), ncol=1))
    o = F.torch_nonzero(x, as_list=True)
    assert len(o) == 1
    expect_equal_to_r(o[0], r_int(2, 3, 5))
    o = x.nonzero(as_list=True)
    assert len(o) == 1
    expect_equal_to_r(o[0], r_int(2, 3, 5))
    x = torch_tensor(matrix(c(0, 1, 0, 1, 1, 0), nrow=2))
    assert F.torch_nonzero(x).shape[0] == 3 and x.nonzero().shape[0] == 3
    assert len(F.torch_nonzero(x, as_list=True)) == 2 and len(x.nonzero(as_list=True)) == 2
    x = torch_tensor(c(0, 0))
    assert F.torch_nonzero(x).shape[0] == 0 and x.nonzero().shape[0] == 0
    assert F.torch_nonzero(x, as_list=True)[0].shape[0] == 0 and x.nonzero(as_list=True)[0].shape[0] == 0


def test_wrapers__torch_where():
    t = torch_arange(1, 6)
    x = torch_where(t < 3)
    expect_equal(as_numeric(x[0]), c(1, 2))
    t = torch_arange(1, 6).view(c(2, 3))
    x = torch_where(t < 3)
    expect_equal(as_numeric(x[0]), c(1, 1))
    expect_equal(as_numeric(x[1]), c(1, 2))


def test_wrapers__broadcast_shapes():
    assert F.torch_broadcast_shapes(c(2, 2), c(2, 2)) == (2, 2)
    assert F.torch_broadcast_shapes(c(2, 1), c(2, 2)) == (2, 2)
    with pytest.raises(RuntimeError):
        F.torch_broadcast_shapes(c(2, 3), c(2, 2))


# ---- test-translate.R ---------------------------------------------------------------------------

@pytest.mark.parametrize("fn", ["torch_sum", "torch_mean", "torch_max", "torch_min", "torch_std", "torch_squeeze",
                                "torch_var", "torch_argmax", "torch_cumsum", "torch_softmax", "torch_logsumexp"])
def test_translate__out_of_bound_error_message(fn):
    f = getattr(F, fn)
    x = torch_tensor(1)
    with pytest.raises(IndexError, match=r"^Dimension out of range \(expected to be in range of \[-1, 1\], but got 2\)$"):
        f(x, dim=2)
    with pytest.raises(IndexError, match=r"^Dimension out of range \(expected to be in range of \[-1, 1\], but got -2\)$"):
        f(x, dim=-2)
    x = randn(*([1] * 10))
    with pytest.raises(IndexError, match=r"^Dimension out of range \(expected to be in range of \[-10, 10\], but got 11\)$"):
        f(x, dim=11)


def test_translate__out_of_bound_error_message_for_size():
    x = torch_tensor(1)
    with pytest.raises(IndexError, match=r"\[-1, 1\], but got 2\)"):
        x.size(2)


def test_translate__more_than_1_dim():
    x = randn(2, 2, 2)
    with pytest.raises(IndexError, match=r"Dimension out of range \(expected to be in range of \[-3, 3\], but got 4\)"):
        F.torch_sum(x, dim=c(1, 4))


def test_translate__dim1_and_dim2():
    x = randn(2, 2)
    for a, b in ((3, 1), (2, 3)):
        with pytest.raises(IndexError, match=r"Dimension out of range \(expected to be in range of \[-2, 2\], but got 3\)"):
            F.torch_transpose(x, a, b)


def test_translate__torch_flatten_dim_error():
    x = randn(2, 2)
    with pytest.raises(IndexError, match=r"Dimension out of range \(expected to be in range of \[-2, 2\], but got 3\)"):
        F.torch_flatten(x, start_dim=3)


def test_translate__index_argument():
    x = torch_tensor(c(1, 2, 3))
    expect_equal(as_array(F.torch_select(x, 1, 1)), c(1))
    with pytest.raises(IndexError, match=r"^index 4 out of range for tensor of size \[3\] at dimension 1$"):
        F.torch_select(x, 1, 4)


def test_translate__movedim():
    x = randn(3, 2, 1)
    with pytest.raises(IndexError, match="Dimension is 1-based, but found 0."):
        F.torch_movedim(x, 0, 1)
    with pytest.raises(IndexError, match=r"Dimension out of range \(expected to be in range of \[-3, 3\], but got 4\)"):
        F.torch_movedim(x, 4, 3)


def test_translate__subsetting_empty_tensors():
    x = torch_tensor(np.zeros(0, np.int32))
    with pytest.raises(IndexError, match=r"^index 1 is out of bounds for dimension 1 with size 0$"):
        x[1]
    with pytest.raises(IndexError, match=r"^index -1 is out of bounds for dimension 1 with size 0$"):
        x[-1]


def test_translate__cat():
    with pytest.raises(RuntimeError, match=r"^Sizes of tensors must match except in dimension 1. Expected size 2 but "
                                           r"got size 3 for tensor number 2 in the list.$"):
        torch_cat([randn(8, 2, 7), randn(8, 3, 7)], dim=1)
