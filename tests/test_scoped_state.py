"""Scoped state and environment functions: R torch's local_*/with_* forms (grad mode, seed, device,
autocast), the cuda_* and backends_* answers where CUDA is not usable, slc(), optimizer() and
optimizer_ignite(), the gradient scaler. Ports test-autocast.R, test-backends.R, test-cuda.R (their CPU-side
expectations), the local_* block of test-autograd.R, the seed-scope block of test-generator.R, the slc blocks
of test-indexing.R and the device-scope block of test-device.R; numbers against PyTorch."""
import sys

import numpy as np
import pytest

import rtorch
from rtorch import *  # noqa: F403
from rtorch import _autocast
from rtorch._scoped import caller, defer, deferred_run
from tests._require import require


@pytest.fixture
def torch():
    return require("torch")


def _np(t):
    return np.asarray(t.detach().numpy() if hasattr(t, "requires_grad") and not hasattr(t, "_data")
                      else as_array(t))


# -- the frame mechanism ------------------------------------------------------------------------------------

def test_scoped__restores_when_the_function_returns_last_deferred_first():
    log = []

    def f():
        defer(lambda: log.append("first"), caller(0))
        defer(lambda: log.append("second"), caller(0))
        log.append("body")
    f()
    assert log == ["body", "second", "first"]


def test_scoped__env_names_the_frame_that_restores():
    x = torch_tensor(1, requires_grad=True)

    def helper(env):
        local_no_grad(env=env)

    def outer():
        helper(sys._getframe())
        inside = (x * 2).requires_grad
        return inside
    assert outer() is False
    assert (x * 2).requires_grad


def test_scoped__an_exception_restores_once_handled():
    x = torch_tensor(1, requires_grad=True)

    def f():
        local_no_grad()
        raise ValueError("boom")
    try:
        f()
    except ValueError:
        pass
    assert (x * 2).requires_grad


def test_scoped__a_kept_exception_keeps_the_frame_and_the_state():
    """The documented limit: a traceback that is kept (here `pytest.raises`' ExceptionInfo) holds the frame,
    so the state comes back when it is dropped."""
    x = torch_tensor(1, requires_grad=True)

    def f():
        local_no_grad()
        raise ValueError("boom")
    with pytest.raises(ValueError) as info:
        f()
    assert (x * 2).requires_grad is False
    del info
    assert (x * 2).requires_grad


def test_scoped__deferred_run_and_bad_env():
    x = torch_tensor(1, requires_grad=True)

    def f():
        local_no_grad()
        deferred_run(sys._getframe())
        return (x * 2).requires_grad
    assert f() is True
    with pytest.raises(TypeError, match="must be a frame"):
        local_no_grad(env={})


# -- test-autograd.R ----------------------------------------------------------------------------------------

def test_autograd__local_grad_functions():
    def f():
        x = torch_tensor(2, requires_grad=True)
        y = x ** 3
        y.backward()
        return x.grad

    def fun(f, grad_mode):
        if grad_mode:
            local_enable_grad()
        else:
            local_no_grad()
        return f()

    with with_no_grad():
        assert fun(f, True).item() == 12
    assert f().item() == 12
    with with_enable_grad():
        try:  # R's expect_error(): the error is dropped once seen, and with it the frame that restores
            fun(f, False)
            message = None
        except RuntimeError as err:
            message = str(err)
        assert "does not require grad" in message
        assert f().item() == 12


def test_autograd__local_no_grad_nests_with_local_enable_grad():
    x = torch_tensor(1, requires_grad=True)

    def g():
        local_enable_grad()
        return (x * 2).requires_grad

    def f():
        local_no_grad()
        inner = g()
        return inner, (x * 2).requires_grad
    assert f() == (True, False)
    assert (x * 2).requires_grad


# -- test-generator.R ---------------------------------------------------------------------------------------

# (the with_torch_manual_seed block is ported in tests/test_testthat_namespace.py)

def test_generator__local_torch_manual_seed_lasts_until_the_function_returns(torch):
    torch_manual_seed(1)
    x = torch_randn(1)
    y = torch_randn(1)

    def draws():
        local_torch_manual_seed(1)
        return torch_randn(1), torch_randn(1), torch_randn(1)
    x_, y_, z_ = draws()
    z = torch_randn(1)
    assert torch_equal(x, x_) and torch_equal(y, y_) and torch_equal(z, z_)
    torch.manual_seed(1)
    assert as_array(x_).tolist() == torch.randn(1).tolist()


# -- test-device.R ------------------------------------------------------------------------------------------

def test_device__can_modify_the_device_temporarily():
    z = torch_randn(10, 10)
    with with_device(device="cpu"):
        x = torch_randn(10, 10)
        with with_device(device="cpu"):
            a = torch_zeros(2)
        b = torch_tensor(c(1, 2))
    y = torch_randn(10, 10)
    assert {t.device.type for t in (x, y, z, a, b)} == {"cpu"}
    assert with_device(lambda: torch_ones(1).device.type, device="cpu") == "cpu"


def test_device__cuda_default_device_without_cuda():
    if cuda_is_available():
        def f():
            local_device("cuda")
            return torch_randn(2).device.type
        assert f() == "cuda"
        assert torch_randn(2).device.type == "cpu"
    else:
        with pytest.raises(RuntimeError, match="no GPU is usable"):
            with_device(device="cuda")

        def f():
            local_device("cuda")
        with pytest.raises(RuntimeError, match="no GPU is usable"):
            f()
    assert torch_randn(2).device.type == "cpu"


def test_device__local_device_restores():
    def f():
        local_device("cpu")
        return rtorch._devices._DEFAULT_DEVICE[0]
    assert f() == torch_device("cpu")
    assert rtorch._devices._DEFAULT_DEVICE[0] is None


# -- test-autocast.R ----------------------------------------------------------------------------------------

def _xy(torch):
    rng = np.random.default_rng(3)
    a, b = (rng.standard_normal((5, 5)).astype(np.float32) for _ in range(2))
    return torch_tensor(a), torch_tensor(b), torch.tensor(a), torch.tensor(b)


def test_autocast__local_autocast_works(torch):
    x, y, tx, ty = _xy(torch)

    def foo(x, y):
        local_autocast(device_type="cpu", dtype=torch_float16())
        z = torch_mm(x, y)
        w = torch_mm(z, x)
        return w
    out = foo(x, y)
    assert out.dtype == torch_float16()
    a = torch_mm(x, out.float())
    assert a.dtype == torch_float()
    with torch.autocast("cpu", dtype=torch.float16):
        want = torch.mm(torch.mm(tx, ty), tx)
    np.testing.assert_allclose(as_array(out.float()), want.float().numpy(), rtol=2e-3, atol=2e-3)


def test_autocast__with_autocast_works(torch):
    x, y, tx, ty = _xy(torch)
    with with_autocast(device_type="cpu", dtype=torch_float16()):
        z = torch_mm(x, y)
        w = torch_mm(z, x)
    assert w.dtype == torch_float16()
    assert torch_mm(x, w.float()).dtype == torch_float()
    assert with_autocast(lambda: x.matmul(y).dtype, device_type="cpu", dtype=torch_float16()) == torch_float16()


def test_autocast__the_default_cpu_dtype_is_bfloat16():
    if "BFloat16" in rtorch._dtypes.DTYPES:
        ctx = set_autocast("cpu")
        try:
            assert torch_mm(torch_randn(2, 2), torch_randn(2, 2)).dtype.name == "BFloat16"
        finally:
            unset_autocast(ctx)
    else:
        with pytest.raises(RuntimeError, match="BFloat16, which rtorch does not have"):
            set_autocast("cpu")
        with pytest.raises(RuntimeError, match="BFloat16"):
            with with_autocast(device_type="cpu"):
                pass
    assert not _autocast.STATE.enabled["cpu"] and _autocast.STATE.nesting == 0


def test_autocast__set_and_unset_context(torch):
    ctx = set_autocast("cpu", dtype=torch_float16(), cache_enabled=False)
    try:
        assert ctx == {"device": "cpu", "enabled": False, "fast_dtype": _autocast._DEFAULT_FAST["cpu"],
                       "cache_enabled": True}
        assert _autocast.STATE.enabled["cpu"] and _autocast.STATE.nesting == 1
        assert not _autocast.STATE.cache_enabled
        inner = set_autocast("cpu", dtype=torch_float16(), enabled=False)
        assert torch_mm(torch_randn(2, 2), torch_randn(2, 2)).dtype == torch_float()
        unset_autocast(inner)
        assert torch_mm(torch_randn(2, 2), torch_randn(2, 2)).dtype == torch_float16()
    finally:
        unset_autocast(ctx)
    assert not _autocast.STATE.enabled["cpu"] and _autocast.STATE.cache_enabled and _autocast.STATE.nesting == 0
    with pytest.raises(ValueError, match='Unsupported device "tpu"'):
        set_autocast("tpu", dtype=torch_float16())


def test_autocast__cuda_state_without_cuda():
    if cuda_is_available():
        with pytest.raises(NotImplementedError, match="CUDA"):
            set_autocast("cuda")
        return
    ctx = set_autocast("cuda")
    try:
        assert _autocast.STATE.enabled["cuda"] and _autocast.STATE.fast["cuda"] == torch_float16()
        assert torch_mm(torch_randn(2, 2), torch_randn(2, 2)).dtype == torch_float()
    finally:
        unset_autocast(ctx)
    assert not _autocast.STATE.enabled["cuda"]


def _ops(torch):
    """(rtorch call, torch call) pairs, one per policy family, with float32/float16 inputs."""
    rng = np.random.default_rng(0)
    a = rng.standard_normal((4, 4)).astype(np.float32)
    spd = (a @ a.T + 4 * np.eye(4)).astype(np.float32)
    b3 = rng.standard_normal((2, 4, 4)).astype(np.float32)
    target = np.array([0, 2, 1, 3])
    prob = (1 / (1 + np.exp(-a))).astype(np.float32)
    T, R = torch.tensor, torch_tensor
    F = torch.nn.functional
    return {
        "mm": (lambda: torch_mm(R(a), R(a)), lambda: torch.mm(T(a), T(a))),
        "matmul": (lambda: R(a).matmul(R(a)), lambda: T(a).matmul(T(a))),
        "bmm": (lambda: torch_bmm(R(b3), R(b3)), lambda: torch.bmm(T(b3), T(b3))),
        "addmm": (lambda: torch_addmm(R(a), R(a), R(a)), lambda: torch.addmm(T(a), T(a), T(a))),
        "baddbmm": (lambda: torch_baddbmm(R(b3), R(b3), R(b3)), lambda: torch.baddbmm(T(b3), T(b3), T(b3))),
        "nnf_linear": (lambda: nnf_linear(R(a), R(a), R(a[0])), lambda: F.linear(T(a), T(a), T(a[0]))),
        "nnf_conv1d": (lambda: nnf_conv1d(R(b3), R(b3[:, :, :2])), lambda: F.conv1d(T(b3), T(b3[:, :, :2]))),
        "prod": (lambda: R(a).half().prod(), lambda: T(a).half().prod()),
        "trace": (lambda: R(a).half().trace(), lambda: T(a).half().trace()),
        "linalg_inv": (lambda: linalg_inv(R(spd).half()), lambda: torch.linalg.inv(T(spd).half())),
        "nnf_mse_loss": (lambda: nnf_mse_loss(R(a).half(), R(a).half()), lambda: F.mse_loss(T(a).half(), T(a).half())),
        "nnf_l1_loss": (lambda: nnf_l1_loss(R(a).half(), R(a)), lambda: F.l1_loss(T(a).half(), T(a))),
        "nnf_cross_entropy": (lambda: nnf_cross_entropy(R(a).half(), R(target + 1).long()),
                              lambda: F.cross_entropy(T(a).half(), T(target))),
        "tensordot": (lambda: torch_tensordot(R(a), R(a), 1), lambda: torch.tensordot(T(a), T(a), 1)),
        "linalg_multi_dot": (lambda: linalg_multi_dot([R(a), R(a), R(a)]),
                             lambda: torch.linalg.multi_dot([T(a), T(a), T(a)])),
        "nnf_conv2d": (lambda: nnf_conv2d(R(b3[None]), R(b3[None, :, :2, :2])),
                       lambda: F.conv2d(T(b3[None]), T(b3[None, :, :2, :2]))),
        "nnf_binary_cross_entropy": (lambda: nnf_binary_cross_entropy(R(prob).half(), R(prob)),
                                     lambda: F.binary_cross_entropy(T(prob).half(), T(prob))),
        "nnf_nll_loss": (lambda: nnf_nll_loss(R(a).half(), R(target + 1).long()),
                         lambda: F.nll_loss(T(a).half(), T(target))),
        "nnf_smooth_l1_loss": (lambda: nnf_smooth_l1_loss(R(a).half(), R(prob)),
                               lambda: F.smooth_l1_loss(T(a).half(), T(prob))),
        "cdist": (lambda: torch_cdist(R(a).half(), R(a).half()), lambda: torch.cdist(T(a).half(), T(a).half())),
        "nnf_max_pool3d": (lambda: nnf_max_pool3d(R(b3[None, None]).half(), 2),
                           lambda: F.max_pool3d(T(b3[None, None]).half(), 2)),
        "linalg_solve": (lambda: linalg_solve(R(spd).half(), R(a).half()),
                         lambda: torch.linalg.solve(T(spd).half(), T(a).half())),
        "not listed (einsum, one operand)": (lambda: torch_einsum("ij->j", [R(a).half()]),
                                             lambda: torch.einsum("ij->j", T(a).half())),
        "not listed (softmax)": (lambda: nnf_softmax(R(a).half(), 1), lambda: F.softmax(T(a).half(), 0)),
        "not listed (add)": (lambda: R(a).half() + R(a).half(), lambda: T(a).half() + T(a).half()),
        "not listed (relu)": (lambda: nnf_relu(R(a).half()), lambda: F.relu(T(a).half())),
        "double stays": (lambda: torch_mm(R(a).double(), R(a).double()), lambda: torch.mm(T(a).double(), T(a).double())),
    }


@pytest.mark.parametrize("name", [
    "mm", "matmul", "bmm", "addmm", "baddbmm", "nnf_linear", "nnf_conv1d", "prod", "trace", "linalg_inv",
    "nnf_mse_loss", "nnf_l1_loss", "nnf_cross_entropy", "tensordot", "linalg_multi_dot", "nnf_conv2d",
    "nnf_binary_cross_entropy", "nnf_nll_loss", "nnf_smooth_l1_loss", "cdist", "nnf_max_pool3d", "linalg_solve",
    "not listed (einsum, one operand)", "not listed (softmax)", "not listed (add)", "not listed (relu)",
    "double stays"])
def test_autocast__cast_policies_match_libtorch(torch, name):
    ours, theirs = _ops(torch)[name]
    with with_autocast(device_type="cpu", dtype=torch_float16()):
        got = ours()
    with torch.autocast("cpu", dtype=torch.float16):
        want = theirs()
    assert str(got.dtype).replace("torch_", "") == {torch.float16: "Half", torch.float32: "Float",
                                                     torch.float64: "Double"}[want.dtype]
    np.testing.assert_allclose(as_array(got.double()), want.double().numpy(), rtol=5e-3, atol=5e-3)


def test_autocast__names_in_the_policy_tables_exist():
    names = set(dir(rtorch)) | {n[len("torch_"):] for n in dir(rtorch) if n.startswith("torch_")} | \
        set(dir(rtorch.Tensor))
    assert {"mm", "matmul", "bmm", "addmm", "nnf_linear", "nnf_conv2d"} <= _autocast.LOWER_PRECISION & names
    assert {"prod", "trace", "nnf_mse_loss", "nnf_cross_entropy", "linalg_inv"} <= _autocast.FP32 & names


def test_autocast__gradients_flow_through_the_casts(torch):
    rng = np.random.default_rng(1)
    a, w = rng.standard_normal((3, 4)).astype(np.float32), rng.standard_normal((2, 4)).astype(np.float32)
    x, weight = torch_tensor(a), torch_tensor(w, requires_grad=True)
    with with_autocast(device_type="cpu", dtype=torch_float16()):
        out = nnf_linear(x, weight)
        loss = nnf_mse_loss(out, torch_zeros(3, 2))
    assert out.dtype == torch_float16() and loss.dtype == torch_float()
    loss.backward()
    tw = torch.tensor(w, requires_grad=True)
    with torch.autocast("cpu", dtype=torch.float16):
        tl = torch.nn.functional.mse_loss(torch.nn.functional.linear(torch.tensor(a), tw), torch.zeros(3, 2))
    tl.backward()
    assert weight.grad.dtype == torch_float()
    np.testing.assert_allclose(as_array(weight.grad), tw.grad.numpy(), rtol=5e-3, atol=5e-3)


def test_autocast__nn_module_under_local_autocast(torch):
    torch_manual_seed(1)
    model = nn_linear(4, 3)

    def forward(x):
        local_autocast("cpu", dtype=torch_float16())
        return model(x)
    out = forward(torch_randn(2, 4))
    assert out.dtype == torch_float16()
    assert model(torch_randn(2, 4)).dtype == torch_float()


def test_autocast__grad_scaler(torch):
    with pytest.raises(ValueError, match="`growth_factor` should be > 1 but got 1"):
        cuda_amp_grad_scaler(growth_factor=1)
    with pytest.raises(ValueError, match="`backoff_factor` should be < 1 but got 2"):
        cuda_amp_grad_scaler(backoff_factor=2)
    scaler = cuda_amp_grad_scaler()
    x = torch_randn(2)
    if not cuda_is_available():
        with pytest.raises(RuntimeError, match='`outputs` device must be "cuda", got "cpu".'):
            scaler.scale(x)
    with pytest.raises(RuntimeError, match=r"Attempted `update\(\)` but `.scale` is NULL"):
        scaler.update()
    off = cuda_amp_grad_scaler(enabled=False)
    assert off.scale(x) is x and off.update() is None


def test_autocast__unscale_skipping_works():
    """test-autocast.R's "unscale skipping works", on CPU tensors through the scaler's internals (R torch's
    `scale()` takes CUDA tensors only)."""
    torch_manual_seed(1)
    model = nn_linear(2, 2)
    orig = [p.clone().detach() for p in model.parameters.values()]
    opt = optim_sgd(model.parameters, lr=0.001)
    scaler = cuda_amp_grad_scaler(enabled=True, init_scale=128.0)
    scaler._lazy_init_scale_growth_tracker(torch_device("cpu"))
    for _ in range(5):
        opt.zero_grad()
        loss = nnf_mse_loss(model(torch_randn(2, 2)), torch_randn(2, 2))
        (loss * scaler._scale).backward()
        scaler.unscale_(opt)
        params = list(model.parameters.values())
        params[0].grad.copy_(torch_tensor(Inf))
        params[1].grad.copy_(torch_tensor(NaN))
        scaler.step(opt)
        scaler.update()
    for p, o in zip(model.parameters.values(), orig):
        assert torch_equal(p.detach(), o)
    assert scaler._scale.item() == 128.0 * 0.5 ** 5 and scaler._growth_tracker.item() == 0


def test_autocast__scaler_unscales_and_grows(torch):
    """A clean step: grads divided by the scale (as torch.amp.GradScaler on the CPU), the optimizer steps,
    and the scale grows after `growth_interval` clean steps."""
    rng = np.random.default_rng(2)
    w0 = rng.standard_normal(3).astype(np.float32)
    w = torch_tensor(w0, requires_grad=True)
    opt = optim_sgd([w], lr=0.1)
    scaler = cuda_amp_grad_scaler(init_scale=64.0, growth_interval=2)
    scaler._lazy_init_scale_growth_tracker(torch_device("cpu"))
    tw = torch.tensor(w0, requires_grad=True)
    topt = torch.optim.SGD([tw], lr=0.1)
    tscaler = torch.amp.GradScaler("cpu", init_scale=64.0, growth_interval=2)
    for _ in range(3):
        opt.zero_grad()
        ((w ** 2).sum() * scaler._scale).backward()
        scaler.step(opt)
        scaler.update()
        topt.zero_grad()
        tscaler.scale((tw ** 2).sum()).backward()
        tscaler.step(topt)
        tscaler.update()
    np.testing.assert_allclose(as_array(w.detach()), tw.detach().numpy(), rtol=1e-6)
    assert scaler._scale.item() == tscaler.get_scale() == 128.0
    with pytest.raises(RuntimeError, match=r"`step\(\)` has already been called"):
        scaler.step(opt)
        scaler.step(opt)


# -- test-backends.R ----------------------------------------------------------------------------------------

def test_backends__cudnn_available():
    assert backends_cudnn_is_available() is False
    with pytest.raises(RuntimeError, match="CuDNN is not available."):
        backends_cudnn_version()


def test_backends__mps_is_available_on_m1_macs():
    assert backends_mps_is_available() is False


def test_backends__build_answers():
    blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]["name"]
    assert backends_mkl_is_available() is ("mkl" in blas.lower())
    assert backends_mkldnn_is_available() is False
    assert backends_openmp_is_available() is False


# -- test-cuda.R (what R torch answers where CUDA is not available) ------------------------------------------

def test_cuda__cuda():
    if cuda_is_available():
        assert cuda_device_count() > 0 and cuda_current_device() >= 0
        capability = cuda_get_device_capability(cuda_current_device())
        assert list(capability) == ["Major", "Minor"]
    else:
        assert cuda_device_count() == 0
        assert cuda_current_device() == -1
        with pytest.raises(ValueError, match="device must be an integer between 0 and"):
            cuda_get_device_capability()
    with pytest.raises(ValueError, match="device must be an integer between 0 and"):
        cuda_get_device_capability(cuda_device_count() + 1)


def test_cuda__cuda_memory_stats_work():
    if cuda_is_available():
        stats = cuda_memory_stats()
        assert len(stats) == 13
    else:
        with pytest.raises(RuntimeError, match="CUDA is not available."):
            cuda_memory_stats()
        with pytest.raises(RuntimeError, match="CUDA is not available."):
            cuda_memory_summary()


def test_cuda__can_empty_cache_and_the_other_runtime_calls():
    if cuda_is_available():
        cuda_empty_cache()
        cuda_synchronize()
        assert len(cuda_runtime_version()) == 3
        return
    with pytest.raises(RuntimeError, match="`cuda_empty_cache` is only supported on CUDA runtimes."):
        cuda_empty_cache()
    with pytest.raises(RuntimeError, match="`cuda_device_stats` is only supported on CUDA runtimes."):
        cuda_runtime_version()
    with pytest.raises(RuntimeError, match="No CUDA GPUs are available"):
        cuda_synchronize()
    with pytest.raises(RuntimeError, match="`cuda_record_memory_history` is only supported on CUDA runtimes."):
        cuda_record_memory_history("all")
    with pytest.raises(RuntimeError, match="`cuda_memory_snapshot` is only supported on CUDA runtimes."):
        cuda_memory_snapshot()
    with pytest.raises(RuntimeError, match="`cuda_memory_snapshot` is only supported"):
        cuda_dump_memory_snapshot("never-written.bin")


def test_cuda__cuda_rng_state():
    n = cuda_device_count()
    if n == 0:
        assert cuda_get_rng_state() == []
        assert cuda_set_rng_state([]) is None
        with pytest.raises(RuntimeError, match="Cannot get default CUDA generator without ATen_cuda library."):
            cuda_get_rng_state(0)
        with pytest.raises(ValueError, match=r"Expected length `state` \(1\) equal to the number of cuda "
                                             r"devices \(0\)."):
            cuda_set_rng_state([torch_get_rng_state()])
    else:
        with pytest.raises(RuntimeError, match="no CUDA generator"):
            cuda_get_rng_state()


# -- test-indexing.R ----------------------------------------------------------------------------------------

def test_indexing__can_use_the_slc_construct():
    x = torch_randn(10, 10)
    r = as_array(x)
    np.testing.assert_array_equal(as_array(x[slc(start=1, end=5, step=2), :]), r[0:5:2, :])
    np.testing.assert_array_equal(as_array(x[slc(start=1, end=5, step=2), 1]), r[0:5:2, 0])
    np.testing.assert_array_equal(as_array(x[slc(start=1, end=5, step=2), slc(start=1, end=5, step=2)]),
                                  r[0:5:2, 0:5:2])
    assert torch_equal(x[slc(2, Inf), :], x[2:N, :])
    assert torch_equal(x[slc(-3, -1)], x[8:10])
    assert torch_equal(x[slc(1, -2)], x[1:9])


def test_indexing__print_slice(capsys):
    rprint(slc(1, 3, 5))
    assert capsys.readouterr().out == "<slice>\n"


def test_indexing__slc_is_one_based_and_assigns():
    x = torch_zeros(5)
    x[slc(2, 3)] = 1
    assert as_array(x).tolist() == [0, 1, 1, 0, 0]
    with pytest.raises(IndexError, match="Indexing starts at 1"):
        x[slc(0, 2)]
    with pytest.raises(ValueError, match="slice step must be greater than zero"):
        x[slc(1, 2, 0)]


# -- optimizer() / optimizer_ignite() (R/optim.R's example, against torch.optim.SGD) -------------------------

def _sgd2_init(self, params, learning_rate, momentum=0):
    self.super_.initialize(params, {"learning_rate": learning_rate, "momentum": momentum})


def _sgd2_step(self, closure=None):
    def update(group, param, g, p):
        d_p = param.grad
        if group["momentum"] != 0:
            st = self.state.get(param)
            if st is None:
                buf = torch_clone(d_p).detach()
                self.state.set(param, {"momentum_buffer": buf})
            else:
                buf = st["momentum_buffer"]
                buf.mul_(group["momentum"]).add_(d_p)
            d_p = buf
        param.add_(d_p, alpha=-group["learning_rate"])
    return self.step_helper(closure, update)


optim_sgd2 = optimizer("optim_sgd2", initialize=_sgd2_init, step=_sgd2_step)


@pytest.mark.parametrize("momentum", [0, 0.9])
def test_optimizer__r_style_sgd_follows_torch_optim_sgd(torch, momentum):
    rng = np.random.default_rng(4)
    w0, target = rng.standard_normal((3, 2)).astype(np.float32), rng.standard_normal((3, 2)).astype(np.float32)
    w = torch_tensor(w0, requires_grad=True)
    opt = optim_sgd2(w, learning_rate=0.05, momentum=momentum)
    tw = torch.tensor(w0, requires_grad=True)
    topt = torch.optim.SGD([tw], lr=0.05, momentum=momentum)
    for _ in range(20):
        opt.zero_grad()
        ((w - torch_tensor(target)) ** 2).sum().backward()
        opt.step()
        topt.zero_grad()
        ((tw - torch.tensor(target)) ** 2).sum().backward()
        topt.step()
        np.testing.assert_allclose(as_array(w.detach()), tw.detach().numpy(), rtol=1e-6, atol=1e-7)
    assert is_optimizer(opt)
    assert class_(opt).tolist() == ["optim_sgd2", "torch_optimizer", "R6"]


def test_optimizer__r_example_converges_and_closure():
    torch_manual_seed(1)
    x = torch_randn(1, requires_grad=True)
    opt = optim_sgd2(x, learning_rate=0.1)
    for _ in range(100):
        opt.zero_grad()
        y = x ** 2
        y.backward()
        opt.step()
    assert abs(x.item()) < 1e-9

    def closure():
        opt.zero_grad()
        loss = (x - 1) ** 2
        loss.backward()
        return loss
    assert opt.step(closure).item() == pytest.approx(1.0)


def test_optimizer__inherit_defaults_and_errors():
    scaled = optimizer("scaled_sgd", inherit=optim_sgd,
                       initialize=lambda self, params, lr, factor=2: (
                           self.super_.initialize(params, lr=lr * factor)),
                       describe=lambda self: f"lr {self.param_groups[0]['lr']}")
    w = torch_zeros(2, requires_grad=True)
    opt = scaled([w], lr=0.5)
    assert opt.describe() == "lr 1.0" and isinstance(opt, optim_sgd)
    with pytest.raises(TypeError, match="`inherit` must be an optimizer"):
        optimizer("bad", inherit=dict)
    req = optimizer("req", initialize=lambda self, params: self.super_.initialize(params, {"lr": optim_required()}))
    with pytest.raises(ValueError, match="parameter group didn't specify a value of required optimization "
                                         "parameter lr"):
        req([w])
    with pytest.raises(ValueError, match="Wrong parameters specification."):
        optim_sgd2([1, 2], learning_rate=0.1)


def test_optimizer__state_dict_round_trip():
    w = torch_tensor(c(1, 2), requires_grad=True)
    opt = optim_sgd2(w, learning_rate=0.1, momentum=0.5)
    (w ** 2).sum().backward()
    opt.step()
    sd = opt.state_dict()
    assert list(sd["state"]) == ["1"] and sd["param_groups"][0]["params"] == [1]
    other = optim_sgd2(w, learning_rate=0.2, momentum=0.5)
    other.load_state_dict(sd)
    assert other.param_groups[0]["learning_rate"] == 0.1
    assert torch_equal(other.state.get(w)["momentum_buffer"], opt.state.get(w)["momentum_buffer"])


def test_optimizer_ignite__builds_on_an_ignite_optimizer(torch):
    counted = optimizer_ignite("counted_sgd", inherit=optim_ignite_sgd,
                               steps=lambda self: self.__dict__.get("_n", 0))
    rng = np.random.default_rng(5)
    w0 = rng.standard_normal(4).astype(np.float32)
    w = torch_tensor(w0, requires_grad=True)
    opt = counted([w], lr=0.1, momentum=0.9)
    tw = torch.tensor(w0, requires_grad=True)
    topt = torch.optim.SGD([tw], lr=0.1, momentum=0.9)
    for _ in range(5):
        opt.zero_grad()
        (w ** 2).sum().backward()
        opt.step()
        topt.zero_grad()
        (tw ** 2).sum().backward()
        topt.step()
    np.testing.assert_allclose(as_array(w.detach()), tw.detach().numpy(), rtol=1e-6)
    assert isinstance(opt, OptimizerIgnite) and opt.steps() == 0
    assert class_(opt).tolist()[:3] == ["counted_sgd", "optim_ignite", "optim_ignite_sgd"]
    assert class_(opt).tolist()[-2:] == ["torch_optimizer", "R6"]
    assert class_(optim_ignite_sgd([w], lr=0.1)).tolist() == ["optim_ignite_sgd", "optim_ignite", "OptimizerIgnite",
                                                             "torch_optimizer", "R6"]
    assert is_undefined_tensor(opt.param_groups[0]["params"][0].grad) is False
    opt.zero_grad()
    assert is_undefined_tensor(w.grad)
    mixed = optimizer_ignite("ignite_adam_like", inherit=optim_adam)
    assert isinstance(mixed([w]), OptimizerIgnite)
    with pytest.raises(TypeError, match="optimizer_ignite\\(\\) needs `inherit`"):
        optimizer_ignite("nothing")


# -- the CUDA branches, on tests/_fake_cupy.py with the few runtime calls these functions make -------------

class _Pool:
    def __init__(self):
        self.freed = 0

    def used_bytes(self):
        return 512

    def total_bytes(self):
        return 2048 if not self.freed else 512

    def free_all_blocks(self):
        self.freed += 1


@pytest.fixture
def fake_cuda(monkeypatch):
    import types
    from rtorch import _devices
    from tests import _fake_cupy

    class Device(_fake_cupy.Device):
        compute_capability = "90"
        synced = 0

        def synchronize(self):
            Device.synced += 1

    pool, pinned = _Pool(), _Pool()
    runtime = types.SimpleNamespace(getDeviceCount=lambda: 1, getDevice=lambda: 0,
                                    runtimeGetVersion=lambda: 12040)
    cuda_ns = types.SimpleNamespace(Device=Device, runtime=runtime)
    fake = types.SimpleNamespace(**{k: getattr(_fake_cupy, k) for k in dir(_fake_cupy) if not k.startswith("__")})
    fake.cuda = cuda_ns
    fake.get_default_memory_pool = lambda: pool
    fake.get_default_pinned_memory_pool = lambda: pinned
    monkeypatch.setattr(_devices, "_cupy", lambda: fake)
    return types.SimpleNamespace(device=Device, pool=pool)


def test_cuda__with_a_device(fake_cuda):
    assert cuda_is_available() and cuda_device_count() == 1 and cuda_current_device() == 0
    assert cuda_get_device_capability() == {"Major": 9, "Minor": 0}
    with pytest.raises(ValueError, match="device must be an integer between 0 and"):
        cuda_get_device_capability(1)
    cuda_synchronize()
    cuda_synchronize(0)
    assert fake_cuda.device.synced == 2
    with pytest.raises(RuntimeError, match="Device index out of range: 3"):
        cuda_synchronize(3)
    assert cuda_runtime_version() == (12, 4, 0)
    stats = cuda_memory_stats()
    assert len(stats) == 13 and list(stats)[:3] == ["num_alloc_retries", "num_ooms", "max_split_size"]
    assert stats["allocated_bytes"]["all"]["current"] == 512 and stats["reserved_bytes"]["all"]["current"] == 2048
    assert stats["reserved_bytes"]["small_pool"]["current"] is None and stats["num_ooms"] is None
    cuda_empty_cache()
    assert cuda_memory_stats()["reserved_bytes"]["all"]["current"] < 2048
    with pytest.raises(NotImplementedError, match="records no history"):
        cuda_memory_snapshot()
    with pytest.raises(RuntimeError, match="no CUDA generator"):
        cuda_get_rng_state()
    with pytest.raises(NotImplementedError, match="autocast on CUDA is not implemented"):
        set_autocast("cuda")
    assert not _autocast.STATE.enabled["cuda"] and _autocast.STATE.nesting == 0


def test_device__with_device_cuda_places_new_tensors(fake_cuda):
    z = torch_zeros(2)
    with with_device(device="cuda"):
        x = torch_zeros(2)
        with with_device(device="cpu"):
            a = torch_ones(2)
        b = torch_full(c(2), 3)
    y = torch_zeros(2)

    def f():
        local_device(torch_device("cuda", 0))
        return torch_ones(3)
    w = f()
    assert [t.device.type for t in (x, y, z, a, b, w)] == ["cuda", "cpu", "cpu", "cpu", "cuda", "cuda"]
    assert x.device == torch_device("cuda", 0) and torch_zeros(1).device.type == "cpu"
