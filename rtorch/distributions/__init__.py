"""R torch's probability distributions (R/distributions*.R): `distr_normal()` and `distr_bernoulli()`.

As in R torch, a distribution holds its parameters as tensors broadcast together (an R number becomes a
tensor of shape 1 in the default dtype, so `distr_normal(0, 1)$batch_shape` is 1); `$sample(sample_shape)`
draws without recording (torch_normal / torch_bernoulli, so a seeded draw is libtorch's), `$rsample()` draws
through the parameters, `$log_prob(value)`, `$entropy()`, `$cdf()`, `$icdf()` are recorded ops (gradients
reach the parameters). `print()` writes what R torch's writes: the class name and `()` without a newline (R
torch's print reads the base class's empty private `.arg_constraints`, so no parameters are listed).

Python differs where R's active bindings are plain attributes read with `.` (`d.mean`, `d.batch_shape`).
"""
import math

import numpy as np

from .._creation import torch_arange, torch_empty, torch_finfo, torch_tensor
from .._dtypes import torch_get_default_dtype
from .._functions import torch_erf, torch_erfinv, torch_exp, torch_log, torch_log1p, torch_sigmoid
from .._sampling import torch_bernoulli, torch_normal
from .._tensor import Tensor
from ..autograd._grad_mode import with_no_grad
from ..nn.functional._loss import nnf_binary_cross_entropy_with_logits

__all__ = ["distr_normal", "distr_bernoulli"]


def _shape(x):
    """An R shape (NULL, a number, c(...), a size) as a tuple of ints."""
    if x is None:
        return ()
    if isinstance(x, (int, float, np.integer, np.floating)):
        return (int(x),)
    return tuple(int(v) for v in np.asarray(x).reshape(-1))


def _broadcast_all(values):
    """R torch's broadcast_all(): numbers become tensors (the first tensor's dtype and device, else the
    default dtype), then all are expanded to one shape (recorded, so gradients reach the parameters)."""
    ok = all(isinstance(v, Tensor) or (isinstance(v, (int, float, np.ndarray, np.number))
                                        and not isinstance(v, bool)) for v in values)
    if not ok:
        raise TypeError("Input arguments must all be instances of numeric, torch_tensor or objects implementing "
                        "__torch_function__.")
    first = next((v for v in values if isinstance(v, Tensor)), None)
    opts = {"dtype": first.dtype, "device": first.device} if first is not None else {
        "dtype": torch_get_default_dtype()}
    tensors = [v if isinstance(v, Tensor) else torch_tensor(v, **opts) for v in values]
    shape = np.broadcast_shapes(*(tuple(t.shape) for t in tensors))
    return [t if tuple(t.shape) == shape else t.expand(shape) for t in tensors]


def _as_value(value):
    return value if isinstance(value, Tensor) else torch_tensor(value)


class Distribution:
    """R torch's `Distribution` (R6 class torch_Distribution)."""

    _class_name = "torch_Distribution"
    has_rsample = False

    def __init__(self, batch_shape=None, event_shape=None, validate_args=None):
        self.batch_shape = _shape(batch_shape)
        self.event_shape = _shape(event_shape)
        self._validate_args = bool(validate_args)

    def _extended_shape(self, sample_shape=None):
        return _shape(sample_shape) + self.batch_shape + self.event_shape

    def sample(self, sample_shape=None):
        with with_no_grad():
            return self.rsample(sample_shape)

    def rsample(self, sample_shape=None):
        raise NotImplementedError("Not implemented.")

    def log_prob(self, value):
        raise NotImplementedError("Not implemented.")

    def entropy(self):
        raise NotImplementedError("Not implemented.")

    def perplexity(self):
        return torch_exp(self.entropy())

    @property
    def stddev(self):
        return self.variance.sqrt()

    def _r_print(self):
        return f"{self._class_name} ()"

    def __repr__(self):
        return self._r_print()


class Normal(Distribution):
    """R torch's `Normal` (torch_Normal): loc and scale, broadcast together."""

    _class_name = "torch_Normal"
    has_rsample = True

    def __init__(self, loc, scale, validate_args=None):
        self.loc, self.scale = _broadcast_all([loc, scale])
        super().__init__(self.loc.size(), validate_args=validate_args)

    def expand(self, batch_shape):
        shape = _shape(batch_shape)
        new = Normal.__new__(Normal)
        new.loc, new.scale = self.loc.expand(shape), self.scale.expand(shape)
        Distribution.__init__(new, shape, validate_args=self._validate_args)
        return new

    def sample(self, sample_shape=None):
        shape = self._extended_shape(sample_shape)
        with with_no_grad():
            return torch_normal(self.loc.expand(shape), self.scale.expand(shape))

    def rsample(self, sample_shape=None):
        shape = self._extended_shape(sample_shape)
        eps = torch_empty(*shape, dtype=self.loc.dtype, device=self.loc.device).normal_()
        return self.loc + eps * self.scale

    def log_prob(self, value):
        value = _as_value(value)
        var = self.scale ** 2
        return -((value - self.loc) ** 2) / (2 * var) - self.scale.log() - math.log(math.sqrt(2 * math.pi))

    def cdf(self, value):
        value = _as_value(value)
        return 0.5 * (1 + torch_erf((value - self.loc) * self.scale.reciprocal() / math.sqrt(2)))

    def icdf(self, value):
        value = _as_value(value)
        return self.loc + self.scale * torch_erfinv(2 * value - 1) * math.sqrt(2)

    def entropy(self):
        return 0.5 + 0.5 * math.log(2 * math.pi) + torch_log(self.scale)

    @property
    def mean(self):
        return self.loc

    @property
    def stddev(self):
        return self.scale

    @property
    def variance(self):
        return self.stddev.pow(2)


class Bernoulli(Distribution):
    """R torch's `Bernoulli` (torch_Bernoulli): `probs` or `logits`, one of them."""

    _class_name = "torch_Bernoulli"
    has_rsample = True

    def __init__(self, probs=None, logits=None, validate_args=None):
        if (probs is None) == (logits is None):
            raise ValueError("Either `probs` or `logits` must be specified, but not both.")
        given = probs if probs is not None else logits
        is_scalar = not isinstance(given, Tensor)
        param = _broadcast_all([given])[0]
        self._probs, self._logits = (param, None) if probs is not None else (None, param)
        self._param = param
        super().__init__(1 if is_scalar else param.size(), validate_args=validate_args)

    def expand(self, batch_shape):
        shape = _shape(batch_shape)
        new = Bernoulli.__new__(Bernoulli)
        if self._probs is not None:
            new._probs, new._logits = self.probs.expand(shape), None
            new._param = new._probs
        else:
            new._probs, new._logits = None, self.logits.expand(shape)
            new._param = new._logits
        Distribution.__init__(new, shape, validate_args=self._validate_args)
        return new

    @property
    def logits(self):
        if self._logits is None:
            eps = torch_finfo(self._probs.dtype)["eps"]
            p = self._probs.clamp(min=eps, max=1 - eps)
            self._logits = torch_log(p) - torch_log1p(-p)
        return self._logits

    @property
    def probs(self):
        if self._probs is None:
            self._probs = torch_sigmoid(self._logits)
        return self._probs

    @property
    def param_shape(self):
        return self._param.size()

    @property
    def mean(self):
        return self.probs

    @property
    def variance(self):
        return self.probs * (1 - self.probs)

    def sample(self, sample_shape=None):
        shape = self._extended_shape(sample_shape)
        with with_no_grad():
            return torch_bernoulli(self.probs.expand(shape))

    def rsample(self, sample_shape=None):
        raise NotImplementedError("Not implemented.")

    def log_prob(self, value):
        logits, value = _broadcast_all([self.logits, value])
        return -nnf_binary_cross_entropy_with_logits(logits, value, reduction="none")

    def entropy(self):
        return nnf_binary_cross_entropy_with_logits(self.logits, self.probs, reduction="none")

    def enumerate_support(self, expand=True):
        values = torch_arange(0, 1, dtype=self._param.dtype, device=self._param.device)
        values = values.view((-1,) + (1,) * len(self.batch_shape))
        return values.expand((-1,) + self.batch_shape) if expand else values


def distr_normal(loc, scale, validate_args=None):
    """R torch's `distr_normal(loc, scale)`: a normal distribution."""
    return Normal(loc, scale, validate_args)


def distr_bernoulli(probs=None, logits=None, validate_args=None):
    """R torch's `distr_bernoulli(probs =, logits =)`: a Bernoulli distribution."""
    return Bernoulli(probs, logits, validate_args)
