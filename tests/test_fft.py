"""R torch's spectral functions (`torch_fft_*`, `torch_stft`, `torch_istft`) against PyTorch's `torch.fft`,
`torch.stft` and `torch.istft` (libtorch, the library under R torch): values, dtypes, errors, and the
gradients of the fft ops (libtorch's FftC2C / FftR2C / FftC2R backwards) against torch.autograd. R torch's
1-based dims become 0-based ones for PyTorch. The blocks of R torch's test-wrapers.R on these functions
are ported at the end."""
import warnings

import numpy as np
import pytest

from tests._require import require

torch = require("torch")

import rtorch  # noqa: E402
from rtorch import (as_array, autograd_grad, cbind, rep, torch_complex, torch_double, torch_fft_fft,  # noqa: E402
                    torch_fft_fftfreq, torch_fft_ifft, torch_fft_irfft, torch_fft_rfft, torch_float,
                    torch_float64, torch_hann_window, torch_istft, torch_kaiser_window, torch_blackman_window,
                    torch_ones, torch_stft, torch_tensor, torch_view_as_real, is_undefined_tensor)

FNS = {"fft": torch_fft_fft, "ifft": torch_fft_ifft, "rfft": torch_fft_rfft, "irfft": torch_fft_irfft}
RT = {"float32": torch_float(), "float64": torch_double(), "complex64": rtorch.torch_cfloat(),
      "complex128": rtorch.torch_cdouble()}
TOL = {"float32": dict(rtol=2e-5, atol=2e-5), "complex64": dict(rtol=2e-5, atol=2e-5),
       "float64": dict(rtol=1e-10, atol=1e-12), "complex128": dict(rtol=1e-10, atol=1e-12)}


def _values(shape, dtype, seed=0):
    rng = np.random.default_rng(seed)
    v = rng.standard_normal(shape)
    if dtype.startswith("complex"):
        v = v + 1j * rng.standard_normal(shape)
    return v.astype(dtype)


def _pair(v, dtype, grad=False):
    return (torch_tensor(v, dtype=RT[dtype], requires_grad=grad),
            torch.tensor(v, requires_grad=grad))


def _np(t):
    return np.asarray(as_array(t.detach() if t.requires_grad else t))


def _same(got, want, dtype):
    w = want.detach().resolve_conj().numpy()
    assert got.dtype.name == {torch.float32: "Float", torch.float64: "Double", torch.complex64: "ComplexFloat",
                              torch.complex128: "ComplexDouble"}[want.dtype]
    assert tuple(got.shape) == tuple(w.shape)
    np.testing.assert_allclose(_np(got), w, **TOL[dtype])


def _torch_dim(dim):
    return dim - 1 if dim > 0 else dim


# ---- values and dtypes ----------------------------------------------------------------------------------

CASES = [  # op, shape, input dtype, n, dim, norm
    (op, shape, dt, n, dim, norm)
    for op, dts in (("fft", ("float32", "float64", "complex64", "complex128")),
                    ("ifft", ("float32", "float64", "complex64", "complex128")),
                    ("rfft", ("float32", "float64")), ("irfft", ("complex64", "complex128")))
    for dt in dts
    for shape, dim in (((7,), -1), ((4, 6), 1), ((3, 5, 4), 2), ((2, 3, 8), -1))
    for n in (None, 3, 10)
    for norm in (None, "backward", "forward", "ortho")
]


@pytest.mark.parametrize("op,shape,dtype,n,dim,norm", CASES)
def test_fft_values_match_pytorch(op, shape, dtype, n, dim, norm):
    v = _values(shape, dtype)
    x, xt = _pair(v, dtype)
    kw = {} if norm is None else {"norm": norm}
    got = FNS[op](x, n=n, dim=dim, **kw)
    want = getattr(torch.fft, op)(xt, n=n, dim=_torch_dim(dim), **kw)
    _same(got, want, dtype)


def test_fft_defaults_are_the_last_dim_and_backward_norm():
    v = _values((3, 4), "float64")
    _same(torch_fft_fft(v), torch.fft.fft(torch.tensor(v, dtype=torch.float32)), "float32")
    x = torch_tensor(v, dtype=torch_double())
    _same(torch_fft_irfft(torch_fft_rfft(x)), torch.tensor(v), "float64")
    _same(torch_fft_ifft(torch_fft_fft(x)), torch.tensor(v, dtype=torch.complex128), "complex128")


@pytest.mark.parametrize("dtype,want", [("Long", "ComplexFloat"), ("Int", "ComplexFloat"), ("Bool", "ComplexFloat"),
                                        ("Float", "ComplexFloat"), ("Double", "ComplexDouble")])
def test_fft_result_dtypes_follow_libtorch(dtype, want):
    x = torch_tensor([1, 0, 1, 1]).to(dtype=rtorch._dtypes.DTYPES[dtype])
    assert torch_fft_fft(x).dtype.name == want
    assert torch_fft_rfft(x).dtype.name == want
    xt = torch.tensor([1, 0, 1, 1]).to({"Long": torch.int64, "Int": torch.int32, "Bool": torch.bool,
                                         "Float": torch.float32, "Double": torch.float64}[dtype])
    np.testing.assert_allclose(_np(torch_fft_fft(x)), torch.fft.fft(xt).numpy(), rtol=1e-6)


def test_fft_of_an_integer_tensor_follows_the_default_dtype():
    rtorch.torch_set_default_dtype(torch_double())
    try:
        assert torch_fft_fft(torch_tensor([1, 2, 3]).to(dtype=rtorch.torch_long())).dtype.name == "ComplexDouble"
    finally:
        rtorch.torch_set_default_dtype(torch_float())


def test_irfft_ignores_the_imaginary_parts_of_zero_and_nyquist_as_libtorch():
    v = _values((5,), "complex128", seed=3)
    _same(torch_fft_irfft(torch_tensor(v)), torch.fft.irfft(torch.tensor(v.astype(np.complex64))), "complex64")
    _same(torch_fft_irfft(torch_tensor(v, dtype=RT["complex128"]), n=9),
          torch.fft.irfft(torch.tensor(v), n=9), "complex128")


def test_fft_takes_r_vectors_and_matrices():
    v = rtorch.c(1, 2, 3, 4)
    _same(torch_fft_fft(v), torch.fft.fft(torch.tensor([1.0, 2, 3, 4])), "complex64")
    m = rtorch.matrix(rtorch.seq(1, 6), ncol=3)
    _same(torch_fft_rfft(m, dim=1), torch.fft.rfft(torch.tensor(np.asarray(m, dtype=np.float32)), dim=0), "float32")


# ---- errors ---------------------------------------------------------------------------------------------

def _error_of(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001
        return type(e), str(e)
    raise AssertionError("no error")


BAD = [
    (lambda m: m.fft_fft(torch_ones(3), norm="bad"), lambda: torch.fft.fft(torch.ones(3), norm="bad")),
    (lambda m: m.fft_fft(torch_ones(3), n=0), lambda: torch.fft.fft(torch.ones(3), n=0)),
    (lambda m: m.fft_ifft(torch_ones(3), n=-2), lambda: torch.fft.ifft(torch.ones(3), n=-2)),
    (lambda m: m.fft_rfft(torch_ones(3).to(dtype=rtorch.torch_cfloat())),
     lambda: torch.fft.rfft(torch.ones(3, dtype=torch.complex64))),
    (lambda m: m.fft_irfft(torch_ones(1)), lambda: torch.fft.irfft(torch.ones(1))),
    (lambda m: m.fft_fft(torch_ones(3).half()), lambda: torch.fft.fft(torch.ones(3).half())),
    (lambda m: m.fft_fft(rtorch.torch_scalar_tensor(1.0)), lambda: torch.fft.fft(torch.tensor(1.0))),
    (lambda m: m.fft_irfft(torch_ones(3).to(dtype=rtorch.torch_cfloat()), n=0),
     lambda: torch.fft.irfft(torch.ones(3, dtype=torch.complex64), n=0)),
]


@pytest.mark.parametrize("case", range(len(BAD)))
def test_fft_errors_are_libtorchs(case):
    import rtorch._spectral as sp
    rt, pt = BAD[case]
    got, want = _error_of(lambda: rt(sp)), _error_of(pt)
    assert got[1] == want[1]


def test_fft_dims_are_1_based():
    with pytest.raises(IndexError, match="Dimension is 1-based, but found 0."):
        torch_fft_fft(torch_ones(3), dim=0)
    with pytest.raises(IndexError, match=r"Dimension out of range \(expected to be in range of \[-2, 2\], but got 3\)"):
        torch_fft_fft(torch_ones(3, 2), dim=3)


# ---- gradients ------------------------------------------------------------------------------------------

GRAD_CASES = [
    (op, shape, dt, n, dim, norm, loss)
    for op, dts in (("fft", ("float64", "complex128", "float32")), ("ifft", ("float64", "complex128")),
                    ("rfft", ("float64", "float32")), ("irfft", ("complex128", "complex64")))
    for dt in dts
    for shape, dim in (((6,), -1), ((3, 5), 1), ((2, 4, 3), 2))
    for n in (None, 4, 9)
    for norm in (None, "forward", "ortho")
    for loss in ("weighted", "abs")
]


def _loss(y, w, kind, as_real):
    """The modulus summed, or the (real and imaginary) parts weighted by `w`."""
    if kind == "abs":
        return y.abs().sum()
    return (as_real(y) * w).sum()


@pytest.mark.parametrize("op,shape,dtype,n,dim,norm,loss", GRAD_CASES)
def test_fft_gradients_match_pytorch(op, shape, dtype, n, dim, norm, loss):
    """Real losses of the transforms (the output's real and imaginary parts weighted, or its modulus
    summed): the node names and the gradient reaching the input agree with torch.autograd."""
    v = _values(shape, dtype, seed=1)
    x, xt = _pair(v, dtype, grad=True)
    kw = {} if norm is None else {"norm": norm}
    y = FNS[op](x, n=n, dim=dim, **kw)
    yt = getattr(torch.fft, op)(xt, n=n, dim=_torch_dim(dim), **kw)
    assert y.grad_fn.name == type(yt.grad_fn).__name__
    real = op == "irfft"
    w = np.random.default_rng(2).standard_normal(tuple(yt.shape) + (() if real else (2,)))
    double = dtype in ("float64", "complex128")
    _loss(y, torch_tensor(w, dtype=torch_double() if double else torch_float()), loss,
          (lambda t: t) if real else torch_view_as_real).backward()
    _loss(yt, torch.tensor(w, dtype=torch.float64 if double else torch.float32), loss,
          (lambda t: t) if real else (lambda t: torch.view_as_real(t.resolve_conj()))).backward()
    assert not is_undefined_tensor(x.grad)
    assert x.grad.dtype == x.dtype
    np.testing.assert_allclose(_np(x.grad), xt.grad.numpy(), rtol=1e-9 if double else 2e-4,
                               atol=1e-10 if double else 1e-4)


@pytest.mark.parametrize("op,dtype", [("fft", "float64"), ("ifft", "complex128"), ("rfft", "float64"),
                                      ("irfft", "complex128")])
def test_fft_double_backward_matches_pytorch(op, dtype):
    """`create_graph`: the backward is recorded (on the fft ops themselves), so a gradient of the
    gradient agrees."""
    v = _values((2, 5), dtype, seed=4)
    x, xt = _pair(v, dtype, grad=True)
    y, yt = FNS[op](x, n=6, norm="ortho"), getattr(torch.fft, op)(xt, n=6, norm="ortho")
    r, rt = (y, yt) if op == "irfft" else (torch_view_as_real(y), torch.view_as_real(yt.resolve_conj()))
    g, = autograd_grad(r.pow(3).sum(), x, create_graph=True)
    gt, = torch.autograd.grad(rt.pow(3).sum(), xt, create_graph=True)
    np.testing.assert_allclose(_np(g), gt.detach().numpy(), rtol=1e-9, atol=1e-10)
    gr = g if g.dtype.category < 3 else torch_view_as_real(g)
    grt = gt if not gt.is_complex() else torch.view_as_real(gt)
    (gr ** 2).sum().backward()
    (grt ** 2).sum().backward()
    np.testing.assert_allclose(_np(x.grad), xt.grad.numpy(), rtol=1e-8, atol=1e-9)


def test_real_imag_and_view_as_real_are_differentiable():
    v = _values((4,), "complex128", seed=5)
    # libtorch's real is a select of view_as_real
    for rt_fn, pt_fn, name in ((lambda z: z.real, lambda z: z.real, "SelectBackward0"),
                               (lambda z: rtorch.torch_real(z), lambda z: torch.real(z), "SelectBackward0"),
                               (lambda z: z.imag, lambda z: z.imag, "SelectBackward0"),
                               (lambda z: rtorch.torch_imag(z), lambda z: torch.imag(z), "SelectBackward0"),
                               (torch_view_as_real, torch.view_as_real, "ViewAsRealBackward0")):
        x, xt = _pair(v, "complex128", grad=True)
        y, yt = rt_fn(x), pt_fn(xt)
        assert y.grad_fn.name == type(yt.grad_fn).__name__ == name
        w = np.arange(1.0, 1.0 + np.prod(yt.shape)).reshape(tuple(yt.shape))
        (y * torch_tensor(w, dtype=torch_double())).sum().backward()
        (yt * torch.tensor(w)).sum().backward()
        np.testing.assert_allclose(_np(x.grad), xt.grad.numpy())
    x, xt = _pair(np.ones((3, 2)), "float64", grad=True)
    y, yt = rtorch.torch_view_as_complex(x), torch.view_as_complex(xt)
    assert y.grad_fn.name == type(yt.grad_fn).__name__
    y.abs().sum().backward()
    yt.abs().sum().backward()
    np.testing.assert_allclose(_np(x.grad), xt.grad.numpy())


# ---- fftfreq ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("n,d", [(1, 1), (4, 1), (5, 1), (8, 0.5), (7, 0.1), (0, 1)])
def test_fftfreq_matches_pytorch(n, d):
    _same(torch_fft_fftfreq(n, d=d), torch.fft.fftfreq(n, d=d), "float32")
    _same(torch_fft_fftfreq(n, d=d, dtype=torch_double()), torch.fft.fftfreq(n, d=d, dtype=torch.float64), "float64")


def test_fftfreq_options_and_errors():
    assert torch_fft_fftfreq(4, requires_grad=True).requires_grad
    assert _error_of(lambda: torch_fft_fftfreq(3, dtype=rtorch.torch_long()))[1] == \
        _error_of(lambda: torch.fft.fftfreq(3, dtype=torch.int64))[1]
    assert _error_of(lambda: torch_fft_fftfreq(-1))[1] == _error_of(lambda: torch.fft.fftfreq(-1))[1]


# ---- stft / istft -----------------------------------------------------------------------------------------

def _quiet(fn):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn()


STFT_CASES = [
    (shape, dt, n_fft, hop, win, window, center, pad_mode, normalized, onesided)
    for shape, dt in (((40,), "float32"), ((2, 33), "float64"), ((37,), "complex64"))
    for n_fft, hop, win in ((8, None, None), (16, 5, 11), (9, 3, 9), (10, 4, 7))
    for window in (None, "hann")
    for center, pad_mode in ((True, "reflect"), (True, "constant"), (True, "replicate"), (True, "circular"),
                             (False, "reflect"))
    for normalized in (False, True)
    for onesided in ((None,) if dt.startswith("complex") else (None, False))
]


def _windows(kind, win, dtype):
    if kind is None:
        return None, None
    real = "float64" if dtype in ("float64", "complex128") else "float32"
    return (torch_hann_window(win, dtype=RT[real]),
            torch.hann_window(win, dtype=torch.float64 if real == "float64" else torch.float32))


@pytest.mark.parametrize("shape,dtype,n_fft,hop,win,window,center,pad_mode,normalized,onesided", STFT_CASES)
def test_stft_method_matches_pytorch(shape, dtype, n_fft, hop, win, window, center, pad_mode, normalized, onesided):
    v = _values(shape, dtype, seed=6)
    x, xt = _pair(v, dtype)
    wr, wt = _windows(window, n_fft if win is None else win, dtype)
    got = _quiet(lambda: x.stft(n_fft, hop_length=hop, win_length=win, window=wr, center=center, pad_mode=pad_mode,
                                normalized=normalized, onesided=onesided, return_complex=True))
    want = _quiet(lambda: torch.stft(xt, n_fft, hop_length=hop, win_length=win, window=wt, center=center,
                                     pad_mode=pad_mode, normalized=normalized, onesided=onesided,
                                     return_complex=True))
    _same(got, want, dtype.replace("float", "complex").replace("complex32", "complex64"))
    real = _quiet(lambda: x.stft(n_fft, hop_length=hop, win_length=win, window=wr, center=center,
                                 pad_mode=pad_mode, normalized=normalized, onesided=onesided,
                                 return_complex=False))
    _same(real, torch.view_as_real(want), dtype.replace("complex64", "float32").replace("complex128", "float64"))


def test_torch_stft_pads_with_reflect_whatever_pad_mode_says_as_r_torch():
    """R torch's `torch_stft()` does not pass `pad_mode` on to libtorch: the padding is "reflect"."""
    v = _values((30,), "float64", seed=7)
    x = torch_tensor(v, dtype=torch_double())
    w = torch_hann_window(8, dtype=torch_double())
    got = torch_stft(x, 8, window=w, pad_mode="constant", return_complex=True)
    want = torch.stft(torch.tensor(v), 8, window=torch.hann_window(8, dtype=torch.float64), pad_mode="reflect",
                      return_complex=True)
    _same(got, want, "complex128")
    const = x.stft(8, window=w, pad_mode="constant", return_complex=True)
    assert not np.allclose(_np(const), _np(got))


def test_stft_with_a_double_window_on_a_float_signal_is_complex_double():
    v = _values((20,), "float32", seed=8)
    got = torch_stft(torch_tensor(v), 4, window=torch_ones(4, dtype=torch_double()), return_complex=True)
    want = torch.stft(torch.tensor(v), 4, window=torch.ones(4, dtype=torch.float64), return_complex=True)
    _same(got, want, "complex128")


STFT_BAD = [
    dict(n_fft=4),
    dict(n_fft=20, center=False, return_complex=True),
    dict(n_fft=4, hop_length=0, return_complex=True),
    dict(n_fft=3, return_complex=True),
    dict(n_fft=4, win_length=5, return_complex=True),
    dict(n_fft=4, window="ones3", return_complex=True),
    dict(n_fft=4, onesided=True, return_complex=True, complex=True),
    dict(n_fft=4, return_complex=True, long=True),
    dict(n_fft=4, return_complex=True, batch3=True),
    dict(n_fft=8, return_complex=True, short=True),
    dict(n_fft=4, return_complex=True, pad_mode="bogus"),
]


@pytest.mark.parametrize("case", range(len(STFT_BAD)))
def test_stft_errors_are_libtorchs(case):
    kw = dict(STFT_BAD[case])
    shape = (2, 2, 10) if kw.pop("batch3", False) else (3,) if kw.pop("short", False) else (10,)
    complex_ = kw.pop("complex", False)
    long_ = kw.pop("long", False)
    v = np.arange(float(np.prod(shape))).reshape(shape) if not complex_ else np.ones(10) + 1j
    if kw.get("window") == "ones3":
        kw["window"] = "ones"
    xr = torch_tensor(v).to(dtype=rtorch.torch_long()) if long_ else torch_tensor(v)
    xt = torch.tensor(v).long() if long_ else torch.tensor(v, dtype=torch.complex64 if complex_ else torch.float32)
    n_fft = kw.pop("n_fft")
    wkw_r, wkw_t = {}, {}
    if kw.pop("window", None):
        wkw_r, wkw_t = {"window": torch_ones(3)}, {"window": torch.ones(3)}
    got = _quiet(lambda: _error_of(lambda: xr.stft(n_fft, **kw, **wkw_r)))
    want = _quiet(lambda: _error_of(lambda: torch.stft(xt, n_fft, **kw, **wkw_t)))
    assert got == want


ISTFT_CASES = [
    (dtype, n_fft, hop, win, window, center, normalized, onesided, length, batch)
    for dtype in ("complex64", "complex128")
    for n_fft, hop, win in ((8, None, None), (16, 4, 12), (10, 3, 10))
    for window in ("hann", None)
    for center in (True, False)
    for normalized in (False, True)
    for onesided, length in ((None, None), (False, None), (None, 17), (True, 60))
    for batch in (False, True)
    if not (window is None and hop is not None)
]


@pytest.mark.parametrize("dtype,n_fft,hop,win,window,center,normalized,onesided,length,batch", ISTFT_CASES)
def test_istft_matches_pytorch(dtype, n_fft, hop, win, window, center, normalized, onesided, length, batch):
    real = "float64" if dtype == "complex128" else "float32"
    signal = _values((2, 41) if batch else (41,), real, seed=9)
    wr, wt = _windows(window, n_fft if win is None else win, dtype)
    spec = torch.stft(torch.tensor(signal), n_fft, hop_length=hop, win_length=win, window=wt, center=center,
                      normalized=normalized, onesided=onesided is not False, return_complex=True)
    if onesided is False:
        spec = torch.stft(torch.tensor(signal).to(spec.dtype), n_fft, hop_length=hop, win_length=win, window=wt,
                          center=center, normalized=normalized, onesided=False, return_complex=True)
    x = torch_tensor(spec.numpy(), dtype=RT[dtype])
    try:
        want = _quiet(lambda: torch.istft(spec, n_fft, hop_length=hop, win_length=win, window=wt, center=center,
                                          normalized=normalized, onesided=onesided, length=length))
    except RuntimeError as e:  # a window that vanishes at a frame's edge without center: libtorch's NOLA error
        with pytest.raises(RuntimeError) as got:
            _quiet(lambda: torch_istft(x, n_fft, hop_length=hop, win_length=win, window=wr, center=center,
                                       normalized=normalized, onesided=onesided, length=length))
        assert str(got.value) == str(e).split("\n")[0]
        return
    got = _quiet(lambda: torch_istft(x, n_fft, hop_length=hop, win_length=win, window=wr, center=center,
                                     normalized=normalized, onesided=onesided, length=length))
    _same(got, want, real)
    if onesided is False:
        gotc = _quiet(lambda: x.istft(n_fft, hop_length=hop, win_length=win, window=wr, center=center,
                                      normalized=normalized, onesided=False, length=length, return_complex=True))
        wantc = _quiet(lambda: torch.istft(spec, n_fft, hop_length=hop, win_length=win, window=wt, center=center,
                                           normalized=normalized, onesided=False, length=length,
                                           return_complex=True))
        _same(gotc, wantc, dtype)


def test_istft_inverts_stft():
    signal = _values((50,), "float64", seed=10)
    x = torch_tensor(signal, dtype=torch_double())
    w = torch_hann_window(16, dtype=torch_double())
    spec = torch_stft(x, 16, hop_length=4, window=w, return_complex=True)
    np.testing.assert_allclose(_np(torch_istft(spec, 16, hop_length=4, window=w, length=50)), signal, atol=1e-12)


ISTFT_BAD = [
    (lambda m, c: m(np.ones((3, 4)), 4), lambda t, c: t(np.ones((3, 4)), 4)),
    (lambda m, c: m(c((5, 4)), 4), lambda t, c: t(c((5, 4)), 4)),
    (lambda m, c: m(c((3, 4)), 4, onesided=False), lambda t, c: t(c((3, 4)), 4, onesided=False)),
    (lambda m, c: m(c((3, 4)), 4, hop_length=5), lambda t, c: t(c((3, 4)), 4, hop_length=5)),
    (lambda m, c: m(c((3, 4)), 4, win_length=5), lambda t, c: t(c((3, 4)), 4, win_length=5)),
    (lambda m, c: m(c((3, 4)), 4, window="ones3"), lambda t, c: t(c((3, 4)), 4, window="ones3")),
    (lambda m, c: m(c((3, 4)), 4, window="zeros4"), lambda t, c: t(c((3, 4)), 4, window="zeros4")),
    (lambda m, c: m(c((3, 4)), 4, return_complex=True), lambda t, c: t(c((3, 4)), 4, return_complex=True)),
    (lambda m, c: m(c((3,)), 4), lambda t, c: t(c((3,)), 4)),
    (lambda m, c: m(c((3, 4)), 4, window="complex4"), lambda t, c: t(c((3, 4)), 4, window="complex4")),
]


@pytest.mark.parametrize("case", range(len(ISTFT_BAD)))
def test_istft_errors_are_libtorchs(case):
    rt, pt = ISTFT_BAD[case]
    rt_windows = {"ones3": torch_ones(3), "zeros4": rtorch.torch_zeros(4),
                  "complex4": torch_ones(4).to(dtype=rtorch.torch_cfloat())}
    pt_windows = {"ones3": torch.ones(3), "zeros4": torch.zeros(4), "complex4": torch.ones(4, dtype=torch.complex64)}

    def rt_call(x, n_fft, **kw):
        if "window" in kw:
            kw["window"] = rt_windows[kw["window"]]
        return torch_istft(torch_tensor(x, dtype=RT["complex64"] if np.iscomplexobj(x) else torch_float()), n_fft,
                           **kw)

    def pt_call(x, n_fft, **kw):
        if "window" in kw:
            kw["window"] = pt_windows[kw["window"]]
        return torch.istft(torch.tensor(x, dtype=torch.complex64 if np.iscomplexobj(x) else torch.float32), n_fft,
                           **kw)

    def c(shape):
        return np.ones(shape) + 0.5j

    got = _quiet(lambda: _error_of(lambda: rt(rt_call, c)))
    want = _quiet(lambda: _error_of(lambda: pt(pt_call, c)))
    assert got[1].split(" [ CPUBoolType")[0] == want[1].split("\n[ CPUBoolType")[0].strip()


def test_stft_warns_as_libtorch_once():
    import rtorch._spectral as sp
    sp._WARNED.clear()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        torch_stft(torch_ones(20), 4, return_complex=False)
        torch_stft(torch_ones(20), 4, return_complex=False)
    texts = [str(w.message) for w in caught]
    assert len(texts) == 2
    assert any(t.startswith("stft with return_complex=False is deprecated") for t in texts)
    assert any(t.startswith("A window was not provided") for t in texts)


# ---- test-wrapers.R ---------------------------------------------------------------------------------------

def _expect_equal_to_r(t, expected):
    np.testing.assert_allclose(np.asarray(as_array(t)), np.asarray(expected), rtol=1.5e-8, atol=1e-3)


def test_wrapers__stft():
    x = _quiet(lambda: torch_stft(input=torch_ones(3000), n_fft=400, center=False, onesided=True,
                                  return_complex=False))
    assert tuple(x.shape) == (201, 27, 2)
    _expect_equal_to_r(x[1, :, :], cbind(rep(400, 27), rep(0, 27)))
    _expect_equal_to_r(x[51, :, :], cbind(rep(0, 27), rep(0, 27)))

    x = _quiet(lambda: torch_stft(input=torch_ones(3000), n_fft=400, center=True, return_complex=False))
    assert tuple(x.shape) == (201, 31, 2)
    _expect_equal_to_r(x[1, :, :], cbind(rep(400, 31), rep(0, 31)))
    _expect_equal_to_r(x[51, :, :], cbind(rep(0, 31), rep(0, 31)))

    x = _quiet(lambda: torch_stft(input=torch_ones(3000), n_fft=400, center=True, return_complex=True))
    assert tuple(x.shape) == (201, 31)
    assert x.dtype == torch_complex(real=torch_tensor(1), imag=torch_tensor(1)).dtype

    x = _quiet(lambda: torch_stft(input=torch_ones(3000), n_fft=400, window=torch_ones(400), center=False,
                                  return_complex=False))
    assert tuple(x.shape) == (201, 27, 2)
    _expect_equal_to_r(x[1, :, :], cbind(rep(400, 27), rep(0, 27)))
    _expect_equal_to_r(x[51, :, :], cbind(rep(0, 27), rep(0, 27)))


def test_wrapers__torch_fft_fftfreq():
    assert tuple(torch_fft_fftfreq(5).shape) == (5,)


def test_wrapers__hann_window():
    with pytest.raises(ValueError):
        torch_hann_window(None)
    assert tuple(torch_hann_window(window_length=10).shape) == (10,)


def test_wrapers__blackman_window():
    assert tuple(torch_blackman_window(window_length=2).shape) == (2,)


def test_wrapers__kaiser_window():
    for t in (torch_kaiser_window(10, True, beta=12), torch_kaiser_window(10, True), torch_kaiser_window(10, False)):
        assert isinstance(t, rtorch.Tensor)
    x = torch_kaiser_window(10, True, dtype=torch_float64())
    assert x.dtype == torch_float64()
    assert torch_kaiser_window(10, True, requires_grad=True).requires_grad


# ---- stft / istft gradients -------------------------------------------------------------------------------

STFT_GRAD_CASES = [
    (shape, dt, kw, window_grad)
    for shape, dt in (((30,), "float64"), ((2, 27), "float64"), ((30,), "complex128"), ((25,), "float32"))
    for kw in (dict(n_fft=8), dict(n_fft=8, hop_length=3, win_length=6), dict(n_fft=8, pad_mode="constant"),
               dict(n_fft=7, pad_mode="replicate", normalized=True), dict(n_fft=8, pad_mode="circular"),
               dict(n_fft=8, center=False, win_length=5, hop_length=2), dict(n_fft=6, onesided=False))
    for window_grad in (False, True)
    if not (dt.startswith("complex") and "onesided" in kw)
]


@pytest.mark.parametrize("form", ["method", "function", "real output"])
@pytest.mark.parametrize("shape,dtype,kw,window_grad", STFT_GRAD_CASES)
def test_stft_gradients_match_pytorch(shape, dtype, kw, window_grad, form):
    """A real loss of the spectrogram (its modulus summed): the node name and the gradients reaching the
    signal and the window agree with torch.autograd."""
    if form == "function":
        kw = {k: v for k, v in kw.items() if k != "pad_mode"}
    real = "float32" if dtype == "float32" else "float64"
    v = _values(shape, dtype, seed=11)
    wv = _values((kw.get("win_length", kw["n_fft"]),), real, seed=12) + 2
    x, xt = _pair(v, dtype, grad=True)
    w, wt = _pair(wv, real, grad=window_grad)
    rc = form != "real output"
    if form == "function":
        y = _quiet(lambda: torch_stft(x, window=w, return_complex=rc, **kw))
    else:
        y = _quiet(lambda: x.stft(window=w, return_complex=rc, **kw))
    yt = _quiet(lambda: torch.stft(xt, window=wt, return_complex=rc, **kw))
    assert y.grad_fn.name == type(yt.grad_fn).__name__
    if rc:
        y.abs().sum().backward()
        yt.abs().sum().backward()
    else:
        weights = np.random.default_rng(13).standard_normal(tuple(yt.shape))
        (y * torch_tensor(weights, dtype=y.dtype)).sum().backward()
        (yt * torch.tensor(weights, dtype=yt.dtype)).sum().backward()
    tol = dict(rtol=1e-9, atol=1e-10) if real == "float64" else dict(rtol=2e-4, atol=2e-4)
    np.testing.assert_allclose(_np(x.grad), xt.grad.numpy(), **tol)
    if window_grad:
        np.testing.assert_allclose(_np(w.grad), wt.grad.numpy(), **tol)
    else:
        assert is_undefined_tensor(w.grad)


def test_stft_double_backward_matches_pytorch():
    v, wv = _values((20,), "float64", seed=14), _values((8,), "float64", seed=15) + 2
    x, xt = _pair(v, "float64", grad=True)
    w, wt = _pair(wv, "float64", grad=True)
    y = _quiet(lambda: x.stft(8, hop_length=3, window=w, return_complex=False))
    yt = torch.stft(xt, 8, hop_length=3, window=wt, return_complex=False)
    gx, gw = autograd_grad(y.pow(3).sum(), [x, w], create_graph=True)
    gxt, gwt = torch.autograd.grad(yt.pow(3).sum(), [xt, wt], create_graph=True)
    np.testing.assert_allclose(_np(gx), gxt.detach().numpy(), rtol=1e-9)
    ((gx ** 2).sum() + (gw ** 2).sum()).backward()
    ((gxt ** 2).sum() + (gwt ** 2).sum()).backward()
    np.testing.assert_allclose(_np(x.grad), xt.grad.numpy(), rtol=1e-8, atol=1e-9)
    np.testing.assert_allclose(_np(w.grad), wt.grad.numpy(), rtol=1e-8, atol=1e-9)


ISTFT_GRAD_CASES = [
    (shape, dt, kw, window)
    for dt in ("complex128", "complex64")
    for shape, kw in (((5, 4), {}), ((2, 5, 4), dict(hop_length=2)), ((5, 4), dict(length=30)),
                      ((5, 6), dict(length=9, center=False)), ((8, 4), dict(onesided=False, return_complex=True)),
                      ((8, 4), dict(onesided=False)), ((2, 5, 6), dict(win_length=6, hop_length=3, normalized=True)))
    for window in ("none", "constant", "grad")
]


@pytest.mark.parametrize("shape,dtype,kw,window", ISTFT_GRAD_CASES)
def test_istft_gradients_match_pytorch(shape, dtype, kw, window):
    real = "float64" if dtype == "complex128" else "float32"
    v = _values(shape, dtype, seed=16)
    x, xt = _pair(v, dtype, grad=True)
    wv = _values((kw.get("win_length", 8),), real, seed=17) + 3
    w, wt = (None, None) if window == "none" else _pair(wv, real, grad=window == "grad")
    y = _quiet(lambda: x.istft(8, window=w, **kw))
    yt = _quiet(lambda: torch.istft(xt, 8, window=wt, **kw))
    assert y.grad_fn.name == type(yt.grad_fn).__name__
    _same(y, yt, dtype if kw.get("return_complex") else real)
    weights = np.random.default_rng(18).standard_normal(tuple(yt.shape))
    (y.abs() * torch_tensor(weights, dtype=RT[real])).sum().backward()
    (yt.abs() * torch.tensor(weights, dtype=wt.dtype if wt is not None else yt.real.dtype)).sum().backward()
    tol = dict(rtol=1e-9, atol=1e-12) if real == "float64" else dict(rtol=2e-4, atol=2e-5)
    np.testing.assert_allclose(_np(x.grad), xt.grad.numpy(), **tol)
    if window == "grad":
        np.testing.assert_allclose(_np(w.grad), wt.grad.numpy(), **tol)


def test_istft_double_backward_matches_pytorch():
    v, wv = _values((5, 6), "complex128", seed=19), _values((8,), "float64", seed=20) + 3
    x, xt = _pair(v, "complex128", grad=True)
    w, wt = _pair(wv, "float64", grad=True)
    y = x.istft(8, hop_length=2, window=w)
    yt = torch.istft(xt, 8, hop_length=2, window=wt)
    gx, gw = autograd_grad(y.pow(3).sum(), [x, w], create_graph=True)
    gxt, gwt = torch.autograd.grad(yt.pow(3).sum(), [xt, wt], create_graph=True)
    np.testing.assert_allclose(_np(gw), gwt.detach().numpy(), rtol=1e-9)
    (torch_view_as_real(gx).pow(2).sum() + (gw ** 2).sum()).backward()
    (torch.view_as_real(gxt).pow(2).sum() + (gwt ** 2).sum()).backward()
    np.testing.assert_allclose(_np(x.grad), xt.grad.numpy(), rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(_np(w.grad), wt.grad.numpy(), rtol=1e-8, atol=1e-10)


def test_stft_then_istft_gradient_matches_pytorch():
    v = _values((40,), "float64", seed=21)
    x, xt = _pair(v, "float64", grad=True)
    w, wt = torch_hann_window(16, dtype=torch_double()), torch.hann_window(16, dtype=torch.float64)
    z = torch_istft(torch_stft(x, 16, hop_length=4, window=w, return_complex=True) * 2, 16, hop_length=4,
                    window=w, length=40)
    zt = torch.istft(torch.stft(xt, 16, hop_length=4, window=wt, return_complex=True) * 2, 16, hop_length=4,
                     window=wt, length=40)
    (z ** 2).sum().backward()
    (zt ** 2).sum().backward()
    np.testing.assert_allclose(_np(x.grad), xt.grad.numpy(), rtol=1e-9, atol=1e-12)
