"""Learning-rate schedulers: the lr of every step against torch.optim.lr_scheduler (same settings), and
R torch's test-lr-scheduler.R expectations."""
import math

import numpy as np
import pytest

import rtorch as r
from rtorch.optim import (lr_cosine_annealing, lr_lambda, lr_multiplicative, lr_one_cycle,
                          lr_reduce_on_plateau, lr_scheduler, lr_step, optim_adam, optim_sgd)
from rtorch.optim._lr_scheduler import LRScheduler
from tests._require import require

STEPS = 20


def _rtorch_lrs(make_opt, make_sched, metrics=None):
    x = r.torch_ones(3, requires_grad=True)
    opt = make_opt([x])
    sched = make_sched(opt)
    lrs, moms, traj = [], [], []
    for i in range(STEPS):
        lrs.append(opt.param_groups[0]["lr"])
        moms.append(opt.param_groups[0].get("momentum", opt.param_groups[0].get("betas", (None,))[0]))
        opt.zero_grad()
        (x ** 2 * (i + 1)).sum().backward()
        opt.step()
        traj.append(r.as_array(x).copy())
        sched.step(metrics[i]) if metrics else sched.step()
    return lrs, moms, traj


def _torch_lrs(make_opt, make_sched, metrics=None):
    torch = require("torch")
    x = torch.ones(3, requires_grad=True)
    opt = make_opt(torch.optim, [x])
    sched = make_sched(torch.optim.lr_scheduler, opt)
    lrs, moms, traj = [], [], []
    for i in range(STEPS):
        lrs.append(opt.param_groups[0]["lr"])
        moms.append(opt.param_groups[0].get("momentum", opt.param_groups[0].get("betas", (None,))[0]))
        opt.zero_grad()
        (x ** 2 * (i + 1)).sum().backward()
        opt.step()
        traj.append(x.detach().numpy().copy())
        sched.step(metrics[i]) if metrics else sched.step()
    return lrs, moms, traj


def _exponential_init(self, optimizer, gamma, last_epoch=-1, verbose=False):
    self.gamma = gamma
    self.super_.initialize(optimizer, last_epoch, verbose)


def _exponential_get_lr(self):
    if self.last_epoch == 0:
        return [g["lr"] for g in self.optimizer.param_groups]
    return [g["lr"] * self.gamma for g in self.optimizer.param_groups]


# R torch's documented use of lr_scheduler(): a class with its own initialize and get_lr
lr_exponential = lr_scheduler("lr_exponential", initialize=_exponential_init, get_lr=_exponential_get_lr)


def _polynomial_init(self, optimizer, total_iters=5, power=1.0, last_epoch=-1):
    self.total_iters, self.power = total_iters, power
    self.super_.initialize(optimizer, last_epoch)


lr_polynomial = lr_scheduler(
    "lr_polynomial", initialize=_polynomial_init,
    get_lr=lambda self: [b * (1 - min(self.total_iters, self.last_epoch) / self.total_iters) ** self.power
                         for b in self.base_lrs])

PLATEAU = [5, 4, 4, 4, 4, 3, 3, 3, 3, 3, 3, 3, 2.9999, 3, 3, 3, 3, 3, 3, 3]
SGD = (lambda ps: optim_sgd(ps, lr=0.1, momentum=0.9), lambda o, ps: o.SGD(ps, lr=0.1, momentum=0.9))
ADAM = (lambda ps: optim_adam(ps, lr=0.05), lambda o, ps: o.Adam(ps, lr=0.05))
CASES = {
    "step": (SGD, lambda o: lr_step(o, step_size=3, gamma=0.5), lambda m, o: m.StepLR(o, step_size=3, gamma=0.5),
             None),
    "lambda": (SGD, lambda o: lr_lambda(o, lambda e: 0.9 ** e), lambda m, o: m.LambdaLR(o, lambda e: 0.9 ** e),
               None),
    "multiplicative": (ADAM, lambda o: lr_multiplicative(o, lambda e: 0.95),
                       lambda m, o: m.MultiplicativeLR(o, lambda e: 0.95), None),
    "cosine": (SGD, lambda o: lr_cosine_annealing(o, T_max=7, eta_min=0.01),
               lambda m, o: m.CosineAnnealingLR(o, T_max=7, eta_min=0.01), None),
    "one_cycle_sgd": (SGD, lambda o: lr_one_cycle(o, max_lr=0.5, total_steps=STEPS + 1),
                      lambda m, o: m.OneCycleLR(o, max_lr=0.5, total_steps=STEPS + 1), None),
    "one_cycle_adam_linear": (ADAM, lambda o: lr_one_cycle(o, max_lr=0.2, epochs=3, steps_per_epoch=7,
                                                           anneal_strategy="linear", pct_start=0.4),
                              lambda m, o: m.OneCycleLR(o, max_lr=0.2, epochs=3, steps_per_epoch=7,
                                                        anneal_strategy="linear", pct_start=0.4), None),
    "plateau": (SGD, lambda o: lr_reduce_on_plateau(o, patience=2, factor=0.5),
                lambda m, o: m.ReduceLROnPlateau(o, patience=2, factor=0.5), PLATEAU),
    "plateau_max_abs": (ADAM, lambda o: lr_reduce_on_plateau(o, mode="max", threshold_mode="abs", threshold=0.5,
                                                             patience=1, cooldown=2, min_lr=0.01),
                        lambda m, o: m.ReduceLROnPlateau(o, mode="max", threshold_mode="abs", threshold=0.5,
                                                         patience=1, cooldown=2, min_lr=0.01),
                        [-x for x in PLATEAU]),
    "lr_scheduler_exponential": (SGD, lambda o: lr_exponential(o, gamma=0.8),
                                 lambda m, o: m.ExponentialLR(o, gamma=0.8), None),
    "lr_scheduler_polynomial_adam": (ADAM, lambda o: lr_polynomial(o, total_iters=12, power=2.0),
                                     lambda m, o: m.PolynomialLR(o, total_iters=12, power=2.0), None),
}


@pytest.mark.parametrize("name", CASES)
def test_schedule_and_trajectory_match_torch(name):
    (opt_r, opt_t), sched_r, sched_t, metrics = CASES[name]
    got_lr, got_mom, got_x = _rtorch_lrs(opt_r, sched_r, metrics)
    want_lr, want_mom, want_x = _torch_lrs(opt_t, sched_t, metrics)
    np.testing.assert_allclose(got_lr, want_lr, rtol=1e-12)
    np.testing.assert_allclose(got_mom, want_mom, rtol=1e-12)
    np.testing.assert_allclose(np.array(got_x), np.array(want_x), rtol=2e-6, atol=1e-7)
    assert len(set(got_lr)) > 1


# ---- ported from R torch's tests/testthat/test-lr-scheduler.R ----------------------------------------

def _opt(lr=0.1):
    return optim_sgd([r.torch_ones(1, requires_grad=True)], lr=lr)


def test_lr_lambda_multiplies_the_initial_lr():
    opt = _opt()
    sched = lr_lambda(opt, lambda epoch: 0.95 ** epoch)
    for _ in range(10):
        sched.step()
    assert opt.param_groups[0]["lr"] == pytest.approx(0.1 * 0.95 ** 10)
    assert sched.get_last_lr() == [opt.param_groups[0]["lr"]]


def test_lr_multiplicative_compounds():
    opt = _opt()
    sched = lr_multiplicative(opt, lambda epoch: 0.95)
    for _ in range(10):
        sched.step()
    assert opt.param_groups[0]["lr"] == pytest.approx(0.1 * 0.95 ** 10)


def test_lr_step_decays_every_step_size():
    opt = _opt()
    sched = lr_step(opt, step_size=1, gamma=0.1)
    sched.step()
    assert opt.param_groups[0]["lr"] == pytest.approx(0.01)


def test_lr_one_cycle_errors_and_end():
    opt = _opt()
    with pytest.raises(ValueError, match=r"You must define either total_steps OR \(epochs AND steps_per_epoch\)"):
        lr_one_cycle(opt, max_lr=1)
    with pytest.raises(ValueError, match="anneal_strategy must by one of 'cos' or 'linear', instead got x"):
        lr_one_cycle(opt, max_lr=1, total_steps=5, anneal_strategy="x")
    sched = lr_one_cycle(_opt(), max_lr=1, total_steps=3)
    for _ in range(3):
        sched.step()
    # R torch checks `last_epoch > total_steps` and reports last_epoch + 1
    with pytest.raises(ValueError, match="Tried to step 5 times. The specified number of total steps is 3"):
        sched.step()
    no_momentum = r.optim.optim_adagrad([r.torch_ones(1, requires_grad=True)])
    with pytest.raises(ValueError, match="optimizer must support momentum"):
        lr_one_cycle(no_momentum, max_lr=1, total_steps=5)


def test_lr_cosine_annealing_reaches_eta_min_at_t_max():
    opt = _opt(lr=1.0)
    sched = lr_cosine_annealing(opt, T_max=10, eta_min=0.1)
    for _ in range(10):
        sched.step()
    assert opt.param_groups[0]["lr"] == pytest.approx(0.1)
    sched.step()
    assert opt.param_groups[0]["lr"] == pytest.approx(0.1 + 0.9 * (1 - math.cos(math.pi / 10)) / 2)


def test_reduce_on_plateau_reduces_after_patience():
    opt = _opt(lr=1.0)
    sched = lr_reduce_on_plateau(opt, patience=1)
    for loss in (1, 1, 1):
        sched.step(loss)
    assert opt.param_groups[0]["lr"] == pytest.approx(0.1)
    with pytest.raises(ValueError, match="Factor should be < 1.0"):
        lr_reduce_on_plateau(opt, factor=1)
    with pytest.raises(ValueError, match="mode foo is unknown!"):
        lr_reduce_on_plateau(opt, mode="foo")


def test_scheduler_needs_an_optimizer_and_initial_lr():
    with pytest.raises(TypeError, match="not an optimizer"):
        lr_step("x", step_size=1)
    with pytest.raises(ValueError, match="param 'inital_lr' is not specified."):
        lr_step(_opt(), step_size=1, last_epoch=3)
    with pytest.raises(ValueError, match=r"lr_lambda length \(2\) is different"):
        lr_lambda(_opt(), [lambda e: 1, lambda e: 1])


def test_state_dict_drops_the_optimizer_and_restores():
    opt = _opt()
    sched = lr_step(opt, step_size=2)
    sched.step()
    sd = sched.state_dict()
    assert "optimizer" not in sd and sd["last_epoch"] == 1
    other = lr_step(_opt(), step_size=2)
    other.load_state_dict(sd)
    assert other.last_epoch == 1


# ---- lr_scheduler(): R torch's scheduler constructor ----------------------------------------------------

def test_lr_scheduler_makes_a_class_with_r_classes_and_signature():
    import inspect
    assert issubclass(lr_exponential, LRScheduler)
    assert lr_exponential.__name__ == "lr_exponential"
    assert lr_exponential._classes == ("lr_exponential", "lr_scheduler")
    assert list(inspect.signature(lr_exponential).parameters) == ["optimizer", "gamma", "last_epoch", "verbose"]
    with pytest.raises(TypeError, match="gamma"):
        lr_exponential(_opt())
    # the built-in schedulers are such classes too, so they can be inherited
    assert issubclass(lr_step, LRScheduler) and issubclass(lr_reduce_on_plateau, LRScheduler)
    assert lr_step._classes == ("lr_step", "lr_scheduler")


def test_lr_scheduler_per_group_rates_match_torch():
    torch = require("torch")
    ps_r = [r.torch_ones(2, requires_grad=True), r.torch_ones(3, requires_grad=True)]
    ps_t = [torch.ones(2, requires_grad=True), torch.ones(3, requires_grad=True)]
    opt_r = optim_sgd([{"params": [ps_r[0]], "lr": 0.1}, {"params": [ps_r[1]], "lr": 0.3}], lr=1)
    opt_t = torch.optim.SGD([{"params": [ps_t[0]], "lr": 0.1}, {"params": [ps_t[1]], "lr": 0.3}], lr=1)
    sr, st = lr_exponential(opt_r, gamma=0.9), torch.optim.lr_scheduler.ExponentialLR(opt_t, gamma=0.9)
    for _ in range(STEPS):
        sr.step()
        st.step()
        np.testing.assert_allclose(sr.get_last_lr(), st.get_last_lr(), rtol=1e-12)
    assert sr.get_last_lr()[1] == pytest.approx(0.3 * 0.9 ** STEPS)


def test_lr_scheduler_inherits_a_scheduler_and_calls_super():
    """`inherit = lr_step`: the child's get_lr builds on the parent's through `self.super_`, and its
    initialize on the parent's initialize."""
    def initialize(self, optimizer, step_size, floor):
        self.floor = floor
        self.super_.initialize(optimizer, step_size, gamma=0.5)

    floored = lr_scheduler("lr_floored_step", inherit=lr_step, initialize=initialize,
                           get_lr=lambda self: [max(lr, self.floor) for lr in self.super_.get_lr()])
    assert floored._classes == ("lr_floored_step", "lr_scheduler")
    opt = _opt(lr=1.0)
    sched = floored(opt, step_size=2, floor=0.2)
    lrs = []
    for _ in range(8):
        sched.step()
        lrs.append(opt.param_groups[0]["lr"])
    assert lrs == [1.0, 0.5, 0.5, 0.25, 0.25, 0.2, 0.2, 0.2]
    # a scheduler made by lr_scheduler() can itself be inherited
    grand = lr_scheduler("lr_grand", inherit=floored,
                         get_lr=lambda self: [lr * 2 for lr in self.super_.get_lr()])
    opt2 = _opt(lr=1.0)
    grand(opt2, step_size=1, floor=0.0)
    assert opt2.param_groups[0]["lr"] == 2.0


def test_lr_scheduler_fields_state_dict_and_errors():
    counting = lr_scheduler("lr_counting", calls=0,
                            get_lr=lambda self: [0.1 / (self.last_epoch + 1)] * len(self.optimizer.param_groups))
    opt = _opt()
    sched = counting(opt)
    assert sched.calls == 0 and opt.param_groups[0]["lr"] == pytest.approx(0.1)
    sched.step()
    assert opt.param_groups[0]["lr"] == pytest.approx(0.05)
    sd = sched.state_dict()
    assert "optimizer" not in sd and "_class_stack" not in sd and sd["last_epoch"] == 1
    no_lr = lr_scheduler("lr_nothing")
    with pytest.raises(NotImplementedError, match="get_lr"):
        no_lr(_opt())
    with pytest.raises(TypeError, match="`inherit` must be an lr_scheduler"):
        lr_scheduler("x", inherit=dict)
    wrong = lr_scheduler("lr_wrong", get_lr=lambda self: [0.1, 0.2])
    with pytest.raises(ValueError, match="returned 2 learning rates for 1 param_groups"):
        wrong(_opt())


def test_verbose_prints_r_torch_message(capsys):
    lr_exponential(_opt(lr=0.5), gamma=0.5, verbose=True).step()
    assert capsys.readouterr().err.splitlines() == ["Adjusting learning rate of group 1 to 0.5000",
                                                    "Adjusting learning rate of group 1 to 0.2500"]
