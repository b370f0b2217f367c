"""The element-wise layer: arithmetic, comparisons, logical and bitwise operations, the common unary math
(`exp`, `log`, `sqrt`, `sigmoid`, `relu`, trigonometric and hyperbolic functions, rounding), `clamp`,
`where`, `nonzero` and whole-tensor comparison (`allclose`, `equal`), with libtorch's type promotion
(`promoted`), broadcasting errors and in-place rules. More element-wise functions are in `_pointwise.py`;
reductions, products and sorting are in the modules above this one."""
import builtins
import math
import numbers
import warnings

import numpy as np

from ._devices import to_device_array
from ._dtypes import BOOLEAN, COMPLEX, DTYPES, FLOATING, INTEGRAL, LOW_PRECISION, LOW_PRECISION_NUMPY, result_type
from ._tensor import Tensor, wrap, wrap_as
from ._creation import torch_tensor
from ._scalars import (_SCALAR_DTYPE, _check_device, _r_scalar, _scalar_dtype, _shape_text, _writable,
                       broadcast_error, scalar_into)

# libtorch computes IEEE results (x / 0 is Inf, log(0) is -Inf) without a word; NumPy's warnings about
# them are silenced where rtorch's own modules call NumPy, and nowhere else
warnings.filterwarnings("ignore", r"(overflow|invalid value|divide by zero|underflow) encountered",
                        RuntimeWarning, r"rtorch\._")

_FLOAT = DTYPES["Float"]
_LONG = DTYPES["Long"]
_BOOL = DTYPES["Bool"]


def _operand(x, like):
    """(array or scalar, dtype, tier) for one operand of an element-wise op; tiers as libtorch's
    result_type: 0 a tensor with dims, 1 a 0-d tensor, 2 a wrapped scalar (an R or Python number, or an
    R vector of length one: R torch dispatches any atomic of length one as a Scalar)."""
    if type(x) is Tensor:
        if type(x._data) is not type(like._data):
            _check_device(like, x, True)
        return x._data, x.dtype, 0 if x._data.ndim else 1
    if isinstance(x, (list, tuple)) and len(x) == 1 and type(x[0]) in _SCALAR_DTYPE:
        x = x[0]
    x = _r_scalar(x)
    d = _scalar_dtype(x)
    if d is not None:
        return x, d, 2
    if isinstance(x, (list, tuple, np.ndarray)):
        t = torch_tensor(x, device=like.device)
        return t._data, t.dtype, 0 if t._data.ndim else 1
    raise TypeError(f"unsupported operand of type {type(x).__name__} for a tensor operation")


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
    if kind == "div" and res.category < FLOATING:
        res = _FLOAT
    return xa, xb, res


def _r_vector(x, like):
    """What R torch's operator methods make of a non-tensor operand left of `+ - * / ^ %% %/%`, or either
    side of a comparison other than `!=`: `torch_tensor(x)` on `like`'s device, so that a number is a
    one-element vector (an R double a Float one), not a scalar."""
    if type(x) is Tensor:
        return x
    if type(x) is int or type(x) is float:
        x = np.array([x], np.float64)
    elif isinstance(x, (bool, np.generic, numbers.Number)):
        x = np.array([x])
    elif not isinstance(x, (list, tuple, np.ndarray)):
        return x
    return torch_tensor(x, device=like.device)


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

    no_bool = _NOT_FOR_BOOL.get(getattr(ufunc, "__name__", None))
    opmath = getattr(ufunc, "__name__", None) in _HALF_OPMATH

    def check(xa, xb, res):
        """libtorch's refusals once the dtypes are known; scalars cast (wrapping) into an integer result."""
        if no_bool is not None and res is _BOOL:
            raise RuntimeError(f'"{no_bool}" not implemented for \'Bool\'')
        if kind == "sub":
            _check_bool_sub(xa, xb)
        if res.category < FLOATING:
            xa, xb = _scalar_as(xa, res.numpy), _scalar_as(xb, res.numpy)
        if res.category < FLOATING and kind == "intdiv":
            _check_zero_divisor(xa, _cast(xb, res.numpy))  # -32768 is 0 in Byte
        return xa, xb

    def compute(xa, xb, res):
        xa, xb = check(xa, xb, res)
        np_dtype = res.numpy
        if compare:
            if order is not None and res.category == COMPLEX:
                raise RuntimeError(f'"{order}_cpu" not implemented for \'{res.name}\'')
            return wrap(_apply(ufunc, _cast(xa, np_dtype), _cast(xb, np_dtype)))
        if res in LOW_PRECISION and opmath and type(xa) is np.ndarray:
            return wrap(_half_opmath(ufunc, xa, xb, np_dtype))
        if res in _IN_FLOAT32:  # ml_dtypes' loops take no casting: the operands in the result dtype first
            return wrap(_apply(ufunc, _cast(xa, np_dtype), _cast(xb, np_dtype)))
        return wrap(_apply(ufunc, xa, xb, np_dtype))

    def op(self, other):
        data = self._data
        if type(other) is Tensor:
            dt = self.dtype
            if other.dtype is dt and (exact or dt.category == FLOATING) and type(other._data) is type(data):
                try:
                    return wrap_as(ufunc(data, other._data), _BOOL if compare else dt)
                except ValueError:
                    raise broadcast_error(data.shape, other._data.shape) from None
                except TypeError:
                    pass
        elif type(other) is float or type(other) is int:
            if vector_rhs:
                if self.dtype.category == FLOATING and data.ndim:
                    return wrap_as(ufunc(data, other if self.dtype is _FLOAT else np.float32(other)), _BOOL)
                other = _r_vector(other, self)
            elif self.dtype.category >= FLOATING:
                if self.dtype in LOW_PRECISION and not compare:
                    npd = self.dtype.numpy
                    if opmath:
                        return wrap(ufunc(data.astype(np.float32), np.float32(other)).astype(npd))
                    return wrap(ufunc(data, npd.type(other)))
                return wrap_as(ufunc(data, other), _BOOL if compare else self.dtype)
        elif vector_rhs:
            other = _r_vector(other, self)
        return compute(*promoted(self, other, self, kind))

    def rop(self, other):
        data = self._data
        if (type(other) is float or type(other) is int) and self.dtype.category >= FLOATING:
            if data.ndim:
                if self.dtype is _FLOAT:
                    return wrap_as(ufunc(other, data), _FLOAT)
                return wrap(ufunc(np.float32(other), data))
            if self.dtype is _FLOAT and type(data) is np.ndarray:
                return wrap_as(ufunc(other, data.reshape(1)), _FLOAT)
            if self.dtype.category == FLOATING and type(data) is np.ndarray:
                return wrap_as(ufunc(np.array([other], np.float32), data.astype(np.float32)), _FLOAT)
        return compute(*promoted(_r_vector(other, self), self, self, kind))

    def iop(self, other):
        """In libtorch's order: a bool subtraction, shared memory, shapes, whether the result casts back."""
        data = self._data
        if (type(other) is Tensor and not compare and other.dtype is self.dtype and type(data) is np.ndarray
                and self.dtype.category == FLOATING and self.dtype not in LOW_PRECISION
                and other._data.shape == data.shape and data.flags.c_contiguous and data.flags.writeable
                and type(other._data) is np.ndarray):
            ufunc(data, other._data, out=data)
            return self
        xa, xb, res = promoted(self, other, self, kind)
        if kind == "sub":
            _check_bool_sub(xa, xb)
        _writable(self)
        _check_inplace_shape(np.shape(xa), np.shape(xb))
        target = self.dtype
        out = _BOOL if compare else res
        if out is not target and not can_cast(out, target):
            raise RuntimeError(f"result type {out.name} can't be cast to the desired output type {target.name}")
        xa, xb = check(xa, xb, res)
        if res in LOW_PRECISION and target is res and opmath and type(self._data) is np.ndarray:
            self._data[...] = _half_opmath(ufunc, xa, xb, res.numpy)
        elif res is target and not compare:
            _apply(ufunc, xa, _cast(xb, res.numpy), out=self._data)
        else:
            self._data[...] = np.asarray(_apply(ufunc, _cast(xa, res.numpy), _cast(xb, res.numpy)))
        return self

    return op, rop, iop


def can_cast(src, dst):
    """libtorch's canCast: no float to integral, no complex to non-complex, nothing but Bool to Bool."""
    if src.category > dst.category:
        return False
    return not (dst.category == BOOLEAN and src.category != BOOLEAN)


def _check_zero_divisor(xa, xb):
    """libtorch's integer division by zero, where an element is divided at all."""
    try:
        n = math.prod(np.broadcast_shapes(np.shape(xa), np.shape(xb)))
    except ValueError:
        return
    if n and np.any(xb == 0):
        raise RuntimeError("ZeroDivisionError")


def _check_bool_sub(xa, xb):
    a = getattr(xa, "dtype", None) == np.bool_ or type(xa) is bool
    b = getattr(xb, "dtype", None) == np.bool_ or type(xb) is bool
    if a and b:
        raise RuntimeError("Subtraction, the `-` operator, with two bool tensors is not supported. "
                           "Use the `^` or `logical_xor()` operator instead.")
    if a or b:
        raise RuntimeError("Subtraction, the `-` operator, with a bool tensor is not supported. If you are "
                           "trying to invert a mask, use the `~` or `logical_not()` operator instead.")


def _check_inplace_shape(shape, other):
    try:
        full = np.broadcast_shapes(shape, other)
    except ValueError:
        raise broadcast_error(shape, other) from None
    if full != tuple(shape):
        raise RuntimeError(f"output with shape {_shape_text(shape)} doesn't match the broadcast shape "
                           f"{_shape_text(full)}")


def _scalar_as(x, np_dtype):
    """A scalar operand in an integer or Bool result's type, wrapping as a C cast does (-1 in Byte is 255)."""
    if isinstance(x, (bool, int, np.generic)):
        return np.array(x).astype(np_dtype)[()]
    return x


# libtorch computes these on a Half tensor and a number or 0-d tensor in float32, the number unrounded
# (0 * 1e30 is 0); add and sub round it to Half first, as NumPy does
_HALF_OPMATH = {"multiply", "divide", "true_divide", "floor_divide"}


def _half_opmath(ufunc, a, b, np_dtype):
    """A Half (BFloat16, ...) result computed in float32: the operands are rounded to `np_dtype` first,
    except a number or a 0-d tensor on the right (libtorch's CPU scalar), which is read in float32
    unrounded."""
    def operand(x, scalar):
        return np.asarray(x, np.float32 if scalar and not np.ndim(x) else np_dtype).astype(np.float32)
    return np.asarray(ufunc(operand(a, False), operand(b, True))).astype(np_dtype)
_HALF = DTYPES["Half"]
# ml_dtypes' floats, whose element-wise functions run in float32 with one rounding at the end, as libtorch's
# opmath does (NumPy's own Half rounds after each step of a composite such as sigmoid)
_IN_FLOAT32 = LOW_PRECISION - {_HALF}

# ufunc name -> libtorch's kernel name in its "not implemented for 'Bool'" error
_NOT_FOR_BOOL = {"remainder": "remainder_cpu", "fmod": "fmod_cpu", "floor_divide": "div_floor_cpu",
                 "_trunc_divide": "div_trunc_cpu", "_power": "pow"}


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
def _power(a, b, out=None, dtype=None, casting="same_kind"):
    """np.power, with libtorch's integer results for negative integer exponents (1, -1 or 0). Decided
    before computing: NumPy raises part-way, after writing some of `out` (which may be `a`)."""
    on_host = builtins.all(isinstance(x, (np.ndarray, np.generic, int, float, bool)) for x in (a, b))
    if not on_host:
        return np.power(a, b, out=out, dtype=dtype, casting=casting)
    if dtype is not None:  # the exponent's sign in the result dtype (255 in Char is -1)
        a, b = np.asarray(a).astype(dtype, copy=False), np.asarray(b).astype(dtype, copy=False)
    if np.result_type(a, b).kind not in "iu" or not np.any(np.asarray(b) < 0):
        return np.power(a, b, out=out, casting=casting)
    a, b = np.asarray(a), np.asarray(b)
    if dtype is not None:
        a, b = a.astype(dtype, copy=False), b.astype(dtype, copy=False)
    neg = b < 0
    base = np.power(a, np.where(neg, 0, b).astype(b.dtype))
    r = np.where(neg, np.where(a == 1, 1, np.where(a == -1, np.where(b % 2 == 0, 1, -1), 0)), base).astype(base.dtype)
    if out is not None:
        out[...] = r
        return out
    return r


_pow, rpow, _pow_ = binary(_power)


def _trunc_divide(a, b, out=None, dtype=None, casting="same_kind"):
    """Division rounded toward zero (libtorch's `rounding_mode = "trunc"`), exact for integers."""
    if dtype is not None:
        a, b = _cast(a, np.dtype(dtype)), _cast(b, np.dtype(dtype))
    if np.result_type(a, b).kind in "iu":
        q = np.floor_divide(a, b)
        q = q + ((np.remainder(a, b) != 0) & ((a < 0) != (b < 0))).astype(q.dtype)
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


def _accumulator(np_dtype):
    """libtorch accumulates Half and BFloat16 in float32 (a running sum may pass through Inf and come back)."""
    return np.dtype(np.float32) if np_dtype in LOW_PRECISION_NUMPY else np_dtype


def power(self, exponent):
    """`x$pow(2)` / `x^2`; an integer tensor raised to a negative R integer is an error, as in libtorch
    (a negative integer tensor exponent gives 1, -1 or 0)."""
    if (type(exponent) is int or type(exponent) is float) and exponent == 2 and self.dtype.category == FLOATING \
            and self.dtype is not _HALF and type(self._data) is np.ndarray:
        return wrap_as(np.square(self._data), self.dtype)  # x * x, as libtorch computes it
    exponent = _r_scalar(exponent)
    if self.dtype.category == FLOATING and type(exponent) in (int, float):
        scalar_into(exponent, self.dtype, checked_half=True)
    if self.dtype.category <= INTEGRAL and isinstance(exponent, np.integer) and exponent < 0:
        raise RuntimeError("Integers to negative integer powers are not allowed.")
    if self.dtype is _BOOL and isinstance(exponent, (bool, np.bool_)):
        return wrap(self._data.copy() if exponent else np.ones_like(self._data))
    if self.dtype is _BOOL and isinstance(exponent, Tensor) and exponent.dtype is _BOOL:
        raise RuntimeError('"pow" not implemented for \'Bool\'')
    special = _POW_SPECIAL.get(exponent) if type(exponent) in (int, float) else None
    if special is not None and self.dtype.category <= FLOATING and type(self._data) is np.ndarray:
        out = self.dtype if self.dtype.category == FLOATING else _FLOAT
        x = self._data.astype(_accumulator(out.numpy), copy=False)
        return wrap(np.asarray(special(x)).astype(out.numpy, copy=False))
    return _pow(self, exponent)


# libtorch's pow by these exponents is plain arithmetic (1/(x*x) for -2), not the C library's pow,
# which can differ in the last bit (and floor() then tells)
_POW_SPECIAL = {2: lambda x: x * x, 3: lambda x: x * x * x, -2: lambda x: 1 / (x * x), 0.5: np.sqrt,
                -0.5: lambda x: 1 / np.sqrt(x), -1: lambda x: 1 / x}


def pow_(self, exponent):
    exponent = _r_scalar(exponent)
    if self.dtype.category == FLOATING and type(exponent) in (int, float):
        scalar_into(exponent, self.dtype, checked_half=True)
    if self.dtype.category <= INTEGRAL and isinstance(exponent, np.integer) and exponent < 0:
        raise RuntimeError("Integers to negative integer powers are not allowed.")
    if self.dtype is _BOOL and isinstance(exponent, Tensor) and exponent.dtype is _BOOL:
        _check_inplace_shape(self._data.shape, exponent._data.shape)
        raise RuntimeError('"pow" not implemented for \'Bool\'')
    if self.dtype is _BOOL and isinstance(exponent, (bool, np.bool_)):
        _writable(self)
        if not exponent:
            self._data[...] = True
        return self
    return _pow_(self, exponent)


def logical(ufunc):
    """R torch's `&` and `|`: a number on either side takes part as `torch_tensor(x)`, a one-element vector."""
    def op(self, other):
        a, b, res = promoted(self, _r_vector(other, self), self)  # libtorch compares in the common dtype
        if res is not _BOOL:
            a, b = _cast(a, res.numpy), _cast(b, res.numpy)
        return wrap(_apply(ufunc, a.astype(bool, copy=False), b.astype(bool, copy=False)))
    return op


logical_and = logical(np.logical_and)
logical_or = logical(np.logical_or)
logical_xor = logical(np.logical_xor)


def logical_not(self):
    return wrap(np.logical_not(self._data))


def _float_result(dtype):
    return dtype if dtype.category >= FLOATING else _FLOAT


def _no_bool(kernel):
    return f'"{kernel}" not implemented for \'Bool\''


def unary(ufunc, to_float=False, keep_int=True, no_bool=None):
    """An element-wise function; `to_float` ones (exp, log, ...) compute integer input as Float, as libtorch.
    `no_bool`: libtorch's error for a Bool tensor."""
    def op(self):
        data = self._data
        if no_bool is not None and self.dtype is _BOOL:
            raise RuntimeError(no_bool)
        if to_float and self.dtype.category < FLOATING:
            return wrap(ufunc(data, dtype=np.float32))
        if self.dtype in _IN_FLOAT32:
            return wrap(np.asarray(ufunc(data.astype(np.float32))).astype(data.dtype))
        return wrap(ufunc(data))

    def op_(self):
        if no_bool is not None and self.dtype is _BOOL:
            raise RuntimeError(no_bool)
        if to_float and self.dtype.category < FLOATING:
            raise RuntimeError(f"result type Float can't be cast to the desired output type {self.dtype.name}")
        _writable(self)
        ufunc(self._data, out=self._data)
        return self
    return op, op_


def _sigmoid(x, out=None, dtype=None):
    x = x if dtype is None else x.astype(dtype)
    r = _negative(x, out=out)
    if isinstance(r, np.generic):
        r = np.asarray(r)
    np.exp(r, out=r)
    r += 1
    return np.reciprocal(r, out=r)


def _rsqrt(x, out=None, dtype=None):
    r = np.sqrt(x, out=out, dtype=dtype) if dtype is not None else np.sqrt(x, out=out)
    return np.reciprocal(r, out=r) if isinstance(r, np.ndarray) else np.reciprocal(r)


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
relu, relu_ = unary(_relu, no_bool="Boolean inputs not supported for relu")
absolute, abs_ = unary(np.abs, no_bool=_no_bool("abs_cpu"))
def _negative(x, out=None):
    if out is not None and not out.flags.c_contiguous:
        # NumPy 2.4's in-place negative writes wrong values into some strided 32-bit views
        out[...] = np.negative(x)
        return out
    return np.negative(x, out=out)


neg, neg_ = unary(_negative, no_bool="Negation, the `-` operator, on a bool tensor is not supported. If you are "
                                      "trying to invert a mask, use the `~` or `logical_not()` operator instead.")


def pos(self):
    """`+x`: the tensor itself."""
    return self


floor, floor_ = unary(np.floor, no_bool=_no_bool("floor_vml_cpu"))
ceil, ceil_ = unary(np.ceil, no_bool=_no_bool("ceil_vml_cpu"))
trunc, trunc_ = unary(np.trunc, no_bool=_no_bool("trunc_vml_cpu"))


def _sign(x, out=None):
    """libtorch's sign: 0 for NaN; a Bool tensor is its own sign."""
    r = x.copy() if x.dtype == np.bool_ else np.sign(x)
    if x.dtype.kind == "f":
        r = np.where(np.isnan(r), 0, r).astype(x.dtype)
    if out is None:
        return r
    out[...] = r
    return out


def _square(x, out=None):
    """A Bool tensor squares to Long (libtorch's pow(x, 2)), which can't go back into it in place."""
    if x.dtype == np.bool_:
        if out is not None:
            raise RuntimeError("result type Long can't be cast to the desired output type Bool")
        return x.astype(np.int64)
    return np.square(x, out=out)


sign, sign_ = unary(_sign)
square, square_ = unary(_square)
reciprocal, reciprocal_ = unary(np.reciprocal, True)


def _rint(x, out=None):
    if x.dtype.kind in "biu":
        return x.copy() if out is None else x
    return np.rint(x, out=out)


round_, round__ = unary(_rint, no_bool=_no_bool("round_vml_cpu"))


def isnan(self):
    return wrap(np.isnan(self._data) if self.dtype.category >= FLOATING else np.zeros_like(self._data, bool))


def isinf(self):
    return wrap(np.isinf(self._data) if self.dtype.category >= FLOATING else np.zeros_like(self._data, bool))


def isfinite(self):
    return wrap(np.isfinite(self._data) if self.dtype.category >= FLOATING else np.ones_like(self._data, bool))


def clamp(self, min=None, max=None):
    """`x$clamp(min = 0)`: libtorch promotes with the bounds, so a Long tensor clamped by 0.5 is Float."""
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    data = self._data
    dtype = self.dtype
    if max is None and dtype.category >= FLOATING and (type(min) is float or type(min) is int):
        if not -65504.0 <= min <= 65504.0:
            scalar_into(min, dtype, checked_half=True)
        return wrap_as(np.maximum(data, min), dtype)
    bounds = [b for b in (min, max) if b is not None]
    tiers = ([], [], [])
    tiers[0 if data.ndim else 1].append(dtype)
    for b in bounds:
        tiers[_operand(b, self)[2]].append(_operand(b, self)[1])
    res = result_type(*tiers)
    if res is _BOOL:
        if builtins.any(isinstance(b, Tensor) for b in bounds):
            if len(bounds) == 2:
                raise RuntimeError(_no_bool("clamp_cpu"))
            # one tensor bound: libtorch's clamp_min/clamp_max.Tensor, maximum/minimum, which take Bool
        else:
            raise RuntimeError(_no_bool("clamp_scalar_cpu" if min is not None and max is not None else
                                        "clamp_min_scalar_cpu" if max is None else "clamp_max_scalar_cpu"))
    numbers = [b for b in bounds if not isinstance(b, Tensor)]
    if not builtins.any(b != b for b in numbers):  # a NaN bound makes every value NaN, unchecked
        for bound in numbers:
            scalar_into(bound, res, checked_half=True)
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
    """libtorch checks a tensor bound's shape first, then the result type, then shared memory, then what the
    kernel refuses."""
    for b in (min, max):
        if isinstance(b, Tensor):
            _check_inplace_shape(self.shape, tuple(b.shape))
    res = result_type([self.dtype], [_operand(b, self)[1] for b in (min, max) if b is not None])
    if res is not self.dtype:
        raise RuntimeError(f"result type {res.name} can't be cast to the desired output type {self.dtype.c_name}")
    _writable(self)
    r = clamp(self, min, max)
    if r.shape != self.shape:  # a tensor bound that broadcasts beyond self
        _check_inplace_shape(self.shape, r.shape)
    self._data[...] = r._data
    return self


clip, clip_ = clamp, clamp_


def nonzero(self, as_list=False):
    """`torch_nonzero(x)`: an (n, ndim) Long tensor of 1-based positions."""
    idx = np.nonzero(self._data)
    if as_list:
        return [wrap((i + 1).astype(np.int64)) for i in idx]
    if self._data.ndim == 0:
        return wrap(np.zeros_like(self._data, np.int64, shape=(int(bool(self._data)), 0)))
    return wrap(np.stack(idx, axis=1).astype(np.int64) + 1)


def where(condition, self=None, other=None):
    """`torch_where(cond, x, y)`; with only a condition, R torch returns 1-based indices per dim."""
    if self is None and other is None:
        return nonzero(condition, as_list=True)
    cond = condition._data if isinstance(condition, Tensor) else np.asarray(condition)
    like = self if isinstance(self, Tensor) else other
    if isinstance(like, Tensor) and type(cond) is not type(like._data):
        if not isinstance(condition, Tensor):
            cond = to_device_array(cond, like.device)
        else:
            _check_device(like, condition, True)
    xa, xb, res = promoted(self, other, like)
    try:
        return wrap(np.where(cond.astype(bool, copy=False), xa, xb).astype(res.numpy, copy=False))
    except ValueError:
        raise broadcast_error(np.shape(cond), np.broadcast_shapes(np.shape(xa), np.shape(xb))
                              if broadcast_error(np.shape(xa), np.shape(xb)) is None else np.shape(xb)) \
            or broadcast_error(np.shape(xa), np.shape(xb)) from None


# ---- reductions -------------------------------------------------------------------------------


# ---- linear algebra ---------------------------------------------------------------------------


def _same_device(self, other):
    if type(self._data) is not type(other._data):
        _check_device(self, other)


def _as_tensor(x, like):
    if isinstance(x, Tensor):
        return x
    if isinstance(x, (list, tuple, np.ndarray, numbers.Number, np.generic)):
        return torch_tensor(x, device=like.device)
    raise TypeError(f"expected a tensor or an R vector/matrix, not {type(x).__name__}")


# ---- products beside mm and matmul: outer, inner, vdot, mv, addmm, addmv, addbmm, baddbmm, chain_matmul, trace, cross


def allclose(self, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    _same_device(self, other)
    return bool(np.allclose(self._data, other._data, rtol=rtol, atol=atol, equal_nan=equal_nan))


def equal(self, other):
    _same_device(self, other)
    return self.shape == other.shape and bool(np.array_equal(self._data, other._data))


# ---- what R torch users reach for next ----------------------------------------------------------

acos, acos_ = unary(np.arccos, True)
asin, asin_ = unary(np.arcsin, True)
atan, atan_ = unary(np.arctan, True)
cosh, cosh_ = unary(np.cosh, True)
sinh, sinh_ = unary(np.sinh, True)
acosh, acosh_ = unary(np.arccosh, True)
asinh, asinh_ = unary(np.arcsinh, True)
atanh, atanh_ = unary(np.arctanh, True)


def result_type_of(tensor1, tensor2):
    """`torch_result_type(tensor1, tensor2)`: the dtype libtorch gives an operation on the two; an R
    number takes part as a scalar, an R vector as a tensor."""
    from ._dtypes import result_type as _result_type
    tiers = ([], [], [])
    for x in (tensor1, tensor2):
        d = None if isinstance(x, Tensor) else _scalar_dtype(x)
        if d is not None:
            tiers[2].append(d)
            continue
        x = x if isinstance(x, Tensor) else torch_tensor(x)
        tiers[0 if x._data.ndim else 1].append(x.dtype)
    return _result_type(*tiers)


def broadcast_shapes(*shapes):
    """`torch_broadcast_shapes(c(2, 1), c(2, 2))`: the broadcast sizes, or libtorch's error."""
    out = []
    for k, shape in enumerate(shapes):
        sh = [int(v) for v in np.ravel(shape)]
        if len(sh) > len(out):
            out = [1] * (len(sh) - len(out)) + out
        for j in range(1, len(sh) + 1):
            have, new = out[-j], sh[-j]
            if have != new and have != 1 and new != 1:
                raise RuntimeError(f"Attempting to broadcast a dimension of length {new} at {-j}! Mismatching "
                                   f"argument at index {k} had ({', '.join(map(str, sh))}); but expected shape "
                                   f"should be broadcastable to {_shape_text(out)}")
            if have == 1:
                out[-j] = new
    return tuple(out)


def torch_reduction_none():
    """libtorch's `Reduction::None` code, 0, that the `reduction =` of R torch's losses takes."""
    return 0


def torch_reduction_mean():
    """libtorch's `Reduction::Mean` code, 1."""
    return 1


def torch_reduction_sum():
    """libtorch's `Reduction::Sum` code, 2."""
    return 2


# ---- bitwise operations, logit, var_mean, kron, einsum, tensordot, addr ------------------------------

def _integral_operands(self, other, kernel):
    a, b, res = promoted(self, other, self)
    if res.category > INTEGRAL:
        raise RuntimeError(f'"{kernel}" not implemented for \'{res.name}\'')
    return np.asarray(_cast(a, res.numpy)), np.asarray(_cast(b, res.numpy)), res


def _bitwise(ufunc, kernel):
    def op(self, other):
        a, b, res = _integral_operands(self, other, kernel)
        return wrap_as(np.asarray(_apply(ufunc, a, b)), res)
    op.__doc__ = f"libtorch's `{kernel.removesuffix('_cpu')}`: Bool and integer tensors only."
    return op


bitwise_and = _bitwise(np.bitwise_and, "bitwise_and_cpu")
bitwise_or = _bitwise(np.bitwise_or, "bitwise_or_cpu")
bitwise_xor = _bitwise(np.bitwise_xor, "bitwise_xor_cpu")


def _shift_operands(self, other, kernel):
    """The operands of a shift broadcast together, and where the shift count lies in [0, bits)."""
    a, b, res = _integral_operands(self, other, kernel)
    if res is _BOOL:
        raise RuntimeError(_no_bool(kernel))
    a, b = np.broadcast_arrays(a, b)
    return a, b, res, (b >= 0) & (b < res.numpy.itemsize * 8)


def bitwise_left_shift(self, other):
    """libtorch's `__lshift__`: integer tensors only; a shift outside [0, bits) gives 0."""
    a, b, res, ok = _shift_operands(self, other, "lshift_cpu")
    u = np.dtype(f"u{res.numpy.itemsize}")
    out = np.left_shift(a.astype(u), np.where(ok, b, 0).astype(u)).astype(res.numpy)
    return wrap_as(np.where(ok, out, 0).astype(res.numpy), res)


def bitwise_right_shift(self, other):
    """libtorch's `__rshift__`: integer tensors only, arithmetic; a shift outside [0, bits) keeps the sign."""
    a, b, res, ok = _shift_operands(self, other, "rshift_cpu")
    out = np.right_shift(a, np.where(ok, b, 0).astype(a.dtype))
    return wrap_as(np.where(ok, out, np.where(a < 0, -1, 0)).astype(res.numpy), res)


def logit(self, eps=None):
    """log(p / (1 - p)), `p` clamped to [eps, 1 - eps] when `eps` is given; integer input gives Float."""
    data = self._data if self.dtype.category >= FLOATING else self._data.astype(np.float32)
    if eps is not None:
        data = np.clip(data, eps, 1 - eps).astype(data.dtype, copy=False)
    return wrap(np.log(data / (1 - data)))


