"""Devices, and the one place that picks the array module (NumPy or CuPy) for a device."""
import functools

import numpy as np

from ._scoped import defer, frame_of, run_scoped


class torch_device:
    """R torch's device: `torch_device("cpu")`, `torch_device("cuda:0")`, `torch_device(type="cuda", index=0)`."""

    __slots__ = ("type", "index")

    def __init__(self, type="cpu", index=None):
        if isinstance(type, torch_device):
            type, index = type.type, type.index if index is None else index
        if not isinstance(type, str):
            raise TypeError(f"device must be a string such as \"cpu\" or \"cuda\", not {type!r}")
        name, _, idx = type.partition(":")
        if name not in ("cpu", "cuda"):
            raise ValueError(f"unknown device type {type!r}: rtorch supports \"cpu\" and \"cuda\"")
        if idx:
            if index is not None:
                raise ValueError(f"device {type!r} already names an index; don't pass index= too")
            if not idx.isdigit():
                raise ValueError(f"invalid device string {type!r}: the index must be a non-negative integer")
            index = int(idx)
        if index is not None:
            if int(index) != index or index < 0:
                raise ValueError(f"device index must be a non-negative integer, not {index!r}")
            index = int(index)
            if name == "cpu" and index != 0:
                raise ValueError("the cpu device has only index 0")
        self.type = name
        self.index = index

    def __repr__(self):
        if self.index is None:
            return f"torch_device(type='{self.type}')"
        return f"torch_device(type='{self.type}', index={self.index})"

    __str__ = __repr__

    def _r_print(self):
        """What R torch's `print()` writes: `cat(s, "\\n")`, so a space precedes the newline."""
        return f"{self!r} \n"

    def __eq__(self, other):
        if isinstance(other, str):
            other = torch_device(other)
        return isinstance(other, torch_device) and (self.type, self.index) == (other.type, other.index)

    def __hash__(self):
        return hash((self.type, self.index))

    @property
    def short(self):
        """libtorch's short form used in error messages: `cpu`, `cuda:0`."""
        return self.type if self.index is None else f"{self.type}:{self.index}"


CPU = torch_device("cpu")


def is_torch_device(x):
    """R torch's `is_torch_device()`."""
    return isinstance(x, torch_device)


@functools.lru_cache(maxsize=None)
def _cupy():
    try:
        import cupy
        if cupy.cuda.runtime.getDeviceCount() < 1:
            return None
        cupy.zeros(1)
        return cupy
    except Exception:
        return None


def cuda_is_available():
    """TRUE only where CuPy imports and a CUDA device answers."""
    return _cupy() is not None


def cuda_device_count():
    cp = _cupy()
    return 0 if cp is None else int(cp.cuda.runtime.getDeviceCount())


_DEFAULT_DEVICE = [None]


def as_device(device):
    """Resolve a device argument (None means the default device: the CPU unless `local_device()` says
    otherwise); a usable CUDA device gets its index filled in."""
    if device is None:
        return CPU if _DEFAULT_DEVICE[0] is None else _DEFAULT_DEVICE[0]
    dev = device if isinstance(device, torch_device) else torch_device(device)
    if dev.type == "cuda":
        count = cuda_device_count()
        if count == 0:
            raise RuntimeError(
                "CUDA device requested but no GPU is usable: cuda_is_available() is FALSE "
                "(rtorch runs CUDA tensors through CuPy; install the 'gpu' extra on a machine with an NVIDIA GPU)")
        index = 0 if dev.index is None else dev.index
        if index >= count:
            raise RuntimeError(f"CUDA device index {index} is out of range: {count} device(s) available")
        return torch_device("cuda", index)
    return CPU


def array_module(device):
    """NumPy for the CPU, CuPy for CUDA devices."""
    return np if device.type == "cpu" else _cupy()


def device_of(array):
    """The device an array lives on, from its type (NumPy: cpu; CuPy: cuda:k)."""
    if isinstance(array, np.ndarray):
        return CPU
    return torch_device("cuda", array.device.id)


def to_host(array):
    return array if isinstance(array, np.ndarray) else array.get()


def to_device_array(array, device):
    """Move an array to `device` (callers ask only when it changes device); CuPy copies an array from
    another GPU onto the current one."""
    if device.type == "cpu":
        return to_host(array)
    cp = _cupy()
    with cp.cuda.Device(device.index):
        return cp.asarray(array) if type(array) is np.ndarray else array.copy()


# ---- threads ---------------------------------------------------------------------------------------------
# libtorch's intra-op and inter-op thread counts. NumPy takes its threads from its BLAS, fixed when it loads:
# rtorch keeps the counts R torch's getters return and its setters check, and changes no computation.

def _default_threads():
    import os
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


_THREADS = {}


def _thread_count(name, n):
    if isinstance(n, (bool, np.bool_)) or not isinstance(n, (int, np.integer)) and not (
            isinstance(n, (float, np.floating)) and float(n).is_integer()):
        raise RuntimeError(f"{name} expects an int, but got {type(n).__name__}")
    if int(n) <= 0:
        raise RuntimeError(f"{name} expects a positive integer")
    return int(n)


def torch_get_num_threads():
    """libtorch's intra-op thread count (the CPUs this process may use until set); NumPy's own BLAS threads
    are not read or changed."""
    return _THREADS.get("intra", _default_threads())


def torch_set_num_threads(num_threads):
    """Sets the count `torch_get_num_threads()` returns (a positive whole number, libtorch's check)."""
    _THREADS["intra"] = _thread_count("set_num_threads", num_threads)


def torch_get_num_interop_threads():
    """libtorch's inter-op thread count; rtorch runs no inter-op pool, so this is only the recorded count."""
    return _THREADS.get("interop", _default_threads())


def torch_set_num_interop_threads(num_threads):
    """Sets the count `torch_get_num_interop_threads()` returns (a positive whole number)."""
    _THREADS["interop"] = _thread_count("set_num_interop_threads", num_threads)


def local_device(device, env=None):
    """R torch's `local_device(device, .env = parent.frame())`: the device that creation functions use when
    given none, until the calling function returns (see `rtorch._scoped`). rtorch checks the device here;
    libtorch, when a tensor is made on it."""
    env = frame_of(env)
    dev = as_device(device)
    saved = _DEFAULT_DEVICE[0]
    _DEFAULT_DEVICE[0] = dev
    defer(lambda: _DEFAULT_DEVICE.__setitem__(0, saved), env)


class _DeviceScope:
    __slots__ = ("device", "saved")

    def __init__(self, device):
        self.device = as_device(device)
        self.saved = []

    def __enter__(self):
        self.saved.append(_DEFAULT_DEVICE[0])
        _DEFAULT_DEVICE[0] = self.device
        return self

    def __exit__(self, *exc):
        _DEFAULT_DEVICE[0] = self.saved.pop()
        return False


def with_device(code=None, *, device):
    """R torch's `with_device(code, device = )`: `with with_device(device="cpu"): ...`, or a function of no
    arguments as `code`, called with that default device (its value is returned)."""
    scope = _DeviceScope(device)
    return run_scoped(scope, code)


# -- R torch's cuda_* functions: libtorch's answers (or errors) where no CUDA device is usable ---------------

def cuda_current_device():
    """The index of the current CUDA device; -1 without CUDA, as libtorch's CPU-only hooks answer."""
    cp = _cupy()
    return -1 if cp is None else int(cp.cuda.runtime.getDevice())


def cuda_synchronize(device=None):
    """Wait for the kernels on `device` (default: the current one) to complete."""
    cp = _cupy()
    if cp is None:
        raise RuntimeError("No CUDA GPUs are available")
    index = -1 if device is None else int(device)
    if not (index == -1 or index < cuda_device_count()):
        raise RuntimeError(f"Device index out of range: {index}")
    cp.cuda.Device(cp.cuda.runtime.getDevice() if index == -1 else index).synchronize()


def cuda_get_device_capability(device=None):
    """`c(Major = , Minor = )` of `device` (default: the current one), as a dict."""
    device = cuda_current_device() if device is None else device
    if device < 0 or device >= cuda_device_count():
        raise ValueError("device must be an integer between 0 and the number of devices minus 1")
    major, minor = divmod(int(_cupy().cuda.Device(int(device)).compute_capability), 10)
    return {"Major": major, "Minor": minor}


def _version(v, minor_unit):
    major = v // 1000
    minor = (v - major * 1000) // minor_unit
    return (major, minor, v - major * 1000 - minor * minor_unit)


def cuda_runtime_version():
    """The CUDA runtime's version, R's `numeric_version` as a tuple `(major, minor, patch)`."""
    cp = _cupy()
    if cp is None:
        raise RuntimeError("`cuda_device_stats` is only supported on CUDA runtimes.")
    return _version(int(cp.cuda.runtime.runtimeGetVersion()), 10)


def cuda_empty_cache():
    """Release the cached, unused GPU memory (CuPy's memory pools, rtorch's caching allocator)."""
    cp = _cupy()
    if cp is None:
        raise RuntimeError("`cuda_empty_cache` is only supported on CUDA runtimes.")
    cp.get_default_memory_pool().free_all_blocks()
    cp.get_default_pinned_memory_pool().free_all_blocks()


_STATS = ("current", "peak", "allocated", "freed")
_POOLS = ("all", "small_pool", "large_pool")
_POOLED = ("allocation", "segment", "active", "inactive_split", "allocated_bytes", "reserved_bytes",
           "active_bytes", "inactive_split_bytes")


def cuda_memory_stats(device=None):
    """R torch's `cuda_memory_stats()`: its 13 entries, nested as R nests them. rtorch's allocator is CuPy's
    memory pool, which counts only the bytes in use and the bytes held: `allocated_bytes$all$current` and
    `reserved_bytes$all$current`; the other counts of libtorch's allocator are None (NA)."""
    cp = _cupy()
    if cp is None:
        raise RuntimeError("CUDA is not available.")
    index = cuda_current_device() if device is None else int(device)
    with cp.cuda.Device(index):
        pool = cp.get_default_memory_pool()
        known = {("allocated_bytes", "current"): int(pool.used_bytes()),
                 ("reserved_bytes", "current"): int(pool.total_bytes())}
    out = {"num_alloc_retries": None, "num_ooms": None, "max_split_size": None,
           "oversize_allocations": dict.fromkeys(_STATS), "oversize_segments": dict.fromkeys(_STATS)}
    for name in _POOLED:
        out[name] = {pool_: {stat: known.get((name, stat)) if pool_ == "all" else None for stat in _STATS}
                     for pool_ in _POOLS}
    return out


def cuda_memory_summary(device=None):
    """Print `cuda_memory_stats(device)` and return it."""
    stats = cuda_memory_stats(device)
    print(stats)
    return stats


def _cuda_only(name):
    def fn(*args, **kwargs):
        if _cupy() is None:
            raise RuntimeError(f"`{name}` is only supported on CUDA runtimes.")
        raise NotImplementedError(f"{name}(): rtorch's CUDA memory is CuPy's pool, which records no history")
    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = f"R torch's `{name}()`, which needs libtorch's CUDA caching allocator."
    return fn


cuda_record_memory_history = _cuda_only("cuda_record_memory_history")
cuda_memory_snapshot = _cuda_only("cuda_memory_snapshot")


def cuda_dump_memory_snapshot(filepath):
    """R torch's `cuda_dump_memory_snapshot(filepath)`: writes `cuda_memory_snapshot()` to a file."""
    snapshot = cuda_memory_snapshot()
    with open(filepath, "wb") as f:
        f.write(snapshot)
