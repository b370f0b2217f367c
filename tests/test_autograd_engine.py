"""The engine's order and bookkeeping against PyTorch's (libtorch's engine): a leaf as the root, the same
leaf twice among the roots, a node that no gradient reaches while the leaf it feeds gets one by another
path, hooks on leaves and on intermediate nodes, and the order in which the nodes run."""
import numpy as np

from tests._require import require

torch = require("torch")

import rtorch as r  # noqa: E402
from rtorch import autograd_backward, autograd_function, torch_tensor  # noqa: E402


def _pair(values):
    a = np.asarray(values, dtype=np.float32)
    return torch_tensor(a, requires_grad=True), torch.tensor(a, requires_grad=True)


def test_a_leaf_as_the_root_accumulates_its_gradient():
    x, tx = _pair([1.0, 2.0, 3.0])
    g = np.array([0.5, -1.0, 2.0], np.float32)
    x.backward(torch_tensor(g))
    tx.backward(torch.tensor(g))
    np.testing.assert_array_equal(r.as_array(x.grad), tx.grad.numpy())


def test_the_same_leaf_twice_among_the_roots():
    x, tx = _pair([1.0, 2.0])
    calls, tcalls = [], []
    x.register_hook(lambda g: calls.append(r.as_array(g).tolist()))
    tx.register_hook(lambda g: tcalls.append(g.tolist()))
    g1, g2 = np.array([1.0, 2.0], np.float32), np.array([10.0, 20.0], np.float32)
    autograd_backward([x, x], [torch_tensor(g1), torch_tensor(g2)])
    torch.autograd.backward([tx, tx], [torch.tensor(g1), torch.tensor(g2)])
    np.testing.assert_array_equal(r.as_array(x.grad), tx.grad.numpy())
    assert calls == tcalls


def _custom_first_input_unreached(r_side):
    if r_side:
        return autograd_function(forward=lambda ctx, a, b: a + b,
                                 backward=lambda ctx, g: {"a": None, "b": g})

    class F(torch.autograd.Function):
        @staticmethod
        def forward(ctx, a, b):
            return a + b

        @staticmethod
        def backward(ctx, g):
            return None, g
    return F.apply


def test_a_node_no_gradient_reaches_still_lets_its_leaf_accumulate():
    w, tw = _pair([1.0, -2.0, 3.0])
    f, tf = _custom_first_input_unreached(True), _custom_first_input_unreached(False)
    out = f(w * 3, w).sum()
    tout = tf(tw * 3, tw).sum()
    out.backward()
    tout.backward()
    np.testing.assert_array_equal(r.as_array(w.grad), tw.grad.numpy())


def test_nodes_run_newest_first_and_leaf_hooks_once_per_backward():
    x, tx = _pair([0.5, 1.5])
    w, tw = _pair([2.0, -1.0])
    log, tlog = [], []

    def graph(x, w, log, name):
        a = x * w
        b = a.exp()
        c = a.sin()
        for t, label in ((a, "a"), (b, "b"), (c, "c")):
            t.register_hook(lambda g, label=label: log.append(label))
        x.register_hook(lambda g: log.append("x"))
        w.register_hook(lambda g: log.append("w"))
        return (b * c + a).sum()

    graph(x, w, log, "r").backward()
    graph(tx, tw, tlog, "t").backward()
    assert log[:3] == tlog[:3] and sorted(log[3:]) == sorted(tlog[3:]) and len(log) == len(tlog)
    np.testing.assert_allclose(r.as_array(x.grad), tx.grad.numpy(), rtol=1e-6)
    np.testing.assert_allclose(r.as_array(w.grad), tw.grad.numpy(), rtol=1e-6)


def test_a_second_backward_through_a_freed_graph_is_libtorchs_error():
    x, _ = _pair([1.0, 2.0])
    y = (x * x).sum()
    y.backward()
    try:
        y.backward()
    except RuntimeError as e:
        assert "Trying to backward through the graph a second time" in str(e)
    else:
        raise AssertionError("no error")
