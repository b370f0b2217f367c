"""Loss functions and modules (`nnf_*_loss`, `nn_*_loss`): values, gradients and node names against
PyTorch (libtorch, what R torch wraps) for every reduction; R torch's 1-based class labels; errors in R
torch's or libtorch's words; and the blocks of R torch's tests/testthat/test-nnf-loss.R and
test-nn-loss.R."""
import math
import warnings

import numpy as np
import pytest

import rtorch as r
from tests._require import require

torch = require("torch")
F = torch.nn.functional

REDUCTIONS = ["mean", "sum", "none"]
from tests._compare import ATOL, arr, f32, rt  # noqa: E402,F401


def labels(a):
    """R torch's 1-based Long labels for PyTorch's 0-based ones (a 0-d array stays 0-d)."""
    t = r.torch_tensor(np.asarray(a) + 1, dtype=r.torch_long())
    return t.squeeze() if np.ndim(a) == 0 else t


def backward(out, reduction):
    (out.sum() if reduction == "none" else out).backward()


def rng(seed=0):
    return np.random.default_rng(seed)


def node(t):
    return t.grad_fn.name


# ---- regression losses ---------------------------------------------------------------------------

PAIR_LOSSES = [
    ("nnf_mse_loss", F.mse_loss, {}),
    ("nnf_l1_loss", F.l1_loss, {}),
    ("nnf_smooth_l1_loss", F.smooth_l1_loss, {}),
    ("nnf_smooth_l1_loss", F.smooth_l1_loss, {"beta": 0.3}),
    ("nnf_smooth_l1_loss", F.smooth_l1_loss, {"beta": 0}),
    ("nnf_huber_loss", F.huber_loss, {}),
    ("nnf_huber_loss", F.huber_loss, {"delta": 0.4}),
]


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("name,tf,kw", PAIR_LOSSES)
def test_pair_losses_match_pytorch(name, tf, kw, reduction):
    g = rng(1)
    x, y = f32(g, 4, 5), f32(g, 4, 5)
    a, b = rt(x, True), rt(y, True)
    ta, tb = torch.tensor(x, requires_grad=True), torch.tensor(y, requires_grad=True)
    out = getattr(r, name)(a, b, reduction=reduction, **kw)
    tout = tf(ta, tb, reduction=reduction, **kw)
    backward(out, reduction)
    backward(tout, reduction)
    np.testing.assert_allclose(arr(out), tout.detach().numpy(), atol=ATOL)
    np.testing.assert_allclose(arr(a.grad), ta.grad.numpy(), atol=ATOL)
    np.testing.assert_allclose(arr(b.grad), tb.grad.numpy(), atol=ATOL)
    assert node(out) == tout.grad_fn.name()
    assert out.dtype == r.torch_float()


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_soft_margin_loss(reduction):
    g = rng(2)
    x, y = f32(g, 3, 4), np.sign(f32(g, 3, 4))
    a, ta = rt(x, True), torch.tensor(x, requires_grad=True)
    out = r.nnf_soft_margin_loss(a, rt(y), reduction=reduction)
    tout = F.soft_margin_loss(ta, torch.tensor(y), reduction=reduction)
    backward(out, reduction)
    backward(tout, reduction)
    np.testing.assert_allclose(arr(out), tout.detach().numpy(), atol=ATOL)
    np.testing.assert_allclose(arr(a.grad), ta.grad.numpy(), atol=ATOL)
    assert node(out) == tout.grad_fn.name() == "SoftMarginLossBackward0"


def test_soft_margin_target_not_differentiable():
    with pytest.raises(RuntimeError, match="not differentiable with respect to argument 'target'"):
        r.nnf_soft_margin_loss(r.torch_randn(3), r.torch_randn(3, requires_grad=True))


def test_mse_broadcast_warns_and_sums_gradient():
    x = f32(rng(3), 3)
    y = f32(rng(4), 3, 1)
    a, ta = rt(x, True), torch.tensor(x, requires_grad=True)
    with pytest.warns(UserWarning, match="target size"):
        out = r.nnf_mse_loss(a, rt(y))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tout = F.mse_loss(ta, torch.tensor(y))
    out.backward()
    tout.backward()
    np.testing.assert_allclose(arr(out), tout.detach().numpy(), atol=ATOL)
    np.testing.assert_allclose(arr(a.grad), ta.grad.numpy(), atol=ATOL)


def test_mse_double_backward():
    x, y = f32(rng(5), 6), f32(rng(6), 6)
    a, ta = rt(x, True), torch.tensor(x, requires_grad=True)
    (ga,) = r.autograd_grad(r.nnf_mse_loss(a, rt(y), reduction="sum"), a, create_graph=True)
    (tga,) = torch.autograd.grad(F.mse_loss(ta, torch.tensor(y), reduction="sum"), ta, create_graph=True)
    (ga * ga).sum().backward()
    (tga * tga).sum().backward()
    np.testing.assert_allclose(arr(a.grad), ta.grad.numpy(), atol=ATOL)


def test_mse_no_grad_and_double():
    x, y = rng(7).standard_normal((3, 2)), rng(8).standard_normal((3, 2))
    out = r.nnf_mse_loss(rt(x), rt(y, dtype=r.torch_double()).to(dtype=r.torch_float()), reduction="sum")
    assert out.grad_fn is None
    d = r.nnf_mse_loss(rt(x, dtype=r.torch_double()), rt(y, dtype=r.torch_double()))
    assert d.dtype == r.torch_double()
    np.testing.assert_allclose(arr(d), ((x - y) ** 2).mean(), rtol=1e-12)


# ---- nll_loss and cross_entropy -----------------------------------------------------------------

SHAPES = [((4, 5), (4,)), ((5,), ()), ((2, 5, 3), (2, 3)), ((2, 5, 3, 2), (2, 3, 2)), ((2, 5, 2, 2, 2), (2, 2, 2, 2))]
CE_OPTIONS = [{}, {"weight": True}, {"ignore_index": 2}, {"weight": True, "ignore_index": 0},
              {"label_smoothing": 0.1}, {"label_smoothing": 0.2, "weight": True, "ignore_index": 3}]


def _class_case(shape, tshape, seed):
    g = rng(seed)
    x = g.standard_normal(shape).astype(np.float32)
    t = g.integers(0, 5, tshape)
    t = np.asarray(t)
    t.reshape(-1)[:1] = 2  # the ignored class occurs
    return x, t, g.uniform(0.2, 2, 5).astype(np.float32)


def _kwargs(opts, w):
    rk, tk = {}, {}
    if opts.get("weight"):
        rk["weight"], tk["weight"] = rt(w), torch.tensor(w)
    if "ignore_index" in opts:
        rk["ignore_index"], tk["ignore_index"] = opts["ignore_index"] + 1, opts["ignore_index"]
    if "label_smoothing" in opts:
        rk["label_smoothing"] = tk["label_smoothing"] = opts["label_smoothing"]
    return rk, tk


CLASS_CASES = [(fn, opts) for fn in ["cross_entropy", "nll_loss"] for opts in CE_OPTIONS
               if not (fn == "nll_loss" and "label_smoothing" in opts)]


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("shape,tshape", SHAPES, ids=str)
@pytest.mark.parametrize("fn,opts", CLASS_CASES, ids=str)
def test_classification_losses_match_pytorch(fn, opts, shape, tshape, reduction):
    x, t, w = _class_case(shape, tshape, len(shape))
    rk, tk = _kwargs(opts, w)
    a, ta = rt(x, True), torch.tensor(x, requires_grad=True)
    out = getattr(r, "nnf_" + fn)(a, labels(t), reduction=reduction, **rk)
    tout = getattr(F, fn)(ta, torch.tensor(t), reduction=reduction, **tk)
    backward(out, reduction)
    backward(tout, reduction)
    np.testing.assert_allclose(arr(out), tout.detach().numpy(), atol=ATOL, equal_nan=True)
    np.testing.assert_allclose(arr(a.grad), ta.grad.numpy(), atol=ATOL)
    assert node(out) == tout.grad_fn.name()
    assert tuple(out.shape) == tuple(tout.shape)


def test_cross_entropy_graph_is_libtorchs():
    a = r.torch_randn(3, 5, requires_grad=True)
    out = r.nnf_cross_entropy(a, labels(np.array([0, 4, 2])))
    assert node(out) == "NllLossBackward0"
    assert out.grad_fn.next_functions[0].name == "LogSoftmaxBackward0"


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("smoothing", [0.0, 0.15])
@pytest.mark.parametrize("weighted", [False, True])
def test_cross_entropy_probability_targets(reduction, smoothing, weighted):
    g = rng(11)
    x = g.standard_normal((4, 5, 2)).astype(np.float32)
    p = g.uniform(size=(4, 5, 2)).astype(np.float32)
    p /= p.sum(axis=1, keepdims=True)
    w = g.uniform(0.5, 2, 5).astype(np.float32)
    a, ta = rt(x, True), torch.tensor(x, requires_grad=True)
    rk = {"weight": rt(w)} if weighted else {}
    tk = {"weight": torch.tensor(w)} if weighted else {}
    out = r.nnf_cross_entropy(a, rt(p), reduction=reduction, label_smoothing=smoothing, **rk)
    tout = F.cross_entropy(ta, torch.tensor(p), reduction=reduction, label_smoothing=smoothing, **tk)
    backward(out, reduction)
    backward(tout, reduction)
    np.testing.assert_allclose(arr(out), tout.detach().numpy(), atol=ATOL)
    np.testing.assert_allclose(arr(a.grad), ta.grad.numpy(), atol=ATOL)


def test_cross_entropy_double_backward():
    x = f32(rng(12), 3, 4)
    t = np.array([1, 0, 3])
    a, ta = rt(x, True), torch.tensor(x, requires_grad=True)
    (ga,) = r.autograd_grad(r.nnf_cross_entropy(a, labels(t)), a, create_graph=True)
    (tga,) = torch.autograd.grad(F.cross_entropy(ta, torch.tensor(t)), ta, create_graph=True)
    np.testing.assert_allclose(arr(ga), tga.detach().numpy(), atol=ATOL)
    (ga * ga).sum().backward()
    (tga * tga).sum().backward()
    np.testing.assert_allclose(arr(a.grad), ta.grad.numpy(), atol=ATOL)


def test_all_ignored_mean_is_nan_with_zero_gradient():
    a = r.torch_randn(2, 5, requires_grad=True)
    out = r.nnf_nll_loss(a, labels(np.array([1, 1])), ignore_index=2)
    out.backward()
    assert math.isnan(out.item())
    assert np.all(arr(a.grad) == 0)


def test_label_zero_is_r_torchs_error():
    with pytest.raises(RuntimeError, match="Indexing starts at 1 but found a 0."):
        r.nnf_cross_entropy(r.torch_randn(3, 5), r.torch_tensor(np.array([1, 0, 2]), dtype=r.torch_long()))


def test_label_above_classes_is_out_of_bounds():
    # R label 6 is libtorch's target 5 of 5 classes; libtorch reports the 0-based value
    with pytest.raises(IndexError, match="Target 5 is out of bounds."):
        r.nnf_cross_entropy(r.torch_randn(3, 5), r.torch_tensor(np.array([1, 6, 2]), dtype=r.torch_long()))
    with pytest.raises(IndexError, match="Target -1 is out of bounds."):
        r.nnf_nll_loss(r.torch_randn(3, 5), r.torch_tensor(np.array([1, -1, 2]), dtype=r.torch_long()))


def test_float_labels_are_libtorchs_error():
    with pytest.raises(RuntimeError, match="expected scalar type Long but found Float"):
        r.nnf_nll_loss(r.torch_randn(3, 5), r.torch_tensor(np.array([1.0, 2.0, 3.0])))
    with pytest.raises(RuntimeError, match="expected scalar type Long but found Float"):
        r.nnf_cross_entropy(r.torch_randn(3, 5), r.torch_tensor(np.array([1.0, 2.0, 3.0])))


def test_ignore_index_zero_is_an_error():
    with pytest.raises(ValueError, match="1 based class index"):
        r.nnf_cross_entropy(r.torch_randn(3, 5), labels(np.array([1, 2, 3])), ignore_index=0)


def test_shape_errors():
    with pytest.raises(ValueError, match=r"Expected input batch_size \(3\) to match target batch_size \(2\)."):
        r.nnf_nll_loss(r.torch_randn(3, 5), labels(np.array([1, 2])))
    with pytest.raises(RuntimeError, match="size mismatch"):
        r.nnf_nll_loss(r.torch_randn(2, 5, 3), labels(np.zeros((2, 4), np.int64)))
    with pytest.raises(RuntimeError, match="weight tensor should be defined either for all 5 classes"):
        r.nnf_nll_loss(r.torch_randn(3, 5), labels(np.array([1, 2, 0])), weight=r.torch_ones(4))


@pytest.mark.parametrize("fn", ["nnf_mse_loss", "nnf_l1_loss", "nnf_cross_entropy", "nnf_binary_cross_entropy",
                                "nnf_smooth_l1_loss", "nnf_hinge_embedding_loss"])
def test_unknown_reduction_is_an_error(fn):
    x = r.torch_rand(3, 5)
    target = labels(np.array([0, 1, 2])) if fn == "nnf_cross_entropy" else r.torch_rand(3, 5)
    with pytest.raises(ValueError, match="batch is not a valid value for reduction"):
        getattr(r, fn)(x, target, reduction="batch")


# ---- binary losses --------------------------------------------------------------------------------

@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("name,tf,pos_weight", [
    ("nnf_binary_cross_entropy", F.binary_cross_entropy, False),
    ("nnf_binary_cross_entropy_with_logits", F.binary_cross_entropy_with_logits, False),
    ("nnf_binary_cross_entropy_with_logits", F.binary_cross_entropy_with_logits, True),
])
def test_binary_losses_match_pytorch(name, tf, pos_weight, weighted, reduction):
    g = rng(13)
    p = g.uniform(0.01, 0.99, (4, 5)).astype(np.float32)
    q = g.uniform(size=(4, 5)).astype(np.float32)
    w = g.uniform(0.5, 2, 5).astype(np.float32)
    a, b = rt(p, True), rt(q, True)
    ta, tb = torch.tensor(p, requires_grad=True), torch.tensor(q, requires_grad=True)
    rk, tk = {}, {}
    if weighted:
        rk["weight"], tk["weight"] = rt(w), torch.tensor(w)
    if pos_weight:
        rk["pos_weight"], tk["pos_weight"] = rt(w * 3), torch.tensor(w * 3)
    out = getattr(r, name)(a, b, reduction=reduction, **rk)
    tout = tf(ta, tb, reduction=reduction, **tk)
    backward(out, reduction)
    backward(tout, reduction)
    np.testing.assert_allclose(arr(out), tout.detach().numpy(), atol=ATOL)
    np.testing.assert_allclose(arr(a.grad), ta.grad.numpy(), atol=ATOL)
    np.testing.assert_allclose(arr(b.grad), tb.grad.numpy(), atol=ATOL)
    assert node(out) == tout.grad_fn.name()


def test_bce_clamps_logs_at_minus_100():
    out = r.nnf_binary_cross_entropy(rt(np.array([0.0, 1.0], np.float32)), rt(np.array([1.0, 0.0], np.float32)),
                                     reduction="none")
    np.testing.assert_allclose(arr(out), [100, 100])


def test_bce_errors():
    with pytest.raises(RuntimeError, match="all elements of input should be between 0 and 1"):
        r.nnf_binary_cross_entropy(rt(np.array([1.5], np.float32)), rt(np.array([1.0], np.float32)))
    with pytest.raises(ValueError, match=r"target size \(3,1\) that is different to the input size \(3\)"):
        r.nnf_binary_cross_entropy(r.torch_rand(3), r.torch_rand(3, 1))
    with pytest.raises(ValueError, match=r"Target size \(3,1\) must be the same as input size \(3\)"):
        r.nnf_binary_cross_entropy_with_logits(r.torch_rand(3), r.torch_rand(3, 1))


# ---- composed losses ---------------------------------------------------------------------------------

def _composed_cases():
    g = rng(14)
    z = f32(g, 4, 5)
    pm = np.sign(f32(g, 4, 5))
    pm4 = np.sign(f32(g, 4))
    lab = (g.uniform(size=(4, 5)) > 0.5).astype(np.float32)
    cnt = g.poisson(2, (4, 5)).astype(np.float32)
    w5 = np.arange(5, dtype=np.float32)
    return [
        ("kl_div", lambda a, b, red: r.nnf_kl_div(a, b.softmax(2), reduction=red),
         lambda a, b, red: F.kl_div(a, b.softmax(1), reduction=red)),
        ("kl_div_log_target", lambda a, b, red: r.nnf_kl_div(a, b, reduction=red, log_target=True),
         lambda a, b, red: F.kl_div(a, b, reduction=red, log_target=True)),
        ("hinge", lambda a, b, red: r.nnf_hinge_embedding_loss(a, rt(pm), margin=0.5, reduction=red),
         lambda a, b, red: F.hinge_embedding_loss(a, torch.tensor(pm), margin=0.5, reduction=red)),
        ("margin_ranking", lambda a, b, red: r.nnf_margin_ranking_loss(a, b, rt(pm), margin=0.2, reduction=red),
         lambda a, b, red: F.margin_ranking_loss(a, b, torch.tensor(pm), margin=0.2, reduction=red)),
        ("multilabel_soft_margin", lambda a, b, red: r.nnf_multilabel_soft_margin_loss(a, rt(lab), reduction=red),
         lambda a, b, red: F.multilabel_soft_margin_loss(a, torch.tensor(lab), reduction=red)),
        ("multilabel_soft_margin_w",
         lambda a, b, red: r.nnf_multilabel_soft_margin_loss(a, rt(lab), weight=rt(w5), reduction=red),
         lambda a, b, red: F.multilabel_soft_margin_loss(a, torch.tensor(lab), weight=torch.tensor(w5),
                                                         reduction=red)),
        ("cosine", lambda a, b, red: r.nnf_cosine_embedding_loss(a, b, rt(pm4), margin=0.1, reduction=red),
         lambda a, b, red: F.cosine_embedding_loss(a, b, torch.tensor(pm4), margin=0.1, reduction=red)),
        ("poisson", lambda a, b, red: r.nnf_poisson_nll_loss(a, rt(cnt), reduction=red),
         lambda a, b, red: F.poisson_nll_loss(a, torch.tensor(cnt), reduction=red)),
        ("poisson_full", lambda a, b, red: r.nnf_poisson_nll_loss(a.exp(), rt(cnt), log_input=False, full=True,
                                                                  reduction=red),
         lambda a, b, red: F.poisson_nll_loss(a.exp(), torch.tensor(cnt), log_input=False, full=True,
                                              reduction=red)),
        ("triplet", lambda a, b, red: r.nnf_triplet_margin_loss(a, b, rt(z), reduction=red),
         lambda a, b, red: F.triplet_margin_loss(a, b, torch.tensor(z), reduction=red)),
        ("triplet_swap_p1", lambda a, b, red: r.nnf_triplet_margin_loss(a, b, rt(z), p=1, swap=True, margin=2,
                                                                        reduction=red),
         lambda a, b, red: F.triplet_margin_loss(a, b, torch.tensor(z), p=1, swap=True, margin=2, reduction=red)),
    ]


COMPOSED = _composed_cases()


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("name,rf,tf", COMPOSED, ids=[c[0] for c in COMPOSED])
def test_composed_losses_match_pytorch(name, rf, tf, reduction):
    g = rng(15)
    x, y = f32(g, 4, 5), f32(g, 4, 5)
    a, b = rt(x, True), rt(y, True)
    ta, tb = torch.tensor(x, requires_grad=True), torch.tensor(y, requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out, tout = rf(a, b, reduction), tf(ta, tb, reduction)
    backward(out, reduction)
    backward(tout, reduction)
    np.testing.assert_allclose(arr(out), tout.detach().numpy(), atol=ATOL)
    np.testing.assert_allclose(arr(a.grad), ta.grad.numpy(), atol=ATOL)
    if tb.grad is not None:
        np.testing.assert_allclose(arr(b.grad), tb.grad.numpy(), atol=ATOL)


def test_kl_div_batchmean_and_mean_warning():
    x = f32(rng(16), 4, 5)
    t = np.abs(f32(rng(17), 4, 5))
    out = r.nnf_kl_div(rt(x), rt(t), reduction="batchmean")
    np.testing.assert_allclose(arr(out), F.kl_div(torch.tensor(x), torch.tensor(t), reduction="batchmean"),
                               atol=ATOL)
    with pytest.warns(UserWarning, match="'batchmean' divides only by the batch size"):
        r.nnf_kl_div(rt(x), rt(t))


# ---- modules -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("module,args,fn,kw", [
    ("nn_mse_loss", {"reduction": "sum"}, "nnf_mse_loss", {"reduction": "sum"}),
    ("nn_l1_loss", {}, "nnf_l1_loss", {}),
    ("nn_smooth_l1_loss", {"beta": 0.5}, "nnf_smooth_l1_loss", {"beta": 0.5}),
    ("nn_huber_loss", {"delta": 0.5, "reduction": "none"}, "nnf_huber_loss", {"delta": 0.5, "reduction": "none"}),
    ("nn_soft_margin_loss", {}, "nnf_soft_margin_loss", {}),
    ("nn_multilabel_soft_margin_loss", {}, "nnf_multilabel_soft_margin_loss", {}),
    ("nn_hinge_embedding_loss", {"margin": 0.3}, "nnf_hinge_embedding_loss", {"margin": 0.3}),
    ("nn_poisson_nll_loss", {"full": True}, "nnf_poisson_nll_loss", {"full": True}),
])
def test_loss_modules_call_their_functional_form(module, args, fn, kw):
    r.torch_manual_seed(3)
    x, y = r.torch_rand(3, 4), r.torch_rand(3, 4)
    m = getattr(r, module)(**args)
    assert m._classes[:2] == (module, "nn_loss") or m._classes[1] == "nn_weighted_loss"
    np.testing.assert_array_equal(arr(m(x, y)), arr(getattr(r, fn)(x, y, **kw)))


def test_weighted_loss_modules():
    m = r.nn_cross_entropy_loss(weight=[1.0, 2.0, 3.0], ignore_index=2)
    assert m._classes == ("nn_cross_entropy_loss", "nn_weighted_loss", "nn_loss", "nn_module")
    assert "weight" in m.buffers and m.weight.dtype == r.torch_float()
    x, t = f32(rng(18), 4, 3), np.array([0, 1, 2, 1])
    out = m(rt(x), labels(t))
    tout = torch.nn.CrossEntropyLoss(weight=torch.tensor([1.0, 2.0, 3.0]), ignore_index=1)(torch.tensor(x),
                                                                                            torch.tensor(t))
    np.testing.assert_allclose(arr(out), tout.numpy(), atol=ATOL)
    nll = r.nn_nll_loss(reduction="none")
    np.testing.assert_allclose(arr(nll(rt(x), labels(t))), -x[np.arange(4), t], atol=ATOL)
    bce = r.nn_bce_with_logits_loss(pos_weight=r.torch_ones(3) * 2)
    assert "pos_weight" in bce.buffers


def test_three_input_loss_modules():
    g = rng(19)
    a, b, c = f32(g, 4, 5), f32(g, 4, 5), f32(g, 4, 5)
    y = np.sign(f32(g, 4))
    np.testing.assert_allclose(arr(r.nn_cosine_embedding_loss(margin=0.2)(rt(a), rt(b), rt(y))),
                               F.cosine_embedding_loss(torch.tensor(a), torch.tensor(b), torch.tensor(y), margin=0.2),
                               atol=ATOL)
    np.testing.assert_allclose(arr(r.nn_margin_ranking_loss(margin=0.1)(rt(a[0]), rt(b[0]), rt(np.sign(c[0])))),
                               F.margin_ranking_loss(torch.tensor(a[0]), torch.tensor(b[0]),
                                                     torch.tensor(np.sign(c[0])), margin=0.1), atol=ATOL)
    np.testing.assert_allclose(arr(r.nn_triplet_margin_loss(reduction="sum")(rt(a), rt(b), rt(c))),
                               F.triplet_margin_loss(torch.tensor(a), torch.tensor(b), torch.tensor(c),
                                                     reduction="sum"), atol=ATOL)


# ---- R torch's tests/testthat/test-nnf-loss.R and test-nn-loss.R ---------------------------------------

def test_testthat_nnf_mse_loss():
    x = r.torch_tensor(np.array([1.0, 2.0, 3.0]))
    y = r.torch_tensor(np.array([2.0, 3.0, 4.0]))
    assert r.nnf_mse_loss(x, y).item() == 1
    with pytest.warns(UserWarning, match="target size"):
        r.nnf_mse_loss(x, y.unsqueeze(2))


def test_testthat_nnf_binary_cross_entropy():
    x = r.torch_tensor(np.array([0.0, 1.0])).view(-1, 1)
    y = r.torch_tensor(np.array([0.0, 1.0])).view(-1, 1)
    assert r.nnf_binary_cross_entropy(x, y).item() == 0


def test_testthat_nnf_nll_loss():
    x = r.torch_randn(32, 10, 5)
    y = r.torch_randint(1, 10, size=(32, 5), dtype=r.torch_long())
    assert r.nnf_nll_loss(x, y).shape == ()
    x = r.torch_randn(2, 10)
    y = r.torch_tensor(np.array([1, -100]), dtype=r.torch_int64())
    o = r.nnf_nll_loss(x, y)
    o2 = r.nnf_nll_loss(x[1, :], y[1])
    np.testing.assert_allclose(arr(o), arr(o2))


def test_testthat_l1_loss():
    a = r.torch_randn(3, 5, requires_grad=True)
    out = r.nnf_l1_loss(a, r.torch_randn(3, 5))
    assert out.shape == ()
    out.backward()
    assert a.grad.shape == (3, 5)


def test_testthat_multilabel_soft_margin_loss():
    x = r.torch_tensor(np.array([[0.1, 0.2, 0.4, 0.8]]))
    y = r.torch_tensor(np.array([[0, 1, 1, 0]]), dtype=r.torch_int64())
    assert abs(r.nnf_multilabel_soft_margin_loss(x, y).item() - 0.7567) < 1e-4


def test_testthat_nn_bce_loss():
    a = r.torch_tensor(np.array([0.1]), requires_grad=True)
    out = r.nn_bce_loss()(a, r.torch_tensor(np.array([0.0])))
    out.backward()
    assert abs(out.item() - (-math.log(1 - 0.1))) < 1e-7


def test_testthat_nn_cross_entropy_loss():
    loss = r.nn_cross_entropy_loss()
    a = r.torch_randn(3, 5, requires_grad=True)
    out = loss(a, r.torch_randint(low=1, high=6, size=3, dtype=r.torch_long()))
    out.backward()
    assert out.shape == () and a.grad.shape == (3, 5)
    big = loss(r.torch_randn(1, 6, 100, 100, requires_grad=True),
               r.torch_randint(low=1, high=6, size=(1, 100, 100), dtype=r.torch_long()))
    assert big.shape == () and node(big) == "NllLoss2DBackward0"


def test_testthat_nn_kl_div_loss():
    a = r.torch_randn(3, 5, requires_grad=True)
    target = r.torch_randn(3, 5, requires_grad=True)
    with pytest.warns(UserWarning):
        out = r.nn_kl_div_loss()(a, target)
    out.backward()
    assert out.shape == ()


def test_testthat_nn_hinge_embedding_loss():
    a = r.torch_randn(3, 5, requires_grad=True)
    out = r.nn_hinge_embedding_loss()(a, r.torch_randn(3, 5, requires_grad=True))
    out.backward()
    assert out.shape == ()


@pytest.mark.parametrize("module", ["nn_smooth_l1_loss", "nn_soft_margin_loss", "nn_multilabel_soft_margin_loss"])
def test_testthat_scalar_losses(module):
    assert getattr(r, module)()(r.torch_randn(3, 5, requires_grad=True), r.torch_randn(3, 5)).shape == ()


def test_testthat_cosine_embedding_loss():
    out = r.nn_cosine_embedding_loss()(r.torch_randn(5, 5, requires_grad=True), r.torch_randn(5, 5,
                                                                                               requires_grad=True),
                                       r.torch_randn(5))
    assert out.shape == ()


def test_testthat_nn_l1_loss():
    x, y = r.torch_randn(10), r.torch_randn(10)
    np.testing.assert_allclose(arr(r.nn_l1_loss()(x, y)), arr(r.torch_mean(r.torch_abs(x - y))))


# ---- multi-class margin losses ----------------------------------------------------------------------

@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("shape", [(6, 5), (5,)], ids=str)
@pytest.mark.parametrize("p,weighted", [(1, False), (2, False), (1, True), (2, True)])
def test_multi_margin_loss_matches_pytorch(shape, p, weighted, reduction):
    g = rng(20)
    x = f32(g, *shape)
    t = np.asarray(g.integers(0, 5, shape[:-1]))
    w = g.uniform(0.5, 2, 5).astype(np.float32)
    a, ta = rt(x, True), torch.tensor(x, requires_grad=True)
    out = r.nnf_multi_margin_loss(a, labels(t), p=p, margin=0.7, weight=rt(w) if weighted else None,
                                  reduction=reduction)
    tout = F.multi_margin_loss(ta, torch.tensor(t), p=p, margin=0.7, weight=torch.tensor(w) if weighted else None,
                               reduction=reduction)
    backward(out, reduction)
    backward(tout, reduction)
    np.testing.assert_allclose(arr(out), tout.detach().numpy(), atol=ATOL)
    np.testing.assert_allclose(arr(a.grad), ta.grad.numpy(), atol=ATOL)
    assert tuple(out.shape) == tuple(tout.shape) and node(out) == tout.grad_fn.name()


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("targets", [np.array([[3, 0, -1, 1], [1, 2, 3, 0], [-1, 0, 0, 0], [0, -1, 2, 2]]),
                                     np.array([3, 0, -1, 1])], ids=["matrix", "vector"])
def test_multilabel_margin_loss_matches_pytorch(targets, reduction):
    x = f32(rng(21), *targets.shape)
    a, ta = rt(x, True), torch.tensor(x, requires_grad=True)
    r_targets = r.torch_tensor(np.where(targets >= 0, targets + 1, targets), dtype=r.torch_long())
    out = r.nnf_multilabel_margin_loss(a, r_targets, reduction=reduction)
    tout = F.multilabel_margin_loss(ta, torch.tensor(targets), reduction=reduction)
    backward(out, reduction)
    backward(tout, reduction)
    np.testing.assert_allclose(arr(out), tout.detach().numpy(), atol=ATOL)
    np.testing.assert_allclose(arr(a.grad), ta.grad.numpy(), atol=ATOL)
    assert tuple(out.shape) == tuple(tout.shape) and node(out) == tout.grad_fn.name()


def test_multi_margin_errors():
    with pytest.raises(RuntimeError, match="only p == 1 and p == 2 supported"):
        r.nnf_multi_margin_loss(r.torch_randn(3, 4), labels(np.array([0, 1, 2])), p=3)
    with pytest.raises(ValueError, match="only p == 1 or p == 2 are supported."):
        r.nn_multi_margin_loss(p=3)
    with pytest.raises(RuntimeError, match="target out of range"):
        r.nnf_multi_margin_loss(r.torch_randn(3, 4), labels(np.array([0, 4, 2])))


def test_testthat_multilabel_margin_loss():
    x = r.torch_tensor(np.array([[0.1, 0.2, 0.4, 0.8]]))
    y = r.torch_tensor(np.array([[4, 1, -1, 2]]), dtype=r.torch_int64())
    assert abs(r.nnf_multilabel_margin_loss(x, y).item() - 0.85) < 1e-6
    loss = r.nn_multilabel_margin_loss()
    o = loss(x.view(1, 4), y.view(1, 4))
    assert abs(o.item() - 0.85) < 1e-5 and o.shape == ()
    with pytest.raises(RuntimeError, match="Indexing starts at 1 but found a 0."):
        loss(x, r.torch_tensor(np.array([[4, 0, -1, 2]]), dtype=r.torch_long()))


def test_testthat_nn_multi_margin_loss():
    loss = r.nn_multi_margin_loss()
    o = loss(r.torch_randn(100, 5, requires_grad=True),
             r.torch_randint(low=1, high=5, size=100, dtype=r.torch_long()))
    assert o.shape == ()


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("swap", [False, True])
def test_triplet_margin_with_distance_loss(swap, reduction):
    g = rng(22)
    a, p, n = f32(g, 4, 5), f32(g, 4, 5), f32(g, 4, 5)
    ra, ta = rt(a, True), torch.tensor(a, requires_grad=True)
    out = r.nnf_triplet_margin_with_distance_loss(ra, rt(p), rt(n), swap=swap, margin=0.5, reduction=reduction)
    tout = F.triplet_margin_with_distance_loss(ta, torch.tensor(p), torch.tensor(n), swap=swap, margin=0.5,
                                               reduction=reduction)
    backward(out, reduction)
    backward(tout, reduction)
    np.testing.assert_allclose(arr(out), tout.detach().numpy(), atol=ATOL)
    np.testing.assert_allclose(arr(ra.grad), ta.grad.numpy(), atol=ATOL)
    l1 = r.nn_triplet_margin_with_distance_loss(distance_function=lambda x, y: (x - y).abs().sum(dim=2))
    tl1 = torch.nn.TripletMarginWithDistanceLoss(distance_function=lambda x, y: (x - y).abs().sum(dim=1))
    np.testing.assert_allclose(arr(l1(rt(a), rt(p), rt(n))), tl1(torch.tensor(a), torch.tensor(p),
                                                               torch.tensor(n)).numpy(), atol=ATOL)


@pytest.mark.parametrize("fn,kernel", [("nnf_mse_loss", "mse_cpu"), ("nnf_smooth_l1_loss", "smooth_l1_cpu"),
                                       ("nnf_huber_loss", "huber_cpu"),
                                       ("nnf_binary_cross_entropy", "binary_cross_entropy")])
def test_integer_inputs_are_libtorchs_error(fn, kernel):
    x = r.torch_tensor(np.array([1, 2]), dtype=r.torch_long())
    with pytest.raises(RuntimeError, match=f'"{kernel}" not implemented for \'Long\''):
        getattr(r, fn)(x, x)
