"""CUDA tensors through CuPy.

Three groups:
- without a GPU: `cuda_is_available()` is FALSE and asking for "cuda" is a clear error; the CPU path never
  imports CuPy; devices parse and print as R torch prints them (PyTorch's repr is the oracle);
- `backend` "fake": the CUDA code paths on `tests/_fake_cupy.py`, which runs everywhere and refuses host
  arrays and implicit host copies as CuPy does, so results must match the CPU bit for bit;
- `backend` "gpu": the same checks on a real GPU through CuPy, skipped where `cuda_is_available()` is FALSE
  (run them with `scripts/gpu_check.sh` on a machine with a GPU); floating results may differ from the
  CPU's in the last bits there (cuBLAS, other summation orders), so they are compared with a tolerance.
"""
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import rtorch
from scripts.raw_network import epoch
from rtorch import (as_array, cuda_device_count, cuda_is_available, torch_arange, torch_cat, torch_device,
                    torch_empty, torch_eye, torch_full, torch_linspace, torch_ones, torch_ones_like, torch_stack,
                    torch_tensor, torch_where, torch_zeros, torch_zeros_like)
from rtorch import _devices
from rtorch._tensor import Tensor
from tests import _fake_cupy
from tests._require import require

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MIXED = "Expected all tensors to be on the same device, but found at least two devices, cuda:0 and cpu!"
MIXED_ANY_ORDER = (r"^Expected all tensors to be on the same device, but found at least two devices, "
                   r"(cuda:0 and cpu|cpu and cuda:0)!$")
NO_GPU = r"cuda_is_available\(\) is FALSE"


# ---- without a GPU ------------------------------------------------------------------------------------

@pytest.fixture
def no_gpu():
    if cuda_is_available():
        pytest.skip("a GPU is usable here")


def test_cuda_is_not_available_without_a_gpu(no_gpu):
    assert cuda_is_available() is False
    assert cuda_device_count() == 0


CUDA_REQUESTS = {
    'torch_tensor(1, device = "cuda")': lambda t: torch_tensor(1, device="cuda"),
    'torch_zeros(2, device = "cuda")': lambda t: torch_zeros(2, device="cuda"),
    'torch_ones(2, 2, device = "cuda:0")': lambda t: torch_ones(2, 2, device="cuda:0"),
    'torch_arange(1, 3, device = "cuda")': lambda t: torch_arange(1, 3, device="cuda"),
    'torch_tensor(1, device = torch_device("cuda", 0))': lambda t: torch_tensor(1, device=torch_device("cuda", 0)),
    "torch_ones_like(t, device = 'cuda')": lambda t: torch_ones_like(t, device="cuda"),
    "t$cuda()": lambda t: t.cuda(),
    't$to(device = "cuda")': lambda t: t.to(device="cuda"),
    't$to(torch_device("cuda"))': lambda t: t.to(torch_device("cuda")),
}


@pytest.mark.parametrize("call", list(CUDA_REQUESTS.values()), ids=list(CUDA_REQUESTS))
def test_asking_for_cuda_without_a_gpu_is_a_clear_error(no_gpu, call):
    with pytest.raises(RuntimeError, match=NO_GPU):
        call(torch_tensor([1, 2]))


def test_cpu_path_never_imports_cupy():
    """Importing rtorch and running CPU operations neither imports CuPy nor tries to."""
    script = textwrap.dedent("""
        import sys
        tried = []

        class Watch:
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] == "cupy":
                    tried.append(name)
                return None

        sys.meta_path.insert(0, Watch())
        from rtorch import *
        x = torch_tensor([[1, -2], [3, 4]], device="cpu")
        y = (x * 2 + 1).relu().mm(x.t()).sum(dim=1)
        x[x < 0] = 0
        x.add_(torch_ones(2, 2))
        z = torch_cat([x, torch_zeros(1, 2)])[2:N, ].clone().to(dtype=torch_double()).cpu()
        print(repr(z), repr(z.device), as_array(y), torch_device("cuda:0"), z.is_cuda)
        print("CUPY", tried, "cupy" in sys.modules)
    """)
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stdout + out.stderr
    assert out.stdout.rstrip().endswith("CUPY [] False"), out.stdout


def test_devices_parse_and_print_as_r_torch():
    torch = require("torch")
    for args, kwargs in [(("cuda:0",), {}), (("cuda",), {}), ((), {"type": "cuda", "index": 0}),
                         (("cuda", 1), {}), (("cpu",), {}), ((), {"type": "cpu"})]:
        dev = torch_device(*args, **kwargs)
        assert repr(dev) == "torch_" + repr(torch.device(*args, **kwargs))
        assert str(dev) == repr(dev)
    assert torch_device("cuda:0") == torch_device(type="cuda", index=0) == torch_device("cuda", 0)
    assert torch_device("cuda:0") != torch_device("cuda:1") and torch_device("cuda") != torch_device("cuda:0")
    assert (torch_device("cuda:0").type, torch_device("cuda:0").index) == ("cuda", 0)
    assert repr(torch_tensor(1).device) == "torch_" + repr(torch.tensor(1).device)


@pytest.mark.parametrize("bad, error", [
    (lambda: torch_device("cuda:x"), r"index must be a non-negative integer"),
    (lambda: torch_device("cuda:0", index=1), r"already names an index"),
    (lambda: torch_device("gpu"), r"unknown device type 'gpu'"),
    (lambda: torch_device("cuda", -1), r"non-negative"),
    (lambda: torch_device(0), r"must be a string"),
])
def test_bad_device_strings_are_clear_errors(bad, error):
    with pytest.raises((ValueError, TypeError), match=error):
        bad()


# ---- the CUDA code paths, on the stand-in and on a real GPU ------------------------------------------------

@pytest.fixture(params=["fake", "gpu"])
def backend(request, monkeypatch):
    if request.param == "gpu":
        if not cuda_is_available():
            pytest.skip("no usable CUDA device: cuda_is_available() is FALSE")
    else:
        monkeypatch.setattr(_devices, "_cupy", lambda: _fake_cupy)
        _fake_cupy.host_reads = 0
    return request.param


def _inputs(device):
    rng = np.random.default_rng(20201001)
    f = np.float32
    x = rng.standard_normal((3, 4)).astype(f)
    y = rng.standard_normal((3, 4)).astype(f)
    v = np.array([0.5, np.nan, -1.0, 2.0, np.nan], f)
    return {
        "x": torch_tensor(x, device=device),
        "y": torch_tensor(y, device=device),
        "w": torch_tensor(rng.standard_normal((4, 2)).astype(f), device=device),
        "v": torch_tensor(v, device=device),
        "i": torch_tensor(rng.integers(-5, 9, (3, 4)).astype(np.int64), device=device),
        "b": torch_tensor(rng.random((3, 4)) > 0.5, device=device),
        "idx": torch_tensor(np.array([4, 1, 1], np.int64), device=device),
        "gidx": torch_tensor(np.array([[1, 3], [4, 2], [2, 1]], np.int64), device=device),
    }


class T:
    def __init__(self, d):
        self.__dict__.update(d)


def _set(target, index, value):
    z = target.clone()
    z[index] = value
    return z


def _inplace(z, *steps):
    for step in steps:
        z = step(z)
    return z


CASES = {
    # element-wise, with libtorch's promotion
    "x + y": lambda t: t.x + t.y,
    "2 + x": lambda t: 2 + t.x,
    "x - 1.5": lambda t: t.x - 1.5,
    "i * x": lambda t: t.i * t.x,
    "i / 2": lambda t: t.i / 2,
    "i %/% 3": lambda t: t.i // 3,
    "x %/% 0.3": lambda t: t.x // 0.3,
    "x %% 2": lambda t: t.x % 2,
    "x^2": lambda t: t.x ** 2,
    "abs(x)^y": lambda t: t.x.abs() ** t.y,
    "i$pow(2L)": lambda t: t.i.pow(np.int32(2)),
    "i^(Long tensor)": lambda t: t.i ** (t.i.abs() - np.int32(2)),
    "x > y": lambda t: t.x > t.y,
    "x == 0.5": lambda t: t.x == 0.5,
    "i != 3": lambda t: t.i != 3,
    "(x > 0) & b": lambda t: (t.x > 0) & t.b,
    "!b | b": lambda t: ~t.b | t.b,
    "maximum": lambda t: t.x.maximum(t.y),
    "atan2": lambda t: t.x.atan2(t.y),
    "exp": lambda t: t.x.exp(),
    "log(abs)": lambda t: t.x.abs().log(),
    "sqrt of Long": lambda t: t.i.abs().sqrt(),
    "sigmoid": lambda t: t.x.sigmoid(),
    "rsqrt": lambda t: t.x.abs().rsqrt(),
    "relu": lambda t: t.x.relu(),
    "tanh": lambda t: t.x.tanh(),
    "-x": lambda t: -t.x,
    "round, floor, sign": lambda t: (t.x * 3).round() + (t.x * 3).floor() + t.x.sign(),
    "isnan of Long": lambda t: t.i.isnan(),
    "isnan, isfinite": lambda t: (t.v.isnan(), t.v.isfinite()),
    "clamp(min = 0)": lambda t: t.x.clamp(min=0),
    "clamp(-0.5, 0.5)": lambda t: t.x.clamp(min=-0.5, max=0.5),
    "Long clamp(min = 0.5)": lambda t: t.i.clamp(min=0.5),
    "where(b, x, y)": lambda t: torch_where(t.b, t.x, t.y),
    "where(b, x, 0)": lambda t: torch_where(t.b, t.x, 0),
    "where(R logical, x, y)": lambda t: torch_where(np.array([True, False, True, False]), t.x, t.y),
    "where(b)": lambda t: torch_where(t.b),
    "nonzero": lambda t: t.b.nonzero(),
    # reductions
    "sum": lambda t: (t.x.sum(), t.x.sum(dim=1), t.i.sum(), t.b.sum(dim=2, keepdim=True)),
    "mean, var, std": lambda t: (t.x.mean(), t.x.mean(dim=2), t.x.var(), t.x.std(dim=1)),
    "prod": lambda t: t.x.prod(dim=1),
    "max, min": lambda t: (t.x.max(), t.x.max(dim=1), t.x.min(dim=2, keepdim=True)),
    "max of 0-d": lambda t: t.x.sum().max(dim=1),
    "argmax": lambda t: (t.x.argmax(), t.x.argmax(dim=2), t.v.argmax(), t.x.sum().argmin(dim=1)),
    "all, any": lambda t: (t.b.all(), t.b.any(dim=1)),
    "cumsum, cumprod": lambda t: (t.x.cumsum(dim=2), t.i.cumprod(dim=1)),
    "sort": lambda t: (t.x.sort(dim=2), t.i.sort(dim=1, descending=True)),
    "sort with NaN, descending": lambda t: t.v.sort(descending=True),
    "sort of 0-d": lambda t: t.x.sum().sort(),
    "topk": lambda t: t.x.topk(2),
    # linear algebra
    "mm": lambda t: t.x.mm(t.w),
    "x %*% w": lambda t: t.x @ t.w,
    "matmul by a vector": lambda t: t.x.matmul(t.w[:, 1]),
    "R matrix %*% x": lambda t: t.x.__rmatmul__(np.ones((2, 3))),
    "dot": lambda t: t.x[1, :].dot(t.y[2, :]),
    "allclose, equal": lambda t: (t.x.allclose(t.x * 1.0), t.x.equal(t.y), t.x.equal(t.x.clone())),
    # shapes and views
    "view, reshape": lambda t: (t.x.view(4, 3), t.x.reshape(-1), t.x.t().reshape(12)),
    "permute, transpose, t": lambda t: (t.x.permute(2, 1), t.x.transpose(1, 2), t.x.t()),
    "unsqueeze, squeeze, flatten": lambda t: (t.x.unsqueeze(1), t.x.unsqueeze(1).squeeze(), t.x.flatten()),
    "expand": lambda t: t.x.narrow(2, 2, 1).expand(3, 4),
    "contiguous": lambda t: (t.x.t().contiguous(), t.x.t().is_contiguous(), t.x.t().stride()),
    "cat, stack": lambda t: (torch_cat([t.x, t.y], dim=1), torch_cat([t.x, t.i], 2), torch_stack([t.x, t.y], 1)),
    "index_select": lambda t: (t.x.index_select(2, t.idx), t.x.index_select(1, [3, -1])),
    "gather": lambda t: t.x.gather(2, t.gidx),
    "scatter": lambda t: (t.x.scatter(2, t.gidx, t.y), t.x.scatter(2, t.gidx, 7)),
    "masked_fill": lambda t: (t.x.masked_fill(t.b, 0), t.x.masked_fill(t.x > 0, -1)),
    "flip, repeat": lambda t: (t.x.flip(1), t.x.repeat(2, 1)),
    "narrow, select, chunk, split": lambda t: (t.x.narrow(1, 2, 2), t.x.select(2, -1), t.x.chunk(2, 2),
                                               t.x.split([1, 3], 2)),
    "masked_select, movedim, unbind": lambda t: (t.x.masked_select(t.b), t.x.movedim(1, 2), t.x.unbind(2)),
    "triu, tril": lambda t: (t.x.triu(), t.x.tril(-1)),
    "repeat_interleave": lambda t: (t.x.repeat_interleave(2, dim=1), t.x.repeat_interleave(t.gidx[:, 1], dim=1)),
    "bincount": lambda t: t.idx.bincount(),
    "new_zeros, new_full": lambda t: (t.x.new_zeros([2, 2]), t.i.new_full([2], 3)),
    "index_put_": lambda t: t.x.clone().index_put_([t.gidx[:, 2]], t.y[1, ]),
    # indexing, reading and writing
    "x[2, ]": lambda t: t.x[2, :],
    "x[2:3, -1]": lambda t: t.x[2:3, -1],
    "x[c(1, 3), ]": lambda t: t.x[[1, 3], :],
    "x[, idx]": lambda t: t.x[:, t.idx],
    "x[b]": lambda t: t.x[t.b],
    "x[x > 0]": lambda t: t.x[t.x > 0],
    "x[R logical, ]": lambda t: t.x[np.array([True, False, True]), :],
    "x[2, 3] <- 5": lambda t: _set(t.x, (2, 3), 5),
    "x[1, ] <- c(...)": lambda t: _set(t.x, (1, slice(None)), [1.0, 2.0, 3.0, 4.0]),
    "x[3, ] <- y[1, ]": lambda t: _set(t.x, (3, slice(None)), t.y[1, :]),
    "x[b] <- 0": lambda t: _set(t.x, t.b, 0),
    "x[x < 0] <- y[x < 0]": lambda t: _set(t.x, t.x < 0, t.y[t.x < 0]),
    "x[c(1, 3), 2] <- 0": lambda t: _set(t.x, ([1, 3], 2), 0),
    "x[, idx] <- 1": lambda t: _set(t.x, (slice(None), t.idx), 1),
    # in place
    "add_, mul_, clamp_, relu_": lambda t: _inplace(t.x.clone(), lambda z: z.add_(1), lambda z: z.mul_(t.y),
                                                    lambda z: z.clamp_(min=-1), lambda z: z.sub_(0.5).relu_()),
    "fill_, zero_, copy_": lambda t: (t.x.clone().fill_(3), t.x.clone().zero_(), t.x.clone().copy_(t.y)),
    "+= through a view": lambda t: _inplace(t.x.clone(), lambda z: (z[2, :].add_(100), z)[1]),
    "Long %/%= 2": lambda t: _inplace(t.i.clone(), lambda z: z.__ifloordiv__(2)),
    "i$div_(2) stays an error": lambda t: t.i.clone().div_(2),
    # scalars out
    "item, as numbers": lambda t: (t.x[1, 1].item(), float(t.x[2, 2]), int(t.i[1, 1]), bool(t.b[1, 1]),
                                   t.i.sum().item()),
    "numel, size, dim": lambda t: (t.x.numel(), t.x.size(), t.x.dim(), t.x.shape),
}


def _compare(got, want, exact):
    if isinstance(want, (tuple, list)):
        assert type(got) is type(want) and len(got) == len(want)
        for g, w in zip(got, want):
            _compare(g, w, exact)
    elif isinstance(want, Tensor):
        assert isinstance(got, Tensor) and got.is_cuda and got.device == torch_device("cuda", 0)
        assert got.dtype == want.dtype and got.shape == want.shape
        g, w = as_array(got), as_array(want)
        if exact or g.dtype.kind not in "fc":
            np.testing.assert_array_equal(g, w)
        else:
            np.testing.assert_allclose(g, w, rtol=2e-5, atol=1e-6)
    elif isinstance(want, float) and not exact:
        assert got == pytest.approx(want, rel=2e-5, abs=1e-6)
    else:
        assert type(got) is type(want) and got == want


def _run(case, device):
    try:
        return case(T(_inputs(device))), None
    except Exception as exc:  # noqa: BLE001  (the CPU's error is the expected one)
        return None, exc


# error paths: where the CPU raises, CUDA must raise the same error with the same message
ERRORS = {
    "broadcast": lambda t: t.x + t.w,
    "view of a transpose": lambda t: t.x.t().view(12),
    "write through expand (in place)": lambda t: t.x.narrow(2, 2, 1).expand(3, 4).add_(1),
    "write through expand (assign)": lambda t: t.x.narrow(2, 2, 1).expand(3, 4).__setitem__((1, 1), 0),
    "write through expand (mask)": lambda t: t.x.narrow(2, 2, 1).expand(3, 4).__setitem__(t.b, 0),
    "Long to a negative R integer": lambda t: t.i ** np.int32(-2),
    "Long %/% 0L": lambda t: t.i // (t.i * np.int32(0)),
    "mm shapes": lambda t: t.x.mm(t.x),
    "index out of range": lambda t: t.x[4, 1],
    "index 0": lambda t: t.x.index_select(1, [0]),
    "gather out of range": lambda t: t.x.gather(2, t.gidx + np.int32(10)),
    "gather with a Float index": lambda t: t.x.gather(2, t.gidx + 10),
    "index_put_ out of range": lambda t: t.x.clone().index_put_([t.gidx[:, 1]], t.y[1, ]),
    "index_select out of range": lambda t: t.x.index_select(2, t.idx + np.int32(1)),
    "NaN into Long": lambda t: t.i.__setitem__((1, 1), float("nan")),
    "sub with Bool": lambda t: t.b - t.b,
}


@pytest.mark.parametrize("name", list(CASES) + list(ERRORS))
def test_cuda_matches_cpu(backend, name):
    """Same values, dtypes and shapes as on the CPU, or the same error."""
    case = CASES.get(name) or ERRORS[name]
    want, want_err = _run(case, "cpu")
    got, got_err = _run(case, "cuda")
    if want_err is not None:
        assert got_err is not None, f"the CPU raised {want_err!r} but CUDA returned {got!r}"
        assert type(got_err) is type(want_err) and str(got_err) == str(want_err)
        return
    assert got_err is None, f"CUDA raised {got_err!r}"
    _compare(got, want, exact=backend == "fake")


MIXED_ELEMENTWISE = {
    "cuda + cpu": lambda g, c: g + c,
    "cpu + cuda": lambda g, c: c + g,
    "cpu * cuda (method)": lambda g, c: c.mul(g),
    "cuda > cpu": lambda g, c: g > c,
    "cuda$add_(cpu)": lambda g, c: g.add_(c),
    "cpu$add_(cuda)": lambda g, c: c.add_(g),
    "where(cpu mask, cuda, cuda)": lambda g, c: torch_where(c > 0, g, g),
    "cuda & cpu": lambda g, c: (g > 0) & (c > 0),
    "clamp(cuda, min = cpu)": lambda g, c: g.clamp(min=c),
}

MIXED_OTHER = {
    "mm": lambda g, c: g.view(1, 3).mm(c.view(3, 1)),
    "mm, cpu first": lambda g, c: c.view(1, 3).mm(g.view(3, 1)),
    "matmul": lambda g, c: g.matmul(c),
    "dot": lambda g, c: c.dot(g),
    "equal": lambda g, c: g.equal(c),
    "cat": lambda g, c: torch_cat([g, c]),
    "stack": lambda g, c: torch_stack([c, g]),
    "index_select with a cpu index": lambda g, c: g.index_select(1, c.long()),
    "gather with a cpu index": lambda g, c: g.gather(1, c.long()),
    "scatter from a cpu tensor": lambda g, c: g.scatter(1, torch_tensor([1, 2], dtype="long", device="cuda"), c),
    "masked_fill with a cpu mask": lambda g, c: g.masked_fill(c > 1, 0),
}


@pytest.mark.parametrize("call", list(MIXED_ELEMENTWISE.values()), ids=list(MIXED_ELEMENTWISE))
def test_mixing_devices_in_an_element_wise_op_is_libtorchs_error(backend, call):
    with pytest.raises(RuntimeError) as err:
        call(torch_tensor([1.0, 2.0, 3.0], device="cuda"), torch_tensor([1.0, 2.0, 3.0]))
    assert str(err.value) == MIXED


@pytest.mark.parametrize("call", list(MIXED_OTHER.values()), ids=list(MIXED_OTHER))
def test_mixing_devices_in_other_ops_is_libtorchs_error(backend, call):
    with pytest.raises(RuntimeError, match=MIXED_ANY_ORDER):
        call(torch_tensor([1.0, 2.0, 3.0], device="cuda"), torch_tensor([1.0, 2.0, 3.0]))


def test_creation_functions_take_a_device(backend):
    made = {
        "torch_tensor": lambda d: torch_tensor([[1, 2], [3, 4]], device=d),
        "torch_zeros": lambda d: torch_zeros(2, 3, device=d),
        "torch_ones": lambda d: torch_ones(2, dtype="long", device=d),
        "torch_empty": lambda d: torch_empty(0, 2, device=d),
        "torch_full": lambda d: torch_full(c(2, 2), 7, device=d),
        "torch_eye": lambda d: torch_eye(3, device=d),
        "torch_arange": lambda d: torch_arange(1, 5, device=d),
        "torch_linspace": lambda d: torch_linspace(0, 1, 5, device=d),
    }
    for name, make in made.items():
        g, c_ = make("cuda"), make("cpu")
        assert g.is_cuda and g.device == torch_device("cuda", 0) and not c_.is_cuda, name
        assert g.dtype == c_.dtype and g.shape == c_.shape, name
        if name != "torch_empty":
            np.testing.assert_array_equal(as_array(g), as_array(c_))
    g = torch_ones(2, 2, device="cuda")
    for like in (torch_zeros_like(g), torch_ones_like(g, dtype="double"), torch_zeros_like(torch_ones(2), device="cuda")):
        assert like.is_cuda


def c(*v):
    return list(v)


def test_moving_between_devices(backend):
    x = torch_tensor([[1.5, -2], [3, 4]])
    g = x.cuda()
    assert g.is_cuda and not x.is_cuda and g.device == torch_device("cuda", 0)
    assert repr(g.device) == "torch_device(type='cuda', index=0)"
    assert g.cuda() is g and g.to(device="cuda") is g and g.to(device="cuda:0") is g
    assert x.to(device="cuda").is_cuda and x.to(torch_device("cuda", 0)).is_cuda and x.cuda(0).is_cuda
    back = g.cpu()
    assert type(back._data) is np.ndarray and back.device == torch_device("cpu")
    np.testing.assert_array_equal(back.numpy(), x.numpy())
    d = g.to(dtype=rtorch.torch_double(), device="cpu")
    assert d.dtype == rtorch.torch_double() and not d.is_cuda
    assert g.to(dtype=rtorch.torch_long()).is_cuda and g.long().dtype == rtorch.torch_long()
    assert torch_tensor(g).is_cuda and not torch_tensor(g, device="cpu").is_cuda
    assert torch_tensor(x, device="cuda").is_cuda
    h = torch_zeros(2, 2).copy_(g)
    np.testing.assert_array_equal(as_array(h), as_array(x))
    k = torch_zeros(2, 2, device="cuda").copy_(x)
    assert k.is_cuda
    np.testing.assert_array_equal(as_array(k), as_array(x))
    with pytest.raises(TypeError, match=r"cpu\(\)"):
        g.numpy()


def test_print_and_as_array_bring_data_to_the_host(backend):
    for x in (torch_tensor([[1.5, -2], [3, 4]]), torch_tensor([1, 2, 3], dtype="long"), torch_tensor(True),
              torch_tensor(np.array([], np.float64))):
        g = x.cuda()
        assert repr(g) == repr(x).replace("[ CPU", "[ CUDA")
        assert str(g) == repr(g)
        out = as_array(g)
        assert type(out) is np.ndarray and out.dtype == as_array(x).dtype
        np.testing.assert_array_equal(out, as_array(x))
    assert repr(torch_ones(2, 2, device="cuda")).endswith("[ CUDAFloatType{2,2} ]")


def test_storage_is_shared_by_views(backend):
    g = torch_zeros(3, 4, device="cuda")
    view = g[2:3, ]
    assert view.storage().data_ptr() == g.storage().data_ptr()
    assert view.data_ptr() != g.data_ptr()
    assert g.clone().storage().data_ptr() != g.storage().data_ptr()
    view.fill_(1)
    assert as_array(g).sum() == 8


def _blog_loop(device, epochs=20, n=100, hidden=32, lr=1e-4):
    """The blog's raw network (RStudio AI blog, 2020-10-01), on fixed data."""
    rng = np.random.default_rng(1)
    f = np.float32
    x = torch_tensor(rng.standard_normal((n, 3), dtype=f), device=device)
    y = x[:, 1, None] * 0.2 - x[:, 2, None] * 1.3 - x[:, 3, None] * 0.5 + \
        torch_tensor(rng.standard_normal((n, 1), dtype=f), device=device)
    w1 = torch_tensor(rng.standard_normal((3, hidden), dtype=f), device=device)
    w2 = torch_tensor(rng.standard_normal((hidden, 1), dtype=f), device=device)
    b1 = torch_zeros(1, hidden, device=device)
    b2 = torch_zeros(1, 1, device=device)
    losses = []
    for _ in range(epochs):
        loss, w1, w2, b1, b2 = epoch(x, y, w1, w2, b1, b2, lr, first_dim=1)
        losses.append(loss.item())
    return losses, (w1, w2, b1, b2)


def test_blog_network_trains_on_cuda_as_on_the_cpu(backend):
    want_losses, want = _blog_loop("cpu")
    got_losses, got = _blog_loop("cuda")
    assert all(w.is_cuda for w in got)
    exact = backend == "fake"
    _compare(tuple(got), tuple(want), exact)
    np.testing.assert_allclose(got_losses, want_losses, rtol=0 if exact else 1e-4)
    assert got_losses[-1] < got_losses[0]


def test_blog_network_reads_the_device_once_an_epoch(backend):
    """Only `loss$item()` copies to the host: no operation of the loop makes a hidden round trip."""
    if backend != "fake":
        pytest.skip("counted on the stand-in")
    _fake_cupy.host_reads = 0
    _blog_loop("cuda", epochs=5)
    assert _fake_cupy.host_reads == 5


def test_random_numbers_on_cuda_are_seeded_like_the_cpu(backend):
    """rtorch draws CUDA random numbers on the host with the CPU generator, then moves them."""
    if not hasattr(rtorch, "torch_randn") or not hasattr(rtorch, "torch_manual_seed"):
        pytest.skip("rtorch has no torch_randn / torch_manual_seed yet")
    rtorch.torch_manual_seed(7)
    g = rtorch.torch_randn(3, 4, device="cuda")
    rtorch.torch_manual_seed(7)
    c_ = rtorch.torch_randn(3, 4)
    assert g.is_cuda
    np.testing.assert_array_equal(as_array(g), as_array(c_))


def test_blog_script_runs_on_cuda(backend):
    if backend != "gpu":
        pytest.skip("the script runs in its own process: a real GPU only")
    if not hasattr(rtorch, "torch_randn"):
        pytest.skip("rtorch has no torch_randn yet")
    script = os.path.join(ROOT, "scripts", "train_raw_network.py")
    out = subprocess.run([sys.executable, script, "--device", "cuda", "--seed", "1", "--epochs", "20"],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert "Loss" in out.stdout
