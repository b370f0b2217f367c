"""rtorch.distributions and the samplers under it against PyTorch: `torch__standard_gamma`, `torch_poisson`
and `torch__standard_gamma_grad` reproduce libtorch's CPU kernels draw for draw; each distribution's seeded
draws equal torch.distributions', its log_prob, cdf, icdf, entropy, mean and variance agree, and so do the
gradients of rsample and log_prob. Then expand, validate_args, the errors and the printed form."""
import math

import numpy as np
import pytest
import torch
import torch.distributions as D

import rtorch as r
from rtorch.distributions import ExponentialFamily

DTYPES = [(r.torch_float(), torch.float32), (r.torch_double(), torch.float64)]


def rt(a, dtype=r.torch_float(), requires_grad=False):
    return r.torch_tensor(np.asarray(a, np.float64), dtype=dtype, requires_grad=requires_grad)


def tt(t, requires_grad=False):
    out = torch.from_numpy(np.array(np.asarray(t.detach())))
    return out.requires_grad_() if requires_grad else out


def same(a, b):
    np.testing.assert_array_equal(np.asarray(a.detach()), b.detach().numpy())


def close(a, b, rtol=1e-6, atol=1e-6):
    np.testing.assert_allclose(np.asarray(a.detach()), b.detach().numpy(), rtol=rtol, atol=atol)


def seed(n):
    r.torch_manual_seed(n)
    torch.manual_seed(n)


def same_stream_after():
    """Both generators have consumed the same words."""
    assert r.torch_rand(1).item() == torch.rand(1).item()


# ---- the samplers -------------------------------------------------------------------------------------------

ALPHAS = [0.0, 1e-3, 0.01, 0.1, 0.5, 0.999, 1.0, 1.5, 2.5, 7.9, 8.1, 10.0, 100.0, 1e4]


@pytest.mark.parametrize("rd,td", DTYPES)
def test_standard_gamma_draws_equal_torch(rd, td):
    alphas = np.array(ALPHAS * 4)
    seed(11)
    same(r.torch__standard_gamma(rt(alphas, rd)), torch._standard_gamma(torch.tensor(alphas, dtype=td)))
    same_stream_after()
    # an expanded (stride-0) input is drawn in the output's row-major order
    a = rt([[0.5], [3.0]], rd).expand([2, 5])
    seed(12)
    same(r.torch__standard_gamma(a), torch._standard_gamma(torch.tensor([[0.5], [3.0]], dtype=td).expand(2, 5)))
    same_stream_after()


@pytest.mark.parametrize("rd,td", DTYPES)
def test_standard_gamma_stream_state_equals_torch(rd, td):
    """A normal cached by an earlier draw is used first; many small alphas read past the drawn-ahead
    uniforms (at least four per element)."""
    seed(16)
    r.torch_randn(3, dtype=rd)
    torch.randn(3, dtype=td)
    alphas = np.full(3000, 1e-3)
    alphas[::7] = 0.7
    same(r.torch__standard_gamma(rt(alphas, rd)), torch._standard_gamma(torch.tensor(alphas, dtype=td)))
    same(r.torch_randn(3, dtype=rd), torch.randn(3, dtype=td))
    same_stream_after()


@pytest.mark.parametrize("rd,td", DTYPES)
def test_poisson_draws_equal_torch(rd, td):
    rates = np.array([0.0, 1e-3, 0.5, 3.0, 9.99, 10.0, 12.5, 50.0, 1e3, 1e5] * 4)
    seed(13)
    same(r.torch_poisson(rt(rates, rd)), torch.poisson(torch.tensor(rates, dtype=td)))
    same_stream_after()


def test_poisson_half_draws_equal_torch():
    seed(14)
    same(r.torch_poisson(rt([1.0, 20.0, 0.25], r.torch_half())),
         torch.poisson(torch.tensor([1.0, 20.0, 0.25], dtype=torch.half)))


@pytest.mark.parametrize("rd,td", DTYPES)
def test_standard_gamma_grad_equals_torch(rd, td):
    g = np.random.default_rng(0)
    alpha = np.concatenate([g.uniform(0.01, 20, 300), g.uniform(8, 1000, 100)])
    x = np.concatenate([g.uniform(0.001, 3, 150), g.uniform(0.5, 60, 150), alpha[300:] * g.uniform(0.8, 1.2, 100)])
    same(r.torch__standard_gamma_grad(rt(alpha, rd), rt(x, rd)),
         torch._standard_gamma_grad(torch.tensor(alpha, dtype=td), torch.tensor(x, dtype=td)))


def test_samplers_take_a_generator():
    gen = r.torch_generator()
    gen.set_current_seed(5)
    tgen = torch.Generator().manual_seed(5)
    a = [0.3, 4.0, 30.0]
    same(r.torch__standard_gamma(rt(a), generator=gen), torch._standard_gamma(torch.tensor(a), generator=tgen))
    same(r.torch_poisson(rt(a), generator=gen), torch.poisson(torch.tensor(a), generator=tgen))


def test_standard_gamma_is_differentiable_as_in_libtorch():
    a = rt([0.3, 2.0, 40.0], requires_grad=True)
    ta = torch.tensor([0.3, 2.0, 40.0], requires_grad=True)
    seed(15)
    x, tx = r.torch__standard_gamma(a), torch._standard_gamma(ta)
    assert str(x.grad_fn) == "StandardGammaBackward0"
    same(x, tx)
    (x * x).sum().backward()
    (tx * tx).sum().backward()
    close(a.grad, ta.grad)


def test_sampler_errors_in_libtorchs_words():
    with pytest.raises(RuntimeError, match="invalid Poisson rate, expected rate to be non-negative"):
        r.torch_poisson(rt([1.0, -1.0]))
    with pytest.raises(RuntimeError, match="invalid Poisson rate"):
        r.torch_poisson(rt([math.nan]))
    with pytest.raises(RuntimeError, match="\"gamma_cpu\" not implemented for 'Long'"):
        r.torch__standard_gamma(r.torch_tensor(r.c(1, 2), dtype=r.torch_long()))
    with pytest.raises(RuntimeError, match="\"poisson_cpu\" not implemented for 'Long'"):
        r.torch_poisson(r.torch_tensor(r.c(1, 2), dtype=r.torch_long()))


# ---- seeded draws -------------------------------------------------------------------------------------------

def _pairs(rd, td):
    """(rtorch distribution, torch distribution) pairs on the same parameters."""
    g = np.random.default_rng(1)
    loc, scale = g.normal(size=(2, 3)), g.uniform(0.5, 2, (2, 3))
    p = g.uniform(0.05, 0.95, (2, 3))
    w = g.uniform(0.1, 1, (2, 4))
    conc, rate = g.uniform(0.2, 5, 3), g.uniform(0.5, 2, 3)
    lam = np.array([0.5, 4.0, 25.0])
    A = g.normal(size=(3, 3))
    cov = A @ A.T + np.eye(3)
    mloc = g.normal(size=3)
    R_, T_ = (lambda a: rt(a, rd)), (lambda a: torch.tensor(np.asarray(a, np.float64), dtype=td))
    return {
        "normal": (r.distr_normal(R_(loc), R_(scale)), D.Normal(T_(loc), T_(scale))),
        "bernoulli": (r.distr_bernoulli(R_(p)), D.Bernoulli(T_(p))),
        "bernoulli_logits": (r.distr_bernoulli(logits=R_(p - 0.5)), D.Bernoulli(logits=T_(p - 0.5))),
        "categorical": (r.distr_categorical(R_(w)), D.Categorical(T_(w))),
        "categorical_logits": (r.distr_categorical(logits=R_(w)), D.Categorical(logits=T_(w))),
        "gamma": (r.distr_gamma(R_(conc), R_(rate)), D.Gamma(T_(conc), T_(rate))),
        "chi2": (r.distr_chi2(R_(conc)), D.Chi2(T_(conc))),
        "poisson": (r.distr_poisson(R_(lam)), D.Poisson(T_(lam))),
        "mvn_cov": (r.distr_multivariate_normal(R_(mloc), covariance_matrix=R_(cov)),
                    D.MultivariateNormal(T_(mloc), covariance_matrix=T_(cov))),
        "mvn_tril": (r.distr_multivariate_normal(R_(mloc), scale_tril=R_(np.linalg.cholesky(cov))),
                     D.MultivariateNormal(T_(mloc), scale_tril=T_(np.linalg.cholesky(cov)))),
        "mixture": (r.distr_mixture_same_family(r.distr_categorical(R_(w[0, :3])),
                                                r.distr_normal(R_(loc[0]), R_(scale[0]))),
                    D.MixtureSameFamily(D.Categorical(T_(w[0, :3])), D.Normal(T_(loc[0]), T_(scale[0])))),
    }


NAMES = list(_pairs(*DTYPES[0]))
# R numbers that R torch puts on the left of an operator become `torch_tensor(x)`, a Float tensor, so in a
# Double distribution these formulas carry single-precision constants (log(2 pi) in MVN's log_prob and
# entropy, Normal's entropy, Chi2's rate 0.5), as in R torch: there, Double values agree to ~1e-7
FLOAT_CONSTANTS = {"chi2", "mvn_cov", "mvn_tril", "normal"}


def _tol(rd, name=""):
    return 2e-6 if rd == r.torch_float() else 3e-7 if name in FLOAT_CONSTANTS else 1e-12
OFFSET = {"categorical": 1, "categorical_logits": 1}  # R torch's categories are 1-based


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("rd,td", DTYPES)
def test_seeded_samples_equal_torch(name, rd, td):
    d, td_ = _pairs(rd, td)[name]
    for shape in ((), (4,), (2, 3)):
        seed(21)
        a, b = d.sample(list(shape)), td_.sample(shape)
        if name.startswith("mvn"):  # loc + L eps: NumPy's and libtorch's matmul round differently
            close(a, b, rtol=_tol(rd), atol=_tol(rd))
        else:
            same(a - OFFSET.get(name, 0), b)
        assert not a.requires_grad
        same_stream_after()
    if td_.has_rsample and name not in ("mvn_cov", "mvn_tril"):
        seed(22)
        same(d.rsample([5]), td_.rsample((5,)))


@pytest.mark.parametrize("name", ["mvn_cov", "mvn_tril"])
@pytest.mark.parametrize("rd,td", DTYPES)
def test_seeded_mvn_rsample_equals_torch(name, rd, td):
    d, td_ = _pairs(rd, td)[name]
    seed(23)
    close(d.rsample([6]), td_.rsample((6,)), rtol=1e-6 if rd == r.torch_float() else 1e-12)


# ---- values -------------------------------------------------------------------------------------------------

def _values(name, d):
    """A batch of values in each distribution's support."""
    g = np.random.default_rng(2)
    shape = (4,) + tuple(d.batch_shape) + tuple(d.event_shape)
    if name.startswith("bernoulli"):
        return g.integers(0, 2, shape).astype(float)
    if name.startswith("categorical"):
        return g.integers(0, 4, shape).astype(float)
    if name == "poisson":
        return g.integers(0, 30, shape).astype(float)
    if name in ("gamma", "chi2"):
        return g.uniform(0.05, 6, shape)
    return g.normal(size=shape)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("rd,td", DTYPES)
def test_log_prob_equals_torch(name, rd, td):
    d, td_ = _pairs(rd, td)[name]
    v = _values(name, d)
    tol = _tol(rd, "" if name == "normal" else name)
    close(d.log_prob(rt(v + OFFSET.get(name, 0), rd)), td_.log_prob(torch.tensor(v, dtype=td)), rtol=tol, atol=tol)


@pytest.mark.parametrize("name", ["normal", "bernoulli", "bernoulli_logits", "gamma", "chi2", "mvn_cov",
                                  "mvn_tril"])
@pytest.mark.parametrize("rd,td", DTYPES)
def test_entropy_equals_torch(name, rd, td):
    d, td_ = _pairs(rd, td)[name]
    tol = _tol(rd, name)
    e = d.entropy()
    ref = td_.entropy()
    close(e.reshape(list(ref.shape)) if name.startswith("mvn") else e, ref, rtol=tol, atol=tol)


@pytest.mark.parametrize("name", ["normal", "bernoulli", "gamma", "chi2", "poisson", "mvn_cov"])
@pytest.mark.parametrize("rd,td", DTYPES)
def test_moments_equal_torch(name, rd, td):
    d, td_ = _pairs(rd, td)[name]
    tol = _tol(rd)
    close(d.mean, td_.mean, rtol=tol, atol=tol)
    close(d.variance, td_.variance, rtol=tol, atol=tol)
    close(d.stddev, td_.stddev, rtol=tol, atol=tol)


@pytest.mark.parametrize("rd,td", DTYPES)
def test_normal_cdf_icdf_and_mixture_cdf_equal_torch(rd, td):
    pairs = _pairs(rd, td)
    d, td_ = pairs["normal"]
    v = np.random.default_rng(3).normal(size=(5, 2, 3))
    u = np.random.default_rng(4).uniform(0.01, 0.99, (5, 2, 3))
    tol = _tol(rd)
    close(d.cdf(rt(v, rd)), td_.cdf(torch.tensor(v, dtype=td)), rtol=tol, atol=tol)
    close(d.icdf(rt(u, rd)), td_.icdf(torch.tensor(u, dtype=td)), rtol=10 * tol, atol=10 * tol)
    m, tm = pairs["mixture"]
    close(m.cdf(rt(v[:, 0, 0], rd)), tm.cdf(torch.tensor(v[:, 0, 0], dtype=td)), rtol=tol, atol=tol)


def test_mvn_matrices_equal_torch():
    for name in ("mvn_cov", "mvn_tril"):
        d, td_ = _pairs(*DTYPES[1])[name]
        for field in ("scale_tril", "covariance_matrix", "precision_matrix"):
            close(getattr(d, field), getattr(td_, field), rtol=1e-12, atol=1e-12)
    P = np.array([[2.0, 0.3], [0.3, 1.0]])
    d = r.distr_multivariate_normal(rt(np.zeros(2), r.torch_double()), precision_matrix=rt(P, r.torch_double()))
    td_ = D.MultivariateNormal(torch.zeros(2, dtype=torch.float64), precision_matrix=torch.tensor(P))
    close(d.scale_tril, td_.scale_tril, rtol=1e-12, atol=1e-12)
    close(d.covariance_matrix, td_.covariance_matrix, rtol=1e-12, atol=1e-12)


def test_batched_mvn_log_prob_equals_torch():
    g = np.random.default_rng(5)
    A = g.normal(size=(2, 1, 3, 3))
    L = np.linalg.cholesky(A @ np.swapaxes(A, -1, -2) + np.eye(3))
    loc = g.normal(size=(4, 3))
    x = g.normal(size=(5, 2, 4, 3))
    d = r.distr_multivariate_normal(rt(loc), scale_tril=rt(L))
    td_ = D.MultivariateNormal(torch.tensor(loc, dtype=torch.float32), scale_tril=torch.tensor(L, dtype=torch.float32))
    assert d.batch_shape == (2, 4) and d.event_shape == (3,)
    close(d.log_prob(rt(x)), td_.log_prob(torch.tensor(x, dtype=torch.float32)), rtol=2e-6, atol=2e-5)


# ---- gradients ----------------------------------------------------------------------------------------------

def test_rsample_gradients_equal_torch():
    cases = {
        "normal": (lambda a, b: r.distr_normal(a, b), lambda a, b: D.Normal(a, b), [0.3, -1.0], [0.5, 2.0]),
        "gamma": (lambda a, b: r.distr_gamma(a, b), lambda a, b: D.Gamma(a, b), [0.4, 3.0], [1.5, 0.5]),
        "chi2": (lambda a, b: r.distr_chi2(a * b), lambda a, b: D.Chi2(a * b), [0.7, 5.0], [1.0, 2.0]),
    }
    for name, (mk, tmk, p1, p2) in cases.items():
        a, b = rt(p1, requires_grad=True), rt(p2, requires_grad=True)
        ta, tb = torch.tensor(p1, requires_grad=True), torch.tensor(p2, requires_grad=True)
        seed(31)
        x, tx = mk(a, b).rsample([3]), tmk(ta, tb).rsample((3,))
        same(x, tx)
        (x.sin()).sum().backward()
        (tx.sin()).sum().backward()
        close(a.grad, ta.grad, rtol=1e-5)
        close(b.grad, tb.grad, rtol=1e-5)


def test_mvn_rsample_and_log_prob_gradients_equal_torch():
    L0 = np.array([[1.2, 0.0], [0.4, 0.8]])
    loc, L = rt([0.5, -0.2], requires_grad=True), rt(L0, requires_grad=True)
    tloc, tL = torch.tensor([0.5, -0.2], requires_grad=True), torch.tensor(L0, dtype=torch.float32, requires_grad=True)
    d, td_ = r.distr_multivariate_normal(loc, scale_tril=L), D.MultivariateNormal(tloc, scale_tril=tL)
    seed(32)
    x, tx = d.rsample([4]), td_.rsample((4,))
    close(x, tx)
    (x.pow(2).sum() + d.log_prob(x.detach() + 0.1).sum()).backward()
    (tx.pow(2).sum() + td_.log_prob(tx.detach() + 0.1).sum()).backward()
    close(loc.grad, tloc.grad, rtol=1e-5, atol=1e-5)
    close(L.grad, tL.grad, rtol=1e-5, atol=1e-5)


def test_log_prob_gradients_equal_torch():
    v = [0.0, 2.0, 1.0]
    cases = [
        (lambda p: r.distr_gamma(p, 2.0), lambda p: D.Gamma(p, torch.tensor(2.0)), [0.5, 2.0, 7.0]),
        (lambda p: r.distr_poisson(p), lambda p: D.Poisson(p), [0.5, 2.0, 7.0]),
        (lambda p: r.distr_bernoulli(logits=p), lambda p: D.Bernoulli(logits=p), [0.1, -2.0, 1.0]),
        (lambda p: r.distr_bernoulli(probs=p), lambda p: D.Bernoulli(probs=p), [0.1, 0.6, 0.9]),
    ]
    for mk, tmk, p0 in cases:
        vals = [0.0, 1.0, 1.0] if "Bernoulli" in str(tmk(torch.tensor(p0))) else v
        p, tp = rt(p0, requires_grad=True), torch.tensor(p0, requires_grad=True)
        mk(p).log_prob(rt(vals)).sum().backward()
        tmk(tp).log_prob(torch.tensor(vals)).sum().backward()
        close(p.grad, tp.grad, rtol=1e-5)
    w0 = [[0.2, 1.0, -0.5], [0.0, 0.3, 0.1]]
    w, tw = rt(w0, requires_grad=True), torch.tensor(w0, requires_grad=True)
    r.distr_categorical(logits=w).log_prob(rt([3, 1])).sum().backward()
    D.Categorical(logits=tw).log_prob(torch.tensor([2, 0])).sum().backward()
    close(w.grad, tw.grad)


@pytest.mark.parametrize("upper,left,unit", [(False, True, False), (True, True, False), (False, False, True),
                                             (True, False, True)])
def test_linalg_cholesky_and_solve_triangular_gradients_equal_torch(upper, left, unit):
    g = np.random.default_rng(6)
    M = g.normal(size=(2, 3, 3))
    A0, B0 = M @ np.swapaxes(M, -1, -2) + np.eye(3), g.normal(size=(2, 3, 4) if left else (2, 4, 3))
    A, B = rt(A0, r.torch_double(), True), rt(B0, r.torch_double(), True)
    tA, tB = torch.tensor(A0, requires_grad=True), torch.tensor(B0, requires_grad=True)
    L, tL = r.linalg_cholesky(A), torch.linalg.cholesky(tA)
    assert str(L.grad_fn) == type(tL.grad_fn).__name__ == "LinalgCholeskyExBackward0"
    T, tT = (L.transpose(-2, -1), tL.mT) if upper else (L, tL)
    X = r.linalg_solve_triangular(T, B, upper=upper, left=left, unitriangular=unit)
    tX = torch.linalg.solve_triangular(tT, tB, upper=upper, left=left, unitriangular=unit)
    assert str(X.grad_fn) == type(tX.grad_fn).__name__
    close(X, tX, rtol=1e-12, atol=1e-12)
    X.sin().sum().backward()
    tX.sin().sum().backward()
    close(A.grad, tA.grad, rtol=1e-10, atol=1e-10)
    close(B.grad, tB.grad, rtol=1e-10, atol=1e-10)


def test_gamma_entropy_gradients_equal_torch():
    c0, r0 = [0.5, 3.0, 12.0], [2.0, 0.5, 1.0]
    c, rate = rt(c0, requires_grad=True), rt(r0, requires_grad=True)
    tc, trate = torch.tensor(c0, requires_grad=True), torch.tensor(r0, requires_grad=True)
    r.distr_gamma(c, rate).entropy().sum().backward()
    D.Gamma(tc, trate).entropy().sum().backward()
    close(c.grad, tc.grad, rtol=1e-5)
    close(rate.grad, trate.grad, rtol=1e-5)


def test_exponential_family_entropy_by_autograd_equals_the_closed_form():
    for d in (r.distr_normal(rt([0.2, 1.0]), rt([0.5, 3.0])), r.distr_bernoulli(rt([0.2, 0.7])),
              r.distr_gamma(rt([0.5, 4.0]), rt([1.5, 0.5]))):
        np.testing.assert_allclose(np.asarray(ExponentialFamily.entropy(d).detach()),
                                   np.asarray(d.entropy().detach()), rtol=1e-5)
    with pytest.raises(NotImplementedError):
        r.distr_poisson(rt([1.0])).entropy()


# ---- expand, validation, errors, printing ------------------------------------------------------------------

@pytest.mark.parametrize("name", NAMES)
def test_expand_keeps_values(name):
    d, _ = _pairs(*DTYPES[0])[name]
    new_batch = (5,) + tuple(d.batch_shape)
    e = d.expand(list(new_batch))
    assert type(e) is type(d)
    assert e.batch_shape == new_batch and e.event_shape == d.event_shape
    assert e.sample().shape == new_batch + tuple(d.event_shape)
    v = rt(_values(name, d)[0] + OFFSET.get(name, 0))
    lp = d.log_prob(v)
    np.testing.assert_allclose(np.asarray(e.log_prob(v)), np.broadcast_to(np.asarray(lp), new_batch), rtol=1e-6)


def test_validate_args():
    d = r.distr_normal(0, 1, validate_args=True)
    with pytest.raises(ValueError, match="within the support"):
        d.log_prob(rt([math.nan]))
    with pytest.raises(ValueError, match="must be a Tensor"):
        d.log_prob(0.5)
    g = r.distr_gamma(rt([1.0, 2.0]), rt([1.0, 1.0]), validate_args=True)
    with pytest.raises(ValueError, match="within the support"):
        g.log_prob(rt([-1.0, 1.0]))
    with pytest.raises(ValueError, match="not broadcastable"):
        g.log_prob(rt([1.0, 1.0, 1.0]))
    m = r.distr_multivariate_normal(rt([0.0, 0.0]), covariance_matrix=r.torch_eye(2), validate_args=True)
    with pytest.raises(ValueError, match="right-most size of value must match event_shape"):
        m.log_prob(rt([0.0, 0.0, 0.0]))
    assert g.expand([3, 2])._validate_args is True
    # without validation, as in R torch, a value outside the support is scored
    assert math.isnan(r.distr_gamma(1.0, 1.0).log_prob(-1.0).item())


def test_constructor_errors():
    with pytest.raises(ValueError, match="Either `probs` or `logits` must be specified, but not both."):
        r.distr_bernoulli(0.3, 0.1)
    with pytest.raises(ValueError, match="Either `probs` or `logits`"):
        r.distr_categorical()
    with pytest.raises(ValueError, match="`probs` must be at least one-dimensional."):
        r.distr_categorical(r.torch_tensor(1.0).squeeze())
    with pytest.raises(ValueError, match="Exactly one of covariance_matrix or precision_matrix or scale_tril"):
        r.distr_multivariate_normal(rt([0.0, 0.0]))
    with pytest.raises(ValueError, match="loc must be at least one-dimensional."):
        r.distr_multivariate_normal(r.torch_tensor(1.0).squeeze(), covariance_matrix=r.torch_eye(1))
    with pytest.raises(ValueError, match="Mixture distribution must be distr_categorical."):
        r.distr_mixture_same_family(r.distr_normal(0, 1), r.distr_normal(0, 1))
    with pytest.raises(ValueError, match=r"Mixture distribution component \(3\) does not equal"):
        r.distr_mixture_same_family(r.distr_categorical(r.torch_ones(3)), r.distr_normal(rt([0.0, 1.0]), 1))
    with pytest.raises(ValueError, match="Input arguments must all be instances of numeric"):
        r.distr_normal("a", 1)
    with pytest.raises(RuntimeError):
        r.distr_multivariate_normal(rt([0.0, 0.0]), covariance_matrix=rt([[1.0, 2.0], [2.0, 1.0]]))
    with pytest.raises(NotImplementedError):
        r.distr_categorical(r.torch_ones(3)).entropy()


def test_categorical_out_of_range_category_raises():
    d = r.distr_categorical(r.torch_ones(3))
    with pytest.raises(Exception):
        d.log_prob(rt([0.0]))
    with pytest.raises(Exception):
        d.log_prob(rt([4.0]))


def test_printing_and_class():
    assert repr(r.distr_normal(0, 1)) == "torch_Normal (loc=0, scale=1)"
    assert repr(r.distr_gamma(2, 0.5)) == "torch_Gamma (concentration=2, rate=0.5)"
    assert repr(r.distr_normal(0.2, 1)) == "torch_Normal (loc=0.200000002980232, scale=1)"
    np.testing.assert_array_equal(r.class_(r.distr_chi2(1)),
                                  ["torch_Chi2", "torch_Gamma", "torch_ExponentialFamily", "torch_Distribution", "R6"])
    assert repr(r.distributions.constraints.constraint_positive) == "torch_GreaterThan: (lower_bound=0)"


def test_exports():
    for name in ("distr_normal", "distr_bernoulli", "distr_categorical", "distr_gamma", "distr_chi2",
                 "distr_poisson", "distr_multivariate_normal", "distr_mixture_same_family", "torch_poisson",
                 "torch__standard_gamma", "torch__standard_gamma_grad"):
        assert name in r.__all__, name


def test_mixture_of_multivariate_normals_equals_torch():
    g = np.random.default_rng(7)
    w, loc = g.uniform(0.2, 1, (2, 3)), g.normal(size=(2, 3, 2))
    A = g.normal(size=(2, 3, 2, 2))
    cov = A @ np.swapaxes(A, -1, -2) + np.eye(2)
    d = r.distr_mixture_same_family(r.distr_categorical(rt(w, r.torch_double())),
                                    r.distr_multivariate_normal(rt(loc, r.torch_double()),
                                                                covariance_matrix=rt(cov, r.torch_double())))
    td_ = D.MixtureSameFamily(D.Categorical(torch.tensor(w)),
                              D.MultivariateNormal(torch.tensor(loc), covariance_matrix=torch.tensor(cov)))
    assert d.batch_shape == (2,) and d.event_shape == (2,)
    seed(41)
    close(d.sample([4]), td_.sample((4,)), rtol=1e-12, atol=1e-12)
    x = g.normal(size=(5, 2, 2))
    close(d.log_prob(rt(x, r.torch_double())), td_.log_prob(torch.tensor(x)), rtol=3e-7, atol=3e-7)
    e = d.expand([4, 2])
    assert e.batch_shape == (4, 2) and e.component_distribution.batch_shape == (4, 2, 3)
    close(e.log_prob(rt(x[0], r.torch_double())), td_.expand((4, 2)).log_prob(torch.tensor(x[0])), rtol=3e-7)
