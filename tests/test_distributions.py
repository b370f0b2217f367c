"""`distr_normal` and `distr_bernoulli` (R torch's R/distributions-*.R): shapes as R torch's tests state them,
seeded samples, log_prob/cdf/icdf/entropy values and their gradients against torch.distributions (what R
torch's classes port), R torch's printing and error messages."""
import contextlib
import io

import numpy as np
import pytest

import rtorch as r
from tests._compare import arr, close, rt
from tests._require import require

torch = require("torch")
D = torch.distributions
G = np.random.default_rng(7)
F64 = r.torch_float64()


def printed(x):
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        r.rprint(x)
    return buf.getvalue()


def test_shapes_as_r_torchs_tests_state_them():
    loc, scale = r.torch_randn(5, 5), r.torch_randn(5, 5).abs()
    assert r.distr_normal(loc, scale).sample().size() == (5, 5)
    assert r.distr_normal(loc, scale).sample(7).size() == (7, 5, 5)
    assert r.distr_normal(0.2, 0.6).sample(1).size() == (1, 1)
    assert r.distr_normal(-0.7, 50.0).sample().size() == (1,)
    assert r.distr_normal(0, 1).batch_shape == (1,)
    p = r.torch_full(r.c(2, 3, 5), 0.5)
    assert r.distr_bernoulli(p).sample(sample_shape=r.c(2, 5)).size() == (2, 5, 2, 3, 5)
    assert r.distr_bernoulli(0.3).sample().size() == (1,)
    assert r.distr_bernoulli(r.torch_tensor(r.c(0.7, 0.2, 0.4))).sample(8).size() == (8, 3)
    d = r.distr_normal(loc=1, scale=1).expand(r.c(2, 1))
    assert d.batch_shape == (2, 1) and d.sample().size() == (2, 1)


def test_seeded_samples_are_libtorchs():
    loc, scale = G.standard_normal(3).astype(np.float32), np.abs(G.standard_normal(3)).astype(np.float32) + 0.1
    p = G.uniform(size=3).astype(np.float32)
    r.torch_manual_seed(3)
    ours = [r.distr_normal(rt(loc), rt(scale)).sample(4), r.distr_normal(rt(loc), rt(scale)).rsample(),
            r.distr_bernoulli(rt(p)).sample(5), r.distr_normal(0, 1).sample(3)]
    torch.manual_seed(3)
    theirs = [D.Normal(torch.tensor(loc), torch.tensor(scale)).sample((4,)),
              D.Normal(torch.tensor(loc), torch.tensor(scale)).rsample(),
              D.Bernoulli(torch.tensor(p)).sample((5,)), D.Normal(torch.zeros(1), torch.ones(1)).sample((3,))]
    for a, b in zip(ours, theirs):
        np.testing.assert_array_equal(arr(a), b.numpy())
    assert not ours[0].requires_grad


@pytest.mark.parametrize("method", ["log_prob", "cdf", "icdf", "entropy", "rsample"])
def test_normal_values_and_gradients_match_torch(method):
    loc, scale = G.standard_normal((2, 3)), np.abs(G.standard_normal((2, 3))) + 0.2
    value = G.uniform(0.05, 0.95, size=(4, 2, 3))
    a, s = rt(loc, True, F64), rt(scale, True, F64)
    ta, ts = torch.tensor(loc, requires_grad=True), torch.tensor(scale, requires_grad=True)
    ours, theirs = r.distr_normal(a, s), D.Normal(ta, ts)
    if method == "entropy":
        out, tout = ours.entropy(), theirs.entropy()
    elif method == "rsample":
        r.torch_manual_seed(5)
        torch.manual_seed(5)
        out, tout = ours.rsample(r.c(4)), theirs.rsample((4,))
    else:
        out, tout = getattr(ours, method)(rt(value, dtype=F64)), getattr(theirs, method)(torch.tensor(value))
    close(out, tout, atol=1e-10)
    w = G.standard_normal(tuple(tout.shape))
    (out * rt(w, dtype=F64)).sum().backward()
    (tout * torch.tensor(w)).sum().backward()
    if method == "entropy":
        assert r.is_undefined_tensor(a.grad) and ta.grad is None
    else:
        close(a.grad, ta.grad, atol=1e-10)
    close(s.grad, ts.grad, atol=1e-10)


def test_normal_log_prob_of_r_numbers_and_moments():
    n = r.distr_normal(loc=0, scale=1)
    close(n.log_prob(0), np.array([np.log(1 / np.sqrt(2 * np.pi))]))
    close(n.log_prob(r.c(0, 2, 4)), D.Normal(0.0, 1.0).log_prob(torch.tensor([0.0, 2.0, 4.0])))
    m = r.distr_normal(r.torch_tensor(r.c(1, 2)), 3)
    close(m.mean, np.array([1, 2])), close(m.stddev, np.array([3, 3])), close(m.variance, np.array([9, 9]))
    assert m.scale.dtype == r.torch_float32()


@pytest.mark.parametrize("by", ["probs", "logits"])
def test_bernoulli_values_and_gradients_match_torch(by):
    param = G.uniform(0.1, 0.9, size=(2, 3)) if by == "probs" else G.standard_normal((2, 3))
    value = (G.uniform(size=(4, 2, 3)) > 0.5).astype(np.float64)
    a, ta = rt(param, True, F64), torch.tensor(param, requires_grad=True)
    ours, theirs = r.distr_bernoulli(**{by: a}), D.Bernoulli(**{by: ta})
    out = ours.log_prob(rt(value, dtype=F64)).sum() + ours.entropy().sum() + ours.variance.sum()
    tout = theirs.log_prob(torch.tensor(value)).sum() + theirs.entropy().sum() + theirs.variance.sum()
    close(out, tout, atol=1e-10)
    out.backward()
    tout.backward()
    close(a.grad, ta.grad, atol=1e-10)
    close(ours.probs, theirs.probs, atol=1e-10)
    close(ours.logits, theirs.logits, atol=1e-6)


def test_bernoulli_entropy_and_support_as_r_torchs_tests():
    close(r.distr_bernoulli(r.torch_tensor(r.c(0.7, 0.2, 0.4))).entropy(), np.array([0.6108, 0.5004, 0.6730]),
          atol=1e-4)
    close(r.distr_bernoulli(0).entropy(), np.array([0.0]))
    support = r.distr_bernoulli(r.torch_tensor(r.c(0.1, 0.9))).enumerate_support()
    assert support.size() == (2, 2)
    np.testing.assert_array_equal(arr(support), [[0, 0], [1, 1]])
    with pytest.raises(NotImplementedError):
        r.distr_bernoulli(0.3).rsample()


def test_print_and_bad_input_in_r_torchs_words():
    assert printed(r.distr_normal(0, 1)) == "torch_Normal ()"
    assert printed(r.distr_bernoulli(probs=r.torch_tensor(r.c(0.25, 0.5)))) == "torch_Bernoulli ()"
    with pytest.raises(ValueError, match=r"Either `probs` or `logits` must be specified, but not both\."):
        r.distr_bernoulli()
    with pytest.raises(ValueError, match="but not both"):
        r.distr_bernoulli(probs=0.5, logits=0.0)
    with pytest.raises(TypeError, match="Input arguments must all be instances of numeric"):
        r.distr_normal("a", 1)
