"""R torch's print(t): rtorch's printer against libtorch's own ``operator<<``."""
import os
import time
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from rtorch._printing import (
    COMPLEX_MESSAGE,
    TRUNCATION_MESSAGE,
    format_tensor,
    format_undefined,
    libtorch_text,
    type_name_for,
)
from tests._require import require

DTYPES = [np.bool_, np.uint8, np.int8, np.int16, np.int32, np.int64,
          np.float16, np.float32, np.float64]


@pytest.fixture(scope="session")
def oracle():
    """``values -> libtorch text``, through PyTorch's C++ ``operator<<`` (built once)."""
    torch = require("torch")
    from compat.libtorch_oracle import libtorch_print

    try:
        libtorch_print(torch.zeros(1))
    except Exception as exc:  # no C++ compiler or ninja: same rule as a missing module
        if os.environ.get("CI"):
            pytest.fail(f"the libtorch print oracle cannot be built: {exc}")
        pytest.skip(f"the libtorch print oracle cannot be built: {exc}")

    def run(values):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            return libtorch_print(torch.from_numpy(np.array(values, copy=True)))

    return run


def r_print(libtorch, n=30):
    """What R torch's print(t, n) writes around libtorch's text (cpp_torch_tensor_print)."""
    pieces = libtorch.split("\n")
    cont = pieces[:-1] + ([pieces[-1]] if pieces[-1] else [])
    truncated = n > 1 and len(cont) > n
    if truncated:
        cont = cont[:n] + cont[-1:]
    out = ""
    for i, line in enumerate(cont):
        out += line
        if i != len(cont) - 1:
            out += "\n"
        if truncated and i == len(cont) - 2:
            out += TRUNCATION_MESSAGE + "\n"
    return "torch_tensor\n" + out + "\n"


def tname(values):
    return type_name_for(np.asarray(values).dtype, "cpu")


def check(oracle, values, n=30):
    values = np.asarray(values)
    expected = oracle(values)
    assert libtorch_text(values, tname(values)) == expected
    assert format_tensor(values, tname(values), n=n) == r_print(expected, n)


# --- targeted examples ------------------------------------------------------

EXAMPLES = {
    "zeros_4_2_2": np.zeros((4, 2, 2), np.float32),
    "float_3x3": np.array([[0.5377, -1.3077, -0.4336], [1.8339, -0.4336, 0.3426],
                           [-2.2588, 3.5784, 2.7694]], np.float32),
    "long_3x3_1_to_9": np.arange(1, 10, dtype=np.int64).reshape(3, 3),
    "bool_vector": np.array([True, False, True]),
    "scalar_float": np.array(0.1, np.float32),
    "scalar_double_neg_zero": np.array(-0.0),
    "scalar_long": np.array(-7, np.int64),
    "scalar_bool": np.array(True),
    "scale_1e-5": np.array([1e-5, 2.5e-5, 3e-6], np.float32),
    "scale_1e-5_matrix": np.array([[1e-5, 2e-5], [3e-5, 4e-5]]),
    "scale_1e6": np.array([1234567.5, 2e6, -3.25e6]),
    "scientific_mix": np.array([1e-8, 1.0, 1e5], np.float32),
    "scientific_3digit_exp": np.array([1e-150, 1.5, 1e150]),
    "int_like_floats": np.array([1.0, -20.0, 300.0], np.float32),
    "big_int_like_floats": np.array([1e10, 2.0]),
    "seven_digit_ints": np.array([1234567, 1], np.int64),
    "nan_inf": np.array([np.nan, -np.nan, np.inf, -np.inf, 1.5, -0.0]),
    "all_nan": np.array([np.nan, np.nan], np.float32),
    "half": np.array([0.1, 65504.0, -2.0], np.float16),
    "uint8": np.array([[0, 255], [17, 3]], np.uint8),
    "int8_neg": np.array([-128, 127, 0], np.int8),
    "int64_extremes": np.array([np.iinfo(np.int64).min, np.iinfo(np.int64).max]),
    "wide_int_matrix": np.arange(1, 301, dtype=np.int32).reshape(3, 100),
    "wide_scaled_matrix": np.linspace(-3e-6, 3e-6, 60, dtype=np.float32).reshape(2, 30),
    "wide_4d": np.linspace(-1, 1, 2 * 3 * 2 * 14).reshape(2, 3, 2, 14),
    "empty_1d": np.zeros(0, np.float32),
    "empty_2d": np.zeros((2, 0), np.int64),
    "empty_3d": np.zeros((0, 3, 2)),
    "ones_1x1x1x1": np.ones((1, 1, 1, 1), np.int16),
    "big_randn_300x300": np.random.default_rng(1).standard_normal((300, 300)).astype(np.float32),
    "order_of_blocks": np.arange(2 * 3 * 2 * 2, dtype=np.float64).reshape(2, 3, 2, 2) / 7,
    "negative_dominates": np.array([-123456.5, 0.5]),
    "first_non_finite": np.array([np.inf, 0.001, 0.5]),
}


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_examples_match_libtorch(oracle, name):
    check(oracle, EXAMPLES[name])


def test_complex_values_print_like_libtorch_real_part(oracle):
    z = np.array([1 + 2j, -3.5j], np.complex64)
    assert libtorch_text(z, "CPUComplexFloatType") == oracle(z)


@pytest.mark.parametrize("shape", [(200, 40), (40, 3), (3, 10, 10)])
@pytest.mark.parametrize("n", [30, 5, 2, 1, 0, -1])
def test_truncation_matches_r_rule(oracle, shape, n):
    values = np.random.default_rng(sum(shape)).standard_normal(shape).astype(np.float32)
    check(oracle, values, n=n)


def test_zeros_4_2_2_blog_layout(oracle):
    text = format_tensor(np.zeros((4, 2, 2), np.float32), "CPUFloatType")
    lines = text.split("\n")
    assert lines[0] == "torch_tensor"
    assert lines[1] == "(1,.,.) = "
    assert text.endswith("[ CPUFloatType{4,2,2} ]\n")
    assert text.count(".,.) = ") == 4


# --- property-based differential test ---------------------------------------

SPECIALS = [np.nan, -np.nan, np.inf, -np.inf, 0.0, -0.0, 1.0, -1.0, 0.5,
            1e-300, 1e300, 5e-324, 123456789.0]


@st.composite
def tensors(draw):
    dtype = draw(st.sampled_from(DTYPES))
    rank = draw(st.integers(0, 4))
    hi = 26 if rank <= 2 else 4
    shape = tuple(draw(st.lists(st.integers(0, hi), min_size=rank, max_size=rank)))
    size = int(np.prod(shape))
    if dtype is np.bool_:
        data = draw(st.lists(st.booleans(), min_size=size, max_size=size))
        return np.array(data, dtype).reshape(shape)
    if np.issubdtype(dtype, np.integer):
        info = np.iinfo(dtype)
        mag = draw(st.sampled_from([1, 9, 100, 10**5, 10**9, 10**12, 2**63]))
        ints = st.integers(max(int(info.min), -mag), min(int(info.max), mag))
        data = draw(st.lists(ints, min_size=size, max_size=size))
        return np.array(data, dtype).reshape(shape)
    element = st.one_of(
        st.floats(-10.0, 10.0),
        st.integers(-1000, 1000).map(float),
        st.sampled_from(SPECIALS),
        st.floats(allow_nan=True, allow_infinity=True),
    )
    data = np.array(draw(st.lists(element, min_size=size, max_size=size)), np.float64)
    exponent = draw(st.sampled_from([0, 0, 0, -12, -6, -5, -2, 3, 5, 7, 12]))
    with np.errstate(all="ignore"):
        return (data * 10.0 ** exponent).astype(dtype).reshape(shape)


@given(values=tensors(), n=st.sampled_from([30, 30, 30, 3, 1, -1]))
def test_random_tensors_match_libtorch(oracle, values, n):
    check(oracle, values, n=n)


# --- what R torch adds around libtorch's text (R torch is not an oracle here) ---

def test_exactly_n_lines_still_reports_truncation():
    """R torch's quirk: n content lines trigger the message though none is dropped."""
    values = np.arange(3, dtype=np.int64)
    out = format_tensor(values, "CPULongType", n=3)
    assert out == ("torch_tensor\n 0\n 1\n 2\n" + TRUNCATION_MESSAGE + "\n"
                   "[ CPULongType{3} ]\n")
    assert TRUNCATION_MESSAGE not in format_tensor(values, "CPULongType", n=4)


def test_autograd_notes_follow_footer():
    values = np.array([1.5], np.float32)
    plain = format_tensor(values, "CPUFloatType")
    grad = format_tensor(values, "CPUFloatType", requires_grad=True)
    node = format_tensor(values, "CPUFloatType", requires_grad=True, grad_fn="AddBackward0")
    assert grad == plain[:-1] + "[ requires_grad = TRUE ]\n"
    assert node == plain[:-1] + "[ grad_fn = <AddBackward0> ]\n"


def test_complex_tensor_prints_hint_not_values():
    out = format_tensor(np.zeros((2, 3), np.complex64), "CUDAComplexFloatType")
    assert out == f"torch_tensor\n{COMPLEX_MESSAGE}\n[ CUDAComplexFloatType{{2,3}} ]\n"


def test_undefined_tensor():
    assert format_undefined() == "torch_tensor\n[ Tensor (undefined) ]\n"


@pytest.mark.parametrize("dtype, device, expected", [
    ("float32", "cpu", "CPUFloatType"), (np.int64, "cuda", "CUDALongType"),
    (np.dtype(np.bool_), "cpu", "CPUBoolType"), ("float16", "cpu", "CPUHalfType"),
    ("Double", "cuda", "CUDADoubleType"), ("uint8", "cpu", "CPUByteType"),
    ("int8", "cpu", "CPUCharType"), ("int16", "cpu", "CPUShortType"),
    ("int32", "cpu", "CPUIntType"), ("complex128", "cpu", "CPUComplexDoubleType"),
])
def test_type_name_for(dtype, device, expected):
    assert type_name_for(dtype, device) == expected


def test_type_name_for_matches_libtorch(oracle):
    for dtype in DTYPES:
        footer = oracle(np.zeros(0, dtype)).strip()
        assert footer == f"[ {type_name_for(dtype, 'cpu')}{{0}} ]"


@pytest.mark.parametrize("call, err, msg", [
    (lambda: type_name_for("float128", "cpu"), ValueError, "float128"),
    (lambda: type_name_for("float32", ""), ValueError, "device_type"),
    (lambda: format_tensor(np.zeros(2), "CPUFloat"), ValueError, "type_name"),
    (lambda: format_tensor(np.zeros(2), "CPUFloatType", n=2.5), TypeError, "n must"),
    (lambda: format_tensor(np.array(["a"]), "CPUFloatType"), TypeError, "dtype"),
])
def test_bad_input_is_named(call, err, msg):
    with pytest.raises(err, match=msg):
        call()


def test_large_matrix_prints_fast():
    values = np.random.default_rng(0).standard_normal((1000, 1000)).astype(np.float32)
    format_tensor(values, "CPUFloatType")
    start = time.perf_counter()
    out = format_tensor(values, "CPUFloatType")
    elapsed = time.perf_counter() - start
    assert out.count("\n") == 33
    assert elapsed < 0.1, f"printing a 1000x1000 float tensor took {elapsed:.3f} s"
