"""R-base helpers with R semantics, returning NumPy arrays typed as R types them.

R double -> float64, integer -> int32, logical -> bool, character -> str, raw -> uint8.  A 1-d array is an
R vector without ``dim``; a 2-d array element ``[i, j]`` is R's ``m[i+1, j+1]``, and R's
column-major order of elements is NumPy's ``order="F"``.

Porting rules: a Python ``int`` or ``float`` given to these helpers is an R double (R's
literal ``2``); ``as_integer(2)`` is R's ``2L``; ``True``/``False`` are logicals; ``None``
is ``NULL``.  NumPy integer arrays (int64 included, e.g. from tensors) are integers, except
uint8 arrays (``as_array()`` of a Byte tensor), which are R raw vectors.
Objects with a ``_to_r()`` method (tensors) stand for the array it returns; a tuple flagged
``_r_integer`` (``t$size()``) is an integer vector.

``NA`` is a sentinel: in a double context it becomes R's ``NA_real_`` (a NaN carrying R's
payload 1954, so it is still NA when sent to R); NumPy cannot hold NA in int32/bool/str
arrays, so an NA that would land in an integer, logical or character result raises
``ValueError``.
"""
import math
import re
import warnings

import numpy as np

from ._devices import torch_device
from ._rformat import NA_real_, is_na_real, real_to_character

__all__ = [
    "NA", "NA_real_", "NaN", "Inf", "TRUE", "FALSE",
    "c", "rbind", "cbind", "matrix", "array", "seq", "seq_len", "seq_along", "rep",
    "numeric", "integer", "logical", "character", "raw",
    "as_integer", "as_raw", "as_numeric", "as_double", "as_logical", "as_character", "as_matrix",
    "dim", "length", "class_",
]

TRUE = True
FALSE = False
NaN = float("nan")
Inf = float("inf")

RAW, LOGICAL, INTEGER, DOUBLE, CHARACTER = "raw", "logical", "integer", "double", "character"
_RANK = {RAW: 0, LOGICAL: 1, INTEGER: 2, DOUBLE: 3, CHARACTER: 4}
_WORK_DTYPE = {RAW: np.uint8, LOGICAL: np.bool_, INTEGER: np.int64, DOUBLE: np.float64, CHARACTER: object}
_CLASS_NAME = {RAW: "raw", LOGICAL: "logical", INTEGER: "integer", DOUBLE: "numeric", CHARACTER: "character"}
_NOT_NUMBERS = (CHARACTER, RAW)
_INT_MAX = 2**31 - 1
_FLT_EPSILON = 1.1920928955078125e-07
_DBL_EPSILON = 2.220446049250313e-16
_R_XLEN_T_MAX = 2.0**52


class _NAType:
    """R's ``NA``: a logical NA that takes the type of the vector it joins."""

    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self):
        return "NA"

    def __bool__(self):
        raise TypeError("missing value where TRUE/FALSE needed (NA has no truth value)")

    def __reduce__(self):
        return "NA"


NA = _NAType()


class _RVec:
    """Working form of an R atomic vector: values, NA mask (non-doubles), dim."""

    __slots__ = ("type", "values", "na", "dim")

    def __init__(self, rtype, values, na=None, dim=None):
        self.type = rtype
        self.values = np.asarray(values, dtype=_WORK_DTYPE[rtype]).ravel()
        self.na = None if na is None or not np.any(na) else np.asarray(na, dtype=bool).ravel()
        self.dim = None if dim is None else tuple(int(d) for d in dim)

    def __len__(self):
        return self.values.size

    def na_mask(self):
        if self.type == DOUBLE:
            return is_na_real(self.values)
        return np.zeros(self.values.size, dtype=bool) if self.na is None else self.na


class NamedList(list):
    """An R list that keeps its names beside its values (`names(x)`), where the values must stay a Python
    list: `optimizer$param_groups[[1]]$params` holds the named parameters R torch's optimizers keep, and
    code that loops over them still sees the tensors. `rprint()` prints it as R's named list."""

    def __init__(self, values=(), names=None):
        super().__init__(values)
        self.names = list(names) if names is not None else [""] * len(self)

    def items(self):
        return list(zip(self.names, self))


def _is_r_object(x):
    return hasattr(x, "_to_r")


def _array_to_rvec(x, int_type, masked=None):
    kind = x.dtype.kind
    dim = x.shape if x.ndim >= 2 else None
    flat = x.ravel(order="F")
    na = None if masked is None else np.asarray(masked).ravel(order="F")
    if kind == "b":
        return _RVec(LOGICAL, flat, na, dim)
    if x.dtype == np.uint8:
        if na is not None and na.any():
            raise ValueError("R raw vectors have no NA")
        return _RVec(RAW, flat, None, dim)
    if kind in "iu":
        if flat.size and kind == "u" and flat.max() > np.iinfo(np.int64).max:
            raise ValueError("unsigned integer values too large for an R integer")
        return _RVec(INTEGER, flat.astype(np.int64), na, dim)
    if kind == "f":
        values = flat.astype(np.float64)
        if na is not None:
            values[na] = NA_real_
        return _RVec(DOUBLE, values, None, dim)
    if kind in "US":
        strings = [s.decode("utf-8") if isinstance(s, bytes) else str(s) for s in flat.tolist()]
        return _RVec(CHARACTER, np.array(strings, dtype=object), na, dim)
    if kind == "O":
        parts = [_to_rvec(v, int_type) for v in flat.tolist()]
        if any(p is None or len(p) != 1 for p in parts):
            raise ValueError("an object array must hold one scalar R value per element")
        out = _combine(parts) if parts else _RVec(LOGICAL, [])
        out.dim = dim
        return out
    raise TypeError(f"NumPy arrays of dtype {x.dtype} have no R type (R vectors are "
                    "raw, logical, integer, double or character)")


def _to_rvec(x, int_type=DOUBLE, allow_masked=False):
    """Convert a Python/NumPy value to an _RVec; None (NULL) stays None."""
    if x is None:
        return None
    if x is NA:
        return _RVec(LOGICAL, [False], [True])
    if isinstance(x, (bool, np.bool_)):
        return _RVec(LOGICAL, [bool(x)])
    if isinstance(x, int):
        if int_type == INTEGER and -_INT_MAX <= x <= _INT_MAX:
            return _RVec(INTEGER, [x])
        return _RVec(DOUBLE, [float(x)])
    if isinstance(x, (float, np.floating)):
        return _RVec(DOUBLE, [float(x)])
    if isinstance(x, np.uint8):
        return _RVec(RAW, [x])
    if isinstance(x, np.integer):
        return _RVec(INTEGER, [int(x)])
    if isinstance(x, (str, np.str_)):
        return _RVec(CHARACTER, np.array([str(x)], dtype=object))
    if isinstance(x, np.ma.MaskedArray):
        if not allow_masked:
            raise TypeError("masked arrays are accepted only by rprint() and cat()")
        return _array_to_rvec(np.ma.getdata(x), int_type, np.ma.getmaskarray(x))
    if _is_r_object(x):
        x = x._to_r()
        if not isinstance(x, np.ndarray):
            return _to_rvec(x, int_type)
    if isinstance(x, np.ndarray):
        return _array_to_rvec(x, int_type)
    if isinstance(x, (list, tuple)):
        if getattr(x, "_r_integer", False):
            return _RVec(INTEGER, x)
        out = _combine([_to_rvec(v, int_type, allow_masked) for v in x])
        return out if out is not None else _RVec(LOGICAL, [])
    raise TypeError(f"an object of type '{type(x).__name__}' is not an R atomic value")


def _coerce(v, to):
    """R's coercion up the raw < logical < integer < double < character ladder."""
    if v.type == to:
        return v
    if _RANK[to] < _RANK[v.type]:
        raise AssertionError("_coerce only goes up")
    if to == LOGICAL:
        return _RVec(LOGICAL, v.values != 0, None, v.dim)
    if to == INTEGER:
        return _RVec(INTEGER, v.values.astype(np.int64), v.na, v.dim)
    if to == DOUBLE:
        values = v.values.astype(np.float64)
        if v.na is not None:
            values[v.na] = NA_real_
        return _RVec(DOUBLE, values, None, v.dim)
    na = v.na_mask()
    if v.type == DOUBLE:
        strings = [real_to_character(f) for f in v.values.tolist()]
    elif v.type == INTEGER:
        strings = [str(i) for i in v.values.tolist()]
    elif v.type == RAW:
        strings = ["%02x" % b for b in v.values.tolist()]
    else:
        strings = ["TRUE" if b else "FALSE" for b in v.values.tolist()]
    return _RVec(CHARACTER, np.array(strings, dtype=object), na, v.dim)


def _common_type(vecs):
    return max((v.type for v in vecs), key=_RANK.__getitem__)


def _combine(vecs):
    """R's c() on already-converted pieces (NULLs dropped); dims are dropped."""
    vecs = [v for v in vecs if v is not None]
    if not vecs:
        return None
    rtype = _common_type(vecs)
    vecs = [_coerce(v, rtype) for v in vecs]
    values = np.concatenate([v.values for v in vecs]) if vecs else []
    na = None
    if any(v.na is not None for v in vecs):
        na = np.concatenate([v.na_mask() for v in vecs])
    return _RVec(rtype, values, na)


def _finish(v, what):
    """An _RVec as the R-typed NumPy array it stands for."""
    if v.na is not None and v.type != DOUBLE and v.na.any():
        raise ValueError(
            f"{what}: NA in a {v.type} vector; rtorch's R-typed arrays hold NA only in doubles "
            "(use as_numeric(), or NA_real_, to get a double vector)")
    if v.type == INTEGER:
        if v.values.size and (v.values.min() < -_INT_MAX or v.values.max() > _INT_MAX):
            raise ValueError(f"{what}: value outside R's integer range (+/-{_INT_MAX}); "
                             "use as_numeric() for a double vector")
        out = v.values.astype(np.int32)
    elif v.type == CHARACTER:
        out = np.array(v.values.tolist(), dtype=np.str_) if v.values.size else np.array([], dtype=np.str_)
    else:
        out = v.values.copy()
    if v.dim is not None:
        out = out.reshape(v.dim, order="F")
    return out


def _scalar(x, what, allow_na=False):
    """A length-1 argument as (value, is_integer_like)."""
    v = _to_rvec(x)
    if v is None or len(v) == 0:
        raise ValueError(f"'{what}' must be of length 1, got a zero-length value")
    if len(v) > 1:
        raise ValueError(f"'{what}' must be of length 1, got length {len(v)}")
    if v.type == CHARACTER:
        v = _coerce_down(v, DOUBLE, what)
    if v.type == RAW:
        raise ValueError(f"'{what}' must be a number, not raw")
    if v.na is not None and v.na.any():
        if allow_na:
            return None, v.type in (LOGICAL, INTEGER)
        raise ValueError(f"'{what}' must not be NA")
    value = v.values[0]
    return (float(value) if v.type == DOUBLE else int(value)), v.type in (LOGICAL, INTEGER)


def _count(x, what):
    """A non-negative length argument (R's asVecSize): doubles are truncated."""
    v = _to_rvec(x)
    if v is None or len(v) != 1 or v.type in _NOT_NUMBERS:
        raise ValueError(f"invalid '{what}' argument: need one non-negative number")
    value = float(v.values[0]) if not (v.na is not None and v.na.any()) else math.nan
    if math.isnan(value) or value < 0 or math.isinf(value):
        raise ValueError(f"invalid '{what}' argument: need one non-negative number, got {x!r}")
    return int(value)


# ---------------------------------------------------------------- constructors

def c(*args):
    """R's ``c()``: flatten (column-major) and coerce to the highest type; ``c()`` is NULL."""
    v = _combine([_to_rvec(a) for a in args])
    return None if v is None else _finish(v, "c()")


def _zeros(rtype, n, what):
    n = _count(n, what)
    return _finish(_RVec(rtype, np.zeros(n, dtype=_WORK_DTYPE[rtype]) if rtype != CHARACTER
                         else np.array([""] * n, dtype=object)), what)


def numeric(length=0):
    """R's ``numeric(n)``: n double zeros."""
    return _zeros(DOUBLE, length, "length")


def integer(length=0):
    """R's ``integer(n)``: n integer zeros (int32)."""
    return _zeros(INTEGER, length, "length")


def logical(length=0):
    """R's ``logical(n)``: n FALSE values."""
    return _zeros(LOGICAL, length, "length")


def character(length=0):
    """R's ``character(n)``: n empty strings."""
    return _zeros(CHARACTER, length, "length")


def raw(length=0):
    """R's ``raw(n)``: n zero bytes (uint8)."""
    return _zeros(RAW, length, "length")


def _na_filled(rtype, n):
    """n NAs of rtype (zero bytes for raw, which has no NA)."""
    if rtype == RAW:
        return _RVec(RAW, np.zeros(n, dtype=np.uint8))
    if rtype == DOUBLE:
        return _RVec(DOUBLE, np.full(n, NA_real_))
    if rtype == CHARACTER:
        return _RVec(CHARACTER, np.array([""] * n, dtype=object), np.ones(n, dtype=bool))
    return _RVec(rtype, np.zeros(n, dtype=_WORK_DTYPE[rtype]), np.ones(n, dtype=bool))


def _recycle(v, n):
    """v's elements recycled to length n (NA-filled when v is empty)."""
    if len(v) == 0:
        return _na_filled(v.type, n)
    idx = np.arange(n) % len(v)
    return _RVec(v.type, v.values[idx], None if v.na is None else v.na[idx])


def _extent(x, what):
    v = _to_rvec(x)
    if v is None or len(v) == 0 or v.type in _NOT_NUMBERS:
        raise ValueError(f"matrix(): non-numeric matrix extent '{what}'")
    value = math.nan if v.na_mask()[0] else float(v.values[0])
    if math.isnan(value) or abs(value) >= _INT_MAX + 1.0:
        raise ValueError(f"matrix(): invalid '{what}' value (too large or NA)")
    if value <= -1:
        raise ValueError(f"matrix(): invalid '{what}' value (< 0)")
    return int(value)


def _data_vec(data, what):
    v = _to_rvec(data)
    if v is None:
        raise TypeError(f"{what}: 'data' must be of a vector type, was 'NULL'")
    return v


def matrix(data=NA, nrow=None, ncol=None, byrow=False):
    """R's ``matrix()``: fills by column unless ``byrow``, recycling ``data`` (with R's warnings)."""
    v = _data_vec(data, "matrix()")
    lendat = len(v)
    nr = None if nrow is None else _extent(nrow, "nrow")
    nc = None if ncol is None else _extent(ncol, "ncol")
    if nr is None and nc is None:
        nr, nc = lendat, 1
    elif nr is None:
        if lendat > 0 and nc == 0:
            raise ValueError("matrix(): data is too long (ncol = 0 with non-empty data)")
        nr = 0 if nc == 0 else math.ceil(lendat / nc)
    elif nc is None:
        if lendat > 0 and nr == 0:
            raise ValueError("matrix(): data is too long (nrow = 0 with non-empty data)")
        nc = 0 if nr == 0 else math.ceil(lendat / nr)
    nrc = nr * nc
    if lendat > 1 and nrc % lendat != 0:
        if (lendat > nr and (lendat // nr) * nr != lendat) or (lendat < nr and (nr // lendat) * lendat != nr):
            warnings.warn(f"data length [{lendat}] is not a sub-multiple or multiple of the number of rows [{nr}]",
                          stacklevel=2)
        elif (lendat > nc and (lendat // nc) * nc != lendat) or (lendat < nc and (nc // lendat) * lendat != nc):
            warnings.warn(f"data length [{lendat}] is not a sub-multiple or multiple of the number of columns [{nc}]",
                          stacklevel=2)
        elif nrc != lendat:
            warnings.warn(f"data length differs from size of matrix: [{lendat} != {nr} x {nc}]", stacklevel=2)
    elif lendat > 1 and nrc == 0:
        warnings.warn("non-empty data for zero-extent matrix", stacklevel=2)
    filled = _recycle(v, nrc)
    if byrow:
        order = np.arange(nrc).reshape((nr, nc)).ravel(order="F")
        filled = _RVec(filled.type, filled.values[order], None if filled.na is None else filled.na[order])
    filled.dim = (nr, nc)
    return _finish(filled, "matrix()")


def array(data=NA, dim=None):
    """R's ``array()``: fills column-major, recycling ``data``; ``dim`` defaults to its length."""
    v = _data_vec(data, "array()")
    if dim is None:
        dims = [len(v)]
    else:
        dv = _to_rvec(dim)
        if dv is None or len(dv) == 0:
            raise ValueError("array(): 'dims' cannot be of length 0")
        if dv.type == CHARACTER or dv.na_mask().any():
            raise ValueError("array(): 'dim' must be non-negative numbers")
        dims = [int(d) for d in dv.values.tolist()]
        if any(d < 0 for d in dims):
            raise ValueError("array(): the dims contain negative values")
    total = int(np.prod(dims)) if dims else 0
    filled = _recycle(v, total)
    filled.dim = tuple(dims)
    out = _finish(filled, "array()")
    return out if len(dims) > 1 else out.reshape(dims)


def _bind(args, by_col):
    """R's cbind/rbind (bind.c): zero-length vectors count only when every argument is empty."""
    name = "cbind" if by_col else "rbind"
    other = "rows" if by_col else "columns"
    axis = 0 if by_col else 1
    items = [(i + 1, _to_rvec(a)) for i, a in enumerate(args)]
    present = [v for _, v in items if v is not None]
    if not present:
        return None
    rtype = _common_type(present)

    def is_matrix(v):
        return v is not None and v.dim is not None and len(v.dim) == 2

    lenmin = int(any((v.dim[axis] if is_matrix(v) else len(v)) > 0 for v in present))
    extent, ncols, mextent = 0, 0, None
    for i, v in items:
        if is_matrix(v):
            if mextent is None:
                mextent = v.dim[axis]
            elif v.dim[axis] != mextent:
                raise ValueError(f"{name}(): number of {other} of matrices must match (see arg {i})")
            ncols += v.dim[1 - axis]
        elif (0 if v is None else len(v)) >= lenmin:
            extent = max(extent, 0 if v is None else len(v))
            ncols += 1
    if mextent is not None:
        extent = mextent
    for i, v in items:
        k = 0 if v is None else len(v)
        if not is_matrix(v) and k > 0 and (k > extent or extent % k):
            warnings.warn(f"number of {other} of result is not a multiple of vector length (arg {i})",
                          stacklevel=3)
            break
    values, na = [], []
    for _, v in items:
        if is_matrix(v):
            v = _coerce(v, rtype)
            block = v.values.reshape(v.dim, order="F")
            mask = v.na_mask().reshape(v.dim, order="F")
            if not by_col:
                block, mask = block.T, mask.T
            values.append(block.ravel(order="F"))
            na.append(mask.ravel(order="F"))
        elif (0 if v is None else len(v)) >= lenmin:
            r = _recycle(_coerce(v, rtype), extent) if v is not None else _na_filled(rtype, extent)
            values.append(r.values)
            na.append(r.na_mask())
    flat = np.concatenate(values) if values else np.zeros(0, _WORK_DTYPE[rtype])
    mask = np.concatenate(na) if na else None
    out = _finish(_RVec(rtype, flat, mask if rtype != DOUBLE else None, (extent, ncols)), f"{name}()")
    return out if by_col else out.T.copy()


def cbind(*args):
    """R's ``cbind()`` of vectors and matrices (no dimnames): vectors recycled to the row count."""
    return _bind(args, True)


def rbind(*args):
    """R's ``rbind()`` of vectors and matrices (no dimnames): vectors recycled to the column count."""
    return _bind(args, False)


# ---------------------------------------------------------------- sequences

_MISSING = object()


def _int_or_raise(values, what):
    if values.size and (values.min() < -_INT_MAX or values.max() > _INT_MAX):
        raise ValueError(f"{what}: integer overflow (R gives NA)")
    return values.astype(np.int32)


def _colon(a, b):
    """R's ``a:b`` for two numbers: integer when ``a`` is whole and the result fits."""
    if math.isnan(a) or math.isnan(b):
        raise ValueError("NA/NaN argument")
    r = abs(b - a)
    if r >= _R_XLEN_T_MAX:
        raise ValueError("result would be too long a vector")
    n = int(r + 1 + _FLT_EPSILON)
    last = a + (n - 1) if a <= b else a - (n - 1)
    use_int = (a == math.floor(a) and -_INT_MAX <= a <= _INT_MAX and -_INT_MAX <= last <= _INT_MAX)
    steps = np.arange(n, dtype=np.float64)
    values = a + steps if a <= b else a - steps
    return values.astype(np.int32) if use_int else values


def seq_len(length_out):
    """R's ``seq_len(n)``: integers 1..n."""
    v = _to_rvec(length_out)
    if v is None or len(v) != 1 or v.type in _NOT_NUMBERS or v.na_mask().any():
        raise ValueError("seq_len(): argument must be coercible to non-negative integer")
    value = float(v.values[0])
    if not value >= 0 or math.isinf(value):
        raise ValueError("seq_len(): argument must be coercible to non-negative integer")
    return np.arange(1, int(value) + 1, dtype=np.int32)


def seq_along(along_with):
    """R's ``seq_along(x)``: integers 1..length(x)."""
    return np.arange(1, length(along_with) + 1, dtype=np.int32)


def _typed(value, is_int):
    return np.array([value], dtype=np.int32 if is_int else np.float64)


def _cumsum_seq(start, by, count, what):
    values = start + np.arange(count, dtype=np.int64) * by
    return _int_or_raise(values, what)


def seq(from_=_MISSING, to=_MISSING, by=_MISSING, length_out=_MISSING, along_with=_MISSING):
    """R's ``seq()`` (seq.default) with R's result types.

    ``seq(1, 9)`` is R's ``1:9`` (integer); ``seq(0, 1, by=0.1)`` is double; ``length.out`` is
    ``length_out``, ``along.with`` is ``along_with``; ``from`` is ``from_`` by keyword.  Python
    numbers are R doubles, so ``seq(1, 9, by=2)`` is double as in R; pass ``as_integer`` values
    for R's integer arithmetic.
    """
    given = {k for k, v in (("from", from_), ("to", to), ("by", by),
                            ("length.out", length_out), ("along.with", along_with)) if v is not _MISSING}
    one = len(given) == 1
    if one and "from" in given:
        v = _to_rvec(from_)
        lf = 0 if v is None else len(v)
        if v is not None and v.type in (INTEGER, DOUBLE) and lf == 1:
            f = float(v.values[0]) if not v.na_mask().any() else math.nan
            if not math.isfinite(f):
                raise ValueError("seq(): 'from' must be a finite number")
            return _colon(1.0, f)
        return _colon(1.0, float(lf)) if lf else np.zeros(0, dtype=np.int32)

    lout = None
    intn1 = False
    if "along.with" in given:
        lout = float(length(along_with))
        intn1 = True
        if one:
            return seq_len(int(lout))
    elif "length.out" in given and length_out is not None:
        v = _to_rvec(length_out)
        if v is None or len(v) == 0:
            raise ValueError("seq(): argument 'length.out' must be of length 1")
        if len(v) > 1:
            warnings.warn("first element used of 'length.out' argument", stacklevel=2)
        intn1 = v.type in (LOGICAL, INTEGER)
        lo = math.nan if v.na_mask()[0] or v.type in _NOT_NUMBERS else float(v.values[0])
        lout = lo if intn1 or math.isnan(lo) else float(math.ceil(lo))

    f, f_int = _scalar(from_, "from") if "from" in given else (1.0, False)
    t, t_int = _scalar(to, "to") if "to" in given else (1.0, False)
    if not math.isfinite(f):
        raise ValueError("seq(): 'from' must be a finite number")
    if not math.isfinite(t):
        raise ValueError("seq(): 'to' must be a finite number")

    if lout is None:
        if "by" not in given:
            return _colon(float(f), float(t))
        return _seq_by(f, f_int, t, t_int, by)
    if not math.isfinite(lout) or lout < 0:
        raise ValueError("seq(): 'length.out' must be a non-negative number")
    if lout == 0:
        return np.zeros(0, dtype=np.int32)
    if one:
        return seq_len(lout)
    n_out = int(lout)
    if "by" not in given:
        return _seq_length_no_by(f, f_int, t, t_int, "from" in given, "to" in given, n_out, intn1)
    b, b_int = _scalar(by, "by")
    if "to" not in given:
        if b_int and f_int:
            last = f + (n_out - 1) * b
            if -_INT_MAX <= last <= _INT_MAX:
                return _cumsum_seq(int(f), int(b), n_out, "seq()")
        return float(f) + np.arange(n_out, dtype=np.float64) * float(b)
    if "from" not in given:
        if b_int and t_int:
            first = t - (n_out - 1) * b
            if -_INT_MAX <= first <= _INT_MAX:
                return _cumsum_seq(int(first), int(b), n_out, "seq()")
        return float(t) - np.arange(n_out - 1, -1, -1, dtype=np.float64) * float(b)
    raise ValueError("seq(): too many arguments")


def _seq_by(f, f_int, t, t_int, by):
    is_int = f_int and t_int
    delta = float(t) - float(f)
    if delta == 0 and t == 0:
        return _typed(t, t_int)
    b, b_int = _scalar(by, "by")
    if not b_int:
        is_int = False
    b = float(b) if not is_int else b
    finite_del = math.isfinite(delta)
    with np.errstate(all="ignore"):
        n = (delta / b if b != 0 else math.copysign(math.inf, delta) if delta else math.nan) if finite_del \
            else float(np.float64(t) / b - np.float64(f) / b)
    if not math.isfinite(n):
        if b == 0 and delta == 0:
            return _typed(f, f_int)
        raise ValueError("seq(): invalid '(to - from)/by'")
    if n < 0:
        raise ValueError("seq(): wrong sign in 'by' argument")
    if n > _INT_MAX:
        raise ValueError("seq(): 'by' argument is much too small")
    if finite_del and abs(delta) / max(abs(t), abs(f)) < 100 * _DBL_EPSILON:
        return _typed(f, f_int)
    if is_int:
        return _cumsum_seq(int(f), int(b), int(n) + 1, "seq()")
    n = int(n + 1e-10)
    steps = np.arange(n + 1, dtype=np.float64)
    if finite_del:
        x = float(f) + steps * b
    else:
        x = (float(f) / 4 + steps * (b / 4)) * 4
    return np.minimum(x, float(t)) if b > 0 else np.maximum(x, float(t))


def _seq_length_no_by(f, f_int, t, t_int, has_from, has_to, n_out, intn1):
    if not has_to:
        t = float(f) + (n_out - 1)
        intdel = intn1 and f_int and t <= _INT_MAX
        t_int = intdel
        if intdel:
            t = int(t)
    else:
        intdel = t_int
    if not has_from:
        f = float(t) - (n_out - 1)
        f_int = False
        if intdel:
            intdel = intn1 and f >= -_INT_MAX
            if intdel:
                f, f_int = int(f), True
    elif intdel:
        intdel = f_int
    if n_out > 2:
        if f == t:
            return _typed(f, f_int).repeat(n_out)
        n1 = n_out - 1
        if intdel and intn1 and int(f) % n1 == int(t) % n1:
            return _cumsum_seq(int(f), int(t) // n1 - int(f) // n1, n_out, "seq()")
        delta = float(t) - float(f)
        middle = np.arange(1, n_out - 1, dtype=np.float64)
        if math.isfinite(delta):
            return np.concatenate([[float(f)], float(f) + middle * (delta / n1), [float(t)]])
        f4, t4 = float(f) / 4, float(t) / 4
        return np.concatenate([[f4], f4 + middle * ((t4 - f4) / n1), [t4]]) * 4
    both_int = f_int and t_int
    pair = np.array([f, t], dtype=np.int32 if both_int else np.float64)
    return pair[:n_out]


def rep(x, times=_MISSING, each=1, length_out=None):
    """R's ``rep(x, times, length.out, each)``: ``each`` first, then ``times`` or ``length_out``."""
    v = _to_rvec(x)
    if v is None:
        return None
    lx = len(v)
    lo = None
    if length_out is not None:
        lv = _to_rvec(length_out)
        if lv is None or len(lv) == 0 or lv.type in _NOT_NUMBERS:
            raise ValueError("rep(): invalid 'length.out' argument")
        if not lv.na_mask()[0]:
            lo = float(lv.values[0])
            if lo < 0 or math.isnan(lo):
                raise ValueError("rep(): invalid 'length.out' argument")
            lo = int(lo)
    ev = _to_rvec(each)
    if ev is not None and ev.type == RAW:
        raise ValueError("rep(): invalid 'each' argument")
    e = 1 if ev is None or len(ev) == 0 or ev.na_mask()[0] else int(float(ev.values[0]))
    if e < 0:
        raise ValueError("rep(): invalid 'each' argument")
    if lx == 0:
        return _finish(v if lo is None or lo == 0 else _na_filled(v.type, lo), "rep()")
    if lo is not None:
        index = (np.arange(lo) // e) % lx if e > 0 else None
        if e == 0 and lo > 0:
            raise ValueError("rep(): invalid 'each' argument")
        if index is None:
            index = np.zeros(0, dtype=np.int64)
    else:
        tv = _to_rvec(1 if times is _MISSING else times)
        if tv is None or tv.type == CHARACTER or tv.na_mask().any():
            raise ValueError("rep(): invalid 'times' argument")
        counts = np.trunc(tv.values.astype(np.float64)).astype(np.int64)
        if len(counts) not in (1, lx * e) or (counts < 0).any():
            raise ValueError("rep(): invalid 'times' argument")
        if len(counts) == 1:
            total = lx * int(counts[0]) * e
            if total > 0 and e == 0:
                raise ValueError("rep(): invalid 'each' argument")
            index = (np.arange(total) // e) % lx if total else np.zeros(0, dtype=np.int64)
        else:
            per_element = counts.reshape(lx, e).sum(axis=1)
            index = np.repeat(np.arange(lx), per_element)
    na = None if v.na is None else v.na[index]
    return _finish(_RVec(v.type, v.values[index], na), "rep()")


# ---------------------------------------------------------------- coercion

_NUMBER_RE = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d*)?")
_HEX_RE = re.compile(r"[+-]?0[xX](?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)(?:[pP][+-]?\d+)?")
_SPECIAL = {"nan": math.nan, "inf": math.inf, "infinity": math.inf}


def _parse_double(s):
    """R's String -> double (R_strtod): None when the text is not a number."""
    text = s.strip(" \t\n\r\f\v")
    if _NUMBER_RE.fullmatch(text):
        return float(re.sub(r"[eE][+-]?$", "", text))
    if _HEX_RE.fullmatch(text):
        sign = -1.0 if text.startswith("-") else 1.0
        return sign * float.fromhex(text.lstrip("+-"))
    sign = -1.0 if text.startswith("-") else 1.0
    special = _SPECIAL.get(text.lstrip("+-").lower())
    if special is not None and text.lstrip("+-")[:1] in "nNiI" and text.count("-") + text.count("+") <= 1:
        return sign * special
    return None


def _coerce_down(v, to, what):
    """R's as.integer/as.numeric/as.logical/as.raw from any type (NA where R gives NA)."""
    na = v.na_mask().copy()
    if to == DOUBLE:
        if v.type == CHARACTER:
            out = np.empty(len(v), dtype=np.float64)
            bad = False
            for i, s in enumerate(v.values.tolist()):
                if na[i]:
                    out[i] = NA_real_
                    continue
                parsed = _parse_double(s)
                if parsed is None:
                    if s.strip(" \t\n\r\f\v"):
                        bad = True
                    out[i] = NA_real_
                else:
                    out[i] = parsed
            if bad:
                warnings.warn("NAs introduced by coercion", stacklevel=4)
            return _RVec(DOUBLE, out, None, v.dim)
        return _coerce(v, DOUBLE)
    if to == INTEGER:
        if v.type in (RAW, LOGICAL, INTEGER):
            return _coerce(v, INTEGER)
        d = _coerce_down(v, DOUBLE, what).values
        na = np.isnan(d)
        out_of_range = ~na & ((d >= _INT_MAX + 1.0) | (d <= -_INT_MAX - 1.0))
        if out_of_range.any():
            warnings.warn("NAs introduced by coercion to integer range", stacklevel=4)
        na |= out_of_range
        values = np.where(na, 0, np.trunc(np.where(na, 0, d))).astype(np.int64)
        return _RVec(INTEGER, values, na, v.dim)
    if to == LOGICAL:
        if v.type == CHARACTER:
            table = {"T": True, "TRUE": True, "true": True, "True": True,
                     "F": False, "FALSE": False, "false": False, "False": False}
            values = np.array([table.get(s, False) for s in v.values.tolist()], dtype=bool)
            na = na | np.array([s not in table for s in v.values.tolist()], dtype=bool)
            return _RVec(LOGICAL, values, na, v.dim)
        if v.type == LOGICAL:
            return v
        d = v.values.astype(np.float64)
        na = na | np.isnan(d)
        return _RVec(LOGICAL, np.where(na, False, d != 0), na, v.dim)
    if to == RAW:
        i = _coerce_down(v, INTEGER, what)
        bad = i.na_mask() | (i.values < 0) | (i.values > 255)
        if bad.any():
            warnings.warn("out-of-range values treated as 0 in coercion to raw", stacklevel=4)
        return _RVec(RAW, np.where(bad, 0, i.values), None, v.dim)
    return _coerce(v, CHARACTER)


def _as(x, to, what):
    v = _to_rvec(x)
    if v is None:
        return _finish(_RVec(to, []), what)
    out = _coerce_down(v, to, what)
    out.dim = None
    return _finish(out, what)


def as_integer(x):
    """R's ``as.integer()``: int32 vector (dims dropped); doubles truncate toward zero.

    Where R would give NA (NaN, out of range, unparsable text) rtorch raises ValueError.
    """
    return _as(x, INTEGER, "as_integer()")


def as_numeric(x):
    """R's ``as.numeric()``: float64 vector (dims dropped); NA becomes NA_real_."""
    if hasattr(x, "numel") and hasattr(x, "_to_r"):
        out = x._to_r()
        if out.dtype == np.float64:
            return out.ravel(order="F")
    return _as(x, DOUBLE, "as_numeric()")


as_double = as_numeric


def as_logical(x):
    """R's ``as.logical()``: bool vector; numbers != 0 are TRUE; "T"/"TRUE"/"true"/"True" etc."""
    return _as(x, LOGICAL, "as_logical()")


def as_raw(x):
    """R's ``as.raw()``: uint8 vector (dims dropped) of the values as integers; values outside 0..255,
    and NA, become 00 with R's warning "out-of-range values treated as 0 in coercion to raw"."""
    return _as(x, RAW, "as_raw()")


def as_character(x):
    """R's ``as.character()``: doubles with up to 15 significant digits, logicals as "TRUE"/"FALSE"; a
    device gives R torch's ``as.character.torch_device``: "cpu", "cuda:0"."""
    if isinstance(x, torch_device):
        x = x.short
    return _as(x, CHARACTER, "as_character()")


def as_matrix(x):
    """R's ``as.matrix()``: a matrix stays; anything else becomes a one-column matrix."""
    v = _to_rvec(x)
    if v is None:
        raise TypeError("as_matrix(): cannot make a matrix from NULL")
    if v.dim is None or len(v.dim) != 2:
        v.dim = (len(v), 1)
    return _finish(v, "as_matrix()")


# ---------------------------------------------------------------- inspection

def dim(x):
    """R's ``dim()``: int32 sizes of a tensor or of a 2-d+ array; None (NULL) for vectors."""
    if _is_r_object(x):
        shape = x.shape if hasattr(x, "shape") else np.asarray(x._to_r()).shape
        return np.array(list(shape), dtype=np.int32)
    if isinstance(x, np.ndarray) and x.ndim >= 2:
        return np.array(x.shape, dtype=np.int32)
    if isinstance(x, np.ndarray) or x is None or x is NA or isinstance(x, (bool, int, float, str, list, tuple,
                                                                           np.generic)):
        return None
    raise TypeError(f"dim(): an object of type '{type(x).__name__}' has no R dim")


def length(x):
    """R's ``length()``: number of elements (tensors: ``numel()``; NULL: 0; a string: 1), an R integer."""
    return np.int32(_length(x))


def _length(x):
    if x is None:
        return 0
    if _is_r_object(x):
        if hasattr(x, "numel"):
            return int(x.numel())
        return int(np.asarray(x._to_r()).size)
    if isinstance(x, np.ndarray):
        return int(x.size)
    if isinstance(x, (list, tuple)):
        v = _to_rvec(x)
        return len(v)
    if x is NA or isinstance(x, (bool, int, float, str, np.generic, torch_device)):
        return 1
    if hasattr(x, "__len__"):
        return len(x)
    raise TypeError(f"length(): an object of type '{type(x).__name__}' has no R length")


def class_(x):
    """R's ``class()`` (``class`` is a Python keyword), as a NumPy str array.

    Objects carrying ``_r_class`` (tensors, dtypes, ...) return that.  Python ints are R
    doubles here, so ``class_(2)`` is "numeric".
    """
    if hasattr(x, "_r_class"):
        return x._r_class
    if x is None:
        return np.array(["NULL"])
    if callable(x):
        return np.array(["function"])
    v = _to_rvec(x)
    if v.dim is not None:
        return np.array(["matrix", "array"] if len(v.dim) == 2 else ["array"])
    return np.array([_CLASS_NAME[v.type]])
