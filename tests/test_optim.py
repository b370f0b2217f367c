"""Optimizers: 20-step parameter trajectories against torch.optim (same hyperparameters, same gradients),
and R torch's test-optim-*.R expectations (the quadratic problems, param groups, state dicts, errors)."""
import numpy as np
import pytest

import rtorch as r
from rtorch.optim import (optim_adadelta, optim_adagrad, optim_adam, optim_adamw, optim_rmsprop, optim_rprop,
                          optim_sgd)
from tests._require import require

SHAPES = [(3, 4), (5,)]
RTOL, ATOL = 2e-6, 1e-7

# (rtorch constructor, torch.optim name, keyword arguments shared by both)
CASES = [
    (optim_sgd, "SGD", dict(lr=0.1)),
    (optim_sgd, "SGD", dict(lr=0.05, momentum=0.9)),
    (optim_sgd, "SGD", dict(lr=0.05, momentum=0.9, dampening=0.3, weight_decay=0.01)),
    (optim_sgd, "SGD", dict(lr=0.05, momentum=0.8, nesterov=True, weight_decay=0.1)),
    (optim_adam, "Adam", dict(lr=0.08)),
    (optim_adam, "Adam", dict(lr=0.01, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1)),
    (optim_adam, "Adam", dict(lr=0.05, amsgrad=True)),
    (optim_adamw, "AdamW", dict(lr=0.05)),
    (optim_adamw, "AdamW", dict(lr=0.05, weight_decay=0.3, amsgrad=True)),
    (optim_rmsprop, "RMSprop", dict(lr=0.01)),
    (optim_rmsprop, "RMSprop", dict(lr=0.01, alpha=0.9, momentum=0.5, centered=True, weight_decay=0.1)),
    (optim_rmsprop, "RMSprop", dict(lr=0.005, momentum=0.9)),
    (optim_adagrad, "Adagrad", dict(lr=0.1)),
    (optim_adagrad, "Adagrad", dict(lr=0.1, lr_decay=0.05, weight_decay=0.1, initial_accumulator_value=0.2)),
    (optim_adadelta, "Adadelta", dict()),
    (optim_adadelta, "Adadelta", dict(lr=0.5, rho=0.8, eps=1e-5, weight_decay=0.1)),
    (optim_rprop, "Rprop", dict()),
    (optim_rprop, "Rprop", dict(lr=0.05, etas=(0.3, 1.5), step_sizes=(1e-3, 0.2))),
    (optim_rprop, "Rprop", dict(lr=0.1, etas=(0.9, 1.05))),
]


def _problem(seed=0):
    rng = np.random.default_rng(seed)
    inits = [rng.standard_normal(s).astype(np.float32) for s in SHAPES]
    centers = [rng.standard_normal(s).astype(np.float32) for s in SHAPES]
    scales = [rng.uniform(0.5, 3, s).astype(np.float32) for s in SHAPES]
    return inits, centers, scales


def _grad(p, c, w):
    """The gradient of sum(w * (p - c)^2 / 2 + (p - c)^4 / 4), computed the same way for both engines."""
    d = p - c
    return w * d + d * d * d


def _trajectory_rtorch(make, kwargs, steps=20):
    inits, centers, scales = _problem()
    params = [r.torch_tensor(x.copy(), requires_grad=True) for x in inits]
    opt = make(params, **kwargs)
    out = []
    for _ in range(steps):
        opt.zero_grad()
        for p, c, w in zip(params, centers, scales):
            p.grad = r.torch_tensor(_grad(r.as_array(p).astype(np.float32), c, w))
        opt.step()
        out.append([r.as_array(p).copy() for p in params])
    return out


def _trajectory_torch(name, kwargs, steps=20):
    torch = require("torch")
    inits, centers, scales = _problem()
    params = [torch.tensor(x.copy(), requires_grad=True) for x in inits]
    opt = getattr(torch.optim, name)(params, **kwargs)
    out = []
    for _ in range(steps):
        opt.zero_grad()
        for p, c, w in zip(params, centers, scales):
            p.grad = torch.from_numpy(_grad(p.detach().numpy().copy(), c, w))
        opt.step()
        out.append([p.detach().numpy().copy() for p in params])
    return out


def check_trajectory(make, name, kwargs):
    """rtorch's 20 steps equal torch.optim's (and the parameters moved); returns rtorch's trajectory."""
    want = _trajectory_torch(name, kwargs)
    got = _trajectory_rtorch(make, kwargs)
    for step, (g, w) in enumerate(zip(got, want), 1):
        for gp, wp in zip(g, w):
            np.testing.assert_allclose(gp, wp, rtol=RTOL, atol=ATOL, err_msg=f"step {step}")
    assert np.abs(got[-1][0] - _problem()[0][0]).max() > 1e-3
    return got


@pytest.mark.parametrize("make,name,kwargs", CASES, ids=lambda v: getattr(v, "__name__", str(v)))
def test_trajectory_matches_torch_optim(make, name, kwargs):
    check_trajectory(make, name, kwargs)


@pytest.mark.parametrize("make,name,kwargs", CASES[:1] + CASES[4:5] + CASES[9:10], ids=lambda v: str(v)[:20])
def test_real_loss_with_autograd_matches_torch(make, name, kwargs):
    """The same optimizers driven by backward() of a least-squares loss, in both engines."""
    torch = require("torch")
    rng = np.random.default_rng(3)
    A, b, w0 = (rng.standard_normal(s).astype(np.float32) for s in ((8, 4), (8, 1), (4, 1)))
    wr = r.torch_tensor(w0.copy(), requires_grad=True)
    wt = torch.tensor(w0.copy(), requires_grad=True)
    Ar, br, At, bt = r.torch_tensor(A), r.torch_tensor(b), torch.tensor(A), torch.tensor(b)
    opt_r, opt_t = make([wr], **kwargs), getattr(torch.optim, name)([wt], **kwargs)
    for _ in range(20):
        for opt, w, AA, bb in ((opt_r, wr, Ar, br), (opt_t, wt, At, bt)):
            opt.zero_grad()
            ((AA.mm(w) - bb) ** 2).sum().backward()
            opt.step()
    np.testing.assert_allclose(r.as_array(wr), wt.detach().numpy(), rtol=1e-5, atol=1e-6)


# ---- ported from R torch's tests/testthat/test-optim-*.R ---------------------------------------------

def _rosenbrock(x):
    return (1 - x[1]) ** 2 + 100 * (x[2] - x[1] ** 2) ** 2


@pytest.mark.parametrize("make,kwargs", [(optim_sgd, dict(lr=1e-4)), (optim_adam, dict(lr=0.1)),
                                         (optim_adamw, dict(lr=0.1)), (optim_rmsprop, dict(lr=1e-3)),
                                         (optim_adagrad, dict(lr=0.5)), (optim_adadelta, dict(lr=0.5))])
def test_optimizers_reduce_rosenbrock(make, kwargs):
    """R torch's expect_optim_works: the loss after 100 steps is below the starting loss."""
    x = r.torch_tensor([-1.5, 1.5], requires_grad=True)
    opt = make([x], **kwargs)
    first = float(_rosenbrock(x))
    for _ in range(100):
        opt.zero_grad()
        loss = _rosenbrock(x)
        loss.backward()
        opt.step()
    assert float(_rosenbrock(x)) < first


def test_params_may_be_model_parameters_dict_tensor_or_groups():
    a = r.torch_ones(2, requires_grad=True)
    b = r.torch_ones(3, requires_grad=True)
    assert len(optim_sgd({"w": a, "b": b}, lr=0.1).param_groups[0]["params"]) == 2
    assert len(optim_sgd(a, lr=0.1).param_groups[0]["params"]) == 1
    opt = optim_sgd([{"params": [a]}, {"params": [b], "lr": 0.5}], lr=0.1, momentum=0.9)
    assert [g["lr"] for g in opt.param_groups] == [0.1, 0.5]
    assert [g["momentum"] for g in opt.param_groups] == [0.9, 0.9]


def test_param_groups_use_their_own_lr():
    a = r.torch_ones(2, requires_grad=True)
    b = r.torch_ones(2, requires_grad=True)
    opt = optim_sgd([{"params": [a]}, {"params": [b], "lr": 0.5}], lr=0.1)
    a.grad = r.torch_ones(2)
    b.grad = r.torch_ones(2)
    opt.step()
    np.testing.assert_allclose(r.as_array(a), [0.9, 0.9], rtol=1e-6)
    np.testing.assert_allclose(r.as_array(b), [0.5, 0.5], rtol=1e-6)


def test_step_skips_params_without_grad_and_zero_grad_keeps_undefined():
    a = r.torch_ones(2, requires_grad=True)
    b = r.torch_ones(2, requires_grad=True)
    opt = optim_adam([a, b], lr=0.1)
    a.grad = r.torch_ones(2)
    opt.step()
    assert r.is_undefined_tensor(b.grad)
    assert r.as_array(b).tolist() == [1.0, 1.0]
    assert r.as_array(a).tolist() != [1.0, 1.0]
    opt.zero_grad()
    assert r.as_array(a.grad).tolist() == [0.0, 0.0]
    assert r.is_undefined_tensor(b.grad)
    opt.zero_grad(set_to_none=True)
    assert r.is_undefined_tensor(a.grad)


def test_step_does_not_record_and_keeps_the_leaf():
    a = r.torch_ones(2, requires_grad=True)
    opt = optim_sgd([a], lr=0.1, momentum=0.9)
    (a * 3).sum().backward()
    opt.step()
    assert a.is_leaf and a.requires_grad and a.grad_fn is None


def test_closure_is_called_with_grad_enabled_and_its_loss_returned():
    x = r.torch_tensor([1.0, 2.0], requires_grad=True)
    opt = optim_sgd([x], lr=0.1)

    def closure():
        opt.zero_grad()
        with r.with_no_grad():
            pass
        loss = (x ** 2).sum()
        loss.backward()
        return loss

    with r.with_no_grad():
        loss = opt.step(closure)
    assert float(loss) == 5.0
    np.testing.assert_allclose(r.as_array(x), [0.8, 1.6], rtol=1e-6)


def test_state_dict_round_trip_continues_the_same_trajectory():
    def run(split):
        x = r.torch_tensor([1.0, -2.0, 3.0], requires_grad=True)
        opt = optim_adam([x], lr=0.1)
        for i in range(10):
            if i == split:
                sd = opt.state_dict()
                # R torch names the state by parameter position, as characters: names(sd$state) is "1"
                assert list(sd["state"]) == ["1"] and sd["param_groups"][0]["params"] == [1]
                opt = optim_adam([x], lr=0.1)
                opt.load_state_dict(sd)
            opt.zero_grad()
            (x ** 2).sum().backward()
            opt.step()
        return r.as_array(x)
    np.testing.assert_array_equal(run(split=5), run(split=-1))


def test_load_state_dict_copies_the_tensors():
    x = r.torch_tensor([1.0], requires_grad=True)
    opt = optim_sgd([x], lr=0.1, momentum=0.9)
    x.grad = r.torch_ones(1)
    opt.step()
    sd = opt.state_dict()
    opt2 = optim_sgd([x], lr=0.1, momentum=0.9).load_state_dict(sd)
    opt2.step()
    assert r.as_array(sd["state"]["1"]["momentum_buffer"]).tolist() == [1.0]


def test_optimizer_state_dict_survives_torch_save(tmp_path):
    """opt$state_dict() through torch_save/torch_load loads back and continues the same trajectory (R torch's
    serialization vignette); the state keeps its names."""
    def run(through_file):
        x = r.torch_tensor([1.0, -2.0, 3.0], requires_grad=True)
        opt = optim_adam([x], lr=0.1)
        for i in range(6):
            if i == 3 and through_file:
                r.torch_save(opt.state_dict(), tmp_path / "opt.pt")
                back = r.torch_load(tmp_path / "opt.pt")
                assert list(back["state"]) == ["1"]
                opt = optim_adam([x], lr=0.1)
                opt.load_state_dict(back)
            opt.zero_grad()
            (x ** 2).sum().backward()
            opt.step()
        return r.as_array(x)
    np.testing.assert_array_equal(run(True), run(False))


def test_load_state_dict_checks_the_groups():
    x = r.torch_tensor([1.0], requires_grad=True)
    y = r.torch_tensor([1.0], requires_grad=True)
    sd = optim_sgd([x, y], lr=0.1).state_dict()
    with pytest.raises(ValueError, match="parameter group that doesn't match"):
        optim_sgd([x], lr=0.1).load_state_dict(sd)
    with pytest.raises(ValueError, match="different number of parameter groups"):
        optim_sgd([{"params": [x]}, {"params": [y]}], lr=0.1).load_state_dict(sd)


@pytest.mark.parametrize("call,msg", [
    (lambda x: optim_sgd([x]), "Need to specify a learning rate"),
    (lambda x: optim_sgd([x], lr=-1), "Invalid learning rate: -1"),
    (lambda x: optim_adam([x], betas=(1.5, 0.9)), "Invalid beta parameter at index 1"),
    (lambda x: optim_adam([x], eps=-1), "Invalid eps: -1"),
    (lambda x: optim_rmsprop([x], alpha=-1), "Invalid alpha value: -1"),
    (lambda x: optim_adagrad([x], lr_decay=-1), "Invalid lr_decay value: -1"),
    (lambda x: optim_adadelta([x], rho=2), "Invalid rho value: 2"),
    (lambda x: optim_rprop([x], etas=(1.5, 1.2)), "Invalid eta values: 1.5, 1.2"),
    (lambda x: optim_sgd([x * 2], lr=0.1), "can't optimize a non-leaf Tensor"),
    (lambda x: optim_sgd([x, 3], lr=0.1), "optimizer can only optimize Tensors, but one of the params is int"),
    (lambda x: optim_sgd(["a"], lr=0.1), "Wrong parameters specification."),
])
def test_bad_input_gets_r_torchs_error(call, msg):
    x = r.torch_ones(2, requires_grad=True)
    with pytest.raises(ValueError, match=msg.replace("(", r"\(")):
        call(x)


# ---- L-BFGS ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("kwargs", [dict(max_iter=4), dict(lr=0.5, max_iter=3, history_size=2)])
def test_lbfgs_trajectory_matches_torch(kwargs):
    """A least-squares problem (well conditioned, so float rounding does not grow) in both engines."""
    torch = require("torch")
    from rtorch.optim import optim_lbfgs
    rng = np.random.default_rng(5)
    A, b, x0 = (rng.standard_normal(s).astype(np.float32) for s in ((12, 5), (12, 1), (5, 1)))

    def run(lib, tensor, as_np):
        x = tensor(x0.copy(), requires_grad=True)
        AA, bb = tensor(A), tensor(b)
        opt = lib([x], **kwargs)

        def closure():
            opt.zero_grad()
            loss = ((AA.mm(x) - bb) ** 2).sum()
            loss.backward()
            return loss
        out = []
        for _ in range(6):
            opt.step(closure)
            out.append(as_np(x).copy())
        return np.array(out)

    got = run(optim_lbfgs, r.torch_tensor, r.as_array)
    want = run(torch.optim.LBFGS, torch.tensor, lambda x: x.detach().numpy())
    np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-5)
    assert np.abs(got[-1] - x0).max() > 0.1


def test_lbfgs_line_search_is_not_there_yet():
    from rtorch.optim import optim_lbfgs
    x = r.torch_ones(2, requires_grad=True)
    with pytest.raises(ValueError, match="only strong_wolfe is supported"):
        optim_lbfgs([x], line_search_fn="armijo")
    with pytest.raises(NotImplementedError):
        optim_lbfgs([x], line_search_fn="strong_wolfe")


@pytest.mark.parametrize("make,name,kwargs", CASES[:4], ids=lambda v: str(v)[:30])
def test_sgd_is_bit_identical_to_torch_optim(make, name, kwargs):
    """SGD's updates are libtorch's fused multiply-adds (`add_(alpha=)`), so every float32 bit agrees."""
    want = _trajectory_torch(name, kwargs)
    got = _trajectory_rtorch(make, kwargs)
    for g, w in zip(got, want):
        for gp, wp in zip(g, w):
            np.testing.assert_array_equal(gp, wp)


@pytest.mark.parametrize("kwargs", [dict(lr=0.05), dict(lr=0.05, lambda_=0.01, alpha=0.5, t0=5, weight_decay=0.1)])
def test_asgd_trajectory_matches_torch_optim(kwargs):
    """optim_asgd's `lambda` is `lambda_` here (a Python keyword) and `lambd` in PyTorch; t0 = 5 reaches the
    averaging branch (mu < 1) within the 20 steps."""
    from rtorch.optim import optim_asgd
    torch_kwargs = {("lambd" if k == "lambda_" else k): v for k, v in kwargs.items()}
    got, want = _trajectory_rtorch(optim_asgd, kwargs), _trajectory_torch("ASGD", torch_kwargs)
    for step_got, step_want in zip(got, want):
        for a, b in zip(step_got, step_want):
            np.testing.assert_allclose(a, b, rtol=RTOL, atol=ATOL)


def test_asgd_keeps_r_torchs_group_names():
    from rtorch.optim import optim_asgd
    x = r.torch_tensor([1.0], requires_grad=True)
    group = optim_asgd([x], lambda_=0.5).param_groups[0]
    assert (group["lambda"], group["alpha"], group["t0"]) == (0.5, 0.75, 1e6)
    with pytest.raises(ValueError, match="Invalid weight_decay value: -1"):
        optim_asgd([x], weight_decay=-1)
