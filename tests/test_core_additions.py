"""The R torch exports added to the core (addcmul/addcdiv, the arc* and comparison aliases, i0, polygamma,
mvlgamma, isposinf/isneginf/isreal, renorm, fliplr/flipud, diagflat, take_along_dim, as_strided,
unsafe_chunk/split, poisson, the thread counts) and the nn-side torch_* forms (selu, celu, rrelu_,
channel_shuffle, scaled_dot_product_attention): values, node names and gradients against PyTorch's, R
torch's testthat blocks, and libtorch's errors."""
import math

import numpy as np
import pytest

from tests._require import require

torch = require("torch")

import rtorch  # noqa: E402
from rtorch import as_array, torch_tensor  # noqa: E402
from tests.test_autograd_differential import check  # noqa: E402

RNG = np.random.default_rng(7)


def _np(t):
    return np.asarray(as_array(t.detach() if t.requires_grad else t))


def _u(shape, lo=-2.0, hi=2.0):
    return RNG.uniform(lo, hi, shape)


# ---- R torch's testthat ------------------------------------------------------------------------------

def test_wrapers__polygamma_works():
    a = torch_tensor([1, 0.5])
    r = rtorch.torch_polygamma(1, a)
    np.testing.assert_allclose(_np(a), [1, 0.5])
    np.testing.assert_allclose(_np(r), [1.64493405818939, 4.93480205535889], rtol=1e-6)


def test_gen_namespace__torch_scaled_dot_product_attention_works_correctly():
    b, h, s, d = 2, 4, 8, 16
    q, k, v = (rtorch.torch_randn(b, h, s, d) for _ in range(3))
    assert rtorch.torch_scaled_dot_product_attention(q, k, v).shape == (b, h, s, d)
    assert rtorch.torch_scaled_dot_product_attention(q, k, v, is_causal=True).shape == (b, h, s, d)
    mask = rtorch.torch_tril(rtorch.torch_ones(s, s))
    assert rtorch.torch_scaled_dot_product_attention(q, k, v, attn_mask=mask).shape == (b, h, s, d)
    assert rtorch.torch_scaled_dot_product_attention(q, k, v, dropout_p=0.1).shape == (b, h, s, d)


def test_0_threads__can_set_threads():
    rtorch.torch_set_num_interop_threads(6)
    assert rtorch.torch_get_num_interop_threads() == 6
    old = rtorch.torch_get_num_threads()
    rtorch.torch_set_num_threads(6)
    assert rtorch.torch_get_num_threads() == 6
    rtorch.torch_set_num_threads(old)
    assert rtorch.torch_get_num_threads() == old


def test_thread_counts_check_their_argument_as_libtorch():
    with pytest.raises(RuntimeError, match="set_num_threads expects a positive integer"):
        rtorch.torch_set_num_threads(0)
    with pytest.raises(RuntimeError, match="set_num_interop_threads expects a positive integer"):
        rtorch.torch_set_num_interop_threads(-1)
    with pytest.raises(RuntimeError, match="expects an int, but got float"):
        rtorch.torch_set_num_threads(2.5)


# ---- values and gradients against PyTorch --------------------------------------------------------------

@pytest.mark.parametrize("dt", ["Float", "Double"])
@pytest.mark.parametrize("shapes", [((2, 3), (2, 3), (2, 3)), ((2, 3), (3,), (2, 1)), ((3,), (2, 3), ())])
def test_addcmul_addcdiv_match_pytorch(dt, shapes):
    vals = [_u(shapes[0]), _u(shapes[1]), _u(shapes[2], 0.5, 2.0)]
    for name in ("addcmul", "addcdiv"):
        check(vals, [dt] * 3, lambda a, b, c: getattr(a, name)(b, c, value=0.7),
              lambda a, b, c: getattr(torch, name)(a, b, c, value=0.7))
        check(vals, [dt] * 3, lambda a, b, c: getattr(rtorch, "torch_" + name)(a, b, c),
              lambda a, b, c: getattr(torch, name)(a, b, c))


def test_addcmul_inplace_and_promotion():
    full = (2, 3)
    vals = [_u(full), _u(full), _u(full, 0.5, 2)]
    for name in ("addcmul", "addcdiv"):
        check(vals, ["Double"] * 3, lambda a, b, c: getattr(a.clone(), name + "_")(b, c, value=2),
              lambda a, b, c: getattr(a.clone(), name + "_")(b, c, value=2))
    x = rtorch.torch_ones(3, dtype=rtorch.torch_float())
    y = x.addcmul(torch_tensor([1, 2, 3], dtype=rtorch.torch_double()), torch_tensor([2.0]))
    assert y.dtype == rtorch.torch_double()
    np.testing.assert_allclose(_np(y), [3, 5, 7])
    i = torch_tensor([1, 2, 3], dtype=rtorch.torch_long())
    assert _np(i.addcmul(i, i, value=2)).tolist() == [3, 10, 21]
    with pytest.raises(RuntimeError, match="Integer division with addcdiv is no longer supported"):
        i.addcdiv(i, i)
    with pytest.raises(RuntimeError, match="The size of tensor a"):
        x.addcmul(rtorch.torch_ones(2), x)
    with pytest.raises(RuntimeError, match="result type Float can't be cast to the desired output type Long"):
        i.clone().addcmul_(x, x)


@pytest.mark.parametrize("name,ours,domain", [("arccos", "acos", (-0.9, 0.9)), ("arcsin", "asin", (-0.9, 0.9)),
                                              ("arctan", "atan", (-2, 2)), ("arccosh", "acosh", (1.2, 3)),
                                              ("arcsinh", "asinh", (-2, 2)), ("arctanh", "atanh", (-0.9, 0.9)),
                                              ("acosh", "acosh", (1.2, 3)), ("asinh", "asinh", (-2, 2)),
                                              ("atanh", "atanh", (-0.9, 0.9))])
@pytest.mark.parametrize("dt", ["Float", "Double"])
def test_arc_aliases_match_pytorch(name, ours, domain, dt):
    v = [_u((2, 3), *domain)]
    check(v, [dt], lambda x: getattr(x, name)(), lambda x: getattr(torch, name)(x))
    check(v, [dt], lambda x: getattr(rtorch, "torch_" + name)(x), lambda x: getattr(torch, name)(x))
    if ours in ("acosh", "asinh", "atanh"):  # libtorch's in-place forms have no derivative
        x = torch_tensor(v[0], requires_grad=True).clone()
        with pytest.raises(RuntimeError, match="is not implemented"):
            getattr(x, name + "_")()
        with torch.no_grad():
            want = getattr(torch.tensor(v[0], dtype=torch.float64), name + "_")()
        got = getattr(torch_tensor(v[0], dtype=rtorch.torch_double()), name + "_")()
        np.testing.assert_allclose(_np(got), want.numpy(), rtol=1e-12)
    else:
        check(v, [dt], lambda x: getattr(x.clone(), name + "_")(), lambda x: getattr(x.clone(), name + "_")())
    assert hasattr(rtorch, "torch_" + name + "_") or name in ("acosh", "asinh", "atanh")


@pytest.mark.parametrize("name,ours", [("greater", "gt"), ("greater_equal", "ge"), ("less", "lt"),
                                       ("less_equal", "le"), ("not_equal", "ne")])
def test_comparison_aliases(name, ours):
    a, b = np.array([1.0, 2.0, 3.0]), np.array([2.0, 2.0, 2.0])
    got = getattr(torch_tensor(a), name)(torch_tensor(b))
    assert _np(got).tolist() == getattr(torch, name)(torch.tensor(a), torch.tensor(b)).tolist()
    assert _np(getattr(rtorch, "torch_" + name)(torch_tensor(a), 2)).tolist() == \
        getattr(torch, name)(torch.tensor(a), 2).tolist()
    x = torch_tensor(a)
    getattr(x, name + "_")(torch_tensor(b))
    assert _np(x).tolist() == getattr(torch.tensor(a), name + "_")(torch.tensor(b)).tolist()


@pytest.mark.parametrize("dt", ["Float", "Double"])
def test_i0_polygamma_mvlgamma_match_pytorch(dt):
    check([_u((2, 3), -3, 3)], [dt], lambda x: x.i0(), torch.i0)
    check([_u((2, 3), -3, 3)], [dt], lambda x: x.clone().i0_(), lambda x: x.clone().i0_())
    for n in (0, 1, 2, 3):
        check([_u((4,), 0.3, 3)], [dt], lambda x: rtorch.torch_polygamma(n, x), lambda x: torch.polygamma(n, x),
              names=n != 0)
        check([_u((4,), 0.3, 3)], [dt], lambda x: x.clone().polygamma_(n), lambda x: x.clone().polygamma_(n),
              names=n != 0)
    for p in (1, 2, 3):
        check([_u((2, 3), 1.5, 4)], [dt], lambda x: x.mvlgamma(p), lambda x: torch.mvlgamma(x, p))
        check([_u((2, 3), 1.5, 4)], [dt], lambda x: x.clone().mvlgamma_(p), lambda x: x.clone().mvlgamma_(p))


def test_i0_double_backward_matches_pytorch():
    v = np.array([-1.5, 0.0, 0.7, 2.0])
    xr = torch_tensor(v, dtype=rtorch.torch_double(), requires_grad=True)
    xt = torch.tensor(v, requires_grad=True)
    (gr,) = rtorch.autograd_grad(xr.i0().sum(), xr, create_graph=True)
    (gt,) = torch.autograd.grad(torch.i0(xt).sum(), xt, create_graph=True)
    np.testing.assert_allclose(_np(gr), gt.detach().numpy(), rtol=1e-12)
    gr.sum().backward()
    gt.sum().backward()
    np.testing.assert_allclose(_np(xr.grad), xt.grad.numpy(), rtol=1e-10)


def test_special_functions_dtypes_and_errors():
    i = torch_tensor([1, 2], dtype=rtorch.torch_long())
    assert i.i0().dtype == rtorch.torch_float()
    np.testing.assert_allclose(_np(i.i0()), torch.i0(torch.tensor([1, 2])).numpy(), rtol=1e-6)
    assert rtorch.torch_polygamma(1, i).dtype == rtorch.torch_float()
    np.testing.assert_allclose(_np(i.mvlgamma(2)), torch.mvlgamma(torch.tensor([1, 2]), 2).numpy(), rtol=1e-6)
    with pytest.raises(RuntimeError, match="polygamma\\(n, x\\) does not support negative n."):
        rtorch.torch_polygamma(-1, torch_tensor([1.0]))
    with pytest.raises(TypeError, match="must be int, not float"):
        torch_tensor([1.0]).polygamma_(2.5)
    with pytest.raises(RuntimeError, match="p has to be greater than or equal to 1"):
        torch_tensor([3.0]).mvlgamma(0)
    with pytest.raises(RuntimeError, match="The input tensor may not be a boolean tensor."):
        torch_tensor([True]).mvlgamma(1)
    with pytest.raises(RuntimeError, match="\"i0_vml_cpu\" not implemented for 'ComplexFloat'"):
        rtorch.torch_complex(torch_tensor([1.0]), torch_tensor([1.0])).i0()


def test_isposinf_isneginf_isreal():
    v = np.array([-np.inf, -1.0, 0.0, np.inf, np.nan])
    for name in ("isposinf", "isneginf"):
        got = getattr(rtorch, "torch_" + name)(torch_tensor(v))
        assert got.dtype == rtorch.torch_bool()
        assert _np(got).tolist() == getattr(torch, name)(torch.tensor(v)).tolist()
        assert _np(getattr(torch_tensor([1, 2], dtype=rtorch.torch_long()), name)()).tolist() == [False, False]
        with pytest.raises(RuntimeError, match=f"{name} does not support complex inputs."):
            getattr(rtorch.torch_complex(torch_tensor([1.0]), torch_tensor([1.0])), name)()
    z = rtorch.torch_complex(torch_tensor([1.0, 2.0]), torch_tensor([0.0, 1.0]))
    assert _np(z.isreal()).tolist() == [True, False]
    assert _np(rtorch.torch_isreal(torch_tensor([1, 2]))).tolist() == [True, True]


@pytest.mark.parametrize("dt", ["Float", "Double"])
@pytest.mark.parametrize("p,dim,maxnorm", [(2, 1, 1.0), (1, 2, 2.0), (1.5, -1, 1.5), (math.inf, 1, 1.0),
                                           (3, 2, 100.0)])
def test_renorm_matches_pytorch(dt, p, dim, maxnorm):
    v = [_u((3, 4))]
    axis = dim - 1 if dim > 0 else dim
    check(v, [dt], lambda x: x.renorm(p, dim, maxnorm), lambda x: torch.renorm(x, p, axis, maxnorm),
          fd=not math.isinf(p))
    check(v, [dt], lambda x: x.clone().renorm_(p, dim, maxnorm), lambda x: x.clone().renorm_(p, axis, maxnorm),
          fd=not math.isinf(p))


def test_renorm_errors():
    x = rtorch.torch_ones(2, 3)
    with pytest.raises(RuntimeError, match="renorm: non-positive-norm not supported"):
        x.renorm(0, 1, 1)
    with pytest.raises(RuntimeError, match="renorm: expected maxnorm to be >= 0 but got -1"):
        x.renorm(2, 1, -1)
    with pytest.raises(RuntimeError, match="renorm: input needs at least 2 dimensions, got 1 dimensions"):
        rtorch.torch_ones(3).renorm(2, 1, 1)
    with pytest.raises(RuntimeError, match="Expected a floating point or complex tensor as input. Got Long"):
        torch_tensor([[1, 2]], dtype=rtorch.torch_long()).renorm(2, 1, 1)


@pytest.mark.parametrize("dt", ["Float", "Double"])
def test_fliplr_flipud_diagflat_match_pytorch(dt):
    check([_u((2, 3, 2))], [dt], lambda x: x.fliplr(), torch.fliplr)
    check([_u((2, 3))], [dt], lambda x: rtorch.torch_flipud(x), torch.flipud)
    check([_u((3,))], [dt], lambda x: x.flipud(), torch.flipud)
    for shape in ((3,), (2, 2)):
        for k in (0, 1, -2):
            check([_u(shape)], [dt], lambda x: x.diagflat(k), lambda x: torch.diagflat(x, k))
    with pytest.raises(RuntimeError, match="Input must be >= 2-d."):
        rtorch.torch_ones(3).fliplr()
    with pytest.raises(RuntimeError, match="Input must be >= 1-d."):
        rtorch.torch_ones(1).squeeze().flipud()


@pytest.mark.parametrize("dt", ["Float", "Double"])
def test_take_along_dim_matches_pytorch(dt):
    idx = np.array([[3, 1], [2, 2]])
    li = torch_tensor(idx, dtype=rtorch.torch_long())
    ti = torch.tensor(idx - 1)
    check([_u((2, 3))], [dt], lambda x: x.take_along_dim(li, dim=2), lambda x: torch.take_along_dim(x, ti, 1))
    check([_u((2, 3))], [dt], lambda x: rtorch.torch_take_along_dim(x, li), lambda x: torch.take_along_dim(x, ti))
    # broadcasting of the other dims, negative indices from the end
    b = np.array([[1], [-1]])
    check([_u((2, 3, 4))], [dt], lambda x: x.take_along_dim(torch_tensor(b.reshape(1, 2, 1),
                                                                            dtype=rtorch.torch_long()), dim=2),
          lambda x: torch.take_along_dim(x, torch.tensor([[[0], [2]]]), 1))
    check([_u((3, 2))], [dt], lambda x: x.take_along_dim(torch_tensor([[2, 1, 1]], dtype=rtorch.torch_long()).t(),
                                                         dim=1),
          lambda x: torch.take_along_dim(x, torch.tensor([[1, 0, 0]]).t(), 0))


def test_take_along_dim_errors():
    x = rtorch.torch_ones(2, 3)
    with pytest.raises(IndexError, match="Indexing starts at 1 but found a 0."):
        x.take_along_dim(torch_tensor([[0]], dtype=rtorch.torch_long()), dim=1)
    with pytest.raises(IndexError, match="index 4 is out of bounds for dimension 2 with size 3"):
        x.take_along_dim(torch_tensor([[4]], dtype=rtorch.torch_long()), dim=2)
    with pytest.raises(RuntimeError, match="dtype of indices should be Long but got Int"):
        x.take_along_dim(torch_tensor([[1]], dtype=rtorch.torch_int()), dim=1)
    with pytest.raises(RuntimeError, match="input and indices should have the same number of dimensions"):
        x.take_along_dim(torch_tensor([1], dtype=rtorch.torch_long()), dim=1)


@pytest.mark.parametrize("dt", ["Float", "Double"])
@pytest.mark.parametrize("size,stride,offset", [((2, 2), (1, 2), 0), ((3,), (2,), 1), ((2, 3), (3, 1), None),
                                                 ((2, 2), (1, 1), 0)])
def test_as_strided_matches_pytorch(dt, size, stride, offset):
    check([_u((2, 3))], [dt], lambda x: x.as_strided(size, stride, offset),
          lambda x: torch.as_strided(x, size, stride, offset))


def test_as_strided_is_a_view_with_libtorchs_offset():
    x = rtorch.torch_arange(1, 6, dtype=rtorch.torch_float())
    v = rtorch.torch_as_strided(x, [2, 2], [1, 2], 1)
    assert _np(v).tolist() == [[2, 4], [3, 5]]
    v[1, 1] = 100
    assert _np(x)[1] == 100
    tail = x.narrow(1, 3, 3)
    assert _np(tail.as_strided([2], [1])).tolist() == [3, 4]  # NULL keeps the view's own offset
    with pytest.raises(RuntimeError, match="out of bounds for storage of size 24"):
        x.as_strided([2, 3], [3, 1], 1)
    with pytest.raises(RuntimeError, match="mismatch in length of strides and shape"):
        x.as_strided([2, 3], [1])


@pytest.mark.parametrize("dt", ["Float", "Double"])
def test_unsafe_chunk_split_match_pytorch(dt):
    check([_u((5, 2))], [dt], lambda x: x.unsafe_chunk(2), lambda x: torch.unsafe_chunk(x, 2))
    check([_u((2, 5))], [dt], lambda x: rtorch.torch_unsafe_split(x, 2, dim=2), lambda x: torch.unsafe_split(x, 2, 1))
    pieces = rtorch.torch_ones(4, requires_grad=True).unsafe_split(2)
    assert [p.grad_fn.name for p in pieces] == ["UnsafeSplitBackward0"] * 2


def test_poisson_matches_pytorch_draws():
    rates = np.array([[0.5, 3.0, 12.0, 0.0], [100.0, 2.5, 9.99, 10.0]])
    for seed in (1, 42):
        rtorch.torch_manual_seed(seed)
        got = rtorch.torch_poisson(torch_tensor(rates))
        torch.manual_seed(seed)
        want = torch.poisson(torch.tensor(rates, dtype=torch.float32))
        assert got.dtype == rtorch.torch_float()
        assert _np(got).tolist() == want.tolist()
    g = rtorch.torch_generator()
    g.set_current_seed(3)
    tg = torch.Generator().manual_seed(3)
    big = np.full(50, 30.0)
    assert _np(rtorch.torch_poisson(torch_tensor(big, dtype=rtorch.torch_double()), generator=g)).tolist() == \
        torch.poisson(torch.tensor(big), generator=tg).tolist()
    with pytest.raises(RuntimeError, match="invalid Poisson rate, expected rate to be non-negative"):
        rtorch.torch_poisson(torch_tensor([-1.0]))
    with pytest.raises(RuntimeError, match="\"poisson_cpu\" not implemented for 'Long'"):
        rtorch.torch_poisson(torch_tensor([1, 2], dtype=rtorch.torch_long()))


# ---- the nn-side torch_* forms ---------------------------------------------------------------------------

@pytest.mark.parametrize("dt", ["Float", "Double"])
def test_selu_celu_match_pytorch(dt):
    v = [RNG.uniform(0.2, 2, (2, 3)) * RNG.choice([-1, 1], (2, 3))]
    check(v, [dt], rtorch.torch_selu, torch.selu)
    check(v, [dt], lambda x: rtorch.torch_celu(x, 0.7), lambda x: torch.celu(x, 0.7))
    check(v, [dt], lambda x: rtorch.torch_selu_(x.clone()), lambda x: torch.selu_(x.clone()), names=False)
    check(v, [dt], lambda x: rtorch.torch_celu_(x.clone(), 1.5), lambda x: torch.celu_(x.clone(), 1.5), names=False)


def test_rrelu_inplace_honours_training_and_draws_as_libtorch():
    v = np.array([-1.0, 2.0, -0.5, -3.0, 0.0])
    x = torch_tensor(v)
    out = rtorch.torch_rrelu_(x)
    assert out is x
    np.testing.assert_allclose(_np(x), torch.rrelu_(torch.tensor(v, dtype=torch.float32)).numpy(), rtol=1e-6)
    rtorch.torch_manual_seed(5)
    x = torch_tensor(v)
    rtorch.torch_rrelu_(x, training=True)
    torch.manual_seed(5)
    t = torch.tensor(v, dtype=torch.float32)
    torch.rrelu_(t, training=True)
    np.testing.assert_allclose(_np(x), t.numpy(), rtol=1e-6)


@pytest.mark.parametrize("dt", ["Float", "Double"])
def test_channel_shuffle_matches_pytorch(dt):
    check([_u((2, 6, 3))], [dt], lambda x: rtorch.torch_channel_shuffle(x, 3), lambda x: torch.channel_shuffle(x, 3))
    check([_u((1, 4, 2, 2))], [dt], lambda x: rtorch.torch_channel_shuffle(x, 2),
          lambda x: torch.channel_shuffle(x, 2))
    with pytest.raises(RuntimeError, match="Number of channels must be divisible by groups. Got 3 channels and 2"):
        rtorch.torch_channel_shuffle(rtorch.torch_ones(2, 3, 1), 2)
    with pytest.raises(RuntimeError, match="Number of groups to divide channels in must be positive"):
        rtorch.torch_channel_shuffle(rtorch.torch_ones(2, 4, 1), 0)
    with pytest.raises(RuntimeError, match="channel_shuffle expects input with > 2 dims"):
        rtorch.torch_channel_shuffle(rtorch.torch_ones(2, 4), 2)


@pytest.mark.parametrize("dt", ["Float", "Double"])
@pytest.mark.parametrize("kw", [{}, {"is_causal": True}, {"scale": 0.3}, {"mask": "bool"}, {"mask": "float"}])
def test_scaled_dot_product_attention_matches_pytorch(dt, kw):
    q, k, v = _u((2, 3, 4, 5)), _u((2, 3, 6, 5)), _u((2, 3, 6, 2))
    kw = dict(kw)
    mask = kw.pop("mask", None)
    if mask == "bool":
        m = RNG.uniform(size=(4, 6)) > 0.3
        m[:, 0] = True
        kw_r, kw_t = dict(attn_mask=torch_tensor(m)), dict(attn_mask=torch.tensor(m))
    elif mask == "float":
        m = _u((4, 6))
        kw_r = dict(attn_mask=torch_tensor(m, dtype=rtorch.torch_double() if dt == "Double" else None))
        kw_t = dict(attn_mask=torch.tensor(m, dtype=torch.float64 if dt == "Double" else torch.float32))
    else:
        kw_r = kw_t = {}
    if kw.get("is_causal"):
        q, k = _u((2, 3, 4, 5)), _u((2, 3, 4, 5))
        v = _u((2, 3, 4, 2))
    check([q, k, v], [dt] * 3, lambda a, b, c: rtorch.torch_scaled_dot_product_attention(a, b, c, **kw, **kw_r),
          lambda a, b, c: torch.nn.functional.scaled_dot_product_attention(a, b, c, **kw, **kw_t), names=False)


def test_scaled_dot_product_attention_gqa_matches_pytorch():
    q, k, v = _u((1, 4, 3, 2)), _u((1, 2, 5, 2)), _u((1, 2, 5, 3))
    check([q, k, v], ["Double"] * 3,
          lambda a, b, c: rtorch.torch_scaled_dot_product_attention(a, b, c, enable_gqa=True),
          lambda a, b, c: torch.nn.functional.scaled_dot_product_attention(a, b, c, enable_gqa=True), names=False)
