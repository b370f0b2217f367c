"""rtorch/_reductions.py against PyTorch: order statistics, NaN-aware and cumulative reductions, norms,
unique values, histograms, bucketing and trapezoidal integration.

R's 1-based dims are translated to PyTorch's 0-based ones here. The indices these functions return are
libtorch's 0-based ones in R torch (it wraps none of them to add 1), so they are compared unchanged.
"""
import math
import warnings

import numpy as np
import pytest

from rtorch import (Tensor, c, torch__unique, torch__unique2, torch_aminmax, torch_amax, torch_amin,
                    torch_bucketize, torch_cdist, torch_count_nonzero, torch_cummax, torch_cummin,
                    torch_cumulative_trapezoid, torch_dist, torch_histc, torch_kthvalue, torch_logcumsumexp,
                    torch_median, torch_mode, torch_msort, torch_nanmean, torch_nanmedian, torch_nanquantile,
                    torch_nansum, torch_norm, torch_quantile, torch_searchsorted, torch_tensor, torch_trapezoid,
                    torch_trapz, torch_unique_consecutive, torch_unique_dim, torch_unique_dim_consecutive)
from rtorch._dtypes import DTYPES
from rtorch._tensor import wrap
from tests._require import require

NAN = float("nan")


@pytest.fixture(scope="module")
def torch():
    return require("torch")


def pair(torch, values, name="Float"):
    arr = np.asarray(values).astype(DTYPES[name].numpy)
    return wrap(arr.copy()), torch.from_numpy(arr.copy())


def same(torch, got, want, rtol=1e-5, atol=1e-6):
    if isinstance(want, tuple):
        assert isinstance(got, tuple) and len(got) == len(want)
        for g, w in zip(got, want):
            same(torch, g, w, rtol, atol)
        return
    assert isinstance(got, Tensor)
    w = want.numpy()
    assert got.dtype.numpy == w.dtype, (got.dtype, w.dtype)
    assert got.shape == w.shape, (got.shape, w.shape)
    np.testing.assert_allclose(np.asarray(got._data, np.float64), w.astype(np.float64), rtol=rtol, atol=atol,
                               equal_nan=True)


def rdim(d):
    return d + 1 if d >= 0 else d


MAT = [[3, 1, 4, 1], [5, 9, 2, 6], [5, 3, 5, 8]]
DISTINCT = [[3, 1, 4, 0], [5, 9, 2, 6], [7, 10, 11, 8]]
WITH_NAN = [[3, NAN, 1, 2], [NAN, NAN, NAN, 1], [4, 2, 0, 1]]


# ---- median, nanmedian, kthvalue, mode ----------------------------------------------------------

@pytest.mark.parametrize("name", ["Float", "Double", "Long", "Int", "Short", "Byte"])
@pytest.mark.parametrize("dim", [0, 1, -1])
def test_median_and_kthvalue_with_dim(torch, name, dim):
    x, tx = pair(torch, DISTINCT, name)
    same(torch, torch_median(x), tx.median())
    same(torch, torch_median(x, dim=rdim(dim)), tuple(tx.median(dim)))
    same(torch, x.median(rdim(dim), keepdim=True), tuple(tx.median(dim, keepdim=True)))
    same(torch, torch_nanmedian(x, rdim(dim)), tuple(tx.nanmedian(dim)))
    for k in (1, 2, 3):
        same(torch, torch_kthvalue(x, k, rdim(dim)), tuple(tx.kthvalue(k, dim)))
    same(torch, x.kthvalue(2, keepdim=True), tuple(tx.kthvalue(2, keepdim=True)))


def test_median_ties_give_an_index_of_the_median_value(torch):
    x, tx = pair(torch, MAT)
    vals, idx = torch_median(x, 2)
    same(torch, vals, tx.median(1).values)
    assert idx.dtype.name == "Long"
    picked = np.take_along_axis(np.asarray(x._data), np.asarray(idx._data)[:, None], 1)[:, 0]
    np.testing.assert_array_equal(picked, np.asarray(vals._data))


def test_median_nan(torch):
    x, tx = pair(torch, WITH_NAN)
    same(torch, torch_median(x), tx.median())
    same(torch, torch_nanmedian(x), tx.nanmedian())
    same(torch, torch_median(x, 2), tuple(tx.median(1)))
    same(torch, torch_nanmedian(x, 2), tuple(tx.nanmedian(1)))
    same(torch, torch_nanmedian(x, 1)[0], tx.nanmedian(0).values)


def test_median_zero_d_and_empty(torch):
    x, tx = pair(torch, 5.0)
    same(torch, torch_median(x, 1), tuple(tx.median(0)))
    same(torch, torch_kthvalue(x, 1), tuple(tx.kthvalue(1)))
    e, te = pair(torch, np.zeros(0))
    same(torch, torch_median(e), te.median())
    e2, te2 = pair(torch, np.zeros((2, 0)))
    same(torch, torch_median(e2, 1), tuple(te2.median(0)))
    with pytest.raises(IndexError, match=r"median\(\): Expected reduction dim 1 to have non-zero size"):
        torch_median(e2, 2)


@pytest.mark.parametrize("name", ["Float", "Long", "Bool", "Short"])
@pytest.mark.parametrize("dim", [0, 1, -1])
def test_mode(torch, name, dim):
    values = [[1, 0, 1, 1], [0, 0, 1, 0], [1, 1, 0, 0]] if name == "Bool" else MAT
    x, tx = pair(torch, values, name)
    same(torch, torch_mode(x, rdim(dim)), tuple(tx.mode(dim)))
    same(torch, x.mode(rdim(dim), keepdim=True), tuple(tx.mode(dim, keepdim=True)))
    same(torch, x.mode(), tuple(tx.mode()))


def test_mode_picks_smallest_of_most_frequent_and_last_index(torch):
    x, tx = pair(torch, [2, 2, 2, 1, 1, 1], "Long")
    same(torch, torch_mode(x), tuple(tx.mode()))
    x, tx = pair(torch, np.ones((3, 4)))
    same(torch, torch_mode(x, 1), tuple(tx.mode(0)))


def test_order_statistic_errors():
    x = torch_tensor(c(1, 2, 3))
    with pytest.raises(RuntimeError, match="not implemented for 'Bool'"):
        torch_median(torch_tensor(c(True, False)))
    with pytest.raises(RuntimeError, match=r"kthvalue\(\): selected number k out of range for dimension 0"):
        torch_kthvalue(x, 4)
    with pytest.raises(RuntimeError, match="selected number k out of range"):
        torch_kthvalue(x, 0)
    with pytest.raises(IndexError, match="Dimension is 1-based"):
        torch_median(x, 0)
    with pytest.raises(IndexError, match=r"mode\(\): Expected reduction dim 0 to have non-zero size"):
        torch_mode(torch_tensor(numeric_empty()))


def numeric_empty():
    return np.zeros(0)


# ---- quantile -----------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["Float", "Double"])
@pytest.mark.parametrize("interpolation", ["linear", "lower", "higher", "midpoint", "nearest"])
def test_quantile(torch, name, interpolation):
    x, tx = pair(torch, MAT, name)
    for q in (0.0, 0.3, 0.5, 1.0):
        same(torch, torch_quantile(x, q, interpolation=interpolation), tx.quantile(q, interpolation=interpolation))
        for dim in (0, 1, -1):
            same(torch, torch_quantile(x, q, rdim(dim), interpolation=interpolation),
                 tx.quantile(q, dim, interpolation=interpolation))
    q, tq = pair(torch, [0.1, 0.5, 0.9], name)
    same(torch, x.quantile(q, 2, keepdim=True, interpolation=interpolation),
         tx.quantile(tq, 1, keepdim=True, interpolation=interpolation))
    same(torch, x.quantile(q, keepdim=True, interpolation=interpolation),
         tx.quantile(tq, keepdim=True, interpolation=interpolation))
    same(torch, torch_quantile(x, pair(torch, 0.25, name)[0]), tx.quantile(torch.tensor(0.25, dtype=tx.dtype)))


def test_nanquantile(torch):
    x, tx = pair(torch, WITH_NAN)
    same(torch, torch_quantile(x, 0.4), tx.quantile(0.4))
    same(torch, torch_nanquantile(x, 0.4), tx.nanquantile(0.4))
    same(torch, torch_quantile(x, 0.4, 2), tx.quantile(0.4, 1))
    same(torch, x.nanquantile(0.4, 2), tx.nanquantile(0.4, 1))
    same(torch, x.nanquantile(0.4, 1), tx.nanquantile(0.4, 0))
    same(torch, torch_quantile(pair(torch, 3.0)[0], 0.5, 1), torch.tensor(3.0).quantile(0.5, 0))


def test_quantile_errors():
    x = torch_tensor(c(1, 2, 3))
    with pytest.raises(RuntimeError, match="input tensor must be either float or double dtype"):
        torch_quantile(torch_tensor(c(1, 2), dtype="long"), 0.5)
    with pytest.raises(RuntimeError, match=r"q must be in the range \[0, 1\] but got 1.5"):
        torch_quantile(x, 1.5)
    with pytest.raises(RuntimeError, match=r"q values must be in the range \[0, 1\]"):
        torch_quantile(x, torch_tensor(c(0.5, 2)))
    with pytest.raises(RuntimeError, match="q tensor must be same dtype as the input tensor"):
        torch_quantile(x.double(), c(0.25, 0.75))  # an R vector becomes a Float tensor
    with pytest.raises(RuntimeError, match="interpolation must be one of linear, lower, higher, midpoint or "
                                           "nearest, but got foo"):
        torch_quantile(x, 0.5, interpolation="foo")
    with pytest.raises(RuntimeError, match="input tensor must be non-empty"):
        torch_quantile(torch_tensor(numeric_empty()), 0.5)


# ---- amax, amin, aminmax ------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["Float", "Double", "Long", "Int", "Bool", "Byte"])
def test_amax_amin_aminmax(torch, name):
    values = np.asarray(MAT) % 2 if name == "Bool" else MAT
    x, tx = pair(torch, values, name)
    same(torch, torch_amax(x), tx.amax())
    same(torch, torch_amin(x), tx.amin())
    same(torch, x.amax(2), tx.amax(1))
    same(torch, x.amin(c(1, 2), keepdim=True), tx.amin((0, 1), keepdim=True))
    same(torch, x.amax(-1, keepdim=True), tx.amax(-1, keepdim=True))
    same(torch, x.amax(keepdim=True), tx.amax(keepdim=True))
    same(torch, torch_aminmax(x), tuple(tx.aminmax()))
    same(torch, torch_aminmax(x, dim=1), tuple(tx.aminmax(dim=0)))
    same(torch, x.aminmax(dim=-1, keepdim=True), tuple(tx.aminmax(dim=-1, keepdim=True)))
    same(torch, x.aminmax(keepdim=True), tuple(tx.aminmax(keepdim=True)))


def test_amax_nan_zero_d_and_empty(torch):
    x, tx = pair(torch, WITH_NAN)
    same(torch, torch_amax(x, 2), tx.amax(1))
    z, tz = pair(torch, 2.5)
    same(torch, torch_amax(z, 1), tz.amax(0))
    same(torch, torch_aminmax(z, dim=1), tuple(tz.aminmax(dim=0)))
    e, te = pair(torch, np.zeros((2, 0)))
    same(torch, torch_amax(e, 1), te.amax(0))
    with pytest.raises(IndexError, match=r"amax\(\): Expected reduction dim 1 to have non-zero size"):
        torch_amax(e, 2)
    with pytest.raises(RuntimeError, match=r"amin\(\): Expected reduction dim to be specified for input.numel"):
        torch_amin(e)
    with pytest.raises(RuntimeError, match="cannot compute aminmax over an empty dimension"):
        torch_aminmax(e)
    with pytest.raises(IndexError, match="aminmax: Expected reduction dim 1 to have non-zero size"):
        torch_aminmax(e, dim=2)


# ---- cummax, cummin, logcumsumexp ---------------------------------------------------------------

@pytest.mark.parametrize("name", ["Float", "Double", "Long", "Int", "Bool"])
@pytest.mark.parametrize("dim", [0, 1, -1])
def test_cummax_cummin(torch, name, dim):
    values = np.asarray(MAT) % 2 if name == "Bool" else MAT
    x, tx = pair(torch, values, name)
    same(torch, torch_cummax(x, rdim(dim)), tuple(tx.cummax(dim)))
    same(torch, x.cummin(rdim(dim)), tuple(tx.cummin(dim)))


def test_cummax_nan_zero_d_empty(torch):
    x, tx = pair(torch, [[3, NAN, 1, NAN, 5], [1, 2, 2, 1, 3]])
    same(torch, torch_cummax(x, 2), tuple(tx.cummax(1)))
    same(torch, torch_cummin(x, 2), tuple(tx.cummin(1)))
    z, tz = pair(torch, 4.0, "Long")
    same(torch, torch_cummax(z, 1), tuple(tz.cummax(0)))
    e, te = pair(torch, np.zeros(0))
    same(torch, torch_cummin(e, 1), tuple(te.cummin(0)))


@pytest.mark.parametrize("name", ["Float", "Double"])
def test_logcumsumexp(torch, name):
    x, tx = pair(torch, [[3, -1e30, 1, 2], [-math.inf, -math.inf, 0, 700]], name)
    for dim in (0, 1, -1):
        same(torch, torch_logcumsumexp(x, rdim(dim)), tx.logcumsumexp(dim))
    z, tz = pair(torch, 1.5, name)
    same(torch, z.logcumsumexp(1), tz.logcumsumexp(0))
    with pytest.raises(RuntimeError, match="\"logcumsumexp_out_cpu\" not implemented for 'Long'"):
        torch_logcumsumexp(torch_tensor(c(1, 2), dtype="long"), 1)


# ---- count_nonzero, nansum, nanmean, msort ------------------------------------------------------

@pytest.mark.parametrize("name", ["Float", "Long", "Bool", "Byte"])
def test_count_nonzero_nansum(torch, name):
    values = np.asarray(MAT) % 2 if name == "Bool" else np.asarray(MAT) - 3 * (name != "Byte")
    x, tx = pair(torch, values, name)
    same(torch, torch_count_nonzero(x), tx.count_nonzero())
    same(torch, x.count_nonzero(2), tx.count_nonzero(1))
    same(torch, x.count_nonzero(c(1, 2)), tx.count_nonzero((0, 1)))
    same(torch, torch_nansum(x), tx.nansum())
    same(torch, x.nansum(-1, keepdim=True), tx.nansum(-1, keepdim=True))
    same(torch, x.nansum(dtype="double"), tx.nansum(dtype=torch.float64))


def test_nansum_nanmean_nan(torch):
    x, tx = pair(torch, WITH_NAN)
    same(torch, torch_nansum(x), tx.nansum())
    same(torch, torch_nansum(x, 2), tx.nansum(1))
    same(torch, torch_nanmean(x), tx.nanmean())
    same(torch, torch_nanmean(x, 1, keepdim=True), tx.nanmean(0, keepdim=True))
    same(torch, x.nanmean(c(1, 2)), tx.nanmean((0, 1)))
    y, ty = pair(torch, [[NAN, NAN], [1, 2]], "Double")
    same(torch, y.nanmean(2), ty.nanmean(1))
    with pytest.raises(RuntimeError, match=r"nanmean\(\): expected input to have floating point or complex dtype "
                                           "but got Long"):
        torch_nanmean(torch_tensor(c(1, 2), dtype="long"))
    with pytest.raises(RuntimeError, match="dim 0 appears multiple times in the list of dims"):
        torch_count_nonzero(torch_tensor(c(1, 0)), c(1, 1))


@pytest.mark.parametrize("name", ["Float", "Long", "Bool"])
def test_msort(torch, name):
    values = np.asarray(MAT) % 2 if name == "Bool" else MAT
    x, tx = pair(torch, values, name)
    same(torch, torch_msort(x), tx.msort())
    z, tz = pair(torch, 3, name)
    same(torch, z.msort(), tz.msort())


# ---- norm, dist, cdist --------------------------------------------------------------------------

@pytest.mark.parametrize("p", [2, 1, 3, 0, math.inf, -math.inf, 0.5])
def test_norm(torch, p):
    x, tx = pair(torch, [[3, -1, 0], [1, 2, -2]])
    same(torch, torch_norm(x, p), torch.norm(tx, p))
    same(torch, x.norm(p, dim=1), torch.norm(tx, p, dim=0))
    same(torch, x.norm(p, dim=-1, keepdim=True), torch.norm(tx, p, dim=-1, keepdim=True))
    same(torch, x.norm(p, dim=c(1, 2)), torch.norm(tx, p, dim=(0, 1)))
    same(torch, torch_norm(x, p, dtype="double"), torch.ops.aten.norm(tx, p, dtype=torch.float64))
    same(torch, torch_norm(x.double(), p, dim=2), torch.norm(tx.double(), p, dim=1))


def test_norm_errors(torch):
    with pytest.raises(RuntimeError, match="norm\\(\\): the desired output dtype should be either floating point "
                                           "or complex. Got Long instead."):
        torch_norm(torch_tensor(c(1, 2), dtype="long"))
    with pytest.raises(RuntimeError, match="Expected a floating point or complex tensor as input. Got Long"):
        torch_norm(torch_tensor(c(1, 2), dtype="long"), dtype="float")
    with pytest.raises(RuntimeError, match=r"the dtype of the input \(Double\) should be convertible without "
                                           r"narrowing to the specified dtype \(Float\)"):
        torch_norm(torch_tensor(c(1, 2)).double(), dtype="float")
    with pytest.raises(RuntimeError, match="cannot compute the inf norm on an empty tensor"):
        torch_norm(torch_tensor(numeric_empty()), math.inf)
    e, te = pair(torch, np.zeros(0))
    same(torch, torch_norm(e), torch.norm(te))


@pytest.mark.parametrize("p", [2, 1, 0, math.inf, 3])
def test_dist(torch, p):
    a, ta = pair(torch, [[3, -1, 0], [1, 2, -2]])
    b, tb = pair(torch, [1, 1, 1], "Double")
    same(torch, torch_dist(a, b, p), torch.dist(ta, tb, p))
    same(torch, a.dist(a * 2, p), torch.dist(ta, ta * 2, p))
    with pytest.raises(RuntimeError, match="norm\\(\\): input dtype should be either floating point or complex. "
                                           "Got Long instead."):
        torch_dist(torch_tensor(c(1, 2), dtype="long"), torch_tensor(c(1, 2), dtype="long"))
    with pytest.raises(RuntimeError, match="The size of tensor a \\(3\\) must match the size of tensor b \\(2\\)"):
        torch_dist(a, torch_tensor(c(1, 2)))


@pytest.mark.parametrize("p", [2, 1, 0, math.inf, 1.5])
def test_cdist(torch, p):
    a, ta = pair(torch, [[3, -1, 0], [1, 2, -2]])
    b, tb = pair(torch, [[1, 1, 1], [0, 0, 0], [2, -1, 3], [3, -1, 0]])
    same(torch, torch_cdist(a, b, p), torch.cdist(ta, tb, p), rtol=1e-4, atol=1e-4)
    bb, tbb = pair(torch, np.arange(24).reshape(2, 4, 3) / 7)
    same(torch, torch_cdist(a, bb, p), torch.cdist(ta, tbb, p), rtol=1e-4, atol=1e-4)
    d, td = pair(torch, MAT, "Double")
    same(torch, torch_cdist(d, d, p), torch.cdist(td, td, p), rtol=1e-4, atol=1e-4)


def test_cdist_errors():
    a = torch_tensor(matrix_2x2())
    with pytest.raises(RuntimeError, match="cdist only supports floating-point dtypes, X1 got: Long"):
        torch_cdist(a.long(), a.long())
    with pytest.raises(RuntimeError, match="X1 and X2 must have the same number of columns. X1: 2 X2: 3"):
        torch_cdist(a, torch_tensor(np.ones((2, 3))))
    with pytest.raises(RuntimeError, match="cdist only supports at least 2D tensors, X1 got: 1D"):
        torch_cdist(torch_tensor(c(1, 2)), a)
    with pytest.raises(RuntimeError, match="expected scalar type Float but found Double"):
        torch_cdist(a, a.double())
    with pytest.raises(RuntimeError, match="cdist only supports non-negative p values"):
        torch_cdist(a, a, -1)


def matrix_2x2():
    return np.array([[3.0, -1.0], [1.0, 2.0]])


# ---- unique -------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["Float", "Long", "Bool", "Short"])
def test_unique(torch, name):
    values = [[1, 0, 1], [0, 0, 1]] if name == "Bool" else [[3, 1, 2], [2, 3, 3]]
    x, tx = pair(torch, values, name)
    for inv in (False, True):
        same(torch, torch__unique(x, True, inv), torch._unique(tx, True, inv))
        for counts in (False, True):
            same(torch, torch__unique2(x, True, inv, counts), torch._unique2(tx, True, inv, counts))
            same(torch, torch_unique_consecutive(x, inv, counts), torch.ops.aten.unique_consecutive(tx, inv, counts))
    for dim in (0, 1, -1):
        same(torch, torch_unique_dim(x, rdim(dim)), torch.ops.aten.unique_dim(tx, dim))
        same(torch, torch_unique_dim_consecutive(x, rdim(dim), True, True),
             torch.ops.aten.unique_dim_consecutive(tx, dim, True, True))
        same(torch, torch_unique_consecutive(x, True, True, dim=rdim(dim)),
             torch.ops.aten.unique_consecutive(tx, True, True, dim))


def test_unique_rows_nan_zero_d_empty(torch):
    x, tx = pair(torch, [[1, 2], [1, 2], [0, 1], [1, 2], [0, 0]], "Long")
    same(torch, torch_unique_dim(x, 1, return_inverse=True, return_counts=True),
         torch.ops.aten.unique_dim(tx, 0, True, True, True))
    same(torch, torch_unique_consecutive(x, True, True, 1), torch.ops.aten.unique_consecutive(tx, True, True, 0))
    n, tn = pair(torch, [NAN, 1, NAN, 1])
    same(torch, torch__unique2(n, True, True, True), torch._unique2(tn, True, True, True))
    z, tz = pair(torch, 3, "Long")
    same(torch, torch__unique2(z, True, True, True), torch._unique2(tz, True, True, True))
    same(torch, torch_unique_consecutive(z, True, True), torch.ops.aten.unique_consecutive(tz, True, True))
    e, te = pair(torch, np.zeros((0, 2)))
    same(torch, torch__unique2(e, True, True, True), torch._unique2(te, True, True, True))
    same(torch, torch_unique_dim(e, 1), torch.ops.aten.unique_dim(te, 0))
    with pytest.raises(RuntimeError, match="There are 0 sized dimensions, and they aren't selected"):
        torch_unique_dim(e, 2)
    with pytest.raises(IndexError, match="Dimension specified as 0 but tensor has no dimensions"):
        torch_unique_dim(z, 1)


# ---- histc --------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["Float", "Double"])
def test_histc(torch, name):
    data = np.array([1, 2, 1, 0.5, 3, 2.999, 0, 7.5, -1, 2.2]) / 1.3
    x, tx = pair(torch, data, name)
    same(torch, torch_histc(x), torch.histc(tx))
    for bins, lo, hi in ((4, 0, 3), (7, 0, 0), (5, -1, 1), (3, 1, 4), (10, 0.1, 0.7)):
        same(torch, torch_histc(x, bins, lo, hi), torch.histc(tx, bins, lo, hi))
        same(torch, x.histc(bins=bins, min=lo, max=hi), tx.histc(bins, lo, hi))
    same(torch, torch_histc(pair(torch, [1, 1], name)[0], 4), torch.histc(torch.tensor([1.0, 1.0]).to(tx.dtype), 4))
    same(torch, torch_histc(pair(torch, np.zeros(0), name)[0], 4), torch.histc(torch.zeros(0, dtype=tx.dtype), 4))
    same(torch, torch_histc(pair(torch, [[1, 2], [3, 4]], name)[0], 4),
         torch.histc(torch.tensor([[1, 2], [3, 4]], dtype=tx.dtype), 4))


def test_histc_errors():
    x = torch_tensor(c(1, 2, 1))
    with pytest.raises(RuntimeError, match="\"histogram_cpu\" not implemented for 'Long'"):
        torch_histc(x.long(), 4)
    with pytest.raises(RuntimeError, match="bins must be > 0, but got 0 for dimension 0"):
        torch_histc(x, 0)
    with pytest.raises(RuntimeError, match="torch.histc: max must be larger than min"):
        torch_histc(x, 4, 3, 1)
    with pytest.raises(RuntimeError, match=r"torch.histc: range of \[1, inf\] is not finite"):
        torch_histc(torch_tensor(c(1, math.inf)), 4)


# ---- searchsorted, bucketize --------------------------------------------------------------------

@pytest.mark.parametrize("name", ["Float", "Long", "Int", "Double"])
def test_searchsorted_bucketize(torch, name):
    s, ts = pair(torch, [1, 3, 5, 7, 9], name)
    v, tv = pair(torch, [[3, 6, 9], [0, 10, 1]], name)
    for right in (False, True):
        same(torch, torch_searchsorted(s, v, right=right), torch.searchsorted(ts, tv, right=right))
        same(torch, torch_bucketize(v, s, right=right), torch.bucketize(tv, ts, right=right))
    same(torch, torch_searchsorted(s, v, side="right"), torch.searchsorted(ts, tv, side="right"))
    same(torch, torch_searchsorted(s, v, out_int32=True), torch.searchsorted(ts, tv, out_int32=True))
    same(torch, torch_bucketize(v, s, out_int32=True), torch.bucketize(tv, ts, out_int32=True))
    same(torch, torch_searchsorted(s, 4.5), torch.searchsorted(ts, 4.5))
    same(torch, torch_bucketize(4, s), torch.bucketize(4, ts))
    same(torch, torch_searchsorted(s, v.float()), torch.searchsorted(ts, tv.float()))
    b, tb = pair(torch, [[1, 3, 5], [2, 4, 6]], name)
    w, tw = pair(torch, [[3, 0], [6, 3]], name)
    same(torch, torch_searchsorted(b, w), torch.searchsorted(tb, tw))
    u, tu = pair(torch, [5, 1, 3], name)
    srt = torch_tensor(np.array([1, 2, 0], np.int64))
    same(torch, torch_searchsorted(u, torch_tensor(c(2, 4)).to(dtype=u.dtype), sorter=srt),
         torch.searchsorted(tu, torch.tensor([2, 4]).to(tu.dtype), sorter=torch.tensor([1, 2, 0])))


def test_searchsorted_errors():
    s = torch_tensor(c(1, 3, 5))
    with pytest.raises(RuntimeError, match="side and right can't be set to opposites, got side of left while "
                                           "right was True"):
        torch_searchsorted(s, s, side="left", right=True)
    with pytest.raises(RuntimeError, match="side can only be 'left' or 'right' but got foo"):
        torch_searchsorted(s, s, side="foo")
    with pytest.raises(RuntimeError, match="boundaries tensor should have positive dimension, but got 0 dimension"):
        torch_searchsorted(s.sum(), s)
    with pytest.raises(RuntimeError, match=r"the first N-1 dimensions of boundaries tensor and input value tensor "
                                           r"must match, but we got boundaries tensor \[2, 3\] and input value "
                                           r"tensor \[2\]"):
        torch_searchsorted(torch_tensor(np.ones((2, 3))), torch_tensor(c(1, 2)))
    with pytest.raises(RuntimeError, match="\"searchsorted_out_cpu\" not implemented for 'Bool'"):
        torch_searchsorted(torch_tensor(c(True, False)), torch_tensor(c(True)))
    with pytest.raises(RuntimeError, match=r"boundaries tensor must be 1 dimension, but got dim\(2\)"):
        torch_bucketize(s, torch_tensor(np.ones((2, 3))))


# ---- trapz, trapezoid, cumulative_trapezoid -----------------------------------------------------

@pytest.mark.parametrize("name", ["Float", "Double", "Long", "Int"])
@pytest.mark.parametrize("dim", [0, 1, -1])
def test_trapezoid(torch, name, dim):
    y, ty = pair(torch, MAT, name)
    xs = [0, 1, 3, 4] if dim != 0 else [0, 2, 5]
    x, tx = pair(torch, xs, name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        same(torch, torch_trapz(y, dim=rdim(dim)), torch.trapz(ty, dim=dim))
        same(torch, torch_trapezoid(y, dx=2, dim=rdim(dim)), torch.trapezoid(ty, dx=2, dim=dim))
        same(torch, torch_trapezoid(y, x=x, dim=rdim(dim)), torch.trapezoid(ty, tx, dim=dim))
        same(torch, torch_trapz(y, x=y.double(), dim=rdim(dim)), torch.trapz(ty, ty.double(), dim=dim))
        same(torch, torch_cumulative_trapezoid(y, dim=rdim(dim)), torch.cumulative_trapezoid(ty, dim=dim))
        same(torch, torch_cumulative_trapezoid(y, dx=0.5, dim=rdim(dim)),
             torch.cumulative_trapezoid(ty, dx=0.5, dim=dim))
        same(torch, torch_cumulative_trapezoid(y, x=x, dim=rdim(dim)),
             torch.cumulative_trapezoid(ty, tx, dim=dim))


def test_trapezoid_edges_and_errors(torch):
    e, te = pair(torch, np.zeros(0))
    same(torch, torch_trapz(e), torch.trapz(te))
    same(torch, torch_cumulative_trapezoid(e), torch.cumulative_trapezoid(te))
    with pytest.raises(RuntimeError, match="trapezoid: received a bool input for `y`, but bool is not supported"):
        torch_trapezoid(torch_tensor(c(True, False)))
    with pytest.raises(RuntimeError, match="cumulative_trapezoid: received a bool input for `y`"):
        torch_cumulative_trapezoid(torch_tensor(c(True, False)))
    with pytest.raises(RuntimeError, match="trapezoid: There must be one `x` value for each sample point"):
        torch_trapezoid(torch_tensor(c(1, 2, 3)), x=torch_tensor(c(0, 1)))
    with pytest.raises(IndexError, match="Dimension specified as -1 but tensor has no dimensions"):
        torch_trapz(torch_tensor(c(1)).sum())
    with pytest.raises(IndexError, match=r"slice\(\) cannot be applied to a 0-dim tensor"):
        torch_cumulative_trapezoid(torch_tensor(c(1)).sum())


def test_r_vectors_are_converted_by_function_forms(torch):
    same(torch, torch_median(c(3, 1, 2)), torch.tensor([3.0, 1, 2]).median())
    same(torch, torch_trapz(c(1, 2, 3)), torch.trapz(torch.tensor([1.0, 2, 3])))
    same(torch, torch_searchsorted(c(1, 3, 5), c(2, 6)), torch.searchsorted(torch.tensor([1.0, 3, 5]),
                                                                            torch.tensor([2.0, 6])))
