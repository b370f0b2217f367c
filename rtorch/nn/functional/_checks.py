"""Argument checks shared by the `nnf_*` functions, in R torch's words."""
from ..._tensor import Tensor

REDUCTIONS = ("mean", "sum", "none")


def check_tensor(x, name="input"):
    if not isinstance(x, Tensor):
        raise TypeError(f"`{name}` must be a torch_tensor, got {type(x).__name__}")


def check_reduction(reduction):
    if reduction not in REDUCTIONS:
        raise ValueError(f"{reduction} is not a valid value for reduction")
    return reduction
