"""The functions that combine tensors beyond `cat` and `stack` (`_manipulation.py`): `torch_hstack`,
`vstack`, `dstack`, `column_stack`, `torch_block_diag`, `torch_cartesian_prod`, `torch_combinations`,
`torch_meshgrid`, `torch_broadcast_tensors`, `torch_vander`, `torch_atleast_*d`, and `torch_complex`
(a complex tensor from its real and imaginary parts). Dims are 1-based."""
import numpy as np

from ._dtypes import FLOATING
from ._tensor import Tensor, wrap, wrap_as
from ._manipulation import (_COMPLEX_OF, _as_tensor, _one_device, _r_tensor, _tensor_list, cat, expand)
from ._scalars import _shape_text, broadcast_error


def _atleast(fn):
    def atleast(self):
        if isinstance(self, (list, tuple)):
            return [wrap(fn(t._data)) for t in self]
        return wrap(fn(self._data))
    return atleast


atleast_1d = _atleast(np.atleast_1d)


atleast_2d = _atleast(np.atleast_2d)


atleast_3d = _atleast(np.atleast_3d)


def torch_complex(real, imag):
    """`torch_complex(real, imag)`: both Float (gives ComplexFloat) or both Double (ComplexDouble), broadcast;
    R numbers are Float tensors."""
    real, imag = _as_tensor(real), _as_tensor(imag)
    names = real.dtype.name, imag.dtype.name
    if not set(names) <= {"Half", "Float", "Double"}:
        raise RuntimeError("Expected both inputs to be Half, Float or Double tensors but got "
                           f"{names[0]} and {names[1]}")
    if names[0] != names[1]:
        raise RuntimeError(f"Expected object of scalar type {names[0]} but got scalar type {names[1]} for second "
                           "argument")
    if names[0] == "Half":
        raise TypeError("ComplexHalf tensors are not supported")
    _one_device([real, imag])
    from ._devices import array_module
    try:
        shape = np.broadcast_shapes(real.shape, imag.shape)
    except ValueError:
        raise broadcast_error(real.shape, imag.shape) from None
    out = array_module(real.device).empty(shape, _COMPLEX_OF[names[0]])
    out.real = real._data
    out.imag = imag._data
    return wrap(out)


def meshgrid(tensors, indexing=None):
    """`torch_meshgrid(list(x, y), indexing)`: coordinate grids, as expanded views of the inputs. Without
    `indexing`, libtorch's default "ij" (R torch also passes on libtorch's deprecation warning)."""
    tensors = _tensor_list(tensors, "meshgrid")
    for t in tensors:
        if t.ndim > 1:
            raise RuntimeError(f"torch.meshgrid: Expected 0D or 1D tensor in the tensor list but got: {t}")
    if any(t.dtype is not tensors[0].dtype for t in tensors):
        raise RuntimeError("meshgrid expects all tensors to have the same dtype")
    mode = "ij" if indexing is None else str(np.ravel(indexing)[0]) if not isinstance(indexing, str) else indexing
    if mode not in ("ij", "xy"):
        raise RuntimeError(f'torch.meshgrid: indexing must be one of "xy" or "ij", but received: {mode}')
    sizes = [t._data.size for t in tensors]
    order = list(range(len(tensors)))
    if mode == "xy" and len(tensors) >= 2:
        order[0], order[1] = 1, 0
    shape = [sizes[i] for i in order]
    out = []
    for i, t in enumerate(tensors):
        pos = order.index(i)
        view = t._data.reshape((1,) * pos + (sizes[i],) + (1,) * (len(shape) - pos - 1))
        out.append(expand(wrap_as(view, t.dtype), shape))
    return out


def hstack(tensors):
    """`torch_hstack(list(a, b))`: concatenated along dim 2, or dim 1 for vectors (0-d ones are vectors)."""
    ts = [wrap_as(t._data.reshape(1) if t.ndim == 0 else t._data, t.dtype) for t in _tensor_list(tensors, "hstack")]
    return cat(ts, 1 if ts[0].ndim == 1 else 2)


def vstack(tensors):
    """`torch_vstack(list(a, b))`: rows stacked, vectors (and 0-d tensors) taken as one-row matrices."""
    ts = [wrap_as(np.atleast_2d(t._data), t.dtype) for t in _tensor_list(tensors, "vstack")]
    return cat(ts, 1)


row_stack = vstack


def dstack(tensors):
    """`torch_dstack(list(a, b))`: stacked along dim 3 after `torch_atleast_3d()`."""
    ts = [wrap_as(np.atleast_3d(t._data), t.dtype) for t in _tensor_list(tensors, "dstack")]
    return cat(ts, 3)


def column_stack(tensors):
    """`torch_column_stack(list(a, b))`: vectors (and 0-d tensors) as columns, matrices as they are, along
    dim 2."""
    ts = [wrap_as(t._data.reshape(-1, 1) if t.ndim <= 1 else t._data, t.dtype)
          for t in _tensor_list(tensors, "column_stack")]
    return cat(ts, 2)


def block_diag(tensors):
    """`torch_block_diag(list(a, b))`: the tensors (0-d, 1-d as one row, or 2-d) along a block diagonal,
    in their promoted dtype; libtorch numbers the inputs 0-based in its error."""
    from ._dtypes import result_type, torch_get_default_dtype
    if isinstance(tensors, Tensor):
        tensors = [tensors]
    ts = [_r_tensor(t) for t in tensors]
    if not ts:
        return wrap_as(np.zeros((1, 0), torch_get_default_dtype().numpy), torch_get_default_dtype())
    _one_device(ts)
    mats = []
    for i, t in enumerate(ts):
        if t.ndim > 2:
            raise RuntimeError(f"torch.block_diag: Input tensors must have 2 or fewer dimensions. Input {i} has "
                               f"{t.ndim} dimensions")
        mats.append(t._data.reshape((1, 1) if t.ndim == 0 else (1, -1) if t.ndim == 1 else t._data.shape))
    res = result_type([t.dtype for t in ts if t.ndim], [t.dtype for t in ts if not t.ndim])
    rows, cols = sum(m.shape[0] for m in mats), sum(m.shape[1] for m in mats)
    out = np.zeros_like(mats[0], shape=(rows, cols), dtype=res.numpy)
    r = c = 0
    for m in mats:
        out[r:r + m.shape[0], c:c + m.shape[1]] = m
        r, c = r + m.shape[0], c + m.shape[1]
    return wrap_as(out, res)


def _vector(t):
    if t.ndim != 1:
        raise RuntimeError(f"Expect a 1D vector, but got shape {_shape_text(t.shape)}")


def cartesian_prod(tensors):
    """`torch_cartesian_prod(list(a, b))`: every combination of the vectors' elements, one per row (a single
    vector comes back as it is)."""
    ts = _tensor_list(tensors, "cartesian_prod")
    for t in ts:
        _vector(t)
    if len(ts) == 1:
        return ts[0]
    grids = meshgrid(ts, "ij")
    return wrap_as(np.stack([g._data.reshape(-1) for g in grids], axis=1), ts[0].dtype)


def combinations(self, r=2, with_replacement=False):
    """`torch_combinations(x, r = 2, with_replacement = FALSE)`: the length-`r` combinations of a vector's
    elements, one per row, in lexicographic order of positions."""
    import itertools
    self = _r_tensor(self)
    _vector(self)
    r = int(r)
    if r < 0:
        raise RuntimeError(f"Expect a non-negative number, but got {r}")
    data = self._data
    if r == 0:
        return wrap_as(data[:0].copy(), self.dtype)
    pick = itertools.combinations_with_replacement if with_replacement else itertools.combinations
    idx = np.array(list(pick(range(data.shape[0]), r)), dtype=np.intp).reshape(-1, r)
    return wrap_as(data[idx], self.dtype)


def broadcast_tensors(tensors):
    """`torch_broadcast_tensors(list(a, b))`: the tensors expanded (as views) to their common shape."""
    ts = _tensor_list(tensors, "broadcast_tensors")
    shape = ()
    for t in ts:
        try:
            shape = np.broadcast_shapes(shape, t.shape)
        except ValueError:
            raise broadcast_error(shape, t.shape) from None
    return [expand(t, shape) for t in ts]


def vander(x, N=None, increasing=False):
    """`torch_vander(x, N = NULL, increasing = FALSE)`: the Vandermonde matrix of a vector (powers N - 1
    down to 0, or up with `increasing`); integer and Bool input give Long, as libtorch computes it by
    cumulative products."""
    from ._dtypes import DTYPES
    x = _r_tensor(x)
    if x.ndim != 1:
        raise RuntimeError("x must be a one-dimensional tensor.")
    n = x.shape[0] if N is None else int(N)
    if n < 0:
        raise RuntimeError("N must be non-negative.")
    res = DTYPES["Long"] if x.dtype.category < FLOATING else x.dtype
    data = x._data.astype(res.numpy)
    out = np.ones_like(data, shape=(data.shape[0], n))
    if n > 1:
        out[:, 1:] = np.cumprod(np.broadcast_to(data[:, None], (data.shape[0], n - 1)), axis=1, dtype=res.numpy)
    return wrap_as(out if increasing else np.ascontiguousarray(out[:, ::-1]), res)
