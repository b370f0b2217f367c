"""Sorting and order statistics, as R torch exposes them: `sort`, `argsort`, `topk`, `msort`, `median`,
`nanmedian`, `kthvalue`, `mode`, `quantile`, `nanquantile`; unique values (`torch_unique_*`),
bucketing and histograms (`torch_searchsorted`, `torch_bucketize`, `histc`).

R torch shifts the indices of `sort`, `topk` and `argsort` to 1-based (R/wrapers.R,
R/with-indices.R); `median`, `nanmedian`, `mode`, `kthvalue`, `unique_*`, `searchsorted` and `bucketize`
are not wrapped there, so their indices are libtorch's 0-based ones, in R torch and here."""
import math

import numpy as np

from ._dtypes import COMPLEX, DTYPES, FLOATING, result_type
from ._tensor import Tensor, wrap
from ._scalars import _shape_text
from ._indexing import dim0
from ._reductions import (_back, _host, _last, _libtorch_dim, _nonzero_size, _not_implemented, _out, _pair,
                          _refuse, _tensor)

_FLOAT, _DOUBLE, _HALF = DTYPES["Float"], DTYPES["Double"], DTYPES["Half"]
_LONG, _BOOL = DTYPES["Long"], DTYPES["Bool"]


def _sorted_rows(data):
    order = np.argsort(data, axis=-1, kind="stable")
    return np.take_along_axis(data, order, -1), order


def _median_rows(rows, ignore_nan):
    """(values, 0-based indices) of the lower median of each row; NaN is the largest value."""
    vals, order = _sorted_rows(rows)
    n = rows.shape[-1]
    if rows.dtype.kind == "f":
        nans = np.isnan(rows)
        valid = n - nans.sum(-1)
        if ignore_nan:
            k = np.where(valid > 0, (valid - 1) // 2, 0)
        else:
            k = np.where(valid < n, valid, (n - 1) // 2)
    else:
        k = np.full(rows.shape[:-1], (n - 1) // 2)
    k = k[..., None]
    return np.take_along_axis(vals, k, -1)[..., 0], np.take_along_axis(order, k, -1)[..., 0]


def _empty_median(dtype):
    """libtorch fills the median of no elements with a float NaN, converted as x86 converts it: NaN for
    floating types, True for Bool, the minimum for Int and Long, 0 for the narrower integers."""
    if dtype.kind == "f":
        return np.array(np.nan, dtype)
    if dtype == np.bool_:
        return np.array(True)
    return np.array(np.iinfo(dtype).min if dtype.itemsize >= 4 else 0, dtype)


def _median(self, dim, keepdim, ignore_nan):
    data = _host(self)
    if dim is None and data.size == 0 and self.dtype.category != COMPLEX:
        return _out(_empty_median(data.dtype), self)
    if dim is None:
        _refuse(self, "median_cpu")
        return _out(_median_rows(data.reshape(-1), ignore_nan)[0], self)
    axis = dim0(dim, data.ndim)  # libtorch wraps the dim, checks its size, then looks at the dtype
    _nonzero_size(self, "median", axis)  # nanmedian's message says median() too
    _refuse(self, "median_out")
    rows = _last(data, axis)
    if rows.size == 0:
        shape = rows.shape[:-1]
        return _pair(_back(np.empty(shape, data.dtype), axis, data.ndim, keepdim),
                     _back(np.empty(shape, np.int64), axis, data.ndim, keepdim), self)
    vals, idx = _median_rows(rows, ignore_nan)
    return _pair(_back(vals, axis, data.ndim, keepdim), _back(idx, axis, data.ndim, keepdim), self)


def median(self, dim=None, keepdim=False):
    """`torch_median(x)`: the lower median; with `dim` (1-based), R torch's list of values and libtorch's
    0-based indices (R torch does not add 1 here). A NaN makes the median NaN."""
    return _median(self, dim, keepdim, False)


def nanmedian(self, dim=None, keepdim=False):
    """`torch_nanmedian(x)`: `median` ignoring NaN; indices 0-based, as R torch returns them."""
    return _median(self, dim, keepdim, True)


def kthvalue(self, k, dim=-1, keepdim=False):
    """`torch_kthvalue(x, k, dim = -1)`: the k-th smallest value along 1-based `dim` and its 0-based index
    (R torch returns libtorch's index unchanged). Among equal values the index may differ from libtorch's."""
    data = _host(self)
    axis = dim0(dim, data.ndim)
    size = data.shape[axis] if data.ndim else 1
    k = int(k)
    _nonzero_size(self, "kthvalue", axis)
    if not 1 <= k <= size:  # libtorch checks the dim, the size and k before the dtype
        raise RuntimeError(f"kthvalue(): selected number k out of range for dimension {axis}")
    _refuse(self, "kthvalue_cpu")
    vals, order = _sorted_rows(_last(data, axis))
    return _pair(_back(vals[..., k - 1], axis, data.ndim, keepdim),
                 _back(order[..., k - 1], axis, data.ndim, keepdim), self)


def mode(self, dim=-1, keepdim=False):
    """`torch_mode(x, dim = -1)`: the most frequent value along 1-based `dim` (the smallest among ties) and
    the 0-based index of its last occurrence, as libtorch computes them and R torch returns them."""
    _refuse(self, "mode_cpu", bool_too=False)
    data = _host(self)
    axis = dim0(dim, data.ndim)
    _nonzero_size(self, "mode", axis)
    rows = _last(data, axis)
    if rows.size == 0:
        shape = rows.shape[:-1]
        return _pair(_back(np.empty(shape, data.dtype), axis, data.ndim, keepdim),
                     _back(np.empty(shape, np.int64), axis, data.ndim, keepdim), self)
    vals, order = _sorted_rows(rows)
    n = rows.shape[-1]
    pos = np.arange(n)
    starts = np.ones(vals.shape, bool)
    starts[..., 1:] = vals[..., 1:] != vals[..., :-1]
    ends = np.ones(vals.shape, bool)
    ends[..., :-1] = starts[..., 1:]
    run_start = np.maximum.accumulate(np.where(starts, pos, 0), axis=-1)
    freq = np.where(ends, pos - run_start + 1, 0)
    best = np.argmax(freq, axis=-1)[..., None]
    return _pair(_back(np.take_along_axis(vals, best, -1)[..., 0], axis, data.ndim, keepdim),
                 _back(np.take_along_axis(order, best, -1)[..., 0], axis, data.ndim, keepdim), self)


_INTERPOLATIONS = ("linear", "lower", "higher", "midpoint", "nearest")


def _lerp(a, b, w):
    return np.where(w < 0.5, a + w * (b - a), b - (b - a) * (1 - w))


def _quantile(self, q, dim, keepdim, interpolation, ignore_nan):
    if self._data.size == 0:  # libtorch's first check
        raise RuntimeError("quantile() input tensor must be non-empty")
    if self.dtype not in (_FLOAT, _DOUBLE):
        raise RuntimeError("quantile() input tensor must be either float or double dtype")
    scalar_q = not isinstance(q, (Tensor, list, tuple, np.ndarray)) or (isinstance(q, np.ndarray) and q.size == 1
                                                                     and q.ndim <= 1 and q.dtype == np.float64)
    if scalar_q:
        qv = float(np.ravel(q)[0]) if isinstance(q, np.ndarray) else float(q)
        if not 0 <= qv <= 1:
            raise RuntimeError(f"quantile() q must be in the range [0, 1] but got {qv:g}")
        qs = np.array([qv], np.float64)
    else:
        qt = _tensor(q, self)
        if qt._data.ndim > 1:
            raise RuntimeError("quantile() q must be a scalar or 1D tensor")
        if qt.dtype is not self.dtype:
            raise RuntimeError("quantile() q tensor must be same dtype as the input tensor")
        qs = _host(qt).reshape(-1)
        if qs.size and not ((qs >= 0) & (qs <= 1)).all():
            raise RuntimeError("quantile() q values must be in the range [0, 1]")
        scalar_q = qt._data.ndim == 0
    data = _host(self)
    if data.size == 0:
        raise RuntimeError("quantile() input tensor must be non-empty")
    if interpolation not in _INTERPOLATIONS:
        raise RuntimeError("quantile() interpolation must be one of linear, lower, higher, midpoint or nearest, "
                           f"but got {interpolation}")
    if dim is None:
        rows, axis, ndim = data.reshape(1, -1), 0, data.ndim
    else:
        axis = dim0(dim, data.ndim)
        rows, ndim = _last(data, axis), data.ndim
    vals = np.sort(rows, axis=-1)
    nans = np.isnan(rows).sum(-1)
    n = rows.shape[-1]
    valid = (n - nans) if ignore_nan else np.where(nans > 0, 0, n)
    qs_t = qs.astype(data.dtype)
    rank = qs_t.reshape((-1,) + (1,) * valid.ndim) * (np.maximum(valid, 1) - 1).astype(data.dtype)
    if interpolation == "lower":
        rank = np.floor(rank)
    elif interpolation == "higher":
        rank = np.ceil(rank)
    elif interpolation == "nearest":
        rank = np.round(rank)
    lo = np.floor(rank).astype(np.int64)
    hi = np.ceil(rank).astype(np.int64)
    below = np.take_along_axis(np.broadcast_to(vals, (qs.size,) + vals.shape), lo[..., None], -1)[..., 0]
    above = np.take_along_axis(np.broadcast_to(vals, (qs.size,) + vals.shape), hi[..., None], -1)[..., 0]
    if interpolation in ("lower", "higher", "nearest"):  # the picked value itself, as libtorch: no lerp (Inf - Inf)
        res = below.astype(data.dtype)
    else:
        weight = np.full_like(rank, 0.5) if interpolation == "midpoint" else rank - lo
        res = _lerp(below, above, weight.astype(data.dtype)).astype(data.dtype)
    res = np.where((valid == 0)[None, ...], np.array(np.nan, data.dtype), res)
    if dim is None:
        res = res.reshape((qs.size,) + ((1,) * ndim if keepdim else ()))
    elif keepdim and ndim:
        res = np.expand_dims(res, axis + 1)
    return _out(res[0] if scalar_q else res, self)


def quantile(self, q, dim=None, keepdim=False, interpolation="linear"):
    """`torch_quantile(x, q)`: `q` a number, or a tensor or R vector (a vector becomes a Float tensor, as R
    torch's dispatch makes it, so it must match `x`'s dtype); `dim` 1-based. A NaN gives NaN."""
    return _quantile(self, q, dim, keepdim, interpolation, False)


def nanquantile(self, q, dim=None, keepdim=False, interpolation="linear"):
    """`torch_nanquantile(x, q)`: `quantile` ignoring NaN (a row of NaN gives NaN)."""
    return _quantile(self, q, dim, keepdim, interpolation, True)


def msort(self):
    """`torch_msort(x)`: `x` sorted along its first dim (values only)."""
    _refuse(self, "sort", bool_too=False)
    data = _host(self)
    return _out(data.copy() if data.ndim == 0 else np.sort(data, axis=0, kind="stable"), self)


_EMPTY_LONG = np.empty(0, np.int64)


def _unique_flat(data, want_inverse, want_counts):
    flat = data.reshape(-1)
    vals, inverse, counts = np.unique(flat, return_inverse=True, return_counts=True, equal_nan=False)
    return (vals, inverse.reshape(data.shape).astype(np.int64) if want_inverse else _EMPTY_LONG,
            counts.astype(np.int64) if want_counts else _EMPTY_LONG)


def torch__unique(self, sorted=True, return_inverse=False):
    """`torch__unique(x)`: R torch's list of the sorted unique values and, with `return_inverse`, libtorch's
    0-based inverse indices (R torch adds nothing; R torch has no `torch_unique()`)."""
    self = _tensor(self)
    vals, inverse, _ = _unique_flat(_host(self), return_inverse, False)
    return _out(vals, self), _out(inverse, self)


def torch__unique2(self, sorted=True, return_inverse=False, return_counts=False):
    """`torch__unique2(x)`: unique values, 0-based inverse indices (shaped as `x`) and counts; the last two
    are empty unless asked for."""
    self = _tensor(self)
    return tuple(_out(a, self) for a in _unique_flat(_host(self), return_inverse, return_counts))


def _unique_slices(data, axis, consecutive):
    """Unique slices along `axis`: (slices, inverse, counts), sorted lexicographically unless `consecutive`."""
    moved = np.moveaxis(data, axis, 0)
    n = moved.shape[0]
    rows = moved.reshape(n, int(np.prod(moved.shape[1:])))
    if consecutive:
        if n == 0:
            return data.copy(), _EMPTY_LONG, _EMPTY_LONG
        new = np.ones(n, bool)
        new[1:] = (rows[1:] != rows[:-1]).any(axis=1)
        inverse = np.cumsum(new) - 1
        keep = np.flatnonzero(new)
        counts = np.diff(np.append(keep, n))
        return np.moveaxis(moved[keep], 0, axis), inverse.astype(np.int64), counts.astype(np.int64)
    order = np.lexsort(rows.T[::-1]) if rows.shape[1] else np.arange(n)
    srt = rows[order]
    new = np.ones(n, bool)
    new[1:] = (srt[1:] != srt[:-1]).any(axis=1) if n else new[1:]
    group = np.cumsum(new) - 1
    inverse = np.empty(n, np.int64)
    inverse[order] = group
    keep = order[new]
    counts = np.bincount(group, minlength=int(new.sum())) if n else _EMPTY_LONG
    return np.moveaxis(moved[keep], 0, axis), inverse, counts.astype(np.int64)


def _slices_check(data, axis):
    if data.ndim == 0:
        raise IndexError(f"Dimension specified as {axis} but tensor has no dimensions")
    if any(s == 0 for i, s in enumerate(data.shape) if i != axis):
        raise RuntimeError("There are 0 sized dimensions, and they aren't selected, so unique cannot be applied")


def _unique_dim(self, dim, consecutive):
    self = _tensor(self)
    data = _host(self)
    if data.ndim == 0:
        _slices_check(data, _libtorch_dim(int(dim)))
    axis = dim0(dim, data.ndim)
    _slices_check(data, axis)
    return tuple(_out(a, self) for a in _unique_slices(data, axis, consecutive))


def torch_unique_dim(self, dim, sorted=True, return_inverse=False, return_counts=False):
    """`torch_unique_dim(x, dim)`: the unique slices along 1-based `dim`, with libtorch's 0-based inverse
    indices and counts (libtorch always computes both)."""
    return _unique_dim(self, dim, consecutive=False)


def torch_unique_dim_consecutive(self, dim, return_inverse=False, return_counts=False):
    """`torch_unique_dim_consecutive(x, dim)`: `unique_consecutive` over slices along 1-based `dim`."""
    return _unique_dim(self, dim, consecutive=True)


def torch_unique_consecutive(self, return_inverse=False, return_counts=False, dim=None):
    """`torch_unique_consecutive(x)`: values with consecutive repeats collapsed, 0-based inverse indices
    (shaped as `x`) and counts, the last two empty unless asked for; with 1-based `dim`, over slices."""
    self = _tensor(self)
    data = _host(self)
    if dim is not None:
        return torch_unique_dim_consecutive(self, dim, return_inverse, return_counts)
    flat = data.reshape(-1)
    n = flat.size
    new = np.ones(n, bool)
    new[1:] = flat[1:] != flat[:-1]
    keep = np.flatnonzero(new)
    inverse = (np.cumsum(new) - 1).reshape(data.shape).astype(np.int64) if return_inverse else _EMPTY_LONG
    counts = np.diff(np.append(keep, n)).astype(np.int64) if return_counts else _EMPTY_LONG
    return _out(flat[keep], self), _out(inverse, self), _out(counts, self)


def _fmt(v):
    v = float(v)
    if math.isnan(v):
        return "-nan" if math.copysign(1, v) < 0 else "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return f"{v:g}"


def histc(self, bins=100, min=0, max=0):
    """`torch_histc(x, bins = 100, min = 0, max = 0)`: counts in `bins` equal bins over [min, max] (the data's
    range when both are equal), in `x`'s floating dtype; values outside are ignored."""
    if self.dtype.category != FLOATING:
        raise _not_implemented("histogram_cpu", self)
    bins = int(bins)
    if bins <= 0:
        raise RuntimeError(f"torch.histogram(): bins must be > 0, but got {bins} for dimension 0")
    data = _host(self).reshape(-1)
    dt = data.dtype
    lo, hi = dt.type(min), dt.type(max)
    if lo == hi and data.size:
        lo, hi = data.min(), data.max()
    if lo == hi:
        lo, hi = lo - 1, hi + 1
    if not (np.isfinite(lo) and np.isfinite(hi)):
        raise RuntimeError(f"torch.histc: range of [{_fmt(lo)}, {_fmt(hi)}] is not finite")
    if lo > hi:
        raise RuntimeError("torch.histc: max must be larger than min")
    edges = np.linspace(lo, hi, bins + 1).astype(dt)
    inside = data[(data >= lo) & (data <= hi)]
    pos = ((inside - lo) * dt.type(bins) / (hi - lo)).astype(np.int64)
    pos = np.clip(pos, 0, bins)
    up = (pos < bins) & (inside >= edges[np.minimum(pos + 1, bins)])
    pos = np.where(up, pos + 1, pos)
    down = (pos > 0) & (inside < edges[np.minimum(pos, bins)])
    pos = np.where(down, pos - 1, pos)
    pos = np.minimum(pos, bins - 1)
    return _out(np.bincount(pos, minlength=bins).astype(dt), self)


def _search(boundaries, values, right, sorter=None):
    """0-based insertion positions of `values` in each row of `boundaries` (1-d, or matching leading dims)."""
    side = "right" if right else "left"
    if boundaries.ndim == 1:
        seq = boundaries if sorter is None else boundaries[sorter]
        return np.searchsorted(seq, values, side=side)
    out = np.empty(values.shape, np.int64)
    rows = int(np.prod(boundaries.shape[:-1]))
    b2 = boundaries.reshape(rows, boundaries.shape[-1])
    s2 = None if sorter is None else sorter.reshape(rows, boundaries.shape[-1])
    v2, o2 = values.reshape(rows, values.shape[-1]), out.reshape(rows, values.shape[-1])
    for i in range(b2.shape[0]):
        seq = b2[i] if s2 is None else b2[i][s2[i]]
        o2[i] = np.searchsorted(seq, v2[i], side=side)
    return out


def _values(x, like):
    """The values to place: a tensor, an R vector, or a number (an R vector of length one, as R torch's
    dispatch passes a Scalar) as a 0-d tensor."""
    if type(x) is Tensor:
        return x
    if isinstance(x, np.ndarray) and x.size == 1 and x.ndim <= 1:
        x = x.reshape(-1)[0]
    if isinstance(x, (bool, int, float, np.generic)):
        arr = np.asarray(x, np.float64 if type(x) in (int, float) else None)
        return _out(arr, like)
    return _tensor(x, like)


def _is_number(x):
    return type(x) is not Tensor and (isinstance(x, (bool, int, float, np.generic)) or (
        isinstance(x, np.ndarray) and x.size == 1 and x.ndim <= 1))


def _search_operands(boundaries, values, kernel, number=False):
    """Both operands in libtorch's result_type of the two (a number is a wrapped scalar, a 0-d tensor a lower
    tier than the boundaries): Half boundaries and 0-d Float values compare in Half."""
    tiers = ([boundaries.dtype], [], [])
    tiers[2 if number else 0 if values._data.ndim else 1].append(values.dtype)
    common = result_type(*tiers)
    for t in (boundaries, values):  # a Bool operand goes when the other promotes it
        if (t.dtype is _BOOL and common is _BOOL) or t.dtype.category == COMPLEX:
            raise _not_implemented(kernel, t)
    return _host(boundaries).astype(common.numpy), _host(values).astype(common.numpy)


def torch_searchsorted(sorted_sequence, self, out_int32=False, right=False, side=None, sorter=None):
    """`torch_searchsorted(sorted_sequence, self)`: libtorch's 0-based insertion positions, returned by R
    torch as they are (it adds no 1: a position is the count of boundaries before the value). `self` may be
    a number (0-d result); `sorter`, if given, holds libtorch's 0-based sorting indices, as R torch passes it."""
    seq = _tensor(sorted_sequence)
    vals = _values(self, seq)
    if side is not None:
        if side not in ("left", "right"):
            raise RuntimeError(f"torch.searchsorted(): side can only be 'left' or 'right' but got {side}")
        if side == "left" and right:
            raise RuntimeError(f"torch.searchsorted(): side and right can't be set to opposites, got side of "
                               f"{side} while right was True")
        right = side == "right"
    if seq._data.ndim == 0:
        raise RuntimeError("torch.searchsorted(): boundaries tensor should have positive dimension, but got 0 "
                           "dimension")
    if seq._data.size == 0 or vals._data.size == 0:  # no kernel runs: any dtype goes, every position is 0
        b, v = _host(seq), _host(vals)
    else:
        b, v = _search_operands(seq, vals, "searchsorted_out_cpu", _is_number(self))
    if b.ndim > 1 and (v.ndim != b.ndim or v.shape[:-1] != b.shape[:-1]):
        raise RuntimeError("torch.searchsorted(): boundaries tensor should be 1 dimension or the first N-1 "
                           "dimensions of boundaries tensor and input value tensor must match, but we got "
                           f"boundaries tensor {_shape_text(b.shape)} and input value tensor "
                           f"{_shape_text(v.shape)}")
    srt = None if sorter is None or (isinstance(sorter, (list, tuple)) and not sorter) else _host(_tensor(sorter))
    out = np.asarray(_search(b, v, right, srt))
    return _out(out.astype(np.int32 if out_int32 else np.int64), seq)


def torch_bucketize(self, boundaries, out_int32=False, right=False):
    """`torch_bucketize(x, boundaries)`: the 0-based bucket of each value of `x` in the 1-d `boundaries`
    (R torch returns libtorch's positions unchanged); `right = TRUE` puts a value equal to a boundary in
    the next bucket. `x` may be a number (0-d result)."""
    bounds = _tensor(boundaries)
    if bounds._data.ndim != 1:
        raise RuntimeError(f"boundaries tensor must be 1 dimension, but got dim({bounds._data.ndim})")
    vals = _values(self, bounds)
    if bounds._data.size == 0 or vals._data.size == 0:  # no kernel runs: any dtype goes
        return _out(np.zeros(vals._data.shape, np.int32 if out_int32 else np.int64), bounds)
    b, v = _search_operands(bounds, vals, "searchsorted_out_cpu", _is_number(self))
    out = np.asarray(_search(b, v, right))
    return _out(out.astype(np.int32 if out_int32 else np.int64), bounds)


def sort(self, dim=-1, descending=False, stable=False):
    """R torch's list of sorted values and 1-based indices; NaN sorts as the largest value."""
    data = self._data
    if self.dtype.category == COMPLEX:
        raise RuntimeError(" Sort does not support complex dtypes on CPU")
    axis = dim0(dim, data.ndim)
    if data.ndim == 0:
        return wrap(data.copy()), wrap(np.ones_like(data, np.int64))
    key = data
    if descending:
        key = -data.astype(np.float64) if data.dtype.kind in "iu" else ~data if data.dtype == bool else -data
        if data.dtype.kind == "f" and np.isnan(data).any():
            idx = np.argsort(key, axis=axis, kind="stable")
            nan_last = np.take_along_axis(~np.isnan(data), idx, axis)
            idx = np.take_along_axis(idx, np.argsort(nan_last, axis=axis, kind="stable"), axis)
            return wrap(np.take_along_axis(data, idx, axis)), wrap(idx.astype(np.int64) + 1)
    idx = np.argsort(key, axis=axis, kind="stable")
    return wrap(np.take_along_axis(data, idx, axis)), wrap(idx.astype(np.int64) + 1)


def topk(self, k, dim=-1, largest=True, sorted=True):
    """R torch's list of the `k` largest (or smallest) values and their 1-based indices."""
    data = self._data
    if self.dtype.category == COMPLEX:
        raise RuntimeError(" topk does not support complex dtypes on CPU")
    if self.dtype is _BOOL:
        raise RuntimeError("topk does not support bool dtypes on CPU")
    axis = dim0(dim, data.ndim)
    if not 0 <= k <= (data.shape[axis] if data.ndim else 1):
        raise RuntimeError("selected index k out of range")
    vals, idx = sort(self, dim, descending=largest)
    if data.ndim == 0:
        return vals, idx
    sl = (slice(None),) * axis + (slice(0, k),)
    return wrap(vals._data[sl]), wrap(idx._data[sl])


def argsort(self, dim=-1, descending=False, stable=False):
    """`x$argsort()`: the 1-based positions that sort `x` along `dim`."""
    return sort(self, dim, descending, stable)[1]
