"""rtorch/_pointwise.py and the window functions against PyTorch (the libtorch oracle)."""
import numpy as np
import pytest

import rtorch
from rtorch import *  # noqa: F401,F403
from tests._require import require


@pytest.fixture(scope="module")
def torch():
    return require("torch")


_NAMES = ["Bool", "Byte", "Char", "Short", "Int", "Long", "Half", "Float", "Double"]
_VALUES = np.array([-3.5, -1.0, -0.25, 0.0, 0.5, 1.0, 2.0, 7.25, 0.9])


def _pair(torch, name, values=_VALUES, shape=None):
    """The same data as an rtorch and a PyTorch tensor of dtype `name`."""
    arr = np.asarray(values)
    arr = {"Bool": arr != 0, "Byte": np.abs(arr).astype(np.uint8)}.get(name, arr)
    dt = getattr(rtorch, "torch_" + {"Bool": "bool", "Byte": "uint8", "Char": "int8", "Short": "int16",
                                     "Int": "int32", "Long": "int64", "Half": "float16", "Float": "float32",
                                     "Double": "float64", "ComplexFloat": "cfloat"}[name])()
    arr = arr.astype(dt.numpy)
    if shape is not None:
        arr = arr.reshape(shape)
    return torch_tensor(arr, dtype=dt), torch.from_numpy(arr.copy())


def _same(ours, theirs, rtol=2e-6, atol=1e-6):
    """Same dtype, shape and values (NaN where NaN), within a float tolerance."""
    expected = theirs.numpy()
    got = as_array(ours) if ours.dtype.name != "Byte" else np.asarray(ours)
    assert ours.dtype.name == _TORCH_NAMES[str(theirs.dtype)]
    assert tuple(ours.shape) == tuple(theirs.shape)
    if expected.dtype == np.float16:
        rtol, atol = 2e-3, 2e-3
    np.testing.assert_allclose(np.asarray(got, expected.dtype), expected, rtol=rtol, atol=atol, equal_nan=True)


_TORCH_NAMES = {"torch.bool": "Bool", "torch.uint8": "Byte", "torch.int8": "Char", "torch.int16": "Short",
                "torch.int32": "Int", "torch.int64": "Long", "torch.float16": "Half", "torch.float32": "Float",
                "torch.float64": "Double", "torch.complex64": "ComplexFloat", "torch.complex128": "ComplexDouble"}


def _expect_same_error(ours, theirs):
    with pytest.raises(Exception) as exc:
        theirs()
    message = str(exc.value).split("\n")[0]
    with pytest.raises((RuntimeError, ValueError), match=_escape(message)):
        ours()


def _escape(s):
    import re
    return re.escape(s)


UNARY = ["erf", "erfc", "erfinv", "lgamma", "digamma", "frac", "fix", "sinc", "deg2rad", "rad2deg", "exp2",
         "absolute", "sgn", "signbit", "nan_to_num", "angle", "bitwise_not", "conj"]


@pytest.mark.parametrize("name", UNARY)
@pytest.mark.parametrize("dtype", _NAMES)
def test_unary_against_torch(torch, name, dtype):
    values = np.append(_VALUES, [np.nan, np.inf, -np.inf]) if dtype in ("Half", "Float", "Double") else _VALUES
    if name == "erfinv" and dtype in ("Half", "Float", "Double"):
        values = np.array([-1.0, -0.999, -0.5, 0.0, 0.25, 0.9, 1.0, 1.5, np.nan])
    x, tx = _pair(torch, dtype, values, (len(values),))
    theirs_fn = getattr(torch, name)
    try:
        expected = theirs_fn(tx)
    except RuntimeError:
        _expect_same_error(lambda: getattr(rtorch, "torch_" + name)(x), lambda: theirs_fn(tx))
        _expect_same_error(lambda: getattr(x, name)(), lambda: theirs_fn(tx))
        return
    _same(getattr(rtorch, "torch_" + name)(x), expected, rtol=1e-5)
    _same(getattr(x, name)(), expected, rtol=1e-5)


@pytest.mark.parametrize("name", ["erf", "lgamma", "digamma", "sinc", "exp2", "angle", "signbit", "frac"])
def test_unary_zero_d_and_empty(torch, name):
    for shape, values in (((), [0.75]), ((0,), []), ((2, 0, 3), [])):
        x, tx = _pair(torch, "Double", np.array(values, float), shape)
        _same(getattr(rtorch, "torch_" + name)(x), getattr(torch, name)(tx))


@pytest.mark.parametrize("name", ["erf", "erfc", "erfinv", "lgamma", "digamma", "sinc", "deg2rad", "exp2",
                                  "frac", "fix", "sgn", "nan_to_num"])
def test_unary_inplace(torch, name):
    x, tx = _pair(torch, "Float", np.array([-0.5, 0.25, 0.75, 2.5]))
    out = getattr(x, name + "_")()
    assert out is x
    _same(x, getattr(tx, name + "_")())
    if name in ("erf", "erfc", "erfinv", "lgamma", "digamma", "sinc", "deg2rad", "exp2"):
        for dt in ("Long", "Bool"):
            y, ty = _pair(torch, dt, np.array([1, 0, 2]))
            _expect_same_error(lambda: getattr(y, name + "_")(), lambda: getattr(ty, name + "_")())


BINARY = ["hypot", "fmax", "fmin", "logaddexp", "logaddexp2", "xlogy", "heaviside", "gcd", "lcm", "float_power",
          "copysign", "nextafter", "ldexp", "true_divide", "isclose"]
_BIN_DTYPES = ["Bool", "Byte", "Long", "Half", "Float", "Double"]


@pytest.mark.parametrize("name", BINARY)
@pytest.mark.parametrize("a", _BIN_DTYPES)
@pytest.mark.parametrize("b", _BIN_DTYPES)
def test_binary_against_torch(torch, name, a, b):
    x, tx = _pair(torch, a, _VALUES, (3, 3))
    y, ty = _pair(torch, b, np.array([2.0, -1.0, 0.0]))
    try:
        expected = getattr(torch, name)(tx, ty)
    except RuntimeError:
        _expect_same_error(lambda: getattr(rtorch, "torch_" + name)(x, y), lambda: getattr(torch, name)(tx, ty))
        return
    _same(getattr(rtorch, "torch_" + name)(x, y), expected, rtol=1e-5)
    _same(getattr(x, name)(y), expected, rtol=1e-5)


@pytest.mark.parametrize("name", ["hypot", "logaddexp", "xlogy", "copysign", "ldexp", "fmax", "nextafter"])
def test_binary_zero_d_empty_and_broadcast_errors(torch, name):
    x, tx = _pair(torch, "Float", [1.5], ())
    y, ty = _pair(torch, "Float", [0.5, -2.0, 3.0])
    _same(getattr(x, name)(y), getattr(torch, name)(tx, ty))
    _same(getattr(y, name)(x), getattr(torch, name)(ty, tx))
    e, te = _pair(torch, "Float", np.zeros((0, 3)), (0, 3))
    _same(getattr(e, name)(y), getattr(torch, name)(te, ty))
    z, tz = _pair(torch, "Float", [1.0, 2.0])
    with pytest.raises(RuntimeError, match=r"The size of tensor a \(3\) must match the size of tensor b \(2\)"):
        getattr(y, name)(z)


@pytest.mark.parametrize("name", ["hypot", "xlogy", "heaviside", "gcd", "lcm", "copysign", "nextafter", "ldexp",
                                  "float_power"])
def test_binary_inplace(torch, name):
    dt = "Long" if name in ("gcd", "lcm") else "Double" if name == "float_power" else "Float"
    x, tx = _pair(torch, dt, np.array([6.0, -4.0, 0.0, 9.0]))
    y, ty = _pair(torch, dt, np.array([4.0, 6.0, 0.0, -3.0]))
    assert getattr(x, name + "_")(y) is x
    _same(x, getattr(tx, name + "_")(ty))
    w, tw = _pair(torch, dt, np.ones((2, 4)), (2, 4))
    _expect_same_error(lambda: getattr(x, name + "_")(w), lambda: getattr(tx, name + "_")(tw))
    if name not in ("gcd", "lcm", "heaviside"):
        n, tn = _pair(torch, "Long" if name != "float_power" else "Float", np.array([1.0, 2.0, 3.0, 4.0]))
        _expect_same_error(lambda: getattr(n, name + "_")(y), lambda: getattr(tn, name + "_")(ty))


def test_r_numbers_as_tensors_or_scalars(torch):
    """A Tensor-only argument gets `torch_tensor(2)` (a Float vector); a Scalar one a wrapped scalar."""
    x, tx = _pair(torch, "Half", [1.0, 2.0])
    _same(torch_hypot(x, 2), torch.hypot(tx, torch.tensor([2.0])))            # Float, from the Float vector
    _same(torch_copysign(x, -1), torch.copysign(tx, -1.0))                     # Half, a scalar
    _same(x.true_divide(2), tx.true_divide(2.0))
    n, tn = _pair(torch, "Long", [4.0, 6.0])
    _same(torch_gcd(n, as_integer(6)), torch.gcd(tn, torch.tensor([6])))
    with pytest.raises(RuntimeError, match=r'"gcd_cpu" not implemented for \'Float\''):
        torch_gcd(n, 6)
    _same(torch_xlogy(2, n), torch.xlogy(2.0, tn))
    _same(torch_xlogy(n, 3), torch.xlogy(tn, 3.0))
    _same(torch_float_power(2, n), torch.float_power(2.0, tn))
    _same(torch_float_power(n, -1), torch.float_power(tn, -1.0))
    _same(n.float_power(c(0.5, 2)), tn.float_power(torch.tensor([0.5, 2.0])))


def test_lerp(torch):
    a, ta = _pair(torch, "Float", [0.0, 1.0, -2.0, 10.0])
    b, tb = _pair(torch, "Float", [1.0, 3.0, 2.0, 20.0])
    for w in (0.25, 0.75, 2.0, -1.0):
        _same(torch_lerp(a, b, w), torch.lerp(ta, tb, w))
    w, tw = _pair(torch, "Float", [0.1, 0.5, 0.9, 1.0])
    _same(a.lerp(b, w), ta.lerp(tb, tw))
    h, th = _pair(torch, "Half", [0.0, 1.0])
    _same(torch_lerp(h, h * 3, 0.3), torch.lerp(th, th * 3, 0.3))
    x = a.clone()
    assert x.lerp_(b, 0.5) is x
    _same(x, ta.clone().lerp_(tb, 0.5))
    d, td = _pair(torch, "Double", [1.0, 2.0, 3.0, 4.0])
    n, tn = _pair(torch, "Long", [1.0, 2.0, 3.0, 4.0])
    _expect_same_error(lambda: torch_lerp(a, d, 0.5), lambda: torch.lerp(ta, td, 0.5))
    _expect_same_error(lambda: torch_lerp(a, a, d), lambda: torch.lerp(ta, ta, td))
    _expect_same_error(lambda: torch_lerp(n, n, 0.5), lambda: torch.lerp(tn, tn, 0.5))
    with pytest.raises(RuntimeError, match="expected dtype float for `end` but got dtype double"):
        torch_lerp(a, d, 0.5)


def test_isclose(torch):
    a, ta = _pair(torch, "Double", [1.0, np.nan, np.inf, 1e-9, 100.0])
    b, tb = _pair(torch, "Double", [1.0 + 1e-6, np.nan, np.inf, 0.0, 100.1])
    _same(torch_isclose(a, b), torch.isclose(ta, tb))
    _same(a.isclose(b, equal_nan=True, rtol=1e-2), ta.isclose(tb, equal_nan=True, rtol=1e-2))
    _same(torch_isclose(a, b, atol=0.5), torch.isclose(ta, tb, atol=0.5))
    f, tf = _pair(torch, "Float", [1.0])
    _expect_same_error(lambda: torch_isclose(a, f), lambda: torch.isclose(ta, tf))
    _expect_same_error(lambda: torch_isclose(a, b, rtol=-1), lambda: torch.isclose(ta, tb, rtol=-1))
    _expect_same_error(lambda: torch_isclose(a, b, atol=-1), lambda: torch.isclose(ta, tb, atol=-1))


def test_polar(torch):
    r, tr = _pair(torch, "Float", [1.0, 2.0, 0.5])
    t, tt = _pair(torch, "Float", [0.0, np.pi / 2, -1.0])
    _same(torch_polar(r, t), torch.polar(tr, tt))
    d, td = _pair(torch, "Double", [1.0, 2.0, 0.5])
    _same(torch_polar(d, d), torch.polar(td, td))
    n, tn = _pair(torch, "Long", [1.0, 2.0, 0.5])
    h, th = _pair(torch, "Half", [1.0, 2.0, 0.5])
    _expect_same_error(lambda: torch_polar(n, r), lambda: torch.polar(tn, tr))
    _expect_same_error(lambda: torch_polar(r, d), lambda: torch.polar(tr, td))
    _expect_same_error(lambda: torch_polar(h, h), lambda: torch.polar(th, th))


def test_frexp(torch):
    for dt in ("Half", "Float", "Double"):
        x, tx = _pair(torch, dt, [0.0, -3.5, 1e-3, 1024.0, np.inf, np.nan])
        m, e = torch_frexp(x)
        tm, te = torch.frexp(tx)
        _same(m, tm)
        _same(e, te)
    n, tn = _pair(torch, "Long", [1.0])
    _expect_same_error(lambda: n.frexp(), lambda: tn.frexp())


def test_nan_to_num(torch):
    for dt in ("Half", "Float", "Double"):
        x, tx = _pair(torch, dt, [np.nan, np.inf, -np.inf, 1.5])
        _same(torch_nan_to_num(x), torch.nan_to_num(tx))
        _same(x.nan_to_num(nan=1, posinf=2, neginf=-3), tx.nan_to_num(nan=1, posinf=2, neginf=-3))
    x, tx = _pair(torch, "Float", [np.nan, 1.0])
    assert torch_nan_to_num_(x, nan=7) is x
    _same(x, tx.nan_to_num_(nan=7))


@pytest.mark.parametrize("dtype", ["Byte", "Long", "Half", "Float", "Double"])
def test_clamp_min_max_and_threshold(torch, dtype):
    x, tx = _pair(torch, dtype, _VALUES)
    _same(torch_clamp_min(x, 0.5), torch.clamp_min(tx, 0.5))
    _same(x.clamp_max(1), tx.clamp_max(1.0))
    _same(torch_clamp_min(x, as_integer(1)), torch.clamp_min(tx, 1))
    bound, tbound = _pair(torch, dtype, _VALUES[::-1].copy())
    _same(x.clamp_min(bound), tx.clamp_min(tbound))
    _same(torch_clamp_max(x, bound), torch.clamp_max(tx, tbound))
    _same(torch_threshold(x, 0.5, 20), torch.threshold(tx, 0.5, 20))
    if dtype == "Byte":
        _expect_same_error(lambda: torch_threshold(x, -1.5, 9), lambda: torch.threshold(tx, -1.5, 9))
    else:
        _same(torch_threshold(x, -1.5, 9), torch.threshold(tx, -1.5, 9))
    y = x.clone()
    assert torch_threshold_(y, 1, 3) is y
    _same(y, torch.threshold_(tx.clone(), 1, 3))
    y = x.clone()
    assert y.clamp_min_(as_integer(1) if dtype in ("Byte", "Long") else 1) is y
    _same(y, tx.clone().clamp_min_(1))
    if dtype in ("Float", "Double"):
        y = x.clone()
        _same(torch_clamp_max_(y, 0.5), tx.clone().clamp_max_(0.5))


def test_clamp_threshold_errors(torch):
    b, tb = _pair(torch, "Bool", [1.0, 0.0])
    _expect_same_error(lambda: torch_clamp_min(b, True), lambda: torch.clamp_min(tb, True))
    _expect_same_error(lambda: torch_threshold(b, 0, 1), lambda: torch.threshold(tb, 0, 1))
    z = torch_tensor(np.array([1 + 1j]))
    tz = torch.tensor([1 + 1j], dtype=torch.complex64)
    _expect_same_error(lambda: torch_clamp_max(z, 1), lambda: torch.clamp_max(tz, 1))
    _expect_same_error(lambda: torch_threshold(z, 1, 2), lambda: torch.threshold(tz, 1, 2))


def test_complex_inputs(torch):
    values = np.array([3 + 4j, 0j, -1 + 0.5j, -2 + 0j], np.complex64)
    x, tx = torch_tensor(values), torch.from_numpy(values.copy())
    for name in ("sgn", "angle", "absolute", "conj", "exp2", "sinc"):
        _same(getattr(x, name)(), getattr(tx, name)().resolve_conj(), rtol=1e-5)
    _same(x.logaddexp(x), tx.logaddexp(tx), rtol=1e-5)
    _same(x.ldexp(x), tx.ldexp(tx), rtol=1e-5)
    for name in ("erf", "lgamma", "digamma", "frac", "fix", "deg2rad", "signbit", "bitwise_not"):
        _expect_same_error(lambda: getattr(x, name)(), lambda: getattr(tx, name)())
    for name in ("hypot", "fmax", "heaviside", "xlogy", "copysign", "nextafter", "logaddexp2"):
        _expect_same_error(lambda: getattr(x, name)(x), lambda: getattr(tx, name)(tx))
    f = torch_tensor(c(1, 2))
    assert torch_conj(f) is f


def test_predicates_and_dtypes(torch):
    assert torch_is_nonzero(torch_tensor(c(2.5))) is True
    assert torch_is_nonzero(torch_tensor(FALSE)) is False
    assert torch_tensor(as_integer(0)).is_nonzero() is False
    for t, tt in ((torch_tensor(c(1, 2)), torch.tensor([1.0, 2.0])), (torch_tensor(numeric(0)), torch.tensor([]))):
        _expect_same_error(lambda: torch_is_nonzero(t), lambda: torch.is_nonzero(tt))
    assert torch_is_floating_point(torch_tensor(1)) is True
    assert torch_is_floating_point(torch_tensor(as_integer(1))) is False
    assert torch_is_complex(torch_tensor(np.array([1j]))) is True
    assert torch_is_complex(torch_tensor(1)) is False
    assert is_torch_tensor(torch_tensor(1)) and not is_torch_tensor(c(1))
    dtypes = [torch_bool(), torch_uint8(), torch_int8(), torch_int16(), torch_int32(), torch_long(), torch_half(),
              torch_float(), torch_double(), torch_cfloat(), torch_cdouble()]
    theirs = [torch.bool, torch.uint8, torch.int8, torch.int16, torch.int32, torch.int64, torch.float16,
              torch.float32, torch.float64, torch.complex64, torch.complex128]
    for a, ta in zip(dtypes, theirs):
        for b, tb in zip(dtypes, theirs):
            assert torch_can_cast(a, b) == torch.can_cast(ta, tb)
            assert torch_promote_types(a, b).name == _TORCH_NAMES[str(torch.promote_types(ta, tb))]
    assert torch_promote_types(torch_int32(), torch_float32()) == torch_float()
    assert torch_can_cast(from_=torch_double(), to=torch_float()) is True


_WINDOWS = ["hann_window", "hamming_window", "bartlett_window", "blackman_window"]


@pytest.mark.parametrize("name", _WINDOWS + ["kaiser_window"])
def test_windows(torch, name):
    ours, theirs = getattr(rtorch, "torch_" + name), getattr(torch, name)
    extra = {"periodic": True} if name == "kaiser_window" else {}
    for n in (0, 1, 2, 5, 8):
        _same(ours(n, **extra), theirs(n))
        _same(ours(n, periodic=False), theirs(n, periodic=False))
        _same(ours(n, dtype=torch_double(), **extra), theirs(n, dtype=torch.float64), rtol=1e-12)
    _same(ours(7, dtype=torch_half(), **extra), theirs(7, dtype=torch.float16))
    _same(ours(as_integer(6), **extra), theirs(6))
    t = ours(4, requires_grad=True, **extra)
    assert t.requires_grad
    _expect_same_error(lambda: ours(4, dtype=torch_long(), **extra), lambda: theirs(4, dtype=torch.long))
    _expect_same_error(lambda: ours(-1, **extra), lambda: theirs(-1))


def test_window_parameters(torch):
    _same(torch_hamming_window(9, periodic=False, alpha=0.5, beta=0.4),
          torch.hamming_window(9, periodic=False, alpha=0.5, beta=0.4))
    _same(torch_kaiser_window(9, False, 3.0), torch.kaiser_window(9, False, 3.0))
    _same(torch_kaiser_window(9, True, beta=8.0), torch.kaiser_window(9, True, 8.0))
    with pytest.raises(TypeError):
        torch_kaiser_window(9)
    with pytest.raises(ValueError, match="argument 'window_length' must be int, not NULL"):
        torch_hann_window(None)


def test_r_vectors_as_input():
    """The function forms take R vectors, as R torch's generated functions convert them."""
    assert torch_erf(c(0, 1)).dtype == torch_float()
    assert torch_bitwise_not(as_integer(c(1, 2))).dtype == torch_long()
    assert torch_signbit(c(-1, 1)).dtype == torch_bool()
    np.testing.assert_array_equal(as_array(torch_fix(c(-1.5, 2.5))), [-1, 2])
