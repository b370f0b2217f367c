"""R/distributions-utils.R: `broadcast_all`, the standard normal draw and the logits/probabilities
conversions, plus the recorded core functions the distributions compute with."""
import numbers

import numpy as np

from .. import _linalg
from .._creation import torch_finfo, torch_tensor
from .._dtypes import torch_get_default_dtype
from .._functions import (torch_all, torch_broadcast_shapes, torch_empty, torch_isnan, torch_log, torch_log1p,
                          torch_sigmoid)
from .._tensor import Tensor
from ..autograd import install_functions
from ..nn.functional import nnf_softmax

_LINALG = {name: getattr(_linalg, name) for name in ("linalg_cholesky", "linalg_cholesky_ex",
                                                      "linalg_solve_triangular")}
install_functions(_LINALG)
linalg_cholesky, linalg_cholesky_ex, linalg_solve_triangular = (
    _LINALG["linalg_cholesky"], _LINALG["linalg_cholesky_ex"], _LINALG["linalg_solve_triangular"])

__all__ = ["broadcast_all", "broadcast_tensors", "standard_normal", "logits_to_probs", "probs_to_logits",
           "clamp_probs", "as_shape", "torch_all", "torch_isnan", "linalg_cholesky", "linalg_cholesky_ex", "linalg_solve_triangular"]


def _is_numeric(v):
    """R's `inherits(v, "numeric")`: a double (a Python number, a float array), not a logical."""
    if isinstance(v, (bool, np.bool_)):
        return False
    if isinstance(v, np.ndarray):
        return v.dtype.kind == "f"
    return isinstance(v, numbers.Real)


def broadcast_all(values):
    """Tensors broadcast together; numbers become tensors of the first tensor's dtype and device (the default
    dtype when there is none), as R torch's `broadcast_all` makes them."""
    if not all(isinstance(v, Tensor) or _is_numeric(v) for v in values):
        raise ValueError("Input arguments must all be instances of numeric,torch_tensor or objects implementing "
                         "__torch_function__.")
    first = next((v for v in values if isinstance(v, Tensor)), None)
    opts = {"dtype": torch_get_default_dtype()} if first is None else {"dtype": first.dtype, "device": first.device}
    return broadcast_tensors([v if isinstance(v, Tensor) else torch_tensor(v, **opts) for v in values])


def broadcast_tensors(tensors):
    """`torch_broadcast_tensors()` as libtorch computes it, each tensor expanded to the common shape (so
    gradients flow back through `ExpandBackward0`)."""
    shape = list(torch_broadcast_shapes(*[t.shape for t in tensors]))
    return [t.expand(shape) for t in tensors]


def standard_normal(shape, dtype, device):
    return torch_empty(list(shape), dtype=dtype, device=device).normal_()


def logits_to_probs(logits, is_binary=False):
    return torch_sigmoid(logits) if is_binary else nnf_softmax(logits, dim=-1)


def clamp_probs(probs):
    eps = torch_finfo(probs.dtype)["eps"]
    return probs.clamp(min=eps, max=1 - eps)


def probs_to_logits(probs, is_binary=False):
    ps = clamp_probs(probs)
    return torch_log(ps) - torch_log1p(-ps) if is_binary else torch_log(ps)


def as_shape(shape, what="shape"):
    """An R size (NULL, a number, `c(2, 3)`, a tensor's size) as a tuple of ints."""
    if shape is None:
        return ()
    if isinstance(shape, Tensor):
        shape = shape._data.tolist()
    if isinstance(shape, np.ndarray):
        shape = shape.reshape(-1).tolist()
    if not isinstance(shape, (list, tuple)):
        shape = [shape]
    out = []
    for s in shape:
        if isinstance(s, (bool, np.bool_)) or not isinstance(s, numbers.Real) or s != int(s) or s < 0:
            raise ValueError(f"{what} must hold non-negative whole numbers, not {s!r}")
        out.append(int(s))
    return tuple(out)
