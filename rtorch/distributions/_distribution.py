"""R torch's `Distribution` R6 class (R/distributions.R) as a Python class: R's methods are methods
(`d$log_prob(x)` is `d.log_prob(x)`), R's active fields are properties (`d$mean`, `d$batch_shape`), and the
shapes are tuples (`()` where R torch has NULL or `list()`)."""
import numpy as np

from .._sampling import _r_double_string
from .._tensor import Tensor
from ..autograd import with_no_grad
from ._utils import as_shape

__all__ = ["Distribution"]


def _not_implemented(self, what):
    return NotImplementedError(f"{self._r_name}: `{what}` is not implemented")


class Distribution:
    """The abstract base. `validate_args=True` makes `log_prob`, `cdf` and `icdf` check their value's shape
    and support; as in R torch, the parameters themselves are not checked. `support` is the support each R
    class declares (R torch's active field exists only for Normal and raises elsewhere)."""
    _r_name = "torch_Distribution"
    has_rsample = False
    has_enumerate_support = False
    _arg_constraints = {}
    _support = None

    def __init__(self, batch_shape=None, event_shape=None, validate_args=None):
        self._batch_shape = as_shape(batch_shape, "batch_shape")
        self._event_shape = as_shape(event_shape, "event_shape")
        if validate_args is not None:
            self._validate_args = bool(validate_args)
        elif not hasattr(self, "_validate_args"):
            self._validate_args = False

    @property
    def _r_class(self):
        return np.array([k._r_name for k in type(self).__mro__ if "_r_name" in k.__dict__] + ["R6"])

    # -- R's active fields
    @property
    def batch_shape(self):
        return self._batch_shape

    @property
    def event_shape(self):
        return self._event_shape

    @property
    def support(self):
        if self._support is None:
            raise _not_implemented(self, "support")
        return self._support

    @property
    def mean(self):
        raise _not_implemented(self, "mean")

    @property
    def variance(self):
        raise _not_implemented(self, "variance")

    @property
    def stddev(self):
        return self.variance.sqrt()

    # -- R's methods
    def expand(self, batch_shape, _instance=None):
        raise _not_implemented(self, "expand")

    def sample(self, sample_shape=None):
        with with_no_grad():
            return self.rsample(sample_shape)

    def rsample(self, sample_shape=None):
        raise _not_implemented(self, "rsample")

    def log_prob(self, value):
        raise _not_implemented(self, "log_prob")

    def cdf(self, value):
        raise _not_implemented(self, "cdf")

    def icdf(self, value):
        raise _not_implemented(self, "icdf")

    def enumerate_support(self, expand=True):
        raise _not_implemented(self, "enumerate_support")

    def entropy(self):
        raise _not_implemented(self, "entropy")

    def perplexity(self):
        raise _not_implemented(self, "perplexity")

    def _extended_shape(self, sample_shape=None):
        return as_shape(sample_shape, "sample_shape") + self._batch_shape + self._event_shape

    def _validate_sample(self, value):
        if not isinstance(value, Tensor):
            raise ValueError("The value argument to log_prob must be a Tensor")
        actual, event = tuple(value.shape), self._event_shape
        if len(actual) < len(event) or actual[len(actual) - len(event):] != event:
            raise ValueError(f"The right-most size of value must match event_shape: {list(actual)} vs "
                             f"{list(event)}.")
        expected = self._batch_shape + event
        for i, j in zip(reversed(actual), reversed(expected)):
            if i != 1 and j != 1 and i != j:
                raise ValueError(f"Value is not broadcastable with batch_shape+event_shape: {list(actual)} vs "
                                 f"{list(expected)}.")
        if not self.support.check(value).all().item():
            raise ValueError("The value argument must be within the support")

    def _new_like(self, batch_shape):
        """An instance of this class, not initialised, holding this one's validation setting: what expand()
        fills (R torch's `.get_checked_instance`)."""
        new = type(self).__new__(type(self))
        new._validate_args = self._validate_args
        return new

    def _finish_expand(self, new, batch_shape):
        validate = self._validate_args
        Distribution.__init__(new, batch_shape, self._event_shape, validate_args=False)
        new._validate_args = validate
        return new

    def _expand_probs_or_logits(self, new, shape):
        """expand() of a distribution given by `probs` or by `logits` (Bernoulli, Categorical): the one it was
        given, expanded to `shape`, is `new`'s parameter."""
        new._probs = new._logits = None
        if self._probs is not None:
            new._probs = new._param = self._probs.expand(shape)
        else:
            new._logits = new._param = self._logits.expand(shape)
        return new

    def __repr__(self):
        """R torch's print: the class and the parameters it declares constraints for, as R pastes them
        (`torch_Normal (loc=0, scale=1)`)."""
        names = [n for n in self._arg_constraints if getattr(self, n, None) is not None]
        cols = [np.asarray(getattr(self, n)._data if isinstance(getattr(self, n), Tensor) else getattr(self, n),
                           np.float64).reshape(-1, order="F") for n in names]
        if cols and len({c.size for c in cols}) == 1:
            flat = np.concatenate(cols) if cols else np.empty(0)
            parts = [f"{names[i % len(names)]}={_r_double_string(float(v))}" for i, v in enumerate(flat)]
        else:
            parts = [f"{n}={', '.join(_r_double_string(float(v)) for v in c)}" for n, c in zip(names, cols)]
        return f"{self._r_name} ({', '.join(parts)})"
