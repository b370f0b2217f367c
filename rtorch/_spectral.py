"""R torch's spectral functions: `torch_fft_fft`, `torch_fft_ifft`, `torch_fft_rfft`, `torch_fft_irfft`,
`torch_fft_fftfreq`, and the short-time transforms `torch_stft` / `x$stft()`, `torch_istft` / `x$istft()`,
on NumPy's (CuPy's) pocketfft, with libtorch's dtypes (Float in, ComplexFloat out; integers as the default
dtype), its 1-based `dim=`, its normalisation modes and its error texts."""
import warnings
from typing import NamedTuple

import numpy as np

from ._creation import _placed, _resolve, torch_tensor
from ._devices import array_module
from ._dtypes import COMPLEX, DTYPES, FLOATING, promote_types, torch_get_default_dtype
from ._indexing import dim0
from ._tensor import Tensor, wrap

# libtorch's normalisation of a transform: none, 1/sqrt(n), 1/n; a mode -> (forward's, inverse's)
NONE, BY_ROOT_N, BY_N = 0, 1, 2
_MODES = {"backward": (NONE, BY_N), "forward": (BY_N, NONE), "ortho": (BY_ROOT_N, BY_ROOT_N)}
# (forward direction, normalisation) -> NumPy's norm= giving it
_NUMPY_NORM = {(True, NONE): "backward", (True, BY_ROOT_N): "ortho", (True, BY_N): "forward",
               (False, NONE): "forward", (False, BY_ROOT_N): "ortho", (False, BY_N): "backward"}
# the mode whose transform in the other direction is the adjoint (what the backwards use)
ADJOINT = {"backward": "forward", "forward": "backward", "ortho": "ortho"}
_COMPLEX_OF = {"Float": DTYPES["ComplexFloat"], "Double": DTYPES["ComplexDouble"]}
_REAL_OF = {"ComplexFloat": DTYPES["Float"], "ComplexDouble": DTYPES["Double"]}


def _tensor(x):
    return x if isinstance(x, Tensor) else torch_tensor(x)


def mode(norm):
    """R's `norm = NULL` is "backward"."""
    norm = "backward" if norm is None else norm
    if norm not in _MODES:
        raise RuntimeError(f'Invalid normalization mode: "{norm}"')
    return norm


def _fft_dtype(t, require_complex=False):
    """libtorch's promote_type_fft: complex stays, Float/Double stay, Bool and integers become the default
    dtype; Half is not supported on the CPU."""
    d = t.dtype
    if d.category == COMPLEX:
        return d
    if d.name == "Half":
        raise RuntimeError("Unsupported dtype Half")
    if require_complex:
        d = d if d.category == FLOATING else torch_get_default_dtype()
        return _COMPLEX_OF[d.name]
    return d if d.category == FLOATING else torch_get_default_dtype()


def _xp(t):
    return array_module(t.device)


def _axis(t, dim):
    if t._data.ndim == 0:
        raise IndexError(f"Dimension specified as {dim} but tensor has no dimensions")
    return dim0(dim, t._data.ndim)


def _points(n, default):
    n = default if n is None else int(n)
    if n < 1:
        raise RuntimeError(f"Invalid number of data points ({n}) specified")
    return n


def _resized(a, axis, n, xp):
    """`a` cut or zero-padded to `n` points along `axis` (libtorch's resize_fft_input)."""
    m = a.shape[axis]
    if m == n:
        return a
    if m > n:
        return a[(slice(None),) * axis + (slice(0, n),)]
    pad = [(0, 0)] * a.ndim
    pad[axis] = (0, n - m)
    return xp.pad(a, pad)


def _transform(kind, self, n, dim, norm, forward):
    """The forward of the four one-dim transforms: the input resized to `n` points, transformed with the
    mode's normalisation for the direction."""
    self = _tensor(self)
    norm = mode(norm)
    axis = _axis(self, dim)
    scale = _NUMPY_NORM[forward, _MODES[norm][0 if forward else 1]]
    xp = _xp(self)
    if kind == "rfft" and self.dtype.category == COMPLEX:
        raise RuntimeError(f"rfft expects a real input tensor, but got {self.dtype.name}")
    if kind == "irfft":
        out_dtype = _REAL_OF[_fft_dtype(self, require_complex=True).name]
        half = self._data.shape[axis]
        n = _points(n, 2 * (half - 1))
        a = _resized(self._data, axis, n // 2 + 1, xp)
        return wrap(xp.fft.irfft(a, n=n, axis=axis, norm=scale).astype(out_dtype.numpy))
    out_dtype = _fft_dtype(self, require_complex=True)
    n = _points(n, self._data.shape[axis])
    a = _resized(self._data, axis, n, xp)
    if kind == "rfft":
        out = xp.fft.rfft(a, axis=axis, norm=scale)
    else:
        out = (xp.fft.fft if forward else xp.fft.ifft)(a, axis=axis, norm=scale)
    return wrap(out.astype(out_dtype.numpy))


def fft_fft(self, n=None, dim=-1, norm=None):
    """R torch's `torch_fft_fft(self, n = NULL, dim = -1L, norm = NULL)`: the discrete Fourier transform
    along `dim` (1-based) of `self` cut or zero-padded to `n` points; `norm` is "backward" (none, the
    default), "forward" (1/n) or "ortho" (1/sqrt(n)). A real input gives a complex result."""
    return _transform("fft", self, n, dim, norm, True)


def fft_ifft(self, n=None, dim=-1, norm=None):
    """R torch's `torch_fft_ifft()`: the inverse transform of `torch_fft_fft()` ("backward": 1/n)."""
    return _transform("fft", self, n, dim, norm, False)


def fft_rfft(self, n=None, dim=-1, norm=None):
    """R torch's `torch_fft_rfft()`: the transform of a real input, its n %/% 2 + 1 non-negative
    frequencies."""
    return _transform("rfft", self, n, dim, norm, True)


def fft_irfft(self, n=None, dim=-1, norm=None):
    """R torch's `torch_fft_irfft()`: the inverse of `torch_fft_rfft()`, a real signal of `n` points
    (default 2 * (size - 1)) from its one-sided spectrum (imaginary parts of the zero and Nyquist
    frequencies ignored)."""
    return _transform("irfft", self, n, dim, norm, False)


def torch_fft_fftfreq(n, d=1, dtype=None, layout=None, device=None, requires_grad=False):
    """R torch's `torch_fft_fftfreq(n, d = 1, ...)`: the sample frequencies of an `n`-point transform with
    spacing `d`: (0, 1, ..., ceiling(n/2) - 1, -floor(n/2), ..., -1) / (d * n)."""
    dt, dev, _ = _resolve(dtype, device)
    if dt.category < FLOATING:
        raise RuntimeError("fftfreq requires a floating point or complex dtype")
    n = int(n)
    if n < 0:
        raise RuntimeError(f"Trying to create tensor with negative dimension {n}: [{n}]")
    k = np.arange(n, dtype=np.float64)
    k[(n + 1) // 2:] -= n
    with np.errstate(divide="ignore", invalid="ignore"):
        values = k * (1.0 / (n * float(d))) if n else k
    t = wrap(_placed(values.astype(dt.numpy), dev))
    t.requires_grad = bool(requires_grad)
    return t


# ---- short-time transforms ---------------------------------------------------------------------------

_PAD_MODES = {"reflect": "reflect", "constant": "constant", "replicate": "edge", "circular": "wrap"}
_NO_WINDOW_STFT = ("A window was not provided. A rectangular window will be applied,which is known to cause "
                   "spectral leakage. Other windows such as torch.hann_window or torch.hamming_window are "
                   "recommended to reduce spectral leakage.To suppress this warning and use a rectangular "
                   "window, explicitly set `window=torch.ones(n_fft, device=<device>)`.")
_NO_WINDOW_ISTFT = ("A window was not provided. A rectangular window will be applied.Please provide the same "
                    "window used by stft to make the inversion lossless.To suppress this warning and use a "
                    "rectangular window, explicitly set `window=torch.ones(n_fft, device=<device>)`.")
_REAL_OUTPUT = ("stft with return_complex=False is deprecated. In a future pytorch release, stft will return "
                "complex tensors for all inputs, and return_complex=False will raise an error.\nNote: you can "
                "still call torch.view_as_real on the complex output to recover the old return format.")


_WARNED = set()


def _warn_once(message):
    """libtorch's TORCH_WARN_ONCE: the first time in the session only."""
    if message not in _WARNED:
        _WARNED.add(message)
        warnings.warn(message, UserWarning, stacklevel=3)


def _window_arg(window):
    """R torch's undefined tensor (`NULL`, `list()`) is no window."""
    if window is None or (isinstance(window, (list, tuple)) and len(window) == 0):
        return None
    return _tensor(window)


def _window_text(window):
    return "None" if window is None else f"torch.{window.dtype.name}Tensor{{[{_dims_text(window.shape)}]}}"


def _dims_text(shape):
    return ", ".join(map(str, shape))


def _opt(x):
    return "None" if x is None else str(int(x))


def _pad_center(w, n_fft, xp):
    left = (n_fft - w.shape[0]) // 2
    return xp.pad(w, (left, n_fft - w.shape[0] - left))


class StftPlan(NamedTuple):
    n_fft: int
    hop: int
    win: int
    pad: int          # each side, center = TRUE
    pad_mode: str
    offset: int       # align_to_window
    n_frames: int
    dtype: object     # the frames' dtype (input and window promoted)
    onesided: bool
    normalized: bool
    return_complex: bool
    one_signal: bool  # a 1-d input: no batch dim in the result
    window: object    # the tensor given, or None


def stft_plan(self, n_fft, hop_length=None, win_length=None, window=None, center=True, pad_mode="reflect",
              normalized=False, onesided=None, return_complex=None, align_to_window=None):
    """libtorch's checks of an stft call, in its order and words, and what the call computes."""
    self = _tensor(self)
    window = _window_arg(window)
    n_fft = int(n_fft)
    if return_complex is None:
        if not (self.dtype.category == COMPLEX or (window is not None and window.dtype.category == COMPLEX)):
            raise RuntimeError("stft requires the return_complex parameter be given for real inputs, and will "
                               "further require that return_complex=True in a future PyTorch release.")
        return_complex = True
    if not return_complex:
        _warn_once(_REAL_OUTPUT)
    if window is None:
        _warn_once(_NO_WINDOW_STFT)
    shape = self._data.shape
    pad = 0
    if center:
        if align_to_window is not None:
            raise RuntimeError("stft align_to_window should only be set when center = false")
        if pad_mode not in _PAD_MODES:
            raise NotImplementedError(f"Unrecognised padding mode {pad_mode}")
        pad = n_fft // 2
        extended = (1,) * (3 - len(shape)) + shape if len(shape) <= 3 else shape
        if pad_mode == "reflect" and shape and pad >= shape[-1]:
            raise RuntimeError(f"Argument #4: Padding size should be less than the corresponding input "
                               f"dimension, but got: padding ({pad}, {pad}) at dimension {len(extended) - 1} "
                               f"of input [{_dims_text(extended)}]")
        shape = shape[:-1] + (shape[-1] + 2 * pad,) if shape else shape
    hop = n_fft // 4 if hop_length is None else int(hop_length)
    win = n_fft if win_length is None else int(win_length)
    prefix = (f"stft(torch.{self.dtype.name}Tensor[{_dims_text(shape)}], n_fft={n_fft}, "
              f"hop_length={hop}, win_length={win}, window={_window_text(window)}, normalized={int(bool(normalized))}, "
              f"onesided={_opt(onesided)}, return_complex={int(bool(return_complex))}, "
              f"align_to_window={_opt(align_to_window)}) : ")
    if len(shape) not in (1, 2):
        raise RuntimeError(prefix + "expected a 1D or 2D tensor")
    if self.dtype.category < FLOATING:
        raise RuntimeError(prefix + "expected a tensor of floating point or complex values")
    length = shape[-1]
    if n_fft <= 0 or n_fft > length:
        raise RuntimeError(prefix + f"expected 0 < n_fft < {length}, but got n_fft={n_fft}")
    if hop <= 0:
        raise RuntimeError(prefix + f"expected hop_length > 0, but got hop_length={hop}")
    if win <= 0 or win > n_fft:
        raise RuntimeError(prefix + f"expected 0 < win_length <= n_fft, but got win_length={win}")
    if window is not None and (window.ndim != 1 or window.shape[0] != win):
        raise RuntimeError(prefix + f"expected a 1D window tensor of size equal to win_length={win}, but got "
                                    f"window with size [{_dims_text(window.shape)}]")
    dtype = self.dtype if window is None else promote_types(self.dtype, window.dtype)
    complex_fft = dtype.category == COMPLEX
    onesided = (not complex_fft) if onesided is None else bool(onesided)
    if complex_fft and onesided:
        raise RuntimeError("Cannot have onesided output if window or input is complex")
    offset = (n_fft - win) // 2 if align_to_window else 0
    n_frames = 1 + (length - offset - n_fft) // hop
    return StftPlan(n_fft, hop, win, pad, pad_mode, offset, n_frames, dtype, onesided, bool(normalized),
                    bool(return_complex), len(shape) == 1, window)


def framed(a, plan, xp, fill=0):
    """(batch, frames, n_fft): the frames an stft reads from array `a` (the input's shape), after the
    center padding (`fill` where "constant" pads)."""
    if plan.pad:
        widths = [(0, 0)] * (a.ndim - 1) + [(plan.pad, plan.pad)]
        mode = _PAD_MODES[plan.pad_mode]
        a = xp.pad(a, widths, mode=mode, constant_values=fill) if mode == "constant" else xp.pad(a, widths, mode)
    batch = a.reshape((-1, a.shape[-1]))[:, plan.offset:]
    idx = np.arange(plan.n_frames)[:, None] * plan.hop + np.arange(plan.n_fft)[None, :]
    return batch[:, idx]


def padded_window(plan, xp):
    """The window as an array of n_fft points (none given: the rectangle of win_length), or None."""
    if plan.window is not None:
        w = plan.window._data
    elif plan.win < plan.n_fft:
        w = xp.ones(plan.win, plan.dtype.numpy)
    else:
        return None
    return _pad_center(w, plan.n_fft, xp) if plan.win < plan.n_fft else w


def stft(self, n_fft, hop_length=None, win_length=None, window=None, center=True, pad_mode="reflect",
         normalized=False, onesided=None, return_complex=None, align_to_window=None):
    """R torch's `x$stft(n_fft, ...)`: the short-time Fourier transform of a 1-d signal or a 2-d batch of
    them: frames of `n_fft` points every `hop_length` (default n_fft %/% 4), each times `window` (padded
    to n_fft; none: a rectangular one of win_length), transformed; (batch,) frequencies x frames,
    complex with `return_complex = TRUE`, else a last dim of (real, imaginary). `center` pads the signal
    by n_fft %/% 2 on each side with `pad_mode` ("reflect", "constant", "replicate", "circular")."""
    self = _tensor(self)
    plan = stft_plan(self, n_fft, hop_length, win_length, window, center, pad_mode, normalized, onesided,
                     return_complex, align_to_window)
    xp = _xp(self)
    frames = framed(self._data.astype(plan.dtype.numpy), plan, xp)
    w = padded_window(plan, xp)
    if w is not None:
        frames = frames * w.astype(plan.dtype.numpy)
    scale = _NUMPY_NORM[True, BY_ROOT_N if plan.normalized else NONE]
    out = (xp.fft.rfft if plan.onesided else xp.fft.fft)(frames, axis=-1, norm=scale)
    out = xp.swapaxes(out, 1, 2).astype(_COMPLEX_OF.get(plan.dtype.name, plan.dtype).numpy)
    if plan.one_signal:
        out = out[0]
    out = xp.ascontiguousarray(out)
    return wrap(out) if plan.return_complex else wrap(out[..., None].view(out.real.dtype))


def torch_stft(input, n_fft, hop_length=None, win_length=None, window=None, center=True, pad_mode="reflect",
               normalized=False, onesided=None, return_complex=None):
    """R torch's `torch_stft(input, ...)`: `input$stft()`, except that R torch's wrapper does not pass
    `pad_mode` on, so the padding of `center = TRUE` is always "reflect" (R torch's behaviour, kept)."""
    return stft(input, n_fft, hop_length=hop_length, win_length=win_length, window=window, center=center,
                normalized=normalized, onesided=onesided, return_complex=return_complex)


class IstftPlan(NamedTuple):
    n_fft: int
    hop: int
    win: int
    normalized: bool
    onesided: bool
    return_complex: bool
    batched: bool     # a 3-d input
    dtype: object     # the input's and the window's promoted
    out_dtype: object
    n_frames: int
    expected: int     # the overlap-added length
    start: int
    end: int          # may pass `expected`: zeros pad the tail
    window: object    # the tensor given, or None
    prefix: str       # libtorch's text of the call, for its errors


def istft_plan(self, n_fft, hop_length=None, win_length=None, window=None, center=True, normalized=False,
               onesided=None, length=None, return_complex=False):
    """libtorch's checks of an istft call, in its order and words, and what the call computes."""
    self = _tensor(self)
    window = _window_arg(window)
    n_fft = int(n_fft)
    hop = n_fft // 4 if hop_length is None else int(hop_length)
    win = n_fft if win_length is None else int(win_length)
    if window is None:
        _warn_once(_NO_WINDOW_ISTFT)
    if self.dtype.category != COMPLEX:
        raise RuntimeError("istft requires a complex-valued input tensor matching the output from stft with "
                           "return_complex=True.")
    a = self._data
    prefix = (f"istft(CPU{self.dtype.name}Type[{_dims_text(a.shape)}], n_fft={n_fft}, hop_length={hop}, "
              f"win_length={win}, window={_window_text(window)}, center={int(bool(center))}, "
              f"normalized={int(bool(normalized))}, onesided={_opt(onesided)}, length={_opt(length)}, "
              f"return_complex={int(bool(return_complex))}) ")
    if a.ndim not in (2, 3):
        n = a.ndim + 1
        raise IndexError(f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got -3)")
    fft_size = a.shape[-2]
    onesided = fft_size != n_fft if onesided is None else bool(onesided)
    if onesided and n_fft // 2 + 1 != fft_size:
        raise RuntimeError(prefix + ": expected the frequency dimension (3rd to the last) of the input tensor to "
                           f"match n_fft / 2 + 1 when onesided=True, but got {fft_size}")
    if not onesided and n_fft != fft_size:
        raise RuntimeError(prefix + ": expected the frequency dimension (3rd to the last) of the input tensor to "
                           f"match n_fft when onesided=False, but got {fft_size}")
    if not 0 < hop <= win:
        raise RuntimeError(prefix + ": expected 0 < hop_length <= win_length")
    if not 0 < win <= n_fft:
        raise RuntimeError(prefix + ": expected 0 < win_length <= n_fft")
    if window is not None and (window.ndim != 1 or window.shape[0] != win):
        raise RuntimeError(prefix + ": Invalid window shape. window has to be 1D and length of `win_length`")
    dtype = self.dtype if window is None else promote_types(self.dtype, window.dtype)
    if return_complex and onesided:
        raise RuntimeError("Cannot have onesided output if window or input is complex")
    if not return_complex and window is not None and window.dtype.category == COMPLEX:
        raise RuntimeError("Complex windows are incompatible with return_complex=False")
    n_frames = a.shape[-1]
    expected = n_fft + hop * (n_frames - 1)
    start = n_fft // 2 if center else 0
    end = start + int(length) if length is not None else (expected - n_fft // 2 if center else expected)
    return IstftPlan(n_fft, hop, win, bool(normalized), onesided, bool(return_complex), a.ndim == 3, dtype,
                     dtype if return_complex else _REAL_OF[dtype.name], n_frames, expected, start, end, window, prefix)


def istft_window(plan, xp):
    """The n_fft-point window of an istft call (none given: ones of win_length), as an array."""
    w = xp.ones(plan.win, _REAL_OF[plan.dtype.name].numpy) if plan.window is None else plan.window._data
    return _pad_center(w, plan.n_fft, xp) if plan.win != plan.n_fft else w


def overlap_added(frames, hop, xp):
    """The frames (..., n_frames, n_fft) added at every `hop` points."""
    n_frames, n_fft = frames.shape[-2:]
    out = xp.zeros(frames.shape[:-2] + (n_fft + hop * (n_frames - 1),), frames.dtype)
    for f in range(n_frames):
        out[..., f * hop:f * hop + n_fft] += frames[..., f, :]
    return out


def istft(self, n_fft, hop_length=None, win_length=None, window=None, center=True, normalized=False,
          onesided=None, length=None, return_complex=False):
    """R torch's `torch_istft(self, n_fft, ...)` / `x$istft()`: the inverse of `stft(return_complex =
    TRUE)`: each frame transformed back, times `window`, overlap-added and divided by the overlap-added
    squared window; `length` cuts or zero-pads the result."""
    self = _tensor(self)
    p = istft_plan(self, n_fft, hop_length, win_length, window, center, normalized, onesided, length,
                   return_complex)
    xp = _xp(self)
    a = self._data
    frames = xp.swapaxes(a.reshape((-1,) + a.shape[-2:]), 1, 2).astype(p.dtype.numpy)
    if p.return_complex:
        y = xp.fft.ifft(frames, axis=-1, norm=_NUMPY_NORM[False, BY_ROOT_N if p.normalized else BY_N])
    else:
        y = xp.fft.irfft(frames[..., :p.n_fft // 2 + 1], n=p.n_fft, axis=-1,
                         norm=_NUMPY_NORM[False, BY_ROOT_N if p.normalized else BY_N])
    w = istft_window(p, xp)
    signal = overlap_added((y * w).astype(p.out_dtype.numpy), p.hop, xp)
    envelope = overlap_added(xp.broadcast_to(w * w, (p.n_frames, p.n_fft)), p.hop, xp)
    stop = min(p.end, p.expected)
    signal, envelope = signal[:, p.start:stop], envelope[p.start:stop]
    if envelope.size and float(xp.abs(envelope).min()) < 1e-11:
        raise RuntimeError(p.prefix + "window overlap add min: 1")
    signal = signal / envelope
    if p.end > p.expected:
        _warn_once("The length of signal is shorter than the length parameter. Result is being padded with "
                   "zeros in the tail. Please check your center and hop_length settings.")
        signal = xp.pad(signal, [(0, 0), (0, p.end - p.expected)])
    if not p.batched:
        signal = signal[0]
    return wrap(xp.ascontiguousarray(signal.astype(p.out_dtype.numpy)))
