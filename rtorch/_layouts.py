"""R torch's small tensor-attribute objects besides dtypes and devices: layouts, memory formats and
quantization schemes. Each is one of a fixed set, named as libtorch (through R torch's lantern) names it,
prints as R torch's `print()` does (`cat("torch_", name, sep = "")`, no newline) and compares with `==`."""
import numpy as np


class _Attribute:
    __slots__ = ("name",)
    _suffix = ""

    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return f"torch_{self.name}{self._suffix}"

    __str__ = __repr__

    def _r_print(self):
        return repr(self)

    def __eq__(self, other):
        return type(other) is type(self) and other.name == self.name

    def __ne__(self, other):
        return not self == other

    def __hash__(self):
        return hash((type(self).__name__, self.name))

    def __reduce__(self):
        return (type(self), (self.name,))


class torch_layout(_Attribute):
    """`torch_strided()`, `torch_sparse_coo()`; a tensor's `x$layout`. rtorch's tensors are all strided."""
    __slots__ = ()
    _r_class = ("torch_layout", "R7")


class torch_memory_format(_Attribute):
    """`torch_contiguous_format()`, `torch_channels_last_format()`, `torch_preserve_format()`: what
    `x$contiguous(memory_format = )` lays out and `x$is_contiguous(memory_format = )` checks."""
    __slots__ = ()
    _r_class = ("torch_memory_format", "R7")
    _suffix = "_format"


class torch_qscheme(_Attribute):
    """`torch_per_tensor_affine()` and the other quantization schemes (objects only: rtorch has no
    quantized tensors)."""
    __slots__ = ()
    _r_class = ("torch_qscheme", "R6")


STRIDED, SPARSE_COO = torch_layout("strided"), torch_layout("sparse_coo")
CONTIGUOUS, PRESERVE, CHANNELS_LAST = (torch_memory_format(n) for n in ("contiguous", "preserve", "channels_last"))


def torch_strided(): return STRIDED
def torch_sparse_coo(): return SPARSE_COO
def torch_contiguous_format(): return CONTIGUOUS
def torch_preserve_format(): return PRESERVE
def torch_channels_last_format(): return CHANNELS_LAST
def torch_per_channel_affine(): return torch_qscheme("per_channel_affine")
def torch_per_tensor_affine(): return torch_qscheme("per_tensor_affine")
def torch_per_channel_symmetric(): return torch_qscheme("per_channel_symmetric")
def torch_per_tensor_symmetric(): return torch_qscheme("per_tensor_symmetric")


def is_torch_layout(x):
    return isinstance(x, torch_layout)


def is_torch_memory_format(x):
    return isinstance(x, torch_memory_format)


def is_torch_qscheme(x):
    return isinstance(x, torch_qscheme)


def as_memory_format(x):
    """A `memory_format` argument: a torch_memory_format, or None for contiguous."""
    if x is None:
        return CONTIGUOUS
    if not isinstance(x, torch_memory_format):
        raise TypeError(f"memory_format must be a torch_memory_format such as torch_contiguous_format(), "
                        f"not {x!r}")
    return x


def is_channels_last(shape, strides):
    """libtorch's channels-last contiguity (strides in elements): NHWC order, dims of size 1 not counted;
    only 4-d tensors have it."""
    if len(shape) != 4:
        return False
    expected = 1
    for d in (1, 3, 2, 0):
        if shape[d] != 1:
            if strides[d] != expected:
                return False
            expected *= shape[d]
    return True


def _strides(array):
    return tuple(s // array.itemsize for s in array.strides)


def is_laid_out(array, memory_format):
    """`x$is_contiguous(memory_format = )` of an array (NumPy's or CuPy's)."""
    if memory_format is CHANNELS_LAST:
        return is_channels_last(array.shape, _strides(array))
    return bool(array.flags.c_contiguous)


def lay_out(array, memory_format, name="contiguous"):
    """The array itself where it is laid out as `memory_format` says, else a copy that is (libtorch's
    errors for a channels-last format of a tensor that is not 4-d, and for preserve in `contiguous`).
    `name`: "contiguous" (itself when libtorch's contiguity check passes), "to" (itself only when its
    strides are the format's own), "clone" (always a copy)."""
    memory_format = as_memory_format(memory_format)
    if memory_format is CHANNELS_LAST and array.ndim != 4:
        raise RuntimeError("required rank 4 tensor to use channels_last format")
    if memory_format is PRESERVE:
        if name == "contiguous" and not array.flags.c_contiguous:
            raise RuntimeError("preserve memory format is unsupported by the contiguous operator")
        return array.copy(order="K") if name == "clone" else array
    if name == "contiguous" and is_laid_out(array, memory_format):
        return array
    if memory_format is CHANNELS_LAST:
        if name == "to" and _strides(array) == channels_last_strides(array.shape):
            return array
        out = array.transpose(0, 2, 3, 1).copy(order="C").transpose(0, 3, 1, 2)
        if type(out) is np.ndarray:  # the strides libtorch gives size-1 dims too (NumPy's differ there)
            out = np.lib.stride_tricks.as_strided(out, out.shape,
                                                  tuple(s * out.itemsize for s in channels_last_strides(out.shape)))
        return out
    if name == "to" and array.flags.c_contiguous:
        return array
    return array.copy(order="C")


def channels_last_strides(shape):
    """libtorch's get_channels_last_strides_2d (in elements): C fastest, then W, H, N."""
    c, h, w = shape[1], shape[2], shape[3]
    return (h * w * c, 1, w * c, c)
