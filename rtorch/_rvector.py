"""R's atomic vectors as NumPy holds them: the five types, `NA`, the working form `_RVec` (values, NA mask,
dim) that the R-base helpers compute on, conversion of Python and NumPy values into it (`_to_rvec`), R's
rules for combining and coercing types (`_combine`, `_coerce`, `_coerce_down`), and `NamedList`.

R double -> float64, integer -> int32, logical -> bool, character -> str, raw -> uint8 (the working form
holds integers as int64 and characters as objects until `_finish` types the result).

``NA`` is a sentinel: in a double context it becomes R's ``NA_real_`` (a NaN carrying R's payload 1954, so
it is still NA when sent to R); NumPy cannot hold NA in int32/bool/str arrays, so an NA that would land in
an integer, logical or character result raises ``ValueError``.
"""
import math
import re
import warnings

import numpy as np

from ._rformat import NA_real_, is_na_real, real_to_character


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
