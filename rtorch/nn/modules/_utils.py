"""R torch's `nn_utils_clip_grad_norm_` and `nn_utils_clip_grad_value_` (R/nn-utils-clip-grad.R).

`parameters` is a tensor, a list of tensors, or a module's `parameters` (a named dict here, R's named
list); parameters whose grad is undefined are left out, as in R torch."""
import math

from ..._tensor import Tensor, is_undefined_tensor
from ...autograd import with_no_grad

__all__ = ["nn_utils_clip_grad_norm_", "nn_utils_clip_grad_value_"]


def _with_grads(parameters):
    if isinstance(parameters, Tensor):
        parameters = [parameters]
    elif isinstance(parameters, dict):
        parameters = list(parameters.values())
    return [p for p in parameters if not is_undefined_tensor(p.grad)]


def nn_utils_clip_grad_norm_(parameters, max_norm, norm_type=2):
    """Scale the grads in place so that their joint `norm_type` norm is at most `max_norm`; returns the
    norm before clipping (a 0-d tensor). As R torch: the norm of the stacked per-parameter norms (for
    `Inf` the largest absolute grad), scaled by `max_norm / (norm + 1e-6)` only when that is below 1."""
    from ..._creation import torch_tensor
    from ..._functions import torch_norm, torch_stack
    params = _with_grads(parameters)
    if not params:
        return torch_tensor(0)
    device = params[0].grad.device
    with with_no_grad():
        if math.isinf(norm_type):
            total = torch_tensor(max(p.grad.detach().abs().max().item() for p in params), device=device)
        else:
            total = torch_norm(torch_stack([torch_norm(p.grad.detach(), norm_type).to(device=device)
                                            for p in params]), norm_type)
        coef = max_norm / (total + 1e-6)
        if coef.item() < 1:
            for p in params:
                p.grad.detach().mul_(coef.to(device=p.grad.device))
    return total


def nn_utils_clip_grad_value_(parameters, clip_value):
    """Clamp every grad in place to `[-clip_value, clip_value]`; returns None (R's invisible NULL)."""
    with with_no_grad():
        for p in _with_grads(parameters):
            p.grad.detach().clamp_(min=-clip_value, max=clip_value)
    return None
