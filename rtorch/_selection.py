"""The ops that take index or mask tensors, as R torch's methods (1-based indices, libtorch's errors):
`index_select`, `gather`, `scatter`, `take`, `masked_fill`, `masked_select`, `masked_scatter`, `index`,
`index_put`, `index_add`, `index_copy`, `index_fill` and their in-place forms; R's `head` and `tail`.
The `[` and `[<-` operators are in `_indexing.py`."""
import math

import numpy as np

from ._devices import to_device_array
from ._dtypes import DTYPES, FLOATING, INTEGRAL
from ._tensor import Tensor, wrap, wrap_as
from ._creation import torch_tensor
from ._indexing import ZERO_INDEX, dim0, positions0
from ._manipulation import _one_device, _r_tensor, clone, size
from ._scalars import (_check_device, _coefficient, _expand_error, _r_scalar, _shape_text, _writable,
                       broadcast_error, scalar_into, value_array)


def _long_index(index, name, like):
    """The index's array, on `like`'s device; a tensor index on another device is libtorch's error."""
    if not isinstance(index, Tensor):
        index = torch_tensor(index, dtype="long", device=like.device)
    if index.dtype.name != "Long":
        raise RuntimeError(f"{name}(): Expected dtype int64 for index")
    if type(index._data) is not type(like._data):
        _check_device(like, index)
    return index._data


def index_select(self, dim, index):
    """Select 1-based `index` positions along `dim`."""
    data = self._data
    axis = dim0(dim, data.ndim)
    idx = _long_index(index, "index_select", self)
    if idx.ndim > 1:
        raise IndexError("index_select(): Index is supposed to be a vector")
    return wrap(np.take(data, positions0(idx.reshape(-1), data.shape[axis] if data.ndim else 1, axis),
                        axis=axis if data.ndim else None))


def gather(self, dim, index):
    """`x$gather(dim, index)` with 1-based `index`."""
    data = self._data
    axis = dim0(dim, data.ndim)
    idx = _long_index(index, "gather", self)
    if idx.ndim != data.ndim:
        raise RuntimeError("Index tensor must have the same number of dimensions as input tensor")
    idx0 = positions0(idx, data.shape[axis], axis)
    if (idx0 < 0).any():
        bad = idx.reshape(-1)[int(np.argmax(idx0 < 0))].item()
        raise IndexError(f"index {bad} is out of bounds for dimension {axis + 1} with size {data.shape[axis]}")
    for j in range(data.ndim):
        if j != axis and idx.shape[j] > data.shape[j]:
            raise RuntimeError(f"Size does not match at dimension {j} expected index {list(idx.shape)} to be "
                               f"smaller than self {list(data.shape)} apart from dimension {axis}")
    sub = data[tuple(slice(0, s) if j != axis else slice(None) for j, s in enumerate(idx.shape))]
    return wrap(np.take_along_axis(sub, idx0, axis))


def scatter_(self, dim, index, src):
    """Write `src` into `self` at 1-based `index` positions along `dim`."""
    data = self._data
    axis = dim0(dim, data.ndim)
    idx = _long_index(index, "scatter", self)
    idx0 = positions0(idx, data.shape[axis], axis)
    if isinstance(src, Tensor):
        if type(src._data) is not type(data):
            _check_device(self, src)
        values = src._data[tuple(slice(0, s) for s in idx.shape)]
    else:
        values = np.full_like(data, src, shape=idx.shape)
    grids = [np.arange(n, like=data).reshape((1,) * j + (n,) + (1,) * (idx.ndim - j - 1))
             for j, n in enumerate(idx.shape)]
    grids[axis] = idx0
    _writable(self)
    data[tuple(grids)] = values
    return self


def scatter(self, dim, index, src):
    return scatter_(clone(self), dim, index, src)


def masked_fill_(self, mask, value):
    if isinstance(mask, Tensor):
        m = mask._data
        if type(m) is not type(self._data):
            _check_device(self, mask)
    else:
        m = np.asarray(mask)
        if type(self._data) is not np.ndarray:
            m = to_device_array(m, self.device)
    if m.dtype != bool:
        raise RuntimeError(f"masked_fill_ only supports boolean masks, but got mask with dtype {mask.dtype}")
    self._data[np.broadcast_to(m, self._data.shape)] = value_array(value, self)
    return self


def masked_fill(self, mask, value):
    return masked_fill_(clone(self), mask, value)


def masked_select(self, mask):
    m = mask._data if isinstance(mask, Tensor) else np.asarray(mask)
    if m.dtype != bool:
        raise RuntimeError(f"masked_select: expected BoolTensor for mask")
    data, m = np.broadcast_arrays(self._data, m)
    return wrap(data[m])


def _index_key(self, indices):
    data = self._data
    if len(indices) > data.ndim:
        raise IndexError(f"too many indices for tensor of dimension {data.ndim}")
    key = []
    for axis, ix in enumerate(indices):
        if ix is None:
            key.append(slice(None))
            continue
        arr = ix._data if isinstance(ix, Tensor) else np.asarray(ix)
        key.append(arr if arr.dtype == bool else positions0(arr, data.shape[axis], axis))
    return tuple(key)


def index(self, indices):
    """`torch_index(x, list(i, j))`: libtorch's advanced indexing with 1-based index tensors, which pair up
    element-wise (unlike `x[i, j]`, which selects per dim)."""
    return wrap(self._data[_index_key(self, indices)])


def index_put_(self, indices, values, accumulate=False):
    _writable(self)
    key = _index_key(self, indices)
    vals = value_array(values, self)
    if accumulate:
        np.add.at(self._data, key, vals)
    else:
        self._data[key] = vals
    return self


def index_put(self, indices, values, accumulate=False):
    return index_put_(clone(self), indices, values, accumulate)


def _r_index_tensor(index, like):
    """What R torch hands libtorch for an index tensor: `torch_tensor()` of an R vector, then 1-based
    positions made 0-based (k > 0 becomes k - 1, negatives pass through, 0 is an error); integer indices
    come out Long, floating ones keep their dtype (and libtorch then refuses them)."""
    from ._dtypes import DTYPES
    t = _r_tensor(index, like)
    d = t._data
    if d.size and (d == 0).any():
        raise IndexError(ZERO_INDEX)
    if t.dtype.name == "Bool":
        raise RuntimeError("Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying "
                           "to invert a mask, use the `~` or `logical_not()` operator instead.")
    if t.dtype.category < FLOATING:
        return wrap_as(np.where(d > 0, d - 1, d).astype(np.int64), DTYPES["Long"])
    return wrap_as(np.where(d > 0, d - 1, d).astype(d.dtype), t.dtype)


def _index_operands(self, dim, index, source):
    """`x`'s array, the 0-based axis, the index and source as tensors on one device."""
    idx, source = _r_index_tensor(index, self), _r_tensor(source, self)
    _one_device([self, idx, source])
    return self._data, dim0(dim, self._data.ndim), idx, source


def index_add_(self, dim, index, source, alpha=1):
    """`x$index_add_(dim, index, source, alpha = 1)`: adds `alpha * source`'s slices along 1-based `dim` at
    the 1-based `index` positions (repeated positions add up). libtorch's messages show the 0-based index
    and dim, as R torch shows them."""
    data, axis, idx, source = _index_operands(self, dim, index, source)
    if idx.ndim > 1:
        raise IndexError(f"index_add_(): Index is supposed to be a vector, but got dim: {idx.ndim} with type: "
                         f"{idx.dtype.name} and size: {_shape_text(idx.shape)}")
    if idx.dtype.category > INTEGRAL:
        raise RuntimeError(f"index_add_(): Expected dtype int32/int64 for index but got: {idx.dtype.name}")
    if source.dtype is not self.dtype:
        raise RuntimeError(f"index_add_(): self ({self.dtype.name}) and source ({source.dtype.name}) must have the "
                           f"same scalar type")
    src = source._data
    if axis != 0 and axis >= src.ndim:
        raise IndexError(f"index_add_(): Indexing dim {axis} is out of bounds of the source tensor with dim {src.ndim}")
    if data.ndim and src.ndim == data.ndim and idx._data.size != src.shape[axis]:
        raise RuntimeError(f"index_add_(): Number of indices ({idx._data.size}) should be equal to "
                           f"source.size(dim): ({src.shape[axis]}), for dim: {axis}")
    if data.ndim != src.ndim or any(i != axis and a != b for i, (a, b) in enumerate(zip(data.shape, src.shape))):
        raise RuntimeError(f"source tensor shape must match self tensor shape, excluding the specified dimension. "
                           f"Got self.shape = {_shape_text(data.shape)} source.shape = {_shape_text(src.shape)}")
    if data.ndim == 0 and idx._data.size != 1:  # libtorch's kernel then selects dim 0 of the 0-d tensor
        raise IndexError("Dimension specified as 0 but tensor has no dimensions")
    size = data.shape[axis] if data.ndim else 1
    pos = idx._data.reshape(-1)
    bad = (pos < 0) | (pos >= size)
    a = _coefficient(alpha, self.dtype)
    if data.ndim > 1 and data.size == 0:  # libtorch's kernel visits no element, checks no position
        return self
    if bad.any():
        if a != 1 or data.ndim <= 1:  # libtorch's other kernel, and its message
            raise IndexError("index out of range in self")
        raise RuntimeError(f"index {int(pos[bad][0])} is out of bounds for dimension {axis} with size {size}")
    _writable(self)
    target = data.reshape(1) if data.ndim == 0 else data
    src = src.reshape(1) if data.ndim == 0 else src
    if a != 1 and self.dtype.name != "Bool":
        src = (src * np.array(a).astype(src.dtype)).astype(src.dtype, copy=False)  # wraps, as libtorch
    np.add.at(target, (slice(None),) * axis + (pos,), src)
    return self


def index_add(self, dim, index, source, alpha=1):
    return index_add_(clone(self), dim, index, source, alpha)


def index_copy_(self, dim, index, source):
    """`x$index_copy_(dim, index, source)`: `source`'s slices along 1-based `dim` written at the 1-based
    `index` positions."""
    data, axis, idx, source = _index_operands(self, dim, index, source)
    if idx.ndim > 1:
        raise IndexError(f"index_copy_(): Index should have dimension 1 or 0 (got {idx.ndim})")
    if idx.dtype.name != "Long":
        raise RuntimeError(f"index_copy_(): Expected a long tensor for index, but got {idx.dtype.name}")
    if source.dtype is not self.dtype:
        raise RuntimeError(f"index_copy_(): self and source expected to have the same dtype, but got (self) "
                           f"{self.dtype.name} and (source) {source.dtype.name}")
    src = source._data
    n = idx._data.size
    if data.ndim and src.ndim:
        if data.ndim != src.ndim:
            raise IndexError(f"index_copy_(): When source and destination are not scalars, their dimensionality "
                             f"must match. Source dimensionality ({src.ndim}), destination dimensionality ({data.ndim})")
        j = 0
        for i in range(data.ndim):
            if i == axis:
                continue
            if data.shape[i] != src.shape[i]:
                raise RuntimeError(f"index_copy_(): Source/destination tensor must have same slice shapes. "
                                   f"Destination slice shape: {data.shape[i]} at dimension {j} and source slice "
                                   f"shape: {src.shape[i]} at dimension {j}.")
            j += 1
        if n != src.shape[axis]:
            raise IndexError(f"index_copy_(): Number of indices ({n}) should be equal to source.size(dim) "
                             f"({src.shape[axis]})")
    elif n != src.size or (data.ndim == 0 and n != 1):
        raise IndexError(f"index_copy_(): Number of indices ({n}) should be equal to source.size(dim) ({src.size})")
    size = data.shape[axis] if data.ndim else 1
    pos = idx._data.reshape(-1)
    bad = (pos < 0) | (pos >= size)
    if data.ndim > 1 and data.size == 0:  # libtorch restrides x to the index's length along dim, unchecked
        _restrided_empty(data, axis, pos.size)
        return self
    if bad.any():
        raise IndexError(f"index_copy_(): index {int(pos[bad][0])} is out of bounds for dimension {axis} with "
                         f"size {size}")
    _writable(self)
    target = data.reshape(-1) if data.ndim <= 1 else data
    target[(slice(None),) * axis + (pos,)] = src.reshape(-1) if data.ndim <= 1 else src
    return self


def index_copy(self, dim, index, source):
    return index_copy_(clone(self), dim, index, source)


def _restrided_empty(data, axis, n):
    """libtorch's index_copy_/index_fill_ view an empty matrix with `n` (the index's length) along `axis`: a
    view with elements is beyond the empty storage, its error."""
    shape = list(data.shape)
    shape[axis] = n
    if math.prod(shape):
        raise RuntimeError(f"setStorage: sizes {_shape_text(shape)}, strides {_shape_text([0] * len(shape))}, "
                           f"storage offset 0, and itemsize {data.itemsize} requiring a storage size of "
                           f"{data.itemsize} are out of bounds for storage of size 0")


def index_fill_(self, dim, index, value):
    """`x$index_fill_(dim, index, value)`: the slices along 1-based `dim` at the 1-based `index` positions
    (negatives count from the end) set to `value` (a number or a 0-d tensor)."""
    data = self._data
    axis = dim0(dim, data.ndim)
    if isinstance(value, Tensor):
        if value.ndim:
            raise RuntimeError(f"index_fill_ only supports a 0-dimensional value tensor, but got tensor with "
                               f"{value.ndim} dimension(s).")
        value = value.item()
    idx = _r_index_tensor(index, self)
    _one_device([self, idx])
    if idx.ndim > 1:
        raise RuntimeError("Index has to be a vector/scalar")
    if idx.dtype.name != "Long":
        raise IndexError("index_fill_(): Expected dtype int64 for index.")
    size = data.shape[axis] if data.ndim else 1
    pos = idx._data.reshape(-1)
    bad = (pos < -size) | (pos >= size)
    if data.ndim > 1 and data.size == 0:  # libtorch restrides x to the index's length along dim, unchecked
        _restrided_empty(data, axis, pos.size)
    elif bad.any():
        raise IndexError(f"index {int(pos[bad][0])} is out of bounds for dimension {axis} with size {size}")
    _writable(self)
    value = scalar_into(_r_scalar(value), self.dtype)
    if data.size == 0:
        return self
    target = data.reshape(1) if data.ndim == 0 else data
    target[(slice(None),) * axis + (pos,)] = value
    return self


def index_fill(self, dim, index, value):
    return index_fill_(clone(self), dim, index, value)


def take(self, index):
    """`torch_take(x, index)`: the elements of the flattened `x` at 1-based `index` (negatives from the
    end), shaped as `index`. libtorch's message shows the 0-based position, as R torch shows it."""
    data = self._data
    idx = _r_index_tensor(index, self)
    _one_device([self, idx])
    if idx.dtype.name != "Long":
        raise RuntimeError(f"take(): Expected a long tensor for index, but got {idx.dtype.name}")
    pos = idx._data
    n = data.size
    if n == 0 and pos.size:
        raise IndexError("take(): tried to take from an empty tensor")
    bad = (pos < -n) | (pos >= n)
    if bad.any():
        raise IndexError(f"out of range: tried to access index {int(pos[bad][0])} on a tensor of {n} elements.")
    return wrap_as(data.reshape(-1)[pos], self.dtype)


def put_(self, index, source, accumulate=False):
    """`x$put_(index, source, accumulate = FALSE)`: writes `source` into the flattened `x` at the 1-based
    `index` positions (negatives from the end); with `accumulate`, repeated positions add up."""
    idx = _r_index_tensor(index, self)
    source = _r_tensor(source, self)
    _one_device([self, idx, source])
    if idx.dtype.name != "Long":
        raise RuntimeError(f"put_(): Expected a long tensor for index, but got {idx.dtype.name}")
    if source.dtype is not self.dtype:
        raise RuntimeError(f"put_(): self and source expected to have the same dtype, but got self.dtype = "
                           f"{self.dtype.name} and source.dtype = {source.dtype.name}")
    pos, values = idx._data.reshape(-1), source._data.reshape(-1)
    if pos.size != values.size:
        raise IndexError(f"put_(): Expected source and index to have the same number of elements, but got "
                         f"source.numel() = {values.size}, index.numel() = {pos.size}")
    n = self._data.size
    bad = (pos < -n) | (pos >= n)
    if bad.any():
        raise IndexError(f"out of range: tried to access index {int(pos[bad][0])} on a tensor of {n} elements.")
    _writable(self)
    flat = self._data.reshape(-1)
    if not np.shares_memory(flat, self._data):
        flat = self._data.ravel(order="C").copy()
    if accumulate:
        np.add.at(flat, pos, values)
    else:
        flat[pos] = values
    if not np.shares_memory(flat, self._data):
        self._data[...] = flat.reshape(self._data.shape)
    return self


def put(self, index, source, accumulate=False):
    """`x$put(index, source, accumulate = FALSE)`: `put_` on a copy."""
    return put_(clone(self), index, source, accumulate)


def fill_diagonal_(self, fill_value, wrap=False):
    """`x$fill_diagonal_(fill_value, wrap = FALSE)`: the main diagonal (all indices equal) set to
    `fill_value`; a tall matrix with `wrap = TRUE` starts again below each N x N block, as libtorch's."""
    data = self._data
    if data.ndim < 2:
        raise RuntimeError("dimensions must larger than 1")
    if data.ndim > 2 and len(set(data.shape)) != 1:
        raise RuntimeError("all dimensions of input must be of equal length")
    _writable(self)
    value = scalar_into(_r_scalar(fill_value), self.dtype)
    if data.ndim == 2:
        h, w = data.shape
        rows = np.arange(h) if wrap else np.arange(min(h, w))
        keep = (rows % (w + 1)) < w
        data[rows[keep], (rows % (w + 1))[keep]] = value
    else:
        k = np.arange(data.shape[0])
        data[(k,) * data.ndim] = value
    return self


def _scatter_checks(self, mask, source):
    mask = _r_tensor(mask, self)
    source = _r_tensor(source, self)
    _one_device([self, mask, source])
    if mask.dtype.name != "Bool":
        raise RuntimeError(f"masked_scatter_ only supports boolean masks, but got mask with dtype {mask.dtype.name}")
    if source.dtype is not self.dtype:
        raise RuntimeError(f"masked_scatter: expected self and source to have same dtypes but got"
                           f"{self.dtype.name} and {source.dtype.name}")
    return mask, source


def _scatter_into(target, mask, source):
    count = int(mask.sum())
    if count > source._data.size:
        raise RuntimeError("Number of elements of source < number of ones in mask")
    target[mask] = source._data.reshape(-1)[:count]


def masked_scatter_(self, mask, source):
    """`x$masked_scatter_(mask, source)`: `source`'s elements, in order, written where `mask` (broadcast to
    `x`) is TRUE."""
    mask, source = _scatter_checks(self, mask, source)
    err = _expand_error(self.shape, mask.shape)
    if err is not None:
        raise RuntimeError(str(err).replace("CPU{}Type", "CPUBoolType"))
    _writable(self)
    _scatter_into(self._data, np.broadcast_to(mask._data, self.shape), source)
    return self


def masked_scatter(self, mask, source):
    """`torch_masked_scatter(x, mask, source)`: a copy of `x` (broadcast with `mask`) with `source`'s
    elements, in order, where `mask` is TRUE."""
    mask, source = _scatter_checks(self, mask, source)
    try:
        shape = np.broadcast_shapes(self.shape, mask.shape)
    except ValueError:
        raise broadcast_error(mask.shape, self.shape) from None
    out = np.broadcast_to(self._data, shape).copy()
    _scatter_into(out, np.broadcast_to(mask._data, shape), source)
    return wrap_as(out, self.dtype)


def head(x, n=6):
    """R's `head(x, n)` on a tensor (R torch's method): the first `n` entries along dim 1."""
    if not isinstance(x, Tensor):
        raise TypeError("head(): rtorch's head() takes a tensor")
    n = int(n)
    if n < 0:
        raise ValueError("argument must be coercible to non-negative integer")
    return index_select(x, 1, np.arange(1, min(n, size(x, 1)) + 1, dtype=np.int64))


def tail(x, n=6):
    """R's `tail(x, n)` on a tensor (R torch's method): indices `seq.int(max(1, sz - n + 1), sz)` along dim 1."""
    if not isinstance(x, Tensor):
        raise TypeError("tail(): rtorch's tail() takes a tensor")
    sz = size(x, 1)
    start = max(1, sz - int(n) + 1)
    step = 1 if start <= sz else -1
    return index_select(x, 1, np.arange(start, sz + step, step, dtype=np.int64))


def take_along_dim(self, indices, dim=None):
    """`torch_take_along_dim(x, indices, dim = NULL)`: `gather` along 1-based `dim` with 1-based `indices`
    (negatives from the end), `x` and `indices` broadcast against each other in the other dims; without
    `dim`, the flattened `x` at the flattened `indices`."""
    idx = indices if isinstance(indices, Tensor) else torch_tensor(indices, dtype="long", device=self.device)
    if idx.dtype.name != "Long":
        raise RuntimeError(f"torch.take_along_dim(): dtype of indices should be Long but got {idx.dtype.name}")
    _one_device([self, idx])
    data, pos = self._data, idx._data
    if dim is None:
        flat = data.reshape(-1)
        return wrap_as(flat[positions0(pos.reshape(-1), flat.size, 0)], self.dtype)
    if data.ndim != pos.ndim:
        raise RuntimeError(f"torch.take_along_dim(): input and indices should have the same number of "
                           f"dimensions, but got {data.ndim} dimensions for input, and {pos.ndim} dimensions "
                           f"for indices")
    axis = dim0(dim, data.ndim)
    shape_x, shape_i = list(data.shape), list(pos.shape)
    shape_x[axis] = shape_i[axis] = 1
    try:
        full = np.broadcast_shapes(tuple(shape_x), tuple(shape_i))
    except ValueError:
        raise broadcast_error(shape_x, shape_i) from None
    bx = np.broadcast_to(data, full[:axis] + (data.shape[axis],) + full[axis + 1:])
    bi = np.broadcast_to(pos, full[:axis] + (pos.shape[axis],) + full[axis + 1:])
    n = data.shape[axis]
    p0 = positions0(bi, n, axis)
    return wrap_as(np.take_along_axis(bx, np.where(p0 < 0, p0 + n, p0), axis), self.dtype)
