"""The tensor object: a NumPy/CuPy array plus what R torch adds (dtype, device, 1-based view).

Methods are bound in `_methods.py` from the rows of the op table (`_ops.py`), so this class stays thin.
"""
import numpy as np

from ._devices import CPU, device_of
from ._dtypes import BY_NUMPY
from ._layouts import STRIDED


class Tensor:
    """R torch's `torch_tensor`. Build one with `torch_tensor()` or another creation function."""

    __slots__ = ("_data", "dtype", "__dict__", "__weakref__")
    __array_priority__ = 1000
    _r_class = ("torch_tensor", "R7")
    # autograd's per-tensor state (rtorch/autograd): class defaults, set on the instance only when used
    _rg = False          # requires grad: a leaf marked so, or the output of a recorded operation
    grad_fn = None       # the node that made this tensor (NULL for leaves)
    _out_nr = 0          # which output of grad_fn this is
    _grad = None
    _vc = None           # version counter [n], shared with views; made when a tensor is saved for backward
    _base = None         # the tensor this one is a view of, where autograd recorded the view
    _acc = None          # a weak reference to a leaf's AccumulateGrad node

    def __init__(self, data):
        wrap(data, self)

    @property
    def device(self):
        data = self._data
        return CPU if type(data) is np.ndarray else device_of(data)

    @property
    def shape(self):
        return self._data.shape

    @property
    def layout(self):
        """`x$layout`: `torch_strided` (rtorch has no sparse tensors)."""
        return STRIDED

    @property
    def ndim(self):
        return self._data.ndim

    @property
    def requires_grad(self):
        return self._rg

    @requires_grad.setter
    def requires_grad(self, value):
        if value == self._rg:
            return
        if self.grad_fn is not None:
            raise RuntimeError("you can only change requires_grad flags of leaf variables. If you want to use "
                               "a computed variable in a subgraph that doesn't require differentiation use "
                               "var_no_grad = var.detach().")
        if value and self.dtype.category < 2:
            raise RuntimeError("only Tensors of floating point dtype can require gradients")
        if value and _first_requires_grad is not None:
            _first_requires_grad()
        self._rg = bool(value)

    @property
    def grad(self):
        """An undefined tensor until a backward reaches this leaf (or a non-leaf that retains its grad)."""
        g = self._grad
        return UNDEFINED if g is None else g

    @grad.setter
    def grad(self, value):
        if value is not None and not is_undefined_tensor(value):
            if not isinstance(value, Tensor):
                raise TypeError("assigned grad expected to be a Tensor")
            if value.shape != self.shape:
                raise RuntimeError("assigned grad has data of a different size")
        self._grad = None if value is None or is_undefined_tensor(value) else value

    @property
    def is_leaf(self):
        return self.grad_fn is None

    @property
    def _version(self):
        vc = self._vc
        return 0 if vc is None else vc[0]

    @property
    def is_cuda(self):
        return type(self._data) is not np.ndarray

    def __len__(self):
        if self._data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self._data.shape[0]

    def __iter__(self):
        raise TypeError("iterating over a tensor is ambiguous in rtorch (indices are 1-based); "
                        "index it with t[i] or convert it with as_array(t)")

    def __bool__(self):
        if self._data.size != 1:
            raise RuntimeError("Boolean value of Tensor with more than one value is ambiguous")
        return bool(self._data)

    def __float__(self):
        return float(self.item())

    def __int__(self):
        return int(self.item())

    def __index__(self):
        if self.dtype.category > 1 or self._data.size != 1:
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return int(self._data.reshape(()))

    def __array__(self, dtype=None, copy=None):
        from ._devices import to_host
        arr = to_host(self._data)
        if dtype is not None and arr.dtype != dtype:
            return arr.astype(dtype)
        return arr

    def __repr__(self):
        return text(self).rstrip("\n")

    __str__ = __repr__

    __hash__ = object.__hash__


def text(t, n=30):
    """R torch's `print(t, n)` text: libtorch's lines (the first `n`), the footer, the requires_grad note."""
    from ._printing import format_tensor
    from ._devices import to_host
    prefix = "CPU" if type(t._data) is np.ndarray else "CUDA"
    node = t.grad_fn
    return format_tensor(to_host(t._data), f"{prefix}{t.dtype.name}Type", n, requires_grad=t._rg,
                         grad_fn=None if node is None else node.name)


_new = object.__new__
_first_requires_grad = None  # set by rtorch.autograd: switches the tensor methods to their recorded forms


def wrap(array, out=None):
    """Wrap an array (no copy) as a tensor; NumPy scalars from 0-d results become 0-d arrays."""
    if type(array) is not np.ndarray and (not hasattr(array, "ndim") or isinstance(array, np.generic)):
        array = np.asarray(array)
    t = _new(Tensor) if out is None else out
    t._data = array
    try:
        t.dtype = BY_NUMPY[array.dtype]
    except KeyError:
        raise TypeError(f"arrays of dtype {array.dtype} cannot be tensors") from None
    return t


def wrap_as(array, dtype):
    """`wrap` for the hot path, where the caller knows the result's dtype."""
    if type(array) is not np.ndarray:
        return wrap(array)
    t = _new(Tensor)
    t._data = array
    t.dtype = dtype
    return t


def is_tensor(x):
    return isinstance(x, Tensor)


class UndefinedTensor:
    """libtorch's undefined tensor, what R torch's `x$grad` is before a backward reaches `x`."""
    __slots__ = ()

    def __repr__(self):
        return "torch_tensor\n[ Tensor (undefined) ]"

    __str__ = __repr__

    def __bool__(self):
        raise RuntimeError("Boolean value of an undefined Tensor is not defined")

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        raise RuntimeError(f"the tensor is undefined (no gradient has been computed yet): cannot call ${name}")


UNDEFINED = UndefinedTensor()


def is_undefined_tensor(x):
    """R torch's `is_undefined_tensor()`."""
    return x is UNDEFINED
