"""R torch's automatic mixed precision: `with_autocast()`, `local_autocast()`, `set_autocast()`,
`unset_autocast()` (R/autocast.R), on libtorch's state (enabled and fast dtype per device, the weight-cache
flag, the nesting count) and libtorch's CPU cast policies (aten/src/ATen/autocast_mode.cpp): inside an
autocast region on the CPU, the ops of `LOWER_PRECISION` run in the fast dtype and those of `FP32` in float32,
their floating CPU arguments other than double cast first (through `$to()`, so autograd records the cast).
An op runs its body with autocast off, as libtorch redispatches below the autocast key.

What rtorch leaves out: libtorch's CPU default fast dtype is bfloat16, which rtorch has only if its dtype
table does; without it `dtype = torch_float16()` must be given. CUDA autocast is the state only: enabling it
where rtorch has a usable CUDA device raises, since its CUDA lists are not ported. Casts of weights are not
cached (the cache changes no number)."""
import functools

from ._devices import cuda_is_available
from ._dtypes import DTYPES, FLOATING, as_dtype
from ._scoped import caller, defer
from ._tensor import Tensor

# libtorch's CPU lists, the ops rtorch has (methods, torch_* and linalg_* functions, nnf_* functions)
LOWER_PRECISION = frozenset({
    "mm", "bmm", "matmul", "addmm", "baddbmm", "addbmm", "linalg_vecdot", "prelu", "conv1d", "conv2d", "conv3d",
    "conv_tbc", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d", "nnf_linear", "nnf_conv1d",
    "nnf_conv2d", "nnf_conv3d", "nnf_conv_tbc", "nnf_conv_transpose1d", "nnf_conv_transpose2d",
    "nnf_conv_transpose3d", "nnf_prelu"})
FP32 = frozenset({
    "prod", "quantile", "nanquantile", "cdist", "trace", "cholesky", "cholesky_inverse", "cholesky_solve",
    "inverse", "lu_solve", "orgqr", "ormqr", "pinverse", "geqrf", "qr", "svd", "triangular_solve", "polar",
    "stft", "view_as_complex", "fft_fft", "fft_ifft", "fft_fft2", "fft_ifft2", "fft_fftn", "fft_ifftn",
    "fft_rfft", "fft_irfft", "fft_rfft2", "fft_irfft2", "fft_rfftn", "fft_irfftn", "fft_hfft", "fft_ihfft",
    "linalg_cond", "linalg_matrix_rank", "linalg_solve", "linalg_cholesky", "linalg_svdvals", "linalg_eigvals",
    "linalg_eigvalsh", "linalg_inv", "linalg_householder_product", "linalg_tensorinv", "linalg_tensorsolve",
    "linalg_qr", "linalg_cholesky_ex", "linalg_svd", "linalg_eig", "linalg_eigh", "linalg_lstsq",
    "linalg_inv_ex", "nnf_avg_pool3d", "nnf_grid_sample", "nnf_max_pool3d", "nnf_max_unpool2d",
    "nnf_max_unpool3d", "nnf_adaptive_avg_pool3d", "nnf_adaptive_max_pool3d", "nnf_fractional_max_pool2d",
    "nnf_fractional_max_pool3d", "nnf_mse_loss", "nnf_cosine_embedding_loss", "nnf_nll_loss",
    "nnf_hinge_embedding_loss", "nnf_poisson_nll_loss", "nnf_smooth_l1_loss", "nnf_cross_entropy",
    "nnf_l1_loss", "nnf_huber_loss", "nnf_margin_ranking_loss", "nnf_soft_margin_loss",
    "nnf_triplet_margin_loss", "nnf_multi_margin_loss", "nnf_ctc_loss", "nnf_kl_div",
    "nnf_multilabel_margin_loss", "nnf_binary_cross_entropy", "nnf_binary_cross_entropy_with_logits"})
_DOUBLE = DTYPES["Double"]
_FLOAT = DTYPES["Float"]
_DEFAULT_FAST = {"cpu": DTYPES.get("BFloat16"), "cuda": DTYPES["Half"]}


class _State:
    __slots__ = ("enabled", "fast", "cache_enabled", "nesting", "busy")

    def __init__(self):
        self.enabled = {"cpu": False, "cuda": False}
        self.fast = dict(_DEFAULT_FAST)
        self.cache_enabled = True
        self.nesting = 0
        self.busy = False


STATE = _State()


def _device_type(device_type):
    if device_type not in STATE.enabled:
        raise ValueError(f'Unsupported device "{device_type}".')
    return device_type


def _fast_dtype(device, dtype):
    if dtype is not None:
        return as_dtype(dtype)
    fast = STATE.fast[device]
    if fast is None:
        raise RuntimeError("libtorch's CPU autocast dtype is BFloat16, which rtorch does not have: pass "
                           "dtype = torch_float16()")
    return fast


def set_autocast(device_type, dtype=None, enabled=True, cache_enabled=None):
    """R torch's `set_autocast()`: turns autocast on (or off) for `device_type` ("cpu" or "cuda") with the
    fast dtype `dtype` (libtorch's default for the device when NULL); returns the context (a dict: device,
    and the previous enabled, fast_dtype, cache_enabled) that `unset_autocast()` takes."""
    device = _device_type(device_type)
    fast = _fast_dtype(device, dtype)
    if enabled and device == "cuda" and cuda_is_available():
        raise NotImplementedError("autocast on CUDA is not implemented in rtorch: its CUDA op lists are not "
                                  "ported; only device_type = \"cpu\" casts")
    context = {"device": device, "enabled": STATE.enabled[device], "fast_dtype": STATE.fast[device],
               "cache_enabled": STATE.cache_enabled}
    STATE.enabled[device] = bool(enabled)
    STATE.fast[device] = fast
    STATE.nesting += 1
    STATE.cache_enabled = STATE.cache_enabled if cache_enabled is None else bool(cache_enabled)
    return context


def unset_autocast(context):
    """R torch's `unset_autocast(context)`: puts back what `set_autocast()` changed."""
    device = _device_type(context["device"])
    STATE.nesting -= 1
    STATE.enabled[device] = context["enabled"]
    STATE.fast[device] = context["fast_dtype"]
    STATE.cache_enabled = context["cache_enabled"]


def local_autocast(device_type, dtype=None, enabled=True, cache_enabled=None, env=None):
    """R torch's `local_autocast(device_type, dtype, enabled, cache_enabled, .env = parent.frame())`:
    autocast until the calling function returns (see `rtorch._scoped`)."""
    context = set_autocast(device_type, dtype=dtype, enabled=enabled, cache_enabled=cache_enabled)
    defer(lambda: unset_autocast(context), env or caller())


class _AutocastScope:
    __slots__ = ("args", "contexts")

    def __init__(self, args):
        self.args = args
        self.contexts = []

    def __enter__(self):
        self.contexts.append(set_autocast(*self.args))
        return self

    def __exit__(self, *exc):
        unset_autocast(self.contexts.pop())
        return False


def with_autocast(code=None, *, device_type, dtype=None, enabled=True, cache_enabled=None):
    """R torch's `with_autocast(code, device_type = , dtype, enabled, cache_enabled)`: `with
    with_autocast(device_type="cpu", dtype=torch_float16()): ...`, or a function of no arguments as `code`,
    whose value is returned."""
    _device_type(device_type)
    scope = _AutocastScope((device_type, dtype, enabled, cache_enabled))
    if code is None:
        return scope
    if not callable(code):
        raise TypeError("code must be a function of no arguments (Python has no lazy R expressions)")
    with scope:
        return code()


def _eligible(x):
    return (type(x) is Tensor or isinstance(x, Tensor)) and x.dtype.category == FLOATING and \
        x.dtype is not _DOUBLE and x.device.type == "cpu"


def _cast(x, dtype):
    if isinstance(x, Tensor):
        return x.to(dtype=dtype) if _eligible(x) and x.dtype is not dtype else x
    if isinstance(x, (list, tuple)) and any(isinstance(v, Tensor) for v in x):
        return type(x)(_cast(v, dtype) for v in x)
    return x


def _wrap(fn, lower):
    @functools.wraps(fn)
    def autocast(*args, **kwargs):
        if not STATE.enabled["cpu"] or STATE.busy:
            return fn(*args, **kwargs)
        dtype = STATE.fast["cpu"] if lower else _FLOAT
        args = [_cast(a, dtype) for a in args]
        kwargs = {k: _cast(v, dtype) for k, v in kwargs.items()}
        STATE.busy = True
        try:
            return fn(*args, **kwargs)
        finally:
            STATE.busy = False
    return autocast


def install(table, prefix=""):
    """Wrap, in a name -> function table, the functions whose names (after `prefix`) autocast casts for."""
    for name, fn in list(table.items()):
        key = name[len(prefix):] if prefix and name.startswith(prefix) else name
        if callable(fn) and not isinstance(fn, (type, property)):
            if key in LOWER_PRECISION:
                table[name] = _wrap(fn, True)
            elif key in FP32:
                table[name] = _wrap(fn, False)
