"""3-d pooling (`nnf_avg_pool3d`, `nnf_max_pool3d`, `nnf_adaptive_avg/max_pool3d` and modules), power-average
pooling (`nnf_lp_pool1d/2d`, `nn_lp_pool1d/2d`) and the unpools (`nnf_max_unpool1d/2d/3d`, modules): values,
gradients and indices against PyTorch (libtorch, what R torch wraps), indices 1-based as R torch's."""
import numpy as np
import pytest

import rtorch as r
from tests._require import require
from tests.test_nn_padding_distance import arr, check, f32, rt

torch = require("torch")
F = torch.nn.functional

MAX = [dict(kernel_size=2), dict(kernel_size=(2, 3, 2), stride=1), dict(kernel_size=3, stride=2, padding=1),
       dict(kernel_size=2, dilation=2, ceil_mode=True, stride=2), dict(kernel_size=3, stride=2, ceil_mode=True)]


@pytest.mark.parametrize("kw", MAX, ids=str)
@pytest.mark.parametrize("batched", [True, False])
def test_max_pool3d_matches_pytorch(kw, batched):
    shape = (2, 3, 5, 6, 7) if batched else (3, 5, 6, 7)
    x = f32(*shape)
    check(lambda a: r.nnf_max_pool3d(a, **kw), lambda a: F.max_pool3d(a, **kw), x)
    out, idx = r.nnf_max_pool3d(rt(x), return_indices=True, **kw)
    tout, tidx = F.max_pool3d(torch.tensor(x), return_indices=True, **kw)
    np.testing.assert_array_equal(arr(idx), tidx.numpy() + 1)
    assert idx.dtype == r.torch_long()
    check(r.nn_max_pool3d(**kw), torch.nn.MaxPool3d(**kw), x)


AVG = [dict(kernel_size=2), dict(kernel_size=(2, 3, 2), stride=1), dict(kernel_size=3, stride=2, padding=1),
       dict(kernel_size=3, stride=2, padding=1, count_include_pad=False),
       dict(kernel_size=3, stride=2, ceil_mode=True), dict(kernel_size=2, divisor_override=3)]


@pytest.mark.parametrize("kw", AVG, ids=str)
def test_avg_pool3d_matches_pytorch(kw):
    x = f32(2, 3, 5, 6, 7)
    check(lambda a: r.nnf_avg_pool3d(a, **kw), lambda a: F.avg_pool3d(a, **kw), x)
    check(r.nn_avg_pool3d(**kw), torch.nn.AvgPool3d(**kw), x[0])


@pytest.mark.parametrize("size", [(2, 3, 4), 3, (5, 6, 7), (4, None, 2)], ids=str)
def test_adaptive_pool3d_matches_pytorch(size):
    x = f32(2, 3, 5, 6, 7)
    check(lambda a: r.nnf_adaptive_avg_pool3d(a, size), lambda a: F.adaptive_avg_pool3d(a, size), x)
    check(lambda a: r.nnf_adaptive_max_pool3d(a, size), lambda a: F.adaptive_max_pool3d(a, size), x)
    _, idx = r.nnf_adaptive_max_pool3d(rt(x), size, return_indices=True)
    np.testing.assert_array_equal(arr(idx), F.adaptive_max_pool3d(torch.tensor(x), size, True)[1].numpy() + 1)
    check(r.nn_adaptive_avg_pool3d(size), torch.nn.AdaptiveAvgPool3d(size), x)
    check(r.nn_adaptive_max_pool3d(size), torch.nn.AdaptiveMaxPool3d(size), x)


def test_interpolate_area_5d():
    x = f32(1, 2, 4, 6, 5)
    check(lambda a: r.nnf_interpolate(a, size=(2, 3, 4), mode="area"),
          lambda a: F.interpolate(a, size=(2, 3, 4), mode="area"), x)


def test_pool3d_errors():
    with pytest.raises(RuntimeError, match="Expected 4D or 5D tensor, but got: \\[2, 3, 4\\]"):
        r.nnf_adaptive_max_pool3d(r.torch_randn(2, 3, 4), 2)
    with pytest.raises(RuntimeError, match="smaller than kernel size"):
        r.nnf_avg_pool3d(r.torch_randn(1, 2, 3, 4, 4), 5)
    with pytest.raises(RuntimeError, match="pad should be at most half of effective kernel size"):
        r.nnf_max_pool3d(r.torch_randn(1, 2, 3, 4, 4), 3, padding=2)


@pytest.mark.parametrize("norm_type", [1, 2, 3.5])
@pytest.mark.parametrize("kw", [dict(kernel_size=2), dict(kernel_size=3, stride=2, ceil_mode=True)], ids=str)
def test_lp_pool_matches_pytorch(norm_type, kw):
    x = np.abs(f32(2, 3, 6, 7)) + 0.1
    check(lambda a: r.nnf_lp_pool2d(a, norm_type, **kw), lambda a: F.lp_pool2d(a, norm_type, **kw), x, atol=1e-4)
    check(lambda a: r.nnf_lp_pool1d(a, norm_type, **kw), lambda a: F.lp_pool1d(a, norm_type, **kw), x[0], atol=1e-4)
    check(r.nn_lp_pool2d(norm_type, **kw), torch.nn.LPPool2d(norm_type, **kw), x, atol=1e-4)
    check(r.nn_lp_pool1d(norm_type, **kw), torch.nn.LPPool1d(norm_type, **kw), x[0], atol=1e-4)


@pytest.mark.parametrize("n", [1, 2, 3])
@pytest.mark.parametrize("output_size", [False, True])
def test_max_unpool_matches_pytorch(n, output_size):
    shape = (2, 3) + (4, 6, 8)[:n]
    x = f32(*shape)
    pool = getattr(F, f"max_pool{n}d")
    tout, tidx = pool(torch.tensor(x), 2, return_indices=True)
    out, idx = getattr(r, f"nnf_max_pool{n}d")(rt(x), 2, return_indices=True)
    np.testing.assert_array_equal(arr(idx), tidx.numpy() + 1)
    size = list(shape[2:]) if output_size else None
    unpool = getattr(F, f"max_unpool{n}d")
    check(lambda a: getattr(r, f"nnf_max_unpool{n}d")(a, idx, 2, output_size=size),
          lambda a: unpool(a, tidx, 2, output_size=size), tout.numpy())
    m = getattr(r, f"nn_max_unpool{n}d")(2)
    tm = getattr(torch.nn, f"MaxUnpool{n}d")(2)
    check(lambda a: m(a, idx, size), lambda a: tm(a, tidx, size), tout.numpy())


def test_max_unpool_errors():
    x = r.torch_randn(1, 1, 2, 2)
    with pytest.raises(RuntimeError, match="Found an invalid max index"):
        r.nnf_max_unpool2d(x, r.torch_tensor([[[[1, 2], [3, 51]]]], dtype=r.torch_long()), 2)
    with pytest.raises(RuntimeError, match="indices to be same as that of the input"):
        r.nnf_max_unpool2d(x, r.torch_ones(1, 1, 2, dtype=r.torch_long()), 2)
    with pytest.raises(ValueError, match="invalid output_size"):
        r.nnf_max_unpool2d(x, r.torch_ones(1, 1, 2, 2, dtype=r.torch_long()), 2, output_size=[9, 9])
