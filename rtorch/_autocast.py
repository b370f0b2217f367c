"""R torch's automatic mixed precision: `with_autocast()`, `local_autocast()`, `set_autocast()`,
`unset_autocast()` (R/autocast.R), on libtorch's state (enabled and fast dtype per device, the weight-cache
flag, the nesting count) and libtorch's CPU cast policies (aten/src/ATen/autocast_mode.cpp): inside an
autocast region on the CPU, the ops of `LOWER_PRECISION` run in the fast dtype and those of `FP32` in float32,
their floating CPU arguments other than double cast first (through `$to()`, so autograd records the cast).
An op runs its body with autocast off, as libtorch redispatches below the autocast key.

The CPU's default fast dtype is bfloat16, as libtorch's (through ml_dtypes). What rtorch leaves out: CUDA autocast is the state only: enabling it
where rtorch has a usable CUDA device raises, since its CUDA lists are not ported. Casts of weights are not
cached (the cache changes no number)."""
import functools

from ._devices import cuda_is_available
from ._dtypes import DTYPES, FLOATING, as_dtype
from ._scoped import defer, frame_of, run_scoped
from ._tensor import Tensor

# libtorch's CPU lists, the ops rtorch has (methods, torch_* and linalg_* functions, nnf_* functions); with
# the composites libtorch always runs through mm (tensordot, multi_dot). einsum, whose libtorch decomposition
# reaches bmm for some equations only, keeps its inputs' dtype.
LOWER_PRECISION = frozenset({
    "tensordot", "linalg_multi_dot", "chain_matmul",
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
    env = frame_of(env)
    context = set_autocast(device_type, dtype=dtype, enabled=enabled, cache_enabled=cache_enabled)
    defer(lambda: unset_autocast(context), env)


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
    return run_scoped(scope, code)


def _eligible(x):
    return isinstance(x, Tensor) and x.dtype.category == FLOATING and \
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


class _OptState:
    __slots__ = ("stage", "found_inf")

    def __init__(self):
        self.stage = "ready"
        self.found_inf = 0


class AmpGradScaler:
    """R torch's `amp_GradScaler` (what `cuda_amp_grad_scaler()` returns): `scale(loss)` multiplies by the
    scale (CUDA tensors only, as in R torch), `step(opt)` unscales the grads and steps unless one is Inf or
    NaN, `update()` backs the scale off after an Inf/NaN or grows it every `growth_interval` clean steps
    (libtorch's `_amp_update_scale_`). Disabled, each method passes through."""

    def __init__(self, init_scale=2.0 ** 16, growth_factor=2.0, backoff_factor=0.5, growth_interval=2000,
                 enabled=True):
        self._enabled = enabled
        if enabled:
            if growth_factor <= 1:
                raise ValueError(f"`growth_factor` should be > 1 but got {growth_factor}.")
            if backoff_factor >= 1:
                raise ValueError(f"`backoff_factor` should be < 1 but got {backoff_factor}.")
            self._init_scale = init_scale
            self._scale = None
            self._growth_factor = growth_factor
            self._backoff_factor = backoff_factor
            self._growth_interval = growth_interval
            self._init_growth_tracker = 0
            self._growth_tracker = None
            self._per_optimizer_states = {}

    def scale(self, outputs):
        if not self._enabled:
            return outputs
        if isinstance(outputs, Tensor):
            if outputs.device.type != "cuda":
                raise RuntimeError(f'`outputs` device must be "cuda", got "{outputs.device.type}".')
            if self._scale is None:
                self._lazy_init_scale_growth_tracker(outputs.device)
            return outputs * self._scale.to(device=outputs.device)
        if isinstance(outputs, (list, tuple)):
            return [self.scale(o) for o in outputs]
        raise TypeError(f"`outputs` must be a tensor or a list of tensors, got {type(outputs).__name__}.")

    def unscale_(self, optimizer):
        if not self._enabled:
            return None
        self._check_scale_growth_tracker("unscale_")
        state = self._get_optimizer_state(optimizer)
        if state.stage == "unscaled":
            raise RuntimeError("`unscale_()` has already been called on this optimizer since the last "
                               "`update()`.")
        if state.stage == "stepped":
            raise RuntimeError("`unscale_()` is being called after `step()`.")
        inv_scale = self._scale.double().reciprocal().float()
        state.found_inf = self._unscale_grads_(optimizer, inv_scale)
        state.stage = "unscaled"
        return None

    def step(self, optimizer, *args, **kwargs):
        if not self._enabled:
            return optimizer.step(*args, **kwargs)
        state = self._get_optimizer_state(optimizer)
        if state.stage == "stepped":
            raise RuntimeError("`step()` has already been called since the last `update()`.")
        if state.stage == "ready":
            self.unscale_(optimizer)
        value = None
        if not self._check_inf_per_device(optimizer) > 0:
            value = optimizer.step(*args, **kwargs)
        state.stage = "stepped"
        return value

    def update(self, new_scale=None):
        if not self._enabled:
            return None
        scale, tracker = self._check_scale_growth_tracker("update")
        from .autograd import with_no_grad
        with with_no_grad():
            if isinstance(new_scale, Tensor):
                scale.copy_(new_scale)
            elif new_scale is not None:
                scale.fill_(new_scale)
            else:
                found = sum(s.found_inf for s in self._per_optimizer_states.values())
                self._update_scale(scale, tracker, found)
        self._per_optimizer_states = {}
        return None

    def _update_scale(self, scale, tracker, found_inf):
        """libtorch's `_amp_update_scale_` (float32 scale, int32 growth tracker)."""
        if found_inf > 0:
            scale.mul_(self._backoff_factor)
            tracker.fill_(0)
            return
        successful = int(tracker.item()) + 1
        if successful == self._growth_interval:
            grown = scale * self._growth_factor
            if bool(grown.isfinite().item()):
                scale.copy_(grown)
            tracker.fill_(0)
        else:
            tracker.fill_(successful)

    def _lazy_init_scale_growth_tracker(self, device):
        if self._growth_tracker is not None:
            raise RuntimeError("`.growth_tracker` initialized before `.scale`")
        from ._creation import torch_full
        self._scale = torch_full([], self._init_scale, dtype=DTYPES["Float"], device=device)
        self._growth_tracker = torch_full([], self._init_growth_tracker, dtype=DTYPES["Int"], device=device)

    def _check_scale_growth_tracker(self, funcname):
        fix = "This may indicate your script did not use scaler.scale(loss or outputs) earlier in the iteration."
        if self._scale is None:
            raise RuntimeError(f"Attempted `{funcname}()` but `.scale` is NULL.\n{fix}")
        if self._growth_tracker is None:
            raise RuntimeError(f"Attempted `{funcname}()` but `.growth_tracker` is NULL.\n{fix}")
        return self._scale, self._growth_tracker

    def _unscale_grads_(self, optimizer, inv_scale):
        """Multiplies each grad by `inv_scale`; the number of parameters whose grad has an Inf or NaN
        (libtorch's `_amp_foreach_non_finite_check_and_unscale_`, per parameter as R torch calls it)."""
        from .autograd import with_no_grad
        found = 0
        with with_no_grad():
            for group in optimizer.param_groups:
                for p in group["params"]:
                    g = p._grad
                    if g is None:
                        continue
                    found += int(not bool(g.isfinite().all().item()))
                    g.mul_(inv_scale.to(device=g.device))
        return found

    def _get_optimizer_state(self, optimizer):
        return self._per_optimizer_states.setdefault(id(optimizer), _OptState())

    def _check_inf_per_device(self, optimizer):
        from ._creation import torch_full
        state = self._get_optimizer_state(optimizer)
        state.found_inf = self._unscale_grads_(optimizer, torch_full([], 1.0, dtype=DTYPES["Float"],
                                                                     device=self._scale.device))
        return state.found_inf


def cuda_amp_grad_scaler(init_scale=2.0 ** 16, growth_factor=2.0, backoff_factor=0.5, growth_interval=2000,
                         enabled=True):
    """R torch's `cuda_amp_grad_scaler()`: a gradient scaler for mixed-precision training (`AmpGradScaler`)."""
    return AmpGradScaler(init_scale=init_scale, growth_factor=growth_factor, backoff_factor=backoff_factor,
                         growth_interval=growth_interval, enabled=enabled)
