"""Element-wise operations, comparisons, reductions and linear algebra with libtorch's semantics:
its type promotion, its broadcasting errors, 1-based dims and indices in and out."""
import builtins
import numbers

import numpy as np

from ._dtypes import DTYPES, BY_NUMPY, result_type, torch_dtype
from ._indexing import dim0, dims0
from ._tensor import Tensor, wrap, wrap_as

_FLOAT = DTYPES["Float"]
_LONG = DTYPES["Long"]
_BOOL = DTYPES["Bool"]

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


def _check_device(a, b):
    da, db = a.device, b.device
    if da != db:
        raise RuntimeError("Expected all tensors to be on the same device, but found at least two devices, "
                           f"{da.short} and {db.short}!")


def _operand(x, like):
    """(array or scalar, dtype, tier) for one operand of an element-wise op; tiers as libtorch's
    result_type: 0 a tensor with dims, 1 a 0-d tensor, 2 a wrapped scalar (an R or Python number)."""
    if type(x) is Tensor:
        if type(x._data) is not type(like._data):
            _check_device(like, x)
        return x._data, x.dtype, 0 if x._data.ndim else 1
    d = _scalar_dtype(x)
    if d is not None:
        return x, d, 2
    if isinstance(x, (list, tuple, np.ndarray)):
        from ._creation import torch_tensor
        t = torch_tensor(x, device=like.device)
        return t._data, t.dtype, 0 if t._data.ndim else 1
    raise TypeError(f"unsupported operand of type {type(x).__name__} for a tensor operation")


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


def _apply(ufunc, a, b, dtype=None, out=None):
    try:
        if out is not None:
            return ufunc(a, b, out=out, casting="unsafe")
        if dtype is None:
            return ufunc(a, b)
        return ufunc(a, b, dtype=dtype, casting="unsafe")
    except ValueError as exc:
        err = broadcast_error(np.shape(a), np.shape(b))
        if err is not None:
            raise err from None
        raise RuntimeError(str(exc)) from None


def promoted(a, b, like, kind=None):
    """The operands' arrays and the result dtype of `a op b` under libtorch's promotion."""
    xa, da, ta = _operand(a, like)
    xb, db, tb = _operand(b, like)
    if da is db:
        res = da
    else:
        tiers = ([], [], [])
        tiers[ta].append(da)
        tiers[tb].append(db)
        res = result_type(*tiers)
    if kind == "div" and res.category < 2:
        res = _FLOAT
    return xa, xb, res


def _r_vector(x):
    """A number where R torch's operator methods call `torch_tensor(x)` on it (left of `+ - * / ^ %% %/%`,
    either side of a comparison other than `!=`): a one-element vector, an R double becoming Float."""
    if type(x) is int or type(x) is float:
        return np.array([x], np.float64)
    if isinstance(x, (bool, np.generic, numbers.Number)) and not isinstance(x, Tensor):
        return np.array([x])
    return x


_ORDER_NAMES = {np.less: "lt", np.less_equal: "le", np.greater: "gt", np.greater_equal: "ge"}


def _cast(x, np_dtype):
    if hasattr(x, "dtype") and hasattr(x, "astype"):
        return x if x.dtype == np_dtype else x.astype(np_dtype)
    return np_dtype.type(x)


def binary(ufunc, kind=None, vector_rhs=False):
    """`op(self, other)`, the reflected `rop` and in-place `iop_` of a binary ufunc with libtorch's
    promotion. Same dtypes, or a float tensor with a number, take a fast path straight to NumPy.
    As R torch's operators do, a number on the left (`rop`), or on the right of a comparison
    (`vector_rhs`), takes part as a one-element Float vector (`torch_tensor(2)`), not as a scalar."""
    compare = kind == "compare"
    order = _ORDER_NAMES.get(ufunc)
    exact = kind in (None, "sub") or (compare and order is None)

    def compute(xa, xb, res):
        if res.category < 2 and kind == "intdiv":
            _check_zero_divisor(xb)
        if kind == "sub" and (getattr(xa, "dtype", None) == np.bool_ or getattr(xb, "dtype", None) == np.bool_
                              or type(xa) is bool or type(xb) is bool):
            raise RuntimeError("Subtraction, the `-` operator, with a bool tensor is not supported. If you are "
                               "trying to invert a mask, use the `~` or `logical_not()` operator instead.")
        np_dtype = res.numpy
        if compare:
            if order is not None and res.category == 3:
                raise RuntimeError(f'"{order}_cpu" not implemented for \'{res.name}\'')
            return wrap(_apply(ufunc, _cast(xa, np_dtype), _cast(xb, np_dtype)))
        return wrap(_apply(ufunc, xa, xb, np_dtype))

    def op(self, other):
        data = self._data
        if type(other) is Tensor:
            if other.dtype is self.dtype and (exact or self.dtype.category == 2) \
                    and type(other._data) is type(data):
                try:
                    return wrap(ufunc(data, other._data))
                except ValueError:
                    raise broadcast_error(data.shape, other._data.shape) from None
                except TypeError:
                    pass
        elif type(other) is float or type(other) is int:
            if vector_rhs:
                if self.dtype.category == 2 and data.ndim:
                    return wrap(ufunc(data, np.float32(other)))
                other = _r_vector(other)
            elif self.dtype.category >= 2:
                return wrap(ufunc(data, other))
        elif vector_rhs:
            other = _r_vector(other)
        return compute(*promoted(self, other, self, kind))

    def rop(self, other):
        data = self._data
        if (type(other) is float or type(other) is int) and self.dtype.category >= 2 and data.ndim:
            return wrap(ufunc(np.float32(other), data))
        return compute(*promoted(_r_vector(other), self, self, kind))

    def iop(self, other):
        xa, xb, res = promoted(self, other, self, kind)
        target = self.dtype
        if compare:
            res = _BOOL
        if res is not target and not can_cast(res, target):
            raise RuntimeError(f"result type {res.name} can't be cast to the desired output type {target.name}")
        if res.category < 2 and kind == "intdiv":
            _check_zero_divisor(xb)
        _writable(self)
        if res is target:
            _apply(ufunc, xa, xb, out=xa)
        else:
            self._data[...] = _apply(ufunc, _cast(xa, res.numpy), _cast(xb, res.numpy))
        return self

    return op, rop, iop


def can_cast(src, dst):
    """libtorch's canCast: no float to integral, no complex to non-complex, nothing but Bool to Bool."""
    if src.category > dst.category:
        return False
    return not (dst.category == 0 and src.category != 0)


def _check_zero_divisor(x):
    if np.any(np.asarray(x) == 0):
        raise RuntimeError("ZeroDivisionError")


def _writable(t):
    if not t._data.flags.writeable:
        raise RuntimeError("unsupported operation: more than one element of the written-to tensor refers to a "
                           "single memory location. Please clone() the tensor before performing the operation.")


add, radd, add_ = binary(np.add)
sub, rsub, sub_ = binary(np.subtract, "sub")
mul, rmul, mul_ = binary(np.multiply)
div, rdiv, div_ = binary(np.true_divide, "div")
remainder, rremainder, remainder_ = binary(np.remainder, "intdiv")
fmod, rfmod, fmod_ = binary(np.fmod, "intdiv")
floor_divide, rfloor_divide, floor_divide_ = binary(np.floor_divide, "intdiv")
eq, _, eq_ = binary(np.equal, "compare")
ne, _, ne_ = binary(np.not_equal, "compare")
lt, _, lt_ = binary(np.less, "compare")
le, _, le_ = binary(np.less_equal, "compare")
gt, _, gt_ = binary(np.greater, "compare")
ge, _, ge_ = binary(np.greater_equal, "compare")
# R torch's `==`, `<`, ... wrap a number on either side as `torch_tensor(x)`; `!=` passes it as a scalar
r_eq = binary(np.equal, "compare", vector_rhs=True)[0]
r_lt = binary(np.less, "compare", vector_rhs=True)[0]
r_le = binary(np.less_equal, "compare", vector_rhs=True)[0]
r_gt = binary(np.greater, "compare", vector_rhs=True)[0]
r_ge = binary(np.greater_equal, "compare", vector_rhs=True)[0]
maximum, _, _ = binary(np.maximum)
minimum, _, _ = binary(np.minimum)
atan2, _, atan2_ = binary(np.arctan2, "div")
_pow, rpow, _pow_ = binary(np.power)


def _trunc_divide(a, b, out=None, dtype=None, casting="same_kind"):
    """Division rounded toward zero (libtorch's `rounding_mode = "trunc"`), exact for integers."""
    if dtype is not None:
        a, b = np.asarray(a).astype(dtype, copy=False), np.asarray(b).astype(dtype, copy=False)
    if np.result_type(a, b).kind in "iu":
        q = np.floor_divide(a, b)
        q = q + ((np.remainder(a, b) != 0) & ((np.asarray(a) < 0) != (np.asarray(b) < 0))).astype(q.dtype)
    else:
        q = np.trunc(np.true_divide(a, b))
    if out is not None:
        out[...] = q
        return out
    return q


trunc_divide, rtrunc_divide, trunc_divide_ = binary(_trunc_divide, "intdiv")
_ROUNDING = {None: (div, div_), "trunc": (trunc_divide, trunc_divide_), "floor": (floor_divide, floor_divide_)}


def _rounding(mode):
    try:
        return _ROUNDING[mode]
    except KeyError:
        raise RuntimeError(f"div expected rounding_mode to be one of None, 'trunc', or 'floor' but found '{mode}'") from None


def div_rounding(self, other, rounding_mode=None):
    """`x$div(y, rounding_mode = "trunc")`; R's `%/%` on tensors is the "trunc" one."""
    return _rounding(rounding_mode)[0](self, other)


def div_rounding_(self, other, rounding_mode=None):
    return _rounding(rounding_mode)[1](self, other)


def _with_alpha(fn, fn_, sign=1):
    def op(self, other, alpha=1):
        return fn(self, other if alpha == 1 else mul(other, alpha) if isinstance(other, Tensor) else other * alpha)

    def op_(self, other, alpha=1):
        return fn_(self, other if alpha == 1 else mul(other, alpha) if isinstance(other, Tensor) else other * alpha)
    return op, op_


add_alpha, add_alpha_ = _with_alpha(add, add_)
sub_alpha, sub_alpha_ = _with_alpha(sub, sub_)


def pow(self, exponent):
    """`x$pow(2)` / `x^2`; integer tensors raised to negative integers are an error, as in libtorch."""
    if self.dtype.category == 1 and isinstance(exponent, Tensor) and exponent.dtype.category == 1:
        if np.any(np.asarray(exponent._data) < 0):
            raise RuntimeError("Integers to negative integer powers are not allowed.")
    if self.dtype.category == 1 and isinstance(exponent, np.integer) and exponent < 0:
        raise RuntimeError("Integers to negative integer powers are not allowed.")
    if self.dtype is _BOOL and isinstance(exponent, (bool, np.bool_)):
        return wrap(self._data.copy() if exponent else np.ones_like(self._data))
    if self.dtype is _BOOL and isinstance(exponent, Tensor) and exponent.dtype is _BOOL:
        raise RuntimeError('"pow" not implemented for \'Bool\'')
    if isinstance(exponent, (int, float)) and not isinstance(exponent, bool) and self.dtype.category >= 2 \
            and self._data.ndim:
        if exponent == 2:
            return wrap(np.square(self._data))
    return _pow(self, exponent)


def pow_(self, exponent):
    return _pow_(self, exponent)


def logical(ufunc):
    def op(self, other):
        a = _operand(self, self)[0]
        b = _operand(other, self)[0]
        return wrap(_apply(ufunc, np.asarray(a) != 0 if not hasattr(a, "astype") else a.astype(bool),
                           np.asarray(b) != 0 if not hasattr(b, "astype") else b.astype(bool), None))
    return op


logical_and = logical(np.logical_and)
logical_or = logical(np.logical_or)
logical_xor = logical(np.logical_xor)


def logical_not(self):
    return wrap(np.logical_not(self._data))


def _float_result(dtype):
    return dtype if dtype.category >= 2 else _FLOAT


def unary(ufunc, to_float=False, keep_int=True):
    """An element-wise function; `to_float` ones (exp, log, ...) compute integer input as Float, as libtorch."""
    def op(self):
        data = self._data
        if to_float and self.dtype.category < 2:
            return wrap(ufunc(data, dtype=np.float32))
        return wrap(ufunc(data))

    def op_(self):
        if to_float and self.dtype.category < 2:
            raise RuntimeError(f"result type Float can't be cast to the desired output type {self.dtype.name}")
        _writable(self)
        ufunc(self._data, out=self._data)
        return self
    return op, op_


def _sigmoid(x, out=None, dtype=None):
    x = x if dtype is None else x.astype(dtype)
    r = np.negative(x, out=out)
    np.exp(r, out=r)
    r += 1
    return np.reciprocal(r, out=r)


def _rsqrt(x, out=None, dtype=None):
    r = np.sqrt(x, out=out, dtype=dtype) if dtype is not None else np.sqrt(x, out=out)
    return np.reciprocal(r, out=r)


def _relu(x, out=None):
    return np.maximum(x, 0, out=out) if x.dtype != bool else (x.copy() if out is None else x)


exp, exp_ = unary(np.exp, True)
log, log_ = unary(np.log, True)
log2, log2_ = unary(np.log2, True)
log10, log10_ = unary(np.log10, True)
log1p, log1p_ = unary(np.log1p, True)
expm1, expm1_ = unary(np.expm1, True)
sqrt, sqrt_ = unary(np.sqrt, True)
rsqrt, rsqrt_ = unary(_rsqrt, True)
sin, sin_ = unary(np.sin, True)
cos, cos_ = unary(np.cos, True)
tan, tan_ = unary(np.tan, True)
tanh, tanh_ = unary(np.tanh, True)
sigmoid, sigmoid_ = unary(_sigmoid, True)
relu, relu_ = unary(_relu)
abs, abs_ = unary(np.abs)
def _negative(x, out=None):
    if x.dtype == np.bool_:
        raise RuntimeError("Negation, the `-` operator, on a bool tensor is not supported. If you are trying "
                           "to invert a mask, use the `~` or `logical_not()` operator instead.")
    return np.negative(x, out=out)


neg, neg_ = unary(_negative)
floor, floor_ = unary(np.floor)
ceil, ceil_ = unary(np.ceil)
trunc, trunc_ = unary(np.trunc)
sign, sign_ = unary(np.sign)
square, square_ = unary(np.square)
reciprocal, reciprocal_ = unary(np.reciprocal, True)
round_, round__ = unary(np.rint)


def isnan(self):
    return wrap(np.isnan(self._data) if self.dtype.category >= 2 else np.zeros(self.shape, bool))


def isinf(self):
    return wrap(np.isinf(self._data) if self.dtype.category >= 2 else np.zeros(self.shape, bool))


def isfinite(self):
    return wrap(np.isfinite(self._data) if self.dtype.category >= 2 else np.ones(self.shape, bool))


def clamp(self, min=None, max=None):
    """`x$clamp(min = 0)`: libtorch promotes with the bounds, so a Long tensor clamped by 0.5 is Float."""
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    data = self._data
    dtype = self.dtype
    if max is None and dtype.category >= 2 and (type(min) is float or type(min) is int):
        return wrap_as(np.maximum(data, min), dtype)
    bounds = [b for b in (min, max) if b is not None]
    tiers = ([], [], [])
    tiers[0 if data.ndim else 1].append(dtype)
    for b in bounds:
        tiers[_operand(b, self)[2]].append(_operand(b, self)[1])
    res = result_type(*tiers)
    if res is not dtype:
        data = data.astype(res.numpy)
    lo = _cast(_operand(min, self)[0], res.numpy) if min is not None else None
    hi = _cast(_operand(max, self)[0], res.numpy) if max is not None else None
    if hi is None:
        return wrap(np.maximum(data, lo))
    if lo is None:
        return wrap(np.minimum(data, hi))
    return wrap(np.minimum(np.maximum(data, lo), hi))


def clamp_(self, min=None, max=None):
    r = clamp(self, min, max)
    if r.dtype is not self.dtype:
        raise RuntimeError(f"result type {r.dtype.name} can't be cast to the desired output type {self.dtype.name}")
    _writable(self)
    self._data[...] = r._data
    return self


clip, clip_ = clamp, clamp_


def where(condition, self=None, other=None):
    """`torch_where(cond, x, y)`; with only a condition, R torch returns 1-based indices per dim."""
    if self is None and other is None:
        return nonzero(condition, as_list=True)
    cond = condition._data if isinstance(condition, Tensor) else np.asarray(condition)
    like = self if isinstance(self, Tensor) else other
    xa, xb, res = promoted(self, other, like)
    try:
        return wrap(np.where(cond.astype(bool, copy=False), xa, xb).astype(res.numpy, copy=False))
    except ValueError:
        raise broadcast_error(np.shape(cond), np.broadcast_shapes(np.shape(xa), np.shape(xb))
                              if broadcast_error(np.shape(xa), np.shape(xb)) is None else np.shape(xb)) \
            or broadcast_error(np.shape(xa), np.shape(xb)) from None


def nonzero(self, as_list=False):
    """`torch_nonzero(x)`: an (n, ndim) Long tensor of 1-based positions."""
    idx = np.nonzero(self._data)
    if as_list:
        return [wrap((i + 1).astype(np.int64)) for i in idx]
    if self._data.ndim == 0:
        return wrap(np.zeros((int(bool(self._data)), 0), np.int64))
    return wrap(np.stack(idx, axis=1).astype(np.int64) + 1)


# ---- reductions -------------------------------------------------------------------------------

def _reduce_dtype(dtype, kind):
    if kind == "sum" and dtype.category < 2:
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
    if self.dtype.category == 3:
        raise RuntimeError(f"{name}(): does not support complex input")


def _no_bool_or_complex(self, name):
    _no_complex(self, name)
    if self.dtype is _BOOL:
        raise RuntimeError(f"{name}(): does not support bool input")


def sum(self, dim=None, keepdim=False, dtype=None):
    """`x$sum(dim = 1)`: integer and Bool tensors sum to Long, as in libtorch."""
    data = self._data
    if dtype is None and self.dtype.category >= 2:
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
    if self.dtype.category < 2:
        raise RuntimeError(f"{name}(): could not infer output dtype. Input dtype must be either a floating "
                           f"point or complex dtype. Got: {self.dtype.name}")


def mean(self, dim=None, keepdim=False, dtype=None):
    if dtype is None:
        _need_float(self, "mean")
        out = self.dtype
    else:
        out = _dtype_arg(dtype)
    return wrap(self._data.mean(axis=_axes(self, dim), keepdims=keepdim, dtype=out.numpy).astype(out.numpy, copy=False))


def var(self, dim=None, unbiased=True, keepdim=False):
    _need_float(self, "var")
    out = _REAL_OF.get(self.dtype.name, self.dtype)
    return wrap(np.asarray(self._data.var(axis=_axes(self, dim), ddof=int(unbiased), keepdims=keepdim), out.numpy))


def std(self, dim=None, unbiased=True, keepdim=False):
    _need_float(self, "std")
    out = _REAL_OF.get(self.dtype.name, self.dtype)
    return wrap(np.asarray(self._data.std(axis=_axes(self, dim), ddof=int(unbiased), keepdims=keepdim), out.numpy))


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
            return (maximum if name == "max" else minimum)(self, other if other is not None else dim)
        data = self._data
        _no_complex(self, name)
        if dim is None:
            _empty_check(self, name, None)
            return wrap(_nan_extreme(pick, data, None, False))
        axis = dim0(dim, data.ndim)
        _empty_check(self, name, axis if data.ndim else None)
        if data.ndim == 0:
            return wrap(data.copy()), wrap(np.zeros((), np.int64) + 1)
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


max = _extreme(np.max, np.argmax, "max")
min = _extreme(np.min, np.argmin, "min")


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
        return wrap(np.asarray(_nan_arg(arg, data.reshape(-1), 0) + 1, np.int64))
    axis = dim0(dim, data.ndim)
    if data.ndim == 0:
        return wrap(np.ones((), np.int64))
    idx = _nan_arg(arg, data, axis)
    if keepdim:
        idx = np.expand_dims(idx, axis)
    return wrap(np.asarray(idx, np.int64) + 1)


def all(self, dim=None, keepdim=False):
    """Bool, except that a Byte tensor gives Byte (libtorch keeps uint8 for all/any)."""
    out = np.all(self._data, axis=_axes(self, dim), keepdims=keepdim)
    return wrap(out.astype(np.uint8) if self._data.dtype == np.uint8 else out)


def any(self, dim=None, keepdim=False):
    out = np.any(self._data, axis=_axes(self, dim), keepdims=keepdim)
    return wrap(out.astype(np.uint8) if self._data.dtype == np.uint8 else out)


def cumsum(self, dim, dtype=None):
    out = _reduce_dtype(self.dtype, "sum") if dtype is None else _dtype_arg(dtype)
    return wrap(np.cumsum(self._data, axis=dim0(dim, self._data.ndim), dtype=out.numpy).reshape(self._data.shape))


def cumprod(self, dim, dtype=None):
    out = _reduce_dtype(self.dtype, "sum") if dtype is None else _dtype_arg(dtype)
    return wrap(np.cumprod(self._data, axis=dim0(dim, self._data.ndim), dtype=out.numpy).reshape(self._data.shape))


def sort(self, dim=-1, descending=False, stable=False):
    """R torch's list of sorted values and 1-based indices; NaN sorts as the largest value."""
    data = self._data
    if self.dtype.category == 3:
        raise RuntimeError(" Sort does not support complex dtypes on CPU")
    axis = dim0(dim, data.ndim)
    if data.ndim == 0:
        return wrap(data.copy()), wrap(np.ones((), np.int64))
    key = data
    if descending:
        key = -data.astype(np.float64) if data.dtype.kind in "iu" else ~data if data.dtype == bool else -data
        if data.dtype.kind == "f" and np.isnan(data).any():
            idx = np.lexsort((key, ~np.isnan(data)), axis=axis)
            return wrap(np.take_along_axis(data, idx, axis)), wrap(idx.astype(np.int64) + 1)
    idx = np.argsort(key, axis=axis, kind="stable")
    return wrap(np.take_along_axis(data, idx, axis)), wrap(idx.astype(np.int64) + 1)


def topk(self, k, dim=-1, largest=True, sorted=True):
    """R torch's list of the `k` largest (or smallest) values and their 1-based indices."""
    data = self._data
    if self.dtype.category == 3:
        raise RuntimeError(" topk does not support complex dtypes on CPU")
    if self.dtype is _BOOL:
        raise RuntimeError("topk does not support bool dtypes on CPU")
    axis = dim0(dim, data.ndim)
    if not 0 <= k <= (data.shape[axis] if data.ndim else 1):
        raise RuntimeError("selected index k out of range")
    vals, idx = sort(self, dim, descending=largest)
    if data.ndim == 0:
        return vals, idx
    sl = (slice(None),) * axis + (slice(0, k),)
    return wrap(vals._data[sl]), wrap(idx._data[sl])


def _dtype_arg(d):
    from ._dtypes import as_dtype
    return as_dtype(d)


# ---- linear algebra ---------------------------------------------------------------------------

def _same_dtype(a, b, name):
    if a.dtype is not b.dtype:
        raise RuntimeError(f"expected m1 and m2 to have the same dtype, but got: {_ctype(a.dtype)} != {_ctype(b.dtype)}")


_CTYPES = {"Float": "float", "Double": "double", "Long": "long int", "Int": "int", "Half": "c10::Half",
           "Short": "short int", "Char": "signed char", "Byte": "unsigned char", "Bool": "bool",
           "ComplexFloat": "c10::complex<float>", "ComplexDouble": "c10::complex<double>"}


def _ctype(d):
    return _CTYPES[d.name]


def mm(self, mat2):
    a, b = self._data, mat2._data
    dt = self.dtype
    if mat2.dtype is dt and a.ndim == 2 and b.ndim == 2 and type(a) is type(b) and a.shape[1] == b.shape[0]:
        return wrap_as(a @ b, dt)
    if a.ndim != 2:
        raise RuntimeError(f"self must be a matrix")
    if b.ndim != 2:
        raise RuntimeError(f"mat2 must be a matrix")
    if a.shape[1] != b.shape[0]:
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({a.shape[0]}x{a.shape[1]} and "
                           f"{b.shape[0]}x{b.shape[1]})")
    if self.dtype is not mat2.dtype:
        _same_dtype(self, mat2, "mm")
    if type(a) is not type(b):
        _check_device(self, mat2)
    return wrap(a @ b)


def _as_tensor(x, like):
    if isinstance(x, Tensor):
        return x
    if isinstance(x, (list, tuple, np.ndarray, numbers.Number, np.generic)):
        from ._creation import torch_tensor
        return torch_tensor(x, device=like.device)
    raise TypeError(f"expected a tensor or an R vector/matrix, not {type(x).__name__}")


def rmatmul(self, other):
    """`m %*% x` with an R matrix on the left: R torch converts it with `torch_tensor()`."""
    return matmul(_as_tensor(other, self), self)


def matmul(self, other):
    """`x %*% y`; a non-tensor `y` (an R matrix or vector) is converted with `torch_tensor()` as in R torch."""
    if type(other) is not Tensor:
        other = _as_tensor(other, self)
    if self.dtype is not other.dtype:
        _same_dtype(self, other, "matmul")
    a, b = self._data, other._data
    if a.ndim == 0 or b.ndim == 0:
        raise RuntimeError(f"both arguments to matmul need to be at least 1D, but they are {a.ndim}D and {b.ndim}D")
    try:
        return wrap(np.matmul(a, b))
    except ValueError:
        if b.ndim == 1 and a.ndim >= 2:
            n = int(np.prod(a.shape[:-1]))
            raise RuntimeError(f"size mismatch, got input ({n}), mat ({n}x{a.shape[-1]}), vec ({b.shape[0]})") from None
        if a.ndim <= 2 and b.ndim <= 2:
            if a.ndim == 1 and b.ndim == 1:
                raise RuntimeError(f"inconsistent tensor size, expected tensor [{a.shape[0]}] and src "
                                   f"[{b.shape[0]}] to have the same number of elements, but got "
                                   f"{a.shape[0]} and {b.shape[0]} elements respectively") from None
            s1 = a.shape if a.ndim == 2 else (1, a.shape[0])
            s2 = b.shape if b.ndim == 2 else (b.shape[0], 1)
            raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({s1[0]}x{s1[1]} and "
                               f"{s2[0]}x{s2[1]})") from None
        raise broadcast_error(a.shape[:-2], b.shape[:-2]) or RuntimeError(
            f"Expected size for first two dimensions of batch2 tensor to be: [{b.shape[0]}, {a.shape[-1]}] "
            f"but got: [{b.shape[0]}, {b.shape[-2]}].") from None


def dot(self, other):
    a, b = self._data, other._data
    if a.ndim != 1 or b.ndim != 1:
        raise RuntimeError(f"1D tensors expected, but got {a.ndim}D and {b.ndim}D tensors")
    if a.shape != b.shape:
        raise RuntimeError(f"inconsistent tensor size, expected tensor [{a.shape[0]}] and src [{b.shape[0]}] "
                           f"to have the same number of elements, but got {a.shape[0]} and {b.shape[0]} elements respectively")
    _same_dtype(self, other, "dot")
    return wrap(np.dot(a, b))


def allclose(self, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    return bool(np.allclose(self._data, other._data, rtol=rtol, atol=atol, equal_nan=equal_nan))


def equal(self, other):
    return self.shape == other.shape and bool(np.array_equal(self._data, other._data))


def value_array(value, like):
    """The right-hand side of an assignment or fill, as an array of `like`'s dtype and device."""
    if isinstance(value, Tensor):
        if type(value._data) is not type(like._data):
            _check_device(like, value)
        return value._data
    if isinstance(value, (bool, int, float, np.generic)):
        if like.dtype.category < 2 and isinstance(value, (float, np.floating)):
            if value != value:
                raise ValueError(f"cannot put NaN/NA into a {like.dtype.name} tensor")
        return value
    if isinstance(value, (list, tuple, np.ndarray)):
        return np.asarray(value)
    raise TypeError(f"rhs must be a torch_tensor or scalar value, not {type(value).__name__}")
