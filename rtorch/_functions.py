"""`torch_*()` functions: the function forms of tensor methods (R torch's `torch_mm(a, b)` is `a$mm(b)`)
and the functions R torch has without a method of that name."""
from . import _conversion as cv
from . import _manipulation as mp
from . import _operations as op
from . import _ordering as od
from . import _pointwise as pw
from . import _products as pr
from . import _reductions as rd
from . import _selection as sl
from ._creation import torch_scalar_tensor, torch_tensor
from ._methods import _RECORDED as _METHODS
from ._tensor import Tensor
from .autograd import install_functions

# methods whose `torch_name(self, ...)` form calls `self$name(...)`
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
    "bitwise_and", "bitwise_or", "bitwise_xor", "bitwise_left_shift", "bitwise_right_shift", "logit", "kron",
    "addr",
    "roll", "rot90", "diag", "diagonal", "diag_embed", "swapaxes", "swapdims", "unflatten", "broadcast_to",
    "take", "index_add", "index_copy", "index_fill", "masked_scatter", "cross", "outer", "ger", "inner", "vdot",
    "mv", "addmv", "addbmm", "trace",
    *pw.FUNCTION_FORMS, *rd.FUNCTION_FORMS, *od.FUNCTION_FORMS,
)

# `torch_name(self, ...)` forms of functions that differ from (or are not) the method `name`
_FORMS_OF = {
    "narrow_copy": mp.torch_narrow_copy,  # start 0-based, unlike x$narrow_copy()
    "var_mean": rd.var_mean, "std_mean": rd.std_mean, "real": mp.real, "imag": mp.imag,
    "addmm": pr.torch_addmm, "baddbmm": pr.torch_baddbmm, "combinations": mp.combinations,
    "view_as_real": mp.view_as_real, "view_as_complex": mp.view_as_complex,
    **pw.FUNCTION_METHODS,
}

# functions without a method, taken as they are
_FUNCTIONS = {
    "torch_cat": mp.cat, "torch_stack": mp.stack, "torch_where": op.where, "torch_nonzero": op.nonzero,
    "torch_relu_": op.relu_, "torch_result_type": op.result_type_of, "torch_broadcast_shapes": op.broadcast_shapes,
    "torch_atleast_1d": mp.atleast_1d, "torch_atleast_2d": mp.atleast_2d, "torch_atleast_3d": mp.atleast_3d,
    "torch_index": sl.index, "torch_scalar_tensor": torch_scalar_tensor,
    "torch_reduction_none": op.torch_reduction_none, "torch_reduction_mean": op.torch_reduction_mean,
    "torch_reduction_sum": op.torch_reduction_sum,
    "torch_einsum": pr.einsum, "torch_tensordot": pr.tensordot, "torch_addr_out": pr.addr_out,
    "torch_complex": mp.torch_complex, "torch_chain_matmul": pr.chain_matmul,
    "torch_vander": mp.vander, "torch_meshgrid": mp.meshgrid, "torch_hstack": mp.hstack, "torch_vstack": mp.vstack,
    "torch_row_stack": mp.row_stack, "torch_dstack": mp.dstack, "torch_column_stack": mp.column_stack,
    "torch_block_diag": mp.block_diag, "torch_cartesian_prod": mp.cartesian_prod,
    "torch_broadcast_tensors": mp.broadcast_tensors,
    **cv.CAST_FUNCTIONS, **pw.FUNCTIONS, **rd.FUNCTIONS, **od.FUNCTIONS,
}

# libtorch's `__and__`, `__lshift__`, ... (R torch's torch___and__) are the bitwise operations
_ALIASES = {"torch___and__": "torch_bitwise_and", "torch___or__": "torch_bitwise_or",
            "torch___xor__": "torch_bitwise_xor", "torch___lshift__": "torch_bitwise_left_shift",
            "torch___rshift__": "torch_bitwise_right_shift"}


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


install_functions(_FORMS_OF)
install_functions(_FUNCTIONS)
_ALL = {"torch_" + name: _function_form(name, _METHODS[name]) for name in _FUNCTION_FORMS}
_ALL.update({"torch_" + name: _function_form(name, fn) for name, fn in _FORMS_OF.items()})
_ALL.update(_FUNCTIONS)
_ALL.update({alias: _ALL[name] for alias, name in _ALIASES.items()})
globals().update(_ALL)
__all__ = list(_ALL)
