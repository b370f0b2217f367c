"""Exchange tensors with an embedded R session through rpy2, losing nothing.

- `torch_tensor(x)` takes rpy2's R vectors, matrices and arrays (double, integer, logical, raw) with R torch's
  rules once this module is imported: double -> Float (unless `dtype=`), integer -> Long, logical -> Bool,
  raw -> Byte, and element `x[i, j, k]` in R is `t[i, j, k]` in rtorch for every rank. `r_to_numpy(x)` gives
  the R-typed NumPy array behind it.
- `as_r(t)` returns what R torch's `as_array(t)` returns in R: a double, integer or logical vector (complex
  for complex tensors, raw for Byte), with `dim` set for 2-d and higher; CUDA tensors are copied to the CPU
  first.
- `converter` is an rpy2 converter (`with (default_converter + converter).context(): ...`): tensors go to R
  through `as_r`, R double/integer/logical vectors come back as Double/Long/Bool tensors (Double, unlike
  `torch_tensor()`, so that a conversion never rounds; factors stay rpy2 FactorVectors).

Nothing changes silently: R's `NA_real_` becomes a NaN whose bits a Double tensor keeps (`identical()` holds
after a round trip), while a Float tensor can't tell NA from NaN (both come back as NaN); `NA` in an integer
or logical vector raises a ValueError (a tensor has no NA), a Long value outside R's integer range raises
an OverflowError, and complex, character, list, factor and data.frame inputs raise a TypeError.
"""
import concurrent.futures
import ctypes
import functools
import itertools
import mmap
import os
import sys

import numpy as np

try:
    import rpy2.rinterface as ri
    import rpy2.robjects as ro
    from rpy2.robjects.conversion import Converter
except Exception as exc:  # rpy2 missing, R missing, or an rpy2 built for another R
    raise ImportError(
        "rtorch.r needs rpy2 and an R installation: pip install 'rtorch[r]' (rpy2 3.5.x; rpy2 3.6 needs "
        "R >= 4.3) and R from the system packages, e.g. apt-get install r-base-core "
        f"(import failed with {type(exc).__name__}: {exc})") from exc

from ._conversion import check_r_integer_range
from ._creation import register_input_converter
from ._devices import to_host
from ._tensor import Tensor, wrap

__all__ = ["as_r", "r_to_numpy", "converter"]


def _undo_r_library_path():
    """rpy2 prepends R's library folders to LD_LIBRARY_PATH when it starts R, too late to matter for this
    process, which has loaded R already; a child process would load its libpython from there (a system
    Python's, without this one's packages). Takes that prefix off again."""
    from rpy2.rinterface_lib import openrlib
    prefix = f"{openrlib.LD_LIBRARY_PATH}:"
    value = os.environ.get("LD_LIBRARY_PATH", "")
    if openrlib.LD_LIBRARY_PATH and value.startswith(prefix):
        rest = value[len(prefix):]
        if rest:
            os.environ["LD_LIBRARY_PATH"] = rest
        else:
            del os.environ["LD_LIBRARY_PATH"]


_undo_r_library_path()

NA_INTEGER = np.iinfo(np.int32).min

# R type -> (NumPy dtype of R's memory, NumPy dtype of the R-typed array, tensor dtype of its NA error)
_FROM_R = {
    ri.RTYPES.REALSXP: (np.dtype(np.float64), np.dtype(np.float64), "Float"),
    ri.RTYPES.INTSXP: (np.dtype(np.int32), np.dtype(np.int32), "Long"),
    ri.RTYPES.LGLSXP: (np.dtype(np.int32), np.dtype(np.bool_), "Bool"),
    ri.RTYPES.RAWSXP: (np.dtype(np.uint8), np.dtype(np.uint8), "Byte"),
}

# R classes whose objects are not arrays of numbers, with what to do instead
_REFUSED_CLASSES = {
    "factor": "use as.integer(x) for the codes or as.character(x) for the labels",
    "data.frame": "use as.matrix(x) or take its numeric columns",
}

# tensor dtype category -> (rpy2 vector class, NumPy dtype of the R memory)
_TO_R = {
    0: (ri.BoolSexpVector, np.dtype(np.int32)),
    1: (ri.IntSexpVector, np.dtype(np.int32)),
    2: (ri.FloatSexpVector, np.dtype(np.float64)),
    3: (ri.ComplexSexpVector, np.dtype(np.complex128)),
}
_RAW_TO_R = (ri.ByteSexpVector, np.dtype(np.uint8))  # a Byte tensor gives a raw vector

_R_DIM_MAX = np.iinfo(np.int32).max

# tiles for the layout change: a tile spans at least _RUN elements along the destination's fastest axes
# (long contiguous writes) and grows along the source's fastest axis up to _TILE elements (long reads);
# chosen by measurement on 2-d to 4-d arrays of 80 MB, where it stays within 1.6x-2.8x of a plain copy
_RUN = 512
_TILE = 1 << 16
_THREADS = min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)
_PARALLEL_BYTES = 8 << 20


def _r_typeof(x):
    return str(ri.baseenv["typeof"](x)[0])


def _tile_shape(shape, dst_strides, src_strides):
    tile, run = [1] * len(shape), 1
    for ax in sorted(range(len(shape)), key=lambda a: abs(dst_strides[a])):
        if run >= _RUN:
            break
        need = -(-_RUN // run)
        tile[ax] = shape[ax] if shape[ax] <= 4 * need else need  # a whole axis rather than a ragged split
        run *= tile[ax]
    ax = min(range(len(shape)), key=lambda a: abs(src_strides[a]))
    others = run // tile[ax]
    tile[ax] = max(tile[ax], min(shape[ax], _TILE // others))
    return tile


def _relayout(dst, src):
    """`dst[...] = src` (with NumPy's casting) for arrays in different memory orders, tile by tile so that
    reads and writes both stay in cache (one NumPy assignment over a whole 80 MB array between column-major
    and row-major memory is 3x-10x slower), the tiles shared out among up to _THREADS threads for arrays of
    _PARALLEL_BYTES or more (NumPy releases the GIL while it copies), as libtorch spreads a large copy."""
    dst_s, src_s = dst.squeeze(), src.squeeze()
    same_order = (dst_s.flags.c_contiguous and src_s.flags.c_contiguous
                  or dst_s.flags.f_contiguous and src_s.flags.f_contiguous)
    if dst_s.ndim <= 1 or dst.size <= _TILE or same_order:
        dst[...] = src
        return
    shape = dst_s.shape
    tile = _tile_shape(shape, dst_s.strides, src_s.strides)
    tiles = [tuple(slice(a, a + t) for a, t in zip(start, tile))
             for start in itertools.product(*(range(0, n, t) for n, t in zip(shape, tile)))]

    def copy(part):
        for sl in part:
            dst_s[sl] = src_s[sl]

    workers = _THREADS if max(dst.nbytes, src.nbytes) >= _PARALLEL_BYTES else 1
    if workers == 1:
        copy(tiles)
        return
    parts = [tiles[len(tiles) * k // workers:len(tiles) * (k + 1) // workers] for k in range(workers)]
    for done in [_pool().submit(copy, part) for part in parts]:
        done.result()


@functools.cache
def _pool():
    return concurrent.futures.ThreadPoolExecutor(_THREADS, thread_name_prefix="rtorch-relayout")


def _hugepage_advisor():
    if not sys.platform.startswith("linux"):
        return None
    try:
        madvise = ctypes.CDLL(None, use_errno=True).madvise
    except (OSError, AttributeError):
        return None
    madvise.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
    madvise.restype = ctypes.c_int
    return madvise


_madvise = _hugepage_advisor()
_MADV_HUGEPAGE = 14
_MADV_POPULATE_WRITE = 23  # Linux 5.14 and later; older kernels refuse it, which changes nothing


def _advise_hugepages(arr):
    """Ask Linux for huge pages under a fresh, untouched array (an R vector: NumPy asks for its own), and
    for its pages up front: first-touching 80 MB in 4 KiB pages costs more than copying it, and
    faulting them from several copying threads at once makes the time erratic."""
    if _madvise is None or arr.nbytes < (4 << 20):
        return
    page = mmap.PAGESIZE
    start = -(-arr.ctypes.data // page) * page
    end = (arr.ctypes.data + arr.nbytes) // page * page
    _madvise(start, end - start, _MADV_HUGEPAGE)
    _madvise(start, end - start, _MADV_POPULATE_WRITE)


def _leave_unset(iterable, r_vector, set_elt, cast_value):
    pass


def _r_vector_like(cls, n):
    """A new R vector of `n` elements with unset contents (rpy2's from_iterable, minus the filling)."""
    return cls.from_iterable(range(n), populate_func=_leave_unset)


def _na_position(flat, dims):
    i = int(np.argmax(flat == NA_INTEGER))
    if len(dims) < 2:
        return f"element {i + 1}"
    sub = np.unravel_index(i, dims, order="F")
    return f"element {i + 1} (x[{', '.join(str(k + 1) for k in sub)}])"


def _checked_r_vector(x):
    """The R memory of a numeric/integer/logical R object, after the checks that make it a tensor's data."""
    if not isinstance(x, ri.Sexp):
        raise TypeError(f"expected an R object from rpy2, not {type(x).__name__}")
    classes = tuple(x.rclass) if x.typeof != ri.RTYPES.NILSXP else ()
    for cls, fix in _REFUSED_CLASSES.items():
        if cls in classes:
            raise TypeError(f"an R {cls} can't become a tensor: {fix}")
    kinds = _FROM_R.get(x.typeof)
    if kinds is None:
        rtype = _r_typeof(x)
        hint = " (use Re() and Im(), or as.double())" if rtype == "complex" else ""
        raise TypeError(f"an R object of type {rtype} can't become a tensor: only double, integer, "
                        f"logical and raw vectors, matrices and arrays can{hint}")
    arr = np.asarray(x)  # R's own memory, shaped by its dims with column-major strides
    dims = arr.shape
    if kinds[0].kind == "i" and arr.size:
        flat = arr.reshape(-1, order="F")
        if flat.min() == NA_INTEGER:
            what = "integer" if x.typeof == ri.RTYPES.INTSXP else "logical"
            raise ValueError(f"{_na_position(flat, dims)} of the R {what} "
                             f"{'vector' if len(dims) < 2 else 'array'} is NA, which a {kinds[2]} tensor can't "
                             "hold; convert it to double first (as.double(x)), where NA becomes NaN")
    return arr, kinds


def _from_r(x, widen_int=False):
    arr, (_, natural, _) = _checked_r_vector(x)
    out = np.empty(arr.shape, dtype=np.int64 if widen_int and natural.kind == "i" else natural)
    _advise_hugepages(out)
    _relayout(out, arr)
    return out


def r_to_numpy(x):
    """An R double/integer/logical/raw vector, matrix or array (rpy2 object) as a new C-ordered NumPy array
    typed as R types it (float64, int32, bool, uint8), with `a[i, j, k]` equal to R's `x[i + 1, j + 1, k + 1]`;
    a vector with or without a `dim` of length one gives a 1-d array. Names and dimnames are dropped. Raises
    ValueError on NA in integer/logical data and TypeError naming the R type for anything else.
    The converter `torch_tensor()` uses for rpy2 objects."""
    return _from_r(x)


def _tensor_from_r(x):
    """rpy2py: R doubles keep their precision (Double tensor), integers become Long, logicals Bool."""
    if "factor" in tuple(x.rclass):
        return ro.default_converter.rpy2py(x)
    return wrap(_from_r(x, widen_int=True))


def as_r(t):
    """R torch's `as_array(t)`, as the R object R gets: floating tensors give a double vector, integer tensors
    an integer vector (Byte a raw one), Bool a logical one (complex tensors a complex one), with `dim` set for
    2-d and higher (a 0-d tensor gives a length-one vector). Double tensors keep their NaN bits, so R's NA
    survives a round trip; Float tensors turn NA into NaN. An integer value outside R's integer range raises an
    OverflowError instead of wrapping (R torch wraps it). Returns an rpy2 robjects vector, matrix or array."""
    if not isinstance(t, Tensor):
        raise TypeError(f"as_r() needs a tensor, not {type(t).__name__}")
    data = to_host(t._data)
    cls, r_dtype = _RAW_TO_R if t.dtype.name == "Byte" else _TO_R[t.dtype.category]
    if t.dtype.category == 1:
        check_r_integer_range(data)
    if data.ndim >= 2 and max(data.shape) > _R_DIM_MAX:
        raise ValueError(f"tensor of shape {list(data.shape)} has a dimension larger than R's largest "
                         f"dim ({_R_DIM_MAX})")
    if cls is ri.ComplexSexpVector:
        col = np.empty(data.shape[::-1], dtype=r_dtype).T
        _relayout(col, data)
        vec = cls.from_memoryview(memoryview(col.reshape(-1, order="F")))
    else:
        vec = _r_vector_like(cls, data.size)
        flat = np.asarray(vec)
        _advise_hugepages(flat)
        _relayout(flat.reshape(data.shape[::-1]).T, data)
    if data.ndim >= 2:
        vec.do_slot_assign("dim", ri.IntSexpVector(data.shape))
    return ro.default_converter.rpy2py(vec)


converter = Converter("rtorch")
converter.py2rpy.register(Tensor, as_r)
for _cls in (ri.FloatSexpVector, ri.IntSexpVector, ri.BoolSexpVector, ri.ByteSexpVector):
    converter.rpy2py.register(_cls, _tensor_from_r)
del _cls

register_input_converter(ri.Sexp, r_to_numpy)
