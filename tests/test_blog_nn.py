"""The modules and optimizers posts' ports ("Using torch modules", RStudio AI blog, 2020-10-07; "Optimizers in
torch", 2020-10-09) print what R torch prints, and their networks train as PyTorch trains them.

scripts/blog/modules_*.py and optim_*.py are compared with compat/golden/, scripts/train_nn_network.py with
compat/golden/train_nn_network_seed1.txt; scripts/make_goldens.py wrote those from PyTorch's torch.nn and
torch.optim and from R (never from rtorch). The oracle tests recompute values with PyTorch (and R) and fail,
rather than skip, where CI is set.
"""
import re
import runpy

import numpy as np
import pytest

from rtorch import (c, cuda_is_available, nn_buffer, nn_linear, nn_Module, nn_parameter, nn_relu, nn_sequential,
                    torch_long, torch_manual_seed, torch_ones, torch_randn, torch_zeros)
from tests._require import require
from tests.test_blog_goldens import (BLOG, GOLDEN, SCRIPTS, TRAIN_LOSS_RTOL, _epochs_and_losses, _load,
                                     _stdout_of, golden_for, run_port)

PORTS = sorted(BLOG.glob("modules_*.py")) + sorted(BLOG.glob("optim_*.py"))
TRAIN_GOLDEN = GOLDEN / "train_nn_network_seed1.txt"

# What rtorch prints differently from R torch today:
GAPS = {"modules_03_simple_network": "float32 matmul/sum rounding differs from libtorch's: the losses agree to "
                                     "~1e-7 relative, not digit for digit (see the network tests)"}

# Adam at lr 0.08 amplifies rounding: rtorch's float32 matmuls and sums round in NumPy's order, so its losses
# leave PyTorch's after ~50 steps, exactly as PyTorch's own do when one initial weight moves by one ulp
# (test_adam_divergence_is_pytorchs_own). Measured on the golden's seed 1, printed epochs: <= 50 at most
# 2e-7 relative; 60-80 at most 1e-5; past 80 up to 0.2, where PyTorch against its 1-ulp perturbed self
# differs by up to 0.3. (Over seeds 1-10 the first step past 1e-5 lies between 42 and 165.) Bands: (last
# epoch, relative tolerance).
ADAM_BANDS = [(50, TRAIN_LOSS_RTOL), (80, 1e-4), (None, 0.5)]


def _golden(stem):
    return golden_for(stem).read_text(encoding="utf-8")


def _band_rtol(epoch):
    return next(rtol for last, rtol in ADAM_BANDS if last is None or epoch <= last)


def test_every_port_has_a_golden_and_an_r_original():
    stems = {p.stem for p in PORTS}
    assert stems == {"modules_01_base_modules", "modules_02_container_modules", "modules_03_simple_network",
                     "optim_01_losses", "optim_02_optimizers"}
    goldens = {p.name.split(".")[0] for p in GOLDEN.glob("modules_*.txt")} | \
        {p.name.split(".")[0] for p in GOLDEN.glob("optim_*.txt")}
    assert stems == goldens
    assert stems == {p.stem for p in BLOG.glob("modules_*.R")} | {p.stem for p in BLOG.glob("optim_*.R")}


@pytest.mark.parametrize("port", [
    pytest.param(p, marks=pytest.mark.xfail(strict=True, reason=GAPS[p.stem])) if p.stem in GAPS else p
    for p in PORTS], ids=lambda p: p.stem)
def test_port_prints_its_golden(port):
    assert run_port(port) == _golden(port.stem)


def test_base_modules_values_are_pytorchs():
    """nn_linear's init after torch_manual_seed(1), its forward, and the gradients of the post's
    `out$backward(gradient = ...)`, against torch.nn.Linear on the same seed."""
    torch = require("torch")
    env = runpy.run_path(str(BLOG / "modules_01_base_modules.py"))
    torch.manual_seed(1)
    lin = torch.nn.Linear(3, 1)
    data = torch.randn(10, 3)
    out = lin(data)
    out.backward(gradient=torch.tensor([10.0]).repeat(10).unsqueeze(0).t())
    np.testing.assert_array_equal(env["l"].weight.numpy(), lin.weight.detach().numpy())
    np.testing.assert_array_equal(env["l"].bias.numpy(), lin.bias.detach().numpy())
    np.testing.assert_allclose(env["out"].detach().numpy(), out.detach().numpy(), rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(env["l"].weight.grad.numpy(), lin.weight.grad.numpy(), rtol=1e-5)
    np.testing.assert_array_equal(env["l"].bias.grad.numpy(), lin.bias.grad.numpy())
    assert env["out"].grad_fn.name == out.grad_fn.name() == "AddmmBackward0"


def test_container_modules_values_are_pytorchs():
    torch = require("torch")
    env = runpy.run_path(str(BLOG / "modules_02_container_modules.py"))
    torch.manual_seed(1)
    data = torch.randn(10, 3)
    model = torch.nn.Sequential(torch.nn.Linear(3, 16), torch.nn.ReLU(), torch.nn.Linear(16, 1))
    model(data).backward(gradient=torch.tensor([10.0]).repeat(10).unsqueeze(0).t())
    got = env["model"].parameters
    want = dict(model.named_parameters())
    assert list(got) == list(want) == ["0.weight", "0.bias", "2.weight", "2.bias"]
    for name, p in want.items():
        np.testing.assert_array_equal(got[name].numpy(), p.detach().numpy())
        np.testing.assert_allclose(got[name].grad.numpy(), p.grad.numpy(), rtol=1e-5, atol=1e-5)


def test_optimizers_section_steps_as_torch_optim_adam():
    """One Adam step (lr 0.01) after `out$backward()`: the model's and the optimizer's parameters are the
    same tensors, moved as torch.optim.Adam moves PyTorch's."""
    torch = require("torch")
    env = runpy.run_path(str(BLOG / "optim_02_optimizers.py"))
    torch.manual_seed(1)
    data = torch.randn(1, 3)
    model = torch.nn.Linear(3, 1)
    opt = torch.optim.Adam(model.parameters(), lr=0.01)
    model(data).backward()
    opt.step()
    got = env["model"].parameters
    assert [id(p) for p in env["optimizer"].param_groups[0]["params"]] == [id(p) for p in got.values()]
    for name, p in model.named_parameters():
        np.testing.assert_array_equal(got[name].numpy(), p.detach().numpy())


def test_simple_network_prints_the_model_and_pytorchs_losses():
    """The modules post's network: `print(model)` byte for byte as R torch prints it, then 20 loss lines
    within TRAIN_LOSS_RTOL of PyTorch's loop (plain SGD does not amplify rounding)."""
    got = run_port(BLOG / "modules_03_simple_network.py")
    want = _golden("modules_03_simple_network")
    head, _, losses = want.partition("Epoch:")
    assert head.startswith("An `nn_module` containing 161 parameters.\n")
    assert got.startswith(head)
    got_epochs, got_losses = _epochs_and_losses(got[len(head):])
    want_epochs, want_losses = _epochs_and_losses("Epoch:" + losses)
    assert got_epochs == want_epochs == list(range(10, 201, 10))
    assert got_losses == pytest.approx(want_losses, rel=TRAIN_LOSS_RTOL, abs=0)


# -- print(<nn_module>) against R torch's print_nn_module, run by R --------------------------------------

def _r_module_text(torch_module, class_of=None):
    torch = require("torch")  # noqa: F841
    ro = require("rpy2.robjects")
    make_goldens = _load("make_goldens", SCRIPTS / "make_goldens.py")
    text = make_goldens.module_printer(ro)
    return text(torch_module) if class_of is None else text(torch_module, class_of)


def test_module_print_is_r_torchs_for_layers_and_containers():
    torch = require("torch")
    nn = torch.nn
    cases = [
        (nn_sequential(nn_linear(3, 32), nn_relu(), nn_linear(32, 1)),
         nn.Sequential(nn.Linear(3, 32), nn.ReLU(), nn.Linear(32, 1))),
        (nn_linear(3, 1), nn.Linear(3, 1)),
        (nn_linear(1000, 1000), nn.Linear(1000, 1000)),          # 1,001,000: R's big.mark
        (nn_linear(4, 2, bias=False), nn.Linear(4, 2, bias=False)),
        (nn_relu(), nn.ReLU()),
        (nn_sequential(nn_sequential(nn_linear(2, 2)), nn_relu()),
         nn.Sequential(nn.Sequential(nn.Linear(2, 2)), nn.ReLU())),
    ]
    for ours, theirs in cases:
        assert repr(ours) + "\n" == _r_module_text(theirs)
        assert _stdout_of(print, ours) == _r_module_text(theirs)


def test_module_print_shows_parameters_and_buffers_as_r_torch():
    """A custom module with its own parameters (one 0-d) and buffers: R torch's Parameters and Buffers
    sections, each tensor as `make_str_torch_tensor` writes it (a 0-d tensor reads `Float [1:]`, R's paste0
    of a zero-length dim vector), the class name `nn_module()` was given."""
    torch = require("torch")
    nn = torch.nn

    class scaled(nn_Module):
        def initialize(self):
            self.fc = nn_linear(2, 3)
            self.scale = nn_parameter(torch_ones(1, 3))
            self.temperature = nn_parameter(torch_zeros(size=c()))
            self.running = nn_buffer(torch_zeros(3))
            self.steps = nn_buffer(torch_zeros(2, 2, dtype=torch_long()))

    net = scaled()

    class Scaled(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(2, 3)
            self.scale = nn.Parameter(torch.ones(1, 3))
            self.temperature = nn.Parameter(torch.zeros(()))
            self.register_buffer("running", torch.zeros(3))
            self.register_buffer("steps", torch.zeros(2, 2, dtype=torch.long))

    want = _r_module_text(Scaled(), class_of=lambda m: {"Linear": "nn_linear"}[type(m).__name__])
    assert "── Parameters" in want and "── Buffers" in want and "Float [1:]" in want and "Long [1:2, 1:2]" in want
    assert repr(net) + "\n" == want


# -- the optimizers post's final network (scripts/train_nn_network.py) ----------------------------------

def _train(*argv):
    module = _load("train_nn_network", SCRIPTS / "train_nn_network.py")
    return _stdout_of(module.main, list(argv))


@pytest.fixture(scope="module")
def trained_seed1():
    return _train("--seed", "1")


def test_training_prints_20_epochs_and_learns(trained_seed1):
    epochs, losses = _epochs_and_losses(trained_seed1)
    assert epochs == list(range(10, 201, 10))
    assert all(b < a for a, b in zip(losses[:10], losses[1:10])), losses    # Adam's first 100 steps descend
    assert losses[0] > 90 and losses[-1] < 40


def test_training_losses_match_pytorch(trained_seed1):
    """Same epochs and line format as PyTorch's run; each loss within its ADAM_BANDS tolerance."""
    got_epochs, got = _epochs_and_losses(trained_seed1)
    want_epochs, want = _epochs_and_losses(TRAIN_GOLDEN.read_text(encoding="utf-8"))
    assert got_epochs == want_epochs
    for epoch, g, w in zip(got_epochs, got, want):
        assert g == pytest.approx(w, rel=_band_rtol(epoch), abs=0), (epoch, g, w)


@pytest.mark.xfail(strict=True, reason="float32 matmul/sum rounding differs from libtorch's, and Adam at lr "
                                       "0.08 amplifies it past epoch 50 (see ADAM_BANDS)")
def test_training_output_is_byte_identical_to_pytorch(trained_seed1):
    assert trained_seed1 == TRAIN_GOLDEN.read_text(encoding="utf-8")


def test_adam_divergence_is_pytorchs_own(trained_seed1):
    """PyTorch against itself with one initial weight moved by one ulp: it leaves its own golden trajectory
    as rtorch does (agrees to 1e-6 through epoch 50, differs by more than 1e-2 later), and rtorch's
    deviation per epoch stays within twice the largest deviation of eight such runs up to that epoch."""
    torch = require("torch")
    ro = require("rpy2.robjects")
    make_goldens = _load("make_goldens", SCRIPTS / "make_goldens.py")
    want_epochs, want = _epochs_and_losses(TRAIN_GOLDEN.read_text(encoding="utf-8"))
    want = np.array(want)
    deviations = []
    for k in range(8):
        S = make_goldens.Session(torch, ro, None)
        x, y, model = make_goldens.nn_network_data(torch, 1, 100, 32)
        with torch.no_grad():
            w = model[0].weight.view(-1)
            w[k] = torch.nextafter(w[k], torch.tensor(float("inf")))
        opt = torch.optim.Adam(model.parameters(), lr=0.08)
        for t in range(1, 201):
            loss = torch.nn.functional.mse_loss(model(x), y, reduction="sum")
            if t % 10 == 0:
                make_goldens._epoch_line(S, t, loss)
            opt.zero_grad()
            loss.backward()
            opt.step()
        deviations.append(np.abs(np.array(_epochs_and_losses(S.text())[1]) - want) / want)
    deviations = np.array(deviations)
    assert deviations[:, :5].max() < 1e-6
    assert deviations[:, 10:].max() > 1e-2
    envelope = np.maximum.accumulate(deviations.max(axis=0))
    ours = np.abs(np.array(_epochs_and_losses(trained_seed1)[1]) - want) / want
    assert (ours <= np.maximum(TRAIN_LOSS_RTOL, 2 * envelope)).all(), list(zip(want_epochs, ours, envelope))


@pytest.mark.parametrize("seed", [2, 3])
def test_training_flags_match_pytorch(seed):
    """Other seeds, sizes, epochs and learning rate, against the generator's PyTorch loop (40 epochs: before
    Adam's divergence)."""
    torch = require("torch")
    ro = require("rpy2.robjects")
    make_goldens = _load("make_goldens", SCRIPTS / "make_goldens.py")
    S = make_goldens.Session(torch, ro, None)
    make_goldens.train_nn_network(S, torch, seed=seed, epochs=40, n=50, d_hidden=8, learning_rate=0.05)
    want_epochs, want = _epochs_and_losses(S.text())
    got_epochs, got = _epochs_and_losses(_train("--seed", str(seed), "--epochs", "40", "--n", "50",
                                                "--hidden", "8", "--lr", "0.05"))
    assert got_epochs == want_epochs == [10, 20, 30, 40]
    assert got == pytest.approx(want, rel=TRAIN_LOSS_RTOL, abs=0)
    assert got[-1] < got[0]


def test_training_rejects_an_unknown_device():
    with pytest.raises(Exception, match="device"):
        _train("--seed", "1", "--epochs", "1", "--device", "tpu")


def test_nn_goldens_are_what_the_engines_print(tmp_path):
    require("torch")
    require("rpy2.robjects")
    make_goldens = _load("make_goldens", SCRIPTS / "make_goldens.py")
    make_goldens.main(["--out", str(tmp_path), "--only", "modules_", "optim_", "train_nn_network"])
    fresh = {p.name: p.read_text(encoding="utf-8") for p in tmp_path.glob("*.txt")}
    committed = {p.name: p.read_text(encoding="utf-8")
                 for pattern in ("modules_*.txt", "optim_*.txt", "train_nn_network_*.txt")
                 for p in GOLDEN.glob(pattern)}
    assert sorted(fresh) == sorted(committed)
    assert "modules_02_container_modules.cuda.txt" in fresh and TRAIN_GOLDEN.name in fresh
    for name in sorted(committed):
        assert fresh[name] == committed[name], name


def test_gpu_snippet_says_it_was_skipped_without_a_gpu():
    if cuda_is_available():
        assert "CUDAFloatType" in _golden("modules_02_container_modules")
        return
    assert run_port(BLOG / "modules_02_container_modules.py").splitlines()[-1] == \
        "[GPU snippet skipped: cuda_is_available() is FALSE]"


def test_seeded_module_init_draws_after_the_data_as_libtorch():
    """nn_linear's draws continue the generator where the data left it, as in PyTorch."""
    torch = require("torch")
    torch_manual_seed(7)
    x = torch_randn(5, 3)
    layer = nn_linear(3, 4)
    torch.manual_seed(7)
    tx = torch.randn(5, 3)
    tl = torch.nn.Linear(3, 4)
    np.testing.assert_array_equal(x.numpy(), tx.numpy())
    np.testing.assert_array_equal(layer.weight.numpy(), tl.weight.detach().numpy())
    np.testing.assert_array_equal(layer.bias.numpy(), tl.bias.detach().numpy())


# -- the R originals through `rtorch port` (the autograd post's too) -------------------------------------

R_ORIGINALS = sorted(BLOG.glob("autograd_*.R")) + sorted(BLOG.glob("modules_*.R")) + sorted(BLOG.glob("optim_*.R"))


def _without_addresses(text):
    return re.sub(r" at 0x[0-9a-f]+>", " at 0x...>", text)


@pytest.mark.parametrize("r_file", R_ORIGINALS, ids=lambda p: p.stem)
def test_r_original_ports_to_what_the_hand_port_prints(r_file, tmp_path):
    from rtorch.port import port
    result = port(r_file.read_text(encoding="utf-8"))
    assert result.problems == []
    out = tmp_path / (r_file.stem + ".py")
    out.write_text(result.python, encoding="utf-8")
    assert _without_addresses(run_port(out)) == _without_addresses(run_port(BLOG / f"{r_file.stem}.py"))
