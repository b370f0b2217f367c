"""Convolutions and poolings (rtorch/nn/functional/_conv.py, _pooling.py, rtorch/nn/modules/_conv.py,
_pooling.py) against PyTorch: outputs, input/weight/bias gradients, second-order gradients, the graph's
node names, the modules' seeded default init, 1-based max-pool indices, libtorch's error messages; and
the shape tests of R torch's tests/testthat/test-nn-conv.R and test-nnf-pooling.R."""
import itertools
import re

import numpy as np
import pytest

import rtorch
from rtorch import (autograd_grad, nn_adaptive_avg_pool1d, nn_adaptive_avg_pool2d, nn_adaptive_max_pool2d,
                    nn_avg_pool1d, nn_avg_pool2d, nn_conv1d, nn_conv2d, nn_conv3d, nn_conv_transpose1d,
                    nn_conv_transpose2d, nn_max_pool1d, nn_max_pool2d, nnf_adaptive_avg_pool1d,
                    nnf_adaptive_avg_pool2d, nnf_adaptive_max_pool1d, nnf_adaptive_max_pool2d, nnf_avg_pool1d,
                    nnf_avg_pool2d, nnf_conv1d, nnf_conv2d, nnf_conv3d, nnf_conv_transpose1d, nnf_conv_transpose2d,
                    nnf_max_pool1d, nnf_max_pool2d, torch_manual_seed, torch_randn, torch_tensor)
from tests._require import require

torch = require("torch")
F = torch.nn.functional
TOL = dict(rtol=1e-4, atol=1e-5)


def _r(a, requires_grad=True):
    t = torch_tensor(np.asarray(a))
    if requires_grad:
        t.requires_grad_(True)
    return t


def _t(a):
    return torch.tensor(np.asarray(a), requires_grad=True)


def _np(x):
    return x._data if isinstance(x, rtorch.Tensor) else x.detach().numpy()


def _close(a, b, **tol):
    np.testing.assert_allclose(_np(a), _np(b), **(tol or TOL))


def _compare(r_fn, t_fn, arrays, seed=0):
    """Forward, and the gradient of every input under a random upstream gradient, rtorch vs PyTorch."""
    rs = [_r(a) for a in arrays]
    ts = [_t(a) for a in arrays]
    ro, to = r_fn(*rs), t_fn(*ts)
    assert tuple(ro.shape) == tuple(to.shape)
    _close(ro, to)
    g = np.random.default_rng(seed).standard_normal(tuple(to.shape)).astype(np.float32)
    to.backward(torch.tensor(g))
    ro.backward(_r(g, False))
    for r, t in zip(rs, ts):
        _close(r.grad, t.grad)
    return ro


RNG = np.random.default_rng(42)


def _randn(*shape):
    return RNG.standard_normal(shape).astype(np.float32)


# ---- functional convolutions --------------------------------------------------------------------

GRID = [(s, p, d, g) for s, p, d, g in itertools.product([1, 2], [0, 1, (2, 0), "same", "valid"], [1, 2], [1, 2])
        if not (p == "same" and s != 1)]


@pytest.mark.parametrize("stride,padding,dilation,groups", GRID)
def test_conv2d_matches_pytorch(stride, padding, dilation, groups):
    x, w, b = _randn(2, 4, 9, 8), _randn(6, 4 // groups, 3, 2), _randn(6)
    _compare(lambda x, w, b: nnf_conv2d(x, w, b, stride, padding, dilation, groups),
             lambda x, w, b: F.conv2d(x, w, b, stride, padding, dilation, groups), [x, w, b])


@pytest.mark.parametrize("stride,padding,dilation,groups",
                         [(s, p, d, g) for s, p, d, g in GRID if not isinstance(p, tuple)])
def test_conv1d_matches_pytorch(stride, padding, dilation, groups):
    x, w, b = _randn(3, 4, 11), _randn(6, 4 // groups, 3), _randn(6)
    _compare(lambda x, w, b: nnf_conv1d(x, w, b, stride, padding, dilation, groups),
             lambda x, w, b: F.conv1d(x, w, b, stride, padding, dilation, groups), [x, w, b])


@pytest.mark.parametrize("stride,padding,dilation,groups", [(1, 0, 1, 1), (2, 1, 1, 2), (1, "same", 2, 1),
                                                            ((1, 2, 1), (1, 0, 2), (2, 1, 1), 1)])
def test_conv3d_matches_pytorch(stride, padding, dilation, groups):
    x, w, b = _randn(2, 4, 7, 6, 8), _randn(4, 4 // groups, 3, 2, 3), _randn(4)
    _compare(lambda x, w, b: nnf_conv3d(x, w, b, stride, padding, dilation, groups),
             lambda x, w, b: F.conv3d(x, w, b, stride, padding, dilation, groups), [x, w, b])


def test_depthwise_and_no_bias_and_unbatched():
    x, w = _randn(2, 6, 7, 7), _randn(6, 1, 3, 3)
    _compare(lambda x, w: nnf_conv2d(x, w, groups=6, padding=1), lambda x, w: F.conv2d(x, w, groups=6, padding=1),
             [x, w])
    x, w = _randn(4, 9, 8), _randn(5, 4, 3, 3)
    _compare(lambda x, w: nnf_conv2d(x, w), lambda x, w: F.conv2d(x, w), [x, w])


@pytest.mark.parametrize("stride,padding,output_padding,groups,dilation",
                         [(1, 0, 0, 1, 1), (2, 1, 1, 2, 1), (2, 0, 1, 1, 2), (3, (1, 2), (2, 0), 1, 1),
                          (1, 1, 0, 2, 2)])
def test_conv_transpose2d_matches_pytorch(stride, padding, output_padding, groups, dilation):
    x, w, b = _randn(2, 4, 5, 6), _randn(4, 6 // groups, 3, 3), _randn(6)
    _compare(lambda x, w, b: nnf_conv_transpose2d(x, w, b, stride, padding, output_padding, groups, dilation),
             lambda x, w, b: F.conv_transpose2d(x, w, b, stride, padding, output_padding, groups, dilation),
             [x, w, b])


@pytest.mark.parametrize("stride,padding,output_padding,groups,dilation",
                         [(1, 0, 0, 1, 1), (2, 1, 1, 2, 1), (3, 2, 1, 1, 2)])
def test_conv_transpose1d_matches_pytorch(stride, padding, output_padding, groups, dilation):
    x, w, b = _randn(2, 4, 7), _randn(4, 6 // groups, 3), _randn(6)
    _compare(lambda x, w, b: nnf_conv_transpose1d(x, w, b, stride, padding, output_padding, groups, dilation),
             lambda x, w, b: F.conv_transpose1d(x, w, b, stride, padding, output_padding, groups, dilation),
             [x, w, b])


def test_torch_conv_names_are_the_nnf_ones():
    x, w = _randn(1, 2, 5, 5), _randn(3, 2, 3, 3)
    _close(rtorch.torch_conv2d(_r(x), _r(w), padding=1), F.conv2d(_t(x), _t(w), padding=1))
    _close(rtorch.torch_conv_transpose2d(_r(x), _r(w.transpose(1, 0, 2, 3).copy())),
           F.conv_transpose2d(_t(x), _t(w.transpose(1, 0, 2, 3).copy())))
    x1 = x[:, :, 0].copy()
    _close(rtorch.torch_conv1d(_r(x1), _r(w[:, :, 0].copy())), F.conv1d(_t(x1), _t(w[:, :, 0].copy())))


def test_conv_grad_fn_names():
    x, w = _r(_randn(1, 2, 5, 5)), _r(_randn(3, 2, 3, 3))
    assert nnf_conv2d(x, w).grad_fn.name == "ConvolutionBackward0"
    assert nnf_conv1d(_r(_randn(1, 2, 5)), _r(_randn(3, 2, 3))).grad_fn.name == "ConvolutionBackward0"
    assert nnf_conv_transpose2d(x, _r(_randn(2, 3, 3, 3))).grad_fn.name == "ConvolutionBackward0"
    g, = autograd_grad(nnf_conv2d(x, w).sum(), x, create_graph=True)
    assert g.grad_fn.name == "ConvolutionBackwardBackward0"


@pytest.mark.parametrize("op", ["conv", "transpose"])
def test_second_order_gradients_match_pytorch(op):
    """d/dw and d/dx of sum(dL/dx ^ 2) and sum(dL/dw ^ 2) (create_graph through the conv's backward)."""
    x, w, b = _randn(2, 4, 6, 6), _randn(4, 2, 3, 3), _randn(4)
    if op == "conv":
        rf = lambda x, w, b: nnf_conv2d(x, w, b, stride=2, padding=1, dilation=1, groups=2)
        tf = lambda x, w, b: F.conv2d(x, w, b, stride=2, padding=1, groups=2)
    else:
        rf = lambda x, w, b: nnf_conv_transpose2d(x, w, b, stride=2, padding=1, output_padding=1, groups=2)
        tf = lambda x, w, b: F.conv_transpose2d(x, w, b, stride=2, padding=1, output_padding=1, groups=2)
    rx, rw, rb = _r(x), _r(w), _r(b)
    tx, tw, tb = _t(x), _t(w), _t(b)
    ro, to = rf(rx, rw, rb), tf(tx, tw, tb)
    rgx, rgw = autograd_grad((ro * ro).sum(), [rx, rw], create_graph=True)
    tgx, tgw = torch.autograd.grad((to * to).sum(), [tx, tw], create_graph=True)
    _close(rgx, tgx)
    _close(rgw, tgw)
    r2 = autograd_grad((rgx * rgx).sum() + (rgw * rgw).sum(), [rx, rw, rb])
    t2 = torch.autograd.grad((tgx * tgx).sum() + (tgw * tgw).sum(), [tx, tw, tb])
    for a, e in zip(r2, t2):
        _close(a, e, rtol=1e-3, atol=1e-3)


# ---- errors, in libtorch's words ----------------------------------------------------------------

def _same_error(r_call, t_call):
    with pytest.raises(Exception) as te:
        t_call()
    with pytest.raises(type(te.value), match=re.escape(str(te.value).splitlines()[0])):
        r_call()


@pytest.mark.parametrize("case", [
    ("channels", lambda m: m.conv2d(m.x(1, 4, 8, 8), m.x(8, 3, 3, 3))),
    ("rank", lambda m: m.conv2d(m.x(8, 8), m.x(8, 4, 3, 3))),
    ("rank1d", lambda m: m.conv1d(m.x(1, 4, 8, 8), m.x(8, 4, 3))),
    ("groups", lambda m: m.conv2d(m.x(1, 4, 8, 8), m.x(8, 2, 3, 3), groups=3)),
    ("kernel", lambda m: m.conv2d(m.x(1, 4, 8, 8), m.x(8, 4, 9, 9))),
    ("same-stride", lambda m: m.conv2d(m.x(1, 4, 8, 8), m.x(8, 4, 3, 3), stride=2, padding="same")),
    ("bad-string", lambda m: m.conv2d(m.x(1, 4, 8, 8), m.x(8, 4, 3, 3), padding="foo")),
    ("bias", lambda m: m.conv2d(m.x(1, 4, 8, 8), m.x(8, 2, 3, 3), m.x(3), groups=2)),
    ("transposed-channels", lambda m: m.conv_transpose2d(m.x(1, 5, 8, 8), m.x(4, 2, 3, 3))),
    ("dtype", lambda m: m.conv2d(m.x(1, 4, 8, 8).double(), m.x(8, 4, 3, 3))),
    ("bias-dtype", lambda m: m.conv2d(m.x(1, 4, 8, 8), m.x(8, 4, 3, 3), m.x(8).double())),
    ("stride", lambda m: m.conv2d(m.x(1, 4, 8, 8), m.x(8, 4, 3, 3), stride=0)),
    ("stride-length", lambda m: m.conv2d(m.x(1, 4, 8, 8), m.x(8, 4, 3, 3), stride=[1, 2, 3])),
    ("padding", lambda m: m.conv2d(m.x(1, 4, 8, 8), m.x(8, 4, 3, 3), padding=-1)),
    ("dilation", lambda m: m.conv2d(m.x(1, 4, 8, 8), m.x(8, 4, 3, 3), dilation=0)),
    ("pool-pad", lambda m: m.max_pool2d(m.x(1, 4, 8, 8), 5, padding=3)),
    ("pool-small", lambda m: m.max_pool2d(m.x(1, 4, 8, 8), 20)),
    ("avg-pool-small", lambda m: m.avg_pool2d(m.x(1, 4, 8, 8), 20)),
    ("pool-rank", lambda m: m.max_pool2d(m.x(8, 8, 8, 8, 8), 2)),
    ("pool1d-rank", lambda m: m.max_pool1d(m.x(1, 4, 8, 8), 2)),
    ("avg-pool1d-rank", lambda m: m.avg_pool1d(m.x(1, 4, 8, 8), 2)),
    ("adaptive-rank", lambda m: m.adaptive_avg_pool2d(m.x(8), 2)),
    ("adaptive-max-rank", lambda m: m.adaptive_max_pool2d(m.x(8), 2)),
], ids=lambda c: c[0])
def test_errors_in_libtorchs_words(case):
    class R:
        x = staticmethod(lambda *s: torch_randn(*s))
        conv1d, conv2d, conv_transpose2d = nnf_conv1d, nnf_conv2d, nnf_conv_transpose2d
        max_pool1d, max_pool2d, avg_pool1d, avg_pool2d = nnf_max_pool1d, nnf_max_pool2d, nnf_avg_pool1d, nnf_avg_pool2d
        adaptive_avg_pool2d, adaptive_max_pool2d = nnf_adaptive_avg_pool2d, nnf_adaptive_max_pool2d

    class T:
        x = staticmethod(lambda *s: torch.randn(*s))
        conv1d, conv2d, conv_transpose2d = F.conv1d, F.conv2d, F.conv_transpose2d
        max_pool1d, max_pool2d, avg_pool1d, avg_pool2d = F.max_pool1d, F.max_pool2d, F.avg_pool1d, F.avg_pool2d
        adaptive_avg_pool2d, adaptive_max_pool2d = F.adaptive_avg_pool2d, F.adaptive_max_pool2d
    _same_error(lambda: case[1](R), lambda: case[1](T))


def test_channel_error_text():
    with pytest.raises(RuntimeError, match=re.escape(
            "Given groups=1, weight of size [8, 3, 3, 3], expected input[1, 4, 8, 8] to have 3 channels, but got 4 "
            "channels instead")):
        nnf_conv2d(torch_randn(1, 4, 8, 8), torch_randn(8, 3, 3, 3))


# ---- poolings -----------------------------------------------------------------------------------

POOL_GRID = [(k, s, p, d, c) for k, s, p, d, c in itertools.product([2, 3, (3, 2)], [None, 1, 2], [0, 1], [1, 2],
                                                                    [False, True])]


@pytest.mark.parametrize("kernel_size,stride,padding,dilation,ceil_mode", POOL_GRID)
def test_max_pool2d_matches_pytorch_with_1_based_indices(kernel_size, stride, padding, dilation, ceil_mode):
    x = _randn(2, 3, 7, 8)
    try:
        F.max_pool2d(torch.tensor(x), kernel_size, stride, padding, dilation, ceil_mode)
    except RuntimeError:
        return _same_error(lambda: nnf_max_pool2d(_r(x), kernel_size, stride, padding, dilation, ceil_mode),
                           lambda: F.max_pool2d(torch.tensor(x), kernel_size, stride, padding, dilation, ceil_mode))
    rx, tx = _r(x), _t(x)
    ro, ri = nnf_max_pool2d(rx, kernel_size, stride, padding, dilation, ceil_mode, return_indices=True)
    to, ti = F.max_pool2d(tx, kernel_size, stride, padding, dilation, ceil_mode, return_indices=True)
    _close(ro, to)
    assert ri.dtype.name == "Long"
    np.testing.assert_array_equal(ri._data, ti.numpy() + 1)
    g = _randn(*to.shape)
    ro.backward(_r(g, False))
    to.backward(torch.tensor(g))
    _close(rx.grad, tx.grad)
    assert ro.grad_fn.name == "MaxPool2DWithIndicesBackward0"


@pytest.mark.parametrize("kernel_size,stride,padding,dilation,ceil_mode",
                         [(k, s, p, d, c) for k, s, p, d, c in POOL_GRID if not isinstance(k, tuple)])
def test_max_pool1d_matches_pytorch(kernel_size, stride, padding, dilation, ceil_mode):
    x = _randn(3, 4, 9)
    try:
        F.max_pool1d(torch.tensor(x), kernel_size, stride, padding, dilation, ceil_mode)
    except RuntimeError:
        return
    ro = _compare(lambda x: nnf_max_pool1d(x, kernel_size, stride, padding, dilation, ceil_mode),
                  lambda x: F.max_pool1d(x, kernel_size, stride, padding, dilation, ceil_mode), [x])
    assert ro.grad_fn.name == "SqueezeBackward1"
    ri = nnf_max_pool1d(_r(x), kernel_size, stride, padding, dilation, ceil_mode, return_indices=True)[2 - 1]
    ti = F.max_pool1d(torch.tensor(x), kernel_size, stride, padding, dilation, ceil_mode, return_indices=True)[1]
    np.testing.assert_array_equal(ri._data, ti.numpy() + 1)


def test_max_pool_ties_and_nan_as_libtorch():
    x = np.array([[[[1., 5, 2, 5], [3, 5, 0, 1]]]], dtype=np.float32)
    ri = nnf_max_pool2d(_r(x), 2, return_indices=True)[2 - 1]
    np.testing.assert_array_equal(ri._data, [[[[2, 4]]]])
    x = np.array([[[[1., np.nan, 2, np.nan, -np.inf, -np.inf, 3, np.nan]]]], dtype=np.float32)
    for k, s, p in [((1, 2), None, 0), ((1, 4), 1, (0, 2)), ((1, 3), 1, (0, 1))]:
        ro, ri = nnf_max_pool2d(_r(x), k, s, p, return_indices=True)
        to, ti = F.max_pool2d(torch.tensor(x), k, s, p, return_indices=True)
        np.testing.assert_array_equal(ro._data, to.numpy())
        np.testing.assert_array_equal(ri._data, ti.numpy() + 1)


@pytest.mark.parametrize("kernel_size,stride,padding,ceil_mode,count_include_pad,divisor_override",
                         [(k, s, p, c, i, o) for k, s, p, c, i, o in itertools.product(
                             [2, 3, (3, 2)], [None, 2], [0, 1], [False, True], [True, False], [None, 3])])
def test_avg_pool2d_matches_pytorch(kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override):
    x = _randn(2, 3, 7, 8)
    ro = _compare(lambda x: nnf_avg_pool2d(x, kernel_size, stride, padding, ceil_mode, count_include_pad,
                                           divisor_override),
                  lambda x: F.avg_pool2d(x, kernel_size, stride, padding, ceil_mode, count_include_pad,
                                         divisor_override), [x])
    assert ro.grad_fn.name == "AvgPool2DBackward0"


@pytest.mark.parametrize("kernel_size,stride,padding,ceil_mode,count_include_pad",
                         list(itertools.product([2, 3], [None, 2], [0, 1], [False, True], [True, False])))
def test_avg_pool1d_matches_pytorch(kernel_size, stride, padding, ceil_mode, count_include_pad):
    _compare(lambda x: nnf_avg_pool1d(x, kernel_size, stride, padding, ceil_mode, count_include_pad),
             lambda x: F.avg_pool1d(x, kernel_size, stride, padding, ceil_mode, count_include_pad), [_randn(2, 3, 9)])


@pytest.mark.parametrize("output_size", [1, 3, (2, 5), 7, (4, None)])
def test_adaptive_pools_2d_match_pytorch(output_size):
    x = _randn(2, 3, 7, 8)
    ro = _compare(lambda x: nnf_adaptive_avg_pool2d(x, output_size), lambda x: F.adaptive_avg_pool2d(x, output_size),
                  [x])
    assert ro.grad_fn.name == "AdaptiveAvgPool2DBackward0"
    ro = _compare(lambda x: nnf_adaptive_max_pool2d(x, output_size), lambda x: F.adaptive_max_pool2d(x, output_size),
                  [x])
    assert ro.grad_fn.name == "AdaptiveMaxPool2DBackward0"
    ri = nnf_adaptive_max_pool2d(_r(x), output_size, return_indices=True)[2 - 1]
    ti = F.adaptive_max_pool2d(torch.tensor(x), output_size, return_indices=True)[1]
    np.testing.assert_array_equal(ri._data, ti.numpy() + 1)


@pytest.mark.parametrize("output_size", [1, 3, 4, 9])
def test_adaptive_pools_1d_match_pytorch(output_size):
    x = _randn(2, 3, 9)
    _compare(lambda x: nnf_adaptive_avg_pool1d(x, output_size), lambda x: F.adaptive_avg_pool1d(x, output_size), [x])
    _compare(lambda x: nnf_adaptive_max_pool1d(x, output_size), lambda x: F.adaptive_max_pool1d(x, output_size), [x])


def test_pool_double_backward_matches_pytorch():
    x = _randn(2, 3, 6, 6)
    for rf, tf in [(lambda x: nnf_max_pool2d(x, 3, 1, 1), lambda x: F.max_pool2d(x, 3, 1, 1)),
                   (lambda x: nnf_avg_pool2d(x, 3, 2, 1), lambda x: F.avg_pool2d(x, 3, 2, 1)),
                   (lambda x: nnf_adaptive_avg_pool2d(x, 4), lambda x: F.adaptive_avg_pool2d(x, 4))]:
        rx, tx = _r(x), _t(x)
        rg, = autograd_grad((rf(rx) ** 3).sum(), rx, create_graph=True)
        tg, = torch.autograd.grad((tf(tx) ** 3).sum(), tx, create_graph=True)
        _close(rg, tg)
        _close(autograd_grad((rg * rg).sum(), rx)[0], torch.autograd.grad((tg * tg).sum(), tx)[0], rtol=1e-3,
               atol=1e-4)


# ---- modules ------------------------------------------------------------------------------------

MODULES = [
    ("conv1d", lambda: nn_conv1d(4, 6, 3, stride=2, padding=1), lambda: torch.nn.Conv1d(4, 6, 3, stride=2, padding=1),
     (2, 4, 10)),
    ("conv1d-same", lambda: nn_conv1d(4, 6, 4, padding="same", dilation=2, bias=False),
     lambda: torch.nn.Conv1d(4, 6, 4, padding="same", dilation=2, bias=False), (2, 4, 10)),
    ("conv2d", lambda: nn_conv2d(4, 6, (3, 2), groups=2, padding=(1, 0)),
     lambda: torch.nn.Conv2d(4, 6, (3, 2), groups=2, padding=(1, 0)), (2, 4, 7, 6)),
    ("conv3d", lambda: nn_conv3d(2, 3, 3, stride=(1, 2, 1), padding=1),
     lambda: torch.nn.Conv3d(2, 3, 3, stride=(1, 2, 1), padding=1), (2, 2, 5, 6, 4)),
    ("conv_transpose1d", lambda: nn_conv_transpose1d(4, 6, 3, stride=2, output_padding=1, groups=2),
     lambda: torch.nn.ConvTranspose1d(4, 6, 3, stride=2, output_padding=1, groups=2), (2, 4, 7)),
    ("conv_transpose2d", lambda: nn_conv_transpose2d(4, 6, 3, stride=2, padding=1, dilation=2),
     lambda: torch.nn.ConvTranspose2d(4, 6, 3, stride=2, padding=1, dilation=2), (2, 4, 5, 6)),
] + [(f"conv2d-{mode}", (lambda mode=mode: nn_conv2d(3, 4, 3, padding=(2, 1), padding_mode=mode)),
      (lambda mode=mode: torch.nn.Conv2d(3, 4, 3, padding=(2, 1), padding_mode=mode)), (2, 3, 6, 7))
     for mode in ("reflect", "replicate", "circular")] + [
    ("conv1d-circular-same", lambda: nn_conv1d(3, 4, 4, padding="same", padding_mode="circular"),
     lambda: torch.nn.Conv1d(3, 4, 4, padding="same", padding_mode="circular"), (2, 3, 9)),
]


@pytest.mark.parametrize("name,r_make,t_make,shape", MODULES, ids=[m[0] for m in MODULES])
def test_modules_init_forward_backward_match_pytorch(name, r_make, t_make, shape):
    torch_manual_seed(7)
    rm = r_make()
    torch.manual_seed(7)
    tm = t_make()
    r_params = dict(rm.named_parameters())
    t_params = dict(tm.named_parameters())
    assert list(r_params) == list(t_params)
    for k in t_params:
        np.testing.assert_array_equal(r_params[k]._data, t_params[k].detach().numpy())
    x = _randn(*shape)
    rx, tx = _r(x), _t(x)
    ro, to = rm(rx), tm(tx)
    _close(ro, to)
    g = _randn(*to.shape)
    ro.backward(_r(g, False))
    to.backward(torch.tensor(g))
    _close(rx.grad, tx.grad)
    for k in t_params:
        _close(r_params[k].grad, t_params[k].grad)


def test_pool_modules_match_pytorch():
    x = _randn(2, 3, 8, 9)
    pairs = [(nn_max_pool2d(3, stride=2, padding=1), torch.nn.MaxPool2d(3, stride=2, padding=1)),
             (nn_max_pool2d(2, ceil_mode=True), torch.nn.MaxPool2d(2, ceil_mode=True)),
             (nn_avg_pool2d(3, padding=1, count_include_pad=False), torch.nn.AvgPool2d(3, padding=1,
                                                                                     count_include_pad=False)),
             (nn_adaptive_avg_pool2d([3, 2]), torch.nn.AdaptiveAvgPool2d((3, 2))),
             (nn_adaptive_max_pool2d(4), torch.nn.AdaptiveMaxPool2d(4))]
    for rm, tm in pairs:
        _close(rm(_r(x)), tm(torch.tensor(x)))
    x1 = _randn(2, 3, 9)
    for rm, tm in [(nn_max_pool1d(3), torch.nn.MaxPool1d(3)), (nn_avg_pool1d(2, stride=1), torch.nn.AvgPool1d(2, 1)),
                   (nn_adaptive_avg_pool1d(4), torch.nn.AdaptiveAvgPool1d(4))]:
        _close(rm(_r(x1)), tm(torch.tensor(x1)))
    out, idx = nn_max_pool2d(2, return_indices=True)(_r(x))
    np.testing.assert_array_equal(idx._data, F.max_pool2d(torch.tensor(x), 2, return_indices=True)[1].numpy() + 1)


def test_module_argument_errors():
    with pytest.raises(ValueError, match="`in_channels` must be divisible by groups"):
        nn_conv2d(3, 4, 3, groups=2)
    with pytest.raises(ValueError, match="padding_mode must be one of"):
        nn_conv2d(3, 4, 3, padding_mode="mirror")
    with pytest.raises(ValueError, match="Only `zeros` padding is supported."):
        nn_conv_transpose2d(3, 4, 3, padding_mode="reflect")


# ---- R torch's testthat shapes (test-nn-conv.R, test-nnf-pooling.R) -------------------------------

def test_testthat_conv3d():
    input = torch_randn(20, 16, 10, 5, 10)
    assert nn_conv3d(16, 33, 3, stride=2)(input).shape == (20, 33, 4, 2, 4)
    m = nn_conv3d(16, 33, [3, 5, 2], stride=[2, 1, 1], padding=[4, 2, 0])
    assert m(input).shape == (20, 33, 8, 5, 9)


def test_testthat_conv2d_same():
    assert nn_conv2d(3, 10, kernel_size=3, padding="same")(torch_randn(1, 3, 13, 13)).shape == (1, 10, 13, 13)


def test_testthat_conv_transpose():
    assert nn_conv_transpose1d(32, 16, 2)(torch_randn(10, 32, 2)).shape == (10, 16, 3)
    input = torch_randn(20, 16, 10, 10)
    assert nn_conv_transpose2d(16, 33, 3, stride=2)(input).shape == (20, 33, 21, 21)
    m = nn_conv_transpose2d(16, 33, [3, 5], stride=[2, 1], padding=[4, 2])
    assert m(input).shape == (20, 33, 13, 10)
    input = torch_randn(1, 16, 12, 12)
    downsample = nn_conv2d(16, 16, 3, stride=2, padding=1)
    upsample = nn_conv_transpose2d(16, 16, 3, stride=2, padding=1)
    h = downsample(input)
    assert upsample(h, output_size=input.size()).size() == input.size()
    with pytest.raises(ValueError, match="requested an output of size"):
        upsample(h, output_size=[20, 20])


def test_testthat_pooling_shapes():
    x = torch_randn(100, 10, 5)
    for p in (nnf_max_pool1d, nnf_avg_pool1d):
        assert p(x, kernel_size=3).shape == (100, 10, 1)
        assert p(x, kernel_size=3, stride=2).shape == (100, 10, 2)
    assert nnf_adaptive_avg_pool1d(x, output_size=1).shape == (100, 10, 1)
    assert nnf_adaptive_max_pool1d(x, output_size=1).shape == (100, 10, 1)
    x = torch_randn(100, 10, 5, 5)
    for p in (nnf_max_pool2d, nnf_avg_pool2d):
        assert p(x, kernel_size=3).shape == (100, 10, 1, 1)
        assert p(x, kernel_size=3, stride=2).shape == (100, 10, 2, 2)
    assert nnf_adaptive_avg_pool2d(x, output_size=[1, 1]).shape == (100, 10, 1, 1)
    assert nnf_adaptive_max_pool2d(x, output_size=[1, 1]).shape == (100, 10, 1, 1)


# ---- the worked example -------------------------------------------------------------------------

def test_conv_classifier_steps_match_pytorch():
    """The example's CNN: same seed, same weights, same batch; five Adam steps' losses as PyTorch's."""
    from scripts.bench_conv import torch_model
    from scripts.train_conv_classifier import draw_shapes, make_model
    torch_manual_seed(3)
    rm = make_model()
    x, y = draw_shapes(32)
    torch.manual_seed(3)
    tm = torch_model(torch)
    ropt = rtorch.optim_adam(rm.parameters, lr=3e-3)
    topt = torch.optim.Adam(tm.parameters(), lr=3e-3)
    tx = torch.tensor(x._data)
    ty = torch.tensor(y._data.astype(np.int64)) - 1
    for _ in range(5):
        ropt.zero_grad()
        rl = rtorch.nnf_cross_entropy(rm(x), y)
        rl.backward()
        ropt.step()
        topt.zero_grad()
        tl = F.cross_entropy(tm(tx), ty)
        tl.backward()
        topt.step()
        np.testing.assert_allclose(rl.item(), tl.item(), rtol=1e-4)


def test_conv_classifier_learns():
    from scripts.train_conv_classifier import main
    assert main(["--epochs", "4", "--n", "1000"]) > 0.6
