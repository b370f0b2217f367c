"""optim_ignite_*: 20-step trajectories against torch.optim (same hyperparameters, same gradients), the same
values as rtorch's optim_* (one update serves both), and R torch's tests/testthat/test-ignite.R expectations
(the state dict's form, param groups, errors)."""
import inspect

import numpy as np
import pytest

import rtorch as r
from rtorch.optim import (OptimizerIgnite, is_optimizer, lr_step, optim_adagrad, optim_adam, optim_adamw,
                          optim_ignite_adagrad, optim_ignite_adam, optim_ignite_adamw, optim_ignite_rmsprop,
                          optim_ignite_sgd, optim_rmsprop, optim_sgd)
from tests._require import require
from tests.test_optim import ATOL, RTOL, _trajectory_rtorch
from tests.test_optim import CASES as PLAIN_CASES, check_trajectory

IGNITE = [optim_ignite_sgd, optim_ignite_adam, optim_ignite_adamw, optim_ignite_rmsprop, optim_ignite_adagrad]
PLAIN = {optim_ignite_sgd: optim_sgd, optim_ignite_adam: optim_adam, optim_ignite_adamw: optim_adamw,
         optim_ignite_rmsprop: optim_rmsprop, optim_ignite_adagrad: optim_adagrad}

IGNITE_OF = {plain: ignite for ignite, plain in PLAIN.items()}
# the plain optimizers' cases, run through their ignite forms
CASES = [(IGNITE_OF[make], name, kwargs) for make, name, kwargs in PLAIN_CASES if make in IGNITE_OF]


@pytest.mark.parametrize("make,name,kwargs", CASES, ids=lambda v: getattr(v, "__name__", str(v)))
def test_trajectory_matches_torch_optim(make, name, kwargs):
    got = check_trajectory(make, name, kwargs)
    # the update is rtorch's optim_*'s: the same values to the bit
    plain = _trajectory_rtorch(PLAIN[make], kwargs)
    for g, p in zip(got, plain):
        for gp, pp in zip(g, p):
            np.testing.assert_array_equal(gp, pp)


@pytest.mark.parametrize("make", IGNITE, ids=lambda f: f.__name__)
def test_r_torch_arguments_defaults_and_classes(make):
    plain = PLAIN[make]
    sig, plain_sig = inspect.signature(make), inspect.signature(plain)
    assert list(sig.parameters) == list(plain_sig.parameters)
    assert [p.default for p in sig.parameters.values()] == [p.default for p in plain_sig.parameters.values()]
    o = make([r.torch_ones(2, requires_grad=True)], lr=0.1)
    assert isinstance(o, OptimizerIgnite) and is_optimizer(o)


def _linear_problem(seed=0):
    rng = np.random.default_rng(seed)
    return [r.torch_tensor(rng.standard_normal(s).astype(np.float32)) for s in ((10, 1), (10, 1), (100, 10))]


def _steps(o, w, x, y, n):
    for _ in range(n):
        o.zero_grad()
        ((x.mm(w) - y) ** 2).mean().backward()
        o.step()


def test_state_dict_holds_only_parameters_with_a_state():
    """test-ignite.R 'un-optimized parameters and state dict': z has no gradient, so no state; the state
    has every libtorch entry, max_exp_avg_sq empty when amsgrad is off, step a long tensor."""
    w_true, w0, x = _linear_problem()
    y = x.mm(w_true)
    w = w0.clone().requires_grad_(True)
    z = r.torch_randn(10, 1, requires_grad=True)
    opt = optim_ignite_adamw([w, z], lr=0.1)
    _steps(opt, w, x, y, 2)
    sd = opt.state_dict()
    assert list(sd) == ["param_groups", "state"]
    assert list(sd["state"]) == ["1"]
    st = sd["state"]["1"]
    assert list(st) == ["exp_avg", "exp_avg_sq", "max_exp_avg_sq", "step"]
    assert st["max_exp_avg_sq"].numel() == 0 and st["max_exp_avg_sq"].dtype == r.torch_float32()
    assert st["step"].dtype == r.torch_long() and st["step"].shape == (1,) and st["step"].item() == 2
    assert sd["param_groups"][0]["params"] == [1, 2]
    opt.load_state_dict(sd)
    again = opt.state_dict()["state"]["1"]
    for name in st:
        np.testing.assert_array_equal(r.as_array(again[name]), r.as_array(st[name]))


STATE_NAMES = {optim_ignite_sgd: ["momentum_buffer"],
               optim_ignite_adam: ["exp_avg", "exp_avg_sq", "max_exp_avg_sq", "step"],
               optim_ignite_adamw: ["exp_avg", "exp_avg_sq", "max_exp_avg_sq", "step"],
               optim_ignite_rmsprop: ["grad_avg", "square_avg", "momentum_buffer", "step"],
               optim_ignite_adagrad: ["sum", "step"]}
SAMPLED = {optim_ignite_sgd: dict(lr=0.015, momentum=0.85, dampening=0.05, weight_decay=0.0005, nesterov=False),
           optim_ignite_adam: dict(lr=0.015, weight_decay=0.0005, betas=(0.93, 0.97), eps=0.0015, amsgrad=True),
           optim_ignite_adamw: dict(lr=0.015, weight_decay=0.0005, betas=(0.93, 0.97), eps=0.0015, amsgrad=False),
           optim_ignite_rmsprop: dict(lr=0.015, alpha=0.985, eps=1e-6, weight_decay=0.0005, momentum=0.85,
                                      centered=True),
           optim_ignite_adagrad: dict(lr=0.15, lr_decay=0.0005, weight_decay=0.0005,
                                      initial_accumulator_value=1e-7, eps=1e-6)}


def _make_linear(make, steps=2, **kwargs):
    """helper-ignite.R's make_optimizer_maker: nn_linear(1, 1) trained `steps` times."""
    n = r.nn_linear(1, 1)
    o = make(n.parameters, **kwargs)
    x, y = r.torch_randn(10, 1), r.torch_randn(10, 1)
    for _ in range(steps):
        o.zero_grad()
        ((n(x) - y) ** 2).mean().backward()
        o.step()
    return n, o, x, y


@pytest.mark.parametrize("make", IGNITE, ids=lambda f: f.__name__)
def test_state_names_param_groups_and_step_counter(make):
    defaults = SAMPLED[make]
    _, o, _, _ = _make_linear(make, **defaults)
    sd = o.state_dict()
    assert list(sd["state"]) == ["1", "2"]
    assert list(sd["state"]["1"]) == STATE_NAMES[make]
    group = o.param_groups[0]
    assert {k: group[k] for k in defaults} == defaults
    assert list(group)[0] == "params"
    if "step" in STATE_NAMES[make]:
        assert sd["state"]["1"]["step"].item() == 2
    # expect_state_is_updated: one more step moves the counter, a fresh optimizer loads it
    x = r.torch_tensor([1.0], requires_grad=True)
    opt = make(x, lr=0.1, **({"momentum": 0.9} if make is optim_ignite_sgd else {}))
    for k in (1, 2):
        opt.zero_grad()
        (2 * x).backward()
        opt.step()
        if "step" in STATE_NAMES[make]:
            assert opt.state_dict()["state"]["1"]["step"].item() == k
    opt2 = make(x, lr=0.1, **({"momentum": 0.9} if make is optim_ignite_sgd else {}))
    opt2.load_state_dict(opt.state_dict())
    for a, b in zip(opt2.state_dict()["state"]["1"].values(), opt.state_dict()["state"]["1"].values()):
        np.testing.assert_array_equal(r.as_array(a), r.as_array(b))


@pytest.mark.parametrize("make", IGNITE, ids=lambda f: f.__name__)
def test_state_dict_round_trip_continues_the_same_trajectory(make):
    """expect_state_dict_works: 2 steps, save/serialize/load the state dict, 2 more steps equal 4 steps
    without it (here into a fresh optimizer, so the loaded state is what carries on)."""
    defaults = SAMPLED[make]

    def run(load):
        r.torch_manual_seed(7)
        n, o, x, y = _make_linear(make, **defaults)
        n.parameters["bias"].requires_grad_(False)
        if load:
            sd = r.torch_load(r.torch_serialize(o.state_dict()))
            o = make(n.parameters, **{k: v * 3 if isinstance(v, float) else v for k, v in defaults.items()})
            o.load_state_dict(sd)
            assert {k: o.param_groups[0][k] for k in defaults} == defaults
        for _ in range(2):
            o.zero_grad()
            ((n(x) - y) ** 2).mean().backward()
            o.step()
        return [r.as_array(p).copy() for p in n.parameters.values()]

    for a, b in zip(run(True), run(False)):
        np.testing.assert_array_equal(a, b)


def test_state_dict_loads_with_empty_entries():
    """'can save adam even when one of the tensors in the state is undefined in C++'."""
    _, o, _, _ = _make_linear(optim_ignite_adam, lr=0.02)
    prev = o.state_dict()
    o.load_state_dict(r.torch_load(r.torch_serialize(o.state_dict())))
    now = o.state_dict()
    assert now["param_groups"] == prev["param_groups"]
    for i in prev["state"]:
        for name, t in prev["state"][i].items():
            np.testing.assert_array_equal(r.as_array(now["state"][i][name]), r.as_array(t))


def test_sgd_without_momentum_has_no_state():
    _, o, _, _ = _make_linear(optim_ignite_sgd, lr=0.1)
    assert o.state_dict()["state"] == {}


def test_adagrad_state_exists_from_construction():
    """libtorch's Adagrad makes `sum` (filled with initial_accumulator_value) and `step` 0 up front."""
    o = optim_ignite_adagrad([r.torch_ones(2, requires_grad=True)], initial_accumulator_value=0.5)
    st = o.state_dict()["state"]
    assert list(st) == ["1"]
    np.testing.assert_array_equal(r.as_array(st["1"]["sum"]), [0.5, 0.5])
    assert st["1"]["step"].item() == 0
    assert optim_adagrad([r.torch_ones(2, requires_grad=True)]).state_dict()["state"] == {}


@pytest.mark.parametrize("make", IGNITE, ids=lambda f: f.__name__)
def test_param_groups_can_change_and_be_added(make):
    """expect_ignite_can_change_param_groups / expect_ignite_can_add_param_group."""
    n = r.nn_linear(1, 1)
    o = make(n.parameters, lr=0.1)
    for name, value in list(o.param_groups[0].items())[1:]:
        if isinstance(value, bool):
            o.param_groups[0][name] = not value
            assert o.param_groups[0][name] is (not value)
        elif isinstance(value, (int, float)):
            o.param_groups[0][name] = value * 0.1
            assert o.param_groups[0][name] == value * 0.1
    n1 = r.nn_linear(1, 1)
    o = make(n.parameters, lr=0.1)
    o.add_param_group({"params": n1.parameters, "lr": 19})
    assert o.param_groups[0]["lr"] == 0.1 and o.param_groups[1]["lr"] == 19
    assert o.state_dict()["param_groups"][1]["params"] == [3, 4]


def test_options_per_param_group():
    """'base class: can initialize optimizer with different options per param group'."""
    defaults = dict(lr=0.1, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, amsgrad=False)
    args1 = dict(lr=0.11, betas=(0.91, 0.9991), eps=1e-81, weight_decay=0.1, amsgrad=True)
    args2 = dict(lr=0.12, betas=(0.92, 0.9992), eps=1e-82, weight_decay=0.2, amsgrad=False)
    ts = [r.torch_tensor([v], requires_grad=True) for v in (1.0, 2.0, 3.0)]
    pgs = [dict(params=[ts[0]], **args1), dict(params=[ts[1]], **args2), dict(params=[ts[2]])]
    o = optim_ignite_adamw(pgs, **defaults)
    assert o.state_dict()["state"] == {}
    for _ in range(3):
        o.zero_grad()
        ((ts[0] * ts[1] * ts[2] * r.torch_tensor(1) - r.torch_tensor(2)) ** 2).backward()
        o.step()
    assert [t.item() for t in ts] != [1.0, 2.0, 3.0] and all(t.item() not in (1.0, 2.0, 3.0) for t in ts)
    sd = o.state_dict()
    assert [g["params"] for g in sd["param_groups"]] == [[1], [2], [3]]
    got = [{k: v for k, v in g.items() if k != "params"} for g in o.param_groups]
    assert got == [args1, args2, defaults]
    assert list(sd["state"]["1"]) == ["exp_avg", "exp_avg_sq", "max_exp_avg_sq", "step"]
    assert sd["state"]["1"]["max_exp_avg_sq"].numel() == 1 and sd["state"]["2"]["max_exp_avg_sq"].numel() == 0


def test_changing_the_learning_rate_has_an_effect():
    w1, w2 = (r.torch_tensor([0.5, -0.5], requires_grad=True) for _ in range(2))
    o1, o2 = optim_ignite_sgd([w1], lr=0.1), optim_ignite_sgd([w2], lr=0.1)

    def s(w, o):
        o.zero_grad()
        ((w.sum() - 1) ** 2).backward()
        o.step()

    s(w1, o1)
    s(w2, o2)
    assert r.torch_equal(w1, w2)
    o1.param_groups[0]["lr"] = 0.2
    s(w1, o1)
    s(w2, o2)
    assert not r.torch_equal(w1, w2)


def test_param_groups_assignment_keeps_the_parameters_and_extra_entries():
    """'can specify additional param_groups' and R's active binding: extra entries (initial_lr) are kept
    and reach the state dict; a group's parameters cannot change."""
    t = r.torch_tensor([1.0], requires_grad=True)
    o = optim_ignite_adamw([t], lr=0.1)
    o.param_groups[0]["initial_lr"] = 0.2
    assert o.state_dict()["param_groups"][0]["initial_lr"] == 0.2
    groups = [dict(g) for g in o.param_groups]
    groups[0]["initial_lr"] = 0.3
    groups[0]["amsgrad"] = True
    o.param_groups = groups
    assert o.param_groups[0]["initial_lr"] == 0.3 and o.param_groups[0]["amsgrad"] is True
    groups = [{k: v for k, v in g.items() if k != "initial_lr"} for g in o.param_groups]
    o.param_groups = groups
    assert "initial_lr" not in o.state_dict()["param_groups"][0]
    with pytest.raises(ValueError, match="Cannot change the parameter groups, use `\\$add_param_group\\(\\)`"):
        o.param_groups = [dict(o.param_groups[0], params=[r.torch_tensor([1.0], requires_grad=True)])]
    with pytest.raises(ValueError, match="must be a list of the same length"):
        o.param_groups = []
    two = optim_ignite_adamw([{"params": [r.torch_ones(1, requires_grad=True)], "lr": 0.1},
                              {"params": [r.torch_ones(1, requires_grad=True)], "lr": 0.2}])
    two.param_groups[0]["initial_lr"] = 0.1
    two.param_groups[1]["initial_lr"] = 0.2
    assert [g["initial_lr"] for g in two.state_dict()["param_groups"]] == [0.1, 0.2]
    assert [g["lr"] for g in two.param_groups] == [0.1, 0.2]


def test_load_state_dict_errors():
    """'base class: error handling when loading state dict', in R torch's words."""
    _, o, _, _ = _make_linear(optim_ignite_adamw)
    with pytest.raises(ValueError, match="must be a list with elements 'param_groups' and 'state'"):
        o.load_state_dict({})
    sd = o.state_dict()
    with pytest.raises(ValueError, match=r"To-be loaded state dict is missing states for parameters 2\."):
        o.load_state_dict({"param_groups": sd["param_groups"], "state": {"1": sd["state"]["1"]}})
    sd = o.state_dict()
    del sd["state"]["1"]["exp_avg"]
    with pytest.raises(ValueError, match="The 1-th state has elements with names exp_avg, exp_avg_sq, "
                                         "max_exp_avg_sq, step but got exp_avg_sq, max_exp_avg_sq, step"):
        o.load_state_dict(sd)
    sd = o.state_dict()
    del sd["param_groups"][0]["lr"]
    with pytest.raises(ValueError, match="must include names 'params, lr, betas, eps, weight_decay, amsgrad'"):
        o.load_state_dict(sd)


def test_bad_arguments_raise_r_torch_errors():
    t = r.torch_ones(1, requires_grad=True)
    with pytest.raises(ValueError, match="The `params` must have length > 0."):
        optim_ignite_adamw([])
    with pytest.raises(ValueError, match="Need to specify a learning rate"):
        optim_ignite_sgd([t])
    with pytest.raises(ValueError, match="Invalid learning rate: -1"):
        optim_ignite_adam([t], lr=-1)
    with pytest.raises(ValueError, match="Invalid beta parameter at index 2"):
        optim_ignite_adamw([t], betas=(0.9, 1.5))
    with pytest.raises(ValueError, match="Invalid alpha value: -0.5"):
        optim_ignite_rmsprop([t], alpha=-0.5)
    with pytest.raises(ValueError, match="Invalid lr_decay value: -1"):
        optim_ignite_adagrad([t], lr_decay=-1)
    o = optim_ignite_sgd([t], lr=0.1)
    with pytest.raises(ValueError, match="The `params` must be a list of tensors."):
        o.add_param_group({"params": [1, 2]})
    with pytest.raises(ValueError, match="Invalid momentum value: -1"):
        o.add_param_group({"params": [r.torch_ones(1, requires_grad=True)], "momentum": -1})
    with pytest.raises(ValueError, match="some parameters appear in more than one parameter group"):
        o.add_param_group({"params": [t]})
    assert len(o.param_groups) == 1


def test_zero_grad_drops_the_gradients():
    """libtorch's zero_grad() sets the gradients to undefined; a parameter without one is skipped."""
    a, b = r.torch_ones(2, requires_grad=True), r.torch_ones(2, requires_grad=True)
    o = optim_ignite_adam([a, b], lr=0.1)
    (a * b).sum().backward()
    o.zero_grad()
    assert r.is_undefined_tensor(a.grad) and r.is_undefined_tensor(b.grad)
    a.sum().backward()
    o.step()
    assert list(o.state_dict()["state"]) == ["1"]
    np.testing.assert_array_equal(r.as_array(b), [1, 1])


def test_closure_and_lr_scheduler_with_torch():
    """An lr scheduler drives an ignite optimizer as a plain one, step(closure) returns the loss; values
    against torch.optim.SGD + StepLR over 20 steps."""
    torch = require("torch")
    w0 = np.array([1.5, -2.0, 0.5], np.float32)
    wr, wt = r.torch_tensor(w0.copy(), requires_grad=True), torch.tensor(w0.copy(), requires_grad=True)
    o_r = optim_ignite_sgd([wr], lr=0.1, momentum=0.9)
    o_t = torch.optim.SGD([wt], lr=0.1, momentum=0.9)
    s_r, s_t = lr_step(o_r, step_size=4, gamma=0.5), torch.optim.lr_scheduler.StepLR(o_t, step_size=4, gamma=0.5)
    for _ in range(20):
        def closure_r():
            o_r.zero_grad()
            loss = ((wr - 1) ** 2 * 3).sum()
            loss.backward()
            return loss

        def closure_t():
            o_t.zero_grad()
            loss = ((wt - 1) ** 2 * 3).sum()
            loss.backward()
            return loss

        lr_loss, t_loss = o_r.step(closure_r), o_t.step(closure_t)
        assert lr_loss.item() == pytest.approx(t_loss.item(), rel=1e-5)
        s_r.step()
        s_t.step()
        assert o_r.param_groups[0]["lr"] == pytest.approx(o_t.param_groups[0]["lr"], rel=1e-12)
        np.testing.assert_allclose(r.as_array(wr), wt.detach().numpy(), rtol=RTOL, atol=ATOL)
    assert o_r.param_groups[0]["lr"] < 0.1


@pytest.mark.parametrize("make", [optim_ignite_adam, optim_ignite_rmsprop], ids=lambda f: f.__name__)
def test_loaded_state_carries_on_with_every_parameter_stepping(make):
    """Both parameters have gradients (Adam's whole-group step); the state loaded into a fresh optimizer
    with other options carries on as the uninterrupted run."""
    def run(load):
        r.torch_manual_seed(1)
        n = r.nn_linear(3, 2)
        x, y = r.torch_randn(10, 3), r.torch_randn(10, 2)
        o = make(n.parameters, lr=0.05)

        def s(o):
            o.zero_grad()
            ((n(x) - y) ** 2).mean().backward()
            o.step()
        for _ in range(3):
            s(o)
        if load:
            sd = r.torch_load(r.torch_serialize(o.state_dict()))
            o = make(n.parameters, lr=0.5)
            o.load_state_dict(sd)
        for _ in range(3):
            s(o)
        return [r.as_array(p).copy() for p in n.parameters.values()]

    for a, b in zip(run(True), run(False)):
        np.testing.assert_array_equal(a, b)
