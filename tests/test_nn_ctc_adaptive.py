"""`nnf_ctc_loss`/`nn_ctc_loss` and `nn_adaptive_log_softmax_with_loss`: values and gradients against
PyTorch (libtorch, what R torch wraps) under the same inputs and weights; CTC's `blank` and targets are
0-based as R torch passes them, the adaptive softmax's targets and predictions 1-based as R torch's."""
import numpy as np
import pytest

import rtorch as r
from tests._require import require
from tests.test_nn_padding_distance import arr, check, f32, rt

torch = require("torch")
F = torch.nn.functional

T, N, C = 7, 3, 5
PADDED = np.array([[1, 2, 2, 3], [3, 1, 4, 4], [2, 4, 1, 1]])
LENGTHS = [dict(il=[7, 6, 7], tl=[4, 2, 3]), dict(il=[7, 7, 5], tl=[3, 0, 1]),
           dict(il=[7, 2, 7], tl=[2, 4, 3]), dict(il=[7, 0, 3], tl=[4, 0, 2])]


@pytest.mark.parametrize("lens", LENGTHS, ids=str)
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("zero_infinity", [False, True])
@pytest.mark.parametrize("concatenated", [False, True])
def test_ctc_loss_matches_pytorch(lens, reduction, zero_infinity, concatenated):
    il, tl = lens["il"], lens["tl"]
    tg = np.concatenate([PADDED[b, :n] for b, n in enumerate(tl)]) if concatenated else PADDED
    check(lambda x: r.nnf_ctc_loss(x.log_softmax(3), rt(tg), il, tl, reduction=reduction,
                                   zero_infinity=zero_infinity),
          lambda x: F.ctc_loss(x.log_softmax(2), torch.tensor(tg), il, tl, reduction=reduction,
                               zero_infinity=zero_infinity), f32(T, N, C))


def test_ctc_loss_gradient_on_log_probs_and_blank():
    """libtorch's gradient, taken on the log-probabilities themselves; another blank; float64; lengths as
    Long tensors."""
    lp = torch.tensor(f32(T, N, C, seed=3)).double().log_softmax(2)
    tg = np.array([[0, 1, 3], [2, 2, 0], [1, 3, 3]])
    x = r.torch_tensor(lp.numpy(), dtype=r.torch_float64())
    x.requires_grad_(True)
    long = r.torch_long()
    out = r.nnf_ctc_loss(x, rt(tg), r.torch_tensor([7, 6, 5], dtype=long), r.torch_tensor([3, 2, 3], dtype=long),
                         blank=4)
    tx = lp.clone().requires_grad_(True)
    tout = F.ctc_loss(tx, torch.tensor(tg), torch.tensor([7, 6, 5]), torch.tensor([3, 2, 3]), blank=4)
    assert out.dtype == r.torch_float64()
    np.testing.assert_allclose(arr(out), tout.detach().numpy(), rtol=1e-12)
    out.backward()
    tout.backward()
    np.testing.assert_allclose(arr(x.grad), tx.grad.numpy(), rtol=1e-10, atol=1e-12)


def test_ctc_loss_unbatched_and_module():
    x = f32(T, C, seed=4)
    tg = np.array([1, 3, 3])
    check(lambda a: r.nnf_ctc_loss(a.log_softmax(2), rt(tg), [6], [3], reduction="none"),
          lambda a: F.ctc_loss(a.log_softmax(1), torch.tensor(tg), torch.tensor(6), torch.tensor(3),
                               reduction="none"), x)
    m = r.nn_ctc_loss(blank=1, reduction="sum", zero_infinity=True)
    assert isinstance(m, r.nn_loss)
    tm = torch.nn.CTCLoss(blank=1, reduction="sum", zero_infinity=True)
    tg2 = np.array([[2, 3, 0], [4, 4, 2], [0, 0, 0]])
    check(lambda a: m(a.log_softmax(3), rt(tg2), [7, 3, 6], [3, 3, 2]),
          lambda a: tm(a.log_softmax(2), torch.tensor(tg2), [7, 3, 6], [3, 3, 2]), f32(T, N, C))


def test_ctc_loss_records_one_node():
    x = rt(f32(T, N, C), True)
    out = r.nnf_ctc_loss(x, rt(PADDED), [7, 7, 7], [4, 2, 3], reduction="none")
    assert out.grad_fn.name == "CtcLossBackward0"


def _raises(match, **kw):
    args = dict(log_probs=rt(f32(T, N, C)).log_softmax(3), targets=rt(PADDED), input_lengths=[7, 6, 7],
                target_lengths=[4, 2, 3])
    args.update(kw)
    with pytest.raises((RuntimeError, IndexError, ValueError, NotImplementedError, TypeError), match=match):
        r.nnf_ctc_loss(**args)


def test_ctc_loss_errors_in_libtorch_words():
    _raises("input_lengths must be of size batch_size", input_lengths=[7, 6])
    _raises("target_lengths must be of size batch_size", target_lengths=[4])
    _raises("blank must be in label range", blank=5)
    _raises("blank must be in label range", blank=-1)
    _raises("Expected input_lengths to have value at most 7, but got value 8", input_lengths=[8, 6, 7])
    _raises("Expected target_lengths to have value at least 0, but got value -1", target_lengths=[-1, 2, 3])
    _raises("Expected tensor to have size at least 5 at dimension 1, but got size 4", target_lengths=[5, 2, 3])
    _raises("Expected tensor to have size 9 at dimension 0, but got size 3", targets=rt(np.array([1, 2, 3])))
    _raises("Expected 3-dimensional tensor, but got 4-dimensional", log_probs=rt(f32(2, T, N, C)))
    _raises("input_lengths must be integral", input_lengths=r.torch_tensor([7.0, 6.0, 7.0]))
    _raises("not implemented for 'Long'", log_probs=rt(np.ones((T, N, C), np.int64)))
    _raises("Target 7 is out of bounds", targets=rt(np.array([[1, 7, 2, 3], [1, 1, 1, 1], [2, 2, 2, 2]])))
    _raises("foo is not a valid value for reduction", reduction="foo")
    _raises("`targets` must be a torch_tensor", targets=[1, 2])


# ---- nn_adaptive_log_softmax_with_loss ---------------------------------------------------------------

def _pair(seed=1, **kw):
    args = dict(in_features=8, n_classes=20, cutoffs=[4, 10, 15], div_value=2.0, head_bias=True)
    args.update(kw)
    torch.manual_seed(seed)
    r.torch_manual_seed(seed)
    return r.nn_adaptive_log_softmax_with_loss(**args), torch.nn.AdaptiveLogSoftmaxWithLoss(**args)


def _grads_equal(rm, tm):
    rp = rm.named_parameters if isinstance(rm.named_parameters, dict) else dict(rm.named_parameters())
    for name, p in tm.named_parameters():
        got = rp[name].grad
        want = p.grad
        if want is None:
            assert not isinstance(got, r.Tensor), name
        else:
            np.testing.assert_allclose(arr(got), want.numpy(), atol=1e-6, rtol=1e-5, err_msg=name)


def test_adaptive_same_seeded_weights_as_libtorch():
    rm, tm = _pair(seed=7)
    sd = rm.state_dict()
    assert list(sd) == list(tm.state_dict())
    for name, v in tm.state_dict().items():
        np.testing.assert_array_equal(arr(sd[name]), v.numpy())
    assert (rm.shortlist_size, rm.n_clusters, rm.head_size, rm.cutoffs) == (4, 3, 7, [4, 10, 15, 20])


@pytest.mark.parametrize("targets", [[1, 5, 20, 12, 4, 11, 16, 3, 10], [1, 2, 3, 4, 1, 2, 3, 4, 4],
                                     [5, 6, 7, 8, 9, 10, 10, 5, 6], [16, 17, 20, 19, 18, 16, 17, 20, 20]], ids=str)
def test_adaptive_forward_matches_pytorch(targets):
    rm, tm = _pair()
    x = f32(9, 8, seed=2)
    xr, xt = rt(x, True), torch.tensor(x, requires_grad=True)
    target = np.array(targets)
    out = rm(xr, r.torch_tensor(target, dtype=r.torch_long()))
    tout = tm(xt, torch.tensor(target - 1))
    np.testing.assert_allclose(arr(out.output), tout.output.detach().numpy(), atol=1e-6, rtol=1e-5)
    np.testing.assert_allclose(arr(out[1]), tout.loss.detach().numpy(), atol=1e-6, rtol=1e-5)
    g = f32(9, seed=5)
    ((out.output * rt(g)).sum() + out.loss).backward()
    ((tout.output * torch.tensor(g)).sum() + tout.loss).backward()
    np.testing.assert_allclose(arr(xr.grad), xt.grad.numpy(), atol=1e-6, rtol=1e-5)
    _grads_equal(rm, tm)


def test_adaptive_log_prob_and_predict_match_pytorch():
    rm, tm = _pair(seed=3, head_bias=False, div_value=4.0, cutoffs=[5, 12])
    x = 3 * f32(30, 8, seed=4)
    lp = rm.log_prob(rt(x))
    np.testing.assert_allclose(arr(lp), tm.log_prob(torch.tensor(x)).detach().numpy(), atol=1e-6, rtol=1e-5)
    np.testing.assert_allclose(np.exp(arr(lp)).sum(axis=1), 1, rtol=1e-5)
    pred = rm.predict(rt(x))
    want = tm.predict(torch.tensor(x)).numpy() + 1
    np.testing.assert_array_equal(arr(pred), want)
    assert pred.dtype == r.torch_long() and len(set(want.tolist())) > 3 and want.max() > 5
    np.testing.assert_array_equal(arr(pred), arr(lp).argmax(axis=1) + 1)
    np.testing.assert_allclose(arr(rm.log_prob(rt(x[0]))), arr(lp)[0], rtol=1e-6)
    assert int(arr(rm.predict(rt(x[0])))) == want[0]
    check(lambda a: rm.log_prob(a), lambda a: tm.log_prob(a), x, atol=1e-6)


def test_adaptive_unbatched_forward():
    rm, tm = _pair()
    x = f32(8, seed=6)
    out = rm(rt(x), r.torch_scalar_tensor(13, dtype=r.torch_long()))
    tout = tm(torch.tensor(x), torch.tensor(12))
    assert out.output.dim() == 0
    np.testing.assert_allclose(arr(out.output), tout.output.detach().numpy(), rtol=1e-5)
    np.testing.assert_allclose(arr(out.loss), tout.loss.detach().numpy(), rtol=1e-5)


def test_adaptive_errors():
    for cutoffs in ([], [4, 3], [0, 5], [5, 20], [4, 4], [2.5]):
        with pytest.raises(ValueError, match="cutoffs should be"):
            r.nn_adaptive_log_softmax_with_loss(8, 20, cutoffs)
    rm, _ = _pair()
    long = r.torch_long()
    with pytest.raises(RuntimeError, match=r"Target values should be in \[1, 20\], but values in range \[1, 21\]"):
        rm(rt(f32(2, 8)), r.torch_tensor([1, 21], dtype=long))
    with pytest.raises(RuntimeError, match="Indexing starts at 1 but found a 0"):
        rm(rt(f32(2, 8)), r.torch_tensor([0, 3], dtype=long))
    with pytest.raises(RuntimeError, match="same size in the batch dimension"):
        rm(rt(f32(3, 8)), r.torch_tensor([1, 3], dtype=long))
    with pytest.raises(RuntimeError, match="1D target tensor expects 2D input"):
        rm(rt(f32(2, 2, 8)), r.torch_tensor([1, 3], dtype=long))
    with pytest.raises(RuntimeError, match="0D target tensor expects 1D input"):
        rm(rt(f32(2, 8)), r.torch_scalar_tensor(3, dtype=long))
    with pytest.raises(RuntimeError, match="multi-target not supported"):
        rm(rt(f32(2, 8)), r.torch_tensor([[1, 3]], dtype=long))
