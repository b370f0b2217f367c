"""One explicit example for each mismatch the differential properties found (and the core now fixes).
Expected values come from the engines where they are at hand (PyTorch, R); each test names the
property that found it."""
import math

import numpy as np
import pytest

from rtorch import as_array, torch_tensor
from rtorch import torch_full as rtorch_full
from rtorch._tensor import wrap
from tests._require import require


def test_mask_assignment_takes_a_vector_of_the_selected_length():
    """test_assignment_matches_r: `x[mask] <- v` with a full-shape Bool tensor and a value per selected
    element (here none) failed to broadcast the value over the whole tensor."""
    x = torch_tensor(np.array([3, 4], dtype=np.int32))
    x[torch_tensor(np.array([False, False]))] = wrap(np.array([], dtype=np.int64))
    assert as_array(x).tolist() == [3, 4]
    x[torch_tensor(np.array([False, True]))] = wrap(np.array([9], dtype=np.int64))
    assert as_array(x).tolist() == [3, 9]


def test_mm_with_something_not_a_tensor_is_a_type_error():
    """test_junk_input_fails_cleanly_or_works: `x$mm(NULL)` raised AttributeError from inside rtorch."""
    with pytest.raises(TypeError, match="NoneType"):
        torch_tensor(np.ones((2, 2))).mm(None)
    with pytest.raises(TypeError, match="NoneType"):
        torch_tensor(np.ones(2)).dot(None)


@pytest.mark.parametrize("dtype", [np.float32, np.int32])
def test_neg_in_place_through_a_strided_column(dtype):
    """test_inplace_through_views_matches_libtorch: NumPy 2.4's `np.negative(v, out=v)` writes wrong values
    into a column of a 4-wide 32-bit matrix; `x[, 2]$neg_()` must negate exactly that column."""
    x = wrap(np.arange(12, dtype=dtype).reshape(3, 4))
    x[:, 2].neg_()
    want = np.arange(12, dtype=dtype).reshape(3, 4)
    want[:, 1] *= -1
    np.testing.assert_array_equal(x.__array__(), want)


def test_assignment_with_a_position_and_a_vector_keeps_libtorchs_dim_order():
    """test_index_write_matches_libtorch: NumPy moves the dims of `x[1, , c(1, 2, 3)]` (a position and a
    vector apart) to the front, libtorch doesn't; a square value went in transposed, silently."""
    torch = require("torch")
    a = np.arange(18.0).reshape(2, 3, 3)
    v = np.arange(100.0, 109.0).reshape(3, 3)
    x, ref = wrap(a.copy()), torch.from_numpy(a.copy())
    x[1, :, [1, 2, 3]] = wrap(v.copy())
    ref[0, :, [0, 1, 2]] = torch.from_numpy(v.copy())
    np.testing.assert_array_equal(x.__array__(), ref.numpy())


def test_index_put_of_another_dtype_is_refused():
    """test_index_write_matches_libtorch: libtorch's index_put_ wants the value's dtype to be the tensor's
    (a view, without a vector, casts)."""
    torch = require("torch")
    x = wrap(np.zeros(3, np.float32))
    with pytest.raises(RuntimeError) as ours:
        x[[1, 2]] = wrap(np.ones(2))
    with pytest.raises(RuntimeError) as theirs:
        torch.zeros(3)[[0, 1]] = torch.ones(2, dtype=torch.float64)
    assert str(ours.value) == str(theirs.value)
    x[1:2] = wrap(np.ones(2))
    assert as_array(x).tolist() == [1.0, 1.0, 0.0]


@pytest.mark.parametrize("dtype, value", [(np.int8, 200.0), (np.uint8, -1.0), (np.int32, 2.0 ** 31), (np.int16, np.inf),
                                          (np.int64, np.nan), (np.float32, 1e300), (np.uint8, np.int32(-1)),
                                          (np.bool_, np.nan),
                                          (np.float32, np.inf), (np.int64, 2.0 ** 63)])
def test_scalar_assignment_converts_as_libtorch_checks(dtype, value):
    """test_index_write_matches_libtorch: libtorch refuses a scalar that overflows the tensor's type (NaN
    and Inf into integers, 1e300 into Float), wraps -1 into Byte, and takes anything into Bool."""
    torch = require("torch")
    x = wrap(np.zeros(2, dtype))
    ref = torch.from_numpy(np.zeros(2, dtype))
    try:
        ref[0] = int(value) if isinstance(value, np.integer) else value
    except RuntimeError as exc:
        with pytest.raises(ValueError if value != value else RuntimeError, match="without overflow"):
            x[1] = value
        assert str(exc).startswith("value cannot be converted")
    else:
        x[1] = value
        np.testing.assert_array_equal(x.__array__(), ref.numpy())


def test_single_position_read_is_a_view():
    """test_index_read_matches_libtorch: `x[-1]` of a vector (and `x[c(2)]`) must share memory like libtorch's
    0-d view, not copy."""
    x = wrap(np.arange(3.0))
    y = x[-1]
    x[3] = 7.0
    assert y.item() == 7.0
    assert np.shares_memory(x[[2]].__array__(), x.__array__())


def test_assignment_checks_the_mask_shape():
    """test_index_write_matches_libtorch: a mask of the wrong length was accepted by `x[mask] <- v`."""
    x = wrap(np.zeros(1))
    with pytest.raises(IndexError, match="shape of the mask"):
        x[wrap(np.zeros(0, bool))] = 1.0


def test_full_mask_assignment_of_a_number_into_bool():
    """test_index_write_matches_libtorch: `x[mask] <- 0` on a Bool tensor failed to cast the number."""
    x = wrap(np.array([True, True]))
    x[wrap(np.array([True, False]))] = 0.0
    assert as_array(x).tolist() == [False, True]


def test_one_value_through_a_mask_is_a_masked_fill_that_casts():
    """test_index_write_matches_libtorch: libtorch turns `x[mask] <- v` with a one-element `v` into a masked
    fill, which casts `v`; only other tensor indices want matching dtypes."""
    x = wrap(np.zeros(3, np.uint8))
    x[wrap(np.array([True, False, True]))] = wrap(np.array([True]))
    assert as_array(x).tolist() == [1, 0, 1]
    with pytest.raises(RuntimeError, match="dtypes match"):
        x[wrap(np.array([True, False, True]))] = wrap(np.array([2.0, 3.0]))


def test_r_double_into_byte_is_checked_like_a_double():
    """test_index_write_matches_libtorch: a Python int is an R double, so -1 into a Byte tensor overflows
    (an R integer, np.int32(-1), wraps to 255 as in libtorch)."""
    x = wrap(np.zeros(2, np.uint8))
    with pytest.raises(RuntimeError, match="uint8_t without overflow"):
        x[1] = -1
    x[1] = np.int32(-1)
    assert as_array(x).tolist() == [255, 0]


def test_assignment_with_positions_down_to_one_element_and_a_mask():
    """test_index_write_matches_libtorch: `x[-1, -1, c(FALSE)]` took the element out as a NumPy scalar (no
    view to write through) and failed."""
    x = wrap(np.array([[[True]]]))
    x[-1, -1, [False]] = 0.0
    assert as_array(x).tolist() == [[[True]]]
    x[-1, -1, [True]] = 0.0
    assert as_array(x).tolist() == [[[False]]]


def _u8(*v):
    return np.array(v, np.uint8)


# found by test_inplace_binary_ops_match_libtorch, test_unary_ops_match_libtorch, test_clamp_matches_libtorch
# and test_binary_methods_match_libtorch: (what, rtorch call, PyTorch call on the same values)
ELEMENTWISE = [
    ("R integer -1 wraps into Byte", lambda w: w(_u8(3, 5)).remainder_(np.int32(-1)),
     lambda t: t(_u8(3, 5)).remainder_(-1)),
    ("Byte minus Bool in place", lambda w: w(_u8(3)).sub_(w(np.array([True]))),
     lambda t: t(_u8(3)).sub_(t(np.array([True])))),
    ("Bool minus Byte checks bool first", lambda w: w(np.array(True)).sub_(w(_u8(1, 2))),
     lambda t: t(np.array(True)).sub_(t(_u8(1, 2)))),
    ("two bools", lambda w: w(np.array([True])).sub_(w(np.array([True]))),
     lambda t: t(np.array([True])).sub_(t(np.array([True])))),
    ("Half times Int casts the Int first", lambda w: w(np.zeros(2, np.float16)).mul_(w(np.array([2 ** 31 - 1, 1], np.int32))),
     lambda t: t(np.zeros(2, np.float16)).mul_(t(np.array([2 ** 31 - 1, 1], np.int32)))),
    ("remainder_ of Bool", lambda w: w(np.array([True])).remainder_(True), lambda t: t(np.array([True])).remainder_(True)),
    ("floor_divide_ of Bool", lambda w: w(np.array([True])).floor_divide_(w(np.array([True]))),
     lambda t: t(np.array([True])).floor_divide_(t(np.array([True])))),
    ("fmod_ of Bool", lambda w: w(np.array([True])).fmod_(True), lambda t: t(np.array([True])).fmod_(True)),
    ("pow_ to a negative R integer", lambda w: w(_u8(2)).pow_(np.int32(-1)), lambda t: t(_u8(2)).pow_(-1)),
    ("pow_ of Bool by Bool", lambda w: w(np.array([True])).pow_(w(np.array([True]))),
     lambda t: t(np.array([True])).pow_(t(np.array([True])))),
    ("empty Byte divided by FALSE", lambda w: w(_u8()).floor_divide(False), lambda t: t(_u8()).floor_divide(False)),
    ("broadcast error before cast error", lambda w: w(_u8(1, 2)).add_(w(np.ones(3))),
     lambda t: t(_u8(1, 2)).add_(t(np.ones(3)))),
    ("in-place result too big", lambda w: w(np.ones(1)).add_(w(np.ones(3))), lambda t: t(np.ones(1)).add_(t(np.ones(3)))),
    ("eq_ compares before casting", lambda w: w(_u8(2, 3)).eq_(w(np.array([True, True]))),
     lambda t: t(_u8(2, 3)).eq_(t(np.array([True, True])))),
    ("abs of Bool", lambda w: w(np.array([True])).abs(), lambda t: t(np.array([True])).abs()),
    ("relu of Bool", lambda w: w(np.array([True])).relu(), lambda t: t(np.array([True])).relu()),
    ("floor of Bool", lambda w: w(np.array([True])).floor(), lambda t: t(np.array([True])).floor()),
    ("round_ of Bool", lambda w: w(np.array([True])).round_(), lambda t: t(np.array([True])).round_()),
    ("sign of Bool", lambda w: w(np.array([True, False])).sign(), lambda t: t(np.array([True, False])).sign()),
    ("sign of NaN", lambda w: w(np.array([np.nan, -2.0])).sign(), lambda t: t(np.array([np.nan, -2.0])).sign()),
    ("square of Bool", lambda w: w(np.array([True, False])).square(), lambda t: t(np.array([True, False])).square()),
    ("square_ of Bool", lambda w: w(np.array([True])).square_(), lambda t: t(np.array([True])).square_()),
    ("rsqrt of a 0-d Long", lambda w: w(np.array(4)).rsqrt(), lambda t: t(np.array(4)).rsqrt()),
    ("sigmoid of a 0-d Long", lambda w: w(np.array(0)).sigmoid(), lambda t: t(np.array(0)).sigmoid()),
    ("clamp of Bool by TRUE", lambda w: w(np.array([False])).clamp(min=True), lambda t: t(np.array([False])).clamp(min=True)),
    ("clamp of Bool by 0.5", lambda w: w(np.array([False])).clamp(min=0.5), lambda t: t(np.array([False])).clamp(min=0.5)),
]


@pytest.mark.parametrize("what, ours, theirs", ELEMENTWISE, ids=[e[0] for e in ELEMENTWISE])
def test_elementwise_corner_matches_libtorch(what, ours, theirs):
    torch = require("torch")
    try:
        want = theirs(lambda a: torch.from_numpy(np.array(a)))
    except Exception as exc:  # noqa: BLE001 - libtorch's error is the expectation
        with pytest.raises((RuntimeError, IndexError, ValueError)) as info:
            ours(lambda a: wrap(np.array(a)))
        assert str(info.value).split(".")[0].split(" (")[0][:40] in str(exc) or \
            str(exc).split("\n")[0][:40] in str(info.value), f"{what}: {info.value} vs libtorch's {exc}"
        return
    got = ours(lambda a: wrap(np.array(a)))
    assert got.dtype.name == {torch.bool: "Bool", torch.uint8: "Byte", torch.int64: "Long", torch.float32: "Float",
                              torch.float16: "Half", torch.float64: "Double"}[want.dtype], what
    np.testing.assert_array_equal(got.__array__(), want.numpy(), err_msg=what)


def test_expanded_view_refuses_writes_only_where_elements_share_memory():
    """test_inplace_through_views_matches_libtorch: a row of an expanded tensor has no shared elements, and
    libtorch writes through it (and through fill_); rtorch refused every write into an expanded view."""
    torch = require("torch")
    writes = {
        "row add_": (lambda e: e[1].add_(1), lambda e: e[0].add_(1)),
        "fill_": (lambda e: e.fill_(2), lambda e: e.fill_(2)),
        "add_": (lambda e: e.add_(1), lambda e: e.add_(1)),
        "column assign": (lambda e: e.__setitem__((slice(None), 2), 5.0), lambda e: e.__setitem__((slice(None), 1), 5.0)),
    }
    for what, (ours, theirs) in writes.items():
        base_rt, base_pt = wrap(np.zeros(3)), torch.zeros(3)
        try:
            theirs(base_pt.expand(2, 3))
        except RuntimeError:
            with pytest.raises(RuntimeError, match="single memory location"):
                ours(base_rt.expand([2, 3]))
        else:
            ours(base_rt.expand([2, 3]))
        np.testing.assert_array_equal(base_rt.__array__(), base_pt.numpy(), err_msg=what)


# found by test_matmul_matches_libtorch, test_views_match_libtorch, test_clamp_matches_libtorch and
# test_inplace_through_views_matches_libtorch
MORE = [
    ("mm of Bool", lambda w: w(np.ones((2, 2), bool)).mm(w(np.ones((2, 2), bool))),
     lambda t: t(np.ones((2, 2), bool)).mm(t(np.ones((2, 2), bool)))),
    ("matmul of Bool", lambda w: w(np.ones(2, bool)).matmul(w(np.ones((2, 2), bool))),
     lambda t: t(np.ones(2, bool)).matmul(t(np.ones((2, 2), bool)))),
    ("dot checks the dtype before the size", lambda w: w(np.ones(3, np.float32)).dot(w(np.ones(2))),
     lambda t: t(np.ones(3, np.float32)).dot(t(np.ones(2)))),
    ("matmul folds a batch into mm", lambda w: w(np.ones((2, 3, 4))).matmul(w(np.ones((5, 6)))),
     lambda t: t(np.ones((2, 3, 4))).matmul(t(np.ones((5, 6))))),
    ("matmul names the whole batch", lambda w: w(np.ones((2, 2, 3, 4))).matmul(w(np.ones((2, 2, 5, 6)))),
     lambda t: t(np.ones((2, 2, 3, 4))).matmul(t(np.ones((2, 2, 5, 6))))),
    ("matmul checks shapes before dtypes", lambda w: w(np.ones(3, np.float32)).matmul(w(np.ones((2, 2)))),
     lambda t: t(np.ones(3, np.float32)).matmul(t(np.ones((2, 2))))),
    ("transpose of a 0-d tensor", lambda w: w(np.array(1.0)).transpose(1, 1), lambda t: t(np.array(1.0)).transpose(0, 0)),
    ("narrow from past the end", lambda w: w(np.ones(0)).narrow(1, 2, 0), lambda t: t(np.ones(0)).narrow(0, 1, 0)),
    ("clamp of Half by 1e30", lambda w: w(np.zeros(2, np.float16)).clamp(max=1e30),
     lambda t: t(np.zeros(2, np.float16)).clamp(max=1e30)),
    ("full of Inf as Long", lambda w: rtorch_full([2], math.inf, dtype="long"),
     lambda t: __import__("torch").full((2,), math.inf, dtype=__import__("torch").int64)),
    ("full of NaN as Bool", lambda w: rtorch_full([2], math.nan, dtype="bool"),
     lambda t: __import__("torch").full((2,), math.nan, dtype=__import__("torch").bool)),
    ("neg_ of an expanded Bool says Bool first", lambda w: w(np.ones(2, bool)).expand([2, 2]).neg_(),
     lambda t: t(np.ones(2, bool)).expand(2, 2).neg_()),
]


@pytest.mark.parametrize("what, ours, theirs", MORE, ids=[e[0] for e in MORE])
def test_more_corners_match_libtorch(what, ours, theirs):
    test_elementwise_corner_matches_libtorch(what, ours, theirs)


def test_select_is_a_view_down_to_one_element():
    """test_views_match_libtorch: `x$select(1, 1)` of a one-element vector copied instead of viewing."""
    x = wrap(np.zeros(1))
    y = x.select(1, 1)
    x[1] = 5.0
    assert y.item() == 5.0


def test_half_tensor_with_a_number_as_libtorch_computes_it():
    """test_operation_chains_match_libtorch: libtorch multiplies and divides a Half tensor by a number in
    float32 without rounding the number to Half first (0 * 1e30 is 0, not NaN), and refuses a Half power
    the exponent of which overflows Half."""
    torch = require("torch")
    v = np.array([0.0, 1.0, 2.0], np.float16)
    for name, s in [("mul", 1e30), ("div", 1e5), ("floor_divide", 1.0001), ("sub", 1.0001), ("add", -1e30)]:
        got = getattr(wrap(v.copy()), name)(s).__array__()
        np.testing.assert_array_equal(got, getattr(torch.from_numpy(v.copy()), name)(s).numpy(), err_msg=name)
    with pytest.raises(RuntimeError, match="c10::Half without overflow"):
        wrap(v.copy()).pow(1e30)


def test_fill_checks_a_half_value():
    """test_operation_chains_match_libtorch: libtorch's fill_ refuses a number beyond Half's range (an
    assignment `x[1] <- 1e30` does not: it gives Inf)."""
    x = wrap(np.zeros(2, np.float16))
    with pytest.raises(RuntimeError, match="c10::Half without overflow"):
        x.fill_(1e30)
    x[1] = 1e30
    assert np.isinf(x.__array__()[0])


def test_in_place_result_wraps_into_a_narrower_integer():
    """test_inplace_binary_ops_match_libtorch: `x$add_(y)` with 0-d Char and Byte computes in Short and
    wraps back into Char as libtorch does; rtorch raised OverflowError."""
    torch = require("torch")
    x = wrap(np.array(0, np.int8))
    x.add_(wrap(np.array(255, np.uint8)))
    ref = torch.tensor(0, dtype=torch.int8).add_(torch.tensor(255, dtype=torch.uint8))
    assert x.item() == ref.item()


def test_matmul_of_two_vectors_is_dot():
    """test_matmul_matches_libtorch: libtorch's matmul of two vectors is dot, which checks the dtypes before
    the sizes."""
    torch = require("torch")
    with pytest.raises(RuntimeError) as theirs:
        torch.ones(0, dtype=torch.float64).matmul(torch.ones(1))
    with pytest.raises(RuntimeError) as ours:
        wrap(np.ones(0)).matmul(wrap(np.ones(1, np.float32)))
    assert str(ours.value) == str(theirs.value)


def test_logical_ops_look_at_values_in_the_common_dtype():
    """test_operators_match_r_torch: libtorch's logical_xor of a 0-d Double 1e-179 and a Float vector casts
    1e-179 to Float (0, FALSE) first; rtorch looked at the Double."""
    torch = require("torch")
    x = wrap(np.array(1e-179))
    got = (x ^ 0.0).__array__()
    want = torch.logical_xor(torch.tensor(1e-179, dtype=torch.float64), torch.tensor([0.0])).numpy()
    np.testing.assert_array_equal(got, want)


def test_sigmoid_in_place_through_a_strided_view():
    """test_unary_ops_match_libtorch: `sigmoid_` negates in place first, and NumPy 2.4's strided in-place
    negative wrote wrong values (0.731 where sigmoid(0) is 0.5)."""
    base = np.zeros((2, 5), np.float32)
    x = wrap(base[:, 2::2][:, :1])
    x.sigmoid_()
    np.testing.assert_allclose(x.__array__(), 0.5)


def test_clamp_in_place_on_an_expanded_view_says_so_first():
    """test_inplace_through_views_matches_libtorch: libtorch checks for shared memory before anything else
    (here, before refusing to clamp a Bool tensor)."""
    x = wrap(np.zeros(4, bool)).expand([3, 4])
    with pytest.raises(RuntimeError, match="single memory location"):
        x.clamp_(min=False)


def test_half_in_place_and_accumulation_as_libtorch():
    """Deep run of test_inplace_binary_ops_match_libtorch, test_operation_chains_match_libtorch and
    test_clamp_matches_libtorch: Half `mul_` by 1e30 keeps 0 (float32 math), `pow_` refuses an exponent
    beyond Half, mean and cumsum accumulate in float32, a NaN bound makes clamp NaN without a range check,
    and clamp_ names the cast before the shared memory."""
    torch = require("torch")
    v = np.array([0.0, 1.0], np.float16)
    x = wrap(v.copy())
    x.mul_(1e30)
    np.testing.assert_array_equal(x.__array__(), torch.from_numpy(v.copy()).mul_(1e30).numpy())
    with pytest.raises(RuntimeError, match="c10::Half without overflow"):
        wrap(v.copy()).pow_(1e30)
    big = np.array([65500.0, 65500.0, -65500.0], np.float16)
    with np.errstate(all="ignore"):
        assert wrap(big[:2].copy()).mean().item() == torch.from_numpy(big[:2].copy()).mean().item()
        np.testing.assert_array_equal(wrap(big.copy()).cumsum(1).__array__(),
                                      torch.from_numpy(big.copy()).cumsum(0).numpy())
    assert np.isnan(wrap(v.copy()).clamp(min=1e30, max=math.nan).__array__()).all()
    with pytest.raises(RuntimeError, match="can't be cast to the desired output type long int"):
        wrap(np.zeros(3, np.int64)).expand([2, 3]).clamp_(min=0.0)


def test_out_of_range_vector_on_an_empty_tensor_is_still_an_error():
    """Deep run of test_index_write_matches_libtorch: libtorch lets `x[c(2)]` pass on a 1x0 tensor as there
    is nothing to copy; rtorch keeps R torch's promise that a position past the end is an error."""
    x = wrap(np.zeros((1, 0)))
    with pytest.raises(IndexError, match="out of bounds"):
        x[wrap(np.array([2]))] = 0.0


def test_deep_run_corners_of_fill_masked_fill_and_bool_power():
    """Deep run: libtorch's fill_ checks a Half value unless it fills one element; a one-element value put
    through a mask is a masked fill that checks the value's range; FALSE ^ a Bool tensor is refused."""
    torch = require("torch")
    one = wrap(np.zeros((1, 1), np.float16))
    one.fill_(1e30)
    assert np.isinf(one.__array__()).all()
    with pytest.raises(RuntimeError, match="overflow"):
        wrap(np.zeros(2, np.float16)).fill_(1e30)
    x = wrap(np.zeros((0, 0), np.uint8))
    with pytest.raises(RuntimeError, match="uint8_t without overflow"):
        x[wrap(np.zeros(0, bool)), None, :] = wrap(np.array(-32768, np.int16))
    y, ref = wrap(np.zeros(3, np.uint8)), torch.zeros(3, dtype=torch.uint8)
    y[wrap(np.array([True, False, True]))] = wrap(np.array([-1], np.int16))
    ref[torch.tensor([True, False, True])] = torch.tensor([-1], dtype=torch.int16)
    np.testing.assert_array_equal(y.__array__(), ref.numpy())
    with pytest.raises(RuntimeError, match='"pow" not implemented for \'Bool\''):
        False ** wrap(np.array(False))


def test_assignment_checks_the_number_before_the_index():
    """Deep run of test_index_write_matches_libtorch: libtorch converts the number first, so `x[mask] <- -1`
    on a Byte tensor reports the overflow even when the mask doesn't fit."""
    x = wrap(np.zeros((1, 0), np.uint8))
    with pytest.raises(RuntimeError, match="uint8_t without overflow"):
        x[wrap(np.zeros(0, bool))] = -1.0


def test_integer_divisor_is_checked_in_the_result_dtype_and_bool_powers_in_place():
    """Deep run of test_inplace_binary_ops_match_libtorch: -32768 (Short) is 0 once cast to Byte, so
    `x$remainder_()` divides by zero as in libtorch; a Bool tensor to a logical power works in place."""
    with pytest.raises(RuntimeError, match="ZeroDivisionError"):
        wrap(np.array([0], np.uint8)).remainder_(wrap(np.array(-32768, np.int16)))
    x = wrap(np.array([False, True]))
    x.pow_(False)
    assert as_array(x).tolist() == [True, True]


def test_integer_power_in_place_with_a_negative_exponent_through_a_permuted_view():
    """Deep run of test_inplace_binary_ops_match_libtorch: NumPy stops part-way through `x^y` at the first
    negative integer exponent after writing into `x`, and the fallback raised the written elements again
    (2^2 gave 16)."""
    torch = require("torch")
    a = np.array([[[[0]], [[0]]], [[[2]], [[0]]]], np.int8)
    b = np.array([[[[-1]], [[2]]], [[[2]], [[2]]]], np.int8)
    view = np.ascontiguousarray(a.transpose(1, 0, 2, 3)).transpose(1, 0, 2, 3)
    x = wrap(view)
    x.pow_(wrap(b.copy()))
    np.testing.assert_array_equal(x.__array__(), torch.from_numpy(a.copy()).pow_(torch.from_numpy(b.copy())).numpy())


def test_masked_fill_of_half_checks_the_value():
    """Deep run of test_index_write_matches_libtorch: a one-element Float value put through a mask into a
    Half tensor is converted as a checked scalar (3.4e38 overflows Half) even when the mask selects nothing."""
    x = wrap(np.zeros(1, np.float16))
    with pytest.raises(RuntimeError, match="c10::Half without overflow"):
        x[[False]] = wrap(np.array(3.4028235e38, np.float32))


def test_cumsum_of_a_permuted_tensor_is_contiguous():
    """Deep run of test_operation_chains_match_libtorch: libtorch's cumsum gives a contiguous tensor, so
    `$view(-1)` works on it; NumPy kept the input's permuted layout."""
    x = wrap(np.zeros((2, 1, 2), bool).transpose(2, 0, 1))
    y = x.cumsum(-3)
    assert y.is_contiguous()
    assert tuple(y.view(-1).shape) == (4,)


def test_half_with_a_0d_tensor_of_another_dtype_as_libtorch_computes_it():
    """Deep runs of test_operators_match_r_torch and test_inplace_binary_ops_match_libtorch: libtorch reads a
    0-d operand of another dtype (a CPU scalar) in float32 when it multiplies or divides a Half tensor,
    while tensors with dims are rounded to Half first."""
    torch = require("torch")
    cases = [(np.array([np.inf, 0, 3.0], np.float16), np.array(-2147483648, np.int32)),
             (np.array([1.658, 0, 7], np.float16), np.array(1.6586251, np.float32)),
             (np.array([3.0, 5, 0], np.float16), np.array([4097, 2049, 70000], np.int32)),
             (np.array([0.0, 1, 2], np.float16), np.array(1e30, np.float64))]
    with np.errstate(all="ignore"):
        for op in ("mul", "div", "floor_divide", "add", "sub"):
            for a, b in cases:
                got = getattr(wrap(a.copy()), op)(wrap(b.copy())).__array__()
                want = getattr(torch.from_numpy(a.copy()), op)(torch.from_numpy(b.copy())).numpy()
                np.testing.assert_array_equal(got, want, err_msg=f"{op} {a} {b}")
        x = wrap(np.array([1.658], np.float16))
        x.floor_divide_(wrap(np.array(1.6586251, np.float32)))
        assert x.item() == 0.0


def test_integer_power_by_an_exponent_that_wraps_negative():
    """Deep run of test_binary_methods_match_libtorch: a 0-d Byte 255 exponent on a Char tensor is -1 in
    Char; libtorch gives 0, 1 or -1, rtorch raised NumPy's negative-power error."""
    torch = require("torch")
    base = np.array([0, 1, -1, 2], np.int8)
    got = wrap(base.copy()).pow(wrap(np.array(255, np.uint8))).__array__()
    want = torch.from_numpy(base.copy()).pow(torch.tensor(255, dtype=torch.uint8)).numpy()
    np.testing.assert_array_equal(got, want)


def test_pow_by_special_exponents_is_libtorchs_arithmetic():
    """Deep run of test_operation_chains_match_libtorch: libtorch computes x^-2 as 1/(x*x) (and x^2, x^3,
    x^0.5, x^-0.5, x^-1 likewise), where NumPy's powf differs in the last bit: floor((1/3)^-2) gave 9, not 8."""
    torch = require("torch")
    for dtype in (np.float32, np.float64, np.float16, np.uint8):
        x = np.array([1 / 3, 2, 0, 7]).astype(dtype)
        for e in (2, 3, -2, 0.5, -0.5, -1):
            with np.errstate(all="ignore"):
                got = wrap(x.copy()).pow(e).__array__()
            np.testing.assert_array_equal(got, torch.from_numpy(x.copy()).pow(float(e)).numpy(), err_msg=f"{dtype} {e}")
    third = wrap(np.array([3], np.uint8)).pow(-1)
    assert third.pow(-2).floor().item() == 8.0


def test_half_division_rounds_a_0d_left_operand_to_half():
    """test_binary_methods_match_libtorch (deep run): only the right operand of a Half op is libtorch's CPU
    scalar, read unrounded; a 0-d Int on the left is cast to Half first (-2^31 becomes -Inf, and
    -Inf %/% 1 is NaN in floor division)."""
    torch = require("torch")
    cases = [(np.array(-2147483648, np.int32), np.array(1.0, np.float16)),
             (np.array(1.0, np.float16), np.array(-2147483648, np.int32)),
             (np.array(2049, np.int32), np.array([3.0], np.float16)),
             (np.array([3.0], np.float16), np.array(2049, np.int32))]
    for a, b in cases:
        for name in ("floor_divide", "div", "mul"):
            got = as_array(getattr(wrap(a.copy()), name)(wrap(b.copy())))
            want = getattr(torch, name)(torch.from_numpy(a.copy()), torch.from_numpy(b.copy())).double().numpy()
            np.testing.assert_array_equal(got, want, err_msg=f"{a!r} {name} {b!r}")


def test_index_put_checks_dtypes_before_positions():
    """test_index_write_matches_libtorch (deep run): a value of another dtype through a vector index is
    libtorch's dtype error even when a position is out of bounds (it checks dtypes first)."""
    x = wrap(np.zeros((2, 0), bool))
    value = wrap(np.zeros((2, 1, 0), np.uint8))
    with pytest.raises(RuntimeError, match="Index put requires the source and destination dtypes match"):
        x[[-1, 3], None] = value


# ---- found by tests/test_differential_functions.py ----------------------------------------------------

def test_function_family_mismatches_found_by_the_differential_properties():
    """One line per mismatch found by the properties of test_differential_functions.py, against PyTorch."""
    torch = require("torch")
    import rtorch

    def pair(v, dt):
        a = np.asarray(v, dt)
        return wrap(a.copy()), torch.from_numpy(a.copy())

    # test_unary_functions_match_libtorch: R torch's $cosh_(), $sinh_(), $acosh_(), $asinh_(), $atanh_() existed not
    x, _ = pair([1.5], np.float32)
    assert as_array(x.cosh_())[0] == np.float32(np.cosh(np.float32(1.5)))
    # test_lerp_and_clamp_bounds_match_libtorch: a 0-d weight of another dtype is promoted, not refused
    s, ps = pair(0.0, np.float32)
    e, pe = pair(1.0, np.float32)
    w, pw = pair(0.75, np.float64)
    got, want = s.lerp(e, w), torch.lerp(ps, pe, pw)
    assert got.dtype.name == "Double" and want.dtype == torch.float64 and as_array(got) == want.item()
    # ... clamp_min with one Bool tensor bound is maximum (Bool is fine); clamp_ checks the output's shape
    b, pb = pair([False, True], np.bool_)
    m, pm = pair([True, False], np.bool_)
    assert as_array(b.clamp_min(m)).tolist() == torch.clamp_min(pb, pm).tolist()
    z, _ = pair(0.0, np.float32)
    with pytest.raises(RuntimeError, match="doesn't match the broadcast shape"):
        z.clamp_(min=wrap(np.zeros(0, np.float32)))
    # test_binary_functions_match_libtorch: gcd_ checks the output's shape before the dtype
    with pytest.raises(RuntimeError, match="doesn't match the broadcast shape"):
        wrap(np.array(False)).gcd_(0)
    # test_reductions_match_libtorch: the median of no elements is NaN as x86 converts it
    for dt, want in ((np.bool_, True), (np.int8, 0), (np.int16, 0), (np.int32, -2 ** 31)):
        assert wrap(np.zeros(0, dt)).median().item() == want == torch.zeros(0, dtype=torch.from_numpy(
            np.zeros(0, dt)).dtype).median().item()
    # ... softmax of an empty integer tensor, diff with n = 0 (dim unchecked), count_nonzero(dim = list())
    assert wrap(np.zeros(0, np.int64)).softmax(1).dtype.name == "Long"
    assert wrap(np.zeros((2, 3), np.float32)).diff(n=0, dim=5).shape == (2, 3)
    assert rtorch.torch_count_nonzero(wrap(np.ones(3, np.bool_)), dim=[]).shape == ()
    # ... cummax of an empty tensor ignores dim; of a 0-d one says libtorch's scalar message
    assert rtorch.torch_cummax(wrap(np.zeros((0, 2), np.float32)), 5)[0].shape == (0, 2)
    with pytest.raises(IndexError, match="Expected reduction dim -1 or 0 for scalar"):
        rtorch.torch_cummax(wrap(np.array(1.0, np.float32)), 2)
    # ... kthvalue, median, quantile, logcumsumexp check the dim / size before the dtype
    with pytest.raises(IndexError, match="non-zero size"):
        wrap(np.zeros(0, np.bool_)).kthvalue(1)
    with pytest.raises(RuntimeError, match="non-empty"):
        wrap(np.zeros(0, np.bool_)).quantile(0.5)
    with pytest.raises(IndexError, match="out of range"):
        wrap(np.array(False)).median(2)
    # test_unique_and_bucketing_match_libtorch: searchsorted with (0, 0) boundaries, and a Bool side promoted
    assert rtorch.torch_searchsorted(wrap(np.zeros((0, 0), np.float32)), wrap(np.zeros((0, 0), np.float32))).shape \
        == (0, 0)
    assert as_array(rtorch.torch_searchsorted(wrap(np.array([False, True])), 2.0)).item() == 2
    # test_linalg_matches_libtorch: the condition number of a 0 x 0 matrix is 0
    assert as_array(rtorch.linalg_cond(wrap(np.zeros((0, 0), np.float32)))).item() == 0


def test_function_family_mismatches_of_a_deep_run():
    """Mismatches a deep run (HYPOTHESIS_PROFILE=deep) of test_differential_functions.py found, against PyTorch."""
    torch = require("torch")
    import rtorch

    def pair(v, dt):
        a = np.asarray(v, dt)
        return wrap(a.copy()), torch.from_numpy(a.copy())

    # test_threshold_and_predicates_match_libtorch: libtorch compares Half in float, the threshold 1e10 is no
    # Half Inf, and Inf stays
    h, ph = pair([np.inf, 1.0], np.float16)
    assert as_array(rtorch.torch_threshold(h, 1e10, 0)).tolist() == torch.threshold(ph, 1e10, 0.0).tolist() \
        == [np.inf, 0.0]
    # test_binary_functions_match_libtorch: nextafter_ of Bool by Byte is the cast error before the kernel's
    b, _ = pair([], np.bool_)
    with pytest.raises(RuntimeError, match="result type Byte can't be cast to the desired output type Bool"):
        b.nextafter_(wrap(np.zeros(0, np.uint8)))
    # test_lerp_and_clamp_bounds_match_libtorch: clamp_min_ of a 0-d Bool by an empty Float: the shape first
    with pytest.raises(RuntimeError, match="doesn't match the broadcast shape"):
        wrap(np.array(False)).clamp_min_(wrap(np.zeros(0, np.float32)))
    # test_reductions_match_libtorch: bincount dispatches on the dtype first
    with pytest.raises(RuntimeError, match="\"bincount_cpu\" not implemented for 'Bool'"):
        wrap(np.array(False)).bincount()
    # test_unique_and_bucketing_match_libtorch: Half boundaries and a 0-d Float value compare in Half
    s, ps = pair([0.7124], np.float16)
    v, pv = pair(0.7125536, np.float32)
    assert as_array(rtorch.torch_searchsorted(s, v)).item() == torch.searchsorted(ps, pv).item() == 0
    # test_linalg_matches_libtorch: vector_norm of Half is computed (in float), a Half result
    n, pn = pair([300.0, 400.0, 1e4], np.float16)
    got, want = rtorch.linalg_vector_norm(n), torch.linalg.vector_norm(pn)
    assert got.dtype.name == "Half" and as_array(got).item() == want.item()
    # test_unary_functions_match_libtorch: lgamma of a subnormal Double is -log(x), finite, as C computes it
    assert as_array(wrap(np.array(2.2e-311)).lgamma()).item() == pytest.approx(
        torch.tensor(2.2e-311, dtype=torch.float64).lgamma().item())
    # test_binary_functions_match_libtorch: gcd in C arithmetic, where |-128| wraps in Char
    g, pg = pair([-128, 6], np.int8)
    o, po = pair([127, -128], np.int8)
    assert as_array(g.gcd(o)).tolist() == torch.gcd(pg, po).tolist() == [-1, -2]
    # test_reductions_match_libtorch: dist is norm(x - y): a Bool operand is the subtraction's error first
    with pytest.raises(RuntimeError, match="Subtraction, the `-` operator, with a bool tensor"):
        rtorch.torch_dist(wrap(np.array(False)), wrap(np.array(0, np.uint8)))
    # test_linalg_matches_libtorch: vector_norm over dim 1 of a 0-d tensor
    assert rtorch.linalg_vector_norm(wrap(np.array(-2.0, np.float32)), dim=[1]).shape == ()


def _dim_and_positions(f, positions):
    """Dim 1 and 1-based positions for rtorch; dim 0 and 0-based Long positions for PyTorch."""
    if f is wrap:
        return 1, wrap(np.array(positions, np.int64))
    import torch
    return 0, torch.tensor([p - 1 for p in positions], dtype=torch.long)


def test_products_and_index_functions_with_empty_operands_as_libtorch():
    """test_products_match_libtorch, test_index_functions_match_libtorch: where an operand is empty libtorch
    takes shortcuts (no kernel, no dtype or bounds checks; beta * self in place), and rtorch now takes them."""
    torch = require("torch")
    import rtorch

    def t(shape, dt=np.float32, v=0):
        return np.full(shape, v, dt)

    cases = [
        ("addmv of an empty matrix is beta * self, self's shape",
         lambda f, x: f(x(t((), v=3.0))).addmv(f(x(t((3, 0)))), f(x(t((0,)))), beta=2.0)),
        ("mv of an empty Bool matrix", lambda f, x: f(x(t((0, 0), np.bool_))).mv(f(x(t((0,), np.bool_))))),
        ("addbmm of no batches skips addmm's dtype check",
         lambda f, x: f(x(t((1, 2)))).addbmm(f(x(t((0, 1, 0)))), f(x(t((0, 0, 2), np.float64))))),
        ("addbmm of no batches of Bool: self times 1L", lambda f, x: f(x(t((1, 2), np.bool_))).addbmm(
            f(x(t((0, 1, 0), np.bool_))), f(x(t((0, 0, 2), np.bool_))))),
        ("addmm over an empty inner dim of Long by 2.0", lambda f, x: f(x(t((2, 2), np.int64, 1))).addmm(
            f(x(t((2, 0), np.int64))), f(x(t((0, 2), np.int64))), beta=2.0)),
        ("chain_matmul of empty Bool matrices", lambda f, x: (rtorch.torch_chain_matmul if f is wrap else
                                                             torch.chain_matmul)(
            *(lambda ms: [ms] if f is wrap else ms)([f(x(t((2, 0), np.bool_))), f(x(t((0, 2), np.bool_)))]))),
        ("index_add of an empty matrix checks no position", lambda f, x: f(x(t((0, 0)))).index_add(
            *_dim_and_positions(f, [1]), f(x(t((1, 0)))))),
        ("index_add with no positions into a 0-d tensor", lambda f, x: f(x(t((), np.bool_))).index_add(
            *_dim_and_positions(f, []), f(x(t((), np.bool_))))),
    ]
    for what, fn in cases:
        try:
            want = fn(torch.from_numpy, lambda a: a)
        except Exception as exc:  # noqa: BLE001 - libtorch's error is the expectation
            with pytest.raises((RuntimeError, IndexError)) as info:
                fn(wrap, lambda a: a)
            assert str(info.value)[:30] == str(exc)[:30], what
            continue
        got = fn(wrap, lambda a: a)
        assert tuple(got.shape) == tuple(want.shape), what
        np.testing.assert_array_equal(got.__array__(), want.numpy(), err_msg=what)


def test_function_family_mismatches_of_later_deep_runs():
    """Found by the next deep runs of test_differential_functions.py (the new properties among them)."""
    torch = require("torch")
    import rtorch

    # test_binary_functions_match_libtorch: nextafter in Half steps by Half's own smallest subnormal
    got = wrap(np.array([False])).nextafter(wrap(np.array([1.0], np.float16)))
    assert got.dtype.name == "Half" and as_array(got).tolist() == [float(np.float16(2.0 ** -24))]
    # test_lerp_and_clamp_bounds_match_libtorch: lerp_ casts the common dtype into x before the kernel's check
    with pytest.raises(RuntimeError, match="result type Long can't be cast to the desired output type Bool"):
        wrap(np.zeros(0, bool)).lerp_(wrap(np.zeros(0, bool)), wrap(np.array(1)))
    # test_reductions_match_libtorch: quantile "lower" picks -Inf itself (no interpolation, no Inf - Inf)
    x = np.array([[0.0, 0.0], [0.0, -np.inf]], np.float32)
    assert as_array(wrap(x).quantile(0.0, interpolation="lower")).item() == -np.inf == \
        torch.from_numpy(x).quantile(0.0, interpolation="lower").item()
    # test_linalg_matches_libtorch: matrix_norm of Half, in float, a Half result (all but the SVD norms)
    h = np.array([[1.5, -2.0], [3.0, 4.0]], np.float16)
    got = rtorch.linalg_matrix_norm(wrap(h), 1)
    assert got.dtype.name == "Half" and as_array(got).item() == torch.linalg.matrix_norm(torch.from_numpy(h), 1).item()
    # test_shape_and_combining_functions_match_libtorch: rot90 range-checks the dims first
    with pytest.raises(IndexError, match="out of range"):
        wrap(np.zeros((0, 0), bool)).rot90(1, [1, 3])
    # test_index_functions_match_libtorch: index_fill of an empty matrix writes and checks nothing
    assert wrap(np.zeros((0, 0), bool)).index_fill(1, wrap(np.array([1])), 0).shape == (0, 0)
    # test_products_match_libtorch: addmv_ wants x of the result's size; inner of empty Bool matrices; einsum's
    # one-operand sum of an Int tensor is Long
    with pytest.raises(RuntimeError, match="Bad in-place call"):
        wrap(np.array(0.0, np.float32)).addmv_(wrap(np.zeros((0, 0), np.float32)), wrap(np.zeros(0, np.float32)))
    assert rtorch.torch_inner(wrap(np.zeros((0, 0), bool)), wrap(np.zeros((0, 0), bool))).shape == (0, 0)
    assert rtorch.torch_einsum("ij->", [wrap(np.ones((1, 2), np.int32))]).dtype.name == "Long"
    # ... cross without dim wants operands of one rank (libtorch's linalg_cross after it picks the dim)
    with pytest.raises(RuntimeError, match="same number of dimensions"):
        rtorch.torch_cross(wrap(np.zeros((3, 2), np.float32)), wrap(np.zeros(2, np.float32)))
    # test_index_functions_match_libtorch: index_add checks dim against the source's dims first; index_fill of
    # an empty matrix fails where the index makes libtorch's restrided view non-empty
    with pytest.raises(IndexError, match="Indexing dim 1 is out of bounds of the source tensor"):
        wrap(np.zeros((0, 0), bool)).index_add(-1, wrap(np.zeros(0, np.int64)), wrap(np.zeros(0, bool)))
    with pytest.raises(RuntimeError, match="setStorage"):
        wrap(np.zeros((0, 1), bool)).index_fill(1, wrap(np.array([1])), 0)
    # test_binary_functions_match_libtorch: ldexp_ says it can't be cast first, then the output's shape, then
    # the Bool exponent
    with pytest.raises(RuntimeError, match="ldexp can't be cast to the desired output type Bool"):
        wrap(np.array([False])).ldexp_(wrap(np.zeros(0, bool)))
    with pytest.raises(RuntimeError, match="doesn't match the broadcast shape"):
        wrap(np.zeros(0, np.float16)).ldexp_(wrap(np.zeros((1, 0), bool)))
    # test_shape_and_combining_functions_match_libtorch: roll of an empty tensor is its copy, dims unchecked
    assert wrap(np.zeros(0, bool)).roll([0], [2]).shape == (0,)
    # test_index_functions_match_libtorch: index_add into a 0-d tensor wants exactly one position
    with pytest.raises(IndexError, match="Dimension specified as 0 but tensor has no dimensions"):
        wrap(np.array(False)).index_add(1, wrap(np.array([1, 1])), wrap(np.array(False)))
    # test_products_match_libtorch: tensordot sums a dim contracted with a size-1 one (libtorch broadcasts)
    assert rtorch.torch_tensordot(wrap(np.zeros((1, 0, 2), np.float32)), wrap(np.zeros((0, 2), np.float32)),
                                  [[1], [1]]).shape == (0, 2, 2)
    # test_reductions_match_libtorch: trapezoid with dx is libtorch's (sum - (first + last) / 2) * dx, NaN for a
    # lone NaN; with no samples, zeros in y's dtype
    assert math.isnan(as_array(rtorch.torch_trapezoid(wrap(np.array([np.nan], np.float16)))).item())
    assert rtorch.torch_trapezoid(wrap(np.zeros(0, np.float16)), x=wrap(np.zeros(0, np.float32))).dtype.name == "Half"
    # ... and of Bool tensors it is libtorch's mm, which refuses Bool
    with pytest.raises(RuntimeError, match="not implemented for 'Bool'"):
        rtorch.torch_tensordot(wrap(np.zeros((1, 1, 2), bool)), wrap(np.zeros((2, 2), bool)), 1)
    # test_shape_and_combining_functions_match_libtorch: empty vectors, skipped by cat, still promote
    assert rtorch.torch_hstack([wrap(np.zeros(0, bool)), wrap(np.zeros(0, np.uint8))]).dtype.name == "Byte"
    # test_index_functions_match_libtorch: index_copy of an empty matrix, as index_fill
    with pytest.raises(RuntimeError, match="setStorage"):
        wrap(np.zeros((0, 1), bool)).index_copy(1, wrap(np.array([1])), wrap(np.zeros((1, 1), bool)))
    # test_lerp_and_clamp_bounds_match_libtorch: a Long end goes into the common Half first (-2^63 is -Inf there)
    got = wrap(np.array([0])).lerp(wrap(np.array([np.iinfo(np.int64).min])), wrap(np.array(0.0, np.float16)))
    assert got.dtype.name == "Half" and math.isnan(as_array(got)[0])


def test_block_diag_promotes_0d_inputs_a_tier_lower():
    """test_shape_and_combining_functions_match_libtorch (deep run): block_diag's dtype is libtorch's
    result_type over its inputs, where a 0-d tensor ranks below tensors with dims (0-d Byte with Char
    is Char, not Short)."""
    torch = require("torch")
    from rtorch import torch_block_diag
    for a, b in [(np.array(3, np.uint8), np.zeros(0, np.int8)), (np.array(3, np.uint8), np.array([1, 2], np.int8)),
                 (np.array(3.5), np.array([1, 2], np.int8)), (np.array(3, np.int64), np.array([1.0], np.float32))]:
        got = torch_block_diag([wrap(a), wrap(b)])
        want = torch.block_diag(torch.from_numpy(a), torch.from_numpy(b))
        assert got._data.dtype == want.numpy().dtype
        np.testing.assert_array_equal(got._data, want.numpy())


def test_median_with_dim_checks_the_size_before_the_dtype():
    """test_reductions_match_libtorch (deep run): `median(x, dim)` on a Bool tensor checks the reduced dim's
    size first (nanmedian's message names median() too), then refuses Bool as "median_out"."""
    torch = require("torch")
    from rtorch import torch_median, torch_nanmedian
    for ours, theirs in ((torch_median, torch.median), (torch_nanmedian, torch.nanmedian)):
        for x, d in [(np.zeros((2, 0), bool), 0), (np.zeros((2, 0), bool), 1), (np.ones((2, 2), bool), 1)]:
            with pytest.raises(Exception) as want:
                theirs(torch.from_numpy(x), dim=d)
            with pytest.raises(Exception) as got:
                ours(wrap(x), dim=d + 1)
            assert str(got.value) == str(want.value)


def test_repeated_dims_and_wrapping_alpha_as_libtorch():
    """test_reductions_match_libtorch and test_index_functions_match_libtorch (deep run): a dim listed
    twice is libtorch's error in every reduction (NumPy's message leaked through); index_add's `alpha`
    wraps into an integer dtype as libtorch casts it (-1 is 255 in Byte)."""
    torch = require("torch")
    from rtorch import as_integer, torch_amax, torch_logsumexp, torch_mean, torch_sum
    x = wrap(np.ones((2, 3), np.float32))
    for fn in (torch_sum, torch_mean, torch_amax, torch_logsumexp):
        with pytest.raises(RuntimeError, match="dim 0 appears multiple times in the list of dims"):
            fn(x, dim=[1, -2])
    byte = np.zeros((1, 1), np.uint8)
    got = wrap(byte.copy()).index_add(1, as_integer(1), wrap(np.ones((1, 1), np.uint8)), alpha=-1)
    want = torch.from_numpy(byte.copy()).index_add(0, torch.tensor([0]), torch.ones((1, 1), dtype=torch.uint8),
                                                    alpha=-1)
    np.testing.assert_array_equal(got._data, want.numpy())
