"""The graph autograd records and the engine that walks it backwards, as libtorch does: a node per
operation (named as libtorch names it: `MulBackward0`, `AccumulateGrad`, ...), edges to the nodes that made
its inputs, nodes run when every gradient they wait for has arrived, the most recently created first."""
import heapq
import itertools
import re
import weakref

import numpy as np

from .._tensor import Tensor, wrap, wrap_as
from ._grad_mode import STATE

_SEQ = itertools.count()
_LAST = float("inf")

SECOND_TIME = ("Trying to backward through the graph a second time (or directly access saved tensors after they "
               "have already been freed). Saved intermediate values of the graph are freed when you call "
               ".backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the "
               "graph a second time or if you need to access saved tensors after calling backward.")


class Context:
    """What a node keeps for its backward: the call's `args`, `kwargs` and `result` for rtorch's own
    operations; what `autograd_function`'s forward stores (R torch's `ctx`) for custom ones."""

    __slots__ = ("args", "kwargs", "_result", "core", "aux", "__dict__")

    def __init__(self, args=(), kwargs=None):
        self.args = args
        self.kwargs = kwargs or {}
        self._result = None
        self.core = None

    @property
    def result(self):
        """The operation's output (saved weakly, as libtorch saves outputs, so that output and node don't
        keep each other alive)."""
        if self._result is None:
            raise RuntimeError("rtorch: this operation's backward reads its result, which its derivative "
                               "row does not save (saves_result)")
        ref, data, dtype, node, nr = self._result
        out = ref()
        if out is None:
            out = wrap_as(data, dtype)
            node = None if node is None else node()
            if node is not None:
                out._rg, out.grad_fn, out._out_nr = True, node, nr
        return out


class Node:
    """A recorded operation. `next_functions` lists the nodes that made its inputs (R torch's
    `grad_fn$next_functions`). `fast`, where the operation has one, is its backward on the arrays
    themselves, run when the backward builds no graph (`create_graph = FALSE`); it returns NotImplemented
    for the cases it leaves to `backward_fn`."""

    __slots__ = ("name", "backward_fn", "ctx", "edges", "slots", "in_meta", "out_meta", "seq", "saved",
                 "freed", "hooks", "retains", "fast", "__weakref__")

    def __init__(self, name, backward_fn, ctx, slots, edges, in_meta, fast=None):
        self.name = name
        self.backward_fn = backward_fn
        self.ctx = ctx
        self.slots = slots
        self.edges = edges
        self.in_meta = in_meta
        self.out_meta = None
        self.seq = next(_SEQ)
        self.saved = None
        self.freed = False
        self.hooks = None
        self.retains = None
        self.fast = fast

    @property
    def next_functions(self):
        return [edge[0] for edge in self.edges if edge is not None]

    def __repr__(self):
        return self.name

    def register_hook(self, index, hook):
        if self.hooks is None:
            self.hooks = {}
        self.hooks.setdefault(index, []).append(hook)

    def _check(self):
        if self.freed:
            raise RuntimeError(SECOND_TIME)
        for vc, version, ref, is_output in self.saved:
            if vc[0] != version:
                raise RuntimeError(_modified_message(ref() if is_output else ref, vc[0], version,
                                                     self if is_output else None))

    def apply(self, grads):
        """The gradients for the node's inputs (tensors), from those of its outputs."""
        if self.saved is not None:
            self._check()
        return self._map(self.backward_fn(self.ctx, *grads))

    def apply_arrays(self, grads):
        """`apply` on arrays, for a backward that builds no graph: the array backward where there is one."""
        if self.saved is not None:
            self._check()
        fast = self.fast
        if fast is not None:
            out = fast(self.ctx, *grads)
            if out is not NotImplemented:
                return self._map(out)
        return self._slow_arrays(grads)

    def _slow_arrays(self, grads):
        flat = self._map(self.backward_fn(self.ctx, *[None if g is None else wrap(g) for g in grads]))
        return [None if g is None else g._data for g in flat]

    def _map(self, out):
        """The backward's gradients (by argument position or name) in the order of the node's inputs."""
        if type(out) is not tuple and type(out) is not list and type(out) is not dict:
            out = (out,)
        slots = self.slots
        n = len(slots)
        if n < 4 and slots is POSITIONAL[n] and type(out) is not dict and len(out) >= n:
            return out
        flat = []
        named = type(out) is dict
        n = len(out)
        for position, sub in self.slots:
            if sub is None and type(position) is int and not named:
                flat.append(out[position] if position < n else None)
                continue
            if named:
                g = out.get(position)
            else:
                if type(position) is not int:
                    position = _keyword_position(self.ctx, position)
                g = out[position] if position is not None and position < n else None
            if sub is not None and g is not None:
                g = g[sub]
            flat.append(g)
        return flat


_POSITIONS = {}
# the slots of a call whose first k positional arguments are the tensors that need grad, shared, so that
# `Node._map` knows them by identity
POSITIONAL = [tuple((i, None) for i in range(k)) for k in range(4)]


def _keyword_position(ctx, name):
    """Where keyword argument `name` stands in the core function's signature: a backward returns its
    gradients by position, also for tensors passed by name (`x$clamp(min = lo)`)."""
    core = getattr(ctx, "core", None)
    if core is None:
        return None
    key = (core, name)
    if key not in _POSITIONS:
        import inspect
        names = list(inspect.signature(core).parameters)
        _POSITIONS[key] = names.index(name) if name in names else None
    return _POSITIONS[key]


class AccumulateGrad:
    """The node at a leaf: adds the gradient that reaches it into the leaf's `$grad`."""

    __slots__ = ("variable", "seq", "__weakref__")
    name = "torch::autograd::AccumulateGrad"   # libtorch's Node::name(), which R torch prints
    edges = ()
    out_meta = None

    def __init__(self, variable):
        self.variable = variable
        self.seq = _LAST

    @property
    def next_functions(self):
        return []

    def __repr__(self):
        return self.name


def _modified_message(tensor, now, then, output_of=None):
    """libtorch's text: a saved output names the node that saved it, a saved input the node that now
    makes it, without the `Backward0` suffix."""
    if tensor is None:
        return ("one of the variables needed for gradient computation has been modified by an inplace "
                f"operation: it is at version {now}; expected version {then} instead.")
    node = tensor.grad_fn if output_of is None else output_of
    op = None if node is None else re.sub(r"Backward\d*$", "", node.name)
    made = "" if node is None else f", which is output {tensor._out_nr} of {op},"
    shape = ", ".join(str(s) for s in tensor.shape)
    return ("one of the variables needed for gradient computation has been modified by an inplace operation: "
            f"[torch.{tensor.dtype.name}Tensor [{shape}]]{made} is at version {now}; expected version {then} "
            "instead. Hint: enable anomaly detection to find the operation that failed to compute its gradient, "
            "with torch.autograd.set_detect_anomaly(True) (with_detect_anomaly() in R torch).")


def accumulator(t):
    """The AccumulateGrad node of leaf `t` (one per leaf while the graph holds it)."""
    ref = t._acc
    acc = None if ref is None else ref()
    if acc is None:
        acc = AccumulateGrad(t)
        t._acc = weakref.ref(acc)
    return acc


def edge_of(t):
    node = t.grad_fn
    if node is not None:
        return node, t._out_nr
    ref = t._acc
    acc = None if ref is None else ref()
    return (acc if acc is not None else accumulator(t)), 0


def save(node, tensors):
    """Record the versions of the tensors (other entries are skipped) `node`'s backward reads, to detect
    in-place changes later. A saved output is held weakly (it holds the node); inputs the node holds
    anyway, until the graph is freed."""
    saved = []
    for t in tensors:
        if isinstance(t, Tensor):
            vc = t._vc
            if vc is None:
                vc = t._vc = [0]
            if t.grad_fn is node:
                saved.append((vc, vc[0], weakref.ref(t), True))
            else:
                saved.append((vc, vc[0], t, False))
    node.saved = saved


def sum_to(g, shape):
    """Undo broadcasting: sum `g` down to `shape` (with recorded ops, so that it works under create_graph)."""
    if g.shape == shape:
        return g
    lead = g.ndim - len(shape)
    dims = [i + 1 for i in range(g.ndim) if i < lead or (shape[i - lead] == 1 and g.shape[i] != 1)]
    if dims:
        g = g.sum(dim=dims, keepdim=True)
    if lead or g.shape != shape:
        g = g.reshape(shape) if shape else g.reshape(())
    return g


def _zeros(meta):
    from .._creation import torch_zeros
    shape, dtype = meta
    return torch_zeros(*shape, dtype=dtype) if shape else torch_zeros(size=(), dtype=dtype)


def _run_hooks(node, index, grad):
    hooks = node.hooks and node.hooks.get(index)
    if hooks:
        for hook in list(hooks):
            new = hook(grad)
            if isinstance(new, Tensor):
                grad = new
    retains = node.retains and node.retains.get(index)
    if retains is not None:
        t = retains()
        if t is not None and grad is not None:
            t._grad = grad if STATE.enabled else _detached(grad)
    return grad


def _detached(g):
    out = wrap_as(g._data, g.dtype)
    return out


def _accumulate(leaf, grad, create_graph):
    hooks = leaf.__dict__.get("_hooks")
    if hooks:
        for hook in list(hooks.values()):
            new = hook(grad)
            if isinstance(new, Tensor):
                grad = new
    old = leaf._grad
    if old is None:
        if create_graph:
            leaf._grad = grad
        else:
            leaf._grad = wrap_as(grad._data.copy(), leaf.dtype)
    elif create_graph or old._rg:
        leaf._grad = old + grad
    else:
        vc = old._vc
        old._data += grad._data
        if vc is not None:
            vc[0] += 1


def _count(roots):
    """How many edges lead into each node reachable from `roots`."""
    deps = {}
    stack = [edge[0] for edge, _ in roots]
    seen = set(stack)
    while stack:
        for edge in stack.pop().edges:
            if edge is not None:
                child = edge[0]
                if child in deps:
                    deps[child] += 1
                else:
                    deps[child] = 1
                    if child not in seen:
                        seen.add(child)
                        stack.append(child)
    return deps


def _dependencies(roots):
    """How many edges lead into each node reachable from `roots`, and the nodes in the order found."""
    deps = {}
    stack = [edge[0] for edge, _ in roots]
    order = list(stack)
    seen = set(stack)
    while stack:
        for edge in stack.pop().edges:
            if edge is not None:
                child = edge[0]
                if child in deps:
                    deps[child] += 1
                else:
                    deps[child] = 1
                    if child not in seen:
                        seen.add(child)
                        order.append(child)
                        stack.append(child)
    return deps, order


def _needed(order, capture):
    """The nodes from which a captured edge can be reached: only these run for autograd_grad."""
    targets = {edge[0] for edge in capture}
    needed = set()
    changed = True
    while changed:
        changed = False
        for node in order:
            if node not in needed and any(e is not None and (e[0] in targets or e[0] in needed)
                                          for e in node.edges):
                needed.add(node)
                changed = True
    return needed


def sum_to_array(g, shape):
    """`sum_to` on an array."""
    gshape = g.shape
    lead = len(gshape) - len(shape)
    axes = tuple(range(lead))
    for i, s in enumerate(shape):
        if s == 1 and gshape[i + lead] != 1:
            axes += (i + lead,)
    if axes:
        g = g.sum(axis=axes, keepdims=True) if type(g) is not np.ndarray else np.add.reduce(g, axis=axes,
                                                                                            keepdims=True)
    if g.shape != shape:
        g = g.reshape(shape)
    return g


def _as_array(g):
    """A 0-d NumPy result can come back as a NumPy scalar: the engine passes arrays on."""
    return np.asarray(g) if isinstance(g, np.generic) else g


def _accumulate_array(leaf, g):
    hooks = leaf.__dict__.get("_hooks")
    if hooks:
        grad = wrap(g)
        for hook in list(hooks.values()):
            new = hook(grad)
            if isinstance(new, Tensor):
                grad = new
        g = grad._data
    old = leaf._grad
    if old is None:
        leaf._grad = wrap_as(g.copy(), leaf.dtype)
    elif old._rg:
        leaf._grad = old + wrap(g)
    else:
        vc = old._vc
        old._data += g
        if vc is not None:
            vc[0] += 1


def _hooked(node, grads):
    """Run a node's hooks (and keep retained gradients) on array gradients."""
    out = []
    for i, g in enumerate(grads):
        if g is not None:
            t = _run_hooks(node, i, wrap(g))
            g = None if t is None else t._data
        out.append(g)
    return out


def execute(roots, retain_graph, create_graph, capture=None, accumulate=True):
    """Run the graph backwards from `roots` (pairs of edge and gradient). With `capture` ({edge: slot}),
    the gradients arriving at those edges are returned instead of accumulated (autograd_grad).

    Without `create_graph` the gradients travel as arrays: nodes with an array backward (`Node.fast`) run
    without making tensors; others get their gradients wrapped as tensors and give back arrays."""
    if create_graph is False and capture is None:
        saved_mode = STATE.enabled
        STATE.enabled = False
        try:
            _run_arrays(roots, retain_graph, accumulate)
        finally:
            STATE.enabled = saved_mode
        return None
    if capture is None:
        deps, needed = _count(roots), None
    else:
        deps, order = _dependencies(roots)
        needed = _needed(order, capture)
    captured = {} if capture is not None else None
    arrays = not create_graph
    buffers = {}
    for (node, index), grad in roots:
        if arrays:
            grad = grad._data
        buf = buffers.get(node)
        if buf is None:
            buf = buffers[node] = [None] * (len(node.out_meta) if node.out_meta else 1)
        buf[index] = grad if buf[index] is None else buf[index] + grad
    heap = [(-node.seq, id(node), node) for node in buffers if node not in deps]
    heapq.heapify(heap)
    pop, push = heapq.heappop, heapq.heappush
    saved_mode = STATE.enabled
    STATE.enabled = bool(create_graph)
    try:
        while heap:
            node = pop(heap)[2]
            grads = buffers.pop(node)
            if type(node) is AccumulateGrad:
                g = grads[0]
                if g is not None:
                    if capture is not None:
                        slot = capture.get((node, 0))
                        if slot is not None:
                            captured[slot] = _leaf_hooks(node.variable, wrap(g) if arrays else g)
                    elif accumulate:
                        if arrays:
                            _accumulate_array(node.variable, g)
                        else:
                            _accumulate(node.variable, g, create_graph)
                continue
            if node.hooks is not None or node.retains is not None:
                if arrays:
                    grads = _hooked(node, grads)
                else:
                    grads = [g if g is None else _run_hooks(node, i, g) for i, g in enumerate(grads)]
            if capture is not None:
                for i, g in enumerate(grads):
                    slot = capture.get((node, i))
                    if slot is not None and g is not None:
                        captured[slot] = wrap(g) if arrays else g
                if node not in needed:
                    continue
            if len(grads) == 1:
                if grads[0] is None:
                    outs = None
                else:
                    outs = node.apply_arrays(grads) if arrays else node.apply(grads)
            elif all(g is None for g in grads):
                outs = None
            else:
                if arrays:
                    outs = node.apply_arrays([_zeros(m)._data if g is None else g
                                              for g, m in zip(grads, node.out_meta)])
                else:
                    outs = node.apply([_zeros(m) if g is None else g for g, m in zip(grads, node.out_meta)])
            if outs is not None and not retain_graph:
                node.freed = True
                if node.saved is not None:
                    node.ctx = None
                    node.saved = ()
            in_meta = node.in_meta
            i = -1
            for edge in node.edges:
                i += 1
                if edge is None:
                    continue
                child = edge[0]
                g = None if outs is None else outs[i]
                if g is not None:
                    shape, dtype, npdtype = in_meta[i]
                    if arrays:
                        if type(g) is not np.ndarray:
                            g = _as_array(g)
                        if g.shape != shape:
                            g = sum_to_array(g, shape)
                        if g.dtype is not npdtype and g.dtype != npdtype:
                            g = g.astype(npdtype) if g.dtype.kind != "c" else wrap(g).to(dtype=dtype)._data
                    else:
                        if g._data.shape != shape:
                            g = sum_to(g, shape)
                        if g.dtype is not dtype:
                            g = g.to(dtype=dtype)
                    buf = buffers.get(child)
                    if buf is None:
                        out_meta = child.out_meta
                        if out_meta is None:
                            buffers[child] = [g]
                        else:
                            buf = buffers[child] = [None] * len(out_meta)
                            buf[edge[1]] = g
                    else:
                        index = edge[1]
                        buf[index] = g if buf[index] is None else buf[index] + g
                left = deps[child] - 1
                deps[child] = left
                if left == 0:
                    if child in buffers:
                        push(heap, (-child.seq, id(child), child))
                    else:
                        _unreached(child, deps, buffers, heap)
    finally:
        STATE.enabled = saved_mode
    return captured


def _order(roots):
    """The nodes reachable from `roots` but the leaves' AccumulateGrad, most recently created first (a node is
    created after those that made its inputs, so this runs each after every node that feeds it); and how
    many edges lead into each AccumulateGrad."""
    nodes = []
    acc_deps = {}
    stack = [edge[0] for edge, _ in roots if type(edge[0]) is not AccumulateGrad]
    seen = set(stack)
    nodes.extend(stack)
    while stack:
        for edge in stack.pop().edges:
            if edge is not None:
                child = edge[0]
                if type(child) is AccumulateGrad:
                    acc_deps[child] = acc_deps.get(child, 0) + 1
                elif child not in seen:
                    seen.add(child)
                    nodes.append(child)
                    stack.append(child)
    if len(nodes) > 1:
        nodes.sort(key=_seq, reverse=True)
    return nodes, acc_deps


def _seq(node):
    return node.seq


def _run_arrays(roots, retain_graph, accumulate):
    """`execute` for the common case, a backward that builds no graph and captures nothing, on arrays. It
    runs the nodes in libtorch's order without a ready queue: by creation, newest first, and a leaf's
    AccumulateGrad as soon as its last gradient has arrived."""
    nodes, acc_deps = _order(roots)
    buffers = {}
    for (node, index), grad in roots:
        grad = grad._data
        if type(node) is AccumulateGrad:
            buf = buffers.get(node)
            buffers[node] = [grad if buf is None else buf[0] + grad]
            acc_deps.setdefault(node, 0)
            continue
        buf = buffers.get(node)
        if buf is None:
            buf = buffers[node] = [None] * (len(node.out_meta) if node.out_meta else 1)
        buf[index] = grad if buf[index] is None else buf[index] + grad
    for node, left in list(acc_deps.items()):
        if left == 0:
            acc_deps[node] = 1
            _arrived(node, acc_deps, buffers, accumulate)
    ndarray = np.ndarray
    for node in nodes:
        grads = buffers.pop(node, None)
        if grads is None:
            _unreached_leaves(node, acc_deps, buffers, accumulate)
            continue
        if node.hooks is not None or node.retains is not None:
            grads = _hooked(node, grads)
        if node.saved is not None:
            node._check()
        if len(grads) == 1:
            g = grads[0]
            if g is None:
                outs = None
            else:
                fast = node.fast
                out = NotImplemented if fast is None else fast(node.ctx, g)
                outs = node._slow_arrays(grads) if out is NotImplemented else node._map(out)
        elif all(g is None for g in grads):
            outs = None
        else:
            outs = node.apply_arrays([_zeros(m)._data if g is None else g for g, m in zip(grads, node.out_meta)])
        if outs is not None and not retain_graph:
            node.freed = True
            if node.saved is not None:
                node.ctx = None
                node.saved = ()
        in_meta = node.in_meta
        i = -1
        for edge in node.edges:
            i += 1
            if edge is None:
                continue
            child = edge[0]
            g = None if outs is None else outs[i]
            if g is not None:
                shape, dtype, npdtype = in_meta[i]
                if type(g) is not ndarray:
                    g = _as_array(g)
                if g.shape != shape:
                    g = sum_to_array(g, shape)
                if g.dtype is not npdtype and g.dtype != npdtype:
                    g = g.astype(npdtype) if g.dtype.kind != "c" else wrap(g).to(dtype=dtype)._data
                buf = buffers.get(child)
                if buf is None:
                    out_meta = child.out_meta
                    if out_meta is None:
                        buffers[child] = [g]
                    else:
                        buf = buffers[child] = [None] * len(out_meta)
                        buf[edge[1]] = g
                else:
                    index = edge[1]
                    buf[index] = g if buf[index] is None else buf[index] + g
            if type(child) is AccumulateGrad:
                _arrived(child, acc_deps, buffers, accumulate)


def _arrived(acc, acc_deps, buffers, accumulate):
    """One of the edges into a leaf's AccumulateGrad has run: the last one accumulates."""
    left = acc_deps[acc] - 1
    acc_deps[acc] = left
    if left == 0:
        grads = buffers.pop(acc, None)
        if accumulate and grads is not None and grads[0] is not None:
            _accumulate_array(acc.variable, grads[0])


def _unreached_leaves(node, acc_deps, buffers, accumulate):
    """A node no gradient reached: the AccumulateGrads it feeds wait for it no longer."""
    for edge in node.edges:
        if edge is not None and type(edge[0]) is AccumulateGrad:
            _arrived(edge[0], acc_deps, buffers, accumulate)


def _unreached(node, deps, buffers, heap):
    """A node that no gradient reached: its children wait for it no longer."""
    for edge in node.edges:
        if edge is not None:
            child = edge[0]
            deps[child] -= 1
            if deps[child] == 0:
                if child in buffers:
                    heapq.heappush(heap, (-child.seq, id(child), child))
                else:
                    _unreached(child, deps, buffers, heap)


def _leaf_hooks(leaf, grad):
    hooks = leaf.__dict__.get("_hooks")
    if hooks:
        for hook in list(hooks.values()):
            new = hook(grad)
            if isinstance(new, Tensor):
                grad = new
    return grad
