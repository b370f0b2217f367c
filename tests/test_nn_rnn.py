"""nn_rnn / nn_lstm / nn_gru / nn_multihead_attention against PyTorch's torch.nn under the same seed,
and ports of mlverse/torch tests/testthat/test-nn-rnn.R and test-nn-activation.R (multihead attention)."""
import re

import numpy as np
import pytest

import rtorch as rt
from tests._require import require

torch = require("torch")

KINDS = {"rnn": (rt.nn_rnn, torch.nn.RNN), "lstm": (rt.nn_lstm, torch.nn.LSTM), "gru": (rt.nn_gru, torch.nn.GRU)}


def _a(t):
    return rt.as_array(t)


def _pt_name(name):
    return re.sub(r"_l(\d+)", lambda m: f"_l{int(m.group(1)) - 1}", name)


def _pair(kind, seed=7, **kw):
    rt.torch_manual_seed(seed)
    m = KINDS[kind][0](5, 6, **kw)
    torch.manual_seed(seed)
    p = KINDS[kind][1](5, 6, **kw)
    return m, p


@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("kw", [{}, {"num_layers": 2}, {"bidirectional": True}, {"batch_first": True},
                                {"num_layers": 2, "bidirectional": True, "batch_first": True}, {"bias": False}])
def test_matches_pytorch(kind, kw):
    m, p = _pair(kind, **kw)
    pp = dict(p.named_parameters())
    assert [_pt_name(n) for n in m.parameters] == list(pp)
    for name, w in m.parameters.items():
        np.testing.assert_array_equal(_a(w), pp[_pt_name(name)].detach().numpy())
    rng = np.random.default_rng(0)
    x = rng.standard_normal((4, 3, 5), dtype=np.float32)
    nd = (2 if kw.get("num_layers") == 2 else 1) * (2 if kw.get("bidirectional") else 1)
    h0 = rng.standard_normal((nd, 4 if kw.get("batch_first") else 3, 6), dtype=np.float32)
    xr, xp = rt.torch_tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    if kind == "lstm":
        hr, hp = [rt.torch_tensor(h0), rt.torch_tensor(-h0)], (torch.tensor(h0), torch.tensor(-h0))
    else:
        hr, hp = rt.torch_tensor(h0), torch.tensor(h0)
    (o, h), (op, hpo) = m(xr, hr), p(xp, hp)
    np.testing.assert_allclose(_a(o), op.detach().numpy(), atol=2e-6)
    if kind == "lstm":
        for a, b in zip(h, hpo):
            np.testing.assert_allclose(_a(a), b.detach().numpy(), atol=2e-6)
        loss, lossp = (o * o).sum() + h[1].sum(), (op * op).sum() + hpo[1].sum()
    else:
        np.testing.assert_allclose(_a(h), hpo.detach().numpy(), atol=2e-6)
        loss, lossp = (o * o).sum() + h.sum(), (op * op).sum() + hpo.sum()
    loss.backward()
    lossp.backward()
    np.testing.assert_allclose(_a(xr.grad), xp.grad.numpy(), atol=1e-5)
    for name, w in m.parameters.items():
        np.testing.assert_allclose(_a(w.grad), pp[_pt_name(name)].grad.numpy(), atol=1e-5, err_msg=name)


@pytest.mark.parametrize("kind", list(KINDS))
def test_default_hidden_is_zeros(kind):
    m, p = _pair(kind, num_layers=2)
    x = np.random.default_rng(1).standard_normal((3, 2, 5), dtype=np.float32)
    np.testing.assert_allclose(_a(m(rt.torch_tensor(x))[0]), p(torch.tensor(x))[0].detach().numpy(), atol=2e-6)


def test_dropout_between_layers_as_libtorch():
    m, p = _pair("lstm", num_layers=2, dropout=0.4)
    x = np.random.default_rng(2).standard_normal((3, 2, 5), dtype=np.float32)
    rt.torch_manual_seed(11)
    o = m(rt.torch_tensor(x))[0]
    torch.manual_seed(11)
    op = p(torch.tensor(x))[0]
    np.testing.assert_allclose(_a(o), op.detach().numpy(), atol=2e-6)


def test_bad_input_in_libtorch_words():
    m = rt.nn_lstm(10, 5)
    with pytest.raises(RuntimeError, match=re.escape("input.size(-1) must be equal to input_size. Expected 10, got 5")):
        m(rt.torch_randn(3, 2, 5))
    with pytest.raises(RuntimeError, match=re.escape("Expected hidden[0] size (1, 2, 5), got [1, 3, 5]")):
        m(rt.torch_randn(3, 2, 10), [rt.torch_zeros(1, 3, 5), rt.torch_zeros(1, 3, 5)])
    with pytest.raises(RuntimeError, match=re.escape("Expected hidden size (1, 2, 5), got [2, 2, 5]")):
        rt.nn_gru(10, 5)(rt.torch_randn(3, 2, 10), rt.torch_zeros(2, 2, 5))
    with pytest.raises(RuntimeError, match="input must have 3 dimensions, got 2"):
        m(rt.torch_randn(3, 10))


# ---- test-nn-rnn.R ------------------------------------------------------------------------------

def test_rnn_nonlinearity():
    assert rt.nn_rnn(1, 10).nonlinearity == "tanh"
    assert rt.nn_rnn(1, 10, nonlinearity="relu").nonlinearity == "relu"
    with pytest.raises(ValueError, match="Unknown nonlinearity 'garbage'"):
        rt.nn_rnn(1, 10, nonlinearity="garbage")


@pytest.mark.parametrize("p", [0., .276, .731, 1])
@pytest.mark.parametrize("train", [True, False])
def test_rnn_dropout(p, train):
    rnn = rt.nn_rnn(10, 1000, 2, bias=False, dropout=p, nonlinearity="relu")
    with rt.with_no_grad():
        for name in ("weight_ih_l1", "weight_hh_l1", "weight_ih_l2", "weight_hh_l2"):
            rnn[name].fill_(1)
    rnn.train() if train else rnn.eval()
    output, hy = rnn(rt.torch_ones(1, 1, 10), rt.torch_zeros(2, 1, 1000))
    out = _a(output)
    val = out[0, 0, 0]
    if p == 0 or not train:
        assert val == 10000
        assert out.min() == out.max()
    elif p == 1:
        assert val == 0
    else:
        assert 8000 < val < 12000
    h = _a(hy)
    assert h[0].min() == h[0].max() == 10
    np.testing.assert_allclose(h[1, 0, 0], val, rtol=1e-2)


def test_lstm():
    lstm = rt.nn_lstm(10, 5)
    assert lstm.mode == "LSTM"
    inp = rt.torch_ones(1, 1, 10)
    o = lstm(inp)
    assert len(o) == 2 and o[0].shape == (1, 1, 5) and o[1][0].shape == (1, 1, 5) and o[1][1].shape == (1, 1, 5)
    assert lstm.weight_ih_l1.shape == (20, 10) and lstm.weight_hh_l1.shape == (20, 5)
    assert lstm.bias_ih_l1.shape == (20,) and lstm.bias_hh_l1.shape == (20,)
    assert len(lstm.parameters) == 4
    with rt.with_no_grad():
        for w in lstm.parameters.values():
            w.fill_(1)
    z = lstm(inp)
    np.testing.assert_allclose(_a(z[0]), 0.7615868, atol=1e-5)
    np.testing.assert_allclose(_a(z[1][0]), 0.7615868, atol=1e-5)
    np.testing.assert_allclose(_a(z[1][1]), 1, atol=1e-5)
    lstm = rt.nn_lstm(10, 5, bias=False)
    assert "bias_ih_l1" not in lstm.parameters and "bias_hh_l1" not in lstm.parameters
    with rt.with_no_grad():
        for w in lstm.parameters.values():
            w.fill_(1)
    z = lstm(inp)
    np.testing.assert_allclose(_a(z[0]), 0.7615405, atol=1e-5)
    assert len(rt.nn_lstm(10, 5, num_layers=2).parameters) == 8
    lstm = rt.nn_lstm(10, 5, num_layers=3)
    assert len(lstm.parameters) == 12
    with rt.with_no_grad():
        for w in lstm.parameters.values():
            w.fill_(1)
    z = lstm(inp)
    np.testing.assert_allclose(_a(z[0]), 0.7580, atol=1e-4)
    np.testing.assert_allclose(_a(z[1][0])[:, 0, 0], [0.7616, 0.7580, 0.7580], atol=1e-4)
    np.testing.assert_allclose(_a(z[1][1])[:, 0, 0], [1, 0.9970, 0.9969], atol=1e-4)


def test_gru():
    gru = rt.nn_gru(10, 5)
    assert gru.mode == "GRU"
    inp = rt.torch_ones(1, 1, 10)
    o = gru(inp)
    assert o[0].shape == (1, 1, 5) and o[1].shape == (1, 1, 5)
    assert gru.weight_ih_l1.shape == (15, 10) and gru.bias_hh_l1.shape == (15,)
    with rt.with_no_grad():
        for w in gru.parameters.values():
            w.fill_(1)
    z = gru(inp)
    np.testing.assert_allclose(_a(z[0]), 6.1989e-06, atol=1e-5)
    gru = rt.nn_gru(10, 5, bias=False)
    with rt.with_no_grad():
        for w in gru.parameters.values():
            w.fill_(1)
    np.testing.assert_allclose(_a(gru(inp)[0]), 4.5419e-05, atol=1e-5)
    gru = rt.nn_gru(10, 5, num_layers=3)
    assert len(gru.parameters) == 12
    with rt.with_no_grad():
        for w in gru.parameters.values():
            w.fill_(1)
    z = gru(inp)
    np.testing.assert_allclose(_a(z[0]), 0.0702, atol=1e-4)
    np.testing.assert_allclose(_a(z[1])[:, 0, 0], [6.1989e-06, 1.1378e-01, 7.0209e-02], atol=1e-4)
