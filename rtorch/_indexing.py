"""R torch's indexing: 1-based, inclusive slices, negative positions from the end, `N`, `..`,
`drop = FALSE`. This module is the one place that turns R positions and dims into 0-based ones."""
import numbers

import numpy as np

from ._dtypes import DTYPES, FLOATING, INTEGRAL
from ._tensor import Tensor, wrap
from ._scalars import _shape_text, _writable, scalar_into, value_array

_BOOL = DTYPES["Bool"]


class _Last(int):
    """`N`: the last position of a dimension (R torch's `N` in `t[2:N]`)."""

    def __repr__(self):
        return "N"


N = _Last(2 ** 31 - 1)
ZERO_INDEX = "Indexing starts at 1 but found a 0."
newaxis = None


class drop:
    """`drop(False)` as the last index keeps the dims indexed by a single integer (R's `drop = FALSE`)."""

    __slots__ = ("value",)

    def __init__(self, value=True):
        if not isinstance(value, (bool, np.bool_)):
            raise TypeError(f"drop() takes TRUE or FALSE, not {value!r}")
        self.value = bool(value)


def dim0(d, ndim):
    """An R torch dim (1-based; -1 is the last) as a 0-based axis, with libtorch's range check."""
    if type(d) is int and 0 < d <= ndim:
        return d - 1
    if isinstance(d, Tensor):
        d = d.item()
    if isinstance(d, float) and d.is_integer():
        d = int(d)
    if not isinstance(d, numbers.Integral) or isinstance(d, bool):
        raise TypeError(f"dim must be an integer, not {d!r}")
    d = int(d)
    n = max(ndim, 1)
    if d == 0:
        raise IndexError("Dimension is 1-based, but found 0.")
    if not -n <= d <= n:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-n}, {n}], but got {d})")
    return d - 1 if d > 0 else d + n


def dims0(dims, ndim):
    if type(dims) is int:
        return dim0(dims, ndim)
    if isinstance(dims, (list, tuple, np.ndarray)):
        dims = np.ravel(dims).tolist()
        if 0 in dims:
            raise IndexError(ZERO_INDEX)
        axes = tuple(dim0(d, ndim) for d in dims)
        for i, a in enumerate(axes):
            if a in axes[:i]:
                raise RuntimeError(f"dim {a} appears multiple times in the list of dims")
        return axes
    return dim0(dims, ndim)


def position0(k, size, axis):
    """One R torch position as a 0-based one: k > 0 counts from 1, k < 0 from the end, 0 is an error."""
    if k == 0:
        raise IndexError(ZERO_INDEX)
    i = k - 1 if k > 0 else k
    if not -size <= i < size:
        raise IndexError(f"index {k} is out of bounds for dimension {axis + 1} with size {size}")
    return i


def positions0(v, size, axis):
    """A vector of R torch positions (1-based, negatives from the end) as 0-based ones."""
    if not hasattr(v, "ndim"):
        v = np.asarray(v)
    if v.size and (v == 0).any():
        raise IndexError(ZERO_INDEX)
    out = np.where(v > 0, v - 1, v).astype(np.intp, copy=False)
    if v.size:
        lo, hi = out.min(), out.max()
        if lo < -size or hi >= size:
            bad = v.reshape(-1)[int(np.argmax((out < -size) | (out >= size)))].item()
            raise IndexError(f"index {bad} is out of bounds for dimension {axis + 1} with size {size}")
    return out


def slc(start, end, step=1):
    """R torch's `slc(start, end, step = 1)`: the slice `start:end:step` (1-based, `end` included, negatives
    from the end, `Inf` or `N` the last), for `x[slc(1, 3)]`; a Python slice, as `x[1:3]` makes."""
    if isinstance(end, float) and end == float("inf"):
        end = N
    return slice(start, end, step)


def _integral(x, what="index"):
    if isinstance(x, (bool, np.bool_)):
        return None
    if isinstance(x, _Last):
        return -1
    if isinstance(x, numbers.Integral):
        return int(x)
    if isinstance(x, (float, np.floating)):
        if x != x:
            raise IndexError(f"NaN is not a valid {what}")
        if not float(x).is_integer():
            raise IndexError(f"{what} {x} is not a whole number")
        return int(x)
    return None


def _slice0(s, size):
    """R torch's inclusive slice `start:end:step` as a 0-based Python slice."""
    start = s.start
    step = 1 if s.step is None else _integral(s.step, "slice step")
    if step is None or step <= 0:
        raise ValueError(f"slice step must be greater than zero, not {s.step!r}")
    if start is None:
        start0 = None
    else:
        k = _integral(start, "slice start")
        if k is None:
            raise TypeError(f"slice start must be an integer, not {start!r}")
        if k == 0:
            raise IndexError(ZERO_INDEX)
        start0 = k - 1 if k > 0 else k
    if s.stop is None or isinstance(s.stop, _Last):
        stop0 = None
    else:
        e = _integral(s.stop, "slice end")
        if e is None:
            raise TypeError(f"slice end must be an integer, not {s.stop!r}")
        stop0 = None if e == -1 else (e + 1 if e < -1 else e)
    return slice(start0, stop0, step)


def _vector(x):
    """An index that selects along one dim (or several for a mask): a 0-based int array or a bool array,
    else None for a scalar-like index. A single TRUE/FALSE is a length-one logical vector, as in R."""
    if isinstance(x, (bool, np.bool_)):
        return np.array([x])
    if isinstance(x, Tensor):
        if x.dtype.name == "Bool":
            return x.__array__()
        if x.dtype.category != INTEGRAL:
            raise IndexError(f"tensors used as indices must be Long or Bool, not {x.dtype}")
        return x.__array__()
    if isinstance(x, (list, tuple, np.ndarray)):
        arr = np.asarray(x)
        if arr.dtype == object or arr.dtype.kind not in "biuf":
            raise IndexError(f"unsupported index {x!r}: use integers, logicals or tensors")
        if arr.dtype.kind == "f":
            if np.isnan(arr).any():
                raise IndexError("NaN is not a valid index")
            if not (arr == np.trunc(arr)).all():
                raise IndexError(f"index vector has non-whole numbers: {arr.tolist()}")
            arr = arr.astype(np.int64)
        return arr
    return None


def _selects(item, vec):
    """Whether an index item selects positions along a dim (a vector, a mask, a tensor with dims)
    rather than picking one position; a length-one R vector picks, a one-element tensor selects."""
    return vec is not None and (vec.dtype == bool or vec.ndim > 1 or
                                (vec.ndim == 1 and (vec.size != 1 or isinstance(item, Tensor))))


def _parse(x, index):
    """Split an index into items and the drop flag; expand `...` and pad the missing dims."""
    items = list(index) if isinstance(index, tuple) else [index]
    keep = True
    if items and isinstance(items[-1], drop):
        keep = items.pop().value
    if any(isinstance(i, drop) for i in items):
        raise IndexError("drop(...) may only stand last in an index")
    vectors = [_vector(i) for i in items]
    consumed = 0
    for item, vec in zip(items, vectors):
        if item is None or item is Ellipsis:
            continue
        consumed += vec.ndim if vec is not None and vec.dtype == bool and vec.ndim > 0 else 1
    ndim = x._data.ndim
    n_ellipsis = sum(1 for i in items if i is Ellipsis)
    if n_ellipsis > 1:
        raise IndexError("an index can only have a single ellipsis ('...')")
    if consumed > ndim:
        raise IndexError(f"too many indices for tensor of dimension {ndim}")
    return items, vectors, keep, ndim - consumed


def _unsqueeze_strides(out, data, basic):
    """libtorch inserts a `None` dim with unsqueeze, left to right: its stride is the size times the stride
    of the source dim after it, as yet unindexed (1 past the last); NumPy gives such dims stride 0."""
    strides = list(out.strides)
    position = source = 0
    for item in basic:
        if item is None:
            strides[position] = data.shape[source] * data.strides[source] if source < data.ndim else data.itemsize
        else:
            source += 1
        position += not isinstance(item, int)
    return np.lib.stride_tricks.as_strided(out, strides=strides, writeable=out.flags.writeable)


def getitem(x, index):
    """`x[...]` with R torch's meaning: basic items give a view; each vector selects along its own dim."""
    data = x._data
    if isinstance(index, Tensor) and index.dtype is _BOOL and index._data.shape == data.shape \
            and type(index._data) is type(data):
        return wrap(data[index._data])
    items, vectors, keep, free = _parse(x, index)
    basic = []
    later = []
    axis = out_axis = 0
    shape = data.shape
    for item, vec in zip(items, vectors):
        if item is Ellipsis:
            basic.extend([slice(None)] * free)
            axis += free
            out_axis += free
        elif item is None:
            basic.append(None)
            out_axis += 1
        elif isinstance(item, slice):
            basic.append(_slice0(item, shape[axis]))
            axis += 1
            out_axis += 1
        elif _selects(item, vec):
            span = vec.ndim if vec.dtype == bool else 1
            if vec.dtype == bool:
                if vec.shape != shape[axis:axis + span]:
                    raise IndexError(f"The shape of the mask {list(vec.shape)} does not match the shape of "
                                     f"the indexed tensor {list(shape[axis:axis + span])}")
                later.append((out_axis, span, vec))
            else:
                later.append((out_axis, 1, positions0(vec, shape[axis], axis)))
            basic.extend([slice(None)] * span)
            axis += span
            out_axis += 1
        else:
            k = _integral(item) if vec is None else _integral(vec.reshape(-1)[0] if vec.size else None)
            if k is None:
                raise IndexError(f"unsupported index {item!r}")
            i = position0(k, shape[axis], axis)
            if keep:
                basic.append(i)
            else:
                basic.append(slice(i, i + 1 if i != -1 else None))
                out_axis += 1
            axis += 1
    out = data[tuple(basic) + (Ellipsis,)] if basic else data
    if None in basic and type(out) is np.ndarray:
        out = _unsqueeze_strides(out, data, basic)
    for out_axis, span, vec in later:
        out = out[(slice(None),) * out_axis + (vec,)]
    return wrap(out)


def setitem(x, index, value):
    """`x[...] <- value`: R torch puts through one libtorch index and allows only one vector or tensor in
    it (several would pair up element-wise in libtorch, unlike R), so a second one is an error."""
    data = x._data
    if type(index) is Tensor and (type(value) is float or type(value) is int) and index.dtype is _BOOL \
            and type(data) is np.ndarray and type(index._data) is np.ndarray and x.dtype.category == FLOATING \
            and index._data.shape == data.shape and -65504.0 <= value <= 65504.0 and data.flags.writeable:
        np.putmask(data, index._data, value)
        return
    if isinstance(value, (bool, int, float, np.generic)):
        scalar_into(value, x.dtype)  # libtorch converts a number before it looks at the index
    if type(index) is Tensor and index.dtype is _BOOL and index._data.shape == data.shape \
            and type(index._data) is type(data):
        _writable(x, overlap=False)
        v = value_array(value, x)
        _same_dtype_for_index_put(x, value, (index._data,))
        if np.ndim(v) == 0:
            np.copyto(data, v, where=index._data, casting="unsafe")
            return
        key = (index._data,)
    else:
        items, vectors, keep, free = _parse(x, index)
        key = []
        axis = n_vectors = 0
        shape = data.shape
        for item, vec in zip(items, vectors):
            if item is Ellipsis:
                key.extend([slice(None)] * free)
                axis += free
            elif item is None:
                key.append(item)
            elif isinstance(item, slice):
                key.append(_slice0(item, shape[axis]))
                axis += 1
            elif _selects(item, vec):
                n_vectors += 1
                if n_vectors > 1:
                    raise IndexError("Only one tensor is allowed in the index")
                if vec.dtype == bool:
                    if vec.shape != shape[axis:axis + vec.ndim]:
                        raise IndexError(f"The shape of the mask {list(vec.shape)} does not match the shape of "
                                         f"the indexed tensor {list(shape[axis:axis + vec.ndim])}")
                    key.append(vec)
                    axis += vec.ndim
                else:
                    _same_dtype_for_index_put(x, value, (vec,))  # libtorch checks dtypes before positions
                    key.append(positions0(vec, shape[axis], axis))
                    axis += 1
            else:
                k = _integral(item) if vec is None else _integral(vec.reshape(-1)[0] if vec.size else None)
                if k is None:
                    raise IndexError(f"unsupported index {item!r}")
                key.append(position0(k, shape[axis], axis))
                axis += 1
        key = tuple(key)
        data, key = _positions_first(data, key)
    # libtorch checks the written view for shared memory, and lets a tensor index through (deprecated)
    _writable(data if any(_is_advanced(k) for k in key) else data[key + (Ellipsis,)],
              overlap=not any(_is_advanced(k) for k in key))
    v = value_array(value, x)
    _same_dtype_for_index_put(x, value, key)
    try:
        data[key] = v
    except ValueError:
        _put_squeezed(data, key, v)


def _is_advanced(k):
    return isinstance(k, np.ndarray)


def _positions_first(data, key):
    """libtorch takes the single positions first and then the tensor indices; NumPy counts a position next
    to an array index as one more array index and may move the selected dims to the front. The view after
    the positions, and the key left for it."""
    if not any(type(k) is int for k in key) or not any(_is_advanced(k) for k in key):
        return data, key
    pre, rest = [], []
    for k in key:
        if type(k) is int:
            pre.append(k)
        elif k is None:
            rest.append(k)
        else:
            span = k.ndim if isinstance(k, np.ndarray) and k.dtype == bool else 1
            pre.extend([slice(None)] * span)
            rest.append(k)
    return data[tuple(pre) + (Ellipsis,)], tuple(rest)


def _same_dtype_for_index_put(x, value, key):
    """libtorch casts a tensor value into a view (positions, slices) and into a single mask when the value
    has one element (a masked fill); otherwise a tensor index wants the dtypes to match."""
    if type(value) is not Tensor or value.dtype is x.dtype:
        return
    advanced = [k for k in key if _is_advanced(k)]
    if not advanced:
        return
    if len(advanced) == 1 and isinstance(advanced[0], np.ndarray) and advanced[0].dtype == bool \
            and value._data.size == 1:
        scalar_into(value._data.reshape(-1)[0], x.dtype, checked_half=True)  # a masked fill: a checked scalar
        return
    raise RuntimeError(f"Index put requires the source and destination dtypes match, got {x.dtype.name} "
                       f"for the destination and {value.dtype.name} for the source.")


def _put_squeezed(data, key, v):
    """libtorch's rule for `x[i] <- v` where `v` has more dims than the target: leading size-1 dims drop."""
    target = data[key].shape
    v = np.asarray(v) if not hasattr(v, "ndim") else v
    while v.ndim > len(target) and v.shape[0] == 1:
        v = v[0]
    try:
        data[key] = v
    except ValueError:
        raise RuntimeError(f"shape mismatch: value tensor of shape {_shape_text(v.shape)} cannot be "
                           f"broadcast to indexing result of shape {_shape_text(target)}") from None
