"""Creation functions, and the one place that maps R literal types to tensor dtypes:
an R double (any Python number, a float64 array) becomes Float, an R integer (int32) Long,
an R logical Bool; other NumPy dtypes are kept."""
import numbers

import numpy as np

from ._devices import as_device, array_module, to_device_array
from ._dtypes import BY_NUMPY, DTYPES, FLOATING, INTEGRAL, _DEFAULT_DTYPE, as_dtype, cast_array
from ._layouts import CHANNELS_LAST, PRESERVE, STRIDED, as_memory_format, is_laid_out, lay_out
from ._tensor import Tensor, wrap
from ._scalars import _shape_text, _sizes, scalar_into

# R type of the data -> dtype R torch gives it
_R_DEFAULT = {np.dtype(np.float64): DTYPES["Float"], np.dtype(np.int32): DTYPES["Long"],
              np.dtype(np.bool_): DTYPES["Bool"], np.dtype(np.complex128): DTYPES["ComplexFloat"]}


_INPUT_CONVERTERS = {}


def register_input_converter(cls, fn):
    """Let `torch_tensor()` accept objects of `cls` (e.g. rpy2's R vectors): `fn(obj)` returns an R-typed
    NumPy array."""
    _INPUT_CONVERTERS[cls] = fn


class _Fresh:
    """An array a converter just made, which `torch_tensor` may keep without copying."""

    __slots__ = ("array",)

    def __init__(self, array):
        self.array = array


def _r_array(data):
    """Python scalars and (nested) lists as the R vector/array they stand for."""
    if isinstance(data, np.ndarray):
        return data
    for cls, fn in _INPUT_CONVERTERS.items():
        if isinstance(data, cls):
            return _Fresh(fn(data))
    if hasattr(data, "_to_r") and not isinstance(data, Tensor):
        return data._to_r()
    if data is None:
        return np.zeros(0, dtype=bool)
    if isinstance(data, (bool, np.bool_)):
        return np.array([data], dtype=bool)
    if isinstance(data, np.generic):
        return np.array([data])
    if isinstance(data, numbers.Real):
        return np.array([data], dtype=np.float64)
    if isinstance(data, numbers.Complex):
        return np.array([data], dtype=np.complex128)
    if isinstance(data, (list, tuple)):
        if len(data) and builtins_all(isinstance(x, Tensor) for x in data):
            raise TypeError("torch_tensor() got a list of tensors: use torch_stack() or torch_cat()")
        try:
            arr = np.array(data)
        except ValueError as exc:
            raise ValueError(f"torch_tensor() needs a rectangular (non-ragged) nested list: {exc}") from None
        if arr.dtype == object:
            raise ValueError("torch_tensor() needs a rectangular nested list of numbers or logicals")
        if arr.dtype.kind in "iu":
            arr = arr.astype(np.float64)
        return arr
    if isinstance(data, (str, bytes)):
        raise TypeError(f"torch_tensor() can't make a tensor from a string ({data!r})")
    raise TypeError(f"torch_tensor() can't make a tensor from an object of type {type(data).__name__}")


builtins_all = all


def _strict_cast(arr, dtype):
    """Cast input data to `dtype`, refusing what would change values silently (NaN/NA or out-of-range
    values into integers)."""
    target = dtype.numpy
    if arr.dtype == target:
        return arr
    if target.kind in "iu" and arr.size:
        if arr.dtype.kind in "fc":
            bad = ~np.isfinite(arr)
            if bad.any():
                i = int(np.argmax(bad.reshape(-1)))
                raise ValueError(f"element {i + 1} is {arr.reshape(-1)[i]} (NA/NaN/Inf), which a {dtype.name} tensor "
                                 "can't hold; keep a floating dtype or remove it first")
        info = np.iinfo(target)
        if arr.dtype.kind in "fiu":
            lo, hi = arr.min(), arr.max()
            if lo < info.min or hi > info.max:
                v = lo if lo < info.min else hi
                raise OverflowError(f"value {v} is out of range for a {dtype.name} tensor "
                                    f"[{info.min}, {info.max}]")
    with np.errstate(invalid="ignore"):
        return cast_array(arr, dtype)


def _placed(arr, device):
    return arr if device.type == "cpu" else to_device_array(arr, device)


def torch_tensor(data, dtype=None, device=None, requires_grad=False, pin_memory=False):
    """R torch's `torch_tensor()`: copies `data` (an R-typed NumPy array, a Python number or list, a tensor);
    a tensor stays on its device unless `device` says otherwise."""
    dev = data.device if device is None and isinstance(data, Tensor) else as_device(device)
    if isinstance(data, Tensor):
        out = data._data
        d = data.dtype if dtype is None else as_dtype(dtype)
        out = cast_array(out, d) if out.dtype != d.numpy else out.copy()
        t = wrap(to_device_array(out, dev) if dev != data.device else out)
    else:
        arr = _r_array(data)
        fresh = type(arr) is _Fresh
        if fresh:
            arr = arr.array
        if dtype is None:
            d = _R_DEFAULT.get(arr.dtype) or BY_NUMPY.get(arr.dtype)
            if d is None:
                raise TypeError(f"torch_tensor() can't hold data of type {arr.dtype}")
        else:
            d = as_dtype(dtype)
        out = _strict_cast(arr, d)
        if not ((out is not arr or fresh) and out.flags.c_contiguous):
            out = np.array(out, order="C", copy=True)
        t = wrap(_placed(out, dev))
    t.requires_grad = bool(requires_grad)
    return t


def _resolve(dtype, device):
    d = _DEFAULT_DTYPE[0] if dtype is None else as_dtype(dtype)
    dev = as_device(device)
    return d, dev, array_module(dev)


def _shape(size, args):
    shape = _sizes(args) if size is None else _sizes((size,))
    for s in shape:
        if s < 0:
            raise RuntimeError(f"Trying to create tensor with negative dimension {s}: {_shape_text(shape)}")
    return shape


def _filled(fill, args, size, dtype, device, requires_grad, memory_format=None, layout=None):
    if layout is not None and layout != STRIDED:
        raise RuntimeError(f"rtorch has strided tensors only: layout {layout!r} is not supported")
    d, dev, xp = _resolve(dtype, device)
    arr = fill(xp, _shape(size, args), d.numpy)
    if memory_format is not None and as_memory_format(memory_format) is CHANNELS_LAST:
        arr = lay_out(arr, CHANNELS_LAST, "clone")
    t = wrap(arr)
    t.requires_grad = bool(requires_grad)
    return t


def torch_zeros(*size, names=None, dtype=None, device=None, requires_grad=False, memory_format=None, **kw):
    return _filled(lambda xp, s, dt: xp.zeros(s, dt), size, kw.get("size"), dtype, device, requires_grad,
                   memory_format, kw.get("layout"))


def torch_ones(*size, names=None, dtype=None, device=None, requires_grad=False, memory_format=None, **kw):
    return _filled(lambda xp, s, dt: xp.ones(s, dt), size, kw.get("size"), dtype, device, requires_grad,
                   memory_format, kw.get("layout"))


def torch_empty(*size, names=None, dtype=None, device=None, requires_grad=False, memory_format=None, **kw):
    """R torch's `torch_empty(...)`; as the `_like` forms, it also takes `memory_format =`, which R's doesn't."""
    return _filled(lambda xp, s, dt: xp.empty(s, dt), size, kw.get("size"), dtype, device, requires_grad,
                   memory_format, kw.get("layout"))


def torch_full(size, fill_value, names=None, dtype=None, device=None, requires_grad=False, memory_format=None,
               layout=None):
    """`torch_full(c(2, 2), 7)`: a Float tensor unless `dtype` (or a logical fill) says otherwise."""
    if dtype is None and isinstance(fill_value, (bool, np.bool_)):
        dtype = "bool"
    d = _DEFAULT_DTYPE[0] if dtype is None else as_dtype(dtype)
    if isinstance(fill_value, (bool, int, float, np.generic)):
        scalar_into(fill_value, d)
    return _filled(lambda xp, s, dt: xp.full(s, fill_value, dt), (), size, d, device, requires_grad, memory_format,
                   layout)


def torch_eye(n, m=None, dtype=None, device=None, requires_grad=False):
    m = n if m is None else m
    _shape(None, (n, m))
    return _filled(lambda xp, s, dt: xp.eye(s[0], s[1], dtype=dt), (n, m), None, dtype, device, requires_grad)


def _range_number(v, what):
    """A length-one R value as (Python number, is an R integer)."""
    if isinstance(v, Tensor):
        return v.item(), v.dtype.category == INTEGRAL
    arr = np.asarray(v)
    if arr.size != 1 or arr.dtype.kind not in "biuf":
        raise TypeError(f"{what} must be a single number, not {v!r}")
    x = arr.reshape(-1)[0]
    if arr.dtype.kind == "f" and not np.isfinite(x):
        raise ValueError(f"{what} must be finite, not {x}")
    return x.item(), arr.dtype.kind in "iu" and not isinstance(v, (int, float))


def torch_arange(start, end=None, step=np.int32(1), dtype=None, device=None, requires_grad=False):
    """R torch's arange includes `end`: `torch_arange(1, 5)` is 1 2 3 4 5, and `torch_arange(5)` starts at 1.
    Long when start, end and step are all R integers (`as_integer`), else Float. As R torch does, a
    floating end is moved one float32 step outwards (`torch_nextafter()` on a Float tensor) to include it."""
    if end is None:
        start, end = np.int32(1), start
    (a, ia), (b, ib), (s, is_) = (_range_number(start, "start"), _range_number(end, "end"),
                                  _range_number(step, "step"))
    if s == 0:
        raise RuntimeError("step must be nonzero")
    if (b - a) * s < 0:
        raise RuntimeError("upper bound and larger bound inconsistent with step sign")
    if dtype is None and ia and ib and is_:
        dtype = "long"
    d, dev, xp = _resolve(dtype, device)
    if d.category < FLOATING:
        n = len(range(int(a), int(b) + (1 if s > 0 else -1), int(s)))
        data = int(a) + int(s) * np.arange(n, dtype=np.int64)
    else:
        stop = float(np.nextafter(np.float32(b), np.float32(b + (1 if s > 0 else -1))))
        n = int(np.ceil((stop - a) / s))
        data = a + s * np.arange(n, dtype=np.float64)
    t = wrap(_placed(data.astype(d.numpy), dev))
    t.requires_grad = bool(requires_grad)
    return t


def torch_linspace(start, end, steps=100, dtype=None, device=None, requires_grad=False):
    d, dev, xp = _resolve(dtype, device)
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    t = wrap(_placed(np.linspace(start, end, int(steps)).astype(d.numpy), dev))
    t.requires_grad = bool(requires_grad)
    return t


def torch_logspace(start, end, steps=100, base=10.0, dtype=None, device=None, requires_grad=False):
    d, dev, xp = _resolve(dtype, device)
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    t = wrap(_placed(np.logspace(start, end, int(steps), base=base).astype(d.numpy), dev))
    t.requires_grad = bool(requires_grad)
    return t


def _like(fn):
    def like(input, *args, dtype=None, device=None, requires_grad=False, memory_format=None, **kw):
        dtype = input.dtype if dtype is None else dtype
        device = input.device if device is None else device
        if memory_format is None or as_memory_format(memory_format) is PRESERVE:  # R torch's default
            data = input._data
            memory_format = CHANNELS_LAST if not data.flags.c_contiguous and is_laid_out(data, CHANNELS_LAST) \
                else None
        if memory_format is not None:
            kw["memory_format"] = memory_format
        return fn(input.shape, *args, dtype=dtype, device=device, requires_grad=requires_grad, **kw)
    like.__name__ = fn.__name__ + "_like"
    like.__doc__ = f"`{fn.__name__}` with the sizes, dtype and device of `input`."
    return like


torch_zeros_like = _like(torch_zeros)
torch_ones_like = _like(torch_ones)
torch_empty_like = _like(torch_empty)
torch_full_like = _like(torch_full)


def torch_scalar_tensor(value, dtype=None, device=None, requires_grad=False):
    """R torch's `torch_scalar_tensor(1)`: a 0-d tensor (Float for an R double, Long for an R integer)."""
    if isinstance(value, Tensor):
        if value.numel() != 1:
            raise ValueError("values must be length 1")
        out = torch_tensor(value, dtype=dtype, device=device)
    else:
        if np.size(value) != 1:
            raise ValueError("value must be a length 1 vector")
        out = torch_tensor(value, dtype=dtype, device=device)
    out._data = out._data.reshape(())
    out.requires_grad = bool(requires_grad)
    return out


def _indices(np_fn):
    def fn(row, col, offset=0, dtype=None, device=None, layout=None):
        d, dev, _ = _resolve("Long" if dtype is None else dtype, device)
        rows, cols = np_fn(int(row), int(offset), int(col))
        return wrap(_placed(np.stack([rows, cols]).astype(d.numpy) + 1, dev))
    return fn


torch_triu_indices = _indices(np.triu_indices)
torch_triu_indices.__name__ = "torch_triu_indices"
torch_triu_indices.__doc__ = """`torch_triu_indices(row, col, offset)`: the 1-based (row, column) positions of the upper triangle
of a row x col matrix, in a 2 x n Long tensor (row-major order, as libtorch's `triu_indices` plus 1)."""
torch_tril_indices = _indices(np.tril_indices)
torch_tril_indices.__name__ = "torch_tril_indices"
torch_tril_indices.__doc__ = "`torch_tril_indices(row, col, offset)`: as `torch_triu_indices`, for the lower triangle."


def torch_empty_strided(size, stride, dtype=None, layout=None, device=None, requires_grad=False, pin_memory=False):
    """An uninitialised tensor with the given sizes and strides (in elements)."""
    d, dev, xp = _resolve(dtype, device)
    shape, strides = _shape(size, ()), _sizes((stride,))
    if len(shape) != len(strides):
        raise RuntimeError("mismatch in length of strides and shape")
    n = 1 + sum((s - 1) * st for s, st in zip(shape, strides)) if 0 not in shape else 0
    buf = xp.empty(n, d.numpy)
    t = wrap(xp.lib.stride_tricks.as_strided(buf, shape, tuple(st * buf.itemsize for st in strides)))
    t.requires_grad = bool(requires_grad)
    return t


def torch_range(start, end, step=1, dtype=None, layout=None, device=None, requires_grad=False):
    """Deprecated in R torch in favour of `torch_arange()`, which it calls after a warning."""
    import warnings
    warnings.warn("This function is deprecated in favor of torch_arange.", FutureWarning, stacklevel=2)
    return torch_arange(start, end, step, dtype=dtype, device=device, requires_grad=requires_grad)


def torch_zeros_out(out, size):
    """`torch_zeros_out(out, size)`: `out` resized to `size` (when it differs) and filled with zeros."""
    shape = _shape(size, ())
    if tuple(out.shape) != shape:
        out._data = array_module(out.device).zeros(shape, out.dtype.numpy)
    else:
        out._data[...] = 0
    return out


_FINFO = {
    "Float": dict(bits=32, max=3.4028234663852886e+38, min=-3.4028234663852886e+38, eps=1.1920928955078125e-07,
                  tiny=1.1754943508222875e-38),
    "Double": dict(bits=64, max=1.7976931348623157e+308, min=-1.7976931348623157e+308, eps=2.220446049250313e-16,
                   tiny=2.2250738585072014e-308),
    "Half": dict(bits=16, max=65504.0, min=-65504.0, eps=0.0009765625, tiny=6.103515625e-05),
}
_IINFO = {
    "Int": dict(bits=32, max=2147483647, min=-2147483648),
    "Long": dict(bits=64, max=9223372036854775807, min=-9223372036854775808),
    "Short": dict(bits=16, max=32767, min=-32768),
    "Char": dict(bits=8, max=127, min=-128),
    "Byte": dict(bits=8, max=255, min=0),
}


def torch_finfo(dtype):
    """R torch's `torch_finfo(dtype)`: a named list (a dict here) of bits, max, min, eps and tiny."""
    info = _FINFO.get(as_dtype(dtype).name)
    if info is None:
        raise ValueError("dtype must be a float type.")
    return dict(info)


def torch_iinfo(dtype):
    """R torch's `torch_iinfo(dtype)`: a named list (a dict here) of bits, max and min."""
    info = _IINFO.get(as_dtype(dtype).name)
    if info is None:
        raise ValueError("dtype must be an integer type.")
    return dict(info)


def torch_tensor_from_buffer(buffer, shape, dtype="float"):
    """R torch's `torch_tensor_from_buffer()`: a tensor over `buffer`'s memory (an R vector or raw vector; no
    copy, so writes show in both), read in memory order with `shape`'s default strides."""
    d = as_dtype(dtype)
    shape = _sizes((shape,))
    if isinstance(buffer, np.ndarray):
        if not (buffer.flags.c_contiguous or buffer.flags.f_contiguous):
            raise ValueError("torch_tensor_from_buffer(): the buffer must be contiguous")
        raw = buffer.ravel(order="K").view(np.uint8)
    else:
        raw = np.frombuffer(buffer, dtype=np.uint8)
    need = int(np.prod(shape, dtype=np.int64)) * d.numpy.itemsize
    if raw.size < need:
        raise ValueError(f"torch_tensor_from_buffer(): the buffer holds {raw.size} bytes, the shape needs {need}")
    return wrap(raw[:need].view(d.numpy).reshape(shape))


# ---- window functions ------------------------------------------------------------------------------

def _window(name, values):
    """A window creation function: `values(n)` gives the float64 symmetric window of n >= 2 points; a
    periodic window is the symmetric one of n + 1 points without its last."""
    def window(window_length, periodic, dtype, device, requires_grad, *args):
        d, dev, _ = _resolve(dtype, device)
        if d.category != FLOATING:
            raise RuntimeError(f"{name} expects floating point dtypes, got: TensorOptions(dtype={d.c_name}, "
                               f"device={dev.short}, layout=Strided (default), requires_grad=false (default), "
                               "pinned_memory=false, memory_format=(nullopt))")
        n = int(np.ravel(window_length)[0]) if np.ndim(window_length) else int(window_length)
        if n < 0:
            raise RuntimeError(f"{name} requires non-negative window_length, got window_length={n}")
        if n <= 1:
            data = np.ones(n)
        else:
            data = values(n + 1, *args)[:-1] if periodic else values(n, *args)
        t = wrap(_placed(np.asarray(data).astype(d.numpy), dev))
        t.requires_grad = bool(requires_grad)
        return t
    return window


def _cosine_terms(n, *coefs):
    phase = 2 * np.pi * np.arange(n) / (n - 1)
    return sum(c * np.cos(k * phase) for k, c in enumerate(coefs))


_hamming = _window("hamming_window", lambda n, alpha, beta: _cosine_terms(n, alpha, -beta))
_hann = _window("hann_window", lambda n: _cosine_terms(n, 0.5, -0.5))
_blackman = _window("blackman_window", lambda n: _cosine_terms(n, 0.42, -0.5, 0.08))
_bartlett = _window("bartlett_window", lambda n: 1 - np.abs(2 * np.arange(n) / (n - 1) - 1))
_kaiser = _window("kaiser_window", lambda n, beta: np.kaiser(n, beta))


def torch_hann_window(window_length, periodic=True, dtype=None, layout=None, device=None, requires_grad=False):
    """The Hann window, 0.5 - 0.5 cos(2 pi k / (N - 1)); `periodic` drops the last point of N + 1."""
    if window_length is None:
        raise ValueError("argument 'window_length' must be int, not NULL")
    return _hann(window_length, periodic, dtype, device, requires_grad)


def torch_hamming_window(window_length, periodic=True, alpha=0.54, beta=0.46, dtype=None, layout=None, device=None,
                         requires_grad=False):
    """The Hamming window, alpha - beta cos(2 pi k / (N - 1))."""
    return _hamming(window_length, periodic, dtype, device, requires_grad, alpha, beta)


def torch_blackman_window(window_length, periodic=True, dtype=None, layout=None, device=None, requires_grad=False):
    """The Blackman window, 0.42 - 0.5 cos(2 pi k / (N - 1)) + 0.08 cos(4 pi k / (N - 1))."""
    return _blackman(window_length, periodic, dtype, device, requires_grad)


def torch_bartlett_window(window_length, periodic=True, dtype=None, layout=None, device=None, requires_grad=False):
    """The Bartlett (triangular) window, 1 - |2k / (N - 1) - 1|."""
    return _bartlett(window_length, periodic, dtype, device, requires_grad)


def torch_kaiser_window(window_length, periodic, beta=12.0, dtype=None, layout=None, device=None, requires_grad=None):
    """The Kaiser window, I0(beta sqrt(1 - (2k / (N - 1) - 1)^2)) / I0(beta). As in R torch, `periodic` has
    no default; `beta` is libtorch's 12 when left out."""
    return _kaiser(window_length, periodic, dtype, device, requires_grad, beta)
