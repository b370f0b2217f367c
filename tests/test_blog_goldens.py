"""The blog post's ports print what R torch prints: their stdout equals compat/golden/ byte for byte.

The goldens were written by scripts/make_goldens.py from the real engines (PyTorch's libtorch for tensors,
R through rpy2 for R values); comparing with them needs neither. `test_goldens_are_what_the_engines_print`
regenerates them and needs both (it fails, rather than skips, where CI is set).
"""
import contextlib
import importlib.util
import io
import pathlib
import re
import runpy

import pytest

from rtorch import cuda_device_count, cuda_is_available
from tests._require import require

ROOT = pathlib.Path(__file__).resolve().parent.parent
SCRIPTS = ROOT / "scripts"
BLOG = SCRIPTS / "blog"
GOLDEN = ROOT / "compat" / "golden"
PORTS = sorted(BLOG.glob("[0-9][0-9]_*.py"))
TRAIN_GOLDEN = GOLDEN / "train_raw_network_seed1.txt"
EPOCH_LINE = re.compile(r"Epoch:  (\d+)    Loss:  (\S+) ")
# rtorch's float32 matmul and sums round in a different order than libtorch's (NumPy's BLAS and pairwise sums
# versus libtorch's kernels), so after a few dozen epochs the printed losses of the training loop can differ
# from PyTorch's in the 7th significant digit. Measured over seeds 1-10, all 200 epochs: at most 4.8e-7.
TRAIN_LOSS_RTOL = 1e-6


def _load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _stdout_of(fn, *args):
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        fn(*args)
    return buf.getvalue()


def run_port(path):
    return _stdout_of(runpy.run_path, str(path), None, "__main__")


def golden_for(stem):
    """The golden of a port: the one-GPU variant where a GPU is usable, if the section has one."""
    gpu = GOLDEN / f"{stem}.cuda.txt"
    if cuda_is_available() and gpu.exists():
        if cuda_device_count() != 1:
            pytest.skip("the GPU goldens describe a machine with exactly one GPU, as in the post")
        return gpu
    return GOLDEN / f"{stem}.txt"


def test_every_port_has_a_golden_and_every_golden_a_port():
    stems = {p.stem for p in PORTS}
    golden_stems = {p.name.split(".")[0] for p in GOLDEN.glob("[0-9][0-9]_*.txt")}  # the first post's sections
    assert len(PORTS) == 10
    assert stems == golden_stems


@pytest.mark.parametrize("port", PORTS, ids=lambda p: p.stem)
def test_port_prints_its_golden(port):
    expected = golden_for(port.stem).read_text(encoding="utf-8")
    assert run_port(port) == expected


@pytest.mark.parametrize("stem", ["01_creation", "02_conversion", "08_gpu"])
def test_gpu_snippets_say_they_were_skipped_without_a_gpu(stem):
    if cuda_is_available():
        pytest.skip("a GPU is usable here")
    lines = run_port(BLOG / f"{stem}.py").splitlines()
    assert lines[-1] == "[GPU snippet skipped: cuda_is_available() is FALSE]"
    assert sum("skipped" in line for line in lines) == 1


def _train(*argv):
    module = _load("train_raw_network", SCRIPTS / "train_raw_network.py")
    return _stdout_of(module.main, list(argv))


def _epochs_and_losses(text):
    matches = [EPOCH_LINE.fullmatch(line) for line in text.splitlines()]
    assert all(matches), text
    return [int(m[1]) for m in matches], [float(m[2]) for m in matches]


@pytest.fixture(scope="module")
def trained_seed1():
    return _train("--seed", "1")


def test_training_prints_20_epochs_with_falling_loss(trained_seed1):
    epochs, losses = _epochs_and_losses(trained_seed1)
    assert epochs == list(range(10, 201, 10))
    assert all(b < a for a, b in zip(losses, losses[1:])), losses
    assert losses[0] > 100 > losses[-1]


def test_training_losses_match_pytorch(trained_seed1):
    """Same epochs, same line format; losses equal to PyTorch's within TRAIN_LOSS_RTOL (see above)."""
    expected = TRAIN_GOLDEN.read_text(encoding="utf-8")
    got_epochs, got = _epochs_and_losses(trained_seed1)
    want_epochs, want = _epochs_and_losses(expected)
    assert got_epochs == want_epochs
    assert got == pytest.approx(want, rel=TRAIN_LOSS_RTOL, abs=0)


@pytest.mark.xfail(strict=True, reason="float32 matmul/sum rounding order differs from libtorch's: the losses "
                                       "agree to ~5e-7 relative, not bit for bit (see TRAIN_LOSS_RTOL)")
def test_training_output_is_byte_identical_to_pytorch(trained_seed1):
    assert trained_seed1 == TRAIN_GOLDEN.read_text(encoding="utf-8")


def test_training_sizes_change_without_touching_the_loop():
    epochs, losses = _epochs_and_losses(_train("--seed", "2", "--epochs", "30", "--n", "50", "--hidden", "8"))
    assert epochs == [10, 20, 30]
    assert losses[-1] < losses[0]


def test_goldens_are_what_the_engines_print(tmp_path):
    require("torch")
    require("rpy2.robjects")
    make_goldens = _load("make_goldens", SCRIPTS / "make_goldens.py")
    make_goldens.main(["--out", str(tmp_path)])
    fresh = {p.name: p.read_text(encoding="utf-8") for p in tmp_path.glob("*.txt")}
    committed = {p.name: p.read_text(encoding="utf-8") for p in GOLDEN.glob("*.txt")}
    assert fresh.keys() == committed.keys()
    for name in sorted(committed):
        assert fresh[name] == committed[name], name
