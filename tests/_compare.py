"""Helpers the nn tests share: rtorch tensors from arrays, arrays back, and comparison with PyTorch."""
import numpy as np

import rtorch as r

ATOL = 1e-5


def rt(a, requires_grad=False, dtype=None):
    t = r.torch_tensor(np.asarray(a), dtype=dtype)
    if requires_grad:
        t.requires_grad_(True)
    return t


def arr(t):
    return np.asarray(t.detach())


def f32(g, *shape):
    return g.standard_normal(shape).astype(np.float32)


def close(a, b, atol=ATOL, rtol=1e-7):
    """rtorch tensor (or array) `a` equals PyTorch tensor (or array) `b` within atol/rtol."""
    to_np = (lambda x: x.detach().numpy()) if hasattr(b, "detach") and not isinstance(b, r.Tensor) else np.asarray
    np.testing.assert_allclose(arr(a) if isinstance(a, r.Tensor) else a, to_np(b), atol=atol, rtol=rtol)
