"""`nn_multihead_attention` and `nnf_multi_head_attention_forward`: outputs, attention weights (averaged and
per head), gradients of the inputs and of every parameter, boolean and additive masks, kdim / vdim,
add_bias_kv, add_zero_attn, batch_first and seeded initial weights against PyTorch (libtorch, what R torch
wraps), and the blocks of R torch's test-nn-activation.R on multihead attention."""
import math

import numpy as np
import pytest

import rtorch as r
from tests._require import require

torch = require("torch")
F = torch.nn.functional
from tests._compare import ATOL, arr, f32, rt  # noqa: E402,F401
from tests._compare import close as _close  # noqa: E402


def close(a, b, atol=ATOL):
    _close(a, b, atol=atol, rtol=1e-5)


def pair(embed_dim, num_heads, seed=0, **kw):
    """The rtorch module and PyTorch's, built after the same seed (so with the same initial weights)."""
    r.torch_manual_seed(seed)
    mine = r.nn_multihead_attention(embed_dim, num_heads, **kw)
    torch.manual_seed(seed)
    theirs = torch.nn.MultiheadAttention(embed_dim, num_heads, **kw)
    return mine, theirs


def same_params(mine, theirs, atol=0):
    names = [n for n, _ in theirs.named_parameters()]
    assert sorted(mine.parameters) == sorted(names)
    for n, p in theirs.named_parameters():
        close(mine.parameters[n], p, atol)


def inputs(g, kind, L, S, N, E, kdim, vdim, batch_first):
    """(query, key, value) arrays; `kind` is self (one tensor), kv (key is value) or cross (three)."""
    def shape(T, D):
        return (N, T, D) if batch_first else (T, N, D)
    q = f32(g, *shape(L, E))
    if kind == "self":
        return q, None, None
    k = f32(g, *shape(S, kdim))
    return q, k, (None if kind == "kv" else f32(g, *shape(S, vdim)))


def run_both(mine, theirs, q, k, v, grad_seed=0, **kw):
    """Forward and backward through both; returns (mine's out, weights, inputs), (theirs' ...)."""
    rq = rt(q, True)
    rk = rq if k is None else rt(k, True)
    rv = rk if v is None and k is not None else (rq if v is None else rt(v, True))
    tq = torch.tensor(q, requires_grad=True)
    tk = tq if k is None else torch.tensor(k, requires_grad=True)
    tv = tk if v is None and k is not None else (tq if v is None else torch.tensor(v, requires_grad=True))
    r_kw = dict(kw)
    t_kw = {("average_attn_weights" if n == "avg_weights" else n): x for n, x in kw.items()}
    for n in ("attn_mask", "key_padding_mask"):
        if n in kw and kw[n] is not None:
            r_kw[n] = rt(kw[n])
            t_kw[n] = torch.tensor(kw[n])
    out, w = mine(rq, rk, rv, **r_kw)
    tout, tw = theirs(tq, tk, tv, **t_kw)
    g = f32(np.random.default_rng(grad_seed), *tout.shape)
    (out * rt(g)).sum().backward()
    (tout * torch.tensor(g)).sum().backward()
    return (out, w, (rq, rk, rv)), (tout, tw, (tq, tk, tv))


def compare(mine, theirs, got, want, atol=ATOL):
    out, w, ins = got
    tout, tw, tins = want
    assert tuple(out.shape) == tuple(tout.shape)
    close(out, tout, atol)
    if tw is None:
        assert w is None
    else:
        assert tuple(w.shape) == tuple(tw.shape)
        close(w, tw, atol)
    for a, b in zip(ins, tins):
        if b.grad is not None:
            close(a.grad, b.grad, 1e-4)
    for n, p in theirs.named_parameters():
        close(mine.parameters[n].grad, p.grad, 1e-4)


# ---- forward, weights and gradients --------------------------------------------------------------

CONFIGS = [
    # E, H, kind, kdim, vdim, extra
    (8, 2, "self", None, None, {}),
    (8, 2, "kv", None, None, {}),
    (8, 2, "cross", None, None, {}),
    (8, 4, "cross", None, None, {"bias": False}),
    (8, 2, "kv", None, None, {"bias": False}),
    (6, 3, "cross", 5, 7, {}),
    (6, 2, "cross", 4, 6, {"bias": False}),
    (8, 2, "cross", None, None, {"add_bias_kv": True}),
    (8, 2, "self", None, None, {"add_zero_attn": True}),
    (8, 2, "cross", 3, 5, {"add_bias_kv": True, "add_zero_attn": True}),
    (12, 3, "cross", None, None, {"batch_first": True}),
    (12, 3, "self", None, None, {"batch_first": True, "add_bias_kv": True}),
    (6, 1, "cross", 4, 4, {"batch_first": True}),
]


@pytest.mark.parametrize("avg_weights", [True, False])
@pytest.mark.parametrize("E,H,kind,kdim,vdim,extra", CONFIGS, ids=lambda c: str(c).replace(" ", ""))
def test_multihead_attention_matches_pytorch(E, H, kind, kdim, vdim, extra, avg_weights):
    mine, theirs = pair(E, H, seed=E + H, kdim=kdim, vdim=vdim, **extra)
    same_params(mine, theirs)
    g = np.random.default_rng(E * H)
    L, S, N = 4, 5, 3
    q, k, v = inputs(g, kind, L, S if kind != "self" else L, N, E, kdim or E, vdim or E,
                     extra.get("batch_first", False))
    got, want = run_both(mine, theirs, q, k, v, avg_weights=avg_weights)
    compare(mine, theirs, got, want)
    src = (L if kind == "self" else S) + extra.get("add_bias_kv", False) + extra.get("add_zero_attn", False)
    assert tuple(got[1].shape) == ((N, L, src) if avg_weights else (N, H, L, src))


def test_need_weights_false_returns_null_weights():
    mine, theirs = pair(8, 2, seed=3)
    g = np.random.default_rng(3)
    q, k, v = inputs(g, "cross", 4, 6, 2, 8, 8, 8, False)
    got, want = run_both(mine, theirs, q, k, v, need_weights=False)
    assert got[1] is None and want[1] is None
    compare(mine, theirs, got, want)


def test_equal_valued_but_distinct_inputs_each_get_their_gradient():
    # the fused in-projection is for one tensor passed three times (PyTorch's `query is key`); equal values
    # in distinct tensors take the separate path, so key and value get gradients (R torch's torch_equal
    # test would leave them none)
    mine, theirs = pair(6, 2, seed=6)
    x = f32(np.random.default_rng(6), 3, 2, 6)
    got, want = run_both(mine, theirs, x, x.copy(), x.copy())
    compare(mine, theirs, got, want)
    for a in got[2]:
        assert a.grad is not None and np.abs(arr(a.grad)).sum() > 0


def test_output_grad_fn_and_dtype_follow_the_input():
    mine, _ = pair(4, 2, seed=1)
    x = rt(f32(np.random.default_rng(1), 3, 2, 4), True)
    out, w = mine(x, x, x)
    assert out.dtype == r.torch_float32() and w.dtype == r.torch_float32()
    assert out.requires_grad and w.requires_grad
    mine = mine.to(dtype=r.torch_float64())
    xd = x.detach().to(dtype=r.torch_float64())
    out, w = mine(xd, xd, xd)
    assert out.dtype == r.torch_float64() and w.dtype == r.torch_float64()


# ---- masks ------------------------------------------------------------------------------------------

def _masks(g, L, S, N, H):
    bool2 = g.random((L, S)) < 0.3
    bool2[:, 0] = False                            # no row masked out entirely (that is NaN in both)
    bool3 = g.random((N * H, L, S)) < 0.3
    bool3[:, :, 0] = False
    kpm = g.random((N, S)) < 0.3
    kpm[:, 0] = False
    return {
        "bool 2-D attn_mask": {"attn_mask": bool2},
        "float 2-D attn_mask": {"attn_mask": f32(g, L, S)},
        "causal float attn_mask": {"attn_mask": np.triu(np.full((L, S), -np.inf, np.float32), 1)},
        "bool 3-D attn_mask": {"attn_mask": bool3},
        "float 3-D attn_mask": {"attn_mask": f32(g, N * H, L, S)},
        "bool key_padding_mask": {"key_padding_mask": kpm},
        "float key_padding_mask": {"key_padding_mask": np.where(kpm, -np.inf, 0).astype(np.float32)},
        "bool attn_mask and bool key_padding_mask": {"attn_mask": bool2, "key_padding_mask": kpm},
        "float attn_mask and float key_padding_mask": {"attn_mask": f32(g, L, S),
                                                       "key_padding_mask": f32(g, N, S)},
    }


MASK_CASES = list(_masks(np.random.default_rng(0), 4, 5, 3, 2))


@pytest.mark.parametrize("extra", [{}, {"add_bias_kv": True}, {"add_zero_attn": True},
                                   {"add_bias_kv": True, "add_zero_attn": True, "batch_first": True}],
                         ids=["plain", "bias_kv", "zero_attn", "both,batch_first"])
@pytest.mark.parametrize("case", MASK_CASES)
def test_masks_match_pytorch(case, extra):
    L, S, N, H, E = 4, 5, 3, 2, 8
    masks = _masks(np.random.default_rng(0), L, S, N, H)[case]
    mine, theirs = pair(E, H, seed=11, **extra)
    q, k, v = inputs(np.random.default_rng(5), "cross", L, S, N, E, E, E, extra.get("batch_first", False))
    got, want = run_both(mine, theirs, q, k, v, avg_weights=False, **masks)
    compare(mine, theirs, got, want)
    assert not np.isnan(arr(got[0])).any()


def test_a_boolean_mask_zeroes_the_masked_weights():
    mine, _ = pair(4, 2, seed=2)
    x = rt(f32(np.random.default_rng(2), 3, 2, 4))
    causal = r.torch_triu(r.torch_ones(3, 3), diagonal=1).to(dtype=r.torch_bool())
    _, w = mine(x, x, x, attn_mask=causal, avg_weights=False)
    w = arr(w)
    assert np.all(w[:, :, np.triu_indices(3, 1)[0], np.triu_indices(3, 1)[1]] == 0)
    np.testing.assert_allclose(w.sum(-1), 1, atol=1e-6)
    kpm = rt(np.array([[False, False, True], [False, True, True]]))
    _, w = mine(x, x, x, key_padding_mask=kpm)
    w = arr(w)
    assert np.all(w[0, :, 2] == 0) and np.all(w[1, :, 1:] == 0)


# ---- dropout ----------------------------------------------------------------------------------------

def test_dropout_on_the_weights_follows_the_seed_and_is_off_in_eval():
    mine, theirs = pair(8, 2, seed=4, dropout=0.3)
    q, k, v = inputs(np.random.default_rng(4), "cross", 4, 5, 3, 8, 8, 8, False)
    r.torch_manual_seed(9)
    torch.manual_seed(9)
    got, want = run_both(mine, theirs, q, k, v, avg_weights=False)
    compare(mine, theirs, got, want)
    w = arr(got[1])
    assert (w == 0).any()                      # some weights dropped, the rest scaled by 1 / 0.7
    mine.eval()
    theirs.eval()
    for m in (mine, theirs):
        m.zero_grad()
    got, want = run_both(mine, theirs, q, k, v, avg_weights=False)
    compare(mine, theirs, got, want)
    np.testing.assert_allclose(arr(got[1]).sum(-1), 1, atol=1e-5)


# ---- the functional form --------------------------------------------------------------------------

def test_functional_matches_pytorch_with_static_k_and_v():
    g = np.random.default_rng(8)
    L, S, N, E, H = 3, 4, 2, 6, 2
    q, k, v = f32(g, L, N, E), f32(g, S, N, E), f32(g, S, N, E)
    w_in, b_in, w_out, b_out = f32(g, 3 * E, E), f32(g, 3 * E), f32(g, E, E), f32(g, E)
    sk, sv = f32(g, N * H, S + 1, E // H), f32(g, N * H, S + 1, E // H)
    mine = r.nnf_multi_head_attention_forward(
        rt(q), rt(k), rt(v), E, H, rt(w_in), rt(b_in), None, None, False, 0, rt(w_out), rt(b_out),
        training=False, static_k=rt(sk), static_v=rt(sv), avg_weights=False)
    theirs = F.multi_head_attention_forward(
        *(torch.tensor(a) for a in (q, k, v)), E, H, torch.tensor(w_in), torch.tensor(b_in), None, None, False,
        0.0, torch.tensor(w_out), torch.tensor(b_out), training=False, static_k=torch.tensor(sk),
        static_v=torch.tensor(sv), average_attn_weights=False)
    close(mine[0], theirs[0])
    close(mine[1], theirs[1])


def test_functional_separate_projection_weights_match_pytorch():
    g = np.random.default_rng(9)
    L, S, N, E, H, kd, vd = 3, 4, 2, 6, 3, 5, 2
    q, k, v = f32(g, L, N, E), f32(g, S, N, kd), f32(g, S, N, vd)
    wq, wk, wv = f32(g, E, E), f32(g, E, kd), f32(g, E, vd)
    b_in, w_out, b_out = f32(g, 3 * E), f32(g, E, E), f32(g, E)
    rargs = [rt(a, True) for a in (q, k, v, wq, wk, wv, b_in, w_out, b_out)]
    targs = [torch.tensor(a, requires_grad=True) for a in (q, k, v, wq, wk, wv, b_in, w_out, b_out)]

    def call(lib, f, a, **kw):
        return f(a[0], a[1], a[2], E, H, None, a[6], None, None, False, 0.0, a[7], a[8], training=True,
                 use_separate_proj_weight=True, q_proj_weight=a[3], k_proj_weight=a[4], v_proj_weight=a[5],
                 **kw)
    mine = call(r, r.nnf_multi_head_attention_forward, rargs)
    theirs = call(torch, F.multi_head_attention_forward, targs)
    (mine[0].sum() + (mine[1] * rt(np.arange(L * S, dtype=np.float32).reshape(L, S))).sum()).backward()
    (theirs[0].sum() + (theirs[1] * torch.arange(L * S, dtype=torch.float32).reshape(L, S)).sum()).backward()
    close(mine[0], theirs[0])
    close(mine[1], theirs[1])
    for a, b in zip(rargs, targs):
        close(a.grad, b.grad, 1e-4)


# ---- seeded initial weights -------------------------------------------------------------------------

@pytest.mark.parametrize("kw", [
    {}, {"bias": False}, {"add_bias_kv": True}, {"kdim": 3, "vdim": 5}, {"kdim": 3, "vdim": 5, "bias": False},
    {"add_bias_kv": True, "kdim": 7, "add_zero_attn": True, "batch_first": True},
], ids=str)
def test_seeded_initial_weights_match_pytorch(kw):
    for seed in (0, 1, 123):
        mine, theirs = pair(8, 2, seed=seed, **kw)
        same_params(mine, theirs)
        # the next draw after construction agrees too: both consumed the generator alike
        close(r.torch_randn(3), torch.randn(3), 0)


def test_parameters_are_registered_as_r_torch_registers_them():
    m = r.nn_multihead_attention(8, 2, add_bias_kv=True)
    assert list(m.named_parameters(recursive=False)) == ["in_proj_weight", "in_proj_bias", "bias_k", "bias_v"]
    assert list(m.parameters) == ["out_proj.weight", "out_proj.bias", "in_proj_weight", "in_proj_bias",
                                  "bias_k", "bias_v"]
    assert m.in_proj_weight.shape == (24, 8) and m.bias_k.shape == (1, 1, 8)
    assert m.q_proj_weight is None and m.k_proj_weight is None and m.v_proj_weight is None
    m = r.nn_multihead_attention(8, 2, kdim=3, vdim=5, bias=False)
    assert list(m.named_parameters(recursive=False)) == ["q_proj_weight", "k_proj_weight", "v_proj_weight"]
    assert m.in_proj_weight is None and m.in_proj_bias is None and m.bias_k is None and m.out_proj.bias is None
    assert (m.q_proj_weight.shape, m.k_proj_weight.shape, m.v_proj_weight.shape) == ((8, 8), (8, 3), (8, 5))
    assert m.head_dim == 4 and m.kdim == 3 and m.vdim == 5 and not m.qkv_same_embed_dim_
    assert sorted(m.state_dict()) == ["k_proj_weight", "out_proj.weight", "q_proj_weight", "v_proj_weight"]


def test_state_dict_loads_into_pytorch():
    mine, _ = pair(6, 3, seed=5, add_bias_kv=True, kdim=4)
    theirs = torch.nn.MultiheadAttention(6, 3, add_bias_kv=True, kdim=4)
    theirs.load_state_dict({n: torch.tensor(arr(p)) for n, p in mine.state_dict().items()})
    same_params(mine, theirs)


# ---- R torch's testthat (test-nn-activation.R) ------------------------------------------------------

def test_r_multihead_attention_works():
    attn1 = r.nn_multihead_attention(embed_dim=10, num_heads=1)
    attn2 = r.nn_multihead_attention(embed_dim=10, num_heads=1, batch_first=True)
    attn2.load_state_dict(attn1.state_dict())
    q, k, v = r.torch_randn(5, 32, 10), r.torch_randn(5, 32, 10), r.torch_randn(5, 32, 10)
    res1 = attn1(q, k, v)
    res2 = attn2(q.transpose(2, 1), k.transpose(2, 1), v.transpose(2, 1))
    np.testing.assert_allclose(arr(res1[0]), arr(res2[0].transpose(2, 1)), atol=1e-6)
    np.testing.assert_allclose(arr(res1[1]), arr(res2[1]), atol=1e-6)

    # comparing to python results
    r.torch_manual_seed(1)
    attn1 = r.nn_multihead_attention(embed_dim=2, num_heads=1)
    x = r.torch_randn(1, 1, 2)
    out = attn1(x, x, x)
    np.testing.assert_allclose(arr(out[0][1, 1, :]), [0.0736, -0.0599], atol=1e-4)
    np.testing.assert_allclose(arr(out[1][1, 1, :]), [1], atol=1e-4)
    np.testing.assert_allclose(arr(attn1.in_proj_weight[1, :]), [-0.1782, 0.4406], atol=1e-4)
    np.testing.assert_allclose(arr(attn1.out_proj.weight[1, :]), [0.3643, -0.3121], atol=1e-4)

    # raise error when embed_dim is not divisible by num_heads
    with pytest.raises(ValueError, match="divisible"):
        r.nn_multihead_attention(embed_dim=512, num_heads=10)


def test_r_multihead_attention_works_with_bias_false_and_query_not_key():
    x = r.torch_randn(4, 3, 8)
    q = x[:, 1, r.drop(False)]                  # R's x[, 1, drop = FALSE]
    attn = r.nn_multihead_attention(embed_dim=8, num_heads=2, bias=False, batch_first=True)
    out = attn(query=q, key=x, value=x, need_weights=False)
    assert tuple(out[0].shape) == (4, 1, 8)
    v = r.torch_randn(4, 3, 8)
    assert tuple(attn(query=q, key=x, value=v, need_weights=False)[0].shape) == (4, 1, 8)
    assert tuple(attn(query=x, key=x, value=x, need_weights=False)[0].shape) == (4, 3, 8)
    attn_bias = r.nn_multihead_attention(embed_dim=8, num_heads=2, bias=True, batch_first=True)
    assert tuple(attn_bias(query=q, key=x, value=x, need_weights=False)[0].shape) == (4, 1, 8)


# ---- bad input --------------------------------------------------------------------------------------

def _bad_calls():
    m = r.nn_multihead_attention(8, 2)
    x = r.torch_randn(4, 3, 8)
    y = r.torch_randn(5, 3, 8)
    return m, x, y


@pytest.mark.parametrize("call,err,msg", [
    (lambda m, x, y: m(x, y, y, attn_mask=r.torch_zeros(4, 4)), ValueError,
     r"shape of the 2D attn_mask is \[4, 4\], but should be \[4, 5\]"),
    (lambda m, x, y: m(x, y, y, attn_mask=r.torch_zeros(3, 4, 5)), ValueError,
     r"shape of the 3D attn_mask is \[3, 4, 5\], but should be \[6, 4, 5\]"),
    (lambda m, x, y: m(x, y, y, attn_mask=r.torch_zeros(1, 1, 4, 5)), ValueError, r"dimension 4 is not supported"),
    (lambda m, x, y: m(x, y, y, key_padding_mask=r.torch_zeros(3, 4)), ValueError,
     r"expecting key_padding_mask shape of \[3, 5\], but got \[3, 4\]"),
    (lambda m, x, y: m(x, y, y, key_padding_mask=r.torch_zeros(5, 3)), ValueError, r"key_padding_mask shape"),
    (lambda m, x, y: m(x, y, y, attn_mask=r.torch_zeros(4, 5, dtype=r.torch_long())), TypeError,
     r"only bool and floating types of attn_mask"),
    (lambda m, x, y: m(x, y, y, key_padding_mask=r.torch_zeros(3, 5, dtype=r.torch_uint8())), TypeError,
     r"only bool and floating types of key_padding_mask"),
    (lambda m, x, y: m(r.torch_randn(4, 3, 6), y, y), ValueError, r"expecting embedding dimension of 8, but got 6"),
    (lambda m, x, y: m(x, y, x), ValueError, r"key shape \[5, 3, 8\] does not match value shape \[4, 3, 8\]"),
    (lambda m, x, y: m(x, r.torch_randn(5, 2, 8), r.torch_randn(5, 2, 8)), ValueError, r"batch size"),
    (lambda m, x, y: m(r.torch_randn(4, 8), y, y), ValueError, r"3-D tensor"),
    (lambda m, x, y: m(x, "key", y), TypeError, r"`key` must be a torch_tensor"),
], ids=["2d mask", "3d mask", "4d mask", "kpm short", "kpm transposed", "long mask", "byte kpm",
        "embed dim", "key value", "batch", "2-D query", "not a tensor"])
def test_bad_input_is_a_clear_error(call, err, msg):
    m, x, y = _bad_calls()
    with pytest.raises(err, match=msg):
        call(m, x, y)


def test_bad_construction_is_a_clear_error():
    with pytest.raises(ValueError, match="bias_k and bias_v must both be given"):
        r.nnf_multi_head_attention_forward(*(r.torch_randn(2, 1, 6),) * 3, 6, 2, r.torch_randn(18, 6), None,
                                           r.torch_randn(1, 1, 6), None, False, 0, r.torch_randn(6, 6), None)
    with pytest.raises(ValueError, match="expecting static_k of shape"):
        r.nnf_multi_head_attention_forward(*(r.torch_randn(2, 1, 6),) * 3, 6, 2, r.torch_randn(18, 6), None,
                                           None, None, False, 0, r.torch_randn(6, 6), None,
                                           static_k=r.torch_randn(1, 2, 3))
    with pytest.raises(ValueError, match="embed_dim must be divisible by num_heads"):
        r.nn_multihead_attention(10, 3)
    with pytest.raises(ValueError, match="not divisible by num_heads"):
        r.nnf_multi_head_attention_forward(*(r.torch_randn(2, 1, 6),) * 3, 6, 4, r.torch_randn(18, 6), None,
                                           None, None, False, 0, r.torch_randn(6, 6), None)
