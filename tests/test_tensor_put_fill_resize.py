"""`$put_()`/`$put()`/`torch_put()` (1-based flat positions, as R torch's index tensors), `$fill_diagonal_()`
and `$resize_()` against PyTorch (libtorch, what R torch wraps), their errors in libtorch's words."""
import numpy as np
import pytest

import rtorch as r
from tests._require import require

torch = require("torch")
G = np.random.default_rng(3)


def _same(t, want):
    np.testing.assert_array_equal(np.asarray(t), want.numpy())


@pytest.mark.parametrize("accumulate", [False, True])
@pytest.mark.parametrize("shape", [(2, 3), (4,), (2, 2, 3)])
def test_put_matches_torch(shape, accumulate):
    x = G.standard_normal(shape)
    n = x.size
    pos = G.integers(-n, n, size=5) if accumulate else G.permutation(n)[:4] - (n // 2)
    src = G.standard_normal(pos.size)
    r_pos = np.where(pos >= 0, pos + 1, pos)  # R's 1-based positions, negatives from the end
    idx = r.torch_tensor(r_pos.astype(np.int64), dtype=r.torch_long())
    want = torch.tensor(x).put_(torch.tensor(pos), torch.tensor(src), accumulate=accumulate)
    t = r.torch_tensor(x, dtype=r.torch_float64())
    assert t.put_(idx, r.torch_tensor(src, dtype=r.torch_float64()), accumulate=accumulate) is t
    _same(t, want)
    fresh = r.torch_tensor(x, dtype=r.torch_float64())
    _same(fresh.put(idx, r.torch_tensor(src, dtype=r.torch_float64()), accumulate=accumulate), want)
    _same(fresh, torch.tensor(x))


def test_put_on_a_transposed_view_writes_through():
    base = r.torch_zeros(2, 3)
    view = base.t()
    view.put_(r.torch_tensor(r.as_integer(r.c(2, 6))), r.torch_tensor(r.c(1, 2)))
    tb = torch.zeros(2, 3)
    tb.t().put_(torch.tensor([1, 5]), torch.tensor([1.0, 2.0]))
    _same(base, tb)


def test_put_errors_are_libtorchs():
    x = r.torch_zeros(2, 3)
    with pytest.raises(RuntimeError, match=r"put_\(\): self and source expected to have the same dtype, but got "
                                           r"self.dtype = Float and source.dtype = Long"):
        x.put_(r.torch_tensor(r.as_integer(r.c(1, 2))), r.torch_tensor(r.as_integer(r.c(9, 10))))
    with pytest.raises(IndexError, match=r"Expected source and index to have the same number of elements, but got "
                                         r"source.numel\(\) = 1, index.numel\(\) = 2"):
        x.put_(r.torch_tensor(r.as_integer(r.c(1, 2))), r.torch_tensor(9))
    with pytest.raises(IndexError, match="out of range: tried to access index 9 on a tensor of 6 elements."):
        x.put_(r.torch_tensor(r.as_integer(10)), r.torch_tensor(9))
    with pytest.raises(RuntimeError, match=r"put_\(\): Expected a long tensor for index, but got Float"):
        x.put_(r.torch_tensor(2), r.torch_tensor(9))
    with pytest.raises(IndexError, match="Indexing starts at 1 but found a 0."):
        x.put_(r.torch_tensor(r.as_integer(0)), r.torch_tensor(9))


@pytest.mark.parametrize("shape,wrap", [((3, 3), False), ((7, 3), False), ((7, 3), True), ((3, 7), True),
                                        ((2, 2, 2), False), ((4, 4), True), ((9, 2), True)])
def test_fill_diagonal_matches_torch(shape, wrap):
    t = r.torch_zeros(*shape)
    assert t.fill_diagonal_(5, wrap=wrap) is t
    _same(t, torch.zeros(shape).fill_diagonal_(5, wrap=wrap))


def test_fill_diagonal_errors_are_libtorchs():
    with pytest.raises(RuntimeError, match="dimensions must larger than 1"):
        r.torch_zeros(3).fill_diagonal_(1)
    with pytest.raises(RuntimeError, match="all dimensions of input must be of equal length"):
        r.torch_zeros(2, 3, 3).fill_diagonal_(1)


@pytest.mark.parametrize("new", [(2, 2), (6,), (3, 2), (4, 3), (0,)])
def test_resize_keeps_the_first_elements_in_row_major_order(new):
    x = np.arange(1, 7).reshape(3, 2, order="F").astype(np.int64)  # R's matrix(1:6, ncol = 2)
    t = r.torch_tensor(x)
    assert t.resize_(r.c(*new)) is t
    assert t.size() == new
    want = torch.tensor(np.ascontiguousarray(x)).resize_(*new)  # R torch's torch_tensor() is contiguous
    k = min(6, int(np.prod(new)))
    np.testing.assert_array_equal(np.asarray(t).reshape(-1)[:k], want.reshape(-1)[:k].numpy())
    assert (np.asarray(t).reshape(-1)[k:] == 0).all()  # libtorch leaves these uninitialised


def test_resize_errors():
    with pytest.raises(RuntimeError, match="negative dimension -1"):
        r.torch_zeros(3).resize_(-1)
    with pytest.raises(RuntimeError, match="requires grad"):
        r.torch_zeros(3, requires_grad=True).resize_(2)
