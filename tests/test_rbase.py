"""R-base helpers against R itself (rpy2): same type, same dims, same values, same errors."""
import math
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from rtorch._rbase import (FALSE, NA, TRUE, Inf, NaN, array, as_character, as_double, as_integer, as_logical,
                           as_matrix, as_numeric, as_raw, c, cbind, character, class_, dim, integer, length,
                           logical, matrix, numeric, raw, rbind, rep, seq, seq_along, seq_len)
from rtorch._rformat import NA_REAL_BITS, NA_real_, is_na_real
from tests._r_oracle import Sample, r_eval, r_to_numpy, robjects

SETTINGS = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow])


def examples(n):
    """n examples under the "ci" profile (60 per test), scaled with the loaded profile ("deep": 100x)."""
    return max(1, n * settings.default.max_examples // 60)
_DTYPE = {"double": np.float64, "integer": np.int32, "logical": np.bool_, "character": np.str_, "raw": np.uint8}

_CALL_SRC = """function(f, args) {
  w <- character(0)
  res <- withCallingHandlers(
    tryCatch(list(ok = TRUE, value = do.call(f, args)),
             error = function(e) list(ok = FALSE, value = conditionMessage(e))),
    warning = function(cond) { w <<- c(w, conditionMessage(cond)); invokeRestart("muffleWarning") })
  list(ok = res$ok, value = res$value, warnings = w, anyna = if (res$ok) anyNA(res$value) else FALSE)
}"""
_call = None


def r_call(fname, *args, **kwargs):
    """Call an R function; returns (ok, value, warnings, anyNA)."""
    global _call
    ro = robjects()
    if _call is None:
        _call = ro.r(_CALL_SRC)
    items = list(args) + list(kwargs.values())
    names = [""] * len(args) + list(kwargs)
    arglist = ro.r["list"](*[ro.NULL if v is None else v for v in items])
    arglist.names = ro.StrVector(names)
    res = _call(fname, arglist)
    ok = bool(res.rx2("ok")[0])
    return ok, res.rx2("value"), [str(w) for w in res.rx2("warnings")], bool(res.rx2("anyna")[0])


def py_call(fn, *args, **kwargs):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            value = fn(*args, **kwargs)
        except (ValueError, TypeError) as exc:
            return False, exc, [str(w.message) for w in caught]
    return True, value, [str(w.message) for w in caught]


def assert_same(py, r, check_warnings=False):
    """rtorch's outcome equals R's: same type/dims/values; R errors <-> rtorch raises;
    an NA that R puts in an integer/logical/character result <-> rtorch raises."""
    py_ok, py_value, py_warn = py
    r_ok, r_value, r_warn, r_anyna = r
    if not r_ok:
        assert not py_ok, f"R failed ({r_value[0]}) but rtorch returned {py_value!r}"
        return
    rtype = str(robjects().r["typeof"](r_value)[0])
    if rtype != "double" and r_anyna:
        assert not py_ok and "NA" in str(py_value), f"R gave NA in a {rtype} result; rtorch gave {py_value!r}"
        return
    assert py_ok, f"rtorch raised {py_value!r}; R gave {r_value!r}"
    if check_warnings:
        assert py_warn == r_warn
    if rtype == "NULL":
        assert py_value is None
        return
    _, expected = r_to_numpy(r_raw_as_integer(r_value) if rtype == "raw" else r_value)
    assert isinstance(py_value, np.ndarray), py_value
    assert py_value.dtype.type is _DTYPE[rtype], (py_value.dtype, rtype)
    assert py_value.shape == expected.shape
    if rtype == "double":
        assert np.array_equal(np.isnan(py_value), np.isnan(expected))
        assert np.array_equal(is_na_real(py_value), is_na_real(expected))
        ok = ~np.isnan(expected)
        assert np.array_equal(py_value[ok].view(np.uint64), expected[ok].view(np.uint64)), (py_value, expected)
    else:
        assert np.array_equal(py_value, expected), (py_value, expected)


def r_raw_as_integer(r_value):
    """An R raw vector/matrix/array as integers, dims kept (r_to_numpy reads no raw)."""
    return r_eval("function(x) { storage.mode(x) <- 'integer'; x }")(r_value)


def raw_pair(values, shape=None):
    """The same raw vector (matrix/array when shape) in rtorch (uint8) and in R."""
    ro = robjects()
    py = np.array(values, dtype=np.uint8).reshape(shape if shape is not None else (len(values),), order="F")
    r = ro.r["as.raw"](ro.IntVector(list(values)))
    return py, (r if shape is None else ro.r["array"](r, dim=ro.IntVector(list(shape))))


@pytest.fixture(scope="module", autouse=True)
def _r():
    robjects()


# ---------------------------------------------------------------- values as (python, R) pairs

def _fv(v):
    return robjects().FloatVector([v])


finite = st.one_of(st.integers(-50, 50).map(float), st.floats(-1e6, 1e6), st.sampled_from([0.1, 1 / 3, 1e5, 1e-20,
                                                                                           123456.7, 2.5, -0.0]))
scalar_pairs = st.one_of(
    finite.map(lambda v: (v, _fv(v))),
    st.integers(-1000, 1000).map(lambda v: (v, _fv(float(v)))),
    st.integers(-2 ** 31 + 1, 2 ** 31 - 1).map(lambda v: (as_integer(v), robjects().IntVector([v]))),
    st.booleans().map(lambda b: (b, robjects().BoolVector([b]))),
    st.text(alphabet="ab1.e+ -x", max_size=4).map(lambda s: (s, robjects().StrVector([s]))),
    st.builds(lambda: (NA, r_eval("NA"))),
    st.builds(lambda: (NaN, _fv(math.nan))),
    st.builds(lambda: (NA_real_, r_eval("NA_real_"))),
    st.builds(lambda: (Inf, _fv(math.inf))),
    st.integers(0, 255).map(lambda v: (np.uint8(v), raw_pair([v])[1])),
    st.just((None, None)),
)


@st.composite
def array_pairs(draw, shapes=st.one_of(st.none(), st.tuples(st.integers(0, 4), st.integers(0, 4))),
                types=("double", "integer", "logical", "character", "raw")):
    rtype = draw(st.sampled_from(types))
    shape = draw(shapes)
    n = int(np.prod(shape)) if shape is not None else draw(st.integers(0, 6))
    if rtype == "raw":
        return raw_pair(draw(st.lists(st.integers(0, 255), min_size=n, max_size=n)), shape)
    elem = {"double": st.one_of(finite, st.sampled_from([None, math.nan, math.inf])),
            "integer": st.integers(-10 ** 6, 10 ** 6),
            "logical": st.booleans(),
            "character": st.text(alphabet="abc12.", max_size=3)}[rtype]
    s = Sample(rtype, draw(st.lists(elem, min_size=n, max_size=n)), shape)
    return s.to_py(), s.to_r()


values = st.one_of(scalar_pairs, array_pairs())


# ---------------------------------------------------------------- c()

@settings(max_examples=examples(150), **SETTINGS)
@given(st.lists(values, max_size=5))
def test_c_matches_r(args):
    assert_same(py_call(c, *[a[0] for a in args]), r_call("c", *[a[1] for a in args]))


def test_c_examples():
    assert c() is None and c(None, None) is None
    assert c(1, 2).dtype == np.float64 and c(1, 2).tolist() == [1.0, 2.0]
    assert c(as_integer(1), TRUE).dtype == np.int32
    assert c(TRUE, FALSE).dtype == np.bool_
    assert c(1, "a").tolist() == ["1", "a"]
    assert c(matrix(seq(1, 4), 2, byrow=True)).tolist() == [1, 3, 2, 4]
    assert c([1, 2], (3,)).tolist() == [1.0, 2.0, 3.0]


def test_na_is_r_na_real_in_doubles_and_raises_elsewhere():
    x = c(1, NA)
    assert x.view(np.uint64)[1] == NA_REAL_BITS
    assert bool(robjects().r["is.na"](robjects().FloatVector(x))[1])
    assert r_eval("function(x) is.na(x) & !is.nan(x)")(robjects().FloatVector(c(NaN, NA)))[1]
    with pytest.raises(ValueError, match="NA in a integer vector.*as_numeric"):
        c(as_integer(1), NA)
    with pytest.raises(ValueError, match="NA in a logical vector"):
        c(NA)
    with pytest.raises(TypeError, match="missing value"):
        bool(NA)
    assert repr(NA) == "NA"
    assert math.isinf(Inf) and math.isnan(NaN) and TRUE is True and FALSE is False


# ---------------------------------------------------------------- seq family

num_arg = st.one_of(
    st.integers(-12, 12).map(lambda v: (float(v), _fv(float(v)))),
    st.sampled_from([0.5, -1.5, 2.25, 0.1, 1e-3, 10.0, 3.7]).map(lambda v: (v, _fv(v))),
    st.integers(-12, 12).map(lambda v: (as_integer(v), robjects().IntVector([v]))),
)
len_arg = st.one_of(
    st.integers(0, 9).map(lambda v: (float(v), _fv(float(v)))),
    st.sampled_from([2.5, 0.2]).map(lambda v: (v, _fv(v))),
    st.integers(0, 9).map(lambda v: (as_integer(v), robjects().IntVector([v]))),
)


@settings(max_examples=examples(300), **SETTINGS)
@given(st.fixed_dictionaries({}, optional={"from": num_arg, "to": num_arg, "by": num_arg,
                                           "length.out": len_arg,
                                           "along.with": st.integers(0, 5).map(
                                               lambda n: (np.zeros(n), robjects().FloatVector([0.0] * n)))}))
def test_seq_matches_r(args):
    py_names = {"from": "from_", "to": "to", "by": "by", "length.out": "length_out", "along.with": "along_with"}
    py = py_call(seq, **{py_names[k]: v[0] for k, v in args.items()})
    assert_same(py, r_call("seq", **{k: v[1] for k, v in args.items()}))


@settings(max_examples=examples(60), **SETTINGS)
@given(num_arg, num_arg)
def test_seq_positional_is_colon(a, b):
    assert_same(py_call(seq, a[0], b[0]), r_call("seq", a[1], b[1]))
    assert_same(py_call(seq, a[0]), r_call("seq", a[1]))


@pytest.mark.parametrize("src", ["2147483640:2147483647", "2147483640:2147483648", "-2147483640:-2147483648",
                                 "2147483640:2147483647.5", "3:1.5", "-0.5:2", "0:0", "5:1"])
def test_colon_integer_or_double_like_r(src):
    a, b = (float(s) for s in src.split(":"))
    assert_same(py_call(seq, a, b), (True, r_eval(src), [], False))


def test_seq_examples():
    assert seq(1, 9).dtype == np.int32 and seq(1, 9).tolist() == list(range(1, 10))
    assert seq(0, 1, by=0.1).dtype == np.float64
    assert seq_len(3).tolist() == [1, 2, 3] and seq_len(0).size == 0 and seq_len(2.5).tolist() == [1, 2]
    assert seq_along(c(5, 6, 7)).tolist() == [1, 2, 3]
    with pytest.raises(ValueError, match="non-negative"):
        seq_len(-1)
    with pytest.raises(ValueError, match="wrong sign"):
        seq(1, 5, by=-1)


# ---------------------------------------------------------------- rep, matrix, array, bind

count = st.one_of(st.integers(0, 4).map(lambda v: (float(v), _fv(float(v)))),
                  st.integers(0, 4).map(lambda v: (as_integer(v), robjects().IntVector([v]))))


@settings(max_examples=examples(150), **SETTINGS)
@given(array_pairs(), st.fixed_dictionaries({}, optional={
    "times": st.one_of(count, st.lists(st.integers(0, 3), min_size=1, max_size=6).map(
        lambda v: (as_integer(v), robjects().IntVector(v)))),
    "each": count, "length.out": count}))
def test_rep_matches_r(x, args):
    names = {"times": "times", "each": "each", "length.out": "length_out"}
    assert_same(py_call(rep, x[0], **{names[k]: v[0] for k, v in args.items()}),
                r_call("rep", x[1], **{k: v[1] for k, v in args.items()}))


@settings(max_examples=examples(150), **SETTINGS)
@given(array_pairs(), st.fixed_dictionaries({}, optional={"nrow": count, "ncol": count, "byrow": st.booleans().map(
    lambda b: (b, robjects().BoolVector([b])))}))
def test_matrix_matches_r(data, args):
    assert_same(py_call(matrix, data[0], **{k: v[0] for k, v in args.items()}),
                r_call("matrix", data[1], **{k: v[1] for k, v in args.items()}), check_warnings=True)


@settings(max_examples=examples(80), **SETTINGS)
@given(array_pairs(), st.lists(st.integers(0, 3), min_size=1, max_size=4))
def test_array_matches_r(data, dims):
    assert_same(py_call(array, data[0], dim=as_integer(dims)),
                r_call("array", data[1], dim=robjects().IntVector(dims)))
    assert_same(py_call(array, data[0]), r_call("array", data[1]))


bind_args = st.lists(st.one_of(
    array_pairs(shapes=st.none()),
    array_pairs(shapes=st.tuples(st.integers(0, 3), st.integers(0, 3))),
    st.just((None, None))), max_size=4)


@settings(max_examples=examples(150), **SETTINGS)
@given(bind_args, st.sampled_from(["cbind", "rbind"]))
def test_bind_matches_r(args, name):
    types = {str(robjects().r["typeof"](a[1])[0]) for a in args if a[1] is not None}
    assume(not (name == "rbind" and "raw" in types and types - {"raw", "character"}))
    fn = {"cbind": cbind, "rbind": rbind}[name]
    assert_same(py_call(fn, *[a[0] for a in args]), r_call(name, *[a[1] for a in args]), check_warnings=True)


def test_matrix_examples():
    m = matrix(seq(1, 9), ncol=3, byrow=True)
    assert m.dtype == np.int32 and m[0, :].tolist() == [1, 2, 3] and m[:, 0].tolist() == [1, 4, 7]
    assert matrix(seq(1, 6), nrow=2)[1, 2] == 6
    with pytest.raises(ValueError, match="NA in a logical"):
        matrix(nrow=2, ncol=2)
    assert is_na_real(matrix(numeric(0), 1, 2)).all()
    with pytest.warns(UserWarning, match=r"data length \[4\] is not a sub-multiple"):
        matrix(seq(1, 4), 2, 3)
    assert array(seq(1, 24), dim=c(2, 3, 4))[1, 2, 3] == 2 + 2 * 2 + 3 * 6
    assert as_matrix(c(1, 2)).shape == (2, 1)
    assert as_matrix(matrix(0, 2, 3)).shape == (2, 3)


# ---------------------------------------------------------------- coercion

numeric_text = st.one_of(
    st.sampled_from(["1.9", " 3 ", "1e3", "0x1A", "Inf", "-inf", "NaN", "NA", "abc", "", "  ", "infinity",
                     "1d5", "1.", ".5", "+5", "- 5", "0x1p3", "TRUE", "T", "false", "1e", "1e+", "-0",
                     "2147483647", "2147483648", "-2147483648", "1e10", "F", "yes"]),
    st.text(alphabet="0123456789.eE+- x", max_size=6))
coerce_pairs = st.one_of(values, st.lists(numeric_text, max_size=4).map(
    lambda v: (np.array(v, dtype=np.str_), robjects().StrVector(v))))


@settings(max_examples=examples(200), **SETTINGS)
@given(coerce_pairs, st.sampled_from(["as.integer", "as.numeric", "as.logical", "as.character", "as.raw"]))
def test_coercion_matches_r(x, name):
    fn = {"as.integer": as_integer, "as.numeric": as_numeric, "as.logical": as_logical,
          "as.character": as_character, "as.raw": as_raw}[name]
    assert_same(py_call(fn, x[0]), r_call(name, x[1]), check_warnings=name in ("as.numeric", "as.raw"))


def test_coercion_examples():
    assert as_integer(2).dtype == np.int32 and as_integer(2).tolist() == [2]
    assert as_integer(c(1.9, -1.9)).tolist() == [1, -1]
    assert as_double is as_numeric
    with pytest.raises(ValueError, match="NA"):
        as_integer(NaN)
    with pytest.raises(ValueError, match="NA"):
        as_logical("maybe")
    with pytest.warns(UserWarning, match="NAs introduced by coercion"):
        assert is_na_real(as_numeric("abc")).all()
    assert as_integer(matrix(0, 2, 2)).shape == (4,)


@pytest.mark.parametrize("fn, rname", [(numeric, "numeric"), (integer, "integer"), (logical, "logical"),
                                       (character, "character"), (raw, "raw")])
@pytest.mark.parametrize("n", [0, 3, 2.7])
def test_vector_constructors_match_r(fn, rname, n):
    assert_same(py_call(fn, n), r_call(rname, _fv(float(n))))


def test_vector_constructors_reject_bad_lengths():
    with pytest.raises(ValueError, match="invalid 'length'"):
        raw(-1)
    with pytest.raises(ValueError, match="invalid 'length'"):
        numeric(-1)
    with pytest.raises(ValueError, match="invalid 'length'"):
        integer("a")


# ---------------------------------------------------------------- dim, length, class

class FakeTensor:
    _r_class = ("torch_tensor", "R7")

    def __init__(self, arr):
        self._arr = np.asarray(arr)

    @property
    def shape(self):
        return self._arr.shape

    def numel(self):
        return self._arr.size

    def _to_r(self):
        return self._arr.astype(np.float64)


@settings(max_examples=examples(60), **SETTINGS)
@given(array_pairs(shapes=st.one_of(st.none(), st.tuples(st.integers(0, 3), st.integers(0, 3)),
                                    st.tuples(st.integers(0, 2), st.integers(0, 2), st.integers(0, 2)))))
def test_dim_length_class_match_r(x):
    ro = robjects()
    r_dim = ro.r["dim"](x[1])
    assert (dim(x[0]) is None) == (r_dim is ro.NULL)
    if dim(x[0]) is not None:
        assert dim(x[0]).dtype == np.int32 and dim(x[0]).tolist() == list(r_dim)
    assert length(x[0]) == ro.r["length"](x[1])[0]
    assert class_(x[0]).tolist() == list(ro.r["class"](x[1]))


def test_dim_length_class_of_tensors_and_python_values():
    t = FakeTensor(np.zeros((2, 3, 4)))
    assert dim(t).tolist() == [2, 3, 4] and dim(t).dtype == np.int32
    assert length(t) == 24
    assert class_(t) == ("torch_tensor", "R7")
    assert dim(FakeTensor(np.zeros(3))).tolist() == [3]
    assert c(t, 1).size == 25
    assert dim(5) is None and length(None) == 0 and length("abc") == 1 and length([1, 2]) == 2
    assert class_(None).tolist() == ["NULL"] and class_(2).tolist() == ["numeric"]
    assert class_(as_integer(2)).tolist() == ["integer"] and class_(len).tolist() == ["function"]
    with pytest.raises(TypeError, match="not an R atomic value"):
        c(object())
    with pytest.raises(TypeError, match="complex"):
        c(np.array([1j]))


# ---------------------------------------------------------------- raw (uint8: as_array() of a Byte tensor)

@pytest.mark.parametrize("py, r_src", [
    (c(-1, 256, NA, 3.7, 255.9, -0.5), "c(-1, 256, NA, 3.7, 255.9, -0.5)"),
    (["ab", "1e10", "3.7", " 7 ", "", "TRUE"], "c('ab', '1e10', '3.7', ' 7 ', '', 'TRUE')"),
    ([True, NA, False], "c(TRUE, NA, FALSE)"), (as_raw(c(3, 200)), "as.raw(c(3, 200))"), (None, "NULL"),
    (matrix(seq(1, 4), 2), "matrix(1:4, 2)"), (2.0 ** 31, "2^31"), (as_integer(c(16, 255)), "c(16L, 255L)"),
])
def test_as_raw_values_and_warnings_match_r(py, r_src):
    assert_same(py_call(as_raw, py), r_call("as.raw", r_eval(r_src)), check_warnings=True)


def test_raw_examples():
    x = as_raw(c(1, 255, 0, 16))
    assert x.dtype == np.uint8 and x.tolist() == [1, 255, 0, 16]
    assert class_(x).tolist() == ["raw"] and class_(np.uint8(3)).tolist() == ["raw"]
    assert class_(matrix(x, 2)).tolist() == ["matrix", "array"]
    assert as_character(x).tolist() == ["01", "ff", "00", "10"]
    assert as_logical(x).tolist() == [True, True, False, True]
    assert as_integer(x).dtype == np.int32 and as_numeric(x).dtype == np.float64
    assert c(x, TRUE).dtype == np.bool_ and c(x, as_integer(2)).dtype == np.int32
    assert c(x, 2.5).dtype == np.float64 and c(x, "a").tolist()[-2:] == ["10", "a"]
    assert c(x, x).dtype == np.uint8 and length(x) == 4
    assert raw(3).tolist() == [0, 0, 0] and raw(3).dtype == np.uint8
    assert rep(raw(0), length_out=2).tolist() == [0, 0] and matrix(raw(0), 2, 2).dtype == np.uint8
    with pytest.warns(UserWarning, match="out-of-range values treated as 0 in coercion to raw"):
        assert as_raw(c(-1, NA, 7)).tolist() == [0, 0, 7]
    for bad in (lambda: seq_len(np.uint8(3)), lambda: matrix(1, nrow=np.uint8(2)), lambda: numeric(np.uint8(2)),
                lambda: seq(np.uint8(1), 3), lambda: rep(1, each=np.uint8(2))):
        with pytest.raises(ValueError):
            bad()


def test_raw_from_a_byte_tensor_is_r_raw():
    from rtorch import as_array, torch_tensor, torch_uint8
    a = as_array(torch_tensor(matrix(c(1, 2, 254, 255), 2), dtype=torch_uint8()))
    r = raw_pair([1, 2, 254, 255], (2, 2))[1]
    assert class_(a).tolist() == list(robjects().r["class"](r))
    assert_same(py_call(as_character, a), r_call("as.character", r))
    assert_same(py_call(c, a, TRUE), r_call("c", r, robjects().BoolVector([True])))
