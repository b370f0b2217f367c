"""R-base helpers with R semantics, returning NumPy arrays typed as R types them: the constants (`TRUE`,
`NA`, `Inf`, ...), the constructors (`c`, `numeric`, `matrix`, `array`, `cbind`/`rbind`), the sequences
(`seq`, `seq_len`, `seq_along`, `rep`), the coercions (`as_integer`, `as_numeric`, ...) and the inspection
of a value (`dim`, `length`, `class_`). They compute on R's atomic vectors as `_rvector.py` models them.

A 1-d array is an R vector without ``dim``; a 2-d array element ``[i, j]`` is R's ``m[i+1, j+1]``, and R's
column-major order of elements is NumPy's ``order="F"``.

Porting rules: a Python ``int`` or ``float`` given to these helpers is an R double (R's
literal ``2``); ``as_integer(2)`` is R's ``2L``; ``True``/``False`` are logicals; ``None``
is ``NULL``.  NumPy integer arrays (int64 included, e.g. from tensors) are integers, except
uint8 arrays (``as_array()`` of a Byte tensor), which are R raw vectors.
Objects with a ``_to_r()`` method (tensors) stand for the array it returns; a tuple flagged
``_r_integer`` (``t$size()``) is an integer vector.
"""
import math
import warnings

import numpy as np

from ._devices import torch_device
from ._rformat import NA_real_
from ._rvector import (CHARACTER, DOUBLE, INTEGER, LOGICAL, NA, RAW, _CLASS_NAME, _DBL_EPSILON,
                       _FLT_EPSILON, _INT_MAX, _NOT_NUMBERS, _R_XLEN_T_MAX, _WORK_DTYPE, _RVec, _coerce,
                       _coerce_down, _combine, _common_type, _finish, _is_r_object, _to_rvec)

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

def _holds_objects(a):
    """Whether a Python list is an R list of objects (modules, tensors, lists), not a vector's values."""
    return isinstance(a, list) and any(
        e is not None and e is not NA and not isinstance(e, (bool, int, float, str, np.generic, np.ndarray))
        for e in a)


def c(*args):
    """R's ``c()``: flatten (column-major) and coerce to the highest type; ``c()`` is NULL. Where an argument is
    an R list of objects (``c(layers, list(nn_linear(2, 2)))``), the result is a list, as R's."""
    if any(_holds_objects(a) for a in args):
        out = []
        for a in args:
            if isinstance(a, list):
                out.extend(a)
            elif isinstance(a, np.ndarray):
                out.extend(a.reshape(-1, order="F").tolist())
            elif a is not None:
                out.append(a)
        return out
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
    if _holds_objects(x):
        return len(x)
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
