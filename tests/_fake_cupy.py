"""A small stand-in for CuPy, so that rtorch's CUDA code paths run in tests on machines without a GPU.

It models the CuPy traits (as read in CuPy 14.2's sources) that break code written for NumPy alone:
- its arrays are not `numpy.ndarray`s, and `numpy.asarray()` of one raises TypeError (no implicit copy
  to the host); `.get()` copies to the host;
- NumPy ufuncs and functions reach it through `__array_ufunc__` / `__array_function__`, and only the
  functions in `_IMPLEMENTED` do: ones that CuPy lacks or implements without the keywords rtorch would
  need (`lexsort(axis=)`, `indices(sparse=)`) fail, as they fail with CuPy. A NumPy array among the
  operands is refused, as CuPy refuses it; index arrays are the exception, CuPy copies them over;
- reductions and element reads give 0-d arrays, not NumPy scalars;
- `flags` has no `writeable`, and broadcast views (`broadcast_to`, `broadcast_arrays`) can be written through;
- integer `power` with a negative exponent gives 1, -1 or 0 where NumPy raises (CuPy's `integral_power`);
- `.device.id`, `.data.ptr`, `.base`, `cuda.Device`, `cuda.runtime.getDeviceCount()`.
`host_reads` counts the copies to the host (`get`, `item`, `bool`, `int`, `float`), so a test can see that
an operation makes no hidden round trip.
It does not model speed, streams, memory pools, several GPUs, or CuPy's numerics (cuBLAS rounding).
"""
import numpy as np

host_reads = 0

# NumPy functions that CuPy 14.2 implements with the arguments rtorch passes
_IMPLEMENTED = {
    "all", "allclose", "any", "arange", "argmax", "argmin", "argsort", "array_equal", "ascontiguousarray",
    "atleast_1d", "atleast_2d", "atleast_3d", "bincount", "broadcast_arrays", "broadcast_to", "concatenate",
    "copyto", "cumprod", "cumsum", "dot", "empty_like", "expand_dims", "flip", "full_like", "max", "mean",
    "min", "moveaxis", "ndim", "nonzero", "ones_like", "prod", "ravel", "repeat", "reshape", "result_type",
    "shape", "squeeze", "stack", "sum", "swapaxes", "take", "take_along_axis", "tile", "transpose", "tril",
    "triu", "where", "zeros_like",
}
_COMPARISONS = {"equal", "not_equal", "less", "less_equal", "greater", "greater_equal"}
_METHODS = ("all", "any", "argmax", "argmin", "argsort", "astype", "clip", "copy", "cumsum", "fill",
            "max", "mean", "min", "nonzero", "prod", "ravel", "repeat", "reshape", "squeeze", "std", "sum",
            "swapaxes", "take", "tolist", "transpose", "var")


def _device_arg(x):
    """An operand for a device kernel: a fake array's data, a scalar; a host array is refused."""
    if isinstance(x, ndarray):
        return x._a
    if isinstance(x, np.ndarray):
        raise TypeError(f"Unsupported type {type(x)}: host arrays must be moved with asarray() first")
    if isinstance(x, (list, tuple)):
        return type(x)(_device_arg(i) for i in x)
    if isinstance(x, dict):
        return {k: _device_arg(v) for k, v in x.items()}
    return x


def _index_arg(x):
    if isinstance(x, ndarray):
        return x._a
    if isinstance(x, tuple):
        return tuple(_index_arg(i) for i in x)
    return x


def _wrap(r):
    if isinstance(r, (np.ndarray, np.generic)):
        return ndarray(np.asarray(r))
    if isinstance(r, (tuple, list)):
        return type(r)(_wrap(i) for i in r)
    return r


class _Flags:
    def __init__(self, a):
        self.c_contiguous = a.flags.c_contiguous
        self.f_contiguous = a.flags.f_contiguous
        self.owndata = a.base is None


class _Memory:
    def __init__(self, ptr):
        self.ptr = ptr


class Device:
    def __init__(self, id=0):
        self.id = id

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def synchronize(self):
        pass


class ndarray(np.lib.mixins.NDArrayOperatorsMixin):
    __array_priority__ = 100

    def __init__(self, a):
        self._a = a

    shape = property(lambda self: self._a.shape)
    ndim = property(lambda self: self._a.ndim)
    size = property(lambda self: self._a.size)
    dtype = property(lambda self: self._a.dtype)
    strides = property(lambda self: self._a.strides)
    itemsize = property(lambda self: self._a.itemsize)
    nbytes = property(lambda self: self._a.nbytes)
    flags = property(lambda self: _Flags(self._a))
    device = property(lambda self: Device(0))
    data = property(lambda self: _Memory(self._a.__array_interface__["data"][0]))
    T = property(lambda self: ndarray(self._a.T))
    real = property(lambda self: ndarray(self._a.real))
    imag = property(lambda self: ndarray(self._a.imag))

    @property
    def base(self):
        root = self._a.base
        if not isinstance(root, np.ndarray):
            return None
        while isinstance(root.base, np.ndarray):
            root = root.base
        return ndarray(root)

    def get(self):
        return _read(self._a.copy())

    def item(self):
        return _read(self._a.item())

    def __array__(self, *args, **kwargs):
        raise TypeError("Implicit conversion to a NumPy array is not allowed. "
                        "Please use `.get()` to construct a NumPy array explicitly.")

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        if method != "__call__":
            return NotImplemented
        if ufunc.__name__ in _COMPARISONS:
            inputs = tuple(x.item() if isinstance(x, np.ndarray) and x.ndim == 0 else x for x in inputs)
        out = kwargs.get("out")
        kwargs = _device_arg(kwargs)
        if out is not None:
            kwargs["out"] = tuple(_device_arg(o) for o in out)
        result = (_integral_power if ufunc is np.power else ufunc)(*_device_arg(inputs), **kwargs)
        return out[0] if out is not None else _wrap(result)

    def __array_function__(self, func, types, args, kwargs):
        if func.__name__ not in _IMPLEMENTED:
            return NotImplemented
        if not all(issubclass(t, (ndarray, np.ndarray)) for t in types):
            return NotImplemented
        args, kwargs = _device_arg(args), _device_arg(kwargs)
        result = func(*args, **kwargs)
        if func is np.broadcast_to:
            result = _writable_view(args[0], result)
        elif func is np.broadcast_arrays:
            result = [_writable_view(a, r) for a, r in zip(args, result)]
        return _wrap(result)

    def __getitem__(self, key):
        return _wrap(self._a[_index_arg(key)])

    def __setitem__(self, key, value):
        if isinstance(value, np.ndarray) and value.ndim:
            raise ValueError("non-scalar numpy.ndarray cannot be used for fill")
        self._a[_index_arg(key)] = value._a if isinstance(value, ndarray) else value

    def __bool__(self):
        return _read(bool(self._a))

    def __int__(self):
        return _read(int(self._a))

    def __float__(self):
        return _read(float(self._a))

    def __len__(self):
        return len(self._a)

    def __repr__(self):
        return repr(self._a)


def _integral_power(a, b, **kwargs):
    try:
        return np.power(a, b, **kwargs)
    except ValueError:
        a, b = np.asarray(a), np.asarray(b)
        neg = b < 0
        r = np.power(a, np.where(neg, 0, b), **{k: v for k, v in kwargs.items() if k != "out"})
        r[...] = np.where(neg, np.where(a == 1, 1, np.where(a == -1, 1 - 2 * (b & 1), 0)), r)
        if "out" in kwargs:
            kwargs["out"][0][...] = r
            return kwargs["out"][0]
        return r


def _writable_view(source, view):
    return np.lib.stride_tricks.as_strided(source, view.shape, view.strides)


def _read(value):
    global host_reads
    host_reads += 1
    return value


def _method(name):
    def method(self, *args, **kwargs):
        return _wrap(getattr(self._a, name)(*_device_arg(args), **_device_arg(kwargs)))
    method.__name__ = name
    return method


for _name in _METHODS:
    setattr(ndarray, _name, _method(_name))


def asarray(a, dtype=None):
    """Host to device (a copy), or the device array itself."""
    if isinstance(a, ndarray):
        return a if dtype is None else a.astype(dtype)
    return ndarray(np.array(a, dtype=dtype))


def _creation(fn):
    def create(*args, **kwargs):
        return ndarray(np.asarray(fn(*args, **kwargs)))
    create.__name__ = fn.__name__
    return create


zeros, ones, empty, full, eye, arange, linspace = map(_creation, (np.zeros, np.ones, np.empty, np.full, np.eye,
                                                                   np.arange, np.linspace))


class _Runtime:
    @staticmethod
    def getDeviceCount():
        return 1


class cuda:
    Device = Device
    runtime = _Runtime
