"""Packed sequences (R/nn-utils-rnn.R) and nn_rnn / nn_lstm / nn_gru on them, against PyTorch's
torch.nn.utils.rnn and torch.nn under the same weights; ports of mlverse/torch tests/testthat/
test-nn-utils-rnn.R and the packed blocks of test-nn-rnn.R."""
import re

import numpy as np
import pytest

import rtorch as rt
from rtorch.nn.modules import _rnn as rnn_module
from tests._compare import arr, close
from tests._require import require

torch = require("torch")
R = torch.nn.utils.rnn

KINDS = {"rnn": (rt.nn_rnn, torch.nn.RNN), "lstm": (rt.nn_lstm, torch.nn.LSTM), "gru": (rt.nn_gru, torch.nn.GRU)}
LENGTHS = [3, 5, 1, 5, 2]


def _pt_name(name):
    return re.sub(r"_l(\d+)", lambda m: f"_l{int(m.group(1)) - 1}", name)


def _long(t):
    return arr(t).astype(np.int64).tolist()


def _padded(rng, lengths, *trailing, batch_first=False):
    T, B = max(lengths), len(lengths)
    x = rng.standard_normal((T, B, *trailing)).astype(np.float32)
    for b, n in enumerate(lengths):
        x[n:, b] = 0
    return np.ascontiguousarray(x.swapaxes(0, 1)) if batch_first else x


def _pair(x):
    dtype = rt.torch_double() if x.dtype == np.float64 else None
    return rt.torch_tensor(x, dtype=dtype, requires_grad=True), torch.tensor(x, requires_grad=True)


# ---- ports of test-nn-utils-rnn.R -----------------------------------------------------------------

def test_testthat_pack_padded_sequence():
    x = rt.torch_tensor([[1, 2, 0, 0], [1, 2, 3, 0], [1, 2, 3, 4]], dtype=rt.torch_long())
    lens = rt.torch_tensor([2, 3, 4], dtype=rt.torch_long())
    p = rt.nn_utils_rnn_pack_padded_sequence(x, lens, batch_first=True, enforce_sorted=False)
    assert _long(p.data) == [1, 1, 1, 2, 2, 2, 3, 3, 4]
    assert _long(p.batch_sizes) == [3, 3, 2, 1]
    assert _long(p.sorted_indices) == [3, 2, 1]
    assert _long(p.unsorted_indices) == [3, 2, 1]
    with pytest.raises(RuntimeError, match="must be sorted in decreasing order"):
        rt.nn_utils_rnn_pack_padded_sequence(x, lens, batch_first=True, enforce_sorted=True)
    x = rt.torch_tensor([[1, 2, 3, 4], [1, 2, 3, 0], [1, 2, 0, 0]], dtype=rt.torch_long())
    p = rt.nn_utils_rnn_pack_padded_sequence(x, rt.torch_tensor([4, 3, 2], dtype=rt.torch_long()),
                                             batch_first=True, enforce_sorted=True)
    assert _long(p.data) == [1, 1, 1, 2, 2, 2, 3, 3, 4]
    assert _long(p.batch_sizes) == [3, 3, 2, 1]
    assert p.data.dtype == rt.torch_long() and p.batch_sizes.dtype == rt.torch_long()


def test_testthat_pack_sequence():
    seqs = [rt.torch_tensor([1, 2, 3], dtype=rt.torch_long()), rt.torch_tensor([4, 5], dtype=rt.torch_long()),
            rt.torch_tensor([6], dtype=rt.torch_long())]
    p = rt.nn_utils_rnn_pack_sequence(seqs)
    assert _long(p.data) == [1, 4, 6, 2, 5, 3]
    assert _long(p.batch_sizes) == [3, 2, 1]
    assert p.sorted_indices is None and p.unsorted_indices is None


def test_testthat_pad_packed_sequence():
    seq = rt.torch_tensor([[1, 2, 0], [3, 0, 0], [4, 5, 6]], dtype=rt.torch_long())
    packed = rt.nn_utils_rnn_pack_padded_sequence(seq, [2, 1, 3], batch_first=True, enforce_sorted=False)
    o = rt.nn_utils_rnn_pad_packed_sequence(packed, batch_first=True)
    assert len(o) == 2
    assert _long(o[0]) == _long(seq)
    assert _long(o[1]) == [2, 1, 3]
    assert o[1].dtype == rt.torch_long()


def test_testthat_pad_sequence():
    o = rt.nn_utils_rnn_pad_sequence([rt.torch_ones(25, 300), rt.torch_ones(22, 300), rt.torch_ones(15, 300)])
    assert tuple(o.shape) == (25, 3, 300)


# ---- ports of the packed blocks of test-nn-rnn.R ------------------------------------------------------

def _testthat_packed():
    x = rt.torch_tensor([[1, 2, 0, 0], [1, 2, 3, 0], [1, 2, 3, 4]], dtype=rt.torch_float())[:, :, None]
    return rt.nn_utils_rnn_pack_padded_sequence(x, rt.torch_tensor([2, 3, 4], dtype=rt.torch_long()),
                                                batch_first=True, enforce_sorted=False)


def test_testthat_rnn_packed_sequence():
    out = rt.nn_rnn(1, 4, nonlinearity="relu")(_testthat_packed())
    unpack = rt.nn_utils_rnn_pad_packed_sequence(out[0])
    assert tuple(unpack[0].shape) == (4, 3, 4)
    assert _long(unpack[1]) == [2, 3, 4]


def test_testthat_lstm_and_gru_work_with_packed_sequences():
    p = _testthat_packed()
    for layer in (rt.nn_lstm(1, 4), rt.nn_gru(1, 4)):
        out = layer(p)
        assert tuple(rt.nn_utils_rnn_pad_packed_sequence(out[0])[0].shape) == (4, 3, 4)


# ---- the utilities against torch.nn.utils.rnn ---------------------------------------------------------

@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("enforce_sorted", [False, True])
def test_pack_padded_sequence_matches_pytorch(batch_first, enforce_sorted):
    lengths = sorted(LENGTHS, reverse=True) if enforce_sorted else LENGTHS
    x = _padded(np.random.default_rng(0), lengths, 2, 3, batch_first=batch_first)
    xr, xp = _pair(x)
    p = rt.nn_utils_rnn_pack_padded_sequence(xr, lengths, batch_first=batch_first, enforce_sorted=enforce_sorted)
    q = R.pack_padded_sequence(xp, torch.tensor(lengths), batch_first=batch_first, enforce_sorted=enforce_sorted)
    close(p.data, q.data, atol=0)
    assert _long(p.batch_sizes) == q.batch_sizes.tolist()
    if enforce_sorted:
        assert p.sorted_indices is None and p.unsorted_indices is None
    else:
        assert _long(p.sorted_indices) == (q.sorted_indices + 1).tolist()
        assert _long(p.unsorted_indices) == (q.unsorted_indices + 1).tolist()
    w = np.random.default_rng(1).standard_normal(tuple(q.data.shape)).astype(np.float32)
    (p.data * rt.torch_tensor(w)).sum().backward()
    (q.data * torch.tensor(w)).sum().backward()
    close(xr.grad, xp.grad, atol=0)


def test_pack_padded_sequence_sorts_ties_stably_as_libtorch():
    lengths = [3, 4, 3, 2, 3, 4, 3, 2, 3]
    x = _padded(np.random.default_rng(2), lengths)
    p = rt.nn_utils_rnn_pack_padded_sequence(rt.torch_tensor(x), rt.torch_tensor(lengths), enforce_sorted=False)
    q = R.pack_padded_sequence(torch.tensor(x), torch.tensor(lengths), enforce_sorted=False)
    assert _long(p.sorted_indices) == (q.sorted_indices + 1).tolist()
    close(p.data, q.data, atol=0)


@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("total_length", [None, 7])
def test_pad_packed_sequence_matches_pytorch(batch_first, total_length):
    x = _padded(np.random.default_rng(3), LENGTHS, 4)
    q = R.pack_padded_sequence(torch.tensor(x), torch.tensor(LENGTHS), enforce_sorted=False)
    p = rt.nn_utils_rnn_pack_padded_sequence(rt.torch_tensor(x), LENGTHS, enforce_sorted=False)
    dr, dp = _pair(q.data.numpy())
    p = type(p)(dr, p.batch_sizes, p.sorted_indices)
    q = R.PackedSequence(dp, q.batch_sizes, q.sorted_indices, q.unsorted_indices)
    o = rt.nn_utils_rnn_pad_packed_sequence(p, batch_first=batch_first, padding_value=-2.5, total_length=total_length)
    op = R.pad_packed_sequence(q, batch_first=batch_first, padding_value=-2.5, total_length=total_length)
    close(o[0], op[0], atol=0)
    assert _long(o[1]) == op[1].tolist()
    w = np.random.default_rng(4).standard_normal(tuple(op[0].shape)).astype(np.float32)
    (o[0] * rt.torch_tensor(w)).sum().backward()
    (op[0] * torch.tensor(w)).sum().backward()
    close(dr.grad, dp.grad, atol=0)


def test_pad_packed_sequence_inverts_pack_padded_sequence():
    x = _padded(np.random.default_rng(5), LENGTHS, 2, batch_first=True)
    p = rt.nn_utils_rnn_pack_padded_sequence(rt.torch_tensor(x), LENGTHS, batch_first=True, enforce_sorted=False)
    o = rt.nn_utils_rnn_pad_packed_sequence(p, batch_first=True)
    np.testing.assert_array_equal(arr(o[0]), x)
    assert _long(o[1]) == LENGTHS


@pytest.mark.parametrize("batch_first", [False, True])
def test_pad_sequence_matches_pytorch(batch_first):
    rng = np.random.default_rng(6)
    seqs = [rng.standard_normal((n, 2, 3)).astype(np.float32) for n in LENGTHS]
    pairs = [_pair(s) for s in seqs]
    o = rt.nn_utils_rnn_pad_sequence([a for a, _ in pairs], batch_first=batch_first, padding_value=1.5)
    op = R.pad_sequence([b for _, b in pairs], batch_first=batch_first, padding_value=1.5)
    close(o, op, atol=0)
    w = rng.standard_normal(tuple(op.shape)).astype(np.float32)
    (o * rt.torch_tensor(w)).sum().backward()
    (op * torch.tensor(w)).sum().backward()
    for a, b in pairs:
        close(a.grad, b.grad, atol=0)


def test_pad_sequence_keeps_the_first_dtype():
    o = rt.nn_utils_rnn_pad_sequence([rt.torch_tensor([1, 2], dtype=rt.torch_long()), rt.torch_tensor([3])])
    assert o.dtype == rt.torch_long()
    assert _long(o) == [[1, 3], [2, 0]]


@pytest.mark.parametrize("enforce_sorted", [False, True])
def test_pack_sequence_matches_pytorch(enforce_sorted):
    rng = np.random.default_rng(7)
    lengths = sorted(LENGTHS, reverse=True) if enforce_sorted else LENGTHS
    seqs = [rng.standard_normal((n, 3)).astype(np.float32) for n in lengths]
    pairs = [_pair(s) for s in seqs]
    p = rt.nn_utils_rnn_pack_sequence([a for a, _ in pairs], enforce_sorted=enforce_sorted)
    q = R.pack_sequence([b for _, b in pairs], enforce_sorted=enforce_sorted)
    close(p.data, q.data, atol=0)
    assert _long(p.batch_sizes) == q.batch_sizes.tolist()
    (p.data * p.data).sum().backward()
    (q.data * q.data).sum().backward()
    for a, b in pairs:
        close(a.grad, b.grad, atol=1e-6)


def test_packed_sequence_prints_as_r6():
    p = rt.nn_utils_rnn_pack_sequence([rt.torch_tensor([1, 2]), rt.torch_tensor([3])])
    assert repr(p) == "\n".join([
        "<PackedSequence>", "  Public:", "    batch_sizes: active binding", "    clone: function (deep = FALSE) ",
        "    data: active binding", "    initialize: function (ptr = NULL) ", "    ptr: externalptr",
        "    sorted_indices: active binding", "    unsorted_indices: active binding"])


def test_bad_input_gets_libtorch_errors():
    x = rt.torch_zeros(4, 3, 2)
    with pytest.raises(RuntimeError, match=r"Length of all samples has to be greater than 0"):
        rt.nn_utils_rnn_pack_padded_sequence(x, [4, 3, 0])
    with pytest.raises(RuntimeError, match=re.escape("Expected `len(lengths)` to be equal to batch_size, but got 2 "
                                                     "(batch_size=3)")):
        rt.nn_utils_rnn_pack_padded_sequence(x, [4, 3])
    with pytest.raises(RuntimeError, match="should be a 1D CPU int64 tensor, but got 2D"):
        rt.nn_utils_rnn_pack_padded_sequence(x, rt.torch_tensor([[4, 3, 1]]))
    with pytest.raises(RuntimeError, match="at most the padded length 4"):
        rt.nn_utils_rnn_pack_padded_sequence(x, [5, 3, 1])
    with pytest.raises(IndexError, match="Dimension out of range"):
        rt.nn_utils_rnn_pack_padded_sequence(rt.torch_zeros(3), [3])
    with pytest.raises(RuntimeError, match="received an empty list of sequences"):
        rt.nn_utils_rnn_pad_sequence([])
    with pytest.raises(RuntimeError, match=re.escape("The size of tensor a (2) must match the size of tensor b (3)")):
        rt.nn_utils_rnn_pad_sequence([rt.torch_zeros(3, 2), rt.torch_zeros(2, 3)])
    with pytest.raises(RuntimeError, match="must be sorted in decreasing order"):
        rt.nn_utils_rnn_pack_sequence([rt.torch_zeros(2, 1), rt.torch_zeros(3, 1)])
    p = rt.nn_utils_rnn_pack_padded_sequence(x, [4, 3, 1])
    with pytest.raises(ValueError, match="Expected total_length to be at least the length of the longest sequence "
                                         "in input, but got total_length=3 and max sequence length being 4"):
        rt.nn_utils_rnn_pad_packed_sequence(p, total_length=3)
    with pytest.raises(TypeError, match="must be a PackedSequence"):
        rt.nn_utils_rnn_pad_packed_sequence(x)


# ---- the recurrent layers on packed input against torch.nn ---------------------------------------------

def _layers(kind, seed=3, **kw):
    rt.torch_manual_seed(seed)
    m = KINDS[kind][0](4, 5, **kw)
    torch.manual_seed(seed)
    p = KINDS[kind][1](4, 5, **kw)
    pp = dict(p.named_parameters())
    for name, w in m.parameters.items():
        np.testing.assert_array_equal(arr(w), pp[_pt_name(name)].detach().numpy())
    return m, p, pp


@pytest.fixture(params=["fused", "steps"])
def path(request, monkeypatch):
    """Each packed test on both of rtorch's paths: the fused runs, and the step-by-step ops that inputs the
    fused recurrence does not take fall back to."""
    if request.param == "steps":
        monkeypatch.setattr(rnn_module, "_fusable", lambda *args: False)
    return request.param


@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("kw", [{}, {"num_layers": 2}, {"bidirectional": True},
                                {"num_layers": 2, "bidirectional": True}, {"bias": False, "batch_first": True}])
@pytest.mark.parametrize("enforce_sorted", [False, True])
def test_packed_layers_match_pytorch(kind, kw, enforce_sorted, path):
    m, p, pp = _layers(kind, **kw)
    lengths = sorted(LENGTHS, reverse=True) if enforce_sorted else LENGTHS
    rng = np.random.default_rng(8)
    x = _padded(rng, lengths, 4)
    nd = kw.get("num_layers", 1) * (2 if kw.get("bidirectional") else 1)
    h0 = rng.standard_normal((nd, len(lengths), 5)).astype(np.float32)
    xr, xp = _pair(x)
    hr, hp = _pair(h0)
    cr, cp = _pair(-h0)
    pr = rt.nn_utils_rnn_pack_padded_sequence(xr, lengths, enforce_sorted=enforce_sorted)
    pq = R.pack_padded_sequence(xp, torch.tensor(lengths), enforce_sorted=enforce_sorted)
    if kind == "lstm":
        (o, (h, c)), (op, (hpo, cpo)) = m(pr, [hr, cr]), p(pq, (hp, cp))
        close(c, cpo, atol=2e-6)
    else:
        (o, h), (op, hpo) = m(pr, hr), p(pq, hp)
    assert type(o).__name__ == "PackedSequence"
    close(o.data, op.data, atol=2e-6)
    close(h, hpo, atol=2e-6)
    assert _long(o.batch_sizes) == op.batch_sizes.tolist()
    assert (o.sorted_indices is None) == enforce_sorted
    ur, up = rt.nn_utils_rnn_pad_packed_sequence(o)[0], R.pad_packed_sequence(op)[0]
    close(ur, up, atol=2e-6)
    w = rng.standard_normal(tuple(up.shape)).astype(np.float32)
    loss = (ur * rt.torch_tensor(w)).sum() + (h * h).sum()
    lossp = (up * torch.tensor(w)).sum() + (hpo * hpo).sum()
    if kind == "lstm":
        loss, lossp = loss + c.sum(), lossp + cpo.sum()
    loss.backward()
    lossp.backward()
    close(xr.grad, xp.grad, atol=1e-5)
    close(hr.grad, hp.grad, atol=1e-5)
    if kind == "lstm":
        close(cr.grad, cp.grad, atol=1e-5)
    for name, wt in m.parameters.items():
        close(wt.grad, pp[_pt_name(name)].grad, atol=1e-5)


@pytest.mark.parametrize("kind", list(KINDS))
def test_packed_default_hidden_is_zeros_in_double(kind, path):
    m, p, pp = _layers(kind, num_layers=2, bidirectional=True)
    m.to(dtype=rt.torch_double())
    p.double()
    x = _padded(np.random.default_rng(9), LENGTHS, 4).astype(np.float64)
    xr, xp = _pair(x)
    o, h = m(rt.nn_utils_rnn_pack_padded_sequence(xr, LENGTHS, enforce_sorted=False))
    op, hpo = p(R.pack_padded_sequence(xp, torch.tensor(LENGTHS), enforce_sorted=False))
    assert o.data.dtype == rt.torch_double()
    close(o.data, op.data, atol=1e-12)
    (o.data.sum() + (h[0] if kind == "lstm" else h).sum()).backward()
    (op.data.sum() + (hpo[0] if kind == "lstm" else hpo).sum()).backward()
    close(xr.grad, xp.grad, atol=1e-12)
    for name, wt in m.parameters.items():
        close(wt.grad, pp[_pt_name(name)].grad, atol=1e-12)


def test_packed_dropout_between_layers_as_libtorch(path):
    m, p, _ = _layers("gru", num_layers=2, dropout=0.4)
    x = _padded(np.random.default_rng(10), LENGTHS, 4)
    rt.torch_manual_seed(11)
    o = m(rt.nn_utils_rnn_pack_padded_sequence(rt.torch_tensor(x), LENGTHS, enforce_sorted=False))[0]
    torch.manual_seed(11)
    op = p(R.pack_padded_sequence(torch.tensor(x), torch.tensor(LENGTHS), enforce_sorted=False))[0]
    close(o.data, op.data, atol=2e-6)


def test_packed_input_is_checked():
    m = rt.nn_gru(4, 5)
    p = rt.nn_utils_rnn_pack_padded_sequence(rt.torch_zeros(3, 2, 4), [3, 2])
    with pytest.raises(RuntimeError, match=re.escape("Expected hidden size (1, 2, 5), got [1, 3, 5]")):
        m(p, rt.torch_zeros(1, 3, 5))
    q = rt.nn_utils_rnn_pack_padded_sequence(rt.torch_zeros(3, 2, 3), [3, 2])
    with pytest.raises(RuntimeError, match="input.size\\(-1\\) must be equal to input_size. Expected 4, got 3"):
        m(q)
    r = rt.nn_utils_rnn_pack_padded_sequence(rt.torch_zeros(3, 2, 1, 4), [3, 2])
    with pytest.raises(RuntimeError, match="input must have 2 dimensions, got 3"):
        m(r)


@pytest.mark.parametrize("kind", ["lstm", "gru"])
def test_packed_second_derivatives_match_pytorch(kind, path):
    m, p, pp = _layers(kind, bidirectional=True)
    m.to(dtype=rt.torch_double())
    p.double()
    x = _padded(np.random.default_rng(12), LENGTHS, 4).astype(np.float64)
    xr, xp = _pair(x)
    o = m(rt.nn_utils_rnn_pack_padded_sequence(xr, LENGTHS, enforce_sorted=False))[0].data
    op = p(R.pack_padded_sequence(xp, torch.tensor(LENGTHS), enforce_sorted=False))[0].data
    (g,) = rt.autograd_grad((o * o).sum(), [xr], create_graph=True)
    (gp,) = torch.autograd.grad((op * op).sum(), [xp], create_graph=True)
    close(g, gp, atol=1e-12)
    (g * g).sum().backward()
    (gp * gp).sum().backward()
    for name, wt in m.parameters.items():
        close(wt.grad, pp[_pt_name(name)].grad, atol=1e-10)


def test_float_lengths_are_truncated_to_long_as_libtorch():
    x = _padded(np.random.default_rng(13), [3, 2], 2)
    p = rt.nn_utils_rnn_pack_padded_sequence(rt.torch_tensor(x), rt.torch_tensor([3, 2]))
    q = R.pack_padded_sequence(torch.tensor(x), torch.tensor([3.0, 2.0]))
    assert _long(p.batch_sizes) == q.batch_sizes.tolist() == [2, 2, 1]
    close(p.data, q.data, atol=0)


def test_empty_input_cannot_be_packed():
    with pytest.raises(RuntimeError, match="Cannot pack empty tensors."):
        rt.nn_utils_rnn_pack_padded_sequence(rt.torch_zeros(2, 3, 0), [2, 1, 1])
