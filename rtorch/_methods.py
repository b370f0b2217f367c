"""Attaches R torch's tensor methods and Python's operators to `Tensor` from the modules that implement
them (R `x$method(...)` is Python `x.method(...)`)."""
from . import _conversion as cv
from . import _indexing as ix
from . import _linalg as la
from . import _manipulation as mp
from . import _operations as op
from . import _ordering as od
from . import _pointwise as pw
from . import _products as pr
from . import _reductions as rd
from . import _sampling as sm
from . import _selection as sl
from ._tensor import Tensor
from . import autograd

_METHODS = {
    # element-wise
    "add": op.add_alpha, "add_": op.add_alpha_, "sub": op.sub_alpha, "sub_": op.sub_alpha_,
    "mul": op.mul, "mul_": op.mul_, "div": op.div_rounding, "div_": op.div_rounding_,
    "multiply": op.mul, "divide": op.div_rounding, "subtract": op.sub_alpha,
    "remainder": op.remainder, "remainder_": op.remainder_, "fmod": op.fmod, "fmod_": op.fmod_,
    "floor_divide": op.floor_divide, "floor_divide_": op.floor_divide_,
    "pow": op.power, "pow_": op.pow_, "atan2": op.atan2,
    "eq": op.eq, "ne": op.ne, "lt": op.lt, "le": op.le, "gt": op.gt, "ge": op.ge,
    "eq_": op.eq_, "ne_": op.ne_, "lt_": op.lt_, "le_": op.le_, "gt_": op.gt_, "ge_": op.ge_,
    "maximum": op.maximum, "minimum": op.minimum,
    "logical_and": op.logical_and, "logical_or": op.logical_or, "logical_xor": op.logical_xor,
    "logical_not": op.logical_not,
    "exp": op.exp, "exp_": op.exp_, "log": op.log, "log_": op.log_, "log2": op.log2, "log10": op.log10,
    "log1p": op.log1p, "expm1": op.expm1, "sqrt": op.sqrt, "sqrt_": op.sqrt_, "rsqrt": op.rsqrt,
    "sin": op.sin, "cos": op.cos, "tan": op.tan, "tanh": op.tanh, "tanh_": op.tanh_,
    "sigmoid": op.sigmoid, "sigmoid_": op.sigmoid_, "relu": op.relu, "relu_": op.relu_,
    "abs": op.absolute, "abs_": op.abs_, "neg": op.neg, "neg_": op.neg_, "negative": op.neg,
    "floor": op.floor, "floor_": op.floor_, "ceil": op.ceil, "ceil_": op.ceil_, "trunc": op.trunc,
    "round": op.round_, "round_": op.round__, "sign": op.sign, "square": op.square,
    "reciprocal": op.reciprocal, "reciprocal_": op.reciprocal_,
    "clamp": op.clamp, "clamp_": op.clamp_, "clip": op.clamp, "clip_": op.clamp_,
    "isnan": op.isnan, "isinf": op.isinf, "isfinite": op.isfinite,
    # reductions
    "sum": rd.sum_of, "prod": rd.prod, "mean": rd.mean, "var": rd.var, "std": rd.std,
    "max": rd.max_of, "min": rd.min_of, "argmax": rd.argmax, "argmin": rd.argmin,
    "all": rd.all_of, "any": rd.any_of, "cumsum": rd.cumsum, "cumprod": rd.cumprod,
    "sort": od.sort, "topk": od.topk, "nonzero": op.nonzero,
    # linear algebra and comparison of whole tensors
    "mm": pr.mm, "matmul": pr.matmul, "dot": pr.dot, "allclose": op.allclose, "equal": op.equal,
    # shapes, views, storage
    "view": mp.view, "view_as": mp.view_as, "reshape": mp.reshape, "squeeze": mp.squeeze,
    "unsqueeze": mp.unsqueeze, "t": mp.t, "transpose": mp.transpose, "permute": mp.permute,
    "flatten": mp.flatten, "expand": mp.expand, "expand_as": mp.expand_as,
    "contiguous": mp.contiguous, "is_contiguous": mp.is_contiguous, "stride": mp.stride,
    "size": mp.size, "numel": mp.numel, "dim": mp.dim, "element_size": mp.element_size,
    "clone": mp.clone, "item": mp.item, "storage": mp.storage, "data_ptr": mp.data_ptr,
    "index_select": sl.index_select, "gather": sl.gather, "scatter": sl.scatter, "scatter_": sl.scatter_,
    "masked_fill": sl.masked_fill, "masked_fill_": sl.masked_fill_, "flip": mp.flip,
    "repeat": mp.repeat, "narrow": mp.narrow, "select": mp.select, "chunk": mp.chunk, "split": mp.split,
    # conversion, dtypes, devices
    "numpy": cv.numpy, "to": cv.to, "cpu": cv.cpu, "cuda": cv.cuda, "_to_r": cv._to_r,
    **cv.CASTS, "type_as": cv.type_as,
    "is_floating_point": cv.is_floating_point, "is_complex": cv.is_complex,
}
_METHODS.update({
    "acos": op.acos, "acos_": op.acos_, "asin": op.asin, "asin_": op.asin_, "atan": op.atan, "atan_": op.atan_,
    "cosh": op.cosh, "sinh": op.sinh, "acosh": op.acosh, "asinh": op.asinh, "atanh": op.atanh,
    "cosh_": op.cosh_, "sinh_": op.sinh_, "acosh_": op.acosh_, "asinh_": op.asinh_, "atanh_": op.atanh_,
    "argsort": od.argsort, "logsumexp": rd.logsumexp, "softmax": rd.softmax, "log_softmax": rd.log_softmax,
    "diff": rd.diff, "bincount": rd.bincount, "trunc_": op.trunc_, "sign_": op.sign_, "square_": op.square_,
    "t_": mp.t_, "transpose_": mp.transpose_, "squeeze_": mp.squeeze_, "unsqueeze_": mp.unsqueeze_,
    "detach": mp.detach, "new_full": mp.new_full, "new_zeros": mp.new_zeros, "new_ones": mp.new_ones,
    "new_empty": mp.new_empty, "repeat_interleave": mp.repeat_interleave, "tile": mp.tile,
    "narrow_copy": mp.narrow_copy, "movedim": mp.movedim, "unbind": mp.unbind, "masked_select": sl.masked_select,
    "triu": mp.triu, "tril": mp.tril, "index_put": sl.index_put, "index_put_": sl.index_put_,
})


def _fill_(self, value):
    """As libtorch's fill_, it writes into an expanded view too (every alias gets the value)."""
    op._writable(self, overlap=False)
    if type(value) in (int, float):  # libtorch checks a Half value unless it fills a single element
        op.scalar_into(value, self.dtype, checked_half=self._data.size != 1)
    self._data[...] = op.value_array(value, self)
    return self


def _zero_(self):
    return _fill_(self, 0)


def _copy_(self, src):
    op._writable(self)
    if not isinstance(src, Tensor):
        raise TypeError("copy_() expects a tensor")
    if type(src._data) is not type(self._data):
        from ._devices import to_device_array
        self._data[...] = to_device_array(src._data, self.device)
    else:
        try:
            self._data[...] = src._data
        except ValueError:
            raise op.broadcast_error(self.shape, src.shape) or RuntimeError("copy_(): shapes don't match") from None
    return self


def _requires_grad_(self, requires_grad=True):
    self.requires_grad = bool(requires_grad)
    return self


def _print(self, n=30):
    """R torch's `x$print(n = 30)`, what `print(x, n = 50)` calls: the first `n` lines (`n = -1`: all of them)."""
    import sys
    from ._tensor import text
    sys.stdout.write(text(self, int(n)))


def _part_setter(name):
    def set_part(self, value):
        _copy_(getattr(self, name), mp._as_tensor(value))
    return set_part


_METHODS.update(normal_=sm.normal_, uniform_=sm.uniform_, exponential_=sm.exponential_, random_=sm.random_,
                bernoulli_=sm.bernoulli_, bernoulli=sm.torch_bernoulli, multinomial=sm.torch_multinomial)
_METHODS.update(fill_=_fill_, zero_=_zero_, copy_=_copy_, requires_grad_=_requires_grad_, print=_print,
                real=property(mp.real, _part_setter("real")), imag=property(mp.imag, _part_setter("imag")))
_METHODS.update(bitwise_and=op.bitwise_and, bitwise_or=op.bitwise_or, bitwise_xor=op.bitwise_xor,
                bitwise_left_shift=op.bitwise_left_shift, bitwise_right_shift=op.bitwise_right_shift,
                logit=op.logit, kron=pr.kron, addr=pr.addr, triu_=mp.triu_, tril_=mp.tril_, bmm=la.torch_bmm)
_METHODS.update({  # shapes, combinations, indexing and products
    "roll": mp.roll, "rot90": mp.rot90, "diag": mp.diag, "diagonal": mp.diagonal, "diag_embed": mp.diag_embed,
    "swapaxes": mp.swapaxes, "swapaxes_": mp.swapaxes_, "swapdims": mp.swapdims, "swapdims_": mp.swapdims_,
    "unflatten": mp.unflatten, "broadcast_to": mp.broadcast_to, "take": sl.take,
    "index_add": sl.index_add, "index_add_": sl.index_add_, "index_copy": sl.index_copy,
    "index_copy_": sl.index_copy_, "index_fill": sl.index_fill, "index_fill_": sl.index_fill_,
    "masked_scatter": sl.masked_scatter, "masked_scatter_": sl.masked_scatter_,
    "cross": pr.cross, "outer": pr.outer, "ger": pr.ger, "inner": pr.inner, "vdot": pr.vdot, "mv": pr.mv,
    "addmm": pr.addmm, "addmm_": pr.addmm_, "addmv": pr.addmv, "addmv_": pr.addmv_, "addbmm": pr.addbmm,
    "addbmm_": pr.addbmm_, "baddbmm": pr.baddbmm, "baddbmm_": pr.baddbmm_, "trace": pr.trace,
})
_METHODS.update(pw.METHODS)
_METHODS.update(rd.METHODS)
_METHODS.update(od.METHODS)

_OPERATORS = {
    "__add__": op.add, "__radd__": op.radd, "__iadd__": op.add_,
    "__sub__": op.sub, "__rsub__": op.rsub, "__isub__": op.sub_,
    "__mul__": op.mul, "__rmul__": op.rmul, "__imul__": op.mul_,
    "__truediv__": op.div, "__rtruediv__": op.rdiv, "__itruediv__": op.div_,
    "__mod__": op.fmod, "__rmod__": op.rfmod, "__imod__": op.fmod_,
    "__floordiv__": op.trunc_divide, "__rfloordiv__": op.rtrunc_divide, "__ifloordiv__": op.trunc_divide_,
    "__pow__": op.power, "__rpow__": op.rpow,
    "__matmul__": pr.matmul, "__rmatmul__": pr.rmatmul,
    "__eq__": op.r_eq, "__ne__": op.ne, "__lt__": op.r_lt, "__le__": op.r_le, "__gt__": op.r_gt, "__ge__": op.r_ge,
    "__and__": op.logical_and, "__or__": op.logical_or, "__xor__": op.logical_xor,
    "__rand__": op.logical_and, "__ror__": op.logical_or, "__rxor__": op.logical_xor,
    "__lshift__": op.bitwise_left_shift, "__rshift__": op.bitwise_right_shift,
    "__invert__": op.logical_not, "__neg__": op.neg, "__pos__": lambda self: self, "__abs__": op.absolute,
    "__getitem__": ix.getitem, "__setitem__": ix.setitem,
}


# Until a tensor first requires grad, the class carries the core's functions as they are, so that a
# program that never uses autograd pays nothing for it; from then on, their recorded forms.
_RECORDED = {**_METHODS, **_OPERATORS}
autograd.install(_RECORDED)
_METHODS.update(autograd.TENSOR_METHODS)


def attach(table=None):
    for name, fn in (table or {**_METHODS, **_OPERATORS}).items():
        setattr(Tensor, name, fn)
    Tensor.__hash__ = object.__hash__


attach()
autograd.on_first_use(lambda: attach(_RECORDED))
