"""`nnf_interpolate` / `nn_upsample`, `nnf_pixel_shuffle`, `nnf_unfold` / `nnf_fold`: values and gradients
against PyTorch (libtorch, what R torch wraps), libtorch's and R torch's errors, and R torch's
test-nn-upsampling.R, test-nnf-upsampling.R and test-nnf-fold.R."""
import numpy as np
import pytest

import rtorch as r
from tests._require import require
from tests.test_nn_padding_distance import check, f32

torch = require("torch")
F = torch.nn.functional


# ---- nnf_interpolate ------------------------------------------------------------------------------

CASES = [((2, 3, 5), "nearest", {"size": 8}), ((2, 3, 5), "nearest", {"size": 3}),
         ((2, 3, 5), "nearest", {"scale_factor": 2.5}), ((1, 2, 4, 5), "nearest", {"size": (7, 3)}),
         ((1, 2, 4, 5), "nearest", {"scale_factor": 2}), ((1, 2, 3, 4, 2), "nearest", {"size": (5, 2, 3)}),
         ((2, 3, 5), "linear", {"size": 9}), ((2, 3, 5), "linear", {"scale_factor": 1.7}),
         ((2, 3, 6), "linear", {"size": 4}), ((1, 2, 4, 5), "bilinear", {"size": (7, 3)}),
         ((1, 2, 4, 5), "bilinear", {"scale_factor": (1.5, 2)}), ((1, 2, 3, 4, 2), "trilinear", {"size": (5, 2, 3)}),
         ((1, 2, 6, 6), "area", {"size": (3, 4)}), ((2, 3, 7), "area", {"size": 4})]


# align_corners applies to the interpolating modes only (nearest and area take no corners)
INTERPOLATE_CASES = [(shape, mode, kw, corners) for shape, mode, kw in CASES
                     for corners in ([False] if mode in ("nearest", "area") else [False, True])]


@pytest.mark.parametrize("shape,mode,kw,align_corners", INTERPOLATE_CASES, ids=str)
def test_interpolate_matches_pytorch(shape, mode, kw, align_corners):
    x = f32(*shape)
    tkw = dict(kw) if mode in ("nearest", "area") else dict(kw, align_corners=align_corners)
    check(lambda a: r.nnf_interpolate(a, mode=mode, align_corners=align_corners, **kw),
          lambda a: F.interpolate(a, mode=mode, **tkw), x)


def test_upsample_matches_pytorch():
    x = f32(1, 2, 3, 4)
    check(r.nn_upsample(scale_factor=2, mode="bilinear", align_corners=True),
          torch.nn.Upsample(scale_factor=2, mode="bilinear", align_corners=True), x)
    check(r.nn_upsample(size=(5, 7)), torch.nn.Upsample(size=(5, 7)), x)


def test_interpolate_errors():
    x = r.torch_ones(1, 1, 2, 2)
    with pytest.raises(ValueError, match="only one of size or scale_factor"):
        r.nnf_interpolate(x, size=4, scale_factor=2)
    with pytest.raises(ValueError, match="either size or scale_factor"):
        r.nnf_interpolate(x)
    with pytest.raises(ValueError, match="size shape must match input shape. Input is 2D, size is 3"):
        r.nnf_interpolate(x, size=[1, 2, 3])
    with pytest.raises(NotImplementedError, match="Got 4D input, but trilinear mode needs 5D input"):
        r.nnf_interpolate(x, size=3, mode="trilinear")
    with pytest.raises(NotImplementedError, match="Only 3D, 4D and 5D input"):
        r.nnf_interpolate(r.torch_ones(2, 2), size=3)


# R torch's test-nn-upsampling.R and test-nnf-upsampling.R
def test_r_upsample_works():
    input = r.torch_arange(start=1, end=4, dtype=r.torch_float()).view([1, 1, 2, 2])
    for sf in ([2], [2, 2]):
        out = np.asarray(r.nn_upsample(scale_factor=sf, mode="nearest")(input))[0, 0]
        np.testing.assert_array_equal(out, np.kron([[1, 2], [3, 4]], np.ones((2, 2))))
    assert list(r.nn_upsample(scale_factor=2, mode="bilinear")(input).shape) == [1, 1, 4, 4]
    out = r.nn_upsample(scale_factor=2, mode="bilinear", align_corners=True)(input)
    assert list(out.shape) == [1, 1, 4, 4] and float(np.asarray(out)[0, 0, 0, 0]) == 1
    with pytest.raises(ValueError):
        r.nn_upsample(scale_factor=[2], size=[4, 4], mode="nearest")(input)
    with pytest.raises(ValueError):
        r.nn_upsample(scale_factor=[2, 2, 2], mode="nearest")(input)
    with pytest.raises(ValueError):
        r.nn_upsample()(input)


def test_r_interpolate():
    assert list(r.nnf_interpolate(r.torch_ones(3, 32, 32), size=40).shape) == [3, 32, 40]
    o = r.nnf_interpolate(r.torch_ones(1, 3, 32, 32), size=[40, 40], mode="bilinear")
    assert list(o.shape) == [1, 3, 40, 40] and not np.isnan(np.asarray(o)).any()


# ---- pixel shuffle --------------------------------------------------------------------------------

@pytest.mark.parametrize("shape,factor", [((2, 8, 3, 4), 2), ((9, 2, 3), 3), ((2, 1, 4, 2, 2), 2)], ids=str)
def test_pixel_shuffle_matches_pytorch(shape, factor):
    check(lambda a: r.nnf_pixel_shuffle(a, factor), lambda a: F.pixel_shuffle(a, factor), f32(*shape))
    check(lambda a: r.torch_pixel_shuffle(a, factor), lambda a: F.pixel_shuffle(a, factor), f32(*shape))


def test_pixel_shuffle_errors():
    with pytest.raises(RuntimeError, match="at least 3 dimensions, but got input with 2"):
        r.nnf_pixel_shuffle(r.torch_randn(2, 3), 2)
    with pytest.raises(RuntimeError, match=r"input.size\(-3\)=5 is not divisible by 4"):
        r.nnf_pixel_shuffle(r.torch_randn(2, 5, 3, 3), 2)


# ---- fold / unfold --------------------------------------------------------------------------------

ARGS = [dict(kernel_size=(2, 3)), dict(kernel_size=2, stride=2), dict(kernel_size=3, padding=1, dilation=2),
        dict(kernel_size=(2, 2), padding=(1, 0), stride=(2, 1), dilation=(1, 2))]


@pytest.mark.parametrize("kw", ARGS, ids=str)
@pytest.mark.parametrize("batched", [True, False])
def test_unfold_fold_match_pytorch(kw, batched):
    shape = (2, 3, 6, 7) if batched else (3, 6, 7)
    x = f32(*shape)
    check(lambda a: r.nnf_unfold(a, **kw), lambda a: F.unfold(a, **kw), x)
    cols = F.unfold(torch.tensor(x), **kw).numpy()
    check(lambda a: r.nnf_fold(a, (6, 7), **kw), lambda a: F.fold(a, (6, 7), **kw), cols)


def test_fold_errors():
    with pytest.raises(RuntimeError, match="calculated number of sliding blocks 2 \\* 2 = 4, but got input.size\\(2\\)=5"):
        r.nnf_fold(r.torch_randn(2, 30, 5), [3, 4], [2, 3])
    with pytest.raises(RuntimeError, match="divisible by the product of kernel_size"):
        r.nnf_fold(r.torch_randn(2, 31, 4), [3, 4], [2, 3])
    with pytest.raises(RuntimeError, match="Expected 2D or 3D"):
        r.nnf_fold(r.torch_randn(2, 30, 4, 1), [3, 4], [2, 3])
    with pytest.raises(RuntimeError, match="must be at least one"):
        r.nnf_unfold(r.torch_randn(2, 5, 3, 4), [5, 3])


# R torch's test-nnf-fold.R
def test_r_unfold_works():
    assert list(r.nnf_unfold(r.torch_randn(2, 5, 3, 4), kernel_size=[2, 3]).shape) == [2, 30, 4]
    with pytest.raises(RuntimeError, match="Expected 3D or 4D"):
        r.nnf_unfold(r.torch_randn(2, 5, 3, 4, 5), kernel_size=[2, 3])
