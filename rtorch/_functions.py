"""`torch_*()` function forms of tensor methods: R torch's `torch_mm(a, b)` is `a$mm(b)`."""
from . import _manipulation as mp
from . import _operations as op
from ._methods import _METHODS

_FUNCTION_FORMS = (
    "add", "sub", "mul", "div", "multiply", "divide", "subtract", "remainder", "fmod", "floor_divide", "pow",
    "atan2", "eq", "ne", "lt", "le", "gt", "ge", "maximum", "minimum", "logical_and", "logical_or",
    "logical_xor", "logical_not", "exp", "log", "log2", "log10", "log1p", "expm1", "sqrt", "rsqrt", "sin",
    "cos", "tan", "tanh", "sigmoid", "relu", "abs", "neg", "negative", "floor", "ceil", "trunc", "round",
    "sign", "square", "reciprocal", "clamp", "clip", "isnan", "isinf", "isfinite", "sum", "prod", "mean",
    "var", "std", "max", "min", "argmax", "argmin", "all", "any", "cumsum", "cumprod", "sort", "topk",
    "mm", "matmul", "dot", "allclose", "equal", "view_as", "reshape", "squeeze", "unsqueeze", "t",
    "transpose", "permute", "flatten", "clone", "index_select", "gather", "scatter", "masked_fill", "flip",
    "narrow", "select", "chunk", "split", "numel",
)

__all__ = ["torch_" + name for name in _FUNCTION_FORMS] + ["torch_cat", "torch_stack", "torch_where",
                                                           "torch_nonzero", "torch_relu_"]
globals().update({"torch_" + name: _METHODS[name] for name in _FUNCTION_FORMS})
torch_cat = mp.cat
torch_stack = mp.stack
torch_where = op.where
torch_nonzero = op.nonzero
torch_relu_ = op.relu_
