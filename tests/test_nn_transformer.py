"""`nn_transformer_encoder_layer` and `nn_transformer_encoder`: seeded weights and state_dict keys, outputs and
gradients (eval mode, weights loaded from PyTorch's module) against PyTorch's TransformerEncoderLayer /
TransformerEncoder, post-norm and pre-norm, batch_first, masks, gelu and a function as activation, the
encoder with a final norm; the blocks of R torch's test-nn-transformer.R; bad input."""
import numpy as np
import pytest

import rtorch as r
from tests._require import require

torch = require("torch")
ATOL = 1e-5


def arr(t):
    return np.asarray(t.detach())


def close(a, b, atol=ATOL):
    np.testing.assert_allclose(arr(a), b.detach().numpy() if isinstance(b, torch.Tensor) else b, atol=atol, rtol=1e-5)


def load_from(mine, theirs):
    """Copy PyTorch's weights into mine (bias=False: PyTorch's norms keep a weight, R torch's have none)."""
    mine.load_state_dict({n: r.torch_tensor(p.detach().numpy().copy()) for n, p in theirs.state_dict().items()
                          if n in mine.parameters})


def run_both(mine, theirs, x, rkw=None, tkw=None, seed=1):
    rx = r.torch_tensor(x)
    rx.requires_grad_(True)
    tx = torch.tensor(x, requires_grad=True)
    out = mine(rx, **(rkw or {}))
    tout = theirs(tx, **(tkw or {}))
    g = np.random.default_rng(seed).standard_normal(tout.shape).astype(np.float32)
    (out * r.torch_tensor(g)).sum().backward()
    (tout * torch.tensor(g)).sum().backward()
    close(out, tout)
    close(rx.grad, tx.grad, 1e-4)
    for n, p in theirs.named_parameters():
        if n in mine.parameters:
            close(mine.parameters[n].grad, p.grad, 1e-4)
    return out


def layer_pair(seed=0, **kw):
    r.torch_manual_seed(seed)
    mine = r.nn_transformer_encoder_layer(**kw)
    tkw = dict(kw)
    if callable(tkw.get("activation")):
        tkw["activation"] = torch.nn.functional.silu
    elif isinstance(tkw.get("activation"), str):
        tkw["activation"] = tkw["activation"].lower()  # R torch lowercases the name, PyTorch does not
    torch.manual_seed(seed)
    theirs = torch.nn.TransformerEncoderLayer(**tkw)
    return mine, theirs


def x_for(g, L, N, E, batch_first=False):
    return g.standard_normal((N, L, E) if batch_first else (L, N, E)).astype(np.float32)


@pytest.mark.parametrize("kw", [{}, {"norm_first": True}, {"batch_first": True}, {"activation": "gelu"},
                                {"activation": "GELU", "norm_first": True, "batch_first": True},
                                {"bias": False}, {"layer_norm_eps": 1e-3}])
def test_seeded_weights_and_names_match_pytorch(kw):
    mine, theirs = layer_pair(3, d_model=8, nhead=2, dim_feedforward=16, **kw)
    names = [n for n, _ in theirs.named_parameters()]
    if kw.get("bias") is False:  # R torch: elementwise_affine = bias, so no norm weights either
        names = [n for n in names if not n.startswith("norm")]
    assert sorted(mine.parameters) == sorted(names)
    for n in names:
        close(mine.parameters[n], dict(theirs.named_parameters())[n], 0)


@pytest.mark.parametrize("kw", [{}, {"norm_first": True}, {"batch_first": True},
                                {"batch_first": True, "norm_first": True}, {"activation": "gelu"},
                                {"activation": r.nnf_silu}, {"bias": False}, {"bias": False, "norm_first": True}])
def test_layer_outputs_and_gradients_match_pytorch(kw):
    mine, theirs = layer_pair(1, d_model=8, nhead=2, dim_feedforward=12, **kw)
    load_from(mine, theirs)
    mine.eval(); theirs.eval()
    run_both(mine, theirs, x_for(np.random.default_rng(0), 5, 3, 8, kw.get("batch_first", False)))


@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("mask", ["bool", "float", "kpm", "both", "causal"])
def test_layer_masks_match_pytorch(mask, batch_first):
    mine, theirs = layer_pair(2, d_model=8, nhead=2, dim_feedforward=12, batch_first=batch_first)
    load_from(mine, theirs)
    mine.eval(); theirs.eval()
    g = np.random.default_rng(4)
    L, N = 5, 3
    causal = np.triu(np.ones((L, L), dtype=bool), 1)
    kpm = np.zeros((N, L), dtype=bool); kpm[1, 3:] = True
    rkw, tkw = {}, {}
    if mask in ("bool", "both"):
        rkw["src_mask"], tkw["src_mask"] = r.torch_tensor(causal), torch.tensor(causal)
    if mask == "float":
        fm = g.standard_normal((L, L)).astype(np.float32)
        rkw["src_mask"], tkw["src_mask"] = r.torch_tensor(fm), torch.tensor(fm)
    if mask in ("kpm", "both"):
        rkw["src_key_padding_mask"], tkw["src_key_padding_mask"] = r.torch_tensor(kpm), torch.tensor(kpm)
    if mask == "causal":  # R builds the mask itself; PyTorch's attention needs it given with is_causal
        rkw["is_causal"] = True
        tkw.update(src_mask=torch.tensor(causal), is_causal=True)
    run_both(mine, theirs, x_for(g, L, N, 8, batch_first), rkw, tkw)


@pytest.mark.parametrize("norm_first", [False, True])
def test_encoder_with_final_norm_matches_pytorch(norm_first):
    mine, theirs = layer_pair(5, d_model=8, nhead=2, dim_feedforward=12, norm_first=norm_first)
    r.torch_manual_seed(9)
    enc = r.nn_transformer_encoder(mine, num_layers=2, norm=r.nn_layer_norm(8))
    tenc = torch.nn.TransformerEncoder(theirs, num_layers=2, norm=torch.nn.LayerNorm(8), enable_nested_tensor=False)
    assert sorted(enc.parameters) == sorted(n for n, _ in tenc.named_parameters())
    with torch.no_grad():  # the clones start equal; make them differ so the order of the layers matters
        for p in tenc.parameters():
            p.add_(0.1 * torch.randn_like(p))
    load_from(enc, tenc)
    enc.eval(); tenc.eval()
    kpm = np.zeros((3, 4), dtype=bool); kpm[2, 2:] = True
    run_both(enc, tenc, x_for(np.random.default_rng(1), 4, 3, 8),
             {"src_key_padding_mask": r.torch_tensor(kpm)}, {"src_key_padding_mask": torch.tensor(kpm)})


def test_encoder_layers_are_independent_clones():
    layer = r.nn_transformer_encoder_layer(4, 1, dim_feedforward=8)
    enc = r.nn_transformer_encoder(layer, 2)
    assert [k for k in enc.parameters if k.endswith("linear1.weight")] == ["layers.0.linear1.weight",
                                                                           "layers.1.linear1.weight"]
    assert enc.layers[1].linear1.weight is not enc.layers[2].linear1.weight
    assert enc.layers[1].linear1.weight is not layer.linear1.weight
    assert enc.norm is None and enc.num_layers == 2


# ---- R torch's testthat (test-nn-transformer.R) -------------------------------------------------------

def test_r_results_are_equal_to_pytorch():
    with r.with_torch_manual_seed(seed=123):
        layer = r.nn_transformer_encoder_layer(d_model=8, nhead=2, dim_feedforward=16)
        output = layer(r.torch_randn(5, 3, 8))
    expected = [[2.0008, -0.7164, 1.0093, 0.3160, -0.6471, -0.0106, -0.8325, -1.1195],
                [1.0405, -0.3428, 1.3047, 0.5384, -1.5694, -0.7368, -1.0591, 0.8246],
                [0.0510, 0.4845, 0.2344, 0.6781, -1.2878, -0.0163, 1.5982, -1.7421]]
    np.testing.assert_allclose(arr(output[1]), expected, atol=1e-4)


def test_r_output_shape_and_batch_first():
    layer = r.nn_transformer_encoder_layer(d_model=8, nhead=2, dim_feedforward=16)
    x = r.torch_randn(5, 3, 8)
    assert isinstance(layer(x), r.Tensor) and tuple(layer(x).shape) == (5, 3, 8)
    layer_bf = r.nn_transformer_encoder_layer(d_model=8, nhead=2, batch_first=True)
    assert tuple(layer_bf(r.torch_randn(3, 5, 8)).shape) == (3, 5, 8)


def test_r_mask_and_is_causal_agree():
    layer = r.nn_transformer_encoder_layer(d_model=4, nhead=1, dropout=0)
    layer.eval()
    x = r.torch_randn(4, 1, 4)
    causal = r.torch_ones(4, 4, dtype=r.torch_bool()).triu(diagonal=1)
    close(layer(x, src_mask=causal), arr(layer(x, is_causal=True)), 0)


def test_r_key_padding_mask_works_as_expected():
    layer = r.nn_transformer_encoder_layer(d_model=6, nhead=2, dropout=0)
    layer.eval()
    x = r.torch_randn(3, 2, 6)
    pad = r.torch_tensor(np.array([[0, 0, 0], [0, 0, 1]]), dtype=r.torch_bool())
    out, masked = layer(x), layer(x, src_key_padding_mask=pad)
    assert tuple(masked.shape) == (3, 2, 6)
    # R's check compares the masked position of batch 2; only the first batch element is unchanged exactly
    close(out[:, 1, :], arr(masked[:, 1, :]), 1e-6)


def test_r_encoder_uses_each_layer_and_matches_python():
    model = r.nn_transformer_encoder(r.nn_transformer_encoder_layer(d_model=8, nhead=2, dropout=0), num_layers=3)
    model.eval()
    x = r.torch_randn(4, 2, 8)
    manual = x
    for i in range(1, 4):
        manual = model.layers[i](manual)  # module lists index from 1, as in R
    close(model(x), arr(manual), 0)
    with r.with_torch_manual_seed(seed=123):
        base = r.nn_transformer_encoder_layer(d_model=8, nhead=2, dim_feedforward=16)
        out = r.nn_transformer_encoder(base, num_layers=3)(r.torch_randn(4, 2, 8))
    np.testing.assert_allclose(arr(out[1]), [[2.2889, -0.3724, 0.1357, 0.3804, -0.5985, 0.1374, -1.2492, -0.7224],
                                             [1.9246, -0.1313, 0.9192, 0.2264, -1.1253, -0.1943, -1.4291, -0.1902]],
                               atol=1e-4)


def test_r_final_norm_preserves_results():
    layer = r.nn_transformer_encoder_layer(d_model=5, nhead=1, dropout=0)
    final_norm = r.nn_layer_norm(normalized_shape=5)
    model = r.nn_transformer_encoder(layer, num_layers=2, norm=final_norm)
    model_no_norm = r.nn_transformer_encoder(layer, num_layers=2)
    model.eval(); model_no_norm.eval()
    x = r.torch_randn(6, 1, 5)
    close(model(x), arr(final_norm(model_no_norm(x))), 1e-6)


@pytest.mark.parametrize("name,fn,seed", [("relu", r.nnf_relu, 42), ("gelu", r.nnf_gelu, 123)])
def test_r_activation_string_and_function_agree(name, fn, seed):
    r.torch_manual_seed(seed)
    a = r.nn_transformer_encoder_layer(d_model=4, nhead=1, dim_feedforward=8, activation=name, dropout=0)
    r.torch_manual_seed(seed)
    b = r.nn_transformer_encoder_layer(d_model=4, nhead=1, dim_feedforward=8, activation=fn, dropout=0)
    a.eval(); b.eval()
    x = r.torch_randn(5, 1, 4)
    close(a(x), arr(b(x)), 0)


def test_r_serializable_and_gradients_flow(tmp_path):
    model = r.nn_transformer_encoder(r.nn_transformer_encoder_layer(d_model=3, nhead=1), num_layers=2)
    r.torch_save(model, tmp_path / "m.pt")
    model2 = r.nn_transformer_encoder(r.nn_transformer_encoder_layer(d_model=3, nhead=1), num_layers=2)
    model2.load_state_dict(r.torch_load(tmp_path / "m.pt"))
    x = r.torch_randn(2, 1, 3, requires_grad=True)
    model.eval(); model2.eval()
    close(model(x), arr(model2(x)), 0)
    model.train()
    model(x).sum().backward()
    assert any(p.grad is not None and p.grad.numel() > 0 for p in model.parameters.values())


# ---- bad input ------------------------------------------------------------------------------------------

def test_bad_input_is_a_clear_error():
    layer = r.nn_transformer_encoder_layer(8, 2, dim_feedforward=8)
    x = r.torch_randn(4, 2, 8)
    with pytest.raises(ValueError, match="should not be set when is_causal"):
        layer(x, src_mask=r.torch_zeros(4, 4), is_causal=True)
    with pytest.raises(ValueError, match="3-D input"):
        layer(r.torch_randn(4, 8))
    with pytest.raises(ValueError, match="expected d_model = 8"):
        layer(r.torch_randn(4, 2, 6))
    with pytest.raises(ValueError, match="Unsupported activation string: tanh"):
        r.nn_transformer_encoder_layer(8, 2, activation="tanh")
    with pytest.raises(ValueError, match="must be a string"):
        r.nn_transformer_encoder_layer(8, 2, activation=3)
    with pytest.raises(ValueError, match="divisible by num_heads"):
        r.nn_transformer_encoder_layer(8, 3)
    with pytest.raises(ValueError, match="must be an `nn_module`"):
        r.nn_transformer_encoder("layer", 2)
    with pytest.raises(ValueError, match="`norm` must be"):
        r.nn_transformer_encoder(layer, 2, norm="ln")
