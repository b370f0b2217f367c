"""Devices, and the one place that picks the array module (NumPy or CuPy) for a device."""
import functools

import numpy as np


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


def as_device(device):
    """Resolve a device argument (None means the CPU); a usable CUDA device gets its index filled in."""
    if device is None:
        return CPU
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
