"""R as a test oracle through rpy2: build the same atomic value in R and in Python, and
capture exactly what R's print() and cat() write."""
import numpy as np

from rtorch._rformat import NA_real_
from tests._require import require

_ro = None


def robjects():
    global _ro
    if _ro is None:
        _ro = require("rpy2.robjects")
    return _ro


class Sample:
    """An R atomic vector/matrix/array: type, column-major values (None = NA), dims."""

    def __init__(self, rtype, values, shape=None):
        self.rtype = rtype
        self.values = list(values)
        self.shape = None if shape is None else tuple(shape)

    def __repr__(self):
        return f"Sample({self.rtype!r}, {self.values!r}, {self.shape!r})"

    def to_r(self):
        ro = robjects()
        if self.rtype == "double":
            vec = ro.FloatVector([ro.NA_Real if v is None else float(v) for v in self.values])
        elif self.rtype == "integer":
            vec = ro.IntVector([ro.NA_Integer if v is None else int(v) for v in self.values])
        elif self.rtype == "logical":
            vec = ro.BoolVector([ro.NA_Logical if v is None else bool(v) for v in self.values])
        else:
            vec = ro.StrVector([ro.NA_Character if v is None else v for v in self.values])
        if self.shape is None:
            return vec
        return ro.r["array"](vec, dim=ro.IntVector(list(self.shape)))

    def to_py(self):
        """The NumPy value rtorch reads as this R value (masked where integer/logical/string NA)."""
        shape = self.shape if self.shape is not None else (len(self.values),)
        missing = np.array([v is None for v in self.values], dtype=bool)
        if self.rtype == "double":
            data = np.array([NA_real_ if v is None else v for v in self.values], dtype=np.float64)
            return data.reshape(shape, order="F")
        fill = {"integer": 0, "logical": False, "character": ""}[self.rtype]
        dtype = {"integer": np.int32, "logical": np.bool_, "character": np.str_}[self.rtype]
        data = np.array([fill if v is None else v for v in self.values], dtype=dtype)
        data = data.reshape(shape, order="F")
        if missing.any():
            return np.ma.array(data, mask=missing.reshape(shape, order="F"))
        return data


_PRINT_SRC = """function(x, d) {
  out <- if (is.na(d)) capture.output(print(x)) else capture.output(print(x, digits = d))
  paste0(paste(out, collapse = "\\n"), "\\n")
}"""

_CAT_SRC = """function(args, sep, fill) {
  con <- rawConnection(raw(0), "w")
  on.exit(close(con))
  do.call(cat, c(args, list(file = con, sep = sep, fill = fill)))
  rawToChar(rawConnectionValue(con))
}"""

_fns = {}


def _fn(name, src):
    if name not in _fns:
        _fns[name] = robjects().r(src)
    return _fns[name]


def r_print(rvalue, digits=None):
    ro = robjects()
    d = ro.NA_Integer if digits is None else ro.IntVector([digits])
    return str(_fn("print", _PRINT_SRC)(rvalue, d)[0])


def r_cat(rvalues, sep=" ", fill=False):
    ro = robjects()
    args = ro.r["list"](*[ro.NULL if v is None else v for v in rvalues])
    sep_r = ro.StrVector([sep] if isinstance(sep, str) else list(sep))
    fill_r = ro.BoolVector([fill]) if isinstance(fill, bool) else ro.IntVector([fill])
    return str(_fn("cat", _CAT_SRC)(args, sep_r, fill_r)[0])


def r_eval(src):
    return robjects().r(src)


def r_to_numpy(rvalue):
    """An R atomic result as (R typeof, NumPy array with R's dims) for comparison."""
    ro = robjects()
    rtype = str(ro.r["typeof"](rvalue)[0])
    if rtype == "NULL":
        return rtype, None
    dims = ro.r["dim"](rvalue)
    shape = None if dims is ro.NULL else tuple(int(d) for d in dims)
    if rtype == "double":
        arr = np.array(list(rvalue), dtype=np.float64)
    elif rtype == "integer":
        arr = np.array(list(rvalue), dtype=np.int64)
    elif rtype == "logical":
        arr = np.array([bool(v) for v in rvalue], dtype=bool)
    else:
        arr = np.array(list(rvalue), dtype=np.str_)
    if shape is not None and len(shape) >= 2:
        arr = arr.reshape(shape, order="F")
    return rtype, arr
