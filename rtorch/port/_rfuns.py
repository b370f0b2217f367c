"""R base functions a ported script calls on R values (not on tensors), typed as R types their results:
`sum`, `max`, `min` (integer for integer and logical input, double otherwise), `abs`, `round`, `rev`, `sort`,
`order`, `t`, `nrow`, `ncol`, `unlist`, `sapply`, `vapply`, `is_na` (R's is.na), `identical`, `pi`, and R's
subsetting of R vectors and matrices (`rindex`, `rassign`).

A tensor given to `sum`, `max`, `min`, `abs`, `round` or `t` goes to the torch function, as R torch's S3
methods send it.
"""
import builtins
import math
import sys

import numpy as np

from rtorch import NA_real_, Tensor, c, torch_abs, torch_max, torch_min, torch_round, torch_sum, torch_t
from rtorch._rformat import is_na_real

pi = math.pi


def _values(args, what):
    vecs = [np.asarray(c(a)) for a in args if a is not None]
    vecs = [v for v in vecs if v is not None]
    if any(v.dtype.kind not in "biuf" for v in vecs):
        raise TypeError(f"invalid 'type' (character) of argument")
    integer = all(v.dtype.kind in "biu" for v in vecs)
    flat = np.concatenate([v.reshape(-1) for v in vecs]) if vecs else np.array([], dtype=np.int32)
    return flat, integer


def _drop_na(flat, na_rm):
    if na_rm and flat.dtype.kind == "f":
        return flat[~np.isnan(flat)]
    return flat


def sum(*args, na_rm=False):
    """R's sum(...): an integer for integer and logical values (NA on overflow, with R's warning), else a
    double; sum() of nothing is 0L."""
    if len(args) == 1 and isinstance(args[0], Tensor):
        return torch_sum(args[0])
    flat, integer = _values(args, "sum")
    flat = _drop_na(flat, na_rm)
    if integer:
        total = int(flat.astype(np.int64).sum())
        if builtins.abs(total) > 2**31 - 1:
            sys.stderr.write("Warning message:\ninteger overflow - use sum(as.numeric(.))\n")
            return NA_real_
        return np.array([total], dtype=np.int32)
    return float(flat.sum())


def _extreme(args, na_rm, pick, name, torch_fn):
    if len(args) == 1 and isinstance(args[0], Tensor):
        return torch_fn(args[0])
    flat, integer = _values(args, name)
    flat = _drop_na(flat, na_rm)
    if flat.size == 0:
        sys.stderr.write(f"Warning message:\nno non-missing arguments to {name}; returning "
                         f"{'-Inf' if name == 'max' else 'Inf'}\n")
        return -math.inf if name == "max" else math.inf
    if flat.dtype.kind == "f" and np.isnan(flat).any():
        return NA_real_ if any(is_na_real(v) for v in flat) else math.nan
    out = pick(flat)
    return np.array([out], dtype=np.int32) if integer else float(out)


def max(*args, na_rm=False):
    """R's max(...): integer for integer and logical values, else double; -Inf (and R's warning) for none."""
    return _extreme(args, na_rm, np.max, "max", torch_max)


def min(*args, na_rm=False):
    """R's min(...): integer for integer and logical values, else double; Inf (and R's warning) for none."""
    return _extreme(args, na_rm, np.min, "min", torch_min)


def _arr(x):
    """An R value as its array, dims kept (c() would drop a matrix's)."""
    return x if isinstance(x, np.ndarray) and x.ndim else np.asarray(c(x))


def abs(x):
    """R's abs(x): integer stays integer, logical becomes integer, double stays double."""
    if isinstance(x, Tensor):
        return torch_abs(x)
    v = _arr(x)
    return np.abs(v.astype(np.int32) if v.dtype == np.bool_ else v)


def round(x, digits=0):
    """R's round(x, digits = 0): a double (integers stay integers for digits >= 0), half to even as the
    IEC 60559 rounding R uses."""
    if isinstance(x, Tensor):
        return torch_round(x, decimals=int(digits)) if digits else torch_round(x)
    v = _arr(x)
    if v.dtype.kind in "biu" and digits >= 0:
        return v.astype(np.int32)
    return np.round(v.astype(np.float64), int(digits))


def rev(x):
    """R's rev(x): the elements in reverse order (a list reversed too)."""
    if isinstance(x, list):
        return x[::-1]
    return np.asarray(c(x)).reshape(-1)[::-1].copy()


def sort(x, decreasing=False):
    """R's sort(x, decreasing = FALSE): NAs dropped, as R's default na.last = NA."""
    v = np.asarray(c(x)).reshape(-1)
    if v.dtype.kind == "f":
        v = v[~np.isnan(v)]
    out = np.sort(v, kind="stable")
    return out[::-1].copy() if decreasing else out


def order(x, decreasing=False):
    """R's order(x, decreasing = FALSE): the 1-based positions that sort `x`, ties kept in their order."""
    v = np.asarray(c(x)).reshape(-1)
    pos = sorted(range(v.size), key=lambda k: v[k], reverse=bool(decreasing))
    return np.array(pos, dtype=np.int32) + 1


def t(x):
    """R's t(x): a matrix transposed; a vector becomes a 1-row matrix; a tensor goes to torch_t."""
    if isinstance(x, Tensor):
        return torch_t(x)
    v = _arr(x)
    if v.ndim == 1:
        return v.reshape(1, -1)
    if v.ndim != 2:
        raise ValueError("argument is not a matrix")
    return np.ascontiguousarray(v.T)


def _dims(x):
    if isinstance(x, Tensor):
        return tuple(x.shape)
    v = np.asarray(x)
    return v.shape if v.ndim >= 2 else None


def nrow(x):
    """R's nrow(x): an integer for a matrix or array, NULL (None) for a vector."""
    d = _dims(x)
    return None if d is None else np.array([d[0]], dtype=np.int32)


def ncol(x):
    """R's ncol(x): an integer for a matrix or array, NULL (None) for a vector."""
    d = _dims(x)
    return None if d is None else np.array([d[1]], dtype=np.int32)


def unlist(x):
    """R's unlist(x): the atomic values of a list (nested lists too, a named list's values), combined as c()
    combines them; NULL for an empty list (names are dropped: rtorch's R vectors have none)."""
    def flat(v):
        if isinstance(v, dict):
            v = list(v.values())
        if isinstance(v, (list, tuple)):
            return [e for item in v for e in flat(item)]
        return [v]
    items = [v for v in flat(x) if v is not None]
    return c(*items) if items else None


def sapply(x, f, *args, **kwargs):
    """R's sapply(x, f): `f` on each element; results all of length one become a vector, all of one
    length k a k-row matrix, anything else stays a list."""
    out = _lapply(x, f, *args, **kwargs)
    values = list(out.values()) if isinstance(out, dict) else out
    if not values:
        return []
    if any(isinstance(v, (Tensor, list, dict)) or v is None for v in values):
        return out
    lengths = {np.size(v) for v in values}
    if lengths == {1}:
        return c(*values)
    if len(lengths) == 1:
        cols = [np.asarray(c(v)).reshape(-1) for v in values]
        return np.asarray(c(*cols)).reshape(len(cols), -1).T.copy()
    return out


def vapply(x, f, fun_value, *args, **kwargs):
    """R's vapply(x, f, FUN.VALUE): sapply() whose results must each have FUN.VALUE's type and length."""
    want = np.asarray(c(fun_value))
    out = _lapply(x, f, *args, **kwargs)
    values = list(out.values()) if isinstance(out, dict) else out
    for v in values:
        got = np.asarray(c(v))
        if got.size != want.size:
            raise ValueError(f"values must be length {want.size},\n but FUN(X[[1]]) result is length {got.size}")
        if (want.dtype.kind == "f" and got.dtype.kind not in "biuf") or (
                want.dtype.kind in "iu" and got.dtype.kind not in "biu") or (
                want.dtype.kind == "b" and got.dtype.kind != "b"):
            kinds = {"f": "double", "i": "integer", "u": "integer", "b": "logical", "U": "character"}
            raise TypeError(f"values must be type '{kinds.get(want.dtype.kind, 'double')}',\n but FUN(X[[1]]) "
                            f"result is type '{kinds.get(got.dtype.kind, 'double')}'")
    if not values:
        return want[:0]
    cast = [np.asarray(c(v)).astype(want.dtype) for v in values]
    if want.size == 1:
        return np.concatenate(cast)
    return np.stack(cast, axis=1)


def _lapply(x, f, *args, **kwargs):
    if isinstance(x, dict):
        return {k: f(v, *args, **kwargs) for k, v in x.items()}
    items = list(x) if isinstance(x, (list, tuple)) else list(np.asarray(x).reshape(-1))
    return [f(v, *args, **kwargs) for v in items]


def is_na(x):
    """R's is.na(x): TRUE where an element is NA (or NaN, as R's is.na says of doubles)."""
    if x is None:
        return np.array([], dtype=bool)
    v = _arr(x)
    if v.dtype.kind == "f":
        return np.isnan(v)
    return np.zeros(v.shape, dtype=bool)


def identical(x, y):
    """R's identical(x, y) on R values: the same type, dims and elements (NaN equal to NaN)."""
    if isinstance(x, Tensor) or isinstance(y, Tensor):
        return x is y
    if isinstance(x, (list, dict)) or isinstance(y, (list, dict)):
        if type(x) is not type(y) or len(x) != len(y):
            return False
        if isinstance(x, dict):
            return list(x) == list(y) and all(identical(x[k], y[k]) for k in x)
        return all(identical(a, b) for a, b in zip(x, y))
    if x is None or y is None:
        return x is None and y is None
    a, b = _arr(x), _arr(y)
    if a.dtype != b.dtype or a.shape != b.shape:
        return False
    if a.dtype.kind == "f":
        return bool(np.array_equal(a, b, equal_nan=True))
    return bool(np.array_equal(a, b))


def _positions(i, n):
    """R's positions for one index of an extent n: 0-based positions (None for NA, past the end), from
    positive 1-based positions, negative exclusions, a logical mask (recycled) or all (a missing index)."""
    if isinstance(i, slice) and i == slice(None):
        return list(range(n))
    if isinstance(i, Tensor):
        i = np.asarray(i)
    v = np.asarray(c(i)).reshape(-1)
    if v.dtype == np.bool_:
        if v.size == 0:
            return []
        return [k if k < n else None for k in range(builtins.max(n, v.size)) if v[k % v.size]]
    if v.dtype.kind not in "biuf":
        raise TypeError("invalid subscript type 'character' (rtorch's R vectors have no names)")
    v = np.trunc(v.astype(np.float64)).astype(np.int64)
    if (v < 0).any():
        if (v > 0).any():
            raise IndexError("can't mix positive and negative subscripts")
        drop = set((-v - 1).tolist())
        return [k for k in range(n) if k not in drop]
    return [int(k) - 1 if k <= n else None for k in v if k != 0]


def _take(flat, pos, dtype):
    out = []
    for p in pos:
        if p is None or p >= flat.size:
            if flat.dtype.kind != "f":
                raise ValueError("subscript out of bounds: an NA would land in a non-double vector, which "
                                 "rtorch's R vectors cannot hold")
            out.append(NA_real_)
        else:
            out.append(flat[p])
    return np.array(out, dtype=dtype)


def rindex(x, *idx, drop=True):
    """R's `x[i]`, `x[i, j]` on an R vector, matrix or list: 1-based positions, negative ones excluded,
    logical masks recycled, `slice(None)` for a missing index, a matrix's dims dropped where one is 1
    (unless drop = FALSE). A tensor is indexed as a tensor (R torch's `[`)."""
    if isinstance(x, Tensor):
        return x[idx] if drop else x[idx + (_drop_false(),)]
    if isinstance(x, (list, tuple)):
        if len(idx) != 1:
            raise IndexError("incorrect number of dimensions")
        return [x[p] if p is not None and p < len(x) else None for p in _positions(idx[0], len(x))]
    v = np.asarray(x)
    if len(idx) == 1:
        flat = v.reshape(-1, order="F")
        return _take(flat, _positions(idx[0], flat.size), v.dtype)
    if len(idx) != v.ndim:
        raise IndexError("incorrect number of dimensions")
    pos = [_positions(i, n) for i, n in zip(idx, v.shape)]
    if any(p is None or p >= n for ps, n in zip(pos, v.shape) for p in ps):
        raise IndexError("subscript out of bounds")
    out = v[np.ix_(*[np.array(p, dtype=np.int64) for p in pos])]
    if drop:
        kept = [n for n in out.shape if n != 1]
        out = out.reshape(kept if kept else (1,))
    return out


def _drop_false():
    from rtorch import drop
    return drop(False)


def rassign(x, value, *idx):
    """R's `x[i] <- value`, `x[i, j] <- value` on an R vector or matrix: a new vector (R copies), of the type
    that holds both (c()'s rules); `value` recycled over the positions. A tensor is written in place."""
    if isinstance(x, Tensor):
        x[idx] = value
        return x
    v = np.asarray(x)
    val = np.asarray(c(value)).reshape(-1)
    common = np.asarray(c(v.reshape(-1, order="F")[:1], val[:1])).dtype if v.size and val.size else v.dtype
    out = v.astype(common, copy=True)
    if len(idx) == 1:
        flat = out.reshape(-1, order="F").copy()
        pos = _positions(idx[0], flat.size)
        if any(p is None for p in pos):
            raise IndexError("rtorch's R vectors do not grow by assignment past their end")
        if pos and val.size == 0:
            raise ValueError("replacement has length zero")
        for k, p in enumerate(pos):
            flat[p] = val[k % val.size]
        return flat.reshape(out.shape, order="F")
    pos = [_positions(i, n) for i, n in zip(idx, out.shape)]
    grid = np.ix_(*[np.array(p, dtype=np.int64) for p in pos])
    count = int(np.prod([len(p) for p in pos]))
    if count and val.size == 0:
        raise ValueError("replacement has length zero")
    fill = np.resize(val, count).reshape([len(p) for p in pos], order="F") if count else val
    out[grid] = fill
    return out
