"""The primitives every op family shares, below all of them (this module imports no op module): R and
Python scalars as libtorch's dispatch sees them (`_r_scalar`, `scalar_dtype`), libtorch's checked
conversion of a scalar into a dtype (`scalar_into`, `value_array`), the in-place and device checks
(`_writable`, `_check_device`), size arguments (`_sizes`) and libtorch's shape and error texts
(`_shape_text`, `broadcast_error`, `_expand_error`)."""
import builtins
import numbers

import numpy as np

from ._devices import to_device_array
from ._dtypes import DTYPES, FLOATING, INTEGRAL
from ._tensor import Tensor

_FLOAT = DTYPES["Float"]
_LONG = DTYPES["Long"]
_BOOL = DTYPES["Bool"]


def _shape_text(shape):
    """libtorch's size text: `[2, 3]`."""
    return "[" + ", ".join(map(str, shape)) + "]"


# the dtype an R / Python scalar takes part in promotion with: an R double (any Python number) is Float
_SCALAR_DTYPE = {bool: _BOOL, int: _FLOAT, float: _FLOAT, complex: DTYPES["ComplexFloat"]}


def _scalar_dtype(x):
    d = _SCALAR_DTYPE.get(type(x))
    if d is not None:
        return d
    if isinstance(x, np.generic):
        if x.dtype.kind == "f":
            return _FLOAT
        if x.dtype.kind in "iu":
            return _LONG
        if x.dtype.kind == "b":
            return _BOOL
    if isinstance(x, numbers.Number):
        return _FLOAT
    return None


def _check_device(a, b, elementwise=False):
    """libtorch's error for tensors on two devices; element-wise ops name the CUDA device first, as
    TensorIterator does, other ops name the devices in argument order."""
    da, db = a.device, b.device
    if da != db:
        if elementwise and da.type == "cpu":
            da, db = db, da
        raise RuntimeError("Expected all tensors to be on the same device, but found at least two devices, "
                           f"{da.short} and {db.short}!")


# R vectors of length one that R torch's dispatch passes to libtorch as Scalars, not tensors: `x + 2L`
_R_SCALAR_TYPES = (np.dtype(np.float64), np.dtype(np.int32), np.dtype(np.bool_))


def _r_scalar(x):
    """An R vector of length one (a NumPy array of an R type) as the number R torch's dispatch makes of it."""
    if type(x) is np.ndarray and x.size == 1 and x.dtype in _R_SCALAR_TYPES:
        return x.reshape(-1)[0]
    return x


def broadcast_error(shape_a, shape_b):
    a, b = list(shape_a), list(shape_b)
    n = builtins.max(len(a), len(b))
    a = [1] * (n - len(a)) + a
    b = [1] * (n - len(b)) + b
    for i in range(n - 1, -1, -1):
        if a[i] != b[i] and a[i] != 1 and b[i] != 1:
            return RuntimeError(f"The size of tensor a ({a[i]}) must match the size of tensor b ({b[i]}) "
                                f"at non-singleton dimension {i}")
    return None


def _writable(t, overlap=True):
    """libtorch's check before an in-place write: no dim of more than one element may have stride 0 (an
    expanded view); `overlap=False` for the writes libtorch lets through anyway (fill_, zero_)."""
    data = t._data if isinstance(t, Tensor) else t
    ok = getattr(data.flags, "writeable", True)
    if ok and overlap and data.size:
        ok = builtins.all(s or n < 2 for s, n in zip(data.strides, data.shape))
    if not ok:
        raise RuntimeError("unsupported operation: more than one element of the written-to tensor refers to a "
                           "single memory location. Please clone() the tensor before performing the operation.")


def _coefficient(value, dtype):
    """`beta`/`alpha` as libtorch casts a Scalar into the result's dtype: truncated for integers."""
    if isinstance(value, Tensor):
        value = value.item()
    value = _r_scalar(value)
    return int(value) if dtype.category < FLOATING else value


def _expand_error(target, shape):
    if len(shape) > len(target):
        return RuntimeError(f"expand(CPU{{}}Type{{{_shape_text(shape)}}}, size={_shape_text(target)}): "
                            f"the number of sizes provided ({len(target)}) must be greater or equal to the number "
                            f"of dimensions in the tensor ({len(shape)})")
    off = len(target) - len(shape)
    for i in range(len(shape) - 1, -1, -1):
        if shape[i] != 1 and shape[i] != target[off + i]:
            return RuntimeError(f"The expanded size of the tensor ({target[off + i]}) must match the existing size "
                                f"({shape[i]}) at non-singleton dimension {off + i}.  Target sizes: "
                                f"{_shape_text(target)}.  Tensor sizes: {_shape_text(shape)}")
    return None


def scalar_into(value, dtype, checked_half=False):
    """An R/Python scalar as a value of `dtype`, with libtorch's checked conversion: NaN, Inf and values out
    of range are an error for integers (a negative R integer wraps into Byte), finite values out of range
    for Float and Double; anything goes into Bool, and into Half unless `checked_half` (clamp's bounds)."""
    if dtype.category == FLOATING and (type(value) is float or type(value) is int) and -65504.0 <= value <= 65504.0:
        return value
    name = "c10::Half" if checked_half and dtype.name == "Half" else dtype.c_type
    if name is None or isinstance(value, (bool, np.bool_)) or isinstance(value, complex):
        return value
    if dtype.category == INTEGRAL:
        info = np.iinfo(dtype.numpy)
        if isinstance(value, (float, np.floating)) or type(value) is int:  # a Python int is an R double
            bad = not (float(info.min) <= value <= float(info.max))
        elif info.min == 0:
            bad = value > info.max or value < -int(info.max)
        else:
            bad = not (info.min <= value <= info.max)
        if not bad:
            with np.errstate(invalid="ignore"):
                return np.array(value).astype(dtype.numpy)[()]
    else:
        bad = np.isfinite(value) and builtins.abs(float(value)) > float(np.finfo(dtype.numpy).max)
        if not bad:
            return value
    if value != value:
        raise ValueError(f"value NaN cannot be converted to type {name} without overflow")
    raise RuntimeError(f"value cannot be converted to type {name} without overflow")


def value_array(value, like):
    """The right-hand side of an assignment or fill, as an array of `like`'s dtype and device."""
    if isinstance(value, Tensor):
        if type(value._data) is not type(like._data):
            _check_device(like, value)
        return value._data
    if isinstance(value, (bool, int, float, np.generic)):
        return scalar_into(value, like.dtype)
    if isinstance(value, (list, tuple, np.ndarray)):
        value = np.asarray(value)
        return value if type(like._data) is np.ndarray else to_device_array(value, like.device)
    raise TypeError(f"rhs must be a torch_tensor or scalar value, not {type(value).__name__}")


def _sizes(args):
    """Sizes given as `3, 2`, `c(3, 2)` or a tuple; -1 means "infer"."""
    if len(args) == 1 and isinstance(args[0], (list, tuple, np.ndarray, Tensor)):
        args = np.asarray(args[0]).reshape(-1).tolist()
    out = []
    for s in args:
        if isinstance(s, float) and s.is_integer():
            s = int(s)
        if not isinstance(s, numbers.Integral) or isinstance(s, bool):
            raise TypeError(f"sizes must be whole numbers, not {s!r}")
        out.append(int(s))
    return tuple(out)
