"""The tensor object: a NumPy/CuPy array plus what R torch adds (dtype, device, 1-based view).

Methods are attached in `_methods.py` from the modules that implement them, so this class stays thin.
"""
import numpy as np

from ._devices import CPU, device_of
from ._dtypes import BY_NUMPY


class Tensor:
    """R torch's `torch_tensor`. Build one with `torch_tensor()` or another creation function."""

    __slots__ = ("_data", "dtype", "_requires_grad", "_grad", "__weakref__")
    __array_priority__ = 1000
    _r_class = ("torch_tensor", "R7")

    def __init__(self, data):
        wrap(data, self)

    @property
    def device(self):
        data = self._data
        return CPU if type(data) is np.ndarray else device_of(data)

    @property
    def shape(self):
        return self._data.shape

    @property
    def ndim(self):
        return self._data.ndim

    @property
    def requires_grad(self):
        return getattr(self, "_requires_grad", False)

    @requires_grad.setter
    def requires_grad(self, value):
        self._requires_grad = bool(value)

    @property
    def grad(self):
        """NULL (None) until autograd fills it; rtorch has no autograd yet."""
        return getattr(self, "_grad", None)

    @grad.setter
    def grad(self, value):
        self._grad = value

    @property
    def grad_fn(self):
        """NULL (None), as R torch gives for a tensor no autograd operation made."""
        return None

    @property
    def is_leaf(self):
        return True

    @property
    def is_cuda(self):
        return type(self._data) is not np.ndarray

    def __len__(self):
        if self._data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self._data.shape[0]

    def __iter__(self):
        raise TypeError("iterating over a tensor is ambiguous in rtorch (indices are 1-based); "
                        "index it with t[i] or convert it with as_array(t)")

    def __bool__(self):
        if self._data.size != 1:
            raise RuntimeError("Boolean value of Tensor with more than one value is ambiguous")
        return bool(self._data)

    def __float__(self):
        return float(self.item())

    def __int__(self):
        return int(self.item())

    def __index__(self):
        if self.dtype.category > 1 or self._data.size != 1:
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return int(self._data.reshape(()))

    def __array__(self, dtype=None, copy=None):
        from ._devices import to_host
        arr = to_host(self._data)
        if dtype is not None and arr.dtype != dtype:
            return arr.astype(dtype)
        return arr

    def __repr__(self):
        return text(self).rstrip("\n")

    __str__ = __repr__

    __hash__ = object.__hash__


def text(t, n=30):
    """R torch's `print(t, n)` text: libtorch's lines (the first `n`), the footer, the requires_grad note."""
    from ._printing import format_tensor
    from ._devices import to_host
    prefix = "CPU" if type(t._data) is np.ndarray else "CUDA"
    return format_tensor(to_host(t._data), f"{prefix}{t.dtype.name}Type", n, requires_grad=t.requires_grad)


_new = object.__new__


def wrap(array, out=None):
    """Wrap an array (no copy) as a tensor; NumPy scalars from 0-d results become 0-d arrays."""
    if type(array) is not np.ndarray and (not hasattr(array, "ndim") or isinstance(array, np.generic)):
        array = np.asarray(array)
    t = _new(Tensor) if out is None else out
    t._data = array
    try:
        t.dtype = BY_NUMPY[array.dtype]
    except KeyError:
        raise TypeError(f"arrays of dtype {array.dtype} cannot be tensors") from None
    return t


def wrap_as(array, dtype):
    """`wrap` for the hot path, where the caller knows the result's dtype."""
    if type(array) is not np.ndarray:
        return wrap(array)
    t = _new(Tensor)
    t._data = array
    t.dtype = dtype
    return t


def is_tensor(x):
    return isinstance(x, Tensor)
