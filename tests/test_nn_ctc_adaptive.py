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
