"""Hypothesis strategies shared by the differential tests: tensors (dtype, rank 0-5, sizes with 0 and 1,
non-contiguous layouts, NaN/Inf/-0/extreme values), R torch index expressions, and operation chains.

A tensor is drawn as a `Case`: its values plus a memory layout. `case.rt()` and `case.pt()` build a fresh
rtorch tensor and a fresh PyTorch tensor with the same values *and* the same strides (each over its own
memory), so a differential test compares like with like, views and in-place writes included.

An index is drawn as a tuple of small item objects that know how to render themselves for rtorch
(`rtorch_index`), for R's own `[` (`r_index_text`) and, in the tests, for a 0-based PyTorch reference.
"""
import math
from dataclasses import dataclass
from typing import Optional, Tuple

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

# rtorch dtype name -> NumPy dtype; PyTorch names are looked up in the tests (PyTorch is optional)
DTYPES = {
    "Bool": np.bool_, "Byte": np.uint8, "Char": np.int8, "Short": np.int16, "Int": np.int32,
    "Long": np.int64, "Half": np.float16, "Float": np.float32, "Double": np.float64,
}
INTEGRAL = ("Byte", "Char", "Short", "Int", "Long")
FLOATING = ("Half", "Float", "Double")
REAL = ("Bool",) + INTEGRAL + FLOATING

dtype_names = st.sampled_from(REAL)


# ---- shapes ---------------------------------------------------------------------------------------

_SIDES = [0, 1, 1, 2, 2, 3, 3, 4]


@st.composite
def shapes(draw, min_rank=0, max_rank=5, min_side=0, max_side=4, max_numel=120):
    """Sizes with 0 and 1 common; the product stays small so NumPy and PyTorch stay fast."""
    rank = draw(st.integers(min_rank, max_rank))
    sides = [s for s in _SIDES if min_side <= s <= max_side] or [min_side]
    shape = [draw(st.sampled_from(sides)) for _ in range(rank)]
    while math.prod(shape) > max_numel:
        i = int(np.argmax(shape))
        shape[i] -= 1
    return tuple(shape)


# ---- values ---------------------------------------------------------------------------------------

def _float_specials(np_dtype):
    fi = np.finfo(np_dtype)
    return [0.0, -0.0, 1.0, -1.0, 0.5, -2.5, 3.0, float("nan"), float("inf"), float("-inf"),
            float(fi.max), float(-fi.max), float(fi.tiny), float(fi.smallest_subnormal), 1e-3]


def elements(name, specials=True, lo=-6, hi=6):
    """Values of one dtype: small ones mostly; `specials` adds NaN, Inf, -0 and the extremes
    ("nonfinite": NaN, Inf and -0 only, for sums whose order of addition differs between engines)."""
    np_dtype = np.dtype(DTYPES[name])
    if name == "Bool":
        return st.booleans()
    if name in INTEGRAL:
        info = np.iinfo(np_dtype)
        small = st.integers(max(lo, int(info.min)), min(hi, int(info.max)))
        if specials != True:  # noqa: E712
            return small
        return st.one_of(small, small, small, st.sampled_from([int(info.min), int(info.max), int(info.min) + 1,
                                                                 int(info.max) - 1]))
    width = np_dtype.itemsize * 8
    small = st.floats(lo, hi, width=width, allow_nan=False, allow_infinity=False)
    halves = st.integers(2 * lo, 2 * hi).map(lambda k: k / 2)
    if not specials:
        return st.one_of(small, halves)
    chosen = _float_specials(np_dtype) if specials is True else [float("nan"), float("inf"), float("-inf"), -0.0]
    return st.one_of(small, halves, small, st.sampled_from(chosen))


def arrays(name, shape, specials=True, **kw):
    return hnp.arrays(DTYPES[name], shape, elements=elements(name, specials, **kw))


# ---- layouts (non-contiguous views with the same values) ------------------------------------------

@dataclass
class Case:
    """Values plus a layout: 'contiguous', a permutation of a contiguous base, or a strided slice of a
    bigger base (every `step`-th element from `offset` along `axis`)."""
    values: np.ndarray
    dtype: str
    perm: Optional[Tuple[int, ...]] = None
    axis: Optional[int] = None
    step: int = 1
    offset: int = 0

    @property
    def shape(self):
        return self.values.shape

    def array(self):
        """A NumPy view with this case's values and layout, over new memory."""
        v = self.values
        if self.axis is not None:
            shape = list(v.shape)
            shape[self.axis] = v.shape[self.axis] * self.step + self.offset
            base = np.full(shape, 1, dtype=v.dtype)
            sl = [slice(None)] * v.ndim
            sl[self.axis] = slice(self.offset, self.offset + v.shape[self.axis] * self.step, self.step)
            base[tuple(sl)] = v
            view = base[tuple(sl)]
        else:
            view = v.copy()
        if self.perm is not None:
            inverse = tuple(int(i) for i in np.argsort(self.perm))
            view = np.ascontiguousarray(np.transpose(view, self.perm)).transpose(inverse)
        return view

    def rt(self):
        from rtorch._tensor import wrap
        return wrap(self.array())

    def pt(self):
        import torch
        return torch.from_numpy(self.array())

    def __repr__(self):
        layout = ("contiguous" if self.perm is None and self.axis is None else
                  f"perm={self.perm} axis={self.axis} step={self.step} offset={self.offset}")
        return f"Case({self.dtype}, shape={self.values.shape}, {layout}, values={self.values.tolist()!r})"


@st.composite
def cases(draw, dtype=None, shape=None, specials=True, contiguous=False, **shape_kw):
    """A tensor case: dtype, shape and values drawn unless given; a non-contiguous layout half the time."""
    name = draw(dtype_names) if dtype is None else (draw(dtype) if isinstance(dtype, st.SearchStrategy) else dtype)
    shp = draw(shapes(**shape_kw)) if shape is None else shape
    values = draw(arrays(name, shp, specials))
    case = Case(values, name)
    if contiguous or not shp or not draw(st.booleans()):
        return case
    kind = draw(st.sampled_from(["perm", "strided", "both"]))
    if kind in ("perm", "both") and len(shp) > 1:
        case.perm = tuple(draw(st.permutations(range(len(shp)))))
    if kind in ("strided", "both"):
        case.axis = draw(st.integers(0, len(shp) - 1))
        case.step = draw(st.integers(1, 3))
        case.offset = draw(st.integers(0, 2))
    return case


def broadcastable_cases(n=2, dtypes=None, specials=True, max_dims=4):
    """`n` cases whose shapes broadcast together (each may be a 0-d tensor)."""
    @st.composite
    def draw_cases(draw):
        shapes_ = draw(hnp.mutually_broadcastable_shapes(num_shapes=n, min_dims=0, max_dims=max_dims,
                                                           min_side=0, max_side=3)).input_shapes
        return [draw(cases(dtype=dtypes if dtypes is not None else None, shape=s, specials=specials))
                for s in shapes_]
    return draw_cases()


# ---- R torch index expressions --------------------------------------------------------------------

class Item:
    """One index item. `consumes` is how many dims of the indexed tensor it uses up."""
    consumes = 1
    r_ok = False  # whether base R's `[` gives it the same meaning

    def r_text(self, size):
        raise NotImplementedError


@dataclass(frozen=True)
class Pos(Item):
    """A single position: 1-based, negative from the end. `form`: the Python/R type that carries it."""
    k: int
    form: str = "int"  # int | float (an R double) | int32 (an R integer) | tensor0 (a 0-d Long tensor)

    @property
    def r_ok(self):
        return self.k > 0

    def rtorch(self):
        return {"int": self.k, "float": float(self.k), "int32": np.int32(self.k), "tensor0": _long(self.k, ())}[self.form]

    def r_text(self, size):
        return f"{self.k}L"


@dataclass(frozen=True)
class Rng(Item):
    """R torch's inclusive `start:end:step`; `end` None means `N`; `start` None is Python's open start."""
    start: Optional[int]
    end: Optional[int]
    step: int = 1

    @property
    def r_ok(self):
        return self.start is not None and self.start > 0 and (self.end is None or self.end >= self.start)

    def rtorch(self):
        from rtorch import N
        end = N if self.end is None else self.end
        return slice(self.start, end, None if self.step == 1 else self.step)

    def r_text(self, size):
        end = size if self.end is None else self.end
        return f"{self.start}:{end}" if self.step == 1 else f"seq({self.start}L, {end}L, by = {self.step}L)"


@dataclass(frozen=True)
class Full(Item):
    r_ok = True

    def rtorch(self):
        return slice(None)

    def r_text(self, size):
        return ""


@dataclass(frozen=True)
class NewAxis(Item):
    consumes = 0

    def rtorch(self):
        return None


@dataclass(frozen=True)
class Dots(Item):
    consumes = 0  # takes whatever the other items leave

    def rtorch(self):
        return Ellipsis


@dataclass(frozen=True)
class IntVec(Item):
    """An R integer or double vector (a list, an int32 or float64 array) or a Long tensor of positions."""
    values: Tuple[int, ...]
    form: str = "list"  # list | int32 | float64 | tensor

    @property
    def scalar(self):
        return len(self.values) == 1 and self.form != "tensor"

    @property
    def r_ok(self):
        return len(self.values) > 0 and all(v > 0 for v in self.values)

    def rtorch(self):
        v = list(self.values)
        return {"list": v, "int32": np.array(v, np.int32), "float64": np.array(v, np.float64),
                "tensor": _long(v, (len(v),))}[self.form]

    def r_text(self, size):
        return "c(" + ", ".join(f"{v}L" for v in self.values) + ")"


@dataclass(frozen=True)
class LglVec(Item):
    """An R logical vector (a list or bool array, TRUE alone included) or a 1-d Bool tensor: a mask over
    one dim, whatever its length (R torch sends every logical to libtorch as a Bool tensor)."""
    values: Tuple[bool, ...]
    form: str = "list"  # list | array | tensor | scalar (a lone Python bool)

    r_ok = True

    def rtorch(self):
        v = list(self.values)
        if self.form == "tensor":
            from rtorch import torch_tensor
            return torch_tensor(np.array(v, dtype=bool))
        if self.form == "scalar":
            return v[0]
        return v if self.form == "list" else np.array(v, dtype=bool)

    def r_text(self, size):
        return "c(" + ", ".join("TRUE" if v else "FALSE" for v in self.values) + ")"


@dataclass(frozen=True)
class Mask(Item):
    """A Bool tensor over several dims at once (`x[x > 0]`)."""
    values: np.ndarray = None

    @property
    def consumes(self):
        return self.values.ndim

    def rtorch(self):
        from rtorch import torch_tensor
        return torch_tensor(np.array(self.values, dtype=bool))

    def __hash__(self):
        return id(self)


def _long(v, shape):
    from rtorch import torch_tensor
    return torch_tensor(np.array(v, dtype=np.int64).reshape(shape), dtype="long")


def rtorch_index(items, keep=False):
    """The Python index for rtorch's `t[...]`; `keep` appends `drop(False)`."""
    from rtorch import drop
    out = tuple(i.rtorch() for i in items)
    if keep:
        out += (drop(False),)
    return out[0] if len(out) == 1 else out


def r_index_text(items, shape):
    """R source for `x[...]`: one argument per dim (missing dims left empty), `drop = FALSE` appended."""
    args = []
    axis = 0
    for it in items:
        args.append(it.r_text(shape[axis]))
        axis += 1
    args += [""] * (len(shape) - axis)
    return ", ".join(args)


def _position(draw, size, r_only, valid):
    if not valid:
        return draw(st.sampled_from([size + 1, -(size + 1), size + 3]))
    k = draw(st.integers(1, size))
    return k if r_only or draw(st.booleans()) else -k


@st.composite
def index_items(draw, shape, r_only=False, allow_invalid=True):
    """A tuple of index items for a tensor of `shape`. `r_only` keeps to what base R's `[` means the same
    way (positive positions, ascending ranges, vectors, logical vectors, empty args); otherwise negative
    positions, `N`, newaxis, `..`, masks, and now and then an out-of-range position."""
    ndim = len(shape)
    items = []
    axis = 0
    n_items = draw(st.integers(0 if not r_only else 1, ndim + (0 if r_only else 2)))
    dots_at = None if r_only or not draw(st.integers(0, 3)) == 0 else draw(st.integers(0, n_items))
    tail = draw(st.integers(0, max(0, ndim - 1))) if dots_at is not None else 0
    bad_budget = 1 if allow_invalid and not r_only and draw(st.integers(0, 9)) == 0 else 0
    limit = ndim - tail
    for j in range(n_items):
        if j == dots_at:
            items.append(Dots())
            axis = max(axis, ndim - tail)
            limit = ndim
            continue
        if not r_only and draw(st.integers(0, 7)) == 0:
            items.append(NewAxis())
            continue
        if axis >= limit:
            break
        size = shape[axis]
        kinds = ["full", "range", "ivec", "lvec"] + (["pos"] if size > 0 else [])
        if not r_only and axis + 1 < limit:
            kinds.append("mask")
        kind = draw(st.sampled_from(kinds))
        bad = bad_budget and draw(st.booleans())
        if bad:
            bad_budget = 0
        if kind == "pos":
            form = draw(st.sampled_from(["int", "int", "float", "int32"] + ([] if r_only else ["tensor0"])))
            items.append(Pos(_position(draw, size, r_only, not bad), form))
        elif kind == "full":
            items.append(Full())
        elif kind == "range":
            items.append(_range(draw, size, r_only))
        elif kind == "ivec":
            n = draw(st.integers(1 if r_only else 0, 4))
            if size == 0 and not bad:
                n = 0
                if r_only:
                    items.append(Full())
                    axis += 1
                    continue
            vals = [_position(draw, size, r_only, True) for _ in range(n)] if size else []
            if bad:
                vals = vals + [_position(draw, size, False, False)]
            form = draw(st.sampled_from(["list", "int32", "float64", "tensor"]))
            if not vals and form != "tensor":
                form = "tensor"
            items.append(IntVec(tuple(vals), form))
        elif kind == "lvec":
            n = max(size if not bad else size + draw(st.sampled_from([-1, 1])), 0)
            form = draw(st.sampled_from(["list", "array", "tensor"] + (["scalar"] if n == 1 else [])))
            if n == 0 and form != "tensor":
                if r_only:
                    items.append(Full())
                    axis += 1
                    continue
                form = "tensor"
            items.append(LglVec(tuple(draw(st.lists(st.booleans(), min_size=n, max_size=n))), form))
        elif kind == "mask":
            span = draw(st.integers(2, min(3, limit - axis)))
            mshape = shape[axis:axis + span]
            items.append(Mask(draw(hnp.arrays(np.bool_, mshape))))
            axis += span
            continue
        axis += 1
    return tuple(items)


def _range(draw, size, r_only):
    if r_only:
        if size == 0:
            return Full()
        a = draw(st.integers(1, size))
        b = draw(st.one_of(st.none(), st.integers(a, size)))
        return Rng(a, b, draw(st.integers(1, 3)))
    lim = size + 2
    start = draw(st.one_of(st.none(), st.integers(1, lim), st.integers(-lim, -1)))
    end = draw(st.one_of(st.none(), st.integers(1, lim), st.integers(-lim, -1)))
    return Rng(start, end, draw(st.integers(1, 3)))


# ---- values to assign -----------------------------------------------------------------------------

def scalar_values(name=None):
    """R scalars as rtorch takes them: a Python float or int (an R double), a bool (an R logical),
    an np.int32 (an R integer)."""
    ints = st.integers(-5, 5)
    return st.one_of(
        st.floats(-8, 8, allow_nan=False).map(lambda x: round(x, 1)),
        ints, st.booleans(), ints.map(np.int32),
        st.sampled_from([float("nan"), float("inf"), 1e30, 2.0 ** 40, -0.0]),
    )


# ---- operation chains -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Op:
    """One step of a chain: `name` with positional `args` (dims 1-based as rtorch takes them)."""
    name: str
    args: tuple = ()
    kwargs: tuple = ()

    def __repr__(self):
        kw = "".join(f", {k}={v!r}" for k, v in self.kwargs)
        return f"{self.name}({', '.join(map(repr, self.args))}{kw})"


def _dim(draw, ndim, extra=0):
    n = max(ndim + extra, 1)
    d = draw(st.integers(1, n))
    return d if draw(st.booleans()) else d - n - 1


@st.composite
def ops_for(draw, ndim):
    """One operation that makes sense (or is a telling error) for a tensor with `ndim` dims."""
    kind = draw(st.sampled_from(["unary", "scalar", "view", "reduce", "inplace"]))
    if kind == "unary":
        return Op(draw(st.sampled_from(["abs", "neg", "exp", "sqrt", "sigmoid", "tanh", "floor", "relu",
                                         "square", "sign", "logical_not", "isnan", "clone", "contiguous"])))
    if kind == "scalar":
        return Op(draw(st.sampled_from(["add", "sub", "mul", "div", "pow", "gt", "eq", "maximum"])),
                  (draw(scalar_values()),))
    if kind == "inplace":
        return Op(draw(st.sampled_from(["add_", "mul_", "sub_", "div_", "fill_", "clamp_"])),
                  (draw(scalar_values()),))
    if kind == "reduce":
        name = draw(st.sampled_from(["sum", "mean", "max", "cumsum", "prod", "any"]))
        if name == "max":
            return Op(name)
        if name == "cumsum" or ndim == 0 or draw(st.booleans()):
            return Op(name, (_dim(draw, ndim),), (("keepdim", draw(st.booleans())),) if name != "cumsum" else ())
        return Op(name)
    name = draw(st.sampled_from(["transpose", "t", "unsqueeze", "squeeze", "flatten", "permute", "reshape",
                                 "view", "expand_dims"]))
    if name == "transpose":
        return Op(name, (_dim(draw, ndim), _dim(draw, ndim)))
    if name == "unsqueeze":
        return Op(name, (_dim(draw, ndim, 1),))
    if name == "squeeze":
        return Op(name, (_dim(draw, ndim),) if ndim and draw(st.booleans()) else ())
    if name == "permute":
        return Op(name, tuple(int(p) + 1 for p in draw(st.permutations(range(ndim)))))
    if name in ("reshape", "view"):
        return Op(name, (-1,))
    if name == "expand_dims":
        return Op("unsqueeze", (1,))
    return Op(name)


@st.composite
def op_chains(draw, max_len=5, **case_kw):
    """A starting tensor and a short list of operations applied one after another."""
    case = draw(cases(**case_kw))
    ndim = len(case.shape)
    ops = []
    for _ in range(draw(st.integers(1, max_len))):
        op = draw(ops_for(ndim))
        ops.append(op)
        ndim = _ndim_after(op, ndim)
    return case, ops


def _ndim_after(op, ndim):
    if op.name == "unsqueeze":
        return ndim + 1
    if op.name in ("reshape", "view", "flatten"):
        return 1
    if op.name == "max":
        return 0
    if op.name in ("sum", "mean", "prod", "any") and not dict(op.kwargs).get("keepdim", False):
        return max(ndim - 1, 0) if op.args else 0
    if op.name == "squeeze":
        return ndim  # may or may not drop: a later dim may be out of range, an error both must agree on
    return ndim
