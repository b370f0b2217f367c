"""R torch's distributions (rtorch.distributions): R torch's testthat files test-distribution*.R and
test-distributions-*.R ported block by block (`test_<file>__<block>`), with PyTorch's torch.distributions
as the oracle where the R test has no numbers of its own: seeded draws, log_prob, cdf, icdf, entropy,
mean, variance and the gradients of rsample and log_prob."""
import math

import numpy as np
import pytest
import scipy.special
import scipy.stats
import torch
import torch.distributions as D

import rtorch as r
from rtorch.distributions import constraints as C


def arr(t):
    return np.asarray(r.as_array(t.detach()))


def tt(t):
    """The PyTorch tensor holding rtorch tensor `t`'s values, in its dtype."""
    a = np.asarray(t.detach()) if isinstance(t, r.Tensor) else np.asarray(t)
    return torch.from_numpy(np.array(a))


def close(a, b, rtol=1e-6, atol=1e-6):
    np.testing.assert_allclose(np.asarray(a.detach()), b.detach().numpy(), rtol=rtol, atol=atol)


def check_log_prob(distribution, expect_fn):
    """R's helper-distributions.R: log_prob of each element of one sample, checked one by one (1-based)."""
    s = distribution.sample()
    log_probs = distribution.log_prob(s)
    flat = log_probs.view(-1)
    s_flat = s.view([len(flat), -1])
    for i in range(1, len(flat) + 1):
        expect_fn(i, s_flat[i].squeeze(), flat[i])


def check_enumerate_support(distr, examples):
    for params, expected in examples:
        params = {k: r.torch_tensor(v) for k, v in params.items()}
        expected = r.torch_tensor(expected)
        d = distr(**params)
        np.testing.assert_array_equal(arr(d.enumerate_support(expand=False)), arr(expected))
        with_expand = expected.expand([-1, *d.batch_shape, *d.event_shape])
        np.testing.assert_array_equal(arr(d.enumerate_support(expand=True)), arr(with_expand))


@pytest.fixture(autouse=True)
def _seeded():
    r.torch_manual_seed(2024)


# ---- test-distribution-chi2.R ------------------------------------------------------------------------------

def test_distribution_chi2__chi2_basic_test():
    for df in (1e-2, 1e-1, 1e0, 1e1, 1e2, 1e3, 1e4):
        dfs = r.torch_tensor(r.rep(df, 100), dtype=r.torch_float(), requires_grad=True)
        x = r.distr_chi2(dfs).rsample()
        x.sum().backward()
        x, ind = x.detach().sort()
        x = arr(x).astype(np.float64)
        actual = arr(dfs.grad[ind])
        eps = 0.01 * df / (1.0 + df ** 0.5)
        cdf_df = (scipy.stats.chi2.cdf(x, df + eps) - scipy.stats.chi2.cdf(x, df - eps)) / (2 * eps)
        expected = -cdf_df / scipy.stats.chi2.pdf(x, df)
        rel = np.abs(actual - expected) / (expected + 1e-30)
        assert rel.max() < 0.005, df


def test_distribution_chi2__chi2_shape():
    df = r.torch_randn(2, 3).exp().requires_grad_()
    df_1d = r.torch_randn(1).exp().requires_grad_()
    assert r.distr_chi2(df).sample().size() == (2, 3)
    assert r.distr_chi2(df).sample(5).size() == (5, 2, 3)
    assert r.distr_chi2(df_1d).sample(1).size() == (1, 1)
    assert r.distr_chi2(df_1d).sample().size() == (1,)
    assert r.distr_chi2(r.torch_tensor(0.5, requires_grad=True)).sample().size() == (1,)
    assert r.distr_chi2(0.5).sample().size() == (1,)
    assert r.distr_chi2(0.5).sample(1).size() == (1, 1)

    def ref_log_prob(idx, x, log_prob):
        d = df.view(-1)[idx].detach().item()
        expected = scipy.stats.chi2.logpdf(x.item(), d)
        assert log_prob.item() == pytest.approx(expected, rel=1e-2, abs=1e-5)

    check_log_prob(r.distr_chi2(df), ref_log_prob)


def test_distribution_chi2__chi2_shape_tensor_params():
    chi2 = r.distr_chi2(r.torch_tensor(r.c(1.0, 1.0)))
    assert chi2.batch_shape == (2,)
    assert chi2.event_shape == ()
    assert chi2.sample().size() == (2,)
    assert chi2.sample(r.c(3, 2)).size() == (3, 2, 2)
    assert chi2.log_prob(r.torch_ones(3, 2)).size() == (3, 2)
    with pytest.raises(Exception):
        chi2.log_prob(r.torch_ones(3, 2, 3))
    assert chi2.log_prob(r.torch_ones(2, 1)).size() == (2, 2)


def test_distribution_chi2__chi2_shape_scalar_params():
    chi2 = r.distr_chi2(1)
    assert chi2.batch_shape == (1,)
    assert chi2.event_shape == ()
    assert chi2.sample().size() == (1,)
    assert chi2.sample(r.c(3, 2)).size() == (3, 2, 1)
    assert chi2.log_prob(r.torch_ones(3, 2)).size() == (3, 2)
    assert chi2.log_prob(r.torch_ones(3, 2, 3)).size() == (3, 2, 3)


# ---- test-distribution-gamma.R -----------------------------------------------------------------------------

def test_distribution_gamma__gamma_distribution_rsample():
    for alpha in (1e-2, 1e-1, 1e0, 1e1, 1e2, 1e3, 1e4):
        alphas = r.torch_tensor(r.rep(alpha, 100), dtype=r.torch_float(), requires_grad=True)
        betas = r.torch_tensor(r.rep(1, 100))
        x = r.distr_gamma(alphas, betas).rsample()
        x.sum().backward()
        x, ind = x.detach().sort()
        x = arr(x).astype(np.float64)
        actual = arr(alphas.grad[ind])
        eps = 0.01 * alpha / (1.0 + alpha ** 0.5)
        cdf_alpha = (scipy.special.gammainc(alpha + eps, x) - scipy.special.gammainc(alpha - eps, x)) / (2 * eps)
        expected = -cdf_alpha / scipy.stats.gamma.pdf(x, alpha)
        rel = np.abs(actual - expected) / (expected + 1e-30)
        assert rel.max() < 0.005, alpha


def test_distribution_gamma__gamma_distribution_shape_scalar_params():
    gamma = r.distr_gamma(1, 1)
    assert gamma.batch_shape == (1,)
    assert gamma.event_shape == ()
    assert gamma.sample().size() == (1,)
    assert gamma.sample(r.c(3, 2)).size() == (3, 2, 1)
    assert gamma.log_prob(1).size() == (1,)
    assert gamma.log_prob(r.torch_ones(r.c(3, 2))).size() == (3, 2)
    assert gamma.log_prob(r.torch_ones(r.c(3, 2, 3))).size() == (3, 2, 3)


# ---- test-distribution-normal.R ----------------------------------------------------------------------------

def test_distribution_normal__distribution_normal_basic_size_test():
    loc = r.torch_randn(5, 5, requires_grad=True)
    scale = r.torch_randn(5, 5).abs().requires_grad_()
    loc_1d = r.torch_randn(1, requires_grad=True)
    scale_1d = r.torch_randn(1).abs().requires_grad_()
    assert r.distr_normal(loc, scale).sample().size() == (5, 5)
    assert r.distr_normal(loc, scale).sample(7).size() == (7, 5, 5)
    assert r.distr_normal(loc_1d, scale_1d).sample(1).size() == (1, 1)
    assert r.distr_normal(loc_1d, scale_1d).sample().size() == (1,)
    assert r.distr_normal(0.2, .6).sample(1).size() == (1, 1)
    assert r.distr_normal(-0.7, 50.0).sample().size() == (1,)

    loc_delta = r.torch_tensor(r.c(1.0, 0.0))
    scale_delta = r.torch_tensor(r.c(1e-5, 1e-5))
    s = r.distr_normal(loc_delta, scale_delta).sample(sample_shape=r.c(1, 2))
    np.testing.assert_allclose(arr(s), np.array([[[1.0, 0.0], [1.0, 0.0]]]), atol=1e-4)

    # the gradient of rsample: d z / d scale is the standard normal draw (the seed replays it)
    r.torch_manual_seed(7)
    eps = r.torch_normal(r.torch_zeros_like(loc), r.torch_ones_like(scale))
    r.torch_manual_seed(7)
    z = r.distr_normal(loc, scale).rsample()
    z.backward(r.torch_ones_like(z))
    np.testing.assert_array_equal(arr(loc.grad), np.ones((5, 5)))
    np.testing.assert_allclose(arr(scale.grad), arr(eps), rtol=1e-6)
    assert z.size() == (5, 5)


def test_distribution_normal__distribution_normal_expand():
    d = r.distr_normal(loc=1, scale=1)
    for shape in ((), (2,), (2, 1)):
        expanded_shape = shape + d.batch_shape
        original_shape = d.batch_shape + d.event_shape
        expanded = d.expand(batch_shape=list(expanded_shape))
        sample = expanded.sample()
        assert type(expanded) is type(d)
        np.testing.assert_array_equal(r.class_(expanded), r.class_(d))
        assert d.sample().shape == original_shape
        np.testing.assert_array_equal(arr(expanded.log_prob(sample)), arr(d.log_prob(sample)))
        assert expanded.sample().shape == shape + original_shape
        assert expanded.batch_shape == expanded_shape


def test_distribution_normal__can_get_reproducible_results_with_torch_manual_seed():
    dn = r.distr_normal(0, 1)
    r.torch_manual_seed(10)
    x = dn.sample(1)
    r.torch_manual_seed(10)
    y = dn.sample(1)
    np.testing.assert_array_equal(arr(x), arr(y))


# ---- test-distribution-poisson.R ---------------------------------------------------------------------------

def test_distribution_poisson__poisson_distribution_shape_test():
    rate = r.torch_randn(2, 3).abs().requires_grad_()
    rate_1d = r.torch_randn(1).abs().requires_grad_()
    assert r.distr_poisson(rate).sample().size() == (2, 3)
    assert r.distr_poisson(rate_1d).sample().size() == (1,)
    assert r.distr_poisson(rate_1d).sample(1).size() == (1, 1)
    assert r.distr_poisson(2.0).sample(2).size() == (2, 1)


def test_distribution_poisson__poisson_distribution_log_prob():
    """R's block compares with `ppois(x, l, log.p = TRUE)`, the log cdf, which equals the log pmf only at
    x = 0; the reference here is the log pmf, what log_prob is."""
    rate = (r.torch_randn(2, 3).abs() * 4).requires_grad_()

    def ref_log_prob(idx, x, log_prob):
        lam = rate.view(-1)[idx].detach().item()
        assert log_prob.item() == pytest.approx(scipy.stats.poisson.logpmf(x.item(), lam), rel=1e-5, abs=1e-5)

    check_log_prob(r.distr_poisson(rate), ref_log_prob)


# ---- test-distributions-bernoulli.R ------------------------------------------------------------------------

def test_distributions_bernoulli__bernoulli_distribution_basic_tests():
    p = r.torch_tensor(r.c(0.7, 0.2, 0.4), requires_grad=True)
    rr = r.torch_tensor(0.3, requires_grad=True)
    s = 0.3
    assert r.distr_bernoulli(p).sample(8).size() == (8, 3)
    assert not r.distr_bernoulli(p).sample().requires_grad
    assert r.distr_bernoulli(rr).sample(8).size() == (8, 1)
    assert r.distr_bernoulli(rr).sample().size() == (1,)
    assert r.distr_bernoulli(s).sample().size() == (1,)

    def ref_log_prob(idx, val, log_prob):
        prob = p[idx]
        prob = prob if val.item() != 0 else 1 - prob
        assert log_prob.item() == pytest.approx(math.log(prob.item()), rel=1e-6)

    check_log_prob(r.distr_bernoulli(p), ref_log_prob)
    check_log_prob(r.distr_bernoulli(logits=p.log() - (-p).log1p()), ref_log_prob)
    with pytest.raises(NotImplementedError):
        r.distr_bernoulli(rr).rsample()
    np.testing.assert_allclose(arr(r.distr_bernoulli(p).entropy()), [0.6108, 0.5004, 0.6730], atol=1e-4)
    np.testing.assert_allclose(arr(r.distr_bernoulli(0).entropy()), [0], atol=1e-5)
    np.testing.assert_allclose(arr(r.distr_bernoulli(s).entropy()), [0.6108], atol=1e-4)


def test_distributions_bernoulli__bernoulli_distribution_enumerate_support():
    """R's third example writes the expected support of a 2x2 batch as `array(c(0, 1), dim = c(1, 2, 1))`;
    the support runs along the first dim with a singleton per batch dim, shape (2, 1, 1), as here."""
    examples = [({"probs": 0.1}, r.matrix(r.c(0, 1), 2, 1)),
                ({"probs": r.c(0.1, 0.9)}, r.matrix(r.c(0, 1), 2, 1)),
                ({"probs": r.matrix(r.c(0.1, 0.1, 0.3, 0.4), 2, 2)}, np.array([0.0, 1.0]).reshape(2, 1, 1))]
    check_enumerate_support(r.distr_bernoulli, examples)


def test_distributions_bernoulli__bernoulli_distribution_3d():
    p = r.torch_full(r.c(2, 3, 5), 0.5).requires_grad_()
    assert r.distr_bernoulli(p).sample().size() == (2, 3, 5)
    assert r.distr_bernoulli(p).sample(sample_shape=r.c(2, 5)).size() == (2, 5, 2, 3, 5)
    assert r.distr_bernoulli(p).sample(2).size() == (2, 2, 3, 5)


def test_distributions_bernoulli__bernoulli_distribution_expand():
    d = r.distr_bernoulli(r.torch_tensor(r.c(0.7, 0.2, 0.4), requires_grad=True))
    for shape in ((), (2,), (2, 1)):
        expanded_shape = shape + d.batch_shape
        original_shape = d.batch_shape + d.event_shape
        expanded = d.expand(batch_shape=list(expanded_shape))
        sample = expanded.sample()
        assert type(expanded) is type(d)
        assert d.sample().shape == original_shape
        np.testing.assert_array_equal(arr(expanded.log_prob(sample)), arr(d.log_prob(sample)))
        assert expanded.sample().shape == shape + original_shape
        assert expanded.batch_shape == expanded_shape


def test_distributions_bernoulli__bernoulli_distribution_enumerate_support_values():
    d = r.distr_bernoulli(0.7)
    assert set(np.unique(arr(d.enumerate_support()))) <= {0.0, 1.0}


def test_distributions_bernoulli__log_prob_is_correct():
    probs = r.torch_rand(10)
    d = r.distr_bernoulli(probs=probs)
    x = r.torch_tensor(np.random.RandomState(1).choice([0.0, 1.0], 10))
    expected = scipy.stats.binom.logpmf(arr(x), 1, arr(probs))
    np.testing.assert_allclose(arr(d.log_prob(x)), expected, rtol=1e-6, atol=1e-6)


def test_distributions_bernoulli__gradients_are_correct():
    probs = r.torch_tensor(r.c(0.5, 0.2), requires_grad=True)
    d = r.distr_bernoulli(probs=probs)
    x = r.torch_cat([r.torch_ones(5, 2), r.torch_zeros(5, 2)])
    d.log_prob(x).mean().backward()
    np.testing.assert_allclose(arr(probs.grad), [0.0, 0.9375], atol=1e-6)


# ---- test-distributions-categorical.R ----------------------------------------------------------------------

def test_distributions_categorical__categorical_distribution_works():
    p = r.torch_tensor(r.c(0.1, 0.2, 0.3), requires_grad=True)
    d = r.distr_categorical(probs=p)
    assert d.sample().shape == ()
    assert d.sample().requires_grad is False
    assert d.sample(r.c(2, 2)).shape == (2, 2)
    assert d.sample(r.c(1)).shape == (1,)
    assert r.torch_all(r.torch_isnan(d.mean)).item()
    assert r.torch_all(r.torch_isnan(d.variance)).item()
    np.testing.assert_array_equal(arr(d.log_prob(r.torch_tensor(r.c(1, 2, 3)))), arr(d.logits))


def test_distributions_categorical__categorical_2d_works():
    p1 = r.torch_tensor(r.rbind(r.c(0.1, 0.2, 0.3), r.c(0.5, 0.3, 0.2)), requires_grad=True)
    p2 = r.torch_tensor(r.rbind(r.c(1.0, 0.0), r.c(0.0, 1.0)), requires_grad=True)
    assert r.distr_categorical(probs=p1).sample().shape == (2,)
    assert r.distr_categorical(probs=p2).sample().shape == (2,)
    # one-hot rows always draw their category, 1-based
    np.testing.assert_array_equal(arr(r.distr_categorical(probs=p2).sample(4)), [[1, 2]] * 4)


# ---- test-distributions-constraints.R ----------------------------------------------------------------------

def test_distributions_constraints__constraint_real_vector():
    assert C.constraint_real_vector.check(r.torch_randn(5)).item() is True
    np.testing.assert_array_equal(arr(C.constraint_real_vector.check(r.torch_randn(5, 5))), [True] * 5)
    x = r.torch_log(r.torch_randn(5, 5) - 3)
    np.testing.assert_array_equal(arr(C.constraint_real_vector.check(x)), [False] * 5)


def test_distributions_constraints__positive_definite():
    assert C.constraint_positive_definite.check(r.torch_randn(10, 2, 2)).shape == (1, 10)
    x = r.torch_diag_embed(-1 * r.torch_ones(10, 2, 2), offset=0, dim1=-2, dim2=-1)[:, 1, :, :]
    np.testing.assert_array_equal(arr(C.constraint_positive_definite.check(x)), np.zeros((1, 10), bool))
    x = r.torch_eye(2, 2).unsqueeze(1)
    np.testing.assert_array_equal(arr(C.constraint_positive_definite.check(x)), np.ones((1, 1), bool))


def test_distributions_constraints__lower_cholesky():
    np.testing.assert_array_equal(arr(C.constraint_lower_cholesky.check(r.torch_rand(5, 2, 2))), [False] * 5)
    np.testing.assert_array_equal(arr(C.constraint_lower_cholesky.check(r.torch_randn(5, 2, 2))), [False] * 5)
    x = r.torch_eye(2, 2).unsqueeze(1)
    np.testing.assert_array_equal(arr(C.constraint_lower_cholesky.check(x)), [True])
    np.testing.assert_array_equal(arr(C.constraint_lower_cholesky.check(x.mul(-2))), [False])


def test_distributions_constraints__less_than():
    constraint = C.constraint_less_than(1)
    np.testing.assert_array_equal(arr(constraint.check(r.torch_tensor(0.5))), [True])
    np.testing.assert_array_equal(arr(constraint.check(r.torch_tensor(1.5))), [False])
    assert constraint.upper_bound == 1


def test_distributions_constraints__half_open_interval():
    constraint = C.constraint_half_open_interval(0, 1)
    for v, want in ((0, True), (0.5, True), (1, False), (-1, False)):
        np.testing.assert_array_equal(arr(constraint.check(r.torch_tensor(v))), [want])


# ---- test-distributions-mixture_same_family.R --------------------------------------------------------------

def test_distributions_mixture_same_family__mixture_same_family_works():
    mix = r.distr_categorical(r.torch_ones(5))
    comp = r.distr_normal(r.torch_randn(5), r.torch_rand(5))
    gmm = r.distr_mixture_same_family(mix, comp)
    assert "torch_Distribution" in r.class_(gmm)
    assert "torch_MixtureSameFamily" in r.class_(gmm)
    assert gmm.sample().shape == ()
    assert gmm.sample(1).shape == (1,)
    assert gmm.sample(r.c(2, 2)).shape == (2, 2)


def _mixture(probs, loc, scale):
    return r.distr_mixture_same_family(r.distr_categorical(probs), r.distr_normal(loc=loc, scale=scale))


def test_distributions_mixture_same_family__log_prob_and_cdf_are_equal_to_reference():
    d = _mixture(r.torch_tensor(r.c(0.6, 0.4)), r.torch_zeros(2), r.torch_ones(2))
    x = r.torch_tensor(r.rbind(r.c(1, 2), r.c(0, -1)))
    np.testing.assert_allclose(arr(d.log_prob(x)), [[-1.4189383984, -2.9189386368], [-0.9189383984, -1.4189383984]],
                               rtol=1e-5)
    np.testing.assert_allclose(arr(d.cdf(x)), [[0.8413447738, 0.9772499204], [0.5000000000, 0.1586552560]],
                               rtol=1e-5)


def test_distributions_mixture_same_family__gradients_are_similar_to_python():
    probs = r.torch_tensor(r.c(0.6, 0.4), requires_grad=True)
    loc = r.torch_zeros(2, requires_grad=True)
    scale = r.torch_ones(2, requires_grad=True)
    d = _mixture(probs, loc, scale)
    d.log_prob(r.torch_tensor(r.rbind(r.c(1, 2), r.c(0, -1)))).mean().backward()
    np.testing.assert_allclose(arr(probs.grad), [-9.9341050941e-09, 1.4901161194e-08], atol=1e-6)
    np.testing.assert_allclose(arr(loc.grad), [0.3000000119, 0.1999999881], rtol=1e-6)
    np.testing.assert_allclose(arr(scale.grad), [0.2999999523, 0.1999999881], rtol=1e-6)


# ---- test-distributions-multivariate_normal.R --------------------------------------------------------------

def test_distributions_multivariate_normal__multivariate_nromal():
    m = r.distr_multivariate_normal(loc=r.torch_randn(2), covariance_matrix=r.torch_eye(2))
    assert m.sample(10).shape == (10, 2)
    x = m.sample(10)
    expected = scipy.stats.multivariate_normal.logpdf(arr(x), mean=arr(m.loc), cov=arr(m.covariance_matrix))
    np.testing.assert_allclose(arr(m.log_prob(x)), expected, rtol=1e-6)


def test_distributions_multivariate_normal__multivaraitae_normal_additional_shapes():
    m = r.distr_multivariate_normal(loc=r.torch_randn(2), covariance_matrix=r.torch_eye(2))
    assert m.sample(r.c(10, 10)).shape == (10, 10, 2)
    assert m.log_prob(m.sample(r.c(10, 10))).shape == (10, 10)
    assert m.sample(r.c(10, 5, 3)).shape == (10, 5, 3, 2)
    assert m.log_prob(m.sample(r.c(10, 5, 3))).shape == (10, 5, 3)


def test_distributions_multivariate_normal__multivariate_normal_gradients():
    """R checks with numDeriv on mvtnorm's density; here against central differences of scipy's, and
    against torch.distributions' gradients."""
    loc = r.torch_randn(2, requires_grad=True)
    var = r.torch_eye(2, requires_grad=True)
    m = r.distr_multivariate_normal(loc=loc, covariance_matrix=var)
    sample = m.sample(10)
    m.log_prob(sample).mean().backward()
    xs, mu = arr(sample), arr(loc).astype(np.float64)

    def f(mu_, cov_):
        return scipy.stats.multivariate_normal.logpdf(xs, mean=mu_, cov=cov_).mean()

    h = 1e-6
    grad_mean = [(f(mu + h * e, np.eye(2)) - f(mu - h * e, np.eye(2))) / (2 * h) for e in np.eye(2)]
    np.testing.assert_allclose(arr(loc.grad), grad_mean, rtol=1e-4, atol=1e-5)
    tl, tv = tt(loc).requires_grad_(), tt(var).requires_grad_()
    D.MultivariateNormal(tl, covariance_matrix=tv).log_prob(tt(sample)).mean().backward()
    close(loc.grad, tl.grad)
    close(var.grad, tv.grad)
    # the diagonal, as R checks it (an off-diagonal step breaks symmetry)
    for k in range(2):
        e = np.zeros((2, 2))
        e[k, k] = h
        num = (f(mu, np.eye(2) + e) - f(mu, np.eye(2) - e)) / (2 * h)
        assert arr(var.grad)[k, k] == pytest.approx(num, rel=1e-4, abs=1e-5)


def test_distributions_multivariate_normal__properites():
    m = r.distr_multivariate_normal(loc=r.torch_randn(2), covariance_matrix=r.torch_eye(2))
    for v in (m.scale_tril, m.covariance_matrix, m.precision_matrix):
        np.testing.assert_array_equal(arr(v), np.eye(2))
    np.testing.assert_array_equal(arr(m.mean), arr(m.loc))
    assert m.variance.shape == (2,)
    assert m.entropy().shape == (1,)


def test_distributions_multivariate_normal__works_with_precision_matrix():
    dist = r.distr_multivariate_normal(r.torch_ones(2), precision_matrix=r.torch_eye(2))
    assert dist.sample(10).shape == (10, 2)
