"""`torch_*()` function forms of tensor methods: R torch's `torch_mm(a, b)` is `a$mm(b)`."""
from . import _manipulation as mp
from . import _operations as op
from ._creation import torch_scalar_tensor, torch_tensor
from ._methods import _METHODS
from ._tensor import Tensor

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
    "acos", "asin", "atan", "cosh", "sinh", "acosh", "asinh", "atanh", "argsort", "logsumexp", "softmax",
    "log_softmax", "diff", "bincount", "repeat_interleave", "tile", "movedim", "unbind",
    "masked_select", "triu", "tril", "index_put", "index_put_", "zero_", "detach",
)

_FUNCTIONS_ONLY = ("torch_cat", "torch_stack", "torch_where", "torch_nonzero", "torch_relu_",
                   "torch_result_type", "torch_broadcast_shapes", "torch_atleast_1d", "torch_atleast_2d",
                   "torch_atleast_3d", "torch_index", "torch_narrow_copy", "torch_scalar_tensor",
                   "torch_reduction_none", "torch_reduction_mean", "torch_reduction_sum")
__all__ = ["torch_" + name for name in _FUNCTION_FORMS] + list(_FUNCTIONS_ONLY)


def _function_form(name, method):
    """`torch_name(input, ...)`: the method, with an R vector or array as `input` made a tensor first, as R
    torch's generated functions convert it."""
    def fn(self, *args, **kwargs):
        if type(self) is not Tensor:
            self = torch_tensor(self)
        return method(self, *args, **kwargs)
    fn.__name__ = fn.__qualname__ = "torch_" + name
    fn.__doc__ = method.__doc__
    return fn


globals().update({"torch_" + name: _function_form(name, _METHODS[name]) for name in _FUNCTION_FORMS})
torch_cat = mp.cat
torch_stack = mp.stack
torch_where = op.where
torch_nonzero = op.nonzero
torch_relu_ = op.relu_
torch_result_type = op.result_type_of
torch_broadcast_shapes = op.broadcast_shapes
torch_narrow_copy = _function_form("narrow_copy", mp.torch_narrow_copy)
torch_atleast_1d = mp.atleast_1d
torch_atleast_2d = mp.atleast_2d
torch_atleast_3d = mp.atleast_3d
torch_index = mp.index
torch_reduction_none = op.torch_reduction_none
torch_reduction_mean = op.torch_reduction_mean
torch_reduction_sum = op.torch_reduction_sum


# R torch's generated namespace: bitwise operations (libtorch's `__and__`, `__lshift__`, ... are the
# bitwise ones), casts and a few linear-algebra helpers
from . import _conversion as cv  # noqa: E402

_MORE_FORMS = ("bitwise_and", "bitwise_or", "bitwise_xor", "bitwise_left_shift", "bitwise_right_shift", "logit",
               "kron", "addr")
globals().update({"torch_" + name: _function_form(name, _METHODS[name]) for name in _MORE_FORMS})
torch___and__, torch___or__, torch___xor__ = torch_bitwise_and, torch_bitwise_or, torch_bitwise_xor  # noqa: F821
torch___lshift__, torch___rshift__ = torch_bitwise_left_shift, torch_bitwise_right_shift  # noqa: F821
torch_var_mean = _function_form("var_mean", op.var_mean)
torch_std_mean = _function_form("std_mean", op.std_mean)
torch_einsum = op.einsum
torch_tensordot = op.tensordot
torch_addr_out = op.addr_out
globals().update(cv.CAST_FUNCTIONS)
__all__ += ["torch_" + name for name in _MORE_FORMS] + [
    "torch___and__", "torch___or__", "torch___xor__", "torch___lshift__", "torch___rshift__", "torch_var_mean",
    "torch_std_mean", "torch_einsum", "torch_tensordot", "torch_addr_out", *cv.CAST_FUNCTIONS]
torch_complex = mp.torch_complex
torch_real = _function_form("real", mp.real)
torch_imag = _function_form("imag", mp.imag)
__all__ += ["torch_complex", "torch_real", "torch_imag"]

from . import _pointwise as pw  # noqa: E402

globals().update({"torch_" + name: _function_form(name, _METHODS[name]) for name in pw.FUNCTION_FORMS})
globals().update({"torch_" + name: _function_form(name, fn) for name, fn in pw.FUNCTION_METHODS.items()})
globals().update(pw.FUNCTIONS)
__all__ += ["torch_" + name for name in (*pw.FUNCTION_FORMS, *pw.FUNCTION_METHODS)] + list(pw.FUNCTIONS)

from . import _reductions as rd  # noqa: E402

globals().update({"torch_" + name: _function_form(name, _METHODS[name]) for name in rd.FUNCTION_FORMS})
globals().update(rd.FUNCTIONS)
__all__ += ["torch_" + name for name in rd.FUNCTION_FORMS] + list(rd.FUNCTIONS)

# shapes, combinations, indexing and products (tests/test_shape_functions.py)
_SHAPE_FORMS = ("roll", "rot90", "diag", "diagonal", "diag_embed", "swapaxes", "swapdims", "unflatten",
                "broadcast_to", "take", "index_add", "index_copy", "index_fill", "masked_scatter", "cross", "outer",
                "ger", "inner", "vdot", "mv", "addmv", "addbmm", "trace")
globals().update({"torch_" + name: _function_form(name, _METHODS[name]) for name in _SHAPE_FORMS})
torch_addmm = _function_form("addmm", op.torch_addmm)
torch_baddbmm = _function_form("baddbmm", op.torch_baddbmm)
torch_combinations = _function_form("combinations", mp.combinations)
torch_view_as_real = _function_form("view_as_real", mp.view_as_real)
torch_view_as_complex = _function_form("view_as_complex", mp.view_as_complex)
torch_vander = mp.vander
torch_meshgrid = mp.meshgrid
torch_hstack = mp.hstack
torch_vstack = mp.vstack
torch_row_stack = mp.row_stack
torch_dstack = mp.dstack
torch_column_stack = mp.column_stack
torch_block_diag = mp.block_diag
torch_cartesian_prod = mp.cartesian_prod
torch_broadcast_tensors = mp.broadcast_tensors
torch_chain_matmul = op.chain_matmul
__all__ += ["torch_" + name for name in _SHAPE_FORMS] + [
    "torch_addmm", "torch_baddbmm", "torch_combinations", "torch_view_as_real", "torch_view_as_complex",
    "torch_vander", "torch_meshgrid", "torch_hstack", "torch_vstack", "torch_row_stack", "torch_dstack",
    "torch_column_stack", "torch_block_diag", "torch_cartesian_prod", "torch_broadcast_tensors",
    "torch_chain_matmul"]
