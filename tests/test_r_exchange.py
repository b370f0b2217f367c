"""Tensors to and from a real embedded R (rpy2): R itself is the oracle for types, placement and bits."""
import sys

import numpy as np
import pytest
from hypothesis import given, strategies as st

from rtorch import (Tensor, as_array, torch_bool, torch_double, torch_float, torch_int, torch_long,
                    torch_tensor)
from rtorch._tensor import wrap
from tests import strategies as S
from tests._require import require

INT_MAX = 2147483647
NA_REAL = float(np.array([0x7FF00000000007A2], dtype=np.uint64).view(np.float64)[0])  # R's NA_real_


@pytest.fixture(scope="module")
def rr():
    require("rpy2.robjects")
    return require("rtorch.r")


@pytest.fixture(scope="module")
def R(rr):
    """R functions the tests call: `identical` bit for bit, random data with R's specials, R indexing."""
    ro = require("rpy2.robjects")
    src = {
        "same": "function(x, y) identical(x, y, num.eq = FALSE, single.NA = FALSE)",
        # random values of an R type; `dims` NULL gives a plain vector of length n
        "sample": """function(type, n, dims, seed) {
            set.seed(seed)
            pool <- switch(type,
              double = c(rnorm(20), NA, NaN, Inf, -Inf, -0, 0, .Machine$double.xmax, 4.9e-324, 1e300),
              integer = c(-2147483647L, 2147483647L, 0L, -1L, sample.int(1000L, 20) - 500L),
              logical = c(TRUE, FALSE))
            v <- pool[sample.int(length(pool), n, replace = TRUE)]
            if (is.null(dims)) v else array(v, dims)
        }""",
        # every element of x in the order of a row-major walk over its dims, by R's own indexing
        "row_major": """function(x) {
            d <- if (is.null(dim(x))) length(x) else dim(x)
            if (prod(d) == 0) return(x[0])
            idx <- as.matrix(rev(expand.grid(lapply(rev(d), seq_len))))
            if (length(d) == 1) x[idx[, 1]] else x[idx]
        }""",
        "bits": "function(x) writeBin(x, raw())",
    }
    return {name: ro.r(code) for name, code in src.items()}


def rnull():
    return require("rpy2.robjects").NULL


def ivec(*v):
    return require("rpy2.robjects").IntVector(list(v))


def r(code):
    return require("rpy2.robjects").r(code)


# ---- round trips: every R type, ranks 0-5, empty and not ------------------------------------------

# an int: a plain vector of that length (no dim); a tuple: the dim of an array
DIMS = [0, 1, 9, (0,), (1,), (7,), (3, 4), (0, 3), (2, 3, 4), (2, 0, 3), (2, 3, 1, 2), (1, 2, 3, 2, 2),
        (2, 2, 0, 1, 2)]


@pytest.mark.parametrize("dims", DIMS, ids=str)
@pytest.mark.parametrize("rtype, dtype", [("double", torch_double), ("integer", torch_long),
                                          ("logical", torch_bool)])
@pytest.mark.parametrize("seed", [1, 2])
def test_r_tensor_r_is_identical(rr, R, rtype, dtype, dims, seed):
    plain = isinstance(dims, int)
    n = dims if plain else int(np.prod(dims))
    x = R["sample"](rtype, n, rnull() if plain else ivec(*dims), seed)
    t = torch_tensor(x, dtype=dtype())
    assert t.shape == ((n,) if plain else dims)
    y = rr.as_r(t)
    expected = x if plain or len(dims) > 1 else r("as.vector")(x)  # as_array drops a 1-d dim
    assert R["same"](y, expected)[0], (x, y)
    # every element sits where R's indexing puts it
    np.testing.assert_array_equal(t._data.reshape(-1), np.asarray(R["row_major"](x)).astype(t._data.dtype))


@pytest.mark.parametrize("code, dtype", [
    ("c(1.5, NA, NaN, -0, Inf)", "Float"), ("c(-2147483647L, 2147483647L)", "Long"), ("c(TRUE, FALSE)", "Bool"),
    ("matrix(as.double(1:6), 2)", "Float"), ("array(1:24, 2:4)", "Long"), ("numeric(0)", "Float"),
    ("logical(0)", "Bool"), ("1:10", "Long")])
def test_torch_tensor_follows_r_torch_dtype_rules(rr, code, dtype):
    t = torch_tensor(r(code))
    assert t.dtype.name == dtype
    with np.errstate(invalid="ignore"):  # R's NA is a signalling NaN
        np.testing.assert_array_equal(t._data, rr.r_to_numpy(r(code)).astype(t._data.dtype))


def test_r_to_numpy_types_and_placement(rr):
    a = rr.r_to_numpy(r("array(as.double(1:24), 2:4)"))
    assert a.dtype == np.float64 and a.shape == (2, 3, 4) and a.flags.c_contiguous
    assert a[1, 2, 3] == r("array(as.double(1:24), 2:4)[2, 3, 4]")[0]
    m = rr.r_to_numpy(r("matrix(c(TRUE, FALSE, FALSE, TRUE, TRUE, FALSE), 2)"))
    assert m.dtype == np.bool_ and m.tolist() == [[True, False, True], [False, True, False]]
    assert rr.r_to_numpy(r("array(5:7)")).shape == (3,)
    assert rr.r_to_numpy(r("c(a = 1L, b = 2L)")).dtype == np.int32


def test_rank0_tensor_gives_length_one_vector(rr, R):
    for value, dtype, code in [(2.5, torch_double, "2.5"), (7, torch_long, "7L"), (True, torch_bool, "TRUE")]:
        t = torch_tensor(np.array(value, dtype=dtype().numpy))
        assert t.ndim == 0
        assert R["same"](rr.as_r(t), r(code))[0]


def test_na_bits_kept_in_double_and_lost_in_float(rr, R):
    x = r("c(NA, NaN, 1, -0)")
    d = torch_tensor(x, dtype=torch_double())
    assert bytes(R["bits"](rr.as_r(d))) == bytes(R["bits"](x))
    f = torch_tensor(x)
    back = rr.as_r(f)
    assert list(r("function(y) is.nan(y)")(back)) == [True, True, False, False]
    assert np.signbit(np.asarray(back)[3])


def test_long_and_float_tensors_go_back_as_r_types(rr):
    t = torch_tensor(np.array([[1, 2, 3], [4, 5, 6]], dtype=np.int64))
    y = rr.as_r(t)
    assert r("function(y) typeof(y)")(y)[0] == "integer"
    assert list(r("function(y) dim(y)")(y)) == [2, 3]
    assert r("function(y) y[2, 3]")(y)[0] == 6
    for dtype, rtype in [(torch_float, "double"), (torch_int, "integer"), (torch_bool, "logical")]:
        assert r("function(y) typeof(y)")(rr.as_r(torch_tensor(np.ones(3), dtype=dtype())))[0] == rtype


def test_complex_tensors_go_back_as_r_complex(rr, R):
    t = wrap(np.array([[complex(1, 2), complex(0, -0.5)], [3, np.nan]]))
    assert R["same"](rr.as_r(t), r("matrix(complex(real = c(1, 3, 0, NaN), imaginary = c(2, 0, -0.5, 0)), 2)"))[0]


# ---- errors instead of silent changes -------------------------------------------------------------

@pytest.mark.parametrize("code, where", [("c(1L, 2L, NA)", "element 3 "), ("c(TRUE, NA)", "element 2 "),
                                         ("matrix(c(1L, 2L, 3L, NA), 2)", "element 4 (x[2, 2])")])
def test_na_in_integer_or_logical_names_position_and_fix(rr, code, where):
    with pytest.raises(ValueError) as err:
        torch_tensor(r(code))
    assert where in str(err.value) and "as.double" in str(err.value)


@pytest.mark.parametrize("value", [INT_MAX + 1, -INT_MAX - 1, 2 ** 40])
def test_long_out_of_r_integer_range_names_value(rr, value):
    t = torch_tensor(np.array([0, value], dtype=np.int64))
    with pytest.raises(OverflowError) as err:
        rr.as_r(t)
    assert str(value) in str(err.value) and "torch_double()" in str(err.value)


def test_int_tensor_holding_na_integer_refused(rr):
    with pytest.raises(OverflowError):
        rr.as_r(torch_tensor(np.array([np.iinfo(np.int32).min], dtype=np.int32), dtype=torch_int()))


@pytest.mark.parametrize("code, name", [("c(1i, 2)", "complex"), ("c('a', 'b')", "character"),
                                        ("list(1, 2)", "list"), ("factor(c('a', 'b'))", "factor"),
                                        ("data.frame(a = 1:2)", "data.frame"), ("NULL", "NULL")])
def test_unsupported_r_types_raise_type_error_naming_them(rr, code, name):
    with pytest.raises(TypeError, match=name.replace(".", r"\.")):
        torch_tensor(r(code))


def test_as_r_refuses_non_tensors(rr):
    with pytest.raises(TypeError, match="tensor"):
        rr.as_r(np.zeros(3))


# ---- layouts --------------------------------------------------------------------------------------

def test_strided_views_and_large_arrays(rr, R):
    base = np.random.default_rng(0).standard_normal((60, 50, 40))
    for view in [base, base[::2, ::-1, 3:30:4], base.transpose(2, 0, 1), base[:, 7, :]]:
        y = rr.as_r(wrap(view))
        np.testing.assert_array_equal(np.asarray(R["row_major"](y)), view.reshape(-1))
        assert tuple(r("dim")(y)) == view.shape
        back = rr.r_to_numpy(y)
        assert back.flags.c_contiguous
        np.testing.assert_array_equal(back, view)


class _FakeCuda:
    """Stands for a CuPy array: as_r must move it with .get() instead of reading it."""

    def __init__(self, arr):
        self._arr, self.dtype, self.shape, self.ndim = arr, arr.dtype, arr.shape, arr.ndim

    def get(self):
        return self._arr


def test_cuda_tensors_move_to_cpu(rr, R):
    t = wrap(_FakeCuda(np.arange(6.0).reshape(2, 3)))
    assert R["same"](rr.as_r(t), r("matrix(c(0, 3, 1, 4, 2, 5), 2)"))[0]


# ---- the rpy2 converter ---------------------------------------------------------------------------

def test_converter_in_rpy2_conventions(rr, R):
    ro = require("rpy2.robjects")
    t = torch_tensor(np.arange(24, dtype=np.float64).reshape(2, 3, 4), dtype=torch_double())
    with (ro.default_converter + rr.converter).context():
        ro.globalenv["t_from_py"] = t
        back = ro.r("t_from_py * 2")
        ints = ro.r("matrix(1:6, 2)")
        flags = ro.r("c(TRUE, FALSE)")
        fac = ro.r("factor(c('a', 'b'))")
        chars = ro.r("letters[1:2]")
    assert R["same"](ro.globalenv["t_from_py"], rr.as_r(t))[0]
    assert isinstance(back, Tensor) and back.dtype == torch_double()
    np.testing.assert_array_equal(back._data, t._data * 2)
    assert ints.dtype == torch_long() and ints._data.tolist() == [[1, 3, 5], [2, 4, 6]]
    assert flags.dtype == torch_bool()
    assert not isinstance(fac, Tensor) and list(fac.levels) == ["a", "b"]
    assert not isinstance(chars, Tensor)


def test_import_without_rpy2_says_what_to_install(monkeypatch):
    import importlib
    monkeypatch.setitem(sys.modules, "rpy2", None)
    for name in [m for m in sys.modules if m.startswith("rpy2.") or m == "rtorch.r"]:
        monkeypatch.delitem(sys.modules, name)
    with pytest.raises(ImportError) as err:
        importlib.import_module("rtorch.r")
    assert "pip install 'rtorch[r]'" in str(err.value) and "apt-get install r-base-core" in str(err.value)


# ---- properties -----------------------------------------------------------------------------------

@given(case=S.cases())
def test_as_r_matches_as_array_everywhere(rr, R, case):
    t = case.rt()
    if t.dtype.category == 1 and t._data.size and (t._data.min() < -INT_MAX or t._data.max() > INT_MAX):
        with pytest.raises(OverflowError):
            rr.as_r(t)
        return
    y = rr.as_r(t)
    expected = as_array(t)
    if t.ndim < 2:
        assert r("function(y) is.null(dim(y))")(y)[0]
    else:
        assert tuple(r("dim")(y)) == t.shape
    got = np.asarray(R["row_major"](y))
    assert got.dtype == (np.int32 if expected.dtype == np.bool_ else expected.dtype)
    np.testing.assert_array_equal(got.astype(expected.dtype), expected.reshape(-1))
    if expected.dtype == np.float64:
        assert got.view(np.uint64).tolist() == expected.reshape(-1).view(np.uint64).tolist()
    np.testing.assert_array_equal(rr.r_to_numpy(y), expected.reshape(t.shape) if t.ndim else expected)


_R_TYPES = {"double": (np.float64, torch_double), "integer": (np.int32, torch_long),
            "logical": (np.bool_, torch_bool)}


@st.composite
def r_values(draw):
    rtype = draw(st.sampled_from(sorted(_R_TYPES)))
    shape = draw(S.shapes(min_rank=1, max_rank=5))
    np_dtype = _R_TYPES[rtype][0]
    if rtype == "double":
        elems = st.one_of(st.floats(width=64), st.just(NA_REAL))
    elif rtype == "integer":
        elems = st.integers(-INT_MAX, INT_MAX)
    else:
        elems = st.booleans()
    flat = draw(st.lists(elems, min_size=int(np.prod(shape)), max_size=int(np.prod(shape))))
    with_dim = len(shape) > 1 or draw(st.booleans())
    return rtype, np.array(flat, dtype=np_dtype), shape, with_dim


@given(value=r_values())
def test_r_values_survive_round_trip(rr, R, value):
    ro = require("rpy2.robjects")
    rtype, flat, shape, with_dim = value
    vec = {"double": ro.FloatVector, "integer": ro.IntVector, "logical": ro.BoolVector}[rtype](flat.tolist())
    if rtype == "double":  # carry the exact bits (NA's payload, -0) into R
        np.asarray(vec)[:] = flat
    x = r("array")(vec, dim=ivec(*shape)) if with_dim else vec
    t = torch_tensor(x, dtype=_R_TYPES[rtype][1]())
    np.testing.assert_array_equal(t._data, flat.reshape(shape, order="F"))
    expected = x if len(shape) > 1 else r("as.vector")(x)
    assert R["same"](rr.as_r(t), expected)[0]


@given(case=S.cases(dtype="Double"))
def test_relayout_copies_any_strides(rr, case):
    src = case.array()
    for dst in (np.empty(src.shape), np.empty(src.shape[::-1]).T):
        rr._relayout(dst, src)
        assert dst.tobytes(order="C") == np.ascontiguousarray(src).tobytes()


@pytest.mark.parametrize("threads", [1, 3])
def test_relayout_tiles_large_arrays(rr, monkeypatch, threads):
    monkeypatch.setattr(rr, "_TILE", 64)
    monkeypatch.setattr(rr, "_RUN", 4)
    monkeypatch.setattr(rr, "_THREADS", threads)
    monkeypatch.setattr(rr, "_PARALLEL_BYTES", 0)
    rr._pool.cache_clear()
    src = np.arange(7 * 9 * 11 * 3, dtype=np.float64).reshape(7, 9, 11, 3)
    for view in (src, src.T, src[::2, :, ::-3]):
        dst = np.empty(view.shape[::-1]).T
        rr._relayout(dst, view)
        np.testing.assert_array_equal(dst, view)


def test_child_processes_keep_their_own_libraries(rr):
    """rpy2 prepends R's library folders to LD_LIBRARY_PATH when R starts; rtorch.r takes them off, so a
    child Python loads its own libpython (and finds its packages)."""
    import os
    import subprocess
    from rpy2.rinterface_lib import openrlib
    assert not os.environ.get("LD_LIBRARY_PATH", "").startswith(openrlib.LD_LIBRARY_PATH + ":")
    child = subprocess.run([sys.executable, "-c", "import numpy, rtorch"], capture_output=True, text=True,
                           timeout=120)
    assert child.returncode == 0, child.stderr
