"""rtorch's indexing against R's own `[` and `[<-` (through rpy2), wherever the two mean the same thing:
positive positions, ascending ranges, steps, integer and logical vectors, several vectors at once,
all with `drop = FALSE`. Where R torch and R differ (R drops every extent of length one, and a negative
position removes elements in R but counts from the end in R torch) the index is first translated to
R's terms by the rule R torch documents, then R gives the expected values.
"""
import functools

import numpy as np
from hypothesis import assume, given, note
from hypothesis import strategies as st

from tests import strategies as S
from tests._require import require

ro = require("rpy2.robjects")

import rtorch  # noqa: E402
from rtorch import as_array  # noqa: E402
from rtorch._tensor import wrap  # noqa: E402

# the R types a tensor leaves as (as_array): double, integer, logical
R_DTYPES = st.sampled_from(["Double", "Long", "Bool"])
_VECTOR = {np.dtype(np.float64): ro.FloatVector, np.dtype(np.int32): ro.IntVector, np.dtype(np.bool_): ro.BoolVector}
_FROM_R = {"double": np.float64, "integer": np.int32, "logical": np.bool_}


def r_array(arr):
    """An R array with `arr`'s values (R is column-major) and dims."""
    vec = _VECTOR[arr.dtype](arr.ravel(order="F").tolist())
    return ro.r["array"](vec, dim=ro.IntVector(arr.shape))


def from_r(x):
    kind = ro.r["typeof"](x)[0]
    dims = tuple(ro.r["dim"](x))
    flat = np.array(list(x) if kind == "logical" else x, dtype=_FROM_R[kind])
    return flat.reshape(dims, order="F")


@functools.lru_cache(maxsize=4096)
def r_function(src):
    return ro.r(src)


def r_read(arr, args):
    return from_r(r_function(f"function(x) x[{args}, drop = FALSE]")(r_array(arr)))


def r_write(arr, args, value):
    fn = r_function(f"function(x, v) {{ x[{args}] <- v; x }}")
    return from_r(fn(r_array(arr), value))


def r_case(data, min_rank=1, max_rank=4):
    """A Double, Long or Bool tensor (the types with an R twin) of rank 1 to 4, R-sized values
    (integers inside R's range, away from NA)."""
    name = data.draw(R_DTYPES, label="dtype")
    return data.draw(S.cases(dtype=name, specials="nonfinite" if name == "Double" else False,
                             min_rank=min_rank, max_rank=max_rank, max_numel=60), label="tensor")


def as_r_typed(values):
    return values.astype(np.int32) if values.dtype == np.int64 else values


def assert_same_r_array(got, want, what):
    assert got.dtype == want.dtype, f"{what}: R type {got.dtype} != R's {want.dtype}"
    assert got.shape == want.shape, f"{what}: dims {got.shape} != R's {want.shape}"
    np.testing.assert_array_equal(got, want, err_msg=what)


@given(st.data())
def test_read_with_drop_false_matches_r(data):
    """`as_array(x[i, j, drop(False)])` is R's `x[i, j, drop = FALSE]` for the same i, j."""
    case = r_case(data)
    items = data.draw(S.index_items(case.shape, r_only=True), label="index")
    args = S.r_index_text(items, case.shape)
    note(f"R: x[{args}, drop = FALSE]")
    got = as_array(case.rt()[S.rtorch_index(items, keep=True)])
    assert_same_r_array(got, r_read(as_r_typed(case.values), args), f"x[{args}, drop = FALSE]")


def _kept_dims(items, shape):
    """The dims R torch keeps with drop = TRUE: all but those picked by a single position."""
    keep = [True] * len(shape)
    for axis, item in enumerate(items):
        if isinstance(item, S.Pos) or (isinstance(item, S.IntVec) and item.scalar):
            keep[axis] = False
    return keep


@given(st.data())
def test_read_dropping_keeps_r_values_and_drops_only_picked_dims(data):
    """With drop = TRUE, R drops every extent of length one; R torch drops only the dims indexed by a
    single position. The values are R's, the dims R's minus exactly those."""
    case = r_case(data)
    items = data.draw(S.index_items(case.shape, r_only=True), label="index")
    args = S.r_index_text(items, case.shape)
    want = r_read(as_r_typed(case.values), args)
    keep = _kept_dims(items, case.shape)
    got = as_array(case.rt()[S.rtorch_index(items)])
    want_shape = tuple(n for n, k in zip(want.shape, keep) if k)
    assert got.shape == (want_shape or (1,)), f"x[{args}]: dims {got.shape}, R torch keeps {want_shape}"
    np.testing.assert_array_equal(got.reshape(-1), want.reshape(want_shape or (1,)).reshape(-1))


def _to_r_positions(item, size):
    """An R torch item in base R's terms: negative positions count from the end, `N` is the size,
    slices clamp to the dim as libtorch's do (a range that ends before it starts is empty)."""
    if isinstance(item, S.Pos):
        return S.Pos(item.k if item.k > 0 else size + 1 + item.k, item.form)
    if isinstance(item, S.IntVec):
        return S.IntVec(tuple(v if v > 0 else size + 1 + v for v in item.values), item.form)
    if isinstance(item, S.Rng):
        start = 1 if item.start is None else (item.start if item.start > 0 else size + 1 + item.start)
        end = size if item.end is None else (item.end if item.end > 0 else size + 1 + item.end)
        start, end = max(start, 1), min(end, size)
        return _Positions(tuple(range(start, end + 1, item.step)))
    return item


class _Positions(S.Item):
    """Explicit R positions (possibly none) standing for an R torch slice."""

    def __init__(self, values):
        self.values = values

    def r_text(self, size):
        return "integer(0)" if not self.values else "c(" + ", ".join(f"{v}L" for v in self.values) + ")"


@st.composite
def r_torch_items(draw, shape):
    """One item per leading dim with R torch's own meanings that base R lacks: negative positions, `N`,
    open or clamped slices, vectors with negative positions (no newaxis, `..` or mask)."""
    items = []
    for size in shape[:draw(st.integers(1, len(shape)))]:
        kind = draw(st.sampled_from(["range", "range", "full"] + (["pos", "ivec"] if size else [])))
        position = st.integers(1, max(size, 1)).flatmap(lambda k: st.sampled_from([k, -k]))
        if kind == "pos":
            items.append(S.Pos(draw(position), draw(st.sampled_from(["int", "float", "int32"]))))
        elif kind == "ivec":
            values = tuple(draw(st.lists(position, min_size=2, max_size=4)))
            items.append(S.IntVec(values, draw(st.sampled_from(["list", "int32", "float64", "tensor"]))))
        elif kind == "range":
            items.append(S._range(draw, size, False))
        else:
            items.append(S.Full())
    return tuple(items)


@given(st.data())
def test_read_with_r_torch_positions_matches_r(data):
    """Negative positions, `N` and slices (R torch) agree with R once translated to R positions."""
    case = r_case(data)
    items = data.draw(r_torch_items(case.shape), label="index")
    translated = [_to_r_positions(i, case.shape[a]) for a, i in enumerate(items)]
    args = S.r_index_text(translated, case.shape)
    note(f"R: x[{args}, drop = FALSE]")
    got = as_array(case.rt()[S.rtorch_index(items, keep=True)])
    assert_same_r_array(got, r_read(as_r_typed(case.values), args), f"x[{args}, drop = FALSE]")


@given(st.data())
def test_assignment_matches_r(data):
    """`x[i, j] <- value` as R assigns, for a scalar of the tensor's own R type or an array of the
    selection's dims (one vector at most: R assigns the outer product of several, libtorch pairs them)."""
    case = r_case(data)
    items = data.draw(S.index_items(case.shape, r_only=True), label="index")
    assume(sum(isinstance(i, S.LglVec) or (isinstance(i, S.IntVec) and not i.scalar) for i in items) <= 1)
    args = S.r_index_text(items, case.shape)
    x = case.rt()
    r_values = as_r_typed(case.values)
    sel = r_read(r_values, args).shape
    name = case.dtype
    if data.draw(st.booleans(), label="array value"):
        full = data.draw(S.arrays(name, sel, specials=False), label="value")
        kept = tuple(n for n, k in zip(sel, _kept_dims(items, case.shape)) if k)
        value_rt = wrap(full.reshape(kept))
        value_r = r_array(as_r_typed(full))
    else:
        v = data.draw(S.elements(name, specials=False), label="value")
        value_rt = {"Double": float, "Long": np.int32, "Bool": bool}[name](v)
        value_r = _VECTOR[as_r_typed(np.array([value_rt])).dtype]([value_rt])
    note(f"R: x[{args}] <- {value_r!r}")
    x[S.rtorch_index(items)] = value_rt
    assert_same_r_array(as_array(x), r_write(r_values, args, value_r), f"x[{args}] <- value")


def test_r_and_r_torch_differ_where_documented():
    """Negative positions: R removes, R torch counts from the end; drop: R drops every length-one extent."""
    arr = np.arange(1, 7, dtype=np.int32).reshape(2, 3)
    x = rtorch.torch_tensor(arr)
    assert as_array(x[1, -1]).tolist() == [3]
    assert from_r(r_function("function(x) array(x[1, -1], dim = 2L)")(r_array(arr))).tolist() == [2, 3]
    assert tuple(x[1:1, 2:3].shape) == (1, 2)
    assert tuple(ro.r["dim"](r_function("function(x) x[1:1, 2:3]")(r_array(arr))) or ()) == ()
