"""R torch's random sampling: seeds, generators and the sampling functions, drawing from libtorch's CPU
stream (`_random`, `_normal`), so that `torch_manual_seed(42); torch_randn(3, 3)` gives what R torch gives.

CUDA tensors get the same numbers as CPU ones (drawn on the host and copied), not the numbers of
libtorch's CUDA generator.
"""
import math
import numbers

import numpy as np

from . import _normal
from . import _random as R
from ._creation import _resolve, _shape
from ._devices import as_device, cuda_device_count, to_device_array, to_host
from ._scoped import defer, frame_of, run_scoped
from ._dtypes import BOOLEAN, COMPLEX, INTEGRAL, as_dtype
from ._tensor import Tensor, wrap

_U64 = (1 << 64) - 1
_INT64_MIN, _INT64_MAX = -(1 << 63), (1 << 63) - 1


# ---------------------------------------------------------------------------------------------------------
# seeds and generators
# ---------------------------------------------------------------------------------------------------------

def _r_double_string(x):
    """R's `as.character()` of a double: up to 15 significant digits, fixed or scientific notation by
    width (`100000` is "1e+05"), with a fixed integer part printed exactly."""
    neg = x < 0
    mant, exp = f"{abs(x):.14e}".split("e")
    e = int(exp)
    digits = mant.replace(".", "").rstrip("0") or "0"
    sig = len(digits)
    rgt = max(0, sig - e - 1)
    fixed_width = neg + (e + 1 if e >= 0 else 1) + (rgt + 1 if rgt else 0)
    sci_width = neg + sig + (sig > 1) + (4 if abs(e) < 100 else 5)
    if fixed_width <= sci_width:
        return f"{x:.{rgt}f}"
    return f"{x:.{sig - 1}e}"


def _parse_int64(text):
    """C++ `std::istringstream >> int64_t`: leading sign and digits, 0 when there are none, saturated on
    overflow."""
    text = text.lstrip()
    i = 1 if text[:1] in "+-" else 0
    j = i
    while j < len(text) and text[j].isdigit():
        j += 1
    if j == i:
        return 0
    v = int(text[:j])
    return max(_INT64_MIN, min(_INT64_MAX, v))


def _r_seed(seed):
    """The 64-bit seed R torch's `torch_manual_seed()` gives libtorch: R turns the seed into text with
    `as.character()` and reads an int64 back, so a double such as 1e5 ("1e+05") becomes 1. Python
    numbers stand for R doubles; NumPy integers for R integers (exact)."""
    if isinstance(seed, Tensor):
        seed = seed.item()
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, numbers.Real):
        raise TypeError(f"seed must be a number, not {seed!r}")
    if isinstance(seed, np.integer):
        return int(seed) & _U64
    x = float(seed)
    if not math.isfinite(x):
        raise ValueError(f"seed must be a finite number, not {seed!r}")
    return _parse_int64(_r_double_string(x)) & _U64


class torch_generator:
    """R torch's `torch_generator()`: an independent CPU generator (seeded from system entropy) to pass as
    `generator=`. `current_seed()` returns the seed; `set_current_seed(seed)` takes a whole number and
    restarts the stream."""

    __slots__ = ("_engine",)

    def __init__(self):
        self._engine = R.Engine()

    def current_seed(self):
        return self._engine.seed

    def set_current_seed(self, seed):
        if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, (numbers.Integral, np.integer)):
            raise TypeError("Seed must be integer or integer64.")
        self._engine.manual_seed(int(seed) & _U64)

    def __repr__(self):
        return "torch_generator()"


_DEFAULT = R.Engine()


def _engine(generator):
    if generator is None:
        return _DEFAULT
    if isinstance(generator, torch_generator):
        return generator._engine
    raise TypeError(f"generator must be a torch_generator() or NULL/None, not {type(generator).__name__}")


def torch_manual_seed(seed):
    """Seed the default generator as R torch does (see `_r_seed` for how numbers become seeds)."""
    _DEFAULT.manual_seed(_r_seed(seed))


def torch_get_rng_state():
    """The default generator's state as a Byte tensor, in libtorch's byte layout (5056 bytes)."""
    return wrap(_DEFAULT.get_state())


def torch_set_rng_state(state):
    """Restore a state from `torch_get_rng_state()` (or from libtorch's `get_rng_state()`)."""
    if not isinstance(state, Tensor) or state.dtype.name != "Byte":
        raise TypeError("RNG state must be a torch_uint8 (Byte) tensor, as torch_get_rng_state() returns, not "
                        f"{state.dtype.name + ' tensor' if isinstance(state, Tensor) else type(state).__name__}")
    _DEFAULT.set_state(to_host(state._data))


class _SeedScope:
    def __init__(self, seed):
        self._seed = _r_seed(seed)
        self._saved = []

    def __enter__(self):
        self._saved.append(_DEFAULT.copy())
        _DEFAULT.manual_seed(self._seed)
        return self

    def __exit__(self, *exc):
        saved = self._saved.pop()
        _DEFAULT.set_state(saved.get_state())
        return False


def local_torch_manual_seed(seed, env=None):
    """R torch's `local_torch_manual_seed(seed, .env = parent.frame())`: seed the default generator until the
    calling function returns, then put back the state it had (see `rtorch._scoped`). rtorch draws CUDA
    tensors' numbers from this generator too, so there is no CUDA state to save besides it."""
    env = frame_of(env)
    scope = _SeedScope(seed)
    scope.__enter__()
    defer(scope.__exit__, env)


_NO_CUDA_GENERATOR = "Cannot get default CUDA generator without ATen_cuda library. "


def _cuda_generator_check(device):
    if cuda_device_count() == 0:
        raise RuntimeError(_NO_CUDA_GENERATOR)
    raise RuntimeError(f"rtorch has no CUDA generator: the numbers of CUDA tensors (device {device}) are drawn "
                       "by the CPU generator, whose state is torch_get_rng_state()")


def cuda_get_rng_state(device=None):
    """R torch's `cuda_get_rng_state(device = NULL)`: with `device = NULL` a list of each CUDA device's state
    (an empty list without CUDA); a device's state where libtorch has a CUDA generator, else its error."""
    if device is not None:
        _cuda_generator_check(device)
    return [cuda_get_rng_state(i) for i in range(cuda_device_count())]


def cuda_set_rng_state(state, device=None):
    """R torch's `cuda_set_rng_state(state, device = NULL)`: `state` a list with one state per CUDA device."""
    if device is not None:
        _cuda_generator_check(device)
    n = cuda_device_count()
    if len(state) != n:
        raise ValueError(f"Expected length `state` ({len(state)}) equal to the number of cuda devices ({n}).")
    for i, s in enumerate(state):
        cuda_set_rng_state(s, i)


def with_torch_manual_seed(code=None, *, seed=None):
    """R torch's `with_torch_manual_seed(code, seed = )`: run with the default generator seeded, then put
    back the state it had before. In Python either `with with_torch_manual_seed(seed=1): ...` (also
    `with_torch_manual_seed(1)`), or pass a function of no arguments as `code` to get its result."""
    if seed is None:
        if code is None or callable(code):
            raise TypeError("with_torch_manual_seed() needs seed=")
        code, seed = None, code
    scope = _SeedScope(seed)
    return run_scoped(scope, code)


# ---------------------------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------------------------

_FLOAT_NAMES = ("Half", "Float", "Double", "BFloat16")
_COMPLEX_PART = {"ComplexFloat": np.dtype(np.float32), "ComplexDouble": np.dtype(np.float64)}


def _not_implemented(kernel, dtype):
    return RuntimeError(f'"{kernel}" not implemented for \'{dtype.name}\'')


def _check_float(d, kernel):
    if d.name not in _FLOAT_NAMES and d.name not in _COMPLEX_PART:
        raise _not_implemented(kernel, d)


def _number(v, what):
    if isinstance(v, Tensor):
        if v._data.size != 1:
            raise ValueError(f"{what} must be a single number, not a tensor with {v._data.size} elements")
        v = v.item()
    if isinstance(v, np.ndarray) and v.size == 1:
        v = v.reshape(-1)[0]
    if isinstance(v, (bool, np.bool_)) or not isinstance(v, numbers.Real):
        raise TypeError(f"{what} must be a number, not {v!r}")
    return v


def _whole(v, what):
    v = _number(v, what)
    if isinstance(v, (numbers.Integral, np.integer)):
        return int(v)
    if not float(v).is_integer():
        raise ValueError(f"{what} must be a whole number, not {v!r}")
    return int(v)


def _host(t):
    return t._data if isinstance(t._data, np.ndarray) else to_host(t._data)


def _finish(arr, dev, requires_grad):
    t = wrap(arr if dev.type == "cpu" else to_device_array(arr, dev))
    t.requires_grad = bool(requires_grad)
    return t


def _moved(t, dev):
    return t if dev.type == "cpu" else _finish(t._data, dev, t.requires_grad)


def _empty_like(arr, dtype):
    """`empty_like` with preserve_format: a dense layout keeps its strides, any other becomes contiguous."""
    if arr.flags.c_contiguous or not R.ordered_view(arr).flags.c_contiguous:
        return np.empty(arr.shape, dtype)
    axes = R.order_axes(arr)
    return np.empty(tuple(arr.shape[a] for a in axes), dtype).transpose(np.argsort(axes))


def _writable(t):
    if not isinstance(t, Tensor):
        raise TypeError(f"expected a tensor, not {type(t).__name__}")
    if isinstance(t._data, np.ndarray) and not t._data.flags.writeable:
        raise RuntimeError("unsupported operation: more than one element of the written-to tensor refers to a "
                           "single memory location. Please clone() the tensor before performing the operation.")


def _store(t, host, values):
    """Write `values` (1-D, libtorch's element order) into tensor `t` whose host array is `host`."""
    if host.dtype != values.dtype and host.dtype.kind == "c":
        values = values.view(host.dtype)
    if host.flags.c_contiguous:
        host.reshape(-1)[...] = values
    else:
        R.fill_ordered(host, values)
    if host is not t._data:
        t._data[...] = to_device_array(host, t.device)
    return t


def _fill(t, draw):
    """Fill tensor `t` in place with `draw(n, contiguous, dtype)`: values in libtorch's element order.
    Complex tensors are filled through their real view, two numbers per element, as in libtorch."""
    host = _host(t)
    if host.size:
        part = _COMPLEX_PART.get(t.dtype.name)
        n = host.size * (2 if part is not None else 1)
        _store(t, host, draw(n, host.flags.c_contiguous, part if part is not None else host.dtype))
    return t


# ---------------------------------------------------------------------------------------------------------
# in-place samplers (the tensor methods `x$normal_()` ...)
# ---------------------------------------------------------------------------------------------------------

def normal_(self, mean=0, std=1, generator=None):
    """`x$normal_(mean, std)`: normal values in place."""
    _writable(self)
    mean, std = float(_number(mean, "mean")), float(_number(std, "std"))
    _check_float(self.dtype, "normal_kernel_cpu")
    if std < 0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {std}")
    if self.dtype.name in _COMPLEX_PART:
        std = std / math.sqrt(2)
    eng = _engine(generator)
    return _fill(self, lambda n, contig, dt: _normal.normal(eng, n, dt, contig, mean, std))


def uniform_(self, from_=0, to=1, generator=None):
    """`x$uniform_(from, to)`: uniform values on [from, to) in place (R's `from` is `from_` in Python)."""
    _writable(self)
    lo, hi = float(_number(from_, "from")), float(_number(to, "to"))
    _check_float(self.dtype, "uniform_kernel_cpu")
    eng = _engine(generator)
    return _fill(self, lambda n, contig, dt: R.uniform(eng, n, dt, lo, hi))


def exponential_(self, lambd=1, generator=None):
    """`x$exponential_(lambd)`: exponential values in place."""
    _writable(self)
    lam = float(_number(lambd, "lambd"))
    if self.dtype.name not in _FLOAT_NAMES:
        raise RuntimeError("Exponential distribution is a continuous probability distribution. dtype must be "
                           f"a floating point but you specified {self.dtype.name}")
    if not lam > 0:
        raise RuntimeError(f"exponential_ expects lambda > 0.0, but found lambda={lam}")
    eng = _engine(generator)
    return _fill(self, lambda n, contig, dt: R.exponential(eng, n, dt, lam))


def random_(self, from_=None, to=None, generator=None):
    """`x$random_()`, `x$random_(from, to)`: whole numbers in place, `to` exclusive. As in R torch a single
    argument is `from` (values from it to the dtype's largest); give `to = ` alone for [0, to)."""
    _writable(self)
    frm = None if from_ is None else _whole(from_, "from")
    hi = None if to is None else _whole(to, "to")
    if self.dtype.name in _COMPLEX_PART:
        raise _not_implemented("random_", self.dtype)
    eng = _engine(generator)
    return _fill(self, lambda n, contig, dt: R.random_(eng, n, dt, frm, hi))


def bernoulli_(self, p=0.5, generator=None):
    """`x$bernoulli_(p)`: 0/1 in place with probability `p`, a number or a tensor broadcast to `x`."""
    _writable(self)
    if self.dtype.name in _COMPLEX_PART:
        raise _not_implemented("bernoulli_scalar_cpu_", self.dtype)
    eng = _engine(generator)
    if not isinstance(p, Tensor):
        p = float(_number(p, "p"))
        if not 0 <= p <= 1:
            raise RuntimeError(f"bernoulli_ expects p to be in [0, 1], but got p={p}")
        return _fill(self, lambda n, contig, dt: R.bernoulli_scalar(eng, n, dt, p))
    probs = _host(p)
    if probs.dtype.kind != "f":
        raise _not_implemented("bernoulli_tensor_cpu_p_", p.dtype)
    host = _host(self)
    try:
        probs = np.broadcast_to(probs, host.shape)
    except ValueError:
        raise RuntimeError(f"the size of p {list(probs.shape)} can't be broadcast to the size of the tensor "
                           f"{list(host.shape)}") from None
    if host.size:
        ordered = probs.reshape(-1) if host.flags.c_contiguous else R.ordered_view_like(probs, host).reshape(-1)
        _store(self, host, R.bernoulli_tensor(eng, ordered, host.dtype))
    return self


# ---------------------------------------------------------------------------------------------------------
# creation functions
# ---------------------------------------------------------------------------------------------------------

def _created(shape, d, dev, requires_grad, draw):
    """A new contiguous tensor of dtype `d` filled by `draw(n, numpy dtype)` (complex: its real view)."""
    n = math.prod(shape)
    part = _COMPLEX_PART.get(d.name)
    if not n:
        vals = np.empty(0, d.numpy)
    elif part is not None:
        vals = draw(2 * n, part).view(d.numpy)
    else:
        vals = draw(n, d.numpy)
    return _finish(vals.reshape(shape), dev, requires_grad)


def _size_arg(size):
    return _shape(None, (size,))


def torch_randn(*sizes, size=None, names=None, dtype=None, layout=None, device=None, requires_grad=False,
                generator=None):
    """`torch_randn(3, 3)`: standard normal values, Float unless `dtype`. Sizes as `3, 3`, `c(3, 3)` or
    `size = `. `generator=` is an rtorch extra (R torch's `torch_randn` has none)."""
    d, dev, _ = _resolve(dtype, device)
    shape = _size_arg(size) if size is not None else _shape(None, sizes)
    _check_float(d, "normal_kernel_cpu")
    std = 1 / math.sqrt(2) if d.name in _COMPLEX_PART else 1.0
    eng = _engine(generator)
    return _created(shape, d, dev, requires_grad, lambda n, dt: _normal.normal(eng, n, dt, True, 0.0, std))


def torch_rand(*sizes, size=None, names=None, dtype=None, layout=None, device=None, requires_grad=False,
               generator=None):
    """`torch_rand(2, 3)`: uniform values on [0, 1), Float unless `dtype`."""
    d, dev, _ = _resolve(dtype, device)
    shape = _size_arg(size) if size is not None else _shape(None, sizes)
    _check_float(d, "uniform_kernel_cpu")
    eng = _engine(generator)
    return _created(shape, d, dev, requires_grad, lambda n, dt: R.uniform(eng, n, dt, 0.0, 1.0))


def torch_randint(low, high, size, generator=None, dtype=None, layout=None, device=None, requires_grad=False,
                  memory_format=None):
    """`torch_randint(low, high, size)`: whole numbers in [low, high) — `high` is exclusive, as in libtorch —
    of R torch's default dtype, Float, unless `dtype`. R torch drops `generator` before calling libtorch and
    draws from the default generator; so does this, so that seeded scripts give the same numbers."""
    d, dev, _ = _resolve(dtype, device)
    lo, hi = _whole(low, "low"), _whole(high, "high")
    if d.name in _COMPLEX_PART:
        raise _not_implemented("random_from_to_kernel_cpu", d)
    return _created(_size_arg(size), d, dev, requires_grad, lambda n, dt: R.random_(_DEFAULT, n, dt, lo, hi))


_RANDPERM_LIMITS = {"Half": (1 << 11) + 1, "Float": (1 << 24) + 1, "Double": (1 << 53) + 1}


def torch_randperm(n, dtype=None, layout=None, device=None, requires_grad=False, generator=None):
    """`torch_randperm(n)`: a random permutation of 0, ..., n - 1, Long unless `dtype`. The values are
    0-based as libtorch makes them: R torch passes them through (only `torch_multinomial` adds 1).
    `generator=` is an rtorch extra."""
    d, dev, _ = _resolve("Long" if dtype is None else dtype, device)
    n = _whole(n, "n")
    if n < 0:
        raise RuntimeError(f"n must be non-negative, got{n}")
    if d.category in (BOOLEAN, COMPLEX):
        raise _not_implemented("randperm", d)
    if d.name in _RANDPERM_LIMITS and n > _RANDPERM_LIMITS[d.name]:
        raise RuntimeError(f"n cannot be greater than {_RANDPERM_LIMITS[d.name]} for {d.name} type.")
    if d.category == INTEGRAL and n > 0 and n - 1 > np.iinfo(d.numpy).max:
        raise RuntimeError(f"n is too large for result tensor type: 'CPU{d.name}Type'")
    return _finish(R.randperm(_engine(generator), n, d.numpy), dev, requires_grad)


def torch_normal(mean=0, std=1, size=None, generator=None, dtype=None, layout=None, device=None,
                 requires_grad=False):
    """R torch's `torch_normal(mean, std, size)`. With numbers for both, `size` is required and `dtype`,
    `device` apply; a tensor `mean` and/or `std` gives one value per element of their broadcast shape,
    made as libtorch makes it (standard normals, times `std`, plus `mean`)."""
    mt, st = isinstance(mean, Tensor), isinstance(std, Tensor)
    if size is not None and (mt or st):
        raise ValueError("size is set, but one of mean or std is not a scalar value.")
    if (dtype is not None or layout is not None or device is not None or requires_grad) and (mt or st):
        raise ValueError("options is set, but one of mean or std is not a scalar value.")
    if not mt and not st:
        if size is None:
            raise ValueError("size is not set.")
        d, dev, _ = _resolve(dtype, device)
        _check_float(d, "normal_kernel_cpu")
        out = wrap(np.empty(_size_arg(size), d.numpy))
        normal_(out, mean, std, generator)
        return _finish(out._data, dev, requires_grad)
    src = mean if mt else std
    _check_float(src.dtype, "normal_kernel_cpu")
    if st and (_host(std) < 0).any():
        raise RuntimeError("normal expects all elements of std >= 0.0")
    if mt and st:
        out = wrap(np.empty(np.broadcast_shapes(mean.shape, std.shape), mean.dtype.numpy))
        normal_(out, 0, 1, generator)
        out._data[...] = out._data * _host(std)
        out._data[...] = out._data + _host(mean)
    elif mt:
        out = wrap(np.empty(mean.shape, mean.dtype.numpy))
        normal_(out, 0, _number(std, "std"), generator)
        out._data[...] = out._data + _host(mean)
    else:
        out = wrap(np.empty(std.shape, std.dtype.numpy))
        normal_(out, 0, 1, generator)
        out._data[...] = out._data * _host(std)
        out._data[...] = out._data + out.dtype.numpy.type(_number(mean, "mean"))
    return _moved(out, src.device)


def torch_bernoulli(self, p=None, generator=None):
    """`torch_bernoulli(self)`: 0/1 drawn with the probabilities in `self`; `torch_bernoulli(self, p)`: with
    probability `p` (a number or a tensor), in a tensor shaped and typed like `self`."""
    if not isinstance(self, Tensor):
        raise TypeError(f"self must be a tensor, not {type(self).__name__}")
    out = wrap(_empty_like(_host(self), self.dtype.numpy))
    if p is None:
        if self.dtype.name not in _FLOAT_NAMES:
            raise _not_implemented("bernoulli_tensor_cpu_p_", self.dtype)
        p = self
    bernoulli_(out, p, generator)
    return _moved(out, self.device)


def torch_multinomial(self, num_samples, replacement=False, generator=None):
    """`torch_multinomial(probs, n)`: indices drawn with the (unnormalised) weights in each row of `probs`
    (1-D or 2-D), 1-based as R torch returns them; a Long tensor."""
    if not isinstance(self, Tensor):
        raise TypeError(f"self must be a tensor, not {type(self).__name__}")
    probs = _host(self)
    k = _whole(num_samples, "num_samples")
    if probs.ndim not in (1, 2):
        raise RuntimeError("prob_dist must be 1 or 2 dim")
    if self.dtype.name not in ("Float", "Double"):
        raise RuntimeError(f"multinomial only supports floating-point dtypes for input, got: {self.dtype.name}")
    if k <= 0:
        raise RuntimeError("cannot sample n_sample <= 0 samples")
    if not replacement and k > probs.shape[-1]:
        raise RuntimeError("cannot sample n_sample > prob_dist.size(-1) samples without replacement")
    if probs.shape[-1] > 1 << 24:
        raise RuntimeError("number of categories cannot exceed 2^24")
    order = None
    if not probs.flags.c_contiguous and R.ordered_view(probs).flags.c_contiguous:
        # the exponentials fill a tensor laid out like `probs`: in its memory order
        pos = np.arange(probs.size).reshape(probs.shape)
        order = np.ascontiguousarray(R.ordered_view_like(pos, probs)).reshape(-1)
    two = np.ascontiguousarray(probs.reshape(1, -1) if probs.ndim == 1 else probs)
    out = R.multinomial(_engine(generator), two, k, bool(replacement), order) + 1
    return _moved(wrap(out.reshape(k) if probs.ndim == 1 else out), self.device)


def _like(input, dtype):
    if not isinstance(input, Tensor):
        raise TypeError(f"input must be a tensor, not {type(input).__name__}")
    d = input.dtype if dtype is None else as_dtype(dtype)
    return d, wrap(_empty_like(_host(input), d.numpy))


def _placed_like(t, input, device, requires_grad):
    out = _moved(t, input.device if device is None else as_device(device))
    out.requires_grad = bool(requires_grad)
    return out


def torch_randn_like(input, dtype=None, layout=None, device=None, requires_grad=False, memory_format=None):
    """`torch_randn_like(x)`: normal values shaped and typed like `x`. Like libtorch, a transposed `x` gives
    a tensor of the same layout, filled element by element (so other numbers than `torch_randn`)."""
    d, out = _like(input, dtype)
    _check_float(d, "normal_kernel_cpu")
    normal_(out, 0, 1)
    return _placed_like(out, input, device, requires_grad)


def torch_rand_like(input, dtype=None, layout=None, device=None, requires_grad=False, memory_format=None):
    """`torch_rand_like(x)`: uniform values on [0, 1) shaped and typed like `x`."""
    d, out = _like(input, dtype)
    _check_float(d, "uniform_kernel_cpu")
    uniform_(out, 0, 1)
    return _placed_like(out, input, device, requires_grad)


def torch_randint_like(input, low, high, dtype=None, layout=None, device=None, requires_grad=False,
                       memory_format=None):
    """`torch_randint_like(x, low, high)`: whole numbers in [low, high) shaped and typed like `x`."""
    d, out = _like(input, dtype)
    random_(out, _whole(low, "low"), _whole(high, "high"))
    return _placed_like(out, input, device, requires_grad)


def multinomial(self, num_samples, replacement=False, generator=None):
    """The method `x$multinomial(n)`: unlike `torch_multinomial()`, R torch's method returns libtorch's
    0-based indices unchanged."""
    out = torch_multinomial(self, num_samples, replacement, generator)
    out._data -= 1
    return out


def _poisson_one(lam, draw):
    """libtorch's `sample_poisson`: Hoermann's transformed rejection for lambda >= 10, the product of
    uniforms below, in double; each uniform one `uniform_real_distribution<double>` draw."""
    if lam >= 10:
        slam, loglam = math.sqrt(lam), math.log(lam)
        b = 0.931 + 2.53 * slam
        a = -0.059 + 0.02483 * b
        invalpha = 1.1239 + 1.1328 / (b - 3.4)
        vr = 0.9277 - 3.6224 / (b - 2)
        while True:
            u = draw() - 0.5
            v = draw()
            us = 0.5 - abs(u)
            k = math.floor((2 * a / us + b) * u + lam + 0.43)
            if us >= 0.07 and v <= vr:
                return k
            if k < 0 or (us < 0.013 and v > us):
                continue
            if (math.log(v) + math.log(invalpha) - math.log(a / (us * us) + b)) <= \
                    (-lam + k * loglam - math.lgamma(k + 1.0)):
                return k
    if lam == 0:
        return 0
    enlam, x, prod = math.exp(-lam), 0, 1.0
    while True:
        prod *= draw()
        if prod > enlam:
            x += 1
        else:
            return x


def torch_poisson(self, generator=None):
    """`torch_poisson(rates, generator = NULL)`: one Poisson draw per rate, libtorch's CPU sampler and
    generator draws element by element (so the numbers are PyTorch's under the same seed), in `self`'s
    dtype."""
    if not isinstance(self, Tensor):
        raise TypeError(f"self must be a tensor, not {type(self).__name__}")
    if self.dtype.name not in _FLOAT_NAMES:
        raise _not_implemented("poisson_cpu", self.dtype)
    rates = _host(self).astype(np.float64).reshape(-1)
    if rates.size and not (rates >= 0).all():
        raise RuntimeError("invalid Poisson rate, expected rate to be non-negative")
    draws = _Stream(_engine(generator), rates.size)
    try:
        out = np.array([_poisson_one(r, draws.uniform) for r in rates.tolist()], np.float64)
    finally:
        draws.close()
    return _moved(wrap(out.reshape(self.shape).astype(self.dtype.numpy)), self.device)


# ---------------------------------------------------------------------------------------------------------
# gamma draws: libtorch's serial CPU kernel (`_s_gamma_cpu`), element by element in row-major order, from
# `uniform_real_distribution<double>` and the cached `normal_distribution<double>`; its reparameterised
# gradient (`_standard_gamma_grad_cpu`)
# ---------------------------------------------------------------------------------------------------------

_F32 = np.float32
_THIRD_F = float(_F32(1) / _F32(3))  # 1.0f / 3.0f
_C0331_F = float(_F32(0.0331))
_TINY = {np.dtype(np.float32): float(np.finfo(np.float32).tiny),
         np.dtype(np.float64): float(np.finfo(np.float64).tiny)}


class _Stream:
    """The serial draws of one kernel call, read from uniforms drawn ahead in bulk from a copy of the engine:
    `uniform()` is `uniform_real_distribution<double>`, `normal()` is `normal_distribution<double>` (Box-
    Muller on two uniforms, the sine cached in the engine, as `_normal.standard_normal_scalar` computes it).
    `close()` moves the engine past exactly the words used."""

    def __init__(self, eng, n):
        self.eng, self._ahead, self.pos = eng, eng.copy(), 0
        self._u = np.empty(0)
        self._more(3 * n + 64)

    def _more(self, k):
        self._u = np.concatenate([self._u, self._ahead.uniform64(k)])
        u1, u2 = self._u[:-1], self._u[1:]
        radius = np.sqrt(-2.0 * R.log1p(-u2))
        theta = (2.0 * np.pi) * u1
        self._cos, self._sin = (radius * np.cos(theta)).tolist(), (radius * np.sin(theta)).tolist()
        self._ul = self._u.tolist()

    def uniform(self):
        if self.pos >= len(self._ul):
            self._more(len(self._ul))
        self.pos += 1
        return self._ul[self.pos - 1]

    def normal(self):
        eng = self.eng
        if eng.next_double_normal is not None:
            v, eng.next_double_normal = eng.next_double_normal, None
            return v
        if self.pos + 1 >= len(self._ul):
            self._more(len(self._ul))
        p = self.pos
        self.pos += 2
        eng.next_double_normal = self._sin[p]
        return self._cos[p]

    def close(self):
        if self.pos:
            self.eng.words(2 * self.pos)


def _gamma_one(draws, alpha, single):
    """`sample_gamma`: Marsaglia and Tsang's rejection, boosted below alpha = 1, as Distributions.h writes it
    (for a Float tensor `alpha` stays single precision where the C++ keeps it `scalar_t`)."""
    scale = 1.0
    if alpha < 1.0:
        if alpha == 0:
            return 0.0
        inv = float(_F32(1) / _F32(alpha)) if single else 1.0 / alpha
        scale *= math.pow(1 - draws.uniform(), inv)
        alpha = float(_F32(alpha) + _F32(1)) if single else alpha + 1.0
    d = float(_F32(alpha) - _F32(_THIRD_F)) if single else alpha - _THIRD_F
    c = 1.0 / math.sqrt(9.0 * d)
    while True:
        while True:
            x = draws.normal()
            y = 1.0 + c * x
            if y > 0:
                break
        v = y * y * y
        u = 1 - draws.uniform()
        xx = x * x
        if u < 1.0 - _C0331_F * xx * xx:
            return scale * d * v
        if math.log(u) < 0.5 * xx + d * (1.0 - v + math.log(v)):
            return scale * d * v


def _float_input(self, kernel):
    if not isinstance(self, Tensor):
        raise TypeError(f"self must be a tensor, not {type(self).__name__}")
    if self.dtype.name not in ("Float", "Double"):
        raise _not_implemented(kernel, self.dtype)
    return _host(self)


def torch__standard_gamma(self, generator=None):
    """`torch__standard_gamma(alpha)`: Gamma(alpha, 1) draws, at least the dtype's smallest normal number,
    libtorch's CPU stream."""
    a = _float_input(self, "gamma_cpu")
    single, tiny, flat = a.dtype == np.float32, _TINY[a.dtype], a.reshape(-1).tolist()
    draws = _Stream(_engine(generator), len(flat))
    try:
        vals = [_gamma_one(draws, v, single) for v in flat]
    finally:
        draws.close()
    vals = np.maximum(np.array(vals, np.float64).astype(a.dtype), a.dtype.type(tiny))
    return _moved(wrap(vals.reshape(a.shape)), self.device)


_DIGAMMA_A = (8.33333333333333333333E-2, -2.10927960927960927961E-2, 7.57575757575757575758E-3,
              -4.16666666666666666667E-3, 3.96825396825396825397E-3, -8.33333333333333333333E-3,
              8.33333333333333333333E-2)
_PSI_10 = 2.25175258906672110764


def _digamma_one(x):
    """Distributions.h's `digamma_one` in double (the Cephes recurrence and asymptotic series)."""
    if x == 0:
        return math.inf
    extra = 0.0
    if x < 0:
        if x == math.floor(x):
            return math.inf
        extra = -math.pi / math.tan(math.pi * x)
        x = 1 - x
    result = 0.0
    while x < 10:
        result -= 1 / x
        x += 1
    if x == 10:
        return result + _PSI_10 + extra
    y = 0.0
    if x < 1.0e17:
        z = 1.0 / (x * x)
        p = 0.0
        for a in _DIGAMMA_A:
            p = p * z + a
        y = z * p
    return result + math.log(x) - (0.5 / x) - y + extra


_GAMMA_UV = ((0.16009398, -0.094634809, 0.025146376, -0.0030648343, 1, 0.32668115, 0.10406089, 0.0014179084),
             (0.53487893, 0.1298071, 0.065735949, -0.0015649758, 0.16639465, 0.020070113, -0.0035938915,
              -0.00058392623),
             (0.040121004, -0.0065914022, -0.0026286047, -0.0013441777, 0.017050642, -0.0021309326, 0.00085092367,
              -1.5247877e-07))
_F09, _F11 = float(_F32(0.9)), float(_F32(1.1))


def _gamma_grad_one(alpha, x):
    """`standard_gamma_grad_one` in double: -(d/dalpha cdf(x; alpha)) / pdf(x; alpha), by a Taylor series
    for small x, Rice's saddle point expansion for large alpha, else a bivariate rational approximation."""
    if x < 0.8:
        numer, denom = 1.0, alpha
        s1, s2 = numer / denom, numer / (denom * denom)
        for i in range(1, 6):
            numer *= -x / i
            denom += 1
            s1 += numer / denom
            s2 += numer / (denom * denom)
        try:
            pow_xa = math.pow(x, alpha)
            pdf = math.pow(x, alpha - 1) * math.exp(-x)
            cdf_alpha = (math.log(x) - _digamma_one(alpha)) * (pow_xa * s1) - pow_xa * s2
            r = -cdf_alpha / pdf
        except (ValueError, ZeroDivisionError, OverflowError):
            r = math.nan
        return 0.0 if math.isnan(r) else r
    if alpha > 8.0:
        if _F09 * alpha <= x <= _F11 * alpha:
            n1 = 1 + 24 * alpha * (1 + 12 * alpha)
            n2 = 1440 * (alpha * alpha) + 6 * x * (53 - 120 * x) - 65 * x * x / alpha + alpha * (107 + 3600 * x)
            return n1 * n2 / (1244160 * (alpha * alpha) * (alpha * alpha))
        denom = math.sqrt(8 * alpha)
        term2 = denom / (alpha - x)
        term3 = math.pow(x - alpha - alpha * math.log(x / alpha), -1.5)
        term23 = term2 - term3 if x < alpha else term2 + term3
        term1 = math.log(x / alpha) * term23 - math.sqrt(2 / alpha) * (alpha + x) / ((alpha - x) * (alpha - x))
        stirling = 1 + 1 / (12 * alpha) * (1 + 1 / (24 * alpha))
        return -stirling * (x * term1) / denom
    u, v = math.log(x / alpha), math.log(alpha)
    cv = [_GAMMA_UV[0][i] + u * (_GAMMA_UV[1][i] + u * _GAMMA_UV[2][i]) for i in range(8)]
    p = cv[0] + v * (cv[1] + v * (cv[2] + v * cv[3]))
    q = cv[4] + v * (cv[5] + v * (cv[6] + v * cv[7]))
    return math.exp(p / q)


def torch__standard_gamma_grad(self, output):
    """`torch__standard_gamma_grad(alpha, x)`: the reparameterised gradient of Gamma(alpha, 1) draws `x`
    with respect to `alpha` (what `_standard_gamma`'s backward multiplies by)."""
    a = _float_input(self, "_standard_gamma_grad_cpu")
    x = np.broadcast_to(_host(output), a.shape)
    vals = np.array([_gamma_grad_one(float(p), float(q)) for p, q in zip(a.reshape(-1), x.reshape(-1))],
                    np.float64).astype(a.dtype)
    return _moved(wrap(vals.reshape(a.shape)), self.device)
