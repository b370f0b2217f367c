"""More of R torch's element-wise functions (`torch_erf`, `torch_hypot`, `torch_lerp`, `torch_isclose`, ...)
and dtype helpers (`torch_can_cast`, `torch_promote_types`), with libtorch's dtypes and errors.

Arguments that libtorch types as Tensor only (`other` of hypot, `end` of lerp, ...) take an R number as
R torch's converter makes it, `torch_tensor(x)`: a one-element Float vector. Arguments with a Scalar
overload (`weight` of lerp, `other` of copysign and true_divide, `min` of clamp_min) take a length-one R
value as a scalar. The special functions (erf, erfinv, lgamma, digamma) are SciPy's."""

import numpy as np

from . import _operations as op
from ._dtypes import BOOLEAN, COMPLEX, DTYPES, FLOATING, INTEGRAL, LOW_PRECISION_NUMPY, as_dtype
from ._dtypes import promote_types as _promote
from ._scalars import _r_scalar, _writable, broadcast_error, scalar_into
from ._tensor import Tensor, wrap, wrap_as
from ._creation import torch_tensor

_BOOL, _FLOAT, _DOUBLE = DTYPES["Bool"], DTYPES["Float"], DTYPES["Double"]


def _not_implemented(kernel, dtype):
    return RuntimeError(f'"{kernel}" not implemented for \'{dtype.name}\'')


def _special(name):
    """SciPy's `scipy.special.name` (CuPy's on the GPU), imported when first used: rtorch's import stays light."""
    def fn(x, *more):
        if type(x if not more else more[-1]) is np.ndarray:
            from scipy import special
        else:
            from cupyx.scipy import special
        return getattr(special, name)(x, *more)
    return fn


def _lgamma(x):
    out = np.where(x == -np.inf, np.inf, _special("gammaln")(x))
    if x.dtype == np.float64:  # SciPy overflows 1/x at a subnormal x; lgamma(x) is -log|x| there, as in C
        sub = (x != 0) & (np.abs(x) < np.finfo(np.float64).tiny)
        if sub.any():
            out = np.where(sub, -np.log(np.abs(np.where(sub, x, 1.0))), out)
    return out


def _real_angle(x):
    return np.where(np.isnan(x), x, np.where(x < 0, np.pi, 0.0))


def _sinc(x):
    return np.sinc(x)


# ---- element-wise functions of one tensor ---------------------------------------------------------

def _in_float(data, fn):
    """`fn` on a floating array in its dtype; Half is computed in float32, as libtorch's opmath does."""
    if data.dtype in LOW_PRECISION_NUMPY:
        return np.asarray(fn(data.astype(np.float32))).astype(data.dtype)
    return np.asarray(fn(data)).astype(data.dtype, copy=False)


def _float_unary(fn, kernel=None, complex_fn=None, complex_error=None, ints=True):
    """A function libtorch computes in floating point: integer and Bool input gives Float (`ints`), or
    is an error (`kernel` not implemented)."""
    def method(self):
        dt = self.dtype
        if dt.category == COMPLEX:
            if complex_fn is None:
                raise RuntimeError(complex_error) if complex_error else _not_implemented(kernel, dt)
            out = np.asarray(complex_fn(self._data))
            return wrap(out.astype(dt.numpy if out.dtype.kind == "c" else dt.numpy.char.lower(), copy=False))
        if dt.category < FLOATING:
            if not ints:
                raise _not_implemented(kernel, dt)
            return wrap(_in_float(self._data.astype(np.float32), fn))
        return wrap(_in_float(self._data, fn))
    return method


# in-place binary functions whose libtorch kernel checks the output's shape before the dtypes (TensorIterator's
# order); the value is whether a number `other` becomes `torch_tensor(x)`, a one-element vector
_SHAPE_FIRST = {"hypot": True, "gcd": True, "lcm": True, "nextafter": True, "ldexp": True, "xlogy": False,
                "copysign": False}


def _shape_first(self, other, name):
    if isinstance(other, Tensor):
        shape = other.shape
    elif isinstance(other, (list, tuple, np.ndarray)) or _SHAPE_FIRST[name]:
        shape = (1,) if np.ndim(other) == 0 else np.shape(other)
    else:
        return
    try:
        full = np.broadcast_shapes(self.shape, tuple(shape))
    except ValueError:
        return
    if full != tuple(self.shape):
        op._check_inplace_shape(self.shape, tuple(shape))
    # then TensorIterator's cast check of the common dtype into x, before any kernel looks at the dtype
    res = _operands(self, other, _SHAPE_FIRST[name])[2]
    if not op.can_cast(res, self.dtype):
        raise RuntimeError(f"result type {res.name} can't be cast to the desired output type {self.dtype.name}")


def inplace(fn, name=None):
    """The `x$name_()` form of `fn`: the result written back into `x`, when its dtype casts back and its
    shape is `x`'s (libtorch's messages otherwise)."""
    key = name or getattr(fn, "__name__", "")

    def method_(self, *args, **kwargs):
        if args and key in _SHAPE_FIRST:
            _shape_first(self, args[0], key)
        r = fn(self, *args, **kwargs)
        _writable(self)
        if r.shape != self.shape:
            op._check_inplace_shape(self.shape, r.shape)
        if r.dtype is not self.dtype and not op.can_cast(r.dtype, self.dtype):
            raise RuntimeError(f"result type {r.dtype.name} can't be cast to the desired output type "
                               f"{self.dtype.name}")
        self._data[...] = r._data
        return self
    method_.__name__ = getattr(fn, "__name__", "method") + "_"
    method_.__doc__ = f"In place: {fn.__doc__ or ''}"
    return method_


erf = _float_unary(_special("erf"), "erf_vml_cpu")
erf.__doc__ = "The error function; integer and Bool input gives Float."
erfc = _float_unary(_special("erfc"), "erfc_vml_cpu")
erfc.__doc__ = "1 - erf(x), computed without cancellation; integer and Bool input gives Float."
erfinv = _float_unary(_special("erfinv"), "erfinv_vml_cpu")
erfinv.__doc__ = "The inverse error function (NaN outside [-1, 1]); integer and Bool input gives Float."
lgamma = _float_unary(_lgamma, "lgamma_vml_cpu")
lgamma.__doc__ = "log(|gamma(x)|), Inf at the poles; integer and Bool input gives Float."
digamma = _float_unary(_special("psi"), "digamma")
digamma.__doc__ = "The logarithmic derivative of gamma: -Inf at 0, NaN at the negative integers."
frac = _float_unary(lambda x: x - np.trunc(x), "frac_cpu", ints=False)
frac.__doc__ = "x - trunc(x), keeping the sign; floating tensors only."
sinc = _float_unary(_sinc, complex_fn=_sinc)
sinc.__doc__ = "The normalised sinc, sin(pi x) / (pi x), 1 at 0."
deg2rad = _float_unary(np.deg2rad, complex_error="deg2rad is not supported for complex tensors.")
deg2rad.__doc__ = "Degrees to radians; integer and Bool input gives Float."
rad2deg = _float_unary(np.rad2deg, complex_error="rad2deg is not supported for complex tensors.")
rad2deg.__doc__ = "Radians to degrees; integer and Bool input gives Float."
exp2 = _float_unary(np.exp2, complex_fn=np.exp2)
exp2.__doc__ = "2 to the power x; integer and Bool input gives Float."
angle = _float_unary(_real_angle, complex_fn=np.angle)
angle.__doc__ = "The argument of a complex number (a real result); pi for negative reals, 0 otherwise."


def fix(self):
    """R torch's `torch_fix()`, rounding toward zero (libtorch's trunc)."""
    if self.dtype.category == COMPLEX:
        raise RuntimeError("trunc is not supported for complex inputs")
    return op.trunc(self)


def absolute(self):
    """`torch_absolute()`, libtorch's alias of `abs` (a complex tensor gives its real modulus)."""
    return op.absolute(self)


def sgn(self):
    """`torch_sgn()`: `sign` for real tensors; z / |z| (0 at 0) for complex ones."""
    if self.dtype.category != COMPLEX:
        return op.sign(self)
    z = self._data
    mod = np.abs(z)
    return wrap_as(np.where(mod == 0, 0, z / np.where(mod == 0, 1, mod)).astype(z.dtype), self.dtype)


def signbit(self):
    """TRUE where the sign bit is set (-0 included); a Bool result."""
    dt = self.dtype
    if dt.category == COMPLEX:
        raise RuntimeError("signbit is not implemented for complex tensors.")
    data = self._data
    return wrap_as(np.signbit(data) if dt.category == FLOATING else np.less(data, 0), _BOOL)


def conj(self):
    """The complex conjugate; a real tensor is returned as it is, as libtorch does."""
    return wrap_as(np.conj(self._data), self.dtype) if self.dtype.category == COMPLEX else self


def bitwise_not(self):
    """`!` bit by bit for integer tensors, logical not for Bool; floating tensors are an error."""
    dt = self.dtype
    if dt.category > INTEGRAL:
        raise _not_implemented("bitwise_not_cpu", dt)
    return wrap_as(np.logical_not(self._data) if dt is _BOOL else np.invert(self._data), dt)


def frexp(self):
    """`torch_frexp(x)`: a list (a tuple here) of the mantissa (x's dtype) and the Int exponent."""
    if self.dtype.category != FLOATING:
        raise RuntimeError("torch.frexp() only supports floating-point dtypes")
    mantissa, exponent = np.frexp(self._data)
    return wrap_as(np.asarray(mantissa), self.dtype), wrap_as(np.asarray(exponent, np.int32), DTYPES["Int"])


def nan_to_num(self, nan=None, posinf=None, neginf=None):
    """NaN, Inf and -Inf replaced by `nan` (0), `posinf` and `neginf` (the dtype's largest finite values)."""
    dt = self.dtype
    if dt.category < FLOATING:
        return wrap_as(self._data.copy(), dt)
    info = np.finfo(dt.numpy)
    return wrap_as(np.nan_to_num(self._data, nan=0.0 if nan is None else nan,
                                 posinf=info.max if posinf is None else posinf,
                                 neginf=info.min if neginf is None else neginf), dt)


def is_nonzero(self):
    """TRUE when the one element of `self` is not zero; more or fewer elements are libtorch's error."""
    n = self._data.size
    if n != 1:
        raise RuntimeError("Boolean value of Tensor with no values is ambiguous" if n == 0 else
                           "Boolean value of Tensor with more than one value is ambiguous")
    return bool(self._data.reshape(-1)[0] != 0)


def is_floating_point(self):
    return self.dtype.category == FLOATING


def is_complex(self):
    return self.dtype.category == COMPLEX


def threshold(self, threshold, value):
    """`torch_threshold(x, threshold, value)`: `value` where x <= threshold, x elsewhere; both numbers
    are cast into x's dtype first (1.5 is 1 for a Long tensor), as libtorch does."""
    dt = self.dtype
    if dt.category in (BOOLEAN, COMPLEX):
        raise _not_implemented("threshold_cpu", dt)
    data = self._data
    if dt.name == "Half":  # libtorch compares Half in float (its opmath): the threshold is a float, not a Half
        t = np.float32(scalar_into(_r_scalar(threshold), _FLOAT))
        v = np.array(scalar_into(_r_scalar(value), dt, checked_half=True)).astype(dt.numpy)
        return wrap_as(np.where(data.astype(np.float32) <= t, v, data).astype(dt.numpy, copy=False), dt)
    t, v = (np.array(scalar_into(_r_scalar(s), dt)).astype(dt.numpy) for s in (threshold, value))
    return wrap_as(np.where(data <= t, v, data).astype(dt.numpy, copy=False), dt)


# ---- element-wise functions of two tensors --------------------------------------------------------

def _operands(self, other, tensor_only=True):
    """The operands' arrays and result dtype; `tensor_only`: a number is `torch_tensor(x)`, as R torch's
    converter makes it for an argument libtorch types as Tensor."""
    if tensor_only:
        other = op._r_vector(other, self)
    return op.promoted(self, other, self)


def _compute(fn, a, b, res, half_in_float=True):
    np_dtype = np.dtype(np.float32) if res.numpy in LOW_PRECISION_NUMPY and half_in_float else res.numpy
    try:
        out = fn(op._cast(a, np_dtype), op._cast(b, np_dtype))
    except ValueError:
        raise broadcast_error(np.shape(a), np.shape(b)) from None
    return wrap_as(np.asarray(out).astype(res.numpy, copy=False), res)


def _float_binary(fn, kernel, ints_to_float=False, complex_fn=None, tensor_only=True, doc="", half_in_float=True):
    def method(self, other):
        a, b, res = _operands(self, other, tensor_only)
        if res.category < FLOATING:
            if not ints_to_float:
                raise _not_implemented(kernel, res)
            res = _FLOAT
        if res.category == COMPLEX:
            if complex_fn is None:
                raise _not_implemented(kernel, res)
            return _compute(complex_fn, a, b, res)
        return _compute(fn, a, b, res, half_in_float)
    method.__doc__ = doc
    return method


def _logaddexp_complex(a, b):
    top = np.where(np.real(a) >= np.real(b), a, b)
    return top + np.log(np.exp(a - top) + np.exp(b - top))


def _xlogy(x, y):
    return np.where(np.isnan(y), np.nan, np.where(x == 0, 0, x * np.log(y)))


def _ldexp(x, e):
    return x * np.exp2(e)


hypot = _float_binary(np.hypot, "hypot_cpu", doc="sqrt(x^2 + other^2), for floating tensors.")
logaddexp = _float_binary(np.logaddexp, "logaddexp_cpu", complex_fn=_logaddexp_complex,
                          doc="log(exp(x) + exp(other)) without overflow, for floating and complex tensors.")
logaddexp2 = _float_binary(np.logaddexp2, "logaddexp2_cpu", doc="log2(2^x + 2^other), for floating tensors.")
nextafter = _float_binary(np.nextafter, "nextafter_cpu", half_in_float=False,  # Half's own next value
                          doc="The next floating-point value after x toward `other`, for floating tensors.")
xlogy = _float_binary(_xlogy, "xlogy_cpu", ints_to_float=True, tensor_only=False,
                      doc="x * log(other), 0 where x is 0 (unless other is NaN); integer input gives Float.")
copysign = _float_binary(np.copysign, "copysign_cpu", ints_to_float=True, tensor_only=False,
                         doc="|x| with the sign of `other` (a number or a tensor); integer input gives Float.")
_ldexp_float = _float_binary(_ldexp, "ldexp_cpu", ints_to_float=True, complex_fn=_ldexp)


def ldexp(self, other):
    """x * 2^other; integer input gives Float. As in libtorch, a floating `x` takes no Bool exponent."""
    other = op._r_vector(other, self)
    if other.dtype is _BOOL and self.dtype.category >= FLOATING:
        raise _not_implemented("ldexp_cpu_exp", _BOOL)
    return _ldexp_float(self, other)


def ldexp_(self, other):
    """In place; libtorch names ldexp itself when the result can't go back into an integer tensor (its first
    check), then TensorIterator checks the output's shape, then the kernel the exponent's dtype."""
    res = _operands(self, other)[2]
    if res.category < FLOATING:
        res = _FLOAT
    if not op.can_cast(res, self.dtype):
        raise RuntimeError(f"ldexp can't be cast to the desired output type {self.dtype.name}")
    return inplace(ldexp)(self, other)


def _extremum(fn, name):
    def method(self, other):
        a, b, res = _operands(self, other)
        if res.category == COMPLEX:
            raise RuntimeError(f"{name} not implemented for complex tensors.")
        return _compute(fn, a, b, res)
    method.__doc__ = f"The element-wise {name[1:]}imum, ignoring NaN where only one side is NaN."
    return method


fmax = _extremum(np.fmax, "fmax")
fmin = _extremum(np.fmin, "fmin")


def heaviside(self, values):
    """The Heaviside step: 0 below 0, 1 above, `values` at 0 (NaN gives 0, as in libtorch); both tensors
    must have the same dtype."""
    values = op._r_vector(values, self)
    if self.dtype.category == COMPLEX or values.dtype.category == COMPLEX:
        raise RuntimeError("heaviside is not yet implemented for complex tensors.")
    if self.dtype is not values.dtype:
        raise RuntimeError("heaviside is not yet implemented for tensors with different dtypes.")
    x, v = self._data, values._data
    try:
        out = np.where(x == 0, v, x > 0)
    except ValueError:
        raise broadcast_error(x.shape, v.shape) from None
    return wrap_as(out.astype(self.dtype.numpy, copy=False), self.dtype)


def _integral(fn, kernel):
    def method(self, other):
        a, b, res = op._integral_operands(self, op._r_vector(other, self), kernel)
        if res is _BOOL:
            raise _not_implemented(kernel, res)
        try:
            out = fn(a, b)
        except ValueError:
            raise broadcast_error(a.shape, b.shape) from None
        return wrap_as(np.asarray(out).astype(res.numpy, copy=False), res)
    return method


def _gcd(a, b):
    out = np.gcd(a, b)
    kind = np.result_type(a, b)
    if kind.kind == "i":
        lo = np.iinfo(kind).min
        if np.any(a == lo) or np.any(b == lo):
            return _c_gcd(a, b)
    return out


def _c_gcd(a, b):
    """libtorch's calc_gcd in the dtype's C arithmetic: |x| wraps at the dtype's minimum (-128 stays -128 in
    Char), the remainder truncates; gcd(-128, 127) in Char is -1 there."""
    a, b = (np.array(v) for v in np.broadcast_arrays(np.abs(a), np.abs(b)))
    with np.errstate(all="ignore"):
        while True:
            nz = a != 0
            if not nz.any():
                return b
            c = a.copy()
            a[nz] = np.fmod(b[nz], a[nz])
            b[nz] = c[nz]


gcd = _integral(_gcd, "gcd_cpu")
gcd.__doc__ = "The greatest common divisor (non-negative), for integer tensors."
lcm = _integral(lambda a, b: np.abs(np.lcm(a, b)), "lcm_cpu")
lcm.__doc__ = "The least common multiple (non-negative), for integer tensors."


def float_power(self, exponent):
    """x^exponent computed in double precision: always Double (ComplexDouble with a complex operand);
    either side may be a number."""
    like = self if isinstance(self, Tensor) else exponent
    a, b, res = op.promoted(self, exponent, like)
    res = DTYPES["ComplexDouble"] if res.category == COMPLEX else _DOUBLE
    return _compute(np.power, a, b, res)


def float_power_(self, exponent):
    """In place; `self` must be Double (ComplexDouble), the dtype of float_power's result."""
    want = float_power(self, exponent).dtype
    if self.dtype is not want:
        raise RuntimeError(f"the base given to float_power_ has dtype {self.dtype.name} but the operation's "
                           f"result requires dtype {want.name}")
    return inplace(float_power)(self, exponent)


def xlogy_function(self, other):
    """`torch_xlogy(self, other)`: either side may be a number (R torch dispatches it as a Scalar)."""
    if isinstance(self, Tensor):
        return xlogy(self, other)
    if not isinstance(other, Tensor):
        other = torch_tensor(other)
    a, b, res = op.promoted(self, other, other)
    return _compute(_xlogy, a, b, _FLOAT if res.category < FLOATING else res)


def true_divide(self, other):
    """`torch_true_divide()`, libtorch's alias of `div` (integer input gives Float)."""
    return op.div(self, other)


def true_divide_(self, other):
    return op.div_(self, other)


def isclose(self, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    """|x - other| <= atol + rtol * |other|, element-wise (a Bool tensor); both must have the same dtype."""
    other = op._r_vector(other, self)
    if self.dtype is not other.dtype:
        raise RuntimeError(f"{self.dtype.name} did not match {other.dtype.name}")
    if rtol < 0:
        raise RuntimeError(f"rtol must be greater than or equal to zero, but got {_num(rtol)}")
    if atol < 0:
        raise RuntimeError(f"atol must be greater than or equal to zero, but got {_num(atol)}")
    a, b = self._data, other._data
    if self.dtype.category < FLOATING:
        a, b = a.astype(np.float64), b.astype(np.float64)
    try:
        return wrap_as(np.asarray(np.isclose(a, b, rtol=rtol, atol=atol, equal_nan=bool(equal_nan))), _BOOL)
    except ValueError:
        raise broadcast_error(a.shape, b.shape) from None


def _num(x):
    return f"{x:g}" if isinstance(x, float) else str(x)


def polar(abs, angle):
    """`torch_polar(abs, angle)`: the complex tensor abs * (cos(angle) + i sin(angle)); Float or Double
    tensors of one dtype."""
    abs, angle = (x if isinstance(x, Tensor) else torch_tensor(x) for x in (abs, angle))
    da, db = abs.dtype, angle.dtype
    if da.category != FLOATING or db.category != FLOATING:
        raise RuntimeError(f"Expected both inputs to be Half, Float or Double tensors but got {da.name} and {db.name}")
    if da is not db:
        raise RuntimeError(f"Expected object of scalar type {da.name} but got scalar type {db.name} for second "
                           "argument")
    if da.name == "Half":
        raise _not_implemented("polar_cpu", da)
    out = DTYPES["ComplexFloat" if da.name == "Float" else "ComplexDouble"]
    r, t = abs._data, angle._data
    try:
        z = r * np.cos(t) + 1j * (r * np.sin(t))
    except ValueError:
        raise broadcast_error(r.shape, t.shape) from None
    return wrap_as(np.asarray(z).astype(out.numpy), out)


def lerp(self, end, weight, _into=False):
    """self + weight * (end - self), as libtorch computes it (from `end` where |weight| >= 0.5); `end` (and
    a tensor `weight` with dims) must have self's dtype."""
    end = op._r_vector(end, self)
    dt = self.dtype
    if end.dtype is not dt:
        raise RuntimeError(f"expected dtype {dt.c_name} for `end` but got dtype {end.dtype.c_name}")
    weight = _r_scalar(weight)
    if isinstance(weight, (list, tuple, np.ndarray)):
        weight = op._r_vector(weight, self)
    tensor_weight = isinstance(weight, Tensor)
    if tensor_weight and weight._data.ndim == 0 and weight.dtype is not dt:
        # libtorch promotes a 0-d weight with self and end (as a Scalar would be) instead of refusing it
        from ._dtypes import result_type
        dt = result_type([t.dtype for t in (self, end) if t._data.ndim],
                         [t.dtype for t in (self, end, weight) if t._data.ndim == 0])
    elif tensor_weight and weight.dtype is not dt:
        raise RuntimeError(f"expected dtype {dt.c_name} for `weight` but got dtype "
                           f"{weight.dtype.c_name}")
    if _into:  # lerp_: TensorIterator checks the output's shape before the kernel its dtype
        try:
            full = np.broadcast_shapes(self.shape, end.shape, weight.shape if tensor_weight else ())
        except ValueError:
            full = self.shape
        if full != tuple(self.shape):
            op._check_inplace_shape(self.shape, full)
        if not op.can_cast(dt, self.dtype):  # then the cast of the common dtype into x
            raise RuntimeError(f"result type {dt.name} can't be cast to the desired output type {self.dtype.name}")
    if dt.category < FLOATING:
        raise _not_implemented("lerp_kernel_tensor" if tensor_weight else "lerp_kernel_scalar", dt)
    w = weight._data if tensor_weight else weight
    np_dtype = np.dtype(np.float32) if dt.name == "Half" else dt.numpy
    # the tensors in the common dtype first (a Long end becomes Half, -Inf beyond Half's range), then opmath
    a, b = (t._data.astype(dt.numpy, copy=False).astype(np_dtype, copy=False) for t in (self, end))
    w = np.asarray(w).astype(dt.numpy if tensor_weight else np_dtype, copy=False).astype(np_dtype, copy=False)
    try:
        diff = b - a
        out = np.where(np.abs(w) < 0.5, a + w * diff, b - diff * (1 - w))
    except ValueError:
        raise broadcast_error(np.shape(a), np.broadcast_shapes(np.shape(b), np.shape(w))
                                 if broadcast_error(np.shape(b), np.shape(w)) is None else np.shape(w)) from None
    return wrap_as(np.asarray(out).astype(dt.numpy, copy=False), dt)


def lerp_into(self, end, weight):
    return lerp(self, end, weight, _into=True)


lerp_into.__name__ = "lerp"


def _bound(x, self):
    """A clamp bound as R torch passes it: a length-one R value is a Scalar, a longer vector a tensor."""
    if isinstance(x, (list, tuple, np.ndarray)) and np.size(x) != 1:
        return op._r_vector(x, self)
    return _r_scalar(x)


def _no_complex_clamp(self):
    if self.dtype.category == COMPLEX:
        raise RuntimeError("clamp is not supported for complex types")


def clamp_min(self, min):
    """`x$clamp_min(min)`: `x$clamp(min = min)`."""
    _no_complex_clamp(self)
    return op.clamp(self, min=_bound(min, self))


def clamp_max(self, max):
    """`x$clamp_max(max)`: `x$clamp(max = max)`."""
    _no_complex_clamp(self)
    return op.clamp(self, max=_bound(max, self))


def clamp_min_(self, min):
    _no_complex_clamp(self)
    return op.clamp_(self, min=_bound(min, self))


def clamp_max_(self, max):
    _no_complex_clamp(self)
    return op.clamp_(self, max=_bound(max, self))


# ---- dtypes -------------------------------------------------------------------------------------

def torch_can_cast(from_, to):
    """`torch_can_cast(from_, to)`: whether libtorch casts `from_` into `to` in in-place operations (no
    floating to integral, no complex to real, nothing but Bool into Bool)."""
    return op.can_cast(as_dtype(from_), as_dtype(to))


def torch_promote_types(type1, type2):
    """`torch_promote_types(type1, type2)`: the dtype libtorch promotes two tensor dtypes to."""
    return _promote(as_dtype(type1), as_dtype(type2))


def torch_is_nonzero(self):
    return is_nonzero(self if isinstance(self, Tensor) else torch_tensor(self))


torch_is_nonzero.__doc__ = is_nonzero.__doc__


# ---- addcmul, addcdiv, i0, polygamma, mvlgamma, the infinity and realness tests -------------------

def _addc(name, combine):
    kernel = name + "_cpu_out"

    def method(self, tensor1, tensor2, value=1, _into=False):
        t1, t2 = op._r_vector(tensor1, self), op._r_vector(tensor2, self)
        ts = (self, t1, t2)
        from ._dtypes import result_type
        res = result_type([t.dtype for t in ts if t._data.ndim], [t.dtype for t in ts if not t._data.ndim])
        if res is _BOOL:
            raise _not_implemented(kernel, res)
        if name == "addcdiv" and t1.dtype.category < FLOATING and t2.dtype.category < FLOATING:
            raise RuntimeError(
                "Integer division with addcdiv is no longer supported, and in a future  release addcdiv will "
                "perform a true division of tensor1 and tensor2. The historic addcdiv behavior can be "
                "implemented as (input + value * torch.trunc(tensor1 / tensor2)).to(input.dtype) for integer "
                "inputs and as (input + value * tensor1 / tensor2) for float inputs. The future addcdiv "
                "behavior is just the latter implementation: (input + value * tensor1 / tensor2), for all "
                "dtypes.")
        value = _r_scalar(value)
        if isinstance(value, Tensor) or np.ndim(value):
            raise TypeError(f"`value` of {name} must be a number (libtorch's Scalar)")
        if _into:
            full = np.broadcast_shapes(*(t.shape for t in ts)) if broadcast_error(
                t1.shape, t2.shape) is None else self.shape
            if full != tuple(self.shape):
                op._check_inplace_shape(self.shape, full)
            if not op.can_cast(res, self.dtype):
                raise RuntimeError(f"result type {res.name} can't be cast to the desired output type "
                                   f"{self.dtype.name}")
        np_dtype = np.dtype(np.float32) if res.name == "Half" else res.numpy
        a, b, c = (op._cast(t._data.astype(res.numpy, copy=False), np_dtype) for t in ts)
        v = op._scalar_as(value, np_dtype) if res.category < FLOATING else np_dtype.type(value)
        try:
            out = a + v * combine(b, c)
        except ValueError:
            raise broadcast_error(np.broadcast_shapes(a.shape, b.shape) if broadcast_error(a.shape, b.shape)
                                  is None else a.shape, c.shape if broadcast_error(a.shape, b.shape) is None
                                  else b.shape) from None
        return wrap_as(np.asarray(out).astype(res.numpy, copy=False), res)
    method.__name__ = name
    method.__doc__ = (f"`x${name}(tensor1, tensor2, value = 1)`: x + value * tensor1 "
                      f"{'*' if name == 'addcmul' else '/'} tensor2, broadcast and promoted together; "
                      "`value` a number.")
    return method


addcmul = _addc("addcmul", lambda b, c: b * c)
addcdiv = _addc("addcdiv", lambda b, c: b / c)


addcmul_ = inplace(lambda self, tensor1, tensor2, value=1: addcmul(self, tensor1, tensor2, value, True), "addcmul")
addcdiv_ = inplace(lambda self, tensor1, tensor2, value=1: addcdiv(self, tensor1, tensor2, value, True), "addcdiv")
addcmul_.__name__, addcdiv_.__name__ = "addcmul_", "addcdiv_"
addcmul_.__doc__, addcdiv_.__doc__ = "In place: " + addcmul.__doc__, "In place: " + addcdiv.__doc__

i0 = _float_unary(_special("i0"), "i0_vml_cpu")
i0.__doc__ = "The modified Bessel function of the first kind, order 0; integer and Bool input gives Float."
i0_ = inplace(i0, "i0")
i1 = _float_unary(_special("i1"), "i1_vml_cpu")
i1.__doc__ = "The modified Bessel function of the first kind, order 1 (i0's derivative)."


def _n_int(n, fname):
    n = _r_scalar(n)
    if isinstance(n, (bool, np.bool_)) or not float(n).is_integer():
        raise TypeError(f"{fname}(): argument 'n' (position 1) must be int, not {type(n).__name__}")
    return int(n)


def polygamma(self, n):
    """The `n`-th derivative of digamma (n = 0 is digamma); integer and Bool input gives Float."""
    n = _n_int(n, "polygamma")
    if n < 0:
        raise RuntimeError("polygamma(n, x) does not support negative n.")
    if n == 0:
        return digamma(self)
    kernel = {1: "trigamma"}.get(n, "polygamma")
    return _float_unary(lambda x: _special("polygamma")(n, x), kernel)(self)


def torch_polygamma(n, input):
    """R torch's `torch_polygamma(n, input)`: `input$clone()$polygamma_(n)` (n first, as R has it)."""
    if not isinstance(input, Tensor):
        input = torch_tensor(input)
    return polygamma(input, n)


polygamma_ = inplace(polygamma, "polygamma")


def mvlgamma(self, p):
    """The multivariate log-gamma of dimension `p`: sum over i < p of lgamma(x - i/2), plus
    p (p - 1) / 4 log(pi); integer input gives Float, Bool is refused."""
    p = _n_int(p, "mvlgamma")
    if p < 1:
        raise RuntimeError("p has to be greater than or equal to 1")
    if self.dtype is _BOOL:
        raise RuntimeError("The input tensor may not be a boolean tensor.")
    if self.dtype.category == COMPLEX:
        raise _not_implemented("lgamma_vml_cpu", self.dtype)

    def fn(x):
        out = sum(_lgamma(x - x.dtype.type(i / 2)) for i in range(p))
        return out + x.dtype.type(p * (p - 1) / 4 * np.log(np.pi))
    return _float_unary(fn, "mvlgamma")(self)


mvlgamma_ = inplace(mvlgamma, "mvlgamma")


def _inf_test(name, sign):
    def method(self):
        if self.dtype.category == COMPLEX:
            raise RuntimeError(f"{name} does not support complex inputs.")
        data = self._data
        out = data == sign * np.inf if self.dtype.category == FLOATING else np.zeros(data.shape, bool)
        return wrap_as(np.asarray(out), _BOOL)
    method.__name__ = name
    method.__doc__ = f"TRUE where the element is {'+' if sign > 0 else '-'}Inf; a Bool result (FALSE for integers)."
    return method


isposinf = _inf_test("isposinf", 1)
isneginf = _inf_test("isneginf", -1)


def isreal(self):
    """TRUE where the imaginary part is 0 (every element of a real tensor); a Bool result."""
    data = self._data
    return wrap_as(np.asarray(data.imag == 0 if self.dtype.category == COMPLEX else np.ones(data.shape, bool)),
                   _BOOL)
