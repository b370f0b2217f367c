"""Recording: how an operation on tensors that require grad becomes a node of the graph.

`differentiable(name, forward, backward)` makes a recorded operation from a forward and its backward;
`wrap_method` does the same for one of the tensor core's functions, with its backward from the
derivatives table (`_derivatives.py`). A call in which no tensor requires grad, or with grad mode off,
costs one check and goes straight to the core function.
"""
import weakref

import numpy as np

from .._tensor import Tensor, wrap_as
from ._grad_mode import STATE
from ._graph import POSITIONAL, Context, Node, accumulator, save


def _inputs(args, kwargs):
    """The tensors among the arguments that require grad, with where each stands: (position, index in a
    list or None) for positional arguments, (name, None) for keywords. Where they are the first k
    positional arguments, the slots are the shared `POSITIONAL[k]`."""
    if not kwargs and len(args) <= 2:
        a = args[0] if args else None
        if type(a) is Tensor and a._rg:
            if len(args) == 1:
                return POSITIONAL[1], [a]
            b = args[1]
            if type(b) is Tensor:
                return (POSITIONAL[2], [a, b]) if b._rg else (POSITIONAL[1], [a])
            if type(b) is float or type(b) is int or b is None:
                return POSITIONAL[1], [a]
        elif len(args) == 2 and type(a) is Tensor:
            b = args[1]
            if type(b) is Tensor and b._rg:
                return _SECOND, [b]
    return _inputs_any(args, kwargs)


_SECOND = ((1, None),)


def _inputs_any(args, kwargs):
    """`_inputs` for any arguments."""
    slots, tensors = [], []
    plain = True
    for pos, a in enumerate(args):
        if isinstance(a, Tensor):
            if a._rg:
                if plain and pos != len(tensors):
                    plain = False
                slots.append((pos, None))
                tensors.append(a)
        elif type(a) is list or type(a) is tuple:
            for j, b in enumerate(a):
                if isinstance(b, Tensor) and b._rg:
                    plain = False
                    slots.append((pos, j))
                    tensors.append(b)
    if kwargs:
        for name, a in kwargs.items():
            if isinstance(a, Tensor) and a._rg:
                plain = False
                slots.append((name, None))
                tensors.append(a)
    if plain and len(slots) < 4:
        slots = POSITIONAL[len(slots)]
    return slots, tensors


def any_requires_grad(args, kwargs):
    for a in args:
        if isinstance(a, Tensor):
            if a._rg:
                return True
        elif (type(a) is list or type(a) is tuple) and any(isinstance(b, Tensor) and b._rg for b in a):
            return True
    return bool(kwargs) and any(isinstance(a, Tensor) and a._rg for a in kwargs.values())


def _forward(fn, args, kwargs):
    STATE.enabled = False
    try:
        return fn(*args, **kwargs)
    finally:
        STATE.enabled = True


def _among(x, seq):
    for t in seq:
        if t is x:
            return True
    return False


def make_node(name, backward, ctx, slots, tensors, result, saves=(), inputs=(), fast=None, keep_result=True):
    """Link `result` (a tensor or a sequence of them) to a new node; returns the result. `keep_result`:
    whether the backward reads `ctx.result`."""
    edges = []
    in_meta = []
    for t in tensors:
        made_by = t.grad_fn
        if made_by is not None:
            edges.append((made_by, t._out_nr))
        else:
            ref = t._acc
            acc = None if ref is None else ref()
            edges.append((acc if acc is not None else accumulator(t), 0))
        data = t._data
        in_meta.append((data.shape, t.dtype, data.dtype))
    node = Node(name, backward, ctx, slots, edges, in_meta, fast)
    if type(result) is Tensor:
        ctx.aux = None
        if result.dtype.category >= 2 and not _among(result, inputs):
            d = result.__dict__
            d["_rg"] = True
            d["grad_fn"] = node
            if result._out_nr:
                d["_out_nr"] = 0
        if keep_result:
            ctx._result = (weakref.ref(result), result._data, result.dtype,
                           None if result.grad_fn is None else weakref.ref(result.grad_fn), 0)
    else:
        aux = [None] * len(result)
        meta = []
        for i, o in enumerate(result):
            if isinstance(o, Tensor):
                meta.append((o._data.shape, o.dtype))
                if o.dtype.category >= 2 and not _among(o, inputs):
                    o._rg = True
                    o.grad_fn = node
                    o._out_nr = i
                    continue
            else:
                meta.append(((), None))
            aux[i] = o
        node.out_meta = meta
        ctx.aux = aux
    if saves:
        save(node, saves)
    return result


def differentiable(name, forward, backward, saves=None, fast=None):
    """An operation recorded as node `name`: `forward(ctx, *args, **kwargs)` computes the result with
    recording off (it may keep anything on `ctx`); `backward(ctx, *grads)` returns a gradient (or None)
    per positional argument. `saves(ctx)`, if given, names the tensors whose in-place change after the
    forward makes the backward wrong (libtorch's version check). `fast(ctx, *grads)`, optional, is the
    same backward on arrays (grads and results are NumPy/CuPy arrays, `ctx.args` still the call's
    tensors), used when the backward builds no graph; it may return NotImplemented to defer to `backward`."""
    def op(*args, **kwargs):
        ctx = Context(args, kwargs)
        if not (STATE.enabled and any_requires_grad(args, kwargs)):
            return forward(ctx, *args, **kwargs)
        result = _forward(forward, (ctx,) + args, kwargs)
        slots, tensors = _inputs(args, kwargs)
        return make_node(name, backward, ctx, slots, tensors, result, saves(ctx) if saves else [None], args,
                         fast)
    op.__name__ = getattr(forward, "__name__", name)
    op.__doc__ = forward.__doc__
    return op


def _share_version(out, t):
    """A view shares its base's version counter, so an in-place change through either is seen by both."""
    vc = t._vc
    if vc is None:
        vc = t._vc = [0]
    out._vc = vc
    out._base = t._base if t._base is not None else t


class Derivative:
    """One row of the derivatives table: libtorch's node name (or a function of the call giving it), the
    backward, which arguments (by position) and whether the result its backward reads, and whether the
    operation returns a view."""
    __slots__ = ("name", "backward", "saves", "saves_result", "view", "alias", "fast")

    def __init__(self, name, backward, saves=(), saves_result=False, view=False, alias=None, fast=None):
        self.name, self.backward, self.saves, self.saves_result, self.view, self.alias, self.fast = (
            name, backward, saves, saves_result, view, alias, fast)


def _record(fn, d, args, kwargs):
    STATE.enabled = False
    try:
        result = fn(*args, **kwargs)
    finally:
        STATE.enabled = True
    slots, tensors = _inputs(args, kwargs)
    if not tensors or _among(result, tensors):
        return result
    if d.alias is not None and d.alias(args[0], result):
        return args[0]
    ctx = Context(args, kwargs)
    ctx.core = fn
    name = d.name if type(d.name) is str else d.name(ctx, result)
    if d.saves:
        n = len(args)
        saves = [args[i] for i in d.saves if i < n]
        if d.saves_result and isinstance(result, Tensor):
            saves.append(result)
    else:
        saves = [result] if d.saves_result and isinstance(result, Tensor) else ()
    make_node(name, d.backward, ctx, slots, tensors, result, saves, args, d.fast, d.saves_result)
    if d.view:
        base = args[0]
        for o in ((result,) if isinstance(result, Tensor) else result):
            if isinstance(o, Tensor) and _may_share(o._data, base._data):
                _share_version(o, base)
    return result


def _may_share(a, b):
    if type(a) is not np.ndarray:
        return True  # CuPy arrays
    base = a.base
    if a is b or (base is not None and (base is b or base is b.base)):
        return True
    return base is not None and np.may_share_memory(a, b)


def wrap_method(fn, d):
    """The core function `fn`, recorded by derivative `d` when grad mode is on and an input requires grad."""
    def op(*args, **kwargs):
        if STATE.enabled and any_requires_grad(args, kwargs):
            return _record(fn, d, args, kwargs)
        return fn(*args, **kwargs)
    op.__name__, op.__qualname__, op.__doc__ = fn.__name__, fn.__qualname__, fn.__doc__
    op._core = fn
    return op


LEAF_INPLACE = "a leaf Variable that requires grad is being used in an in-place operation."
VIEW_INPLACE = "a view of a leaf Variable that requires grad is being used in an in-place operation."


def _check_inplace(t):
    if t._rg and t.grad_fn is None:
        raise RuntimeError(LEAF_INPLACE)
    base = t._base
    if base is not None and base._rg and base.grad_fn is None:
        raise RuntimeError(VIEW_INPLACE)
    if base is not None and base._rg:
        raise RuntimeError("rtorch: an in-place operation on a view of a tensor that requires grad is not "
                           "supported yet; use the out-of-place form (e.g. `y = y.add(1)`)")


def bump(t):
    vc = t._vc
    if vc is not None:
        vc[0] += 1


def _record_inplace(fn, d, self, args, kwargs):
    _check_inplace(self)
    old = wrap_as(self._data.copy() if 0 in d.saves else self._data, self.dtype)
    if self._rg:
        old._rg, old.grad_fn, old._out_nr = True, self.grad_fn, self._out_nr
    STATE.enabled = False
    try:
        out = fn(self, *args, **kwargs)
    finally:
        STATE.enabled = True
    call = (old,) + args
    slots, tensors = _inputs(call, kwargs)
    ctx = Context(call, kwargs)
    ctx.core = fn
    name = d.name if type(d.name) is str else d.name(ctx, self)
    bump(self)
    self.__dict__.pop("_acc", None)
    saves = [call[i] if i < len(call) else None for i in d.saves]
    if d.saves_result:
        saves.append(self)
    make_node(name, d.backward, ctx, slots, tensors, self, saves, (), d.fast)
    return out


def wrap_inplace(fn, d):
    """An in-place core function: bumps the tensor's version; recorded as `d` (the out-of-place
    derivative) when it needs to be, after libtorch's checks for leaves and views."""
    def op(self, *args, **kwargs):
        if STATE.enabled and (self._rg or any_requires_grad(args, kwargs)):
            return _record_inplace(fn, d, self, args, kwargs)
        out = fn(self, *args, **kwargs)
        vc = self._vc
        if vc is not None:
            vc[0] += 1
        return out
    op.__name__, op.__qualname__, op.__doc__ = fn.__name__, fn.__qualname__, fn.__doc__
    op._core = fn
    return op


def not_differentiable(fn, name):
    """A core function without a derivative here: libtorch's error when its floating result would need
    one; integer and boolean results (comparisons, indices) need none."""
    def op(*args, **kwargs):
        out = fn(*args, **kwargs)
        if STATE.enabled and any_requires_grad(args, kwargs):
            outs = (out,) if isinstance(out, Tensor) else out if type(out) in (tuple, list) else ()
            if any(isinstance(o, Tensor) and o.dtype.category >= 2 and o.grad_fn is None and not o._rg
                   for o in outs):
                raise RuntimeError(f"the derivative for '{name}' is not implemented.")
        return out
    op.__name__, op.__qualname__, op.__doc__ = fn.__name__, fn.__qualname__, fn.__doc__
    op._core = fn
    return op


def inplace_version_only(fn, name):
    """An in-place core function without a derivative: bumps the version; libtorch's error if autograd
    would have to record it."""
    def op(self, *args, **kwargs):
        if STATE.enabled and (self._rg or any_requires_grad(args, kwargs)):
            _check_inplace(self)
            raise RuntimeError(f"the derivative for '{name}' is not implemented.")
        out = fn(self, *args, **kwargs)
        vc = self._vc
        if vc is not None:
            vc[0] += 1
        return out
    op.__name__, op.__qualname__, op.__doc__ = fn.__name__, fn.__qualname__, fn.__doc__
    op._core = fn
    return op
