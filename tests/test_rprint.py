"""rprint() and cat() against R itself (rpy2): R's print/cat output, byte for byte."""
import contextlib
import io
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rtorch._rbase import NA, array, as_integer, as_raw, c, matrix, raw, seq
from rtorch._rformat import NA_real_, format_real
from rtorch._rprint import cat, format_r_number, rprint
from tests._r_oracle import Sample, r_cat, r_eval, r_print, robjects

SETTINGS = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow])


def examples(n):
    """n examples under the "ci" profile (60 per test), scaled with the loaded profile ("deep": 100x)."""
    return max(1, n * settings.default.max_examples // 60)


@pytest.fixture(scope="module", autouse=True)
def _r():
    robjects()


def printed(x, digits=None):
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        rprint(x, digits=digits)
    return buf.getvalue()


def catted(*args, **kwargs):
    buf = io.StringIO()
    cat(*args, file=buf, **kwargs)
    return buf.getvalue()


# ---------------------------------------------------------------- value strategies

_SPECIAL_DOUBLES = [0.0, -0.0, 1.0, -1.0, 0.1, 0.5, 1e5, 1e-5, 123456.7, 1e15, 1e-15, 1e100, 1e-100,
                    1e300, -1e300, 5e-324, 2.2250738585072014e-308, 1.7976931348623157e308,
                    9.9999995, 0.99999995, 99999.995, 999999.5, 9999999.5, 0.00012345, 1 / 3, 2 / 3,
                    100000.0, 123456789.0, 1234567.1, 99999.99, 0.1 + 0.2, 1e22, 1e23, 1e27, 1e28,
                    math.pi * 1e-300, None, math.nan, math.inf, -math.inf]

doubles = st.one_of(
    st.sampled_from(_SPECIAL_DOUBLES),
    st.floats(allow_nan=False, allow_infinity=False),
    st.floats(min_value=-1e6, max_value=1e6),
    st.builds(lambda m, e: m * 10.0 ** e, st.integers(-99999, 99999), st.integers(-30, 30)),
    st.builds(lambda m, e: float(m) / 10 ** e, st.integers(-10 ** 9, 10 ** 9), st.integers(0, 12)),
)
integers = st.one_of(st.integers(-2 ** 31 + 1, 2 ** 31 - 1), st.integers(-1000, 1000), st.none())
logicals = st.one_of(st.booleans(), st.none())
strings = st.one_of(
    st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=8),
    st.text(alphabet=st.sampled_from('ab\n\t"\\\x01 '), max_size=5),
    st.none(),
)
_ELEMENTS = {"double": doubles, "integer": integers, "logical": logicals, "character": strings,
             "raw": st.integers(0, 255)}


class RawSample(Sample):
    """An R raw vector/matrix/array; rtorch holds it as uint8 (no NA)."""

    def to_r(self):
        ro = robjects()
        vec = ro.r["as.raw"](ro.IntVector(self.values))
        return vec if self.shape is None else ro.r["array"](vec, dim=ro.IntVector(list(self.shape)))

    def to_py(self):
        shape = self.shape if self.shape is not None else (len(self.values),)
        return np.array(self.values, dtype=np.uint8).reshape(shape, order="F")


@st.composite
def samples(draw, shapes, types=("double", "integer", "logical", "character", "raw")):
    rtype = draw(st.sampled_from(types))
    shape = draw(shapes)
    n = int(np.prod(shape)) if shape is not None else draw(st.integers(0, 30))
    elem = _ELEMENTS[rtype]
    if rtype == "double" and draw(st.booleans()):
        scale = draw(st.sampled_from([1.0, 1e-8, 1e8, 1e-300, 1e300]))
        elem = st.one_of(st.floats(-1e3, 1e3).map(lambda v: v * scale), st.sampled_from([None, math.nan]))
    values = draw(st.lists(elem, min_size=n, max_size=n))
    return (RawSample if rtype == "raw" else Sample)(rtype, values, shape)


vector_shapes = st.none()
matrix_shapes = st.tuples(st.integers(0, 12), st.integers(0, 14))
array_shapes = st.lists(st.integers(0, 3), min_size=3, max_size=4).map(tuple)


# ---------------------------------------------------------------- print vs R

@settings(max_examples=examples(250), **SETTINGS)
@given(samples(vector_shapes))
def test_print_vectors_match_r(sample):
    assert printed(sample.to_py()) == r_print(sample.to_r())


@settings(max_examples=examples(100), **SETTINGS)
@given(samples(matrix_shapes))
def test_print_matrices_match_r(sample):
    assert printed(sample.to_py()) == r_print(sample.to_r())


@settings(max_examples=examples(40), **SETTINGS)
@given(samples(array_shapes))
def test_print_arrays_match_r(sample):
    assert printed(sample.to_py()) == r_print(sample.to_r())


@settings(max_examples=examples(60), **SETTINGS)
@given(samples(st.one_of(st.none(), matrix_shapes), types=("double",)), st.integers(1, 22))
def test_print_digits_match_r(sample, digits):
    assert printed(sample.to_py(), digits) == r_print(sample.to_r(), digits)


def test_print_wide_matrix_wraps_columns_like_r():
    x = np.arange(1, 61, dtype=np.float64).reshape(3, 20) * 1234.5678
    assert printed(x) == r_print(Sample("double", x.ravel(order="F").tolist(), x.shape).to_r())


def test_print_max_print_truncation_matches_r():
    x = np.arange(100003, dtype=np.int32)
    assert printed(x) == r_print(robjects().IntVector(x.tolist()))


@pytest.mark.parametrize("shape", [(3, 34000), (20, 50, 101)])
def test_print_max_print_truncation_of_matrices_and_arrays_matches_r(shape):
    x = (np.arange(np.prod(shape)) % 1000 - 500).astype(np.int32).reshape(shape, order="F")
    assert printed(x) == r_print(Sample("integer", x.ravel(order="F").tolist(), shape).to_r())


@pytest.mark.parametrize("py, r_src", [
    (None, "NULL"), (NA, "NA"), (True, "TRUE"), (7, "7"), (100000, "1e5"), (np.int32(100000), "100000L"), (2.5, "2.5"),
    (1e5, "1e5"), ("a\"b", "'a\"b'"), ([1, 2, 3], "1:3"), ([1, 2.5], "c(1, 2.5)"),
    ([1, NA, 3], "c(1, NA, 3)"), ([True, NA], "c(TRUE, NA)"), ((1.5, NA), "c(1.5, NA)"),
    (2 ** 40, "2^40"), (np.int64(5), "5L"), (np.float32(0.1), "as.numeric(0.1f)"),
    (np.array(3.0), "3"), ([], "logical(0)"), (np.array([], dtype=np.str_), "character(0)"),
    (np.zeros((0, 0)), "matrix(0, 0, 0)"), (["x", NA], "c('x', NA)"),
    (np.uint8(255), "as.raw(255)"), (raw(0), "raw(0)"), (as_raw(seq(0, 255)), "as.raw(0:255)"),
    (matrix(raw(0), 0, 3), "matrix(raw(0), 0, 3)"), (array(raw(0), c(2, 3, 0)), "array(raw(0), c(2, 3, 0))"),
    (array(as_raw(seq(1, 24)), c(2, 3, 4)), "array(as.raw(1:24), c(2, 3, 4))"),
])
def test_print_python_values_match_r(py, r_src):
    if isinstance(py, np.float32):
        r_src = repr(float(py))
    assert printed(py) == r_print(r_eval(r_src))


def test_print_falls_back_to_python_print_for_other_objects():
    class Thing:
        def __str__(self):
            return "<thing>"

    class FakeTensor:
        def _to_r(self):
            return np.zeros(2)

        def __str__(self):
            return "torch_tensor"

    assert printed(Thing()) == "<thing>\n"
    assert printed(FakeTensor()) == "torch_tensor\n"
    assert printed(object) == "<class 'object'>\n"


def test_print_rejects_bad_digits():
    with pytest.raises(ValueError, match="digits"):
        rprint(1.0, digits=0)
    with pytest.raises(TypeError, match="digits"):
        rprint(1.0, digits=2.5)


def test_na_real_is_r_na_and_nan_is_not():
    assert printed(c(1, NA)) == "[1]  1 NA\n"
    assert r_print(robjects().FloatVector([NA_real_, math.nan])) == printed([NA_real_, math.nan])
    assert format_real([NA_real_]) == (2, 0, 0)


# ---------------------------------------------------------------- cat vs R

cat_args = st.lists(st.one_of(samples(vector_shapes), st.none()), min_size=0, max_size=6)
seps = st.one_of(st.just(" "), st.sampled_from(["", ",", ", ", "\n", " | "]),
                 st.lists(st.sampled_from([",", ";", "\n", "  "]), min_size=1, max_size=3))
fills = st.one_of(st.just(False), st.just(True), st.integers(1, 40))


@settings(max_examples=examples(150), **SETTINGS)
@given(cat_args, seps, fills)
def test_cat_matches_r(args, sep, fill):
    py_args = [None if a is None else a.to_py() for a in args]
    r_args = [None if a is None else a.to_r() for a in args]
    assert catted(*py_args, sep=sep, fill=fill) == r_cat(r_args, sep, fill)


@settings(max_examples=examples(200), **SETTINGS)
@given(st.lists(doubles, min_size=1, max_size=4))
def test_cat_numbers_one_by_one_match_r(values):
    r_vals = [robjects().FloatVector([robjects().NA_Real if v is None else v]) for v in values]
    py_vals = [NA_real_ if v is None else v for v in values]
    assert catted(*py_vals, "\n") == r_cat(r_vals + [robjects().StrVector(["\n"])])


def test_cat_examples_from_the_porting_contract():
    assert catted(1 / 3, 100000.0, 1e-20) == "0.3333333 1e+05 1e-20"
    assert catted("Loss: ", 352.35849, "\n") == "Loss:  352.3585 \n"
    assert catted("Loss: ", 79.679531, "\n") == "Loss:  79.67953 \n"
    assert format_r_number(1 / 3) == "0.3333333"
    assert format_r_number(100000.0) == "1e+05"
    assert format_r_number(100000) == "1e+05"
    assert format_r_number(np.int32(100000)) == "100000"
    assert format_r_number(as_integer(7)) == "7"


def test_cat_python_scalars_match_r():
    expected = r_cat([r_eval(s) for s in ["'epoch'", "3L", "TRUE", "NA", "0.1", "NULL", "'\\n'"]])
    assert catted("epoch", 3, True, NA, 0.1, None, "\n") == expected


def test_cat_labels_match_r():
    r = r_eval("function() { con <- rawConnection(raw(0), 'w'); on.exit(close(con)); "
               "cat(1:30, fill = 20, labels = paste0('{', 1:3, '}:'), file = con); "
               "rawToChar(rawConnectionValue(con)) }")()[0]
    assert catted(np.arange(1, 31, dtype=np.int32), fill=20, labels=["{1}:", "{2}:", "{3}:"]) == str(r)


def test_cat_raw_matches_r():
    expected = r_cat([r_eval(s) for s in ["as.raw(c(1, 255))", "raw(0)", "1.5", "as.raw(10)", "'\\n'"]])
    assert catted(as_raw(c(1, 255)), raw(0), 1.5, as_raw(10), "\n") == expected == "01 ff  1.5 0a \n"


def test_print_max_print_truncation_of_raw_matches_r():
    x = np.arange(100003, dtype=np.int64).astype(np.uint8)
    assert printed(x) == r_print(r_eval("as.raw(0:100002 %% 256)"))


def test_cat_matrix_is_column_major():
    assert catted(matrix(c(1, 2, 3, 4), nrow=2, byrow=True)) == "1 3 2 4"


def test_cat_writes_files(tmp_path):
    path = tmp_path / "out.txt"
    cat("a", 1.5, file=str(path))
    cat("\nb", file=str(path), append=True)
    assert path.read_text() == "a 1.5\nb"


def test_cat_refuses_tensors_and_bad_arguments():
    class FakeTensor:
        def _to_r(self):
            return np.zeros(2)

    with pytest.raises(TypeError, match="argument 2 .* cannot be handled by 'cat'"):
        cat("x", FakeTensor())
    with pytest.raises(TypeError, match="argument 1"):
        cat({"a": 1})
    with pytest.raises(TypeError, match="sep"):
        cat(1, sep=1)
    with pytest.warns(UserWarning, match="non-positive 'fill'"):
        assert catted(1, 2, fill=0) == "1 2"


@pytest.mark.parametrize("py,r", [
    ({"a": 1.5, "0.weight": [1, 2], "if": "x"}, 'list(a = 1.5, `0.weight` = c(1L, 2L), `if` = "x")'),
    ({"l": [1.0, None], "e": [], "n": {}, "d": {"x": True}},
     "list(l = list(1, NULL), e = list(), n = setNames(list(), character(0)), d = list(x = TRUE))"),
    ([None, {"b": 2.0}], "list(NULL, list(b = 2))"),
    ({}, "setNames(list(), character(0))"),
    ({"a": None, "": 1.0}, 'setNames(list(NULL, 1), c("a", ""))'),
])
def test_print_lists_match_r(py, r):
    """A dict prints as R's named list (`$a`, backquoted non-syntactic names), a list holding non-scalars as
    R's unnamed list (`[[1]]`), nested tags accumulate (`$l[[1]]`)."""
    assert printed(py) == r_print(r_eval(r))
