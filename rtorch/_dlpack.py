"""Zero-copy hand-off through DLPack: `t.__dlpack__()` / `t.__dlpack_device__()` (so `np.from_dlpack(t)`,
`torch.from_dlpack(t)`, `cupy.from_dlpack(t)`, `jax.dlpack.from_dlpack(t)` share the tensor's memory) and
`torch_from_dlpack(x)`, a tensor sharing the memory of any DLPack producer (NumPy, PyTorch, JAX, CuPy).
R torch has `torch_from_dlpack`-free interop only through its C++ side; this is an rtorch extra. As in
PyTorch, a tensor that requires grad is not exported (detach it first)."""
import numpy as np

from ._tensor import Tensor, wrap

_CUDA = 2   # DLPack device type kDLCUDA


def _dlpack(self, *, stream=None, max_version=None, dl_device=None, copy=None):
    if self.requires_grad:
        raise RuntimeError("Can't export tensors that require gradient, use tensor.detach()")
    kwargs = {k: v for k, v in (("stream", stream), ("max_version", max_version), ("dl_device", dl_device),
                                ("copy", copy)) if v is not None}
    return self._data.__dlpack__(**kwargs)


def _dlpack_device(self):
    return self._data.__dlpack_device__()


def torch_from_dlpack(x):
    """`torch_from_dlpack(x)`: an rtorch tensor sharing `x`'s memory (`x` implements `__dlpack__`); CUDA
    producers give a CUDA tensor on CuPy."""
    if isinstance(x, Tensor):
        return x
    if not hasattr(x, "__dlpack_device__"):
        raise TypeError(f"torch_from_dlpack: an object of type '{type(x).__name__}' does not implement the "
                        "DLPack protocol (__dlpack__ / __dlpack_device__)")
    if x.__dlpack_device__()[0] == _CUDA:
        import cupy
        return wrap(cupy.from_dlpack(x))
    return wrap(np.from_dlpack(x))


Tensor.__dlpack__ = _dlpack
Tensor.__dlpack_device__ = _dlpack_device
