"""DLPack: rtorch tensors to NumPy and PyTorch, and PyTorch/NumPy arrays to rtorch, sharing memory."""
import numpy as np
import pytest

import rtorch as r
from rtorch._dlpack import torch_from_dlpack
from tests._require import require

DTYPES = ["torch_bool", "torch_uint8", "torch_int8", "torch_int16", "torch_int32", "torch_int64", "torch_float16",
          "torch_float32", "torch_float64", "torch_cfloat", "torch_cdouble"]


@pytest.mark.parametrize("dtype", DTYPES)
def test_numpy_shares_memory(dtype):
    t = r.torch_ones(2, 3, dtype=getattr(r, dtype)())
    a = np.from_dlpack(t)
    assert np.shares_memory(a, t._data) and a.shape == (2, 3) and a.dtype == t._data.dtype
    b = torch_from_dlpack(a)
    assert np.shares_memory(b._data, a) and b.dtype == t.dtype


def test_torch_shares_memory_both_ways():
    torch = require("torch")
    t = r.torch_randn(3, 4)
    pt = torch.from_dlpack(t)
    pt[0, 0] = 42.0
    assert t[1, 1].item() == 42.0
    v = r.torch_randn(4, 6).t()                     # a strided view goes across as strides
    pv = torch.from_dlpack(v)
    np.testing.assert_array_equal(pv.numpy(), v._data)
    x = torch.arange(6, dtype=torch.int64).reshape(2, 3)
    y = torch_from_dlpack(x)
    x[1, 2] = -7
    assert y.dtype == r.torch_long() and y[2, 3].item() == -7
    bt = torch_from_dlpack(torch.tensor([True, False]))
    assert bt.dtype == r.torch_bool()


def test_requires_grad_is_not_exported_and_bad_input():
    with pytest.raises(RuntimeError, match="require gradient"):
        np.from_dlpack(r.torch_ones(2, requires_grad=True))
    with pytest.raises(TypeError, match="DLPack"):
        torch_from_dlpack([1, 2])


def test_bfloat16_from_torch_is_an_error():
    torch = require("torch")
    with pytest.raises(Exception):
        torch_from_dlpack(torch.ones(2, dtype=torch.bfloat16))
