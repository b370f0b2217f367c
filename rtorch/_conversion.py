"""Conversions out of tensors (to R-typed NumPy arrays) and between dtypes and devices."""
import builtins

import numpy as np

from ._devices import as_device, to_device_array, to_host
from ._dtypes import COMPLEX, DTYPES, FLOATING, INTEGRAL, as_dtype, cast_array
from ._layouts import lay_out
from ._tensor import Tensor, wrap

# tensor dtype category -> the R type as_array gives: double, integer, logical, complex
_R_TYPE = {0: np.dtype(np.bool_), 1: np.dtype(np.int32), 2: np.dtype(np.float64), 3: np.dtype(np.complex128)}
R_INT_MIN, R_INT_MAX = -2147483647, 2147483647
_BYTE, _RAW = DTYPES["Byte"], np.dtype(np.uint8)  # a Byte tensor gives an R raw vector


def check_r_integer_range(arr):
    """R integers are 32-bit with the smallest value taken by NA: refuse what would wrap or become NA."""
    if arr.size and arr.dtype.itemsize >= 4 and arr.dtype.kind in "iu":
        lo, hi = arr.min(), arr.max()
        if lo < R_INT_MIN or hi > R_INT_MAX:
            v = lo if lo < R_INT_MIN else hi
            raise OverflowError(f"value {v} is outside R's integer range [{R_INT_MIN}, {R_INT_MAX}]; "
                                "convert with t$to(dtype = torch_double()) first")


def as_array(x):
    """R torch's `as_array()`: a NumPy array typed as R holds it (float64, int32, bool, complex128; uint8, R's
    raw, for Byte), dims kept; a 0-d tensor gives a length-one vector. Long values outside R's integer range
    raise (R torch warns and wraps them)."""
    if not isinstance(x, Tensor):
        if hasattr(x, "_to_r"):
            return x._to_r()
        return np.asarray(x)
    data = to_host(x._data)
    target = _RAW if x.dtype is _BYTE else _R_TYPE[x.dtype.category]
    if x.dtype.category == INTEGRAL:
        check_r_integer_range(data)
    out = np.array(data, dtype=target, order="C", copy=True)
    return out.reshape(1) if out.ndim == 0 else out


def _to_r(self):
    return as_array(self)


def numpy(self):
    """The tensor's own array (same dtype, shared memory); CUDA tensors must be moved with `$cpu()` first."""
    if type(self._data) is not np.ndarray:
        raise TypeError("can't convert cuda tensor to numpy: use t$cpu() first")
    return self._data


def to(self, dtype=None, device=None, non_blocking=False, copy=False, other=None, memory_format=None, **kw):
    """`x$to(dtype = , device = , memory_format = torch_preserve_format())`; a torch_dtype or device may also
    be given positionally, and `other = y` takes `y`'s dtype and device."""
    if other is not None:
        dtype, device = other.dtype, other.device
    elif isinstance(dtype, Tensor):
        dtype, device = dtype.dtype, dtype.device
    elif dtype is not None and not hasattr(dtype, "numpy") and (isinstance(dtype, str) and
                                                                  dtype.split(":")[0] in ("cpu", "cuda")
                                                                  or type(dtype).__name__ == "torch_device"):
        dtype, device = None, dtype
    data = self._data
    if device is not None:
        dev = as_device(device)
        if dev != self.device:
            data = to_device_array(data, dev)
    if dtype is not None:
        d = as_dtype(dtype)
        if d.numpy != data.dtype:
            data = cast_array(data, d)
    if memory_format is not None:
        data = lay_out(data, memory_format, "to")
    if data is self._data:
        return wrap(data.copy()) if copy else self
    return wrap(data)


def cpu(self):
    return self if type(self._data) is np.ndarray else wrap(to_host(self._data))


def cuda(self, device=None):
    return to(self, device="cuda" if device is None else (f"cuda:{device}" if isinstance(device, builtins.int) else device))


def caster(name):
    """The cast method `x$float()`, `x$long()`, ... to the dtype `name` (libtorch's scalar type name): made
    per row of the op table, as methods only (as module names they would shadow Python's float and int)."""
    def cast(self, memory_format=None):
        return to(self, dtype=DTYPES[name], memory_format=memory_format)
    cast.__doc__ = f"`x${name.lower()}()`: a {name} copy (itself if already {name})."
    return cast


def type_as(self, other):
    return to(self, dtype=other.dtype)


def is_floating_point(self):
    return self.dtype.category == FLOATING


def is_complex(self):
    return self.dtype.category == COMPLEX


def cast_function(name):
    """`torch__cast_<name>(x)`, the function form of the cast to `name`."""
    cast_to = caster(name)

    def cast(self, non_blocking=False):
        return cast_to(self)
    cast.__name__ = f"torch__cast_{name}"
    cast.__doc__ = f"R torch's `torch__cast_{name}(x)` (libtorch's `_cast_{name}`): `x$to(dtype = torch_{name.lower()}())`."
    return cast


def buffer_from_torch_tensor(tensor):
    """R torch's `buffer_from_torch_tensor()`: a copy of the tensor's bytes (row-major) as a raw vector."""
    return np.ascontiguousarray(to_host(tensor._data)).reshape(-1).view(np.uint8).copy()
