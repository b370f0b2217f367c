"""R torch's `nnf_gumbel_softmax` (R/nnf-activation.R), line for line.

R torch draws `torch_empty_like(logits)$exponential_()` (libtorch's seeded draw order, as rtorch's
`exponential_`) and adds its log: its `-torch_empty_like(...)` is overwritten by `exponential_()`, so the
noise is `log(E)`, not PyTorch's `-log(E)`; this port keeps R torch's. With `hard`, the one-hot of the
maximum with the soft sample's gradient (straight-through). `dim` is 1-based (default -1, the last).
"""
from ..._creation import torch_empty_like, torch_zeros_like
from ._checks import check_tensor

__all__ = ["nnf_gumbel_softmax"]


def nnf_gumbel_softmax(logits, tau=1, hard=False, dim=-1):
    check_tensor(logits, "logits")
    gumbels = -torch_empty_like(logits)
    gumbels = gumbels.exponential_().log()
    gumbels = (logits + gumbels) / tau
    y_soft = gumbels.softmax(dim)
    if hard:
        index = y_soft.max(dim, keepdim=True)[1]
        y_hard = torch_zeros_like(logits).scatter_(dim, index, 1)
        return y_hard - y_soft.detach() + y_soft
    return y_soft
