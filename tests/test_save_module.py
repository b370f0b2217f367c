"""Modules and files: torch_save(model) / torch_load, state dicts from PyTorch into an rtorch module with
the same parameter names, and the errors of a wrong-shaped or over-full state dict."""
import numpy as np
import pytest

import rtorch as r
from rtorch.serialization import load_state_dict, torch_load, torch_save, torch_serialize
from tests._require import require

import rtorch.nn.modules._module as nnm


def _linear(n_in, n_out):
    def initialize(self):
        self.weight = nnm.nn_parameter(r.torch_randn(n_out, n_in))
        self.bias = nnm.nn_parameter(r.torch_randn(n_out))
    return nnm.nn_module("linear_like", initialize=initialize, forward=lambda self, x: x @ self.weight.t() + self.bias)


def _net():
    lin = _linear(3, 2)

    def initialize(self):
        self.fc1 = lin()
        self.fc2 = lin()
    return nnm.nn_module("net", initialize=initialize)


def test_save_a_module_and_load_its_state_dict(tmp_path):
    Net = _net()
    model = Net()
    model.fc2.bias.requires_grad_(False)
    torch_save(model, tmp_path / "m.pt")
    sd = torch_load(tmp_path / "m.pt")
    assert set(sd) == set(model.state_dict())
    assert sd["fc1.bias"].requires_grad and not sd["fc2.bias"].requires_grad
    model2 = Net()
    model2.load_state_dict(sd)
    for k, v in model.state_dict().items():
        assert r.torch_equal(model2.state_dict()[k], v), k
    assert r.torch_equal(model2.state_dict()["fc1.weight"], torch_load(torch_serialize(model))["fc1.weight"])


def test_pytorch_weights_into_an_rtorch_module(tmp_path):
    torch = require("torch")
    torch.manual_seed(0)
    pt = torch.nn.Linear(3, 2)
    torch.save(pt.state_dict(), tmp_path / "lin.pth")
    model = _linear(3, 2)()
    model.load_state_dict(load_state_dict(tmp_path / "lin.pth"))
    x = torch.randn(4, 3)
    got = model(r.torch_tensor(x.numpy()))
    np.testing.assert_allclose(got.detach()._data, pt(x).detach().numpy(), rtol=1e-6, atol=1e-6)
    np.testing.assert_array_equal(model.weight.detach()._data, pt.weight.detach().numpy())


def test_wrong_shape_and_unknown_keys(tmp_path):
    torch = require("torch")
    torch.save({"weight": torch.zeros(5, 3), "bias": torch.zeros(2)}, tmp_path / "bad.pth")
    model = _linear(3, 2)()
    with pytest.raises(RuntimeError, match=r"size mismatch for weight.*\[5, 3\].*\[2, 3\]"):
        model.load_state_dict(load_state_dict(tmp_path / "bad.pth"))
    torch.save({"weight": torch.zeros(2, 3), "bias": torch.zeros(2), "extra": torch.zeros(1)},
               tmp_path / "extra.pth")
    with pytest.raises(RuntimeError, match='Unexpected key.*"extra"'):
        model.load_state_dict(load_state_dict(tmp_path / "extra.pth"), strict=True)
