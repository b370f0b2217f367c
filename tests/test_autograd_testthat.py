"""R torch's tests/testthat/test-autograd.R, block by block, plus the autograd parts of test-tensor.R's
printing (the `[ grad_fn = <...> ]` and `[ requires_grad = TRUE ]` footers, checked against libtorch's own
printing with R torch's footer code from R/tensor.R appended).

R named lists are dicts, `[[1]]` is `[0]`, `with_no_grad({...})` is `with with_no_grad(): ...`,
`expect_output(expr, regex)` is pytest's capsys plus `re.search`. Numbers that R's test writes out are
checked against PyTorch's autograd on the same inputs where PyTorch has the same computation.
`local_no_grad()`/`local_enable_grad()` (R's function-scoped grad mode, withr-style) restore when the
calling Python function returns; that block is ported in test_scoped_state.py.
"""
import re

import numpy as np
import pytest

from rtorch import (as_array, autograd_backward, autograd_function, autograd_grad, is_undefined_tensor, matrix,
                    torch_mean, torch_manual_seed, torch_ones, torch_ones_like, torch_randn, torch_tensor,
                    with_detect_anomaly, with_enable_grad, with_no_grad, c)
from tests._require import require
from tests.test_printing import oracle, r_print  # noqa: F401  (the libtorch printing fixture)
from tests.test_rtorch_testthat_ports import expect_equal_to_r as _expect_equal_to_r
from tests.test_rtorch_testthat_ports import expect_equal_to_tensor, expect_tensor, runif


def expect_equal_to_r(t, expected, tolerance=1.5e-8):
    """An R number is a vector of length one: a Python number here stands for one."""
    if isinstance(expected, (int, float)):
        expected = np.array([expected], dtype=np.float64)
    _expect_equal_to_r(t, expected, tolerance)


def _torch_grad(fn, *values):
    """PyTorch's gradients of `fn(*leaves).sum()` at `values` (the oracle for R's written-out numbers)."""
    torch = require("torch")
    leaves = [torch.tensor(np.asarray(v, dtype=np.float64), requires_grad=True) for v in values]
    fn(*leaves).sum().backward()
    return [leaf.grad.numpy() for leaf in leaves]


def test_autograd__can_autograd():
    x = torch_tensor(c(1), requires_grad=True)
    y = 2 * x
    assert y.backward() is None  # expect_invisible: R's invisible NULL
    expect_equal_to_r(x.grad, 2)
    expect_equal_to_r(x.grad, _torch_grad(lambda a: 2 * a, [1.0])[0])


def test_autograd__can_autograd_with_contexts():
    with with_no_grad():
        with with_enable_grad():
            x = torch_tensor(c(1), requires_grad=True)
            y = 2 * x
    assert y.backward() is None
    expect_equal_to_r(x.grad, 2)


def test_autograd__requires_grad_works():
    x = torch_tensor(c(1), requires_grad=True)
    assert x.requires_grad
    x = torch_tensor(c(1), requires_grad=False)
    assert not x.requires_grad
    x = torch_tensor(c(1), requires_grad=False)
    x.requires_grad_(True)
    assert x.requires_grad
    x.requires_grad_(False)
    assert not x.requires_grad


def test_autograd__register_hook(capsys):
    x = torch_tensor(c(2), requires_grad=True)
    x.register_hook(lambda grad: print("hello"))
    y = 2 * x
    y.backward()
    assert re.search("hello", capsys.readouterr().out)
    expect_equal_to_r(x.grad, 2)

    # correctly sees the gradient
    x = torch_tensor(c(2), requires_grad=True)
    x.register_hook(lambda grad: print(grad))
    y = 2 * x
    y.backward()
    assert re.search("torch_tensor", capsys.readouterr().out)

    x = torch_tensor(c(2), requires_grad=True)
    x.register_hook(lambda grad: print("ABABA"))
    y = 2 * x
    y.register_hook(lambda grad: print("EBEBE"))
    y.backward()
    assert re.search("EBEBE(.|\n)*ABABA", capsys.readouterr().out)


def test_autograd__register_hook_can_throw_exceptions_in_the_lantern_thread():
    x = torch_tensor(c(2), requires_grad=True)
    x.register_hook(lambda grad: 2 * grad)
    y = 2 * x
    y.backward()
    expect_equal_to_r(x.grad, 4)
    with pytest.raises(RuntimeError):
        y.backward()


def test_autograd__register_hook_can_throw_exceptions_in_the_hook():
    x = torch_tensor(c(2), requires_grad=True)

    def hook(grad):
        raise RuntimeError("stop")
    x.register_hook(hook)
    y = 2 * x
    with pytest.raises(RuntimeError):
        y.backward()


def test_autograd__register_hook_grad_non_leaf():
    x = torch_randn(5, requires_grad=True)
    x_list = x.unbind()
    x0 = x_list[0]
    hook_results = []
    x0.register_hook(lambda grad: hook_results.append(grad))
    x_list[0].backward()
    expect_equal_to_r(hook_results[-1], 1)
    expect_equal_to_r(x.grad, c(1, 0, 0, 0, 0))


def test_autograd__register_hook_can_call_the_hook_inside_a_hook():
    v = []
    x = torch_tensor(1, requires_grad=True)
    y = 2 * x
    x.register_hook(lambda grad: v.append("x"))
    a = torch_tensor(1, requires_grad=True)
    b = 2 * a  # noqa: F841  (as in R's test)

    def a_hook(grad):
        v.append("a")
        y.backward()
    a.register_hook(a_hook)
    a.backward()
    assert v == ["a", "x"]

    # one more level of nesting
    v = []
    x = torch_tensor(1, requires_grad=True)
    y = 2 * x
    x.register_hook(lambda grad: v.append("x"))
    a = torch_tensor(1, requires_grad=True)
    b = 2 * a  # noqa: F841
    a.register_hook(a_hook)
    k = torch_tensor(1, requires_grad=True)
    l_ = 2 * k

    def k_hook(grad):
        v.append("k")
        a.backward()
    k.register_hook(k_hook)
    l_.backward()
    assert v == ["k", "a", "x"]


def test_autograd__register_hook_can_have_2_hooks_that_call_backwards_on_different_graphs():
    v = []
    x = torch_tensor(1, requires_grad=True)
    y = 2 * x
    x.register_hook(lambda grad: v.append("x"))
    a = torch_tensor(1, requires_grad=True)
    b = 2 * a  # noqa: F841
    a.register_hook(lambda grad: v.append("a"))
    k = torch_tensor(1, requires_grad=True)
    l_ = 2 * k

    def k_hook(grad):
        v.append("k")
        a.backward()

    def l_hook(grad):
        v.append("l")
        y.backward()
    k.register_hook(k_hook)
    l_.register_hook(l_hook)
    l_.backward()
    assert v == ["l", "x", "k", "a"]


def test_autograd__remove_hook():
    v = []
    x = torch_tensor(1, requires_grad=True)
    y = 2 * x
    hook = x.register_hook(lambda grad: v.append("x"))
    y.backward()
    assert v == ["x"]
    hook.remove()
    y = 2 * x
    y.backward()
    assert v == ["x"]


def _custom_pow():
    def forward(ctx, var1):
        ctx.save_for_backward(var1)
        return var1 ** 2

    def backward(ctx, grad_output):
        v = ctx.saved_variables[0]
        expect_tensor(v)
        return {"var1": 2 * v}
    return autograd_function(forward, backward)


def test_autograd__simple_autograd_extension():
    custom_pow = _custom_pow()
    x = torch_tensor(c(3), requires_grad=True)
    out = custom_pow(x)
    out.backward()
    expect_equal_to_r(out, 9)
    expect_equal_to_r(x.grad, 6)

    x = torch_tensor(c(3), requires_grad=True)
    out = custom_pow(x) * custom_pow(x)
    out.backward()
    expect_equal_to_r(out, 81)
    # R's backward returns 2 * v regardless of grad_output, so 2 * (2 * 3): not PyTorch's d(x^4)/dx
    expect_equal_to_r(x.grad, 12)


def _two_variables():
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return a ** 2 + b ** 3

    def backward(ctx, grad_output):
        a, b = ctx.saved_variables[0], ctx.saved_variables[1]
        expect_tensor(a)
        expect_tensor(b)
        return {"b": 3 * (b ** 2), "a": 2 * a}  # by name, not order
    return autograd_function(forward, backward)


def test_autograd__autograd_extension_envolving_2_variables():
    custom = _two_variables()
    want = _torch_grad(lambda a, b: a ** 2 + b ** 3, [3.0], [4.0])
    x = torch_tensor(c(3), requires_grad=True)
    y = torch_tensor(c(4), requires_grad=True)
    out = custom(x, y)
    out.backward()
    expect_equal_to_r(out, 3 ** 2 + 4 ** 3)
    expect_equal_to_r(x.grad, 2 * 3)
    expect_equal_to_r(y.grad, 3 * 4 ** 2)
    expect_equal_to_r(x.grad, want[0])
    expect_equal_to_r(y.grad, want[1])

    x = torch_tensor(c(3), requires_grad=True)
    y = torch_tensor(c(4), requires_grad=True)
    out = custom(b=y, a=x)
    out.backward()
    expect_equal_to_r(out, 3 ** 2 + 4 ** 3)
    expect_equal_to_r(x.grad, 2 * 3)
    expect_equal_to_r(y.grad, 3 * 4 ** 2)


def test_autograd__named_values_in_saved_variables():
    def forward(ctx, var1):
        ctx.save_for_backward(var1=var1, var2=2 * var1)
        return var1 ** 2

    def backward(ctx, grad_output):
        v = ctx.saved_variables
        expect_tensor(v["var1"])
        expect_tensor(v["var2"])
        return {"var1": v["var2"]}
    custom_pow = autograd_function(forward, backward)
    x = torch_tensor(c(3), requires_grad=True)
    out = custom_pow(x)
    out.backward()
    expect_equal_to_r(out, 9)
    expect_equal_to_r(x.grad, 6)


def _linear():
    def forward(ctx, input, weight, bias=None):
        ctx.save_for_backward(input=input, weight=weight, bias=bias)
        output = input.mm(weight.t())
        if bias is not None:
            output = output + bias.unsqueeze(1).expand_as(output)
        return output

    def backward(ctx, grad_output):
        s = ctx.saved_variables
        grads = {"input": None, "weight": None, "bias": None}
        if ctx.needs_input_grad["input"]:
            grads["input"] = grad_output.mm(s["weight"])
        if ctx.needs_input_grad["weight"]:
            grads["weight"] = grad_output.t().mm(s["input"])
        if s["bias"] is not None and ctx.needs_input_grad["bias"]:
            grads["bias"] = grad_output.sum(dim=1)
        return grads
    return autograd_function(forward, backward)


def test_autograd__can_have_optional_arguments_in_forward():
    linear = _linear()
    x = torch_tensor(matrix(c(1, 1, 1, 1), ncol=2))
    w = torch_tensor(matrix(c(2, 3), ncol=2), requires_grad=True)
    y = torch_tensor(matrix(c(2, 2), ncol=1))
    o = linear(x, w)
    l_ = torch_mean((y - o) ** 2)
    l_.backward()
    expect_equal_to_r(w.grad, matrix(c(6, 6), ncol=2))
    torch = require("torch")
    tw = torch.tensor([[2.0, 3.0]], requires_grad=True)
    ((torch.tensor([[2.0], [2.0]]) - torch.ones(2, 2).mm(tw.t())) ** 2).mean().backward()
    expect_equal_to_r(w.grad, tw.grad.numpy())

    x = torch_tensor(matrix(c(1, 1, 1, 1), ncol=2))
    w = torch_tensor(matrix(c(2, 3), ncol=2), requires_grad=True)
    b = torch_tensor(0, requires_grad=True)
    y = torch_tensor(matrix(c(2, 2), ncol=1))
    o = linear(x, w, b)
    l_ = torch_mean((y - o) ** 2)
    l_.backward()
    expect_equal_to_r(w.grad, matrix(c(6, 6), ncol=2))
    expect_equal_to_r(b.grad, 6)


def test_autograd__catch_errors_in_forward_and_backward_r_functions():
    def bad_forward(ctx, var1):
        raise RuntimeError("stop forward")

    def backward(ctx, grad_output):
        return {"var1": 2 * ctx.saved_variables[0]}
    custom_pow = autograd_function(bad_forward, backward)
    x = torch_tensor(1, requires_grad=True)
    with pytest.raises(RuntimeError, match="stop forward"):
        custom_pow(x)

    def forward(ctx, var1):
        ctx.save_for_backward(var1)
        return var1 ** 2

    def bad_backward(ctx, grad_output):
        expect_tensor(ctx.saved_variables[0])
        raise RuntimeError("stop backward")
    r = autograd_function(forward, bad_backward)(x)
    with pytest.raises(RuntimeError, match="stop backward"):
        r.backward()


def _pow_i(two_outputs=False, split_grads=False):
    def forward(ctx, var1, i):
        ctx.save_for_backward(var1=var1, i=i)
        return [var1 ** i, var1 ** (i + 1)] if two_outputs else var1 ** i

    def backward(ctx, *grads):
        v = ctx.saved_variables
        if two_outputs:
            for g in (grads if split_grads else grads[:2]):
                expect_tensor(g)
        else:
            expect_tensor(v["var1"])
            assert isinstance(v["i"], (int, float))  # expect_is(v$i, "numeric")
            assert list(v) == ["var1", "i"]          # expect_named
        return {"var1": v["i"] * (v["var1"] ** (v["i"] - 1))}
    return autograd_function(forward, backward)


def test_autograd__can_pass_constants_to_save_for_backward():
    custom_pow = _pow_i()
    x = torch_tensor(2, requires_grad=True)
    r = custom_pow(x, 2)
    r.backward()
    expect_equal_to_r(r, 4)
    expect_equal_to_r(x.grad, 2 * 2)
    x = torch_tensor(2, requires_grad=True)
    r = custom_pow(x, 3)
    r.backward()
    expect_equal_to_r(r, 8)
    expect_equal_to_r(x.grad, 3 * 2 ** (3 - 1))
    expect_equal_to_r(x.grad, _torch_grad(lambda a: a ** 3, [2.0])[0])


def test_autograd__forward_can_return_a_list():
    # R's first variant reads grad_output[[1]], grad_output[[2]] from one argument; in Python the output
    # gradients arrive as separate arguments (the second variant), so both variants take *grads here
    for split in (False, True):
        custom_pow = _pow_i(two_outputs=True, split_grads=split)
        x = torch_tensor(2, requires_grad=True)
        r = custom_pow(x, 2)
        r[0].backward()
        expect_equal_to_r(x.grad, 4)


def test_autograd__can_use_mark_dirty():
    def forward(ctx, a, b):
        ctx.mark_dirty(a)
        return [a.add_(b), b + 2]

    def backward(ctx, ga, gb):
        return {"a": ga, "b": ga + gb}
    inplace = autograd_function(forward, backward)
    x = torch_tensor(2)
    y = torch_tensor(3, requires_grad=True)
    r = inplace(x, y)
    expect_equal_to_tensor(r[0], x)
    assert r[0].requires_grad
    r[0].backward()
    expect_equal_to_r(y.grad, 1)

    def double_forward(ctx, x):
        x.mul_(2)
        ctx.mark_dirty(x)
        return [x, x]
    double_in_place = autograd_function(double_forward, lambda ctx, g1, g2: {"x": g1 * 2 + g2 * 2})
    x = torch_tensor(5, requires_grad=True)
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
        double_in_place(x)


def test_autograd__mark_non_differentiable():
    def forward(ctx, input):
        output = input > 0
        ctx.mark_non_differentiable(output)
        return output
    myfun = autograd_function(forward, lambda ctx, g: {"input": g * 0})
    x = torch_tensor(c(-1, 2), requires_grad=True)
    mask = myfun(x)
    assert not mask.requires_grad
    y = x.masked_fill(mask, 0)
    y.sum().backward()  # expect_no_error

    def forward2(ctx, input):
        a = input + 1
        b = input + 2
        ctx.mark_non_differentiable(a)
        return [a, b]

    def backward2(ctx, ga, gb):
        expect_equal_to_r(ga, 0)
        expect_equal_to_r(gb, 1)
        return {"input": gb}
    myfun = autograd_function(forward2, backward2)
    x = torch_tensor(1, requires_grad=True)
    r = myfun(x)
    assert not r[0].requires_grad
    assert r[1].requires_grad
    r[1].backward()
    expect_equal_to_r(x.grad, 1)


def test_autograd__retain_grad_is_invisible():
    x = torch_tensor(1, requires_grad=True)
    assert x.retain_grad() is None


def test_autograd__grad_fn_works(capsys):
    x = torch_ones(c(2, 2), requires_grad=True)
    y = x.mean()
    print(y.grad_fn)
    assert re.search("MeanBackward0", capsys.readouterr().out)
    k = y.grad_fn.next_functions
    assert len(k) == 1
    # R: `k$next_functions` on the list gives NULL (length 0); here the one node's own next functions
    assert len(k[0].next_functions) == 0
    x = torch_tensor(1)
    assert x.grad_fn is None


def _two_graphs():
    x = torch_tensor(1, requires_grad=True)
    a = torch_tensor(1, requires_grad=True)
    return x, 2 * x, a, 3 * a


def test_autograd__autograd_backward():
    on = torch_ones(c(1))
    for grads in ([on, on], None, [None, on]):
        x, y, a, b = _two_graphs()
        if grads is None:
            autograd_backward([y, b])
        else:
            autograd_backward([y, b], grads)
        expect_equal_to_r(x.grad, 2)
        expect_equal_to_r(a.grad, 3)


def test_autograd__autograd_backward_works_for_single_tensors():
    x = torch_tensor(1, requires_grad=True)
    y = 2 * x
    autograd_backward(y)
    expect_equal_to_r(x.grad, 2)
    x = torch_tensor(1, requires_grad=True)
    on = torch_tensor(1)
    y = 2 * x
    autograd_backward(y, on)
    expect_equal_to_r(x.grad, 2)


def test_autograd__autograd_grad_works():
    x = torch_randn(c(2, 2), requires_grad=True)
    y = torch_randn(c(2, 2), requires_grad=True)
    z = x ** 2 + y * x + y ** 2
    z.backward(torch_ones(c(2, 2)), create_graph=True)
    x_grad = 2 * x + y
    y_grad = x + 2 * y
    expect_equal_to_tensor(x.grad, x_grad)
    expect_equal_to_tensor(y.grad, y_grad)
    grad_sum = 2 * x.grad + y.grad
    x_hv = autograd_grad(outputs=grad_sum, grad_outputs=torch_ones(c(2, 2)), inputs=x, create_graph=True)
    expect_equal_to_tensor(x_hv[0], torch_ones(c(2, 2)) * 5)
    expect_equal_to_tensor(x.grad, x_grad)
    expect_equal_to_tensor(y.grad, y_grad)

    torch = require("torch")
    tx = torch.tensor(as_array(x.detach()).astype(np.float64), requires_grad=True)
    ty = torch.tensor(as_array(y.detach()).astype(np.float64), requires_grad=True)
    (tx ** 2 + ty * tx + ty ** 2).backward(torch.ones(2, 2, dtype=torch.float64), create_graph=True)
    hv, = torch.autograd.grad(2 * tx.grad + ty.grad, tx, torch.ones(2, 2, dtype=torch.float64),
                              create_graph=True)
    np.testing.assert_allclose(as_array(x_hv[0]), hv.detach().numpy(), rtol=1e-6)


def test_autograd__autograd_grad_with_non_leafs():
    x_init = torch_randn(c(2, 2), requires_grad=True)
    x = x_init
    y = torch_randn(c(2, 2), requires_grad=True)
    grad_output = torch_ones(c(2, 2))

    def fn(x):
        return x ** 2 + y * x + y ** 2
    for _ in range(5):
        o = autograd_grad(fn(x), x, grad_outputs=grad_output, create_graph=True)
    grad_x_expected = 2 * x + y
    assert is_undefined_tensor(x.grad)
    assert is_undefined_tensor(y.grad)
    expect_equal_to_tensor(o[0], grad_x_expected)

    x = x + 0.05 * o[0]
    val_init = fn(x_init).sum()
    val_final = fn(x).sum()
    assert as_array(val_final > val_init)
    x.backward(grad_output)
    expect_equal_to_tensor(y.grad, (5 / 100) * torch_ones(c(2, 2)), tolerance=1e-6)
    expect_equal_to_tensor(x_init.grad, 1.1 * torch_ones(c(2, 2)), tolerance=1e-6)


def test_autograd__autograd_grad_non_leaf_many_outputs():
    x = torch_randn(c(4, 2), requires_grad=True)
    o = x.chunk(2)
    a, b = o[0], o[1]
    called = []
    x.register_hook(lambda *args: called.append(True))
    go = torch_randn(c(2, 2))
    o = autograd_grad(a + 2 * b, [a, b], grad_outputs=go, create_graph=True)
    expect_equal_to_tensor(o[0], go)
    expect_equal_to_tensor(o[1], go * 2)
    assert not called
    assert is_undefined_tensor(x.grad)


def _regression_loss(use_b=True):
    w = torch_tensor(0.5, requires_grad=True)
    b = torch_tensor(0.9, requires_grad=True)
    x = torch_tensor(runif(100))
    y = 2 * x + 1
    loss = (y - (w * x + b)) ** 2 if use_b else (y - (w * x)) ** 2
    return w, b, loss.mean()


def test_autograd__autograd_grad_retain_grad():
    w, b, loss = _regression_loss()
    out = autograd_grad(loss, [w, b])
    assert len(out) == 2
    with pytest.raises(RuntimeError, match="graph a second time"):
        autograd_grad(loss, [w, b])

    w, b, loss = _regression_loss()
    out = autograd_grad(loss, [w, b], retain_graph=True)
    assert len(out) == 2
    out = autograd_grad(loss, [w, b])
    assert len(out) == 2


def test_autograd__autograd_grad_allow_unused():
    w, b, loss = _regression_loss(use_b=False)
    with pytest.raises(RuntimeError, match="not have been used in the graph"):
        autograd_grad(loss, [w, b])
    w, b, loss = _regression_loss(use_b=False)
    out = autograd_grad(loss, [w, b], allow_unused=True)
    assert is_undefined_tensor(out[1])
    assert len(out) == 2


def test_autograd__can_set_requires_grad():
    x = torch_tensor(1, requires_grad=False)
    x.requires_grad_(True)
    assert x.requires_grad
    x.requires_grad = False
    assert not x.requires_grad
    x.requires_grad_(True)
    assert x.requires_grad
    setattr(x, "requires_grad", False)  # R: x[["requires_grad"]] <- FALSE
    assert not x.requires_grad
    x.requires_grad_(True)
    assert x.requires_grad


def _anomaly_setup():
    x = torch_randn(2, requires_grad=True)
    y = torch_randn(1)
    b = (x ** y).sum()
    y.add_(1)
    return b


def test_autograd__with_detect_anomaly():
    b = _anomaly_setup()
    with pytest.raises(RuntimeError, match="detect_anomaly"):
        b.backward()
    with pytest.warns(UserWarning, match="should be enabled only for debugging"):
        with pytest.raises(RuntimeError, match="one of the variables needed"):
            with with_detect_anomaly():
                b.backward()


def test_autograd__try_and_with_detect_anomaly():
    b = _anomaly_setup()
    with pytest.raises(RuntimeError):  # R: try(silent = TRUE, ...) gives a try-error
        b.backward()
        with with_detect_anomaly():
            b.backward()


def test_autograd__autograd_grad_works_with_custom_autograd_functions():
    torch_manual_seed(1)
    w1 = torch_randn(4, 3, 5, 5).requires_grad_()
    w1.retain_grad()
    m1 = w1.exp().mean()
    grad1 = autograd_grad(m1, w1, torch_ones_like(m1))

    def forward(ctx, i):
        result = i.exp()
        ctx.save_for_backward(result=result)
        return result
    exp2 = autograd_function(forward, lambda ctx, g: {"i": g * ctx.saved_variables["result"]})
    torch_manual_seed(1)
    w2 = torch_randn(4, 3, 5, 5).requires_grad_()
    w2.retain_grad()
    m2 = exp2(w2).mean()
    grad2 = autograd_grad(m2, w2, torch_ones_like(m2))
    expect_equal_to_tensor(grad1[0], grad2[0])


def test_autograd__autograd_grad_doesnt_segfault_when_backward_fails():
    def forward(ctx, i):
        result = i.exp()
        ctx.save_for_backward(result=result)
        return result

    def backward(ctx, g):
        raise RuntimeError("error in GRADFOO")
    exp2 = autograd_function(forward, backward)
    w2 = torch_randn(4, 3, 5, 5).requires_grad_()
    w2.retain_grad()
    m2 = exp2(w2).mean()
    with pytest.raises(RuntimeError, match="GRADFOO"):
        autograd_grad(m2, w2, torch_ones_like(m2))


def test_autograd__can_modify_the_gradient_of_a_tensor():
    x = torch_tensor(2, requires_grad=True)
    y = x ** 3
    y.backward()
    expect_equal_to_r(x.grad, 12)
    expect_equal_to_r(x.grad, _torch_grad(lambda a: a ** 3, [2.0])[0])
    x.grad = x.grad / 2
    expect_equal_to_r(x.grad, 6)


def test_autograd__local_grad_functions_port_and_restore():
    """R's local_no_grad()/local_enable_grad() set grad mode until the calling R function returns (withr's
    deferred exit); rtorch's restore when the calling Python function returns (rtorch/_scoped.py), so
    `rtorch port` translates the line as it is. The block itself is ported in tests/test_scoped_state.py."""
    import rtorch
    from tests._require import require
    require("rpy2.robjects")
    from rtorch.port import port
    result = port("f <- function(x) {\n  local_no_grad()\n  x * 2\n}\n")
    assert result.problems == []
    assert "    local_no_grad()\n    return x * 2" in result.python
    scope = {}
    exec("from rtorch import *\n" + result.python, scope)
    x = rtorch.torch_tensor(1, requires_grad=True)
    assert scope["f"](x).requires_grad is False
    assert (x * 2).requires_grad is True


# ---- footers from R torch's print method (R/tensor.R), after libtorch's own text -----------------------

def test_tensor_print__grad_fn_and_requires_grad_footers_match_libtorch(capsys, oracle):  # noqa: F811
    torch = require("torch")
    cases = [
        (torch_ones(c(2, 2), requires_grad=True).mean(), torch.ones(2, 2).mean(), "[ grad_fn = <MeanBackward0> ]"),
        (torch_ones(c(2, 3), requires_grad=True) * 2, torch.ones(2, 3) * 2, "[ grad_fn = <MulBackward1> ]"),  # R torch: an R number is a Scalar (mul.Scalar)
        (torch_tensor(c(1, 2, 3), requires_grad=True), torch.tensor([1.0, 2, 3]), "[ requires_grad = TRUE ]"),
        (torch_tensor(c(1, 2, 3)), torch.tensor([1.0, 2, 3]), ""),
    ]
    for ours, theirs, footer in cases:
        print(ours)
        assert capsys.readouterr().out == r_print(oracle(theirs.numpy()))[:-1] + footer + "\n"
    # the footer's node name is PyTorch's
    tx = torch.ones(2, 2, requires_grad=True)
    assert type(tx.mean().grad_fn).__name__ == "MeanBackward0"
    # a tensor made under no_grad prints no footer
    x = torch_ones(2, requires_grad=True)
    with with_no_grad():
        y = x * 2
    print(y)
    assert capsys.readouterr().out == r_print(oracle(torch.full((2,), 2.0).numpy()))
