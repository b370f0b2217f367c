"""Shapes, views and storage, zero-copy where libtorch makes no copy; the writes into a tensor's storage
(`fill_`, `copy_`, ...); `cat` and `stack`; complex views. Dims are 1-based. The functions that combine
lists of tensors in other ways are in `_combining.py`, the index- and mask-taking ops in `_selection.py`."""
import numbers

import numpy as np

from ._devices import to_device_array
from ._dtypes import COMPLEX
from ._layouts import as_memory_format, is_laid_out, lay_out
from ._tensor import Tensor, wrap, wrap_as
from ._creation import torch_full, torch_tensor
from ._indexing import ZERO_INDEX, dim0
from ._scalars import _check_device, _shape_text, _sizes, _writable, broadcast_error, scalar_into, value_array


def _infer(shape, numel):
    if shape.count(-1) > 1:
        raise RuntimeError("only one dimension can be inferred")
    if any(s < -1 for s in shape):
        raise RuntimeError(f"invalid shape dimension {min(shape)}")
    known = int(np.prod([s for s in shape if s != -1]))
    if -1 in shape:
        if known == 0 or numel % known:
            raise RuntimeError(f"shape '{_shape_text(shape)}' is invalid for input of size {numel}")
        shape = tuple(numel // known if s == -1 else s for s in shape)
    elif known != numel:
        raise RuntimeError(f"shape '{_shape_text(shape)}' is invalid for input of size {numel}")
    return shape


def _sizes_or_keyword(sizes, keyword, name):
    """R torch names the sizes argument (`x$view(size = ...)`, `x$reshape(shape = ...)`); positional too.
    Called only when the keyword is given, so the positional call pays nothing."""
    if sizes:
        raise TypeError(f"{name} given both positional sizes and {name} =")
    return (keyword,)


def view(self, *size_, size=None):
    """A view with new sizes; libtorch's error when the strides can't express it without a copy."""
    data = self._data
    shape = _infer(_sizes(size_ if size is None else _sizes_or_keyword(size_, size, "size")), data.size)
    try:
        return wrap(data.reshape(shape, copy=False))
    except ValueError:
        raise RuntimeError("view size is not compatible with input tensor's size and stride (at least one "
                           "dimension spans across two contiguous subspaces). Use .reshape(...) instead.") from None


def reshape(self, *shape_, shape=None):
    """A view when the strides allow it, else a copy."""
    sizes = shape_ if shape is None else _sizes_or_keyword(shape_, shape, "shape")
    return wrap(self._data.reshape(_infer(_sizes(sizes), self._data.size)))


def view_as(self, other):
    return view(self, other.shape)


def squeeze(self, dim=None):
    data = self._data
    if dim is None:
        return wrap(data.reshape(tuple(s for s in data.shape if s != 1)) if data.ndim else data[...])
    axis = dim0(dim, data.ndim)
    if data.ndim == 0 or data.shape[axis] != 1:
        return wrap(data[...])
    return wrap(np.squeeze(data, axis))


def unsqueeze(self, dim):
    """Insert a size-1 dim at 1-based position `dim` (-1 appends)."""
    axis = dim0(dim, self._data.ndim + 1)
    return wrap(np.expand_dims(self._data, axis))


def t(self):
    data = self._data
    if data.ndim > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {data.ndim}D")
    return wrap_as(data.T, self.dtype)


def transpose(self, dim0_, dim1):
    """Swap two 1-based dims (a view); a 0-d tensor accepts dims 1 and -1 and is returned as a view."""
    data = self._data
    a, b = dim0(dim0_, data.ndim), dim0(dim1, data.ndim)
    return wrap(np.swapaxes(data, a, b) if data.ndim else data[...])


def permute(self, *dims):
    n = self._data.ndim
    dims = _sizes(dims)
    if 0 in dims:
        raise IndexError(ZERO_INDEX)
    axes = [dim0(d, n) for d in dims]
    if len(axes) != n:
        raise RuntimeError(f"permute(sparse_coo): number of dimensions in the tensor input does not match the "
                           f"length of the desired ordering of dimensions i.e. input.dim() = {n} is not equal to "
                           f"len(dims) = {len(axes)}")
    if len(set(axes)) != n:
        raise RuntimeError("permute(): duplicate dims are not allowed.")
    return wrap(self._data.transpose(axes))


def flatten(self, start_dim=1, end_dim=-1):
    data = self._data
    if data.ndim == 0:
        return wrap(data.reshape(1))
    a, b = dim0(start_dim, data.ndim), dim0(end_dim, data.ndim)
    if a > b:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    shape = data.shape[:a] + (int(np.prod(data.shape[a:b + 1])),) + data.shape[b + 1:]
    return wrap(data.reshape(shape))


def expand(self, *size, implicit=False):
    """A view with stride 0 on expanded dims, which in-place ops refuse as libtorch does (a row of it is
    writable); -1 keeps a size. R's
    `x$expand(c(2, 3), TRUE)` passes `implicit` second, which has no effect without autograd."""
    if len(size) == 2 and isinstance(size[1], (bool, np.bool_)) and isinstance(size[0], (list, tuple, np.ndarray)):
        size = size[:1]
    data = self._data
    shape = list(_sizes(size))
    if len(shape) < data.ndim:
        raise RuntimeError(f"expand(torch.FloatTensor{{{_shape_text(data.shape)}}}, size={_shape_text(shape)}): "
                           "the number of sizes provided must be greater or equal to the number of dimensions in the tensor")
    off = len(shape) - data.ndim
    for i, s in enumerate(data.shape):
        if shape[off + i] == -1:
            shape[off + i] = s
        elif s != 1 and s != shape[off + i]:
            target = size if not isinstance(size[0], (list, tuple, np.ndarray)) else np.ravel(size[0]).tolist()
            raise RuntimeError(f"The expanded size of the tensor ({shape[off + i]}) must match the existing size "
                               f"({s}) at non-singleton dimension {off + i}.  Target sizes: {_shape_text(target)}.  "
                               f"Tensor sizes: {_shape_text(data.shape)}")
    if type(data) is not np.ndarray:
        return wrap(np.broadcast_to(data, tuple(shape)))
    strides = [0] * off + [0 if n == 1 and shape[off + i] != 1 else st
                           for i, (n, st) in enumerate(zip(data.shape, data.strides))]
    return wrap(np.lib.stride_tricks.as_strided(data, tuple(shape), tuple(strides)))


def expand_as(self, other):
    return expand(self, other.shape)


def contiguous(self, memory_format=None):
    """`x$contiguous(memory_format = torch_contiguous_format())`: `x` itself when it is laid out so, else a
    copy that is (`torch_channels_last_format()`: NHWC strides, 4-d tensors only)."""
    data = self._data
    if memory_format is None:
        return self if data.flags.c_contiguous else wrap(data.copy(order="C"))
    out = lay_out(data, memory_format)
    return self if out is data else wrap_as(out, self.dtype)


def is_contiguous(self, memory_format=None):
    """`x$is_contiguous()`; R torch's takes no argument, rtorch's also libtorch's `memory_format =`."""
    if memory_format is None:
        return bool(self._data.flags.c_contiguous)
    return is_laid_out(self._data, as_memory_format(memory_format))


def stride(self, dim=None):
    """Strides in elements (R torch's form); with `dim`, that dim's (1-based)."""
    data = self._data
    st = tuple(s // data.itemsize for s in data.strides)
    return st if dim is None else st[dim0(dim, data.ndim)]


class Size(tuple):
    """`t$size()`: a tuple of ints that the R helpers (`rprint`, `c`, `cat`) read as R torch's integer vector,
    so the size of a 0-d tensor prints `integer(0)`, as in R."""

    __slots__ = ()
    _r_integer = True


def size(self, dim=None):
    """The sizes (a `Size`); with `dim` (1-based), one of them."""
    shape = self._data.shape
    return Size(shape) if dim is None else shape[dim0(dim, len(shape))]


def resize_(self, *size):
    """`x$resize_(c(2, 2))`: `x` takes the new shape, keeping its first elements in row-major order; libtorch
    leaves the elements past the old ones uninitialised, rtorch zeroes them. The storage may be new (views
    taken before no longer alias `x`, as when libtorch reallocates)."""
    shape = _sizes(size)
    for d in shape:
        if d < 0:
            raise RuntimeError(f"Trying to create tensor with negative dimension {d}: [{', '.join(map(str, shape))}]")
    if self._rg:
        raise RuntimeError("cannot resize variables that require grad")
    _writable(self)
    old = self._data.reshape(-1)
    n = int(np.prod(shape, dtype=np.int64))
    if n <= old.size:
        new = old[:n].reshape(shape) if self._data.flags.c_contiguous else old[:n].copy().reshape(shape)
    else:
        new = np.zeros(n, dtype=old.dtype)
        if type(old) is not np.ndarray:
            new = to_device_array(new, self.device)
        new[:old.size] = old
        new = new.reshape(shape)
    self._data = new
    return self


def numel(self):
    return int(self._data.size)


def dim(self):
    return self._data.ndim


def element_size(self):
    return self._data.itemsize


def clone(self, memory_format=None):
    """A copy with its own storage (same strides order, or as `memory_format` lays it out); autograd records
    it as CloneBackward0."""
    data = self._data
    if memory_format is None:
        return wrap_as(data.copy(order="K"), self.dtype)
    return wrap_as(lay_out(data, memory_format, "clone"), self.dtype)


def item(self):
    """The single value as a Python number."""
    if self._data.size != 1:
        raise RuntimeError(f"a Tensor with {self._data.size} elements cannot be converted to Scalar")
    return self._data.item()


class Storage:
    """The memory a tensor views; `data_ptr()` is equal for tensors that share it."""

    __slots__ = ("_root",)

    def __init__(self, array):
        root = array
        while isinstance(getattr(root, "base", None), type(array)):
            root = root.base
        self._root = root

    def data_ptr(self):
        return f"0x{self._address():x}"

    def _address(self):
        root = self._root
        if isinstance(root, np.ndarray):
            return root.__array_interface__["data"][0]
        return root.data.ptr

    def size(self):
        return int(self._root.size)


def storage(self):
    return Storage(self._data)


def data_ptr(self):
    data = self._data
    if isinstance(data, np.ndarray):
        return f"0x{data.__array_interface__['data'][0]:x}"
    return f"0x{data.data.ptr:x}"


def _tensors(tensors):
    """A list of tensors; R vectors and arrays in it become tensors (`torch_tensor()`), as in R torch."""
    if isinstance(tensors, Tensor):
        raise TypeError("expected a list of tensors, got a single tensor")
    tensors = list(tensors)
    if not tensors:
        raise RuntimeError("expected a non-empty list of Tensors")
    for i, t in enumerate(tensors):
        if not isinstance(t, Tensor):
            if not isinstance(t, (np.ndarray, numbers.Number, np.generic)) or isinstance(t, str):
                raise TypeError(f"expected a list of tensors, found {type(t).__name__}")
            tensors[i] = torch_tensor(t)
    return tensors


def _one_device(tensors):
    kind = type(tensors[0]._data)
    for t in tensors:
        if type(t._data) is not kind:
            _check_device(tensors[0], t)


def cat(tensors, dim=1):
    """`torch_cat(list(a, b), dim = 1)`: dtypes promote, dims are 1-based."""
    from ._dtypes import result_type
    tensors = _tensors(tensors)
    nonempty = [t for t in tensors if not (t._data.ndim == 1 and t._data.size == 0)]
    res = result_type([t.dtype for t in tensors], [])
    if not nonempty:  # the skipped empty vectors still take part in the promotion, as in libtorch
        return wrap(tensors[0]._data.astype(res.numpy))
    _one_device(tensors)
    ref = nonempty[0]._data
    if ref.ndim == 0:
        raise RuntimeError("zero-dimensional tensor (at position 0) cannot be concatenated")
    axis = dim0(dim, ref.ndim)
    for i, t in enumerate(nonempty):
        d = t._data
        if d.ndim != ref.ndim:
            raise RuntimeError(f"Tensors must have same number of dimensions: got {ref.ndim} and {d.ndim}")
        for j in range(ref.ndim):
            if j != axis and d.shape[j] != ref.shape[j]:
                raise RuntimeError(f"Sizes of tensors must match except in dimension {axis + 1}. Expected size "
                                   f"{ref.shape[j]} but got size {d.shape[j]} for tensor number {i + 1} in the list.")
    return wrap(np.concatenate([t._data for t in nonempty], axis=axis).astype(res.numpy, copy=False))


def stack(tensors, dim=1):
    from ._dtypes import result_type
    tensors = _tensors(tensors)
    ref = tensors[0]._data.shape
    for i, t in enumerate(tensors):
        if t._data.shape != ref:
            raise RuntimeError(f"stack expects each tensor to be equal size, but got {_shape_text(ref)} at "
                               f"entry 1 and {_shape_text(t._data.shape)} at entry {i + 1}")
    res = result_type([t.dtype for t in tensors], [])
    _one_device(tensors)
    axis = dim0(dim, len(ref) + 1)
    return wrap(np.stack([t._data for t in tensors], axis=axis).astype(res.numpy, copy=False))


def flip(self, dims):
    data = self._data
    axes = dims if isinstance(dims, (list, tuple, np.ndarray)) else [dims]
    return wrap(np.flip(data, tuple(dim0(d, data.ndim) for d in np.ravel(axes).tolist())).copy())


def repeat(self, *sizes):
    reps = _sizes(sizes)
    if len(reps) < self._data.ndim:
        raise RuntimeError("Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor")
    return wrap(np.tile(self._data, reps))


def narrow(self, dim, start, length):
    """`length` elements of `dim` from 1-based `start` (negative counts from the end; 0 is an error)."""
    if start == 0:
        raise ValueError("start indexing starts at 1")
    return _narrow0(self, dim, start - 1 if start > 0 else start, length)


def _narrow0(self, dim, s0, length):
    data = self._data
    axis = dim0(dim, data.ndim)
    n = data.shape[axis]
    if length < 0:
        raise RuntimeError("narrow(): length must be non-negative.")
    if not -n <= s0 <= n:
        raise IndexError(f"start out of range (expected to be in range of [{-n}, {n}], but got {s0})")
    s = s0 + n if s0 < 0 else s0
    if s + length > n:
        raise IndexError(f"start ({s}) + length ({length}) exceeds dimension size ({n}).")
    return wrap(data[(slice(None),) * axis + (slice(s, s + length),)])


def select(self, dim, index):
    """`x$select(dim, index)`: the slice at 1-based `index` (negative from the end) of `dim`, without it."""
    data = self._data
    axis = dim0(dim, data.ndim)
    size = data.shape[axis]
    if index == 0:
        raise IndexError(ZERO_INDEX)
    i = index - 1 if index > 0 else index
    if not -size <= i < size:
        raise IndexError(f"index {index} out of range for tensor of size {_shape_text(data.shape)} "
                         f"at dimension {axis + 1}")
    return wrap(data[(slice(None),) * axis + (i, Ellipsis)])


def chunk(self, chunks, dim=1):
    data = self._data
    axis = dim0(dim, data.ndim)
    n = data.shape[axis]
    step = -(-n // chunks)
    return [wrap(data[(slice(None),) * axis + (slice(i, i + step),)]) for i in range(0, n, step)]


def split(self, split_size, dim=1):
    data = self._data
    axis = dim0(dim, data.ndim)
    n = data.shape[axis]
    if isinstance(split_size, (list, tuple, np.ndarray)):
        bounds = np.cumsum([0, *_sizes((split_size,))])
        return [wrap(data[(slice(None),) * axis + (slice(a, b),)]) for a, b in zip(bounds[:-1], bounds[1:])]
    return [wrap(data[(slice(None),) * axis + (slice(i, i + split_size),)]) for i in range(0, n, split_size)]


# ---- what R torch users reach for next ----------------------------------------------------------

def _in_place_view(self, view):
    self._data = view._data
    return self


def t_(self):
    """`x$t_()`: transposes `x` itself (it becomes a non-contiguous view of the same storage)."""
    return _in_place_view(self, t(self))


def transpose_(self, dim0_, dim1):
    return _in_place_view(self, transpose(self, dim0_, dim1))


def squeeze_(self, dim=None):
    return _in_place_view(self, squeeze(self, dim))


def unsqueeze_(self, dim):
    return _in_place_view(self, unsqueeze(self, dim))


def detach(self):
    """A tensor sharing `x`'s storage, outside autograd."""
    return wrap(self._data)


def _new(fill):
    def new(self, size, *args, dtype=None, device=None, requires_grad=False):
        out = torch_full(_sizes((size,)), fill(args), dtype=self.dtype if dtype is None else dtype,
                         device=self.device if device is None else device, requires_grad=requires_grad)
        return out
    return new


new_full = _new(lambda args: args[0])
new_zeros = _new(lambda args: 0)
new_ones = _new(lambda args: 1)
new_empty = _new(lambda args: 0)


def repeat_interleave(self, repeats, dim=None):
    """Each element repeated `repeats` times, along 1-based `dim` (the flattened tensor without one)."""
    data = self._data
    reps = repeats._data if isinstance(repeats, Tensor) else repeats
    if dim is None:
        return wrap(np.repeat(data.reshape(-1), reps))
    return wrap(np.repeat(data, reps, axis=dim0(dim, data.ndim)))


def tile(self, dims):
    return wrap(np.tile(self._data, _sizes((dims,))))


def narrow_copy(self, dim, start, length):
    """`x$narrow_copy(dim, start, length)`: a copy of `narrow()`'s slice (1-based `start`)."""
    if start == 0:
        raise ValueError("start indexing starts at 1")
    return clone(narrow(self, dim, start, length))


def torch_narrow_copy(self, dim, start, length):
    """R torch's generated `torch_narrow_copy()` hands `start` to libtorch unchanged, 0-based, unlike
    `x$narrow_copy()` and `torch_narrow()`: `torch_narrow_copy(x, 1, 1, 3)` is `x[2:4]`."""
    return clone(_narrow0(self, dim, start, length))


def movedim(self, source, destination):
    """Move the 1-based dims `source` to the positions `destination` (vectors allowed)."""
    n = self._data.ndim
    src = [dim0(d, n) for d in np.ravel(source).tolist()]
    dst = [dim0(d, n) for d in np.ravel(destination).tolist()]
    if len(src) != len(dst):
        raise RuntimeError(f"movedim: Invalid source or destination dims: source ({[d + 1 for d in src]} dims) "
                           f"should contain the same number of dims as destination ({[d + 1 for d in dst]} dims)")
    return wrap(np.moveaxis(self._data, src, dst))


def unbind(self, dim=1):
    """The slices of `x` along 1-based `dim`, as a list of views."""
    data = self._data
    axis = dim0(dim, data.ndim)
    return [wrap(data[(slice(None),) * axis + (i,)]) for i in range(data.shape[axis])]


def triu(self, diagonal=0):
    return wrap(np.triu(self._data, int(diagonal)))


def tril(self, diagonal=0):
    return wrap(np.tril(self._data, int(diagonal)))


def triu_(self, diagonal=0):
    """In place: zeros below the `diagonal`-th diagonal."""
    _writable(self)
    self._data[...] = np.triu(self._data, int(diagonal))
    return self


def tril_(self, diagonal=0):
    """In place: zeros above the `diagonal`-th diagonal."""
    _writable(self)
    self._data[...] = np.tril(self._data, int(diagonal))
    return self


def _as_tensor(x):
    if isinstance(x, Tensor):
        return x
    return torch_tensor(x)


_COMPLEX_OF = {"Float": np.complex64, "Double": np.complex128}


def real(self):
    """`torch_real(x)`, `x$real`: a view of a complex tensor's real parts (a real tensor itself)."""
    return wrap(self._data.real) if self.dtype.category == COMPLEX else self


def imag(self):
    """`torch_imag(x)`, `x$imag`: a view of a complex tensor's imaginary parts."""
    if self.dtype.category != COMPLEX:
        raise RuntimeError("imag is not implemented for tensors with non-complex dtypes.")
    return wrap(self._data.imag)


# ---- writing into a tensor's storage ---------------------------------------------------------------

def fill_(self, value):
    """As libtorch's fill_, it writes into an expanded view too (every alias gets the value)."""
    data = self._data
    if (type(value) is int or type(value) is float) and value == 0 and type(data) is np.ndarray \
            and data.flags.writeable:
        data.fill(0)
        return self
    _writable(self, overlap=False)
    if type(value) in (int, float):  # libtorch checks a Half value unless it fills a single element
        scalar_into(value, self.dtype, checked_half=self._data.size != 1)
    self._data[...] = value_array(value, self)
    return self


def zero_(self):
    return fill_(self, 0)


def copy_(self, src):
    _writable(self)
    if not isinstance(src, Tensor):
        raise TypeError("copy_() expects a tensor")
    if type(src._data) is not type(self._data):
        self._data[...] = to_device_array(src._data, self.device)
    else:
        try:
            self._data[...] = src._data
        except ValueError:
            raise broadcast_error(self.shape, src.shape) or RuntimeError("copy_(): shapes don't match") from None
    return self


def set_real(self, value):
    """`x$real <- value`: writes into the real parts."""
    copy_(real(self), _as_tensor(value))


def set_imag(self, value):
    """`x$imag <- value`: writes into the imaginary parts."""
    copy_(imag(self), _as_tensor(value))


def requires_grad_(self, requires_grad=True):
    self.requires_grad = bool(requires_grad)
    return self


def print_(self, n=30):
    """R torch's `x$print(n = 30)`, what `print(x, n = 50)` calls: the first `n` lines (`n = -1`: all of them)."""
    import sys
    from ._tensor import text
    sys.stdout.write(text(self, int(n)))


# ---- shapes, combinations and indexing that R torch users reach for next ---------------------------

def _r_tensor(x, like=None):
    if isinstance(x, Tensor):
        return x
    return torch_tensor(x, device=None if like is None else like.device)


def _tensor_list(tensors, name):
    """A list argument (`list(a, b)`): R vectors in it made tensors; libtorch's error for an empty list."""
    if isinstance(tensors, Tensor):
        tensors = [tensors]
    tensors = [_r_tensor(t) for t in tensors]
    if not tensors:
        raise RuntimeError(f"{name} expects a non-empty TensorList")
    _one_device(tensors)
    return tensors


def _int_list(x):
    if x is None:
        return []
    if isinstance(x, Tensor):
        x = x._data.tolist()
    return [int(v) for v in np.ravel(np.asarray(x, dtype=object)).tolist()]


def _index_dims(dims):
    """R torch's IndexIntArrayRef: each 1-based dim made 0-based (negatives kept), 0 an error."""
    out = _int_list(dims)
    if 0 in out:
        raise IndexError(ZERO_INDEX)
    return [d - 1 if d > 0 else d for d in out]


def _wrap0(d, ndim):
    """A 0-based dim (as libtorch receives it) checked and wrapped, with R torch's 1-based message."""
    return dim0(d + 1 if d >= 0 else d, ndim)


def roll(self, shifts, dims=()):
    """`x$roll(shifts, dims = list())`: a copy rolled by `shifts` along 1-based `dims` (none: the flattened
    tensor, shape kept)."""
    data = self._data
    shifts, axes = _int_list(shifts), _index_dims(dims)
    if not shifts:
        raise RuntimeError("`shifts` required")
    if not axes:
        if len(shifts) != 1:
            raise RuntimeError(f"shifts and dimensions must align. shifts: {len(shifts)}, dims:0")
        return wrap(np.roll(data.reshape(-1), shifts[0]).reshape(data.shape))
    if len(shifts) != len(axes):
        raise RuntimeError(f"shifts and dimensions must align. shifts: {len(shifts)}, dims:{len(axes)}")
    if data.size == 0:  # libtorch returns an empty tensor's copy before it looks at the dims
        return wrap(data.copy())
    if data.ndim == 0:
        raise IndexError(f"Dimension specified as {axes[0]} but tensor has no dimensions")
    return wrap(np.roll(data, shifts, tuple(_wrap0(a, data.ndim) for a in axes)))


def rot90(self, k=1, dims=(0, 1)):
    """`x$rot90(k = 1, dims = c(0, 1))`: rotated `k` times by 90 degrees from 1-based dim `dims[1]` towards
    `dims[2]`. R torch's default `c(0, 1)` goes through its 1-based conversion and so is its error
    ("Indexing starts at 1"): pass `dims = c(1, 2)`."""
    data = self._data
    axes = _index_dims(dims)
    if len(axes) != 2:
        raise RuntimeError(f"expected total rotation dims == 2, but got dims = {len(axes)}")
    if data.ndim < 2:
        raise RuntimeError(f"expected total dims >= 2, but got total dims = {data.ndim}")
    a, b = axes
    wa, wb = _wrap0(a, data.ndim), _wrap0(b, data.ndim)  # libtorch wraps (and range-checks) the dims first
    if wa == wb:
        raise RuntimeError(f"expected rotation dims to be different, but got dim0 = {a} and dim1 = {b}")
    a, b = wa, wb
    return wrap(np.rot90(data, int(k) % 4, axes=(a, b)).copy())


def swapdims(self, dim0_, dim1):
    """`x$swapdims(dim0, dim1)`: `transpose()` of two 1-based dims, a view."""
    return transpose(self, dim0_, dim1)


def swapaxes(self, axis0, axis1):
    """`x$swapaxes(axis0, axis1)`: a view with two dims swapped. R torch passes `axis0`/`axis1` to libtorch
    unconverted, so they are 0-based (unlike `swapdims`): `x$swapaxes(0, 1)` swaps the first two dims."""
    data = self._data
    return transpose(self, _wrap0(int(axis0), data.ndim) + 1, _wrap0(int(axis1), data.ndim) + 1)


def swapdims_(self, dim0_, dim1):
    return _in_place_view(self, swapdims(self, dim0_, dim1))


def swapaxes_(self, axis0, axis1):
    return _in_place_view(self, swapaxes(self, axis0, axis1))


def diag(self, diagonal=0):
    """`torch_diag(x, diagonal = 0)`: a vector's square diagonal matrix, or a copy of a matrix's
    `diagonal`-th diagonal."""
    data = self._data
    if data.ndim not in (1, 2):
        raise RuntimeError(f"diag(): Supports 1D or 2D tensors. Got {data.ndim}D")
    k = int(diagonal)
    if data.ndim == 1:
        return wrap(np.diag(data, k))
    return wrap(np.diagonal(data, k).copy())


def diagonal(self, outdim=None, dim1=1, dim2=2, offset=0):
    """`x$diagonal(outdim, dim1 = 1, dim2 = 2, offset = 0)`: a view of the `offset`-th diagonal of the
    1-based dims `dim1` and `dim2`, appended as the last dim. `outdim` (named dims) is not supported."""
    if outdim is not None:
        raise TypeError("diagonal(): named dims (`outdim`) are not supported in rtorch; use dim1, dim2, offset")
    data = self._data
    a, b = dim0(dim1, data.ndim), dim0(dim2, data.ndim)
    if a == b:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1 - 1 if dim1 > 0 else dim1}, "
                           f"{dim2 - 1 if dim2 > 0 else dim2}")
    view = np.diagonal(data, int(offset), a, b)
    if isinstance(view, np.ndarray) and not view.flags.writeable and data.flags.writeable:
        view.flags.writeable = True
    return wrap_as(view, self.dtype)


def diag_embed(self, offset=0, dim1=-2, dim2=-1):
    """`torch_diag_embed(x, offset = 0, dim1 = -2, dim2 = -1)`: the last dim of `x` laid on the `offset`-th
    diagonal of the new 1-based dims `dim1`, `dim2` (zeros elsewhere)."""
    data = self._data
    n = data.ndim + 1
    a, b = dim0(dim1, n), dim0(dim2, n)
    if a == b:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1 - 1 if dim1 > 0 else dim1}, "
                           f"{dim2 - 1 if dim2 > 0 else dim2}")
    k = int(offset)
    last = data.shape[-1] if data.ndim else 1
    size = last + abs(k)
    rest = list(data.shape[:-1])
    out_shape = rest[:]
    for axis in sorted((a, b)):
        out_shape.insert(axis, size)
    out = np.zeros_like(data, shape=out_shape)
    view = np.diagonal(out, k, a, b)
    if isinstance(view, np.ndarray):
        view.flags.writeable = True
    view[...] = data.reshape(tuple(rest) + (last,))
    return wrap_as(out, self.dtype)


def unflatten(self, dim, sizes, names=None):
    """`x$unflatten(dim, sizes)`: 1-based `dim` split into `sizes` (one may be -1), a view. libtorch's
    message names the dim 0-based, as R torch shows it."""
    if names is not None or isinstance(dim, str):
        raise TypeError("unflatten(): named dims are not supported in rtorch")
    data = self._data
    axis = dim0(dim, data.ndim)
    sizes = _int_list(sizes)
    if not sizes:
        raise RuntimeError("unflatten: sizes must be non-empty")
    if data.ndim == 0:
        raise RuntimeError("unflatten got an unexpected error:\nDimension specified as 0 but tensor has no "
                           "dimensions")
    n = data.shape[axis]
    if sizes.count(-1) > 1:
        raise RuntimeError("unflatten got an unexpected error:\nonly one dimension can be inferred")
    bad = [s for s in sizes if s < -1]
    if bad:
        raise RuntimeError(f"unflatten got an unexpected error:\ninvalid shape dimension {bad[0]} at index "
                           f"{sizes.index(bad[0])} of shape {_shape_text(sizes)}")
    known = int(np.prod([s for s in sizes if s != -1]))
    if (-1 in sizes and (known == 0 or n % known)) or (-1 not in sizes and known != n):
        if -1 in sizes and known == 0 and n == 0:
            raise RuntimeError(f"unflatten got an unexpected error:\ncannot reshape tensor of 0 elements into shape "
                               f"{_shape_text(sizes)} because the unspecified dimension size -1 can be "
                               f"any value and is ambiguous")
        raise RuntimeError(f"unflatten: Provided sizes {_shape_text(sizes)} don't multiply up to the size "
                           f"of dim {axis} ({n}) in the input tensor")
    sizes = [n // known if s == -1 else s for s in sizes]
    return wrap_as(data.reshape(data.shape[:axis] + tuple(sizes) + data.shape[axis + 1:]), self.dtype)


def broadcast_to(self, size):
    """`x$broadcast_to(size)`: `expand()`: a view with stride 0 on the broadcast dims (-1 keeps a size)."""
    shape = list(_sizes((size,)))
    off = len(shape) - self._data.ndim
    for i in range(max(off, 0)):
        if shape[i] == -1:
            raise RuntimeError(f"The expanded size of the tensor (-1) isn't allowed in a leading, non-existing "
                               f"dimension {i}")
    return expand(self, shape)


def view_as_real(self):
    """`torch_view_as_real(x)`: a complex tensor's view as real numbers, with a last dim of 2 (real,
    imaginary); writes go through to `x`."""
    if self.dtype.category != COMPLEX:
        raise RuntimeError("view_as_real is only supported for complex tensors")
    data = self._data
    part = data.real.dtype
    return wrap(data[..., None].view(part))


def view_as_complex(self):
    """`torch_view_as_complex(x)`: a Float/Double tensor whose last dim is 2 (real, imaginary) viewed as a
    complex one, with libtorch's conditions on its strides."""
    data = self._data
    if self.dtype.name not in ("Half", "Float", "Double"):
        raise RuntimeError(f"view_as_complex is only supported for half, float and double tensors, but got a "
                           f"tensor of scalar type: {self.dtype.name}")
    if self.dtype.name == "Half":
        raise TypeError("ComplexHalf tensors are not supported")
    if data.ndim == 0 or data.shape[-1] != 2:
        raise RuntimeError("Tensor must have a last dimension of size 2")
    item = data.itemsize
    if data.strides[-1] != item:
        raise RuntimeError("Tensor must have a last dimension with stride 1")
    if any((s // item) % 2 for s in data.strides[:-1]):
        raise RuntimeError("Tensor must have a stride divisible by 2 for all but last dimension")
    offset = (int(data_ptr(self), 16) - Storage(data)._address()) // item
    if offset % 2:
        raise RuntimeError("Tensor must have a storage_offset divisible by 2")
    return wrap(data.view(_COMPLEX_OF[self.dtype.name])[..., 0])


# ---- fliplr, flipud, diagflat, as_strided, unsafe_chunk, unsafe_split ---------------------------------

def fliplr(self):
    """`x$fliplr()`: dim 2 reversed (a copy); `x` needs two dims or more."""
    if self._data.ndim < 2:
        raise RuntimeError("Input must be >= 2-d.")
    return flip(self, 2)


def flipud(self):
    """`x$flipud()`: dim 1 reversed (a copy); `x` needs one dim or more."""
    if self._data.ndim < 1:
        raise RuntimeError("Input must be >= 1-d.")
    return flip(self, 1)


def diagflat(self, offset=0):
    """`torch_diagflat(x, offset = 0)`: the flattened `x` laid on the `offset`-th diagonal of a square
    matrix (zeros elsewhere)."""
    return wrap_as(np.diag(self._data.reshape(-1), int(offset)), self.dtype)


def _storage_offset(self):
    """The tensor's first element's position in its storage, in elements (0-based, as libtorch's)."""
    data = self._data
    return (int(data_ptr(self), 16) - Storage(data)._address()) // data.itemsize


def as_strided(self, size, stride, storage_offset=None):
    """`x$as_strided(size, stride, storage_offset = NULL)`: a view of `x`'s storage with the given sizes,
    strides and offset, all in elements; the offset is libtorch's (0-based: R torch passes it as it is),
    NULL keeps `x`'s own."""
    data = self._data
    shape, strides = _sizes((size,)), _sizes((stride,))
    if len(shape) != len(strides):
        raise RuntimeError("mismatch in length of strides and shape")
    if any(s < 0 for s in strides):
        raise RuntimeError("as_strided: Negative strides are not supported at the moment, got strides: "
                           f"{_shape_text(strides)}")
    offset = _storage_offset(self) if storage_offset is None else int(storage_offset)
    if offset < 0:
        raise RuntimeError(f"Tensor: invalid storage offset {offset}")
    root = Storage(data)._root
    n = int(root.size)
    need = 0 if 0 in shape else offset + 1 + sum((s - 1) * st for s, st in zip(shape, strides))
    if need > n:
        item = data.itemsize
        raise RuntimeError(f"setStorage: sizes {_shape_text(shape)}, strides {_shape_text(strides)}, storage "
                           f"offset {offset}, and itemsize {item} requiring a storage size of {need * item} "
                           f"are out of bounds for storage of size {n * item}")
    flat = root.reshape(-1) if root.flags.c_contiguous else root.ravel(order="K")
    xp = np if isinstance(data, np.ndarray) else __import__("cupy")
    view = xp.lib.stride_tricks.as_strided(flat[offset:] if n else flat, shape,
                                           tuple(st * data.itemsize for st in strides))
    return wrap_as(view, self.dtype)


def unsafe_chunk(self, chunks, dim=1):
    """`x$unsafe_chunk(chunks, dim = 1)`: `chunk`, whose pieces autograd does not track as views."""
    return chunk(self, chunks, dim)


def unsafe_split(self, split_size, dim=1):
    """`x$unsafe_split(split_size, dim = 1)`: `split` by one size, whose pieces autograd does not track as
    views."""
    if isinstance(split_size, (list, tuple, np.ndarray)) and np.size(split_size) != 1:
        raise TypeError("unsafe_split(): `split_size` must be one number (libtorch's int64_t)")
    return split(self, int(np.ravel(split_size)[0]) if np.ndim(split_size) else int(split_size), dim)
