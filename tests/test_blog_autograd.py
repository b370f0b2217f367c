"""The autograd post's ports ("Introducing torch autograd", RStudio AI blog, 2020-10-05) print what R torch
prints, and its network trains as PyTorch trains it.

scripts/blog/autograd_*.py are compared byte for byte with compat/golden/autograd_*.txt and
scripts/train_autograd_network.py with compat/golden/train_autograd_network_seed1.txt; scripts/make_goldens.py
wrote those from PyTorch and R (never from rtorch). The oracle tests recompute them, or the snippet's
gradients, with PyTorch (and R) and fail, rather than skip, where CI is set.
"""
import runpy

import numpy as np
import pytest

from tests._require import require
from tests.test_blog_goldens import (BLOG, GOLDEN, SCRIPTS, TRAIN_LOSS_RTOL, _epochs_and_losses, _load,
                                     _stdout_of, run_port)

PORTS = sorted(BLOG.glob("autograd_*.py"))
TRAIN_GOLDEN = GOLDEN / "train_autograd_network_seed1.txt"
def _golden(stem):
    return (GOLDEN / f"{stem}.txt").read_text(encoding="utf-8")


def test_every_autograd_port_has_a_golden_and_every_golden_a_port():
    stems = {p.stem for p in PORTS}
    assert stems == {"autograd_01_basics", "autograd_02_digging_deeper", "autograd_03_simple_network"}
    assert stems == {p.stem for p in GOLDEN.glob("autograd_*.txt")}
    assert stems == {p.stem for p in BLOG.glob("autograd_*.R")}


@pytest.mark.parametrize("port", PORTS, ids=lambda p: p.stem)
def test_autograd_port_prints_its_golden(port):
    assert run_port(port) == _golden(port.stem)


def test_simple_network_snippet_leaves_pytorchs_gradients():
    """The three-line snippet's loss and the gradients `loss$backward()` leaves, against PyTorch's autograd
    on the same seeded data and weights."""
    torch = require("torch")
    make_goldens = _load("make_goldens", SCRIPTS / "make_goldens.py")
    env = runpy.run_path(str(BLOG / "autograd_03_simple_network.py"))
    x, y, *params = make_goldens.network_data(torch, make_goldens.SEED, 100, 32)
    params = [p.requires_grad_() for p in params]
    w1, w2, b1, b2 = params
    loss = (x.mm(w1).add(b1).clamp(min=0).mm(w2).add(b2) - y).pow(2).sum()
    loss.backward()
    np.testing.assert_array_equal(env["x"].numpy(), x.numpy())
    assert env["loss"].item() == pytest.approx(loss.item(), rel=1e-6)
    for name, p in zip(("w1", "w2", "b1", "b2"), params):
        got = env[name].grad.numpy()
        assert got.shape == tuple(p.shape) and env[name].is_leaf
        np.testing.assert_allclose(got, p.grad.numpy(), rtol=1e-5, atol=1e-5 * np.abs(p.grad.numpy()).max())


def _train(*argv):
    module = _load("train_autograd_network", SCRIPTS / "train_autograd_network.py")
    return _stdout_of(module.main, list(argv))


@pytest.fixture(scope="module")
def trained_seed1():
    return _train("--seed", "1")


def test_autograd_training_prints_20_epochs_with_falling_loss(trained_seed1):
    epochs, losses = _epochs_and_losses(trained_seed1)
    assert epochs == list(range(10, 201, 10))
    assert all(b < a for a, b in zip(losses, losses[1:])), losses
    assert losses[0] > 100 > losses[-1]


def test_autograd_training_losses_match_pytorch(trained_seed1):
    """Same epochs and line format as PyTorch's run; losses within TRAIN_LOSS_RTOL (float32 sums and matmuls
    round in NumPy's order; over seeds 1-10, all 200 epochs, at most 4.8e-7 relative)."""
    got_epochs, got = _epochs_and_losses(trained_seed1)
    want_epochs, want = _epochs_and_losses(TRAIN_GOLDEN.read_text(encoding="utf-8"))
    assert got_epochs == want_epochs
    assert got == pytest.approx(want, rel=TRAIN_LOSS_RTOL, abs=0)


def test_autograd_training_is_the_raw_trainings_arithmetic(trained_seed1):
    """Autograd's gradients are the post's hand-written ones: both scripts print the same losses."""
    raw = _load("train_raw_network", SCRIPTS / "train_raw_network.py")
    assert _epochs_and_losses(trained_seed1) == _epochs_and_losses(_stdout_of(raw.main, ["--seed", "1"]))


@pytest.mark.xfail(strict=True, reason="float32 matmul/sum rounding order differs from libtorch's: the losses "
                                       "agree to ~5e-7 relative, not bit for bit (see TRAIN_LOSS_RTOL)")
def test_autograd_training_output_is_byte_identical_to_pytorch(trained_seed1):
    assert trained_seed1 == TRAIN_GOLDEN.read_text(encoding="utf-8")


@pytest.mark.parametrize("seed", [2, 3])
def test_autograd_training_flags_match_pytorch(seed):
    """Other seeds, sizes, epochs and learning rate, against the generator's PyTorch loop."""
    torch = require("torch")
    ro = require("rpy2.robjects")
    make_goldens = _load("make_goldens", SCRIPTS / "make_goldens.py")
    S = make_goldens.Session(torch, ro, None)
    make_goldens.train_autograd_network(S, torch, seed=seed, epochs=40, n=50, d_hidden=8, learning_rate=2e-4)
    want_epochs, want = _epochs_and_losses(S.text())
    got_epochs, got = _epochs_and_losses(_train("--seed", str(seed), "--epochs", "40", "--n", "50",
                                                "--hidden", "8", "--lr", "2e-4"))
    assert got_epochs == want_epochs == [10, 20, 30, 40]
    assert got == pytest.approx(want, rel=TRAIN_LOSS_RTOL, abs=0)
    assert got[-1] < got[0]


def test_autograd_goldens_are_what_the_engines_print(tmp_path):
    require("torch")
    require("rpy2.robjects")
    make_goldens = _load("make_goldens", SCRIPTS / "make_goldens.py")
    make_goldens.main(["--out", str(tmp_path), "--only", "autograd_", "train_autograd_network"])
    fresh = {p.name: p.read_text(encoding="utf-8") for p in tmp_path.glob("*.txt")}
    committed = {p.name: p.read_text(encoding="utf-8") for p in GOLDEN.glob("*autograd*.txt")}
    assert sorted(fresh) == sorted(committed) == sorted([f"{p.stem}.txt" for p in PORTS] + [TRAIN_GOLDEN.name])
    for name in sorted(committed):
        assert fresh[name] == committed[name], name
