"""`nnf_instance_norm`, `nnf_local_response_norm`, `nnf_gumbel_softmax`: values, gradients and running
statistics against PyTorch (libtorch, what R torch wraps), the seeded Gumbel draw against R torch's
formula on PyTorch's draws, and R torch's test-nnf-normalization.R block."""
import numpy as np
import pytest

import rtorch as r
from tests._require import require
from tests.test_nn_padding_distance import arr, check, f32, rt

torch = require("torch")
F = torch.nn.functional


@pytest.mark.parametrize("shape", [(2, 3, 5), (2, 3, 4, 5), (2, 3, 2, 3, 4)], ids=str)
@pytest.mark.parametrize("affine", [False, True])
def test_instance_norm_matches_pytorch(shape, affine):
    x = f32(*shape)
    w, b = (f32(3, seed=5), f32(3, seed=6)) if affine else (None, None)
    if affine:
        check(lambda a, ww, bb: r.nnf_instance_norm(a, weight=ww, bias=bb, eps=1e-3),
              lambda a, ww, bb: F.instance_norm(a, weight=ww, bias=bb, eps=1e-3), x, w, b)
    else:
        check(r.nnf_instance_norm, F.instance_norm, x)


def test_instance_norm_running_stats():
    x = f32(4, 3, 6)
    rm, rv = rt(np.zeros(3, np.float32)), rt(np.ones(3, np.float32))
    trm, trv = torch.zeros(3), torch.ones(3)
    out = r.nnf_instance_norm(rt(x), rm, rv, momentum=0.3)
    tout = F.instance_norm(torch.tensor(x), trm, trv, momentum=0.3)
    np.testing.assert_allclose(arr(out), tout.numpy(), atol=1e-5)
    np.testing.assert_allclose(arr(rm), trm.numpy(), atol=1e-6)
    np.testing.assert_allclose(arr(rv), trv.numpy(), atol=1e-6)
    check(lambda a: r.nnf_instance_norm(a, rm, rv, use_input_stats=False),
          lambda a: F.instance_norm(a, trm, trv, use_input_stats=False), x)
    with pytest.raises(RuntimeError, match="running_mean and running_var to be defined"):
        r.nnf_instance_norm(rt(x), use_input_stats=False)


@pytest.mark.parametrize("shape", [(2, 5, 6), (2, 5, 4, 3), (2, 6, 3, 2, 2)], ids=str)
@pytest.mark.parametrize("size", [1, 2, 3])
def test_local_response_norm_matches_pytorch(shape, size):
    check(lambda a: r.nnf_local_response_norm(a, size, alpha=0.1, beta=0.6, k=2),
          lambda a: F.local_response_norm(a, size, alpha=0.1, beta=0.6, k=2), f32(*shape))


# R torch's test-nnf-normalization.R
def test_r_local_response_norm():
    assert len(r.nnf_local_response_norm(r.torch_randn(32, 5, 24, 24), size=2).shape) == 4
    assert len(r.nnf_local_response_norm(r.torch_randn(4, 5, 3, 3, 3, 3), size=2).shape) == 6


@pytest.mark.parametrize("hard", [False, True])
@pytest.mark.parametrize("dim", [-1, 1])
def test_gumbel_softmax_is_r_torchs_formula_on_seeded_draws(hard, dim):
    x = f32(4, 5)
    r.torch_manual_seed(7)
    a = rt(x, True)
    out = r.nnf_gumbel_softmax(a, tau=0.5, hard=hard, dim=dim)
    torch.manual_seed(7)
    ta = torch.tensor(x, requires_grad=True)
    e = torch.empty_like(ta).exponential_()
    tdim = dim - 1 if dim > 0 else dim
    soft = ((ta + e.log()) / 0.5).softmax(tdim)   # R torch: + log(E)
    if hard:
        idx = soft.max(tdim, keepdim=True)[1]
        tout = torch.zeros_like(ta).scatter_(tdim, idx, 1.0) - soft.detach() + soft
    else:
        tout = soft
    np.testing.assert_allclose(arr(out), tout.detach().numpy(), atol=1e-5)
    g = f32(4, 5, seed=9)
    (out * rt(g)).sum().backward()
    (tout * torch.tensor(g)).sum().backward()
    np.testing.assert_allclose(arr(a.grad), ta.grad.numpy(), atol=1e-5)
    if hard:
        np.testing.assert_array_equal(arr(out).sum(axis=tdim), 1)
