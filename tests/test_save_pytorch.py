"""PyTorch's files into rtorch without PyTorch at load time: `torch.save` zips (state dicts, views sharing a
storage, every dtype rtorch has), `safetensors.torch` files, and pickles that try to run code."""
import io
import os
import pickle
import zipfile

import numpy as np
import pytest

import rtorch as r
from rtorch.serialization import load_state_dict, torch_load
from tests._require import require

_TORCH_DTYPES = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64",
                 "complex64", "complex128"]


def _model(torch):
    torch.manual_seed(0)
    m = torch.nn.Sequential(torch.nn.Conv2d(3, 4, 3), torch.nn.BatchNorm2d(4), torch.nn.ReLU(), torch.nn.Flatten(),
                            torch.nn.Linear(4 * 6 * 6, 5))
    m(torch.randn(2, 3, 8, 8))                      # running stats and num_batches_tracked move
    return m


def _check(got, want, ordered=True):
    assert list(got) == list(want) if ordered else sorted(got) == sorted(want)
    for k, v in want.items():
        g = got[k]
        assert tuple(g.shape) == tuple(v.shape), k
        np.testing.assert_array_equal(np.asarray(g._data), v.detach().numpy(), err_msg=k)
        assert np.asarray(g._data).dtype == v.detach().numpy().dtype, k


def test_state_dict_from_pytorch(tmp_path):
    torch = require("torch")
    sd = _model(torch).state_dict()
    torch.save(sd, tmp_path / "m.pt")
    _check(load_state_dict(tmp_path / "m.pt"), sd)
    _check(torch_load(tmp_path / "m.pt"), sd)


def test_every_dtype_views_and_empty(tmp_path):
    torch = require("torch")
    torch.manual_seed(1)
    base = torch.randn(4, 6)
    want = {f"t_{d}": (torch.randn(3, 2) * 100).to(getattr(torch, d)) for d in _TORCH_DTYPES}
    want.update(view_t=base.t(), view_slice=base[1:, ::2], base=base, scalar=torch.tensor(3.5),
                empty=torch.zeros(0, 3), rank5=torch.randn(1, 2, 1, 2, 3))
    torch.save(want, tmp_path / "d.pth")
    _check(load_state_dict(tmp_path / "d.pth"), want)


def test_safetensors_torch_file(tmp_path):
    torch = require("torch")
    from safetensors.torch import save_file
    sd = _model(torch).state_dict()
    save_file(dict(sd), str(tmp_path / "m.safetensors"))
    _check(load_state_dict(tmp_path / "m.safetensors"), sd, ordered=False)   # safetensors keeps no order
    with pytest.warns(UserWarning, match="not saved with `torch_save"):
        torch_load(tmp_path / "m.safetensors")


def test_a_tensor_and_requires_grad(tmp_path):
    torch = require("torch")
    x = torch.randn(3, 3, requires_grad=True)
    torch.save(x, tmp_path / "x.pt")
    y = torch_load(tmp_path / "x.pt")
    assert y.requires_grad
    np.testing.assert_array_equal(y.detach()._data, x.detach().numpy())


def test_bfloat16_is_a_clear_error(tmp_path):
    torch = require("torch")
    torch.save({"w": torch.ones(2, dtype=torch.bfloat16)}, tmp_path / "b.pt")
    with pytest.raises(pickle.UnpicklingError, match="BFloat16"):
        load_state_dict(tmp_path / "b.pt")


def test_legacy_pytorch_format_is_a_clear_error(tmp_path):
    torch = require("torch")
    torch.save({"w": torch.ones(2)}, tmp_path / "old.pt", _use_new_zipfile_serialization=False)
    with pytest.raises(ValueError, match="legacy format"):
        load_state_dict(tmp_path / "old.pt")


class _Evil:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def _zip_with(pkl_bytes, path):
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("archive/data.pkl", pkl_bytes)
        z.writestr("archive/version", "3\n")


@pytest.mark.parametrize("protocol", [2, 4])
def test_a_pickle_that_runs_code_is_refused_and_runs_nothing(tmp_path, protocol):
    marker = tmp_path / "pwned"
    _zip_with(pickle.dumps({"w": _Evil(marker)}, protocol=protocol), tmp_path / "evil.pt")
    for load in (load_state_dict, torch_load):
        with pytest.raises(pickle.UnpicklingError, match="unsupported global (posix|os).system"):
            load(tmp_path / "evil.pt")
    assert not marker.exists()


def test_pickle_with_builtins_eval_is_refused(tmp_path):
    body = b"\x80\x02cbuiltins\neval\nX\x0c\x00\x00\x00print('hi!')\x85R."
    _zip_with(body, tmp_path / "e.pt")
    with pytest.raises(pickle.UnpicklingError, match="builtins.eval"):
        load_state_dict(tmp_path / "e.pt")


def test_corrupt_pytorch_zip(tmp_path):
    torch = require("torch")
    torch.save({"w": torch.ones(100)}, tmp_path / "m.pt")
    raw = (tmp_path / "m.pt").read_bytes()
    (tmp_path / "cut.pt").write_bytes(raw[: len(raw) // 2])
    with pytest.raises(ValueError, match="corrupt or truncated"):
        load_state_dict(tmp_path / "cut.pt")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("x/other.txt", "nothing")
    with pytest.raises(ValueError, match="without data.pkl"):
        load_state_dict(buf.getvalue())


def test_state_dict_file_must_hold_a_dict(tmp_path):
    torch = require("torch")
    torch.save(torch.ones(2), tmp_path / "t.pt")
    with pytest.raises(ValueError, match="does not hold a state dict"):
        load_state_dict(tmp_path / "t.pt")
    with pytest.raises(FileNotFoundError, match="cannot open file"):
        load_state_dict(tmp_path / "missing.pt")
