"""Fractional max pooling (`nnf_fractional_max_pool2d/3d`, `nn_fractional_max_pool2d/3d`): values,
gradients and 1-based indices against PyTorch (libtorch, what R torch wraps) given the same
`random_samples` (PyTorch's `_random_samples`), and the same draws when both are seeded alike."""
import numpy as np
import pytest

import rtorch as r
from tests._require import require
from tests.test_nn_padding_distance import arr, check, f32, rt

torch = require("torch")
F = torch.nn.functional

CASES = [(2, (2, 3, 9, 8), 3, (4, 5)), (2, (2, 3, 9, 8), (2, 3), (7, 6)), (2, (3, 10, 11), 2, (5, 1)),
         (2, (1, 2, 7, 7), 2, (6, 6)), (3, (2, 3, 9, 8, 7), 2, (4, 5, 3)), (3, (2, 6, 5, 7), (1, 2, 3), (5, 2, 4))]


def _fns(n):
    return ((r.nnf_fractional_max_pool2d, F.fractional_max_pool2d) if n == 2 else
            (r.nnf_fractional_max_pool3d, F.fractional_max_pool3d))


@pytest.mark.parametrize("n,shape,k,out", CASES, ids=str)
def test_fractional_max_pool_matches_pytorch(n, shape, k, out):
    fr, ft = _fns(n)
    nb = shape[0] if len(shape) == n + 2 else 1
    s = np.random.default_rng(len(shape) + n).random((nb, shape[-n - 1], n)).astype(np.float32)
    check(lambda a: fr(a, k, output_size=out, random_samples=rt(s)),
          lambda a: ft(a, k, output_size=out, _random_samples=torch.tensor(s)), f32(*shape))
    o, idx = fr(rt(f32(*shape)), k, output_size=out, return_indices=True, random_samples=rt(s))
    to, ti = ft(torch.tensor(f32(*shape)), k, output_size=out, return_indices=True, _random_samples=torch.tensor(s))
    np.testing.assert_array_equal(arr(idx), ti.numpy() + 1)
    assert idx.dtype == r.torch_long()


@pytest.mark.parametrize("n", [2, 3])
def test_fractional_default_samples_are_libtorch_draws(n):
    fr, ft = _fns(n)
    x = f32(2, 3, *([8] * n), seed=4)
    r.torch_manual_seed(11)
    torch.manual_seed(11)
    np.testing.assert_array_equal(arr(fr(rt(x), 2, output_ratio=0.5)),
                                  ft(torch.tensor(x), 2, output_ratio=(0.5,) * n).numpy())
    np.testing.assert_array_equal(arr(fr(rt(x[0]), 3, output_size=5)), ft(torch.tensor(x[0]), 3, output_size=5).numpy())


def test_fractional_float64_nan_and_ratio():
    x = f32(2, 2, 9, 9, seed=5).astype(np.float64)
    x[0, 1, 2:5, 2:5] = np.nan
    s = np.random.default_rng(1).random((2, 2, 2))
    xr = r.torch_tensor(x, dtype=r.torch_float64())
    sr = r.torch_tensor(s, dtype=r.torch_float64())
    out = r.nnf_fractional_max_pool2d(xr, 2, output_ratio=(0.7, 0.45), random_samples=sr)
    tout = F.fractional_max_pool2d(torch.tensor(x), 2, output_ratio=(0.7, 0.45), _random_samples=torch.tensor(s))
    assert out.dtype == r.torch_float64() and list(out.shape) == [2, 2, 6, 4]
    np.testing.assert_array_equal(arr(out), tout.numpy())
    assert np.isnan(arr(out)).any()


@pytest.mark.parametrize("n", [2, 3])
def test_fractional_modules(n):
    mr = (r.nn_fractional_max_pool2d if n == 2 else r.nn_fractional_max_pool3d)(2, output_size=3)
    mt = (torch.nn.FractionalMaxPool2d if n == 2 else torch.nn.FractionalMaxPool3d)(2, output_size=3)
    x = f32(2, 3, *([7] * n), seed=6)
    r.torch_manual_seed(2)
    torch.manual_seed(2)
    check(mr, mt, x)
    s = np.random.default_rng(0).random((2, 3, n)).astype(np.float32)
    mr.random_samples = rt(s)
    a = arr(mr(rt(x)))
    np.testing.assert_array_equal(a, arr(mr(rt(x))))
    want = _fns(n)[1](torch.tensor(x), 2, output_size=3, _random_samples=torch.tensor(s))
    np.testing.assert_array_equal(a, want.numpy())
    assert "random_samples" in mr.state_dict()
    cls = r.nn_fractional_max_pool2d if n == 2 else r.nn_fractional_max_pool3d
    mi = cls(2, output_ratio=0.5, return_indices=True)
    o, i = mi(rt(x))
    assert list(o.shape) == [2, 3] + [3] * n and i.dtype == r.torch_long()


def test_fractional_module_errors():
    with pytest.raises(ValueError, match="both output_size and output_ratio are NULL"):
        r.nn_fractional_max_pool2d(2)
    with pytest.raises(ValueError, match="both output_size and output_ratio are not NULL"):
        r.nn_fractional_max_pool3d(2, output_size=3, output_ratio=0.5)
    with pytest.raises(ValueError, match="output_ratio must be between 0 and 1."):
        r.nn_fractional_max_pool2d(2, output_ratio=(0.5, 1.5))


def test_fractional_errors_in_libtorch_words():
    x = rt(f32(2, 3, 9, 8))
    s = rt(np.random.default_rng(0).random((2, 3, 2)).astype(np.float32))
    cases = [
        (dict(output_size=(8, 5)), "pool height 3 too large relative to input height 9"),
        (dict(output_size=(4, 7)), "pool width 3 too large relative to input width 8"),
        (dict(output_size=(4, 5), random_samples=rt(f32(1, 3, 2))), r"size\(0\) no less then input batch size"),
        (dict(output_size=(4, 5), random_samples=rt(f32(2, 3, 3))), r"size\(2\) equals to 2; got 3"),
        (dict(output_size=(4, 5), random_samples=rt(f32(2, 4, 2))), r"size\(1\) equals to input channel size"),
        (dict(output_size=(4, 5), random_samples=r.torch_tensor(f32(2, 3, 2), dtype=r.torch_float64())),
         "same dtype as input"),
        (dict(), "output_ratio should not be NULL if output_size is NULL"),
    ]
    for kw, msg in cases:
        kw.setdefault("random_samples", s)
        with pytest.raises((RuntimeError, ValueError), match=msg):
            r.nnf_fractional_max_pool2d(x, 3, **kw)
    with pytest.raises(RuntimeError, match=r"Expected 3D or 4D tensor, but got: \[9, 8\]"):
        r.nnf_fractional_max_pool2d(rt(f32(9, 8)), 3, output_size=2)
    with pytest.raises(RuntimeError, match="pool time 2 too large relative to input time 9"):
        r.nnf_fractional_max_pool3d(rt(f32(2, 3, 9, 8, 7)), 2, output_size=(9, 5, 3))
    with pytest.raises(RuntimeError, match="kernel_size must either be a single Int or tuple of Ints"):
        r.nnf_fractional_max_pool2d(x, (2, 2, 2), output_size=2)
