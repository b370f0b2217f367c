"""`nnf_affine_grid`, `nnf_grid_sample` (R/nnf-vision.R), `nnf_conv_tbc` (R/nnf-conv.R) and
`nn_utils_weight_norm` (R/nn-utils-weight-norm.R): values, gradients (second order too) and node names
against PyTorch (libtorch, what R torch wraps), libtorch's errors, and R torch's
test-nn-utils-weight-norm.R."""
import re

import numpy as np
import pytest

import rtorch as r
from tests._require import require
from tests._compare import rt
from tests.test_nn_padding_distance import arr, check, f32

torch = require("torch")
F = torch.nn.functional


def _dt(a):
    return r.torch_double() if a.dtype == np.float64 else r.torch_float()


def _message(fn):
    with pytest.raises(Exception) as info:
        fn()
    return str(info.value).split("\n")[0]


def _same_error(fn_r, fn_t, kind=RuntimeError):
    """rtorch raises `kind` with libtorch's first message line."""
    expected = _message(fn_t)
    with pytest.raises(kind, match=re.escape(expected)):
        fn_r()


def _double_backward(fn_r, fn_t, *inputs, atol=1e-4):
    """Gradients of `sum(grad(sum(out^3)))` (create_graph) equal PyTorch's."""
    rs = [rt(x, True) for x in inputs]
    ts = [torch.tensor(x, requires_grad=True) for x in inputs]
    gr = r.autograd_grad((fn_r(*rs) ** 3).sum(), rs, create_graph=True)
    gt = torch.autograd.grad((fn_t(*ts) ** 3).sum(), ts, create_graph=True)
    for a, b in zip(gr, gt):
        np.testing.assert_allclose(arr(a), b.detach().numpy(), atol=atol, rtol=1e-5)
    sum(g.sum() for g in gr).backward()
    sum(g.sum() for g in gt).backward()
    for a, b in zip(rs, ts):
        np.testing.assert_allclose(arr(a.grad), b.grad.numpy(), atol=atol, rtol=1e-4)


# ---- nnf_affine_grid ------------------------------------------------------------------------------

@pytest.mark.parametrize("align_corners", [False, True])
@pytest.mark.parametrize("size", [(2, 3, 4, 5), (2, 1, 1, 6), (2, 3, 4, 5, 3), (2, 1, 2, 1, 4)], ids=str)
def test_affine_grid_matches_pytorch(size, align_corners):
    theta = f32(2, len(size) - 2, len(size) - 1)
    check(lambda t: r.nnf_affine_grid(t, size, align_corners), lambda t: F.affine_grid(t, size, align_corners),
          theta)


def test_affine_grid_node_dtype_and_double_backward():
    theta = rt(f32(1, 2, 3), True)
    grid = r.nnf_affine_grid(theta, [1, 2, 3, 4])
    assert str(grid.grad_fn) == "AffineGridGeneratorBackward0"
    assert tuple(grid.shape) == (1, 3, 4, 2)
    t64 = np.random.default_rng(3).standard_normal((2, 3, 4))
    out = r.nnf_affine_grid(r.torch_tensor(t64, dtype=r.torch_double()), [2, 1, 2, 3, 4], align_corners=True)
    assert out.dtype == r.torch_double()
    np.testing.assert_allclose(arr(out), F.affine_grid(torch.tensor(t64), [2, 1, 2, 3, 4], True).numpy(),
                               rtol=1e-12, atol=1e-14)
    _double_backward(lambda t: r.nnf_affine_grid(t, [2, 3, 4, 5]), lambda t: F.affine_grid(t, [2, 3, 4, 5], False),
                     f32(2, 2, 3))


def test_affine_grid_errors():
    theta = f32(2, 2, 3)
    _same_error(lambda: r.nnf_affine_grid(rt(theta), [2, 3, 4]),
                lambda: torch.affine_grid_generator(torch.tensor(theta), [2, 3, 4], False))
    _same_error(lambda: r.nnf_affine_grid(rt(f32(2, 3, 4)), [2, 3, 4, 5]),
                lambda: torch.affine_grid_generator(torch.tensor(f32(2, 3, 4)), [2, 3, 4, 5], False))
    _same_error(lambda: r.nnf_affine_grid(rt(theta), [3, 3, 4, 5]),
                lambda: torch.affine_grid_generator(torch.tensor(theta), [3, 3, 4, 5], False))
    for shape in [(2, 2, 3, 1), (6,), (2, 6)]:
        bad = f32(*shape)
        _same_error(lambda: r.nnf_affine_grid(rt(bad), [2, 3, 4, 5]),
                    lambda: torch.affine_grid_generator(torch.tensor(bad), [2, 3, 4, 5], False))


# ---- nnf_grid_sample ------------------------------------------------------------------------------

def _grid(*shape, scale=1.5, seed=2):
    """Grid coordinates, many outside [-1, 1] so every padding mode is exercised."""
    return (f32(*shape, seed=seed) * scale).astype(np.float32)


MODES_2D = ["bilinear", "nearest", "bicubic"]
PADDINGS = ["zeros", "border", "reflection"]


@pytest.mark.parametrize("align_corners", [False, True])
@pytest.mark.parametrize("padding_mode", PADDINGS)
@pytest.mark.parametrize("mode", MODES_2D)
def test_grid_sample_2d_matches_pytorch(mode, padding_mode, align_corners):
    x, grid = f32(2, 3, 5, 6), _grid(2, 4, 7, 2)
    check(lambda a, b: r.nnf_grid_sample(a, b, mode, padding_mode, align_corners),
          lambda a, b: F.grid_sample(a, b, mode, padding_mode, align_corners), x, grid,
          atol=5e-5 if mode == "bicubic" else 1e-5)


@pytest.mark.parametrize("align_corners", [False, True])
@pytest.mark.parametrize("padding_mode", PADDINGS)
@pytest.mark.parametrize("mode", ["bilinear", "nearest"])
def test_grid_sample_3d_matches_pytorch(mode, padding_mode, align_corners):
    x, grid = f32(2, 2, 4, 5, 6), _grid(2, 3, 4, 2, 3)
    check(lambda a, b: r.nnf_grid_sample(a, b, mode, padding_mode, align_corners),
          lambda a, b: F.grid_sample(a, b, mode, padding_mode, align_corners), x, grid)


@pytest.mark.parametrize("mode", MODES_2D)
def test_grid_sample_size_one_and_double(mode):
    """A spatial dim of size 1 (reflection's degenerate span) and float64 inputs."""
    x = np.random.default_rng(4).standard_normal((1, 2, 1, 4))
    grid = np.random.default_rng(5).standard_normal((1, 3, 3, 2)) * 1.5
    for pm in PADDINGS:
        for ac in (False, True):
            out = r.nnf_grid_sample(rt(x, dtype=r.torch_double()), rt(grid, dtype=r.torch_double()), mode, pm, ac)
            assert out.dtype == r.torch_double()
            expected = F.grid_sample(torch.tensor(x), torch.tensor(grid), mode, pm, ac).numpy()
            np.testing.assert_allclose(arr(out), expected, rtol=1e-10, atol=1e-12)


def test_grid_sample_identity_grid_reproduces_input():
    x = f32(1, 2, 4, 5)
    grid = r.nnf_affine_grid(r.torch_tensor(np.array([[[1, 0, 0], [0, 1, 0]]], dtype=np.float32)), [1, 2, 4, 5])
    for mode in ("bilinear", "nearest", "bicubic"):
        np.testing.assert_allclose(arr(r.nnf_grid_sample(rt(x), grid, mode)), x, atol=1e-5)


def test_spatial_transformer_chain_gradients():
    """theta -> affine_grid -> grid_sample: the gradient reaches theta through both nodes."""
    x, theta = f32(2, 3, 6, 5), f32(2, 2, 3, seed=7) * 0.5 + np.array([[1, 0, 0], [0, 1, 0]], np.float32)
    check(lambda a, t: r.nnf_grid_sample(a, r.nnf_affine_grid(t, [2, 3, 4, 4]), padding_mode="border"),
          lambda a, t: F.grid_sample(a, F.affine_grid(t, [2, 3, 4, 4], False), padding_mode="border",
                                     align_corners=False), x, theta)


def test_grid_sample_nodes_and_nearest_grid_gradient():
    x, grid = rt(f32(1, 2, 3, 4), True), rt(_grid(1, 2, 2, 2), True)
    out = r.nnf_grid_sample(x, grid, mode="nearest")
    assert "GridSampler2DBackward0" in str(out.grad_fn)
    out.sum().backward()
    np.testing.assert_array_equal(arr(grid.grad), np.zeros((1, 2, 2, 2), np.float32))
    out3 = r.nnf_grid_sample(rt(f32(1, 1, 2, 3, 4), True), rt(_grid(1, 2, 2, 2, 3)))
    assert "GridSampler3DBackward0" in str(out3.grad_fn)


@pytest.mark.parametrize("mode", MODES_2D)
def test_grid_sample_double_backward(mode):
    _double_backward(lambda a, b: r.nnf_grid_sample(a, b, mode, "reflection"),
                     lambda a, b: F.grid_sample(a, b, mode, "reflection", align_corners=False),
                     f32(1, 2, 4, 5), _grid(1, 3, 3, 2))


def test_grid_sample_errors():
    def both(x, grid, mode=0):
        name = {0: "bilinear", 1: "nearest", 2: "bicubic"}[mode]
        _same_error(lambda: r.nnf_grid_sample(rt(x, dtype=_dt(x)), rt(grid, dtype=_dt(grid)), name),
                    lambda: torch.grid_sampler(torch.tensor(x), torch.tensor(grid), mode, 0, False))
    both(f32(2, 3, 4, 5), f32(2, 3, 4, 3))
    both(f32(2, 3, 4, 5), f32(3, 3, 4, 2))
    both(f32(2, 3, 4, 5), f32(2, 3, 4, 5, 2))
    both(f32(2, 3, 4, 5, 5), f32(2, 3, 4, 5, 3), mode=2)
    both(f32(2, 3, 0, 5), f32(2, 3, 4, 2))
    both(f32(2, 3, 4), f32(2, 3, 2))
    both(f32(2, 3, 4, 5), f32(2, 3, 4, 2).astype(np.float64))
    with pytest.raises(ValueError, match="Unknown mode name 'cubic'"):
        r.nnf_grid_sample(rt(f32(1, 1, 2, 2)), rt(f32(1, 1, 1, 2)), mode="cubic")
    with pytest.raises(ValueError, match="the condition has length > 1"):
        r.nnf_grid_sample(rt(f32(1, 1, 2, 2)), rt(f32(1, 1, 1, 2)), mode=["bilinear", "nearest"])
    np.testing.assert_array_equal(arr(r.nnf_grid_sample(rt(f32(1, 1, 2, 2)), rt(f32(1, 1, 1, 2)), ["nearest"])),
                                  arr(r.nnf_grid_sample(rt(f32(1, 1, 2, 2)), rt(f32(1, 1, 1, 2)), "nearest")))
    with pytest.raises(ValueError, match="Unknown padding mode name 'wrap'"):
        r.nnf_grid_sample(rt(f32(1, 1, 2, 2)), rt(f32(1, 1, 1, 2)), padding_mode="wrap")


# ---- nnf_conv_tbc ---------------------------------------------------------------------------------

@pytest.mark.parametrize("pad", [0, 1, 2, -1])
def test_conv_tbc_matches_pytorch(pad):
    x, w, b = f32(6, 2, 3), f32(3, 3, 4, seed=2), f32(4, seed=3)
    check(lambda a, ww, bb: r.nnf_conv_tbc(a, ww, bb, pad), lambda a, ww, bb: torch.conv_tbc(a, ww, bb, pad),
          x, w, b)


def test_conv_tbc_node_double_backward_and_empty():
    x, w, b = rt(f32(5, 2, 3), True), rt(f32(2, 3, 4, seed=2)), rt(f32(4, seed=3))
    assert "ConvTbcBackward0" in str(r.torch_conv_tbc(x, w, b, 1).grad_fn)
    _double_backward(lambda a, ww, bb: r.nnf_conv_tbc(a, ww, bb, 1), lambda a, ww, bb: torch.conv_tbc(a, ww, bb, 1),
                     f32(5, 2, 3), f32(2, 3, 4, seed=2), f32(4, seed=3))
    out = r.nnf_conv_tbc(rt(f32(2, 2, 3)), rt(f32(3, 3, 4)), rt(f32(4)))
    assert tuple(out.shape) == (0, 2, 4)


def test_conv_tbc_errors():
    cases = [((5, 2), (3, 3, 4), (4,), 1), ((5, 2, 3), (3, 4), (4,), 1), ((5, 2, 3), (3, 3, 4), (4, 1), 1),
             ((5, 2, 3), (3, 2, 4), (4,), 1), ((5, 2, 3), (3, 3, 4), (5,), 1), ((2, 2, 3), (5, 3, 4), (4,), 0)]
    for xs, ws, bs, pad in cases:
        x, w, b = f32(*xs), f32(*ws), f32(*bs)
        _same_error(lambda: r.nnf_conv_tbc(rt(x), rt(w), rt(b), pad),
                    lambda: torch.conv_tbc(torch.tensor(x), torch.tensor(w), torch.tensor(b), pad))
    x = f32(5, 2, 3).astype(np.float64)
    _same_error(lambda: r.nnf_conv_tbc(rt(x, dtype=r.torch_double()), rt(f32(3, 3, 4)), rt(f32(4)), 0),
                lambda: torch.conv_tbc(torch.tensor(x), torch.tensor(f32(3, 3, 4)), torch.tensor(f32(4)), 0))


# ---- nn_utils_weight_norm -------------------------------------------------------------------------

def test_weight_norm_testthat():
    """R torch's test-nn-utils-weight-norm.R."""
    in_feats, out_feats = 20, 40
    weight_norm = r.nn_utils_weight_norm.new("weight", 2)
    lin = r.nn_linear(in_feats, out_feats)
    weight_norm.apply(lin)
    before = arr(lin.weight)
    weight_norm.recompute(lin)
    np.testing.assert_allclose(arr(lin.weight), before)
    assert tuple(lin.weight_g.shape) == (1, in_feats)
    assert tuple(lin.weight_v.shape) == (out_feats, in_feats)
    weight_norm.call(lin)
    np.testing.assert_allclose(arr(lin.weight), before)
    assert str(lin.weight.grad_fn) == "WeightNormInterfaceBackward0"
    assert weight_norm.remove(lin) is lin.weight
    np.testing.assert_allclose(arr(lin.weight), before, rtol=1e-6)
    assert lin.weight.grad_fn is None
    assert "weight_v" not in lin.parameters and "weight_g" not in lin.parameters
    assert lin.weight.requires_grad


def _torch_copy(module_r, module_t):
    with torch.no_grad():
        for name, p in module_r.parameters.items():
            getattr(module_t, name).copy_(torch.tensor(arr(p)))


# (layer, R dim, PyTorch dim, fused node)
WN = [("linear", 1, 0, True), ("linear", 2, 1, True), ("linear", None, None, False), ("conv", 1, 0, True),
      ("conv", 2, 1, False), ("conv", 4, 3, True), ("conv", -2, -2, False), ("conv", None, None, False)]


@pytest.mark.parametrize("layer,dim,tdim,fused", WN, ids=str)
def test_weight_norm_matches_pytorch(layer, dim, tdim, fused):
    if layer == "linear":
        m, mt, x = r.nn_linear(5, 4), torch.nn.Linear(5, 4), f32(3, 5)
    else:
        m, mt, x = r.nn_conv2d(2, 3, 3), torch.nn.Conv2d(2, 3, 3), f32(2, 2, 5, 5)
    _torch_copy(m, mt)
    wn = r.nn_utils_weight_norm("weight", dim)
    wn.apply(m)
    with pytest.warns(FutureWarning):
        torch.nn.utils.weight_norm(mt, "weight", dim=tdim)
    assert list(m.parameters) == ["bias", "weight_g", "weight_v"]
    for name in ("weight_g", "weight_v"):
        np.testing.assert_allclose(arr(getattr(m, name)), getattr(mt, name).detach().numpy(), rtol=1e-6, atol=1e-7)
    assert (str(m.weight.grad_fn) == "WeightNormInterfaceBackward0") == fused
    out, tout = m(rt(x)), mt(torch.tensor(x))
    np.testing.assert_allclose(arr(out), tout.detach().numpy(), atol=1e-5)
    (out ** 2).sum().backward()
    (tout ** 2).sum().backward()
    for name in ("weight_g", "weight_v", "bias"):
        np.testing.assert_allclose(arr(getattr(m, name).grad), getattr(mt, name).grad.numpy(), atol=1e-4, rtol=1e-5)
    wn.remove(m)
    assert list(m.parameters) == ["bias", "weight"]
    np.testing.assert_allclose(arr(m.weight), mt.weight.detach().numpy(), atol=1e-6)


def test_weight_norm_interface_double_backward():
    """Second order against PyTorch's composite `v * (g / norm_except_dim(v, 2, dim))`: PyTorch's fused
    `_weight_norm_interface` double backward fails its own `gradgradcheck` (checked here too)."""
    from rtorch.nn.modules._weight_norm import _weight_norm
    v64 = np.random.default_rng(8).standard_normal((4, 3))
    g64 = np.abs(np.random.default_rng(9).standard_normal((4, 1))) + 0.5
    with pytest.raises(Exception, match="Jacobian mismatch"):
        torch.autograd.gradgradcheck(lambda a, b: torch._weight_norm_interface(a, b, 0)[0],
                                     (torch.tensor(v64, requires_grad=True), torch.tensor(g64, requires_grad=True)))
    for dim, gshape in ((0, (4, 1)), (1, (1, 3))):
        v, g = f32(4, 3), np.abs(f32(*gshape, seed=4)) + 0.5
        check(lambda a, b: _weight_norm(a, b, dim), lambda a, b: torch._weight_norm(a, b, dim), v, g)
        _double_backward(lambda a, b: _weight_norm(a, b, dim),
                         lambda a, b: a * (b / torch.norm_except_dim(a, 2, dim)), v, g)


def test_weight_norm_dim_zero_is_r_torch_error():
    with pytest.raises(RuntimeError, match="Indexing starts at 1 but found a 0."):
        r.nn_utils_weight_norm("weight", 0).apply(r.nn_linear(2, 3))
