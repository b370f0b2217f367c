"""Reductions with libtorch's result dtypes and errors, 1-based `dim` in and 1-based indices out where R
torch shifts them: `sum`, `prod`, `mean`, `var`, `std` (and `var_mean`, `std_mean`), `max`/`min` (with
indices), `argmax`/`argmin`, `all`/`any`, `amax`/`amin`/`aminmax`, cumulative ones (`cumsum`, `cumprod`,
`cummax`, `cummin`, `logcumsumexp`), `logsumexp`, `softmax`/`log_softmax`, NaN-aware sums, counting
(`count_nonzero`, `bincount`), `diff`, norms and distances (`norm`, `dist`, `torch_cdist`) and trapezoidal
integration. Sorting and order statistics are in `_ordering.py`.

`cummax` and `cummin` return libtorch's 0-based indices: R torch does not wrap them (R/wrapers.R,
R/with-indices.R shift only `max`, `min`, `sort`, `topk`, `argmax`, `argmin`, `argsort`, `nonzero`).
"""
import math

import numpy as np

from ._devices import to_device_array, to_host
from ._dtypes import COMPLEX, DTYPES, FLOATING, INTEGRAL, LOW_PRECISION, LOW_PRECISION_NUMPY, as_dtype, result_type
from ._tensor import Tensor, wrap, wrap_as
from ._creation import torch_tensor
from ._indexing import ZERO_INDEX, dim0, dims0
from ._manipulation import cat
from ._operations import _accumulator, _as_tensor, _check_bool_sub, maximum, minimum
from ._scalars import _writable, broadcast_error

_FLOAT, _DOUBLE, _HALF = DTYPES["Float"], DTYPES["Double"], DTYPES["Half"]
_LONG, _BOOL = DTYPES["Long"], DTYPES["Bool"]


# ---- helpers ------------------------------------------------------------------------------------

def _tensor(x, like=None):
    if type(x) is Tensor:
        return x
    return torch_tensor(x, device=None if like is None else like.device)


def _host(t):
    return to_host(t._data)


def _out(array, like):
    """Wrap a host result on `like`'s device."""
    array = np.asarray(array)
    return wrap(array if type(like._data) is np.ndarray else to_device_array(array, like.device))


def _not_implemented(kernel, t):
    return RuntimeError(f"\"{kernel}\" not implemented for '{t.dtype.name}'")


def _refuse(t, kernel, bool_too=True):
    if t.dtype.category == COMPLEX or (bool_too and t.dtype is _BOOL):
        raise _not_implemented(kernel, t)


def _libtorch_dim(dim):
    """The dim libtorch sees after R torch's translation (1-based positive dims lose 1)."""
    return dim - 1 if dim > 0 else dim


def _last(data, axis):
    """`data` with `axis` moved last (a 0-d array becomes 1-d)."""
    return np.moveaxis(data.reshape(1) if data.ndim == 0 else data, axis, -1)


def _back(res, axis, ndim, keepdim):
    """A result computed over the last axis, put back as libtorch shapes a reduction along `axis`."""
    if ndim == 0:
        return res.reshape(())
    return np.expand_dims(res, axis) if keepdim else res


def _nonzero_size(t, name, axis, sep="(): "):
    if t._data.ndim and t._data.shape[axis] == 0:
        raise IndexError(f"{name}{sep}Expected reduction dim {axis} to have non-zero size.")


def _pair(values, indices, like):
    return _out(values, like), _out(np.asarray(indices, np.int64), like)


# ---- median, nanmedian, kthvalue, mode ----------------------------------------------------------


# ---- quantile, nanquantile ----------------------------------------------------------------------


# ---- amax, amin, aminmax ------------------------------------------------------------------------

def _amaxmin(pick, name, kernel):
    def op(self, dim=(), keepdim=False):
        _refuse(self, kernel, bool_too=False)
        data = _host(self)
        axes = () if dim is None else dims0(dim, data.ndim) if np.size(dim) else ()
        axes = (axes,) if type(axes) is int else axes
        if data.ndim == 0:
            return _out(data.copy(), self)
        if not axes:
            if data.size == 0:
                raise RuntimeError(f"{name}(): Expected reduction dim to be specified for input.numel() == 0. "
                                   "Specify the reduction dim with the 'dim' argument.")
            axes = tuple(range(data.ndim))
        for a in axes:
            _nonzero_size(self, name, a)
        return _out(pick(data, axis=axes, keepdims=keepdim), self)
    op.__name__ = name
    op.__doc__ = (f"`torch_{name}(x, dim = list())`: the {name[1:]}imum over 1-based `dim` (all dims by default); "
                  "NaN propagates, values only.")
    return op


amax = _amaxmin(np.max, "amax", "max_values_cpu")
amin = _amaxmin(np.min, "amin", "min_values_cpu")


def aminmax(self, dim=None, keepdim=False):
    """`torch_aminmax(x, dim = NULL)`: R torch's list of the minimum and the maximum (over all elements, or
    along 1-based `dim`)."""
    _refuse(self, "aminmax_cpu", bool_too=False)
    data = _host(self)
    if dim is None:
        if data.size == 0:
            raise RuntimeError("aminmax(): cannot compute aminmax over an empty dimension as the operation has "
                               "no identity.")
        shape = (1,) * data.ndim if keepdim else ()
        return _out(data.min().reshape(shape), self), _out(data.max().reshape(shape), self)
    axis = dim0(dim, data.ndim)
    if data.ndim == 0:
        return _out(data.copy(), self), _out(data.copy(), self)
    _nonzero_size(self, "aminmax", axis, sep=": ")
    return (_out(data.min(axis=axis, keepdims=keepdim), self), _out(data.max(axis=axis, keepdims=keepdim), self))


# ---- cumulative ---------------------------------------------------------------------------------

def _cumext(ufunc, name):
    def op(self, dim):
        _refuse(self, f"{name}_cpu", bool_too=False)
        data = _host(self)
        if data.ndim == 0 and _libtorch_dim(int(dim)) not in (0, -1):
            raise IndexError(f"{name}(): Expected reduction dim -1 or 0 for scalar but got {_libtorch_dim(int(dim))}")
        if data.ndim == 0 or data.size == 0:  # libtorch wraps `dim` only when there is something to do
            return _pair(data.copy(), np.zeros(data.shape, np.int64), self)
        axis = dim0(dim, data.ndim)
        running = ufunc.accumulate(data, axis=axis)
        update = data == running
        if data.dtype.kind == "f":
            update |= np.isnan(data)
        shape = [1] * data.ndim
        shape[axis] = data.shape[axis]
        pos = np.arange(data.shape[axis]).reshape(shape)
        return _pair(running, np.maximum.accumulate(np.where(update, pos, 0), axis=axis), self)
    op.__name__ = name
    op.__doc__ = (f"`torch_{name}(x, dim)`: R torch's list of the running {name[3:]}imum along 1-based `dim` and "
                  "libtorch's 0-based indices of where it was reached (the latest of equal values; R torch adds "
                  "nothing to them).")
    return op


cummax = _cumext(np.maximum, "cummax")
cummin = _cumext(np.minimum, "cummin")


def logcumsumexp(self, dim):
    """`torch_logcumsumexp(x, dim)`: log(cumsum(exp(x))) along 1-based `dim`, floating-point input only."""
    data = _host(self)
    axis = dim0(dim, data.ndim)
    if self.dtype.category != FLOATING:
        raise _not_implemented("logcumsumexp_out_cpu", self)
    if data.ndim == 0:
        return _out(data.copy(), self)
    acc = data.astype(np.float32) if data.dtype in LOW_PRECISION_NUMPY else data
    return _out(np.logaddexp.accumulate(acc, axis=axis).astype(data.dtype), self)


# ---- counting and NaN-aware sums ----------------------------------------------------------------

def _dims_tuple(dim, ndim):
    if dim is None or (isinstance(dim, (list, tuple)) and len(dim) == 0):  # `dim = list()`: every dim
        return None
    axes = dims0(dim, ndim)
    axes = (axes,) if type(axes) is int else axes
    if len(set(axes)) != len(axes):
        dup = next(a for a in axes if axes.count(a) > 1)
        raise RuntimeError(f"dim {dup} appears multiple times in the list of dims")
    return axes if ndim else ()


def count_nonzero(self, dim=None):
    """`torch_count_nonzero(x, dim = NULL)`: a Long count over all elements or 1-based `dim` (one or several)."""
    data = _host(self)
    return _out(np.count_nonzero(data, axis=_dims_tuple(dim, data.ndim)).astype(np.int64), self)


def nansum(self, dim=None, keepdim=False, dtype=None):
    """`torch_nansum(x)`: the sum treating NaN as 0; integer and Bool input sum to Long, as `sum` does."""
    _refuse(self, "nansum_cpu", bool_too=False)
    out = as_dtype(dtype) if dtype is not None else _LONG if self.dtype.category < FLOATING else self.dtype
    data = _host(self)
    if data.dtype.kind == "f":
        data = np.where(np.isnan(data), 0, data)
    acc = _accumulator(out.numpy)
    res = np.sum(data, axis=_dims_tuple(dim, data.ndim), keepdims=keepdim, dtype=acc)
    return _out(np.asarray(res).astype(out.numpy), self)


def nanmean(self, dim=None, keepdim=False, dtype=None):
    """`torch_nanmean(x)`: the mean of the non-NaN elements (NaN where there is none); floating-point input
    only, whatever `dtype` says, as in libtorch."""
    if self.dtype.category < FLOATING:
        raise RuntimeError("nanmean(): expected input to have floating point or complex dtype but got "
                           f"{self.dtype.name}")
    out = as_dtype(dtype) if dtype is not None else self.dtype
    data = _host(self)
    axes = _dims_tuple(dim, data.ndim)
    nan = np.isnan(data)
    acc = _accumulator(data.dtype)
    total = np.sum(np.where(nan, 0, data), axis=axes, keepdims=keepdim, dtype=acc)
    count = np.sum(~nan, axis=axes, keepdims=keepdim)
    return _out(np.asarray(total / count).astype(out.numpy), self)


# ---- norms and distances ------------------------------------------------------------------------

def _vector_norm(data, p, axes, keepdim):
    a = np.abs(data)
    if p == math.inf:
        return np.max(a, axis=axes, keepdims=keepdim)
    if p == -math.inf:
        return np.min(a, axis=axes, keepdims=keepdim)
    if p == 0:
        return np.sum(a != 0, axis=axes, keepdims=keepdim).astype(a.dtype)
    if p == 1:
        return np.sum(a, axis=axes, keepdims=keepdim)
    if p == 2:
        return np.sqrt(np.sum(a * a, axis=axes, keepdims=keepdim))
    return np.sum(a ** p, axis=axes, keepdims=keepdim) ** (1.0 / p)


def _norm_of(data, p, axes, keepdim, out_np):
    if data.size == 0 and p in (math.inf, -math.inf) and (axes is None or any(data.shape[a] == 0 for a in axes)):
        raise RuntimeError("linalg.vector_norm cannot compute the inf norm on an empty tensor because the "
                           "operation does not have an identity")
    work = data.astype(np.float32) if data.dtype in LOW_PRECISION_NUMPY else data
    return np.asarray(_vector_norm(work, float(p), axes, keepdim)).astype(out_np)


def norm(self, p=2, dim=None, keepdim=False, dtype=None):
    """`torch_norm(self, p = 2, dim, keepdim = FALSE, dtype)`: the vector p-norm over all elements or 1-based
    `dim`. As R torch passes `dtype = self$dtype` when it is missing, integer input is an error and so is
    complex input (libtorch then wants a real output dtype)."""
    out = self.dtype if dtype is None else as_dtype(dtype)
    if isinstance(p, str):
        raise TypeError("p must be a number in torch_norm()")
    if out.category == COMPLEX:
        real = "float" if out.name == "ComplexFloat" else "double"
        raise RuntimeError(f"Expected out tensor to have dtype {real}, but got c10::complex<{real}> instead")
    if out.category < FLOATING:
        raise RuntimeError(f"norm(): the desired output dtype should be either floating point or complex. "
                           f"Got {out.name} instead.")
    if self.dtype.category < FLOATING:
        raise RuntimeError(f"linalg.vector_norm: Expected a floating point or complex tensor as input. "
                           f"Got {self.dtype.name}")
    if result_type([self.dtype, out], []) is not out:
        raise RuntimeError(f"linalg.vector_norm: the dtype of the input ({self.dtype.name}) should be convertible "
                           f"without narrowing to the specified dtype ({out.name})")
    data = _host(self).astype(out.numpy)
    axes = None if dim is None or np.size(dim) == 0 else _dims_tuple(dim, data.ndim)
    if axes == ():
        axes = None
    if axes is None and keepdim:
        axes = tuple(range(data.ndim))
    return _out(_norm_of(data, p, axes, keepdim, out.numpy), self)


def dist(self, other, p=2):
    """`torch_dist(x, y, p = 2)`: the p-norm of `x - y` (broadcast, with libtorch's promotion)."""
    other = _tensor(other, self)
    _check_bool_sub(self._data, other._data)  # libtorch's dist is norm(x - y): the subtraction's checks first
    try:
        np.broadcast_shapes(self.shape, other.shape)
    except ValueError:
        raise broadcast_error(self.shape, other.shape) from None
    res = result_type([self.dtype, other.dtype], [])
    if res.category < FLOATING:
        raise RuntimeError(f"norm(): input dtype should be either floating point or complex. Got {res.name} instead.")
    a, b = _host(self).astype(res.numpy), _host(other).astype(res.numpy)
    try:
        diff = a - b
    except ValueError:
        raise broadcast_error(a.shape, b.shape) from None
    out = DTYPES["Float"] if res.name == "ComplexFloat" else DTYPES["Double"] if res.name == "ComplexDouble" else res
    return _out(_norm_of(diff, p, None, False, out.numpy), self)


def torch_cdist(x1, x2, p=2, compute_mode=None):
    """`torch_cdist(x1, x2, p = 2, compute_mode = NULL)`: p-norm distances between the rows of `x1` and of
    `x2` (batched over leading dims). `compute_mode` (R torch passes libtorch's integer, or NULL) only
    changes rounding in libtorch, and nothing here."""
    x1, x2 = _tensor(x1), _tensor(x2)
    for name, t in (("X1", x1), ("X2", x2)):
        if t.dtype.category != FLOATING:
            raise RuntimeError(f"cdist only supports floating-point dtypes, {name} got: {t.dtype.name}")
    for name, t in (("X1", x1), ("X2", x2)):
        if t._data.ndim < 2:
            raise RuntimeError(f"cdist only supports at least 2D tensors, {name} got: {t._data.ndim}D")
    a, b = _host(x1), _host(x2)
    if a.shape[-1] != b.shape[-1]:
        raise RuntimeError(f"X1 and X2 must have the same number of columns. X1: {a.shape[-1]} X2: {b.shape[-1]}")
    if x1.dtype is not x2.dtype:
        raise RuntimeError(f"expected scalar type {x1.dtype.name} but found {x2.dtype.name}")
    if p < 0:
        raise RuntimeError("cdist only supports non-negative p values")
    try:
        diff = a[..., :, None, :] - b[..., None, :, :]
    except ValueError:
        raise broadcast_error(a.shape[:-2], b.shape[:-2]) from None
    return _out(_norm_of(diff, p, (diff.ndim - 1,), False, a.dtype), x1)


# ---- unique -------------------------------------------------------------------------------------


# ---- histc, searchsorted, bucketize -------------------------------------------------------------


# ---- trapezoidal rule ---------------------------------------------------------------------------

def _trapezoid_operands(y, x, dim, name):
    y = _tensor(y)
    if y.dtype is _BOOL:
        raise RuntimeError(f"{name}: received a bool input for `y`, but bool is not supported")
    data = _host(y)
    if data.ndim == 0:
        d = _libtorch_dim(int(dim))
        if name == "cumulative_trapezoid":
            raise IndexError("slice() cannot be applied to a 0-dim tensor.")
        raise IndexError(f"Dimension specified as {d} but tensor has no dimensions")
    axis = dim0(dim, data.ndim)
    if x is None:
        res = y.dtype if y.dtype.category >= FLOATING else _FLOAT
        return data.astype(res.numpy), None, axis, res, y
    x = _tensor(x, y)
    if x.dtype is _BOOL:
        raise RuntimeError(f"{name}: received a bool input for `x`, but bool is not supported")
    res = result_type([y.dtype, x.dtype], [])
    res = res if res.category >= FLOATING else _FLOAT
    xd = _host(x).astype(res.numpy)
    if xd.ndim == 1:
        if xd.shape[0] != data.shape[axis]:
            raise RuntimeError(f"{name}: There must be one `x` value for each sample point")
        shape = [1] * data.ndim
        shape[axis] = xd.shape[0]
        xd = xd.reshape(shape)
    return data.astype(res.numpy), np.diff(xd, axis=axis), axis, res, y


def _pieces(data, dx, axis):
    n = data.shape[axis]
    hi = np.take(data, np.arange(1, n), axis=axis)
    lo = np.take(data, np.arange(0, n - 1), axis=axis)
    return (hi + lo) * dx / 2


def torch_trapezoid(y, dx=1, x=None, dim=-1):
    """`torch_trapezoid(y, dx = 1, x, dim = -1)`: the trapezoidal rule along 1-based `dim`, with spacing
    `dx` or sample points `x`; integer input gives Float."""
    data, xd, axis, res, y = _trapezoid_operands(y, x, dim, "trapezoid")
    if data.shape[axis] == 0:  # libtorch: zeros shaped as y without dim, in y's (floating) dtype
        out = y.dtype if y.dtype.category >= FLOATING else res
        return _out(np.zeros(data.shape[:axis] + data.shape[axis + 1:], out.numpy), y)
    if xd is None:  # libtorch's formula: (sum - (first + last) / 2) * dx (NaN from an Inf or NaN end)
        ends = np.take(data, 0, axis=axis) + np.take(data, -1, axis=axis)
        out = (np.sum(data, axis=axis) - ends * res.numpy.type(0.5)) * res.numpy.type(dx)
        return _out(np.asarray(out).astype(res.numpy), y)
    return _out(np.asarray(np.sum(_pieces(data, xd, axis), axis=axis)).astype(res.numpy), y)


def torch_trapz(y, dx=1, x=None, dim=-1):
    """`torch_trapz()`: the older name of `torch_trapezoid()`."""
    return torch_trapezoid(y, dx, x, dim)


def torch_cumulative_trapezoid(y, dx=1, x=None, dim=-1):
    """`torch_cumulative_trapezoid(y, dx = 1, x, dim = -1)`: the running trapezoidal rule along 1-based
    `dim` (one element fewer along `dim`)."""
    data, xd, axis, res, y = _trapezoid_operands(y, x, dim, "cumulative_trapezoid")
    steps = xd if xd is not None else res.numpy.type(dx)
    if data.shape[axis] == 0:
        return _out(data.copy(), y)
    return _out(np.cumsum(_pieces(data, steps, axis), axis=axis).astype(res.numpy), y)


def _reduce_dtype(dtype, kind):
    if kind == "sum" and dtype.category < FLOATING:
        return _LONG
    return dtype


def _axes(self, dim):
    """0-based axes of a reduction; a 0-d tensor accepts dim 1 or -1 and reduces nothing."""
    if dim is None:
        return None
    axes = dims0(dim, self._data.ndim)
    return axes if self._data.ndim else None


_REAL_OF = {"ComplexFloat": DTYPES["Float"], "ComplexDouble": DTYPES["Double"]}


def _no_complex(self, name):
    if self.dtype.category == COMPLEX:
        raise RuntimeError(f"{name}(): does not support complex input")


def _no_bool_or_complex(self, name):
    _no_complex(self, name)
    if self.dtype is _BOOL:
        raise RuntimeError(f"{name}(): does not support bool input")


def sum_of(self, dim=None, keepdim=False, dtype=None):
    """`x$sum(dim = 1)`: integer and Bool tensors sum to Long, as in libtorch."""
    data = self._data
    if dtype is None and self.dtype.category >= FLOATING:
        if type(data) is np.ndarray:
            axis = None if dim is None else dims0(dim, data.ndim)
            if self.dtype in LOW_PRECISION:  # in float32, as libtorch (and NumPy for Half) accumulates
                return wrap_as(np.asarray(np.add.reduce(data, axis=axis, keepdims=keepdim, dtype=np.float32))
                               .astype(data.dtype), self.dtype)
            return wrap_as(np.asarray(np.add.reduce(data, axis=axis, keepdims=keepdim)), self.dtype)
        return wrap(data.sum(axis=None if dim is None else dims0(dim, data.ndim), keepdims=keepdim))
    out = _reduce_dtype(self.dtype, "sum") if dtype is None else _dtype_arg(dtype)
    axis = _axes(self, dim)
    if self.dtype is out:
        return wrap(data.sum(axis=axis, keepdims=keepdim))
    return wrap(data.sum(axis=axis, keepdims=keepdim, dtype=out.numpy))


def prod(self, dim=None, keepdim=False, dtype=None):
    out = _reduce_dtype(self.dtype, "sum") if dtype is None else _dtype_arg(dtype)
    return wrap(self._data.prod(axis=_axes(self, dim), keepdims=keepdim, dtype=out.numpy))


def _need_float(self, name):
    if self.dtype.category < FLOATING:
        raise RuntimeError(f"{name}(): could not infer output dtype. Input dtype must be either a floating "
                           f"point or complex dtype. Got: {self.dtype.name}")


def mean(self, dim=None, keepdim=False, dtype=None):
    if dtype is None:
        _need_float(self, "mean")
        out = self.dtype
    else:
        out = _dtype_arg(dtype)
    return wrap(self._data.mean(axis=_axes(self, dim), keepdims=keepdim,
                                dtype=_accumulator(out.numpy)).astype(out.numpy, copy=False))


def var(self, dim=None, unbiased=True, keepdim=False):
    _need_float(self, "var")
    out = _REAL_OF.get(self.dtype.name, self.dtype)
    return wrap(self._data.var(axis=_axes(self, dim), ddof=int(unbiased), keepdims=keepdim,
                               dtype=_accumulator(self._data.dtype)).astype(out.numpy, copy=False))


def std(self, dim=None, unbiased=True, keepdim=False):
    _need_float(self, "std")
    out = _REAL_OF.get(self.dtype.name, self.dtype)
    return wrap(self._data.std(axis=_axes(self, dim), ddof=int(unbiased), keepdims=keepdim,
                               dtype=_accumulator(self._data.dtype)).astype(out.numpy, copy=False))


def _empty_check(self, name, axis):
    shape = self._data.shape
    if self._data.size == 0 and (axis is None or shape[axis] == 0):
        raise IndexError(f"{name}(): Expected reduction dim to be specified for input.numel() == 0. "
                         "Specify the reduction dim with the 'dim' argument.")


def _extreme(pick, arg, name):
    def op(self, dim=None, keepdim=False, other=None):
        """Without `dim`, the value; with `dim`, R torch's list of values and 1-based indices; with a
        tensor, the element-wise extreme."""
        if isinstance(dim, Tensor) or other is not None:
            if other is not None and dim is not None:
                raise ValueError(f"{name}(): give either `dim` or `other`, not both")
            return (maximum if name == "max" else minimum)(self, other if other is not None else dim)
        data = self._data
        _no_complex(self, name)
        if dim is None:
            _empty_check(self, name, None)
            return wrap(_nan_extreme(pick, data, None, False))
        axis = dim0(dim, data.ndim)
        _empty_check(self, name, axis if data.ndim else None)
        if data.ndim == 0:
            return wrap(data.copy()), wrap(np.ones_like(data, np.int64))
        values = _nan_extreme(pick, data, axis, keepdim)
        idx = _nan_arg(arg, data, axis)
        if keepdim:
            idx = np.expand_dims(idx, axis)
        return wrap(values), wrap(idx.astype(np.int64) + 1)
    return op


def _nan_extreme(pick, data, axis, keepdim):
    return pick(data, axis=axis, keepdims=keepdim)


def _nan_arg(arg, data, axis):
    if data.dtype.kind in "fc":
        nan = np.isnan(data)
        if nan.any():
            idx = arg(data, axis=axis)
            first_nan = np.argmax(nan, axis=axis)
            return np.where(nan.any(axis=axis), first_nan, idx)
    return arg(data, axis=axis)


max_of = _extreme(np.max, np.argmax, "max")


min_of = _extreme(np.min, np.argmin, "min")


def argmax(self, dim=None, keepdim=False):
    """1-based, as R torch returns it."""
    return _argext(self, dim, keepdim, np.argmax, "argmax")


def argmin(self, dim=None, keepdim=False):
    return _argext(self, dim, keepdim, np.argmin, "argmin")


def _argext(self, dim, keepdim, arg, name):
    data = self._data
    _no_bool_or_complex(self, name)
    if dim is None:
        _empty_check(self, name, None)
        return wrap((_nan_arg(arg, data.reshape(-1), 0) + 1).astype(np.int64, copy=False))
    axis = dim0(dim, data.ndim)
    if data.ndim == 0:
        return wrap(np.ones_like(data, np.int64))
    idx = _nan_arg(arg, data, axis)
    if keepdim:
        idx = np.expand_dims(idx, axis)
    return wrap(idx.astype(np.int64, copy=False) + 1)


def all_of(self, dim=None, keepdim=False):
    """Bool, except that a Byte tensor gives Byte (libtorch keeps uint8 for all/any)."""
    out = np.all(self._data, axis=_axes(self, dim), keepdims=keepdim)
    return wrap(out.astype(np.uint8) if self._data.dtype == np.uint8 else out)


def any_of(self, dim=None, keepdim=False):
    out = np.any(self._data, axis=_axes(self, dim), keepdims=keepdim)
    return wrap(out.astype(np.uint8) if self._data.dtype == np.uint8 else out)


def cumsum(self, dim, dtype=None):
    out = _reduce_dtype(self.dtype, "sum") if dtype is None else _dtype_arg(dtype)
    acc = np.cumsum(self._data, axis=dim0(dim, self._data.ndim), dtype=_accumulator(out.numpy))
    return wrap(acc.astype(out.numpy, order="C", copy=False).reshape(self._data.shape))


def cumprod(self, dim, dtype=None):
    out = _reduce_dtype(self.dtype, "sum") if dtype is None else _dtype_arg(dtype)
    acc = np.cumprod(self._data, axis=dim0(dim, self._data.ndim), dtype=_accumulator(out.numpy))
    return wrap(acc.astype(out.numpy, order="C", copy=False).reshape(self._data.shape))


def _dtype_arg(d):
    from ._dtypes import as_dtype
    return as_dtype(d)


def logsumexp(self, dim, keepdim=False):
    """log(sum(exp(x))) along `dim` (1-based), computed without overflow; integer input gives Float."""
    data = self._data if self.dtype.category >= FLOATING else self._data.astype(np.float32)
    axes = _axes(self, dim)
    if data.size == 0:
        return wrap(np.log(np.sum(np.exp(data), axis=axes, keepdims=keepdim)))
    top = np.max(data, axis=axes, keepdims=True)
    top = np.where(np.isfinite(top), top, np.zeros_like(top))
    out = np.log(np.sum(np.exp(data - top), axis=axes, keepdims=True)) + top
    return wrap(out if keepdim else np.squeeze(out, axis=axes) if axes is not None else out.reshape(()))


def softmax(self, dim, dtype=None):
    """`torch_softmax(x, dim)` along 1-based `dim`; integer input needs `dtype`, as in libtorch."""
    data = self._data if dtype is None else self._data.astype(_dtype_arg(dtype).numpy)
    axis = _axes(self, dim)
    if data.size == 0:  # libtorch runs no kernel, so any dtype goes
        return wrap(data.copy())
    if data.dtype.kind not in "fc" and data.dtype not in LOW_PRECISION_NUMPY:
        raise RuntimeError(f'"softmax_lastdim_kernel_impl" not implemented for \'{self.dtype.name}\'')
    work = data.astype(np.float32) if data.dtype in LOW_PRECISION_NUMPY and data.dtype != np.float16 else data
    e = np.exp(work - np.max(work, axis=axis, keepdims=True))
    return wrap((e / np.sum(e, axis=axis, keepdims=True)).astype(data.dtype, copy=False))


def log_softmax(self, dim, dtype=None):
    data = self._data if dtype is None else self._data.astype(_dtype_arg(dtype).numpy)
    axis = _axes(self, dim)
    if data.size == 0:  # libtorch runs no kernel, so any dtype goes
        return wrap(data.copy())
    if data.dtype.kind not in "fc":
        raise RuntimeError(f'"log_softmax_lastdim_kernel_impl" not implemented for \'{self.dtype.name}\'')
    shifted = data - np.max(data, axis=axis, keepdims=True)
    return wrap(shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True)))


def diff(self, n=1, dim=-1, prepend=None, append=None):
    """`torch_diff(x)`: `n`-th differences along 1-based `dim`, after `prepend`/`append` are joined on."""
    if self._data.ndim == 0:
        raise RuntimeError("diff expects input to be at least one-dimensional")
    if n < 0:
        raise RuntimeError(f"order must be non-negative but got {n}")
    if n == 0 and prepend is None and append is None:  # libtorch's copy, `dim` unchecked
        return wrap(self._data.copy())
    parts = [t if isinstance(t, Tensor) else _as_tensor(t, self) for t in (prepend, self, append) if t is not None]
    x = cat(parts, dim=dim) if len(parts) > 1 else self
    data = x._data
    if data.ndim == 0:
        raise RuntimeError("diff expects input to be at least one-dimensional")
    axis = dim0(dim, data.ndim)
    if data.dtype == np.bool_:
        out = data
        for _ in range(n):
            out = np.logical_xor(np.delete(out, 0, axis), np.delete(out, -1, axis)) if out.shape[axis] else out
        return wrap(out)
    return wrap(np.diff(data, n=n, axis=axis))


def bincount(self, weights=None, minlength=0):
    """`torch_bincount(x)`: counts of the values 1, 2, ..., as R torch shifts them (a 0 is an error)."""
    data = self._data
    if self.dtype.category != INTEGRAL:  # libtorch dispatches on the dtype before it looks at the shape
        raise RuntimeError(f"\"bincount_cpu\" not implemented for '{self.dtype.name}'")
    if data.ndim != 1:
        raise RuntimeError("bincount only supports 1-d non-negative integral inputs.")
    if data.size and (data == 0).any():
        raise RuntimeError(ZERO_INDEX)
    if data.size and (data < 0).any():
        raise RuntimeError("bincount only supports 1-d non-negative integral inputs.")
    w = None if weights is None else (weights._data if isinstance(weights, Tensor) else np.asarray(weights))
    out = np.bincount(data.astype(np.int64) - 1 if data.size else data.astype(np.int64), weights=w,
                      minlength=minlength)
    if w is None:
        return wrap(out.astype(np.int64))
    return wrap(out.astype(w.dtype if w.dtype.kind == "f" else np.float64))


def var_mean(self, dim=None, unbiased=True, keepdim=False):
    """`torch_var_mean(x, dim)`: the pair (variance, mean) along 1-based `dim` (all of `x` without it)."""
    return var(self, dim, unbiased, keepdim), mean(self, dim, keepdim)


def std_mean(self, dim=None, unbiased=True, keepdim=False):
    """`torch_std_mean(x, dim)`: the pair (standard deviation, mean)."""
    return std(self, dim, unbiased, keepdim), mean(self, dim, keepdim)


def renorm(self, p, dim, maxnorm):
    """`x$renorm(p, dim, maxnorm)`: each slice of `x` along 1-based `dim` whose p-norm exceeds `maxnorm`
    scaled to norm `maxnorm` (libtorch's factor maxnorm / (norm + 1e-7)); the others left as they are."""
    data = self._data
    if self.dtype.category < FLOATING:
        raise RuntimeError(f"linalg.vector_norm: Expected a floating point or complex tensor as input. "
                           f"Got {self.dtype.name}")
    if data.ndim < 2:
        raise RuntimeError(f"renorm: input needs at least 2 dimensions, got {data.ndim} dimensions")
    p, maxnorm = float(p), float(maxnorm)
    if not p > 0:
        raise RuntimeError("renorm: non-positive-norm not supported")
    if maxnorm < 0:
        raise RuntimeError(f"renorm: expected maxnorm to be >= 0 but got {maxnorm:g}")
    axis = dim0(dim, data.ndim)
    others = tuple(i for i in range(data.ndim) if i != axis)
    host = _host(self)
    acc = np.complex128 if host.dtype.kind == "c" else np.float64  # libtorch's accumulate type on the CPU
    norm = _norm_of(host.astype(acc), p, others, True, np.float64)
    factor = np.where(norm > maxnorm, maxnorm / (norm + 1e-7), 1.0)
    return _out((host * factor.astype(host.dtype)).astype(host.dtype, copy=False), self)


def renorm_(self, p, dim, maxnorm):
    out = renorm(self, p, dim, maxnorm)
    _writable(self)
    self._data[...] = out._data
    return self
