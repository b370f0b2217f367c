"""R torch's automatic differentiation: `x$backward()`, `x$grad`, `with_no_grad()`, `autograd_grad()`,
`autograd_function()`, on a graph that names its nodes as libtorch does.

`install(table)` turns the tensor core's methods into recorded ones (rows of `_derivatives.TABLE`); a
method without a derivative raises libtorch's "the derivative for ... is not implemented" when its
floating result would need one, and every in-place method bumps the tensor's version.
"""
import numpy as np

from .._tensor import Tensor, UNDEFINED, is_undefined_tensor, wrap_as
from ._derivatives import FUNCTIONS, INPLACE, TABLE
from ._function import AutogradContext, autograd_function
from ._grad_mode import (STATE, autograd_is_enabled, autograd_set_grad_mode, local_enable_grad, local_no_grad,
                         with_detect_anomaly, with_enable_grad, with_no_grad)
from ._graph import Node, accumulator, edge_of, execute
from ._record import (differentiable, inplace_version_only, not_differentiable, wrap_inplace, wrap_method)

__all__ = ["autograd_backward", "autograd_function", "autograd_grad", "autograd_set_grad_mode",
           "is_undefined_tensor", "local_enable_grad", "local_no_grad", "with_detect_anomaly", "with_enable_grad",
           "with_no_grad", "differentiable",
           "AutogradContext"]

# methods that return no floating tensor derived from their input, or manage autograd themselves
_PASS = {"numpy", "_to_r", "size", "numel", "dim", "element_size", "stride", "is_contiguous", "item", "storage",
         "data_ptr", "is_floating_point", "is_complex", "requires_grad_", "print", "allclose", "equal",
         "new_full", "new_zeros", "new_ones", "new_empty", "detach", "__pos__", "__hash__"}


def install(table):
    """Replace, in a name -> function table of tensor methods, each function by its recorded form."""
    for name, fn in list(table.items()):
        if isinstance(fn, property) and name in TABLE:  # `x$real`
            table[name] = property(wrap_method(fn.fget, TABLE[name]), fn.fset)
            continue
        if not callable(fn) or isinstance(fn, property) or name in _PASS:
            continue
        if name in TABLE:
            table[name] = wrap_method(fn, TABLE[name])
        elif name in INPLACE:
            table[name] = wrap_inplace(fn, INPLACE[name])
        elif name.endswith("_") and not name.startswith("__") or name.startswith("__i"):
            table[name] = inplace_version_only(fn, name)
        else:
            table[name] = not_differentiable(fn, name.strip("_"))
    table.update(TENSOR_METHODS)


def on_first_use(activate):
    """Call `activate` (which puts the recorded methods on the tensor class) when a tensor first requires
    grad: only from then on can an operation need recording."""
    import rtorch._tensor as tensor_module

    def first():
        tensor_module._first_requires_grad = None
        activate()
    tensor_module._first_requires_grad = first


def install_functions(table):
    """The same for a table of `torch_*` functions that are not method forms."""
    for name, fn in list(table.items()):
        if not callable(fn) or hasattr(fn, "_core"):
            continue
        d = FUNCTIONS.get(name)
        table[name] = wrap_method(fn, d) if d is not None else not_differentiable(fn, name)


# -- the tensor's autograd methods -------------------------------------------------------------------------

def _default_grad(t):
    if t._data.size != 1:
        raise RuntimeError("grad can be implicitly created only for scalar outputs")
    return wrap_as(_ones(t), t.dtype)


def _ones(t):
    data = t._data
    if type(data) is np.ndarray:
        return np.ones(data.shape, data.dtype)
    from .._devices import array_module
    return array_module(t.device).ones(data.shape, data.dtype)


def _roots(tensors, grads):
    roots = []
    for i, (t, g) in enumerate(zip(tensors, grads)):
        if not t._rg:
            raise RuntimeError(f"element {i} of tensors does not require grad and does not have a grad_fn")
        if g is None or is_undefined_tensor(g):
            g = _default_grad(t)
        elif not isinstance(g, Tensor):
            from .._creation import torch_tensor
            g = torch_tensor(g, dtype=t.dtype)
        if g.shape != t.shape:
            raise RuntimeError(f"Mismatch in shape: grad_output[{i}] has a shape of {_size(g.shape)} and "
                               f"output[{i}] has a shape of {_size(t.shape)}.")
        roots.append((edge_of(t), g))
    return roots


def _size(shape):
    return "torch.Size([" + ", ".join(str(s) for s in shape) + "])"


def backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None):
    """R torch's `x$backward(gradient, retain_graph = create_graph, create_graph = FALSE)`: accumulates
    into the `$grad` of the leaves it reaches; returns nothing (R's invisible NULL)."""
    autograd_backward([self], [gradient], retain_graph, create_graph, inputs)


def autograd_backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False, inputs=None):
    """R torch's `autograd_backward(tensors, grad_tensors, retain_graph, create_graph)`."""
    tensors = [tensors] if isinstance(tensors, Tensor) else list(tensors)
    if grad_tensors is None or isinstance(grad_tensors, Tensor):
        grad_tensors = [grad_tensors] + [None] * (len(tensors) - 1)
    grad_tensors = list(grad_tensors)
    if retain_graph is None:
        retain_graph = create_graph
    roots = _roots(tensors, grad_tensors)
    if inputs is not None:
        inputs = [inputs] if isinstance(inputs, Tensor) else list(inputs)
        capture = {edge_of(t): i for i, t in enumerate(inputs)}
        got = execute(roots, retain_graph, create_graph, capture=capture)
        for i, t in enumerate(inputs):
            if i in got:
                from ._graph import _accumulate
                _accumulate(t, got[i], create_graph)
        return None
    execute(roots, retain_graph, create_graph)
    return None


def autograd_grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False,
                  allow_unused=False):
    """R torch's `autograd_grad()`: the gradients of `outputs` with respect to `inputs`, as a list, without
    touching any `$grad`. An input the outputs don't depend on is an error, or with `allow_unused` an
    undefined tensor."""
    outputs = [outputs] if isinstance(outputs, Tensor) else list(outputs)
    inputs = [inputs] if isinstance(inputs, Tensor) else list(inputs)
    if grad_outputs is None or isinstance(grad_outputs, Tensor):
        grad_outputs = [grad_outputs] + [None] * (len(outputs) - 1)
    if retain_graph is None:
        retain_graph = create_graph
    for i, t in enumerate(inputs):
        if not t._rg:
            raise RuntimeError(f"One of the differentiated Tensors does not require grad")
    roots = _roots(outputs, list(grad_outputs))
    capture = {}
    for i, t in enumerate(inputs):
        capture.setdefault(edge_of(t), i)
    got = execute(roots, retain_graph, create_graph, capture=capture)
    result = []
    for i, t in enumerate(inputs):
        g = got.get(capture[edge_of(t)])
        if g is None:
            if not allow_unused:
                raise RuntimeError("One of the differentiated Tensors appears to not have been used in the "
                                   "graph. Set allow_unused=True if this is the desired behavior.")
            g = UNDEFINED
        elif not create_graph:
            g = wrap_as(g._data, g.dtype)
        result.append(g)
    return result


class _Hook:
    """What `x$register_hook()` returns; `$remove()` removes the hook."""
    __slots__ = ("_remove",)

    def __init__(self, remove):
        self._remove = remove

    def remove(self):
        self._remove()


def register_hook(self, hook):
    """R torch's `x$register_hook(function(grad) ...)`: `hook` sees the gradient computed for `x`; what it
    returns, if a tensor, replaces it."""
    if not self._rg:
        raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
    node = self.grad_fn
    if node is None:
        hooks = self.__dict__.setdefault("_hooks", {})
        key = object()
        hooks[key] = hook
        return _Hook(lambda: hooks.pop(key, None))
    node.register_hook(self._out_nr, hook)
    index = self._out_nr
    return _Hook(lambda: node.hooks[index].remove(hook) if hook in node.hooks.get(index, []) else None)


def retain_grad(self):
    """R torch's `x$retain_grad()`: a non-leaf keeps its gradient in `$grad` after backward."""
    import weakref
    node = self.grad_fn
    if node is None:
        return None
    if node.retains is None:
        node.retains = {}
    node.retains[self._out_nr] = weakref.ref(self)
    self._retains = True
    return None


def _retains_grad(self):
    return self.grad_fn is not None and self.__dict__.get("_retains", False)


def detach(self):
    """A tensor sharing `x`'s storage (and version counter), outside the graph."""
    out = wrap_as(self._data, self.dtype)
    vc = self._vc
    if vc is None:
        vc = self._vc = [0]
    out._vc = vc
    return out


def data(self):
    """R torch's `x$data()` (libtorch's variable_data): the same storage outside the graph, with a version
    counter of its own, so autograd's in-place checks do not see changes made through it."""
    return wrap_as(self._data, self.dtype)


def detach_(self):
    """Take `x` out of the graph, in place: it becomes a leaf that doesn't require grad."""
    if self._base is not None and self._base._rg:
        raise RuntimeError("Can't detach views in-place. Use detach() instead.")
    self.grad_fn = None
    self._rg = False
    return self


def requires_grad_(self, requires_grad=True):
    self.requires_grad = bool(requires_grad)
    return self


TENSOR_METHODS = {
    "backward": backward, "register_hook": register_hook, "retain_grad": retain_grad,
    "retains_grad": property(_retains_grad), "detach": detach, "data": data, "detach_": detach_, "requires_grad_": requires_grad_,
}
