"""Bad input never gets through: each kind ends in a clear error that names the problem, and none crashes
the interpreter, hangs, or quietly returns a wrong result."""
import contextlib
import math
import signal

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import rtorch
from rtorch import (drop, torch_cat, torch_device, torch_ones, torch_tensor, torch_zeros,
                    torch_arange, torch_full)

CLEAN = (RuntimeError, IndexError, TypeError, ValueError, OverflowError, NotImplementedError)


@contextlib.contextmanager
def deadline(seconds=10):
    """A call that does not come back within `seconds` fails the test instead of hanging the suite."""
    def stop(signum, frame):
        raise TimeoutError("hung")
    old = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


@pytest.fixture
def no_hang():
    with deadline():
        yield


def t3():
    return torch_tensor([1.0, 2.0, 3.0])


def m23():
    return torch_tensor(np.arange(6, dtype=np.float64).reshape(2, 3))


# what, call, exception type, words the message must contain (a regex)
CASES = [
    # data that is not numbers
    ("string", lambda: torch_tensor("abc"), TypeError, r"string"),
    ("bytes", lambda: torch_tensor(b"ab"), TypeError, r"string"),
    ("dict", lambda: torch_tensor({"a": 1}), TypeError, r"dict"),
    ("set", lambda: torch_tensor({1, 2}), TypeError, r"set"),
    ("object", lambda: torch_tensor(object()), TypeError, r"object"),
    ("ragged list", lambda: torch_tensor([[1, 2], [3]]), ValueError, r"ragged|rectangular"),
    ("ragged deep list", lambda: torch_tensor([[[1], [2]], [[3]]]), ValueError, r"ragged|rectangular"),
    ("list with a string", lambda: torch_tensor([1, "a"]), (TypeError, ValueError), r"type|string|<U"),
    ("list with None", lambda: torch_tensor([1, None]), (TypeError, ValueError), r"number|None|object"),
    ("list of tensors", lambda: torch_tensor([t3(), t3()]), TypeError, r"torch_stack|torch_cat"),
    ("NaN into Long", lambda: torch_tensor([1, math.nan], dtype="long"), ValueError, r"NaN"),
    ("Inf into Int", lambda: torch_tensor([math.inf], dtype="int"), ValueError, r"Inf"),
    ("too big for Byte", lambda: torch_tensor([300], dtype="uint8"), OverflowError, r"out of range"),
    # indices
    ("NaN index", lambda: t3()[math.nan], IndexError, r"NaN"),
    ("fractional index", lambda: t3()[1.5], IndexError, r"1\.5|whole"),
    ("fractional vector", lambda: t3()[[1.5, 2]], IndexError, r"whole"),
    ("NaN in a vector", lambda: t3()[[1, math.nan]], IndexError, r"NaN"),
    ("index 0", lambda: t3()[0], IndexError, r"1.*found a 0|0"),
    ("0 in a vector", lambda: t3()[[0, 1]], IndexError, r"found a 0"),
    ("0 in a Long tensor", lambda: t3()[torch_tensor(np.array([0, 1], np.int32))], IndexError, r"found a 0"),
    ("slice from 0", lambda: t3()[0:2], IndexError, r"found a 0"),
    ("index past the end", lambda: t3()[4], IndexError, r"out of bounds.*size 3"),
    ("negative index past the start", lambda: t3()[-4], IndexError, r"out of bounds.*size 3"),
    ("vector past the end", lambda: t3()[[1, 9]], IndexError, r"9.*out of bounds"),
    ("row past the end", lambda: m23()[3, 1], IndexError, r"out of bounds.*size 2"),
    ("string index", lambda: t3()["a"], (IndexError, TypeError), r"'a'|index"),
    ("dict index", lambda: t3()[{}], (IndexError, TypeError), r"index"),
    ("object index", lambda: t3()[object()], (IndexError, TypeError), r"index"),
    ("complex index", lambda: t3()[1j], (IndexError, TypeError), r"index"),
    ("too many indices", lambda: t3()[1, 1], IndexError, r"too many indices"),
    ("two ellipses", lambda: m23()[..., ...], IndexError, r"single ellipsis"),
    ("drop not last", lambda: m23()[drop(False), 1], IndexError, r"drop"),
    ("drop of a number", lambda: drop(3), TypeError, r"TRUE or FALSE"),
    ("slice step 0", lambda: t3()[1:3:0], ValueError, r"step"),
    ("negative slice step", lambda: t3()[3:1:-1], ValueError, r"step"),
    ("mask of the wrong length", lambda: t3()[torch_tensor([True, False])], IndexError, r"mask"),
    ("Float tensor as index", lambda: t3()[torch_tensor([1.0, 2.0])], IndexError, r"Long or Bool"),
    ("write past the end", lambda: t3().__setitem__(5, 1.0), IndexError, r"out of bounds"),
    ("write at 0", lambda: t3().__setitem__(0, 1.0), IndexError, r"found a 0"),
    ("write a string", lambda: t3().__setitem__(1, "a"), TypeError, r"rhs|str"),
    ("write NaN into Long", lambda: torch_tensor(np.array([1, 2], np.int32)).__setitem__(1, math.nan),
     (ValueError, RuntimeError), r"NaN|overflow"),
    # sizes and dims
    ("negative size", lambda: torch_zeros(-1), RuntimeError, r"negative dimension -1"),
    ("negative size in a vector", lambda: torch_ones([2, -3]), RuntimeError, r"negative dimension -3"),
    ("fractional size", lambda: torch_zeros(2.5), TypeError, r"whole numbers.*2\.5"),
    ("string size", lambda: torch_zeros("a"), TypeError, r"whole numbers"),
    ("logical size", lambda: torch_zeros(True), TypeError, r"whole numbers"),
    ("NaN size", lambda: torch_zeros(math.nan), TypeError, r"whole numbers"),
    ("size too big", lambda: torch_zeros(2 ** 62), (ValueError, RuntimeError, MemoryError), r"big|memory"),
    ("view -2", lambda: t3().view(-2), RuntimeError, r"invalid shape dimension -2"),
    ("view 2.5", lambda: t3().view(2.5), TypeError, r"whole numbers"),
    ("view of the wrong size", lambda: t3().view(5), RuntimeError, r"invalid for input of size 3"),
    ("two -1 in a view", lambda: m23().view(-1, -1), RuntimeError, r"only one dimension can be inferred"),
    ("view that needs a copy", lambda: m23().t().view(6), RuntimeError, r"view size is not compatible"),
    ("reshape to a string", lambda: t3().reshape("a"), TypeError, r"whole numbers"),
    ("dim 0", lambda: t3().sum(dim=0), IndexError, r"1-based.*0|found 0"),
    ("dim out of range", lambda: t3().sum(dim=5), IndexError, r"out of range"),
    ("string dim", lambda: t3().sum(dim="a"), TypeError, r"dim must be an integer"),
    ("fractional dim", lambda: t3().sum(dim=1.5), TypeError, r"dim must be an integer"),
    ("arange with step 0", lambda: torch_arange(1, 5, 0), RuntimeError, r"step must be nonzero"),
    ("arange going the wrong way", lambda: torch_arange(5, 1, 1), RuntimeError, r"inconsistent with step sign"),
    ("arange to Inf", lambda: torch_arange(1, math.inf), ValueError, r"finite"),
    # dtypes and devices
    ("unknown dtype name", lambda: torch_tensor(1, dtype="float128"), ValueError, r"unknown dtype 'float128'"),
    ("dtype misspelt", lambda: torch_zeros(2, dtype="flaot"), ValueError, r"unknown dtype 'flaot'"),
    ("dtype as a number", lambda: torch_zeros(2, dtype=42), TypeError, r"dtype"),
    ("unknown device", lambda: torch_zeros(2, device="tpu"), ValueError, r"unknown device type 'tpu'"),
    ("device index not a number", lambda: torch_zeros(2, device="cuda:x"), ValueError, r"'cuda:x'"),
    ("cpu with an index", lambda: torch_device("cpu:1"), ValueError, r"cpu"),
    ("device as a number", lambda: torch_zeros(2, device=3), TypeError, r"device"),
    ("negative device index", lambda: torch_device("cuda", -1), ValueError, r"non-negative"),
    # shapes that don't fit together
    ("non-broadcastable add", lambda: t3() + torch_ones(4), RuntimeError, r"size of tensor a \(3\) must match.*\(4\)"),
    ("non-broadcastable compare", lambda: t3() > torch_ones(2), RuntimeError, r"must match the size"),
    ("mm of mismatched matrices", lambda: torch_ones(2, 3).mm(torch_ones(2, 3)), RuntimeError,
     r"cannot be multiplied \(2x3 and 2x3\)"),
    ("mm of a vector", lambda: t3().mm(torch_ones(3, 1)), RuntimeError, r"matrix"),
    ("matmul of mismatched vectors", lambda: t3().matmul(torch_ones(4)), RuntimeError, r"inconsistent tensor size"),
    ("mm of mixed dtypes", lambda: torch_ones(2, 2).mm(torch_ones(2, 2, dtype="double")), RuntimeError,
     r"same dtype|dtype"),
    ("cat of mismatched shapes", lambda: torch_cat([torch_ones(2, 3), torch_ones(3, 2)], 1), RuntimeError,
     r"Sizes of tensors must match"),
    ("copy_ of another shape", lambda: torch_ones(2, 3).copy_(torch_ones(3, 2)), RuntimeError, r"must match|size"),
    ("assign too many values", lambda: t3().__setitem__(slice(1, 2), torch_ones(3)), RuntimeError, r"shape mismatch"),
    ("expand to a smaller size", lambda: t3().expand([2]), RuntimeError, r"must match the existing size"),
    # in-place writes into elements that share memory (an expanded view)
    ("add_ on an expanded view", lambda: t3().expand([2, 3]).add_(1), RuntimeError, r"single memory location"),
    ("mul_ on an expanded view", lambda: t3().expand([2, 3]).mul_(2), RuntimeError, r"single memory location"),
    ("copy_ into an expanded view", lambda: t3().expand([2, 3]).copy_(torch_ones(2, 3)), RuntimeError,
     r"single memory location"),
    ("assign through an expanded view", lambda: t3().expand([2, 3]).__setitem__(Ellipsis, 1.0), RuntimeError,
     r"single memory location"),
    ("write a column of an expanded view", lambda: t3().expand([2, 3]).__setitem__((slice(None), 1), 1.0),
     RuntimeError, r"single memory location"),
    ("clamp_ on an expanded view", lambda: t3().expand([2, 3]).clamp_(min=0), RuntimeError, r"single memory location"),
    # in-place results that don't fit the tensor's dtype
    ("Float result into Long", lambda: torch_tensor(np.array([1], np.int32)).add_(1.5), RuntimeError,
     r"can't be cast to the desired output type Long"),
    ("sqrt_ of Long", lambda: torch_tensor(np.array([4], np.int32)).sqrt_(), RuntimeError, r"can't be cast"),
    ("integer division by zero", lambda: torch_tensor(np.array([4], np.int32)) // np.int32(0), RuntimeError,
     r"ZeroDivision"),
    ("bool subtraction", lambda: torch_tensor([True]) - torch_tensor([False]), RuntimeError, r"bool"),
    ("bool negation", lambda: -torch_tensor([True]), RuntimeError, r"bool"),
    # other misuse
    ("item of many", lambda: t3().item(), RuntimeError, r"3 elements"),
    ("truth value of many", lambda: bool(t3()), RuntimeError, r"ambiguous"),
    ("iterating", lambda: list(t3()), TypeError, r"iterating"),
    ("full with NaN into Long", lambda: torch_full([2], math.nan, dtype="long"), ValueError, r"NaN"),
]


@pytest.mark.parametrize("what, call, exc, words", CASES, ids=[c[0] for c in CASES])
def test_bad_input_raises_a_clear_error(what, call, exc, words, no_hang):
    with pytest.raises(exc) as info:
        call()
    assert str(info.value).strip(), f"{what}: the error has no message"
    assert __import__("re").search(words, str(info.value)), f"{what}: {info.value!r} doesn't say {words!r}"


def test_bad_writes_leave_the_tensor_unchanged(no_hang):
    x = t3()
    for bad in (lambda: x.__setitem__(5, 9.0), lambda: x.__setitem__([1, 0], 9.0), lambda: x.add_(torch_ones(2)),
                lambda: x.__setitem__(slice(1, 2), torch_ones(3))):
        with pytest.raises(CLEAN):
            bad()
    assert rtorch.as_array(x).tolist() == [1.0, 2.0, 3.0]


def test_out_of_range_index_is_not_clamped_or_wrapped():
    """A position past the end must fail rather than return the last element (or wrap around)."""
    x = m23()
    for index in [(3,), (1, 4), (-3,), (1, -4), ([1, 3],), (1, [1, 2, 4])]:
        with pytest.raises(IndexError, match="out of bounds"):
            x[index]


# ---- mixing devices: a stand-in CUDA array, as no GPU is needed to check the guard ---------------------

class _FakeCudaArray(np.ndarray):
    """A host array that says it lives on cuda:0 (only the device checks look at it)."""


@pytest.fixture
def cuda_tensor(monkeypatch):
    import rtorch._tensor as tensor_module
    real = tensor_module.device_of

    def device_of(array):
        return torch_device("cuda", 0) if isinstance(array, _FakeCudaArray) else real(array)
    monkeypatch.setattr(tensor_module, "device_of", device_of)
    from rtorch._tensor import wrap
    return wrap(np.arange(3, dtype=np.float32).view(_FakeCudaArray))


MIXED = [
    ("add", lambda c, g: c + g),
    ("add, other way", lambda c, g: g + c),
    ("compare", lambda c, g: c > g),
    ("mul method", lambda c, g: c.mul(g)),
    ("in-place add", lambda c, g: c.add_(g)),
    ("mm", lambda c, g: c.view(c_(1, 3)).mm(g.view(c_(3, 1)))),
    ("matmul", lambda c, g: c.matmul(g)),
    ("cat", lambda c, g: torch_cat([c, g])),
    ("assign", lambda c, g: c.__setitem__(slice(1, 3), g)),
    ("index with a tensor elsewhere", lambda c, g: c.index_select(1, g.long())),
    ("where", lambda c, g: rtorch.torch_where(c > 0, c, g)),
]


def c_(*v):
    return list(v)


@pytest.mark.parametrize("what, call", MIXED, ids=[m[0] for m in MIXED])
def test_mixing_devices_is_an_error(cuda_tensor, what, call, no_hang):
    cpu = torch_tensor([1.0, 2.0, 3.0])
    assert cuda_tensor.device == torch_device("cuda", 0)
    with pytest.raises(RuntimeError, match=r"same device|devices?"):
        call(cpu, cuda_tensor)


def test_cuda_without_a_gpu_says_so():
    if rtorch.cuda_is_available():
        pytest.skip("a GPU is usable here")
    with pytest.raises(RuntimeError, match="CUDA"):
        torch_zeros(2, device="cuda")
    with pytest.raises(RuntimeError, match="CUDA"):
        t3().cuda()


# ---- anything at all: only clean errors ----------------------------------------------------------------

# sizes a test can allocate, or so big that allocation fails at once (N, 2^31 - 1, would fill gigabytes)
_affordable = st.floats().filter(lambda v: not 1e5 < abs(v) < 1e15)
junk = st.one_of(
    st.none(), st.booleans(), st.integers(-10, 10), _affordable, st.complex_numbers(),
    st.integers(-10 ** 5, 10 ** 5), st.integers(2 ** 62, 2 ** 70), st.integers(-2 ** 70, -2 ** 62),
    st.text(max_size=3), st.binary(max_size=3), st.just(object()), st.just(Ellipsis),
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=2),
    st.lists(st.one_of(st.integers(-4, 4), _affordable, st.booleans(), st.text(max_size=1), st.none()), max_size=4),
    st.lists(st.lists(st.integers(-3, 3), max_size=3), max_size=3),
    st.builds(slice, st.one_of(st.none(), st.integers(-4, 4), _affordable),
              st.one_of(st.none(), st.integers(-4, 4)), st.one_of(st.none(), st.integers(-2, 3))),
    st.tuples(st.integers(-3, 3), st.one_of(st.none(), st.text(max_size=1), _affordable)),
    st.sampled_from([np.nan, np.int32(2), np.float64(1.5), np.array([1, 2]), np.array([[True]]), np.array("a")]),
)

ENTRY_POINTS = {
    "torch_tensor(x)": lambda x: torch_tensor(x),
    "torch_tensor(1, dtype = x)": lambda x: torch_tensor(1, dtype=x),
    "torch_zeros(x)": lambda x: torch_zeros(x),
    "torch_ones(2, device = x)": lambda x: torch_ones(2, device=x),
    "torch_full(x, 1)": lambda x: torch_full(x, 1),
    "t[x]": lambda x: m23()[x],
    "t[1, x]": lambda x: m23()[1, x],
    "t[x] <- 1": lambda x: m23().__setitem__(x, 1.0),
    "t[1] <- x": lambda x: m23().__setitem__(1, x),
    "t + x": lambda x: m23() + x,
    "t$view(x)": lambda x: m23().view(x),
    "t$sum(dim = x)": lambda x: m23().sum(dim=x),
    "t$to(dtype = x)": lambda x: m23().to(dtype=x),
    "t$permute(x)": lambda x: m23().permute(x),
    "t$expand(x)": lambda x: m23().expand(x),
    "t$mm(x)": lambda x: m23().mm(x),
}


@given(st.sampled_from(sorted(ENTRY_POINTS)), junk)
def test_junk_input_fails_cleanly_or_works(entry, x):
    """Any value at all: a tensor comes back, or one of the ordinary exceptions with a message."""
    with np.errstate(all="ignore"), deadline():
        try:
            out = ENTRY_POINTS[entry](x)
        except CLEAN as exc:
            assert str(exc).strip(), f"{entry} with {x!r}: {type(exc).__name__} without a message"
            return
        except MemoryError:
            return
    assert out is None or isinstance(out, rtorch.Tensor), f"{entry} with {x!r} gave {type(out).__name__}"
