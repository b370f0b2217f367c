"""R torch's `autograd_function(forward, backward)`: an operation whose forward and backward the user
writes. `ctx` works as R torch's: `save_for_backward(...)`, `saved_variables`, `needs_input_grad`,
`mark_dirty(...)`, `mark_non_differentiable(...)`; backward returns a named list (a dict) of gradients by
argument name, or a list in argument order."""
import inspect

from .._tensor import Tensor, wrap_as
from ._grad_mode import STATE
from ._record import LEAF_INPLACE, make_node


class AutogradContext:
    """R torch's `ctx`."""

    def __init__(self, needs):
        self.needs_input_grad = needs
        self._saved = None
        self._dirty = ()
        self._non_differentiable = ()

    def save_for_backward(self, *args, **kwargs):
        """Keep values for backward: positional ones are read as `saved_variables[0]`, named ones by name."""
        self._saved = dict(kwargs) if kwargs and not args else list(args) + list(kwargs.values()) \
            if not kwargs else {**{i: a for i, a in enumerate(args)}, **kwargs}

    @property
    def saved_variables(self):
        return self._saved

    def mark_dirty(self, *tensors):
        self._dirty = tensors

    def mark_non_differentiable(self, *tensors):
        self._non_differentiable = tensors


class _Ctx:
    """What the graph's node keeps: the user's ctx, and the names of forward's arguments."""
    __slots__ = ("user", "names", "aux", "_result", "args", "kwargs")


def autograd_function(forward, backward):
    """A differentiable function from R-style `forward(ctx, ...)` and `backward(ctx, grad_output, ...)`."""
    names = list(inspect.signature(forward).parameters)[1:]

    def fn(*args, **kwargs):
        bound = dict(zip(names, args))
        bound.update(kwargs)
        needs = {n: isinstance(v, Tensor) and v._rg for n, v in bound.items()}
        user = AutogradContext(needs)
        mode = STATE.enabled
        recording = mode and any(needs.values())
        STATE.enabled = False
        try:
            result = forward(user, *args, **kwargs)
        finally:
            STATE.enabled = mode
        if not recording:
            return result
        return _link(user, names, bound, needs, result, backward)
    fn.__name__ = getattr(forward, "__name__", "autograd_function")
    return fn


def _link(user, names, bound, needs, result, backward):
    outs = list(result) if isinstance(result, (list, tuple)) else [result]
    for t in user._dirty:
        if t._rg and t.grad_fn is None:
            raise RuntimeError(LEAF_INPLACE)
    inputs = [v for v in bound.values() if isinstance(v, Tensor)]
    fixed = []
    for o in outs:
        if isinstance(o, Tensor) and any(o is t for t in inputs) and not any(o is d for d in user._dirty):
            o = wrap_as(o._data, o.dtype)
        fixed.append(o)
    slots = [(n, None) for n in bound if needs[n]]
    tensors = [bound[n] for n, _ in slots]
    ctx = _Ctx()
    ctx.user, ctx.names, ctx.args, ctx.kwargs = user, names, (), {}

    def run_backward(c, *grads):
        out = backward(c.user, *grads)
        if isinstance(out, dict):
            return out
        return dict(zip(c.names, out))

    single = not isinstance(result, (list, tuple))
    linked = make_node("torch::autograd::CppNode<RFunction>", run_backward, ctx, slots, tensors, fixed[0] if single else fixed)
    for o in user._non_differentiable:
        for f in fixed:
            if f is o:
                f._rg, f.grad_fn = False, None
    if single:
        return linked
    return type(result)(fixed) if isinstance(result, tuple) else fixed
