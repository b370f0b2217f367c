"""`nnf_pad` (all four modes) and the distances (`nnf_cosine_similarity`, `nnf_pairwise_distance`,
`nn_pairwise_distance`, `nnf_pdist`): values and gradients against PyTorch (libtorch, what R torch
wraps), libtorch's errors, and R torch's test-nnf-padding.R."""
import numpy as np
import pytest

import rtorch as r
from tests._require import require

torch = require("torch")
F = torch.nn.functional


def rt(a, requires_grad=False):
    t = r.torch_tensor(np.asarray(a))
    if requires_grad:
        t.requires_grad_(True)
    return t


def arr(t):
    return np.asarray(t.detach())


def check(fn_r, fn_t, *inputs, atol=1e-5):
    """Same values and input gradients (for a random upstream gradient) in rtorch and PyTorch."""
    rs = [rt(x, True) for x in inputs]
    ts = [torch.tensor(x, requires_grad=True) for x in inputs]
    out, tout = fn_r(*rs), fn_t(*ts)
    np.testing.assert_allclose(arr(out), tout.detach().numpy(), atol=atol, rtol=1e-5)
    g = np.random.default_rng(0).standard_normal(tuple(tout.shape)).astype(np.float32)
    (out * rt(g)).sum().backward()
    (tout * torch.tensor(g)).sum().backward()
    for a, b in zip(rs, ts):
        np.testing.assert_allclose(arr(a.grad), b.grad.numpy(), atol=atol, rtol=1e-5)


def f32(*shape, seed=1):
    return np.random.default_rng(seed).standard_normal(shape).astype(np.float32)


# ---- nnf_pad --------------------------------------------------------------------------------------

PADS = [(1, 2), (2, 0, 1, 1), (1, 1, 0, 2, 1, 0), (-1, 2), (0, -1, 2, 1)]


@pytest.mark.parametrize("mode", ["constant", "reflect", "replicate", "circular"])
@pytest.mark.parametrize("pad", PADS, ids=str)
@pytest.mark.parametrize("batched", [True, False])
def test_pad_matches_pytorch(mode, pad, batched):
    shape = (2, 3, 4, 5, 3)[: len(pad) // 2 + (2 if batched else 1)]
    x = f32(*shape)
    if mode == "constant":
        check(lambda a: r.nnf_pad(a, pad, value=0.5), lambda a: F.pad(a, pad, value=0.5), x)
    check(lambda a: r.nnf_pad(a, pad, mode=mode), lambda a: F.pad(a, pad, mode=mode), x)


def test_pad_constant_any_dims_and_dtype():
    x = np.arange(24).reshape(2, 3, 4)
    out = r.nnf_pad(r.torch_tensor(x), [1, 0, 0, 1, 2, 2], value=7)
    np.testing.assert_array_equal(arr(out), F.pad(torch.tensor(x), (1, 0, 0, 1, 2, 2), value=7).numpy())
    assert out.dtype == r.torch_long()


def test_pad_errors_are_libtorchs():
    x = r.torch_ones(1, 2, 3)
    with pytest.raises(RuntimeError, match="divisible by 2"):
        r.nnf_pad(x, [1])
    with pytest.raises(RuntimeError, match="less than or equal to two times the input dimension"):
        r.nnf_pad(x, [1] * 8)
    with pytest.raises(RuntimeError, match=r"padding \(3, 3\) at dimension 2 of input \[1, 2, 3\]"):
        r.nnf_pad(x, [3, 3], mode="reflect")
    with pytest.raises(RuntimeError, match="wrapping around more than once"):
        r.nnf_pad(x, [4, 4], mode="circular")
    with pytest.raises(NotImplementedError, match="Padding size 6 is not supported for 3D input"):
        r.nnf_pad(x, [1] * 6, mode="reflect")
    with pytest.raises(NotImplementedError, match="Unrecognised padding mode foo"):
        r.nnf_pad(x, [1, 1], mode="foo")
    with pytest.raises(RuntimeError, match="doesn't take in value argument"):
        r.nnf_pad(x, [1, 1], mode="reflect", value=2)


# R torch's test-nnf-padding.R
@pytest.mark.parametrize("mode", ["constant", "circular"])
def test_r_padding_shapes(mode):
    for n in (1, 2, 3):
        x = r.torch_ones(*([1] * (n + 2)))
        assert list(r.nnf_pad(x, pad=[1] * (2 * n), mode=mode).shape) == [1, 1] + [3] * n


# ---- distances ------------------------------------------------------------------------------------

@pytest.mark.parametrize("dim", [1, 2, 3, -1])
def test_cosine_similarity_matches_pytorch(dim):
    x1, x2 = f32(3, 4, 5), f32(3, 4, 5, seed=2)
    x1[0, :, :] = 0  # clamped norms
    tdim = dim - 1 if dim > 0 else dim
    check(lambda a, b: r.nnf_cosine_similarity(a, b, dim=dim), lambda a, b: F.cosine_similarity(a, b, dim=tdim),
          x1, x2)


def test_cosine_similarity_broadcasts_and_default_dim():
    x1, x2 = f32(4, 5), f32(1, 5, seed=3)
    check(r.nnf_cosine_similarity, lambda a, b: F.cosine_similarity(a, b, dim=1), x1, x2)
    check(r.torch_cosine_similarity, lambda a, b: F.cosine_similarity(a, b, dim=1, eps=1e-8), x1, x2)


@pytest.mark.parametrize("p", [1, 2, 3, float("inf")])
@pytest.mark.parametrize("keepdim", [False, True])
def test_pairwise_distance_matches_pytorch(p, keepdim):
    x1, x2 = f32(6, 4), f32(6, 4, seed=2)
    check(lambda a, b: r.nnf_pairwise_distance(a, b, p=p, keepdim=keepdim),
          lambda a, b: F.pairwise_distance(a, b, p=p, keepdim=keepdim), x1, x2)
    m = r.nn_pairwise_distance(p=p, eps=1e-3, keepdim=keepdim)
    check(m, torch.nn.PairwiseDistance(p=p, eps=1e-3, keepdim=keepdim), x1, x2)


def test_pairwise_distance_broadcasts():
    check(r.nnf_pairwise_distance, F.pairwise_distance, f32(3, 5), f32(5, seed=4))


@pytest.mark.parametrize("p", [0.5, 1, 2, 3, float("inf")])
def test_pdist_matches_pytorch(p):
    check(lambda a: r.nnf_pdist(a, p), lambda a: F.pdist(a, p), f32(5, 3))


def test_pdist_edge_cases_and_errors():
    assert list(r.nnf_pdist(r.torch_randn(1, 3)).shape) == [0]
    with pytest.raises(RuntimeError, match="pdist only supports 2D tensors, got: 3D"):
        r.nnf_pdist(r.torch_randn(2, 3, 4))
    with pytest.raises(RuntimeError, match="non-negative p"):
        r.nnf_pdist(r.torch_randn(2, 3), -1)
