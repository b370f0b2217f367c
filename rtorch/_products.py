"""Products of tensors with libtorch's dtypes, checks and errors: `mm`, `matmul`, `dot`, `outer`/`ger`,
`inner`, `vdot`, `mv`, the fused `addmm`/`addmv`/`addbmm`/`baddbmm`/`addr` (and their in-place forms),
`chain_matmul`, `trace`, `cross`, `kron`, `einsum`, `tensordot`. Half products accumulate in float32,
as libtorch's CPU kernels do. The `linalg_*` decompositions are in `_linalg.py`."""
import math
import warnings

import numpy as np

from ._dtypes import COMPLEX, DTYPES, FLOATING, LOW_PRECISION, result_type
from ._tensor import Tensor, wrap, wrap_as
from ._creation import torch_tensor
from ._indexing import dim0, dims0
from ._operations import _as_tensor, _cast, _no_bool, _same_device, mul, mul_
from ._scalars import (_check_device, _coefficient, _expand_error, _r_scalar, _shape_text, _writable,
                       broadcast_error)

_BOOL = DTYPES["Bool"]
_LONG = DTYPES["Long"]
_HALF = DTYPES["Half"]
_FLOAT = DTYPES["Float"]
_ML_FLOATS = LOW_PRECISION - {_HALF}


def _in_float32(fn):
    """`fn` on two BFloat16 (or Float8) tensors: computed in float32, the result rounded back, as libtorch
    accumulates reduced floats in float (NumPy's products of ml_dtypes arrays come back as float32)."""
    def product(self, other):
        if type(other) is Tensor and self.dtype is other.dtype and self.dtype in _ML_FLOATS:
            out = fn(wrap_as(self._data.astype(np.float32), _FLOAT), wrap_as(other._data.astype(np.float32), _FLOAT))
            return wrap_as(np.asarray(out._data).astype(self.dtype.numpy), self.dtype)
        return fn(self, other)
    product.__name__, product.__doc__ = fn.__name__, fn.__doc__
    return product


def _same_dtype(a, b, name):
    if a.dtype is not b.dtype:
        raise RuntimeError(f"expected m1 and m2 to have the same dtype, but got: {a.dtype.c_name} != {b.dtype.c_name}")


@_in_float32
def mm(self, mat2):
    if type(mat2) is not Tensor:
        mat2 = _as_tensor(mat2, self)
    a, b = self._data, mat2._data
    dt = self.dtype
    if mat2.dtype is dt and dt is not _BOOL and a.ndim == 2 and b.ndim == 2 and type(a) is type(b) \
            and a.shape[1] == b.shape[0]:
        # ndarray.dot reaches the same BLAS gemm as `@` with less than half its overhead on small matrices
        return wrap_as(a.dot(b) if type(a) is np.ndarray else a @ b, dt)
    if type(a) is not type(b):
        _check_device(self, mat2)
    if a.ndim != 2:
        raise RuntimeError(f"self must be a matrix")
    if b.ndim != 2:
        raise RuntimeError(f"mat2 must be a matrix")
    if a.shape[1] != b.shape[0]:
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({a.shape[0]}x{a.shape[1]} and "
                           f"{b.shape[0]}x{b.shape[1]})")
    if self.dtype is not mat2.dtype:
        _same_dtype(self, mat2, "mm")
    if dt is _BOOL and a.shape[0] * b.shape[1] and a.shape[1]:  # libtorch runs no kernel for an empty product
        raise RuntimeError(_no_bool("addmm_impl_cpu_"))
    return wrap(a @ b)


def rmatmul(self, other):
    """`m %*% x` with an R matrix on the left: R torch converts it with `torch_tensor()`."""
    return matmul(_as_tensor(other, self), self)


@_in_float32
def matmul(self, other):
    """`x %*% y`; a non-tensor `y` (an R matrix or vector) is converted with `torch_tensor()` as in R torch."""
    if type(other) is not Tensor:
        other = _as_tensor(other, self)
    a, b = self._data, other._data
    if type(a) is not type(b):
        _check_device(self, other)
    if a.ndim == 0 or b.ndim == 0:
        raise RuntimeError(f"both arguments to matmul need to be at least 1D, but they are {a.ndim}D and {b.ndim}D")
    if a.ndim == 1 and b.ndim == 1:
        return dot(self, other)
    try:
        out = np.matmul(a, b)
        if self.dtype is not other.dtype:  # libtorch checks the shapes first
            _same_dtype(self, other, "matmul")
        if self.dtype is _BOOL and (a.ndim == b.ndim == 1 or (out.size and a.shape[-1])):
            raise RuntimeError(_no_bool("dot" if a.ndim == b.ndim == 1 else "addmm_impl_cpu_"))
        return wrap(out)
    except ValueError:
        if b.ndim == 1 and a.ndim >= 2:
            n = int(np.prod(a.shape[:-1]))
            raise RuntimeError(f"size mismatch, got input ({n}), mat ({n}x{a.shape[-1]}), vec ({b.shape[0]})") from None
        if a.ndim >= 3 and b.ndim == 2:  # libtorch folds the batch into the rows of one mm
            n = int(np.prod(a.shape[:-1]))
            raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({n}x{a.shape[-1]} and "
                               f"{b.shape[0]}x{b.shape[1]})") from None
        if a.ndim <= 2 and b.ndim <= 2:
            if a.ndim == 1 and b.ndim == 1:
                raise RuntimeError(f"inconsistent tensor size, expected tensor [{a.shape[0]}] and src "
                                   f"[{b.shape[0]}] to have the same number of elements, but got "
                                   f"{a.shape[0]} and {b.shape[0]} elements respectively") from None
            s1 = a.shape if a.ndim == 2 else (1, a.shape[0])
            s2 = b.shape if b.ndim == 2 else (b.shape[0], 1)
            raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({s1[0]}x{s1[1]} and "
                               f"{s2[0]}x{s2[1]})") from None
        err = broadcast_error(a.shape[:-2], b.shape[:-2])
        if err is not None:
            raise err from None
        batch = int(np.prod(np.broadcast_shapes(a.shape[:-2], b.shape[:-2])))
        raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: [{batch}, {a.shape[-1]}] "
                           f"but got: [{batch}, {b.shape[-2]}].") from None


@_in_float32
def dot(self, other):
    if type(other) is not Tensor:
        other = _as_tensor(other, self)
    a, b = self._data, other._data
    if a.ndim != 1 or b.ndim != 1:
        raise RuntimeError(f"1D tensors expected, but got {a.ndim}D and {b.ndim}D tensors")
    if self.dtype is not other.dtype:
        raise RuntimeError(f"dot : expected both vectors to have same dtype, but found {self.dtype.name} and "
                           f"{other.dtype.name}")
    if a.shape != b.shape:
        raise RuntimeError(f"inconsistent tensor size, expected tensor [{a.shape[0]}] and src [{b.shape[0]}] "
                           f"to have the same number of elements, but got {a.shape[0]} and {b.shape[0]} elements respectively")
    _same_device(self, other)
    if self.dtype is _BOOL:
        raise RuntimeError(_no_bool("dot"))
    return wrap(np.dot(a, b))


def _operands(self, *others):
    """R vectors and matrices among the operands made tensors (R torch's `torch_tensor()`), on one device."""
    if type(self) is not Tensor:
        self = torch_tensor(self)
    out = [self]
    for o in others:
        o = _as_tensor(o, self)
        _same_device(self, o)
        out.append(o)
    return out


def _computed(dtype):
    """The NumPy dtype a product is computed in: float32 for Half and BFloat16 (libtorch accumulates in float)."""
    return np.float32 if dtype in LOW_PRECISION else dtype.numpy


def _plus_scaled(self, product, beta, alpha, dtype):
    """`beta * self + alpha * product` in `dtype`, `self` expanded to the product's shape (libtorch's expand
    error); `beta = 0` ignores `self` (its NaN and Inf too), as libtorch does."""
    err = _expand_error(product.shape, self.shape)
    if err is not None:
        raise RuntimeError(str(err).replace("CPU{}Type", f"CPU{self.dtype.name}Type"))
    beta, alpha = _coefficient(beta, dtype), _coefficient(alpha, dtype)
    out = product if alpha == 1 else product * np.asarray(alpha, product.dtype)
    if beta != 0:
        base = self._data.astype(product.dtype, copy=False)
        out = out + (base if beta == 1 else base * np.asarray(beta, product.dtype))
    return wrap_as(np.broadcast_to(out, product.shape).astype(dtype.numpy), dtype)


def outer(self, vec2):
    """`torch_outer(self, vec2)`: the outer product of two vectors, in their promoted dtype."""
    self, vec2 = _operands(self, vec2)
    for name, t in (("self", self), ("vec2", vec2)):
        if t.ndim != 1:
            raise RuntimeError(f"outer: Expected 1-D argument {name}, but got {t.ndim}-D")
    res = result_type([self.dtype, vec2.dtype], [])
    a, b = _cast(self._data, _computed(res)), _cast(vec2._data, _computed(res))
    return wrap_as(np.multiply.outer(a, b).astype(res.numpy, copy=False), res)


ger = outer


def inner(self, other):
    """`torch_inner(self, other)`: sums over the last dims; with a 0-d operand, the (promoted) product."""
    self, other = _operands(self, other)
    if self.ndim == 0 or other.ndim == 0:
        return mul(self, other)
    if self.shape[-1] != other.shape[-1]:
        raise RuntimeError(f"inner() the last dimension must match on both input tensors but got shapes "
                           f"{_shape_text(self.shape)} and {_shape_text(other.shape)}")
    if self.dtype is not other.dtype:
        raise RuntimeError("both inputs should have same dtype")
    if self.ndim == 1 and other.ndim == 1:
        return dot(self, other)
    if self.dtype is _BOOL and math.prod(self.shape) and math.prod(other.shape):  # else no kernel runs
        raise RuntimeError(_no_bool("addmm_impl_cpu_"))
    ct = _computed(self.dtype)
    out = np.tensordot(self._data.astype(ct, copy=False), other._data.astype(ct, copy=False), axes=([-1], [-1]))
    return wrap_as(np.asarray(out).astype(self.dtype.numpy, copy=False), self.dtype)


def vdot(self, other):
    """`torch_vdot(self, other)`: the dot product of two vectors, the first conjugated."""
    self, other = _operands(self, other)
    out = dot(self, other)
    if self.dtype.category == COMPLEX:
        return wrap_as(np.asarray(np.vdot(self._data, other._data), self.dtype.numpy), self.dtype)
    return out


_ONE = np.int32(1)  # R torch's default beta and alpha, 1L: an integer Scalar for libtorch


def _addmv_checks(self, mat, vec, result_dtype, kernel=True):
    if not (mat.ndim == 2 and vec.ndim == 1 and self.ndim <= 1):
        raise RuntimeError(f"vector + matrix @ vector expected, got {self.ndim}, {mat.ndim}, {vec.ndim}")
    n = self.shape[0] if self.ndim else 1
    if mat.shape[1] != vec.shape[0] or not (n == mat.shape[0] or n == 1):
        raise RuntimeError(f"size mismatch, got input ({n}), mat ({mat.shape[0]}x{mat.shape[1]}), vec ({vec.shape[0]})")
    if not (result_dtype is mat.dtype is vec.dtype):
        raise RuntimeError(f"addmv input tensors must have the same dtype, but got {result_dtype.name}, "
                           f"{mat.dtype.name}, and {vec.dtype.name}")
    if vec.dtype is _BOOL and kernel:
        raise RuntimeError(_no_bool("addmv_impl_cpu"))


def _matvec(mat, vec):
    ct = _computed(mat.dtype)
    return np.asarray(mat._data.astype(ct, copy=False) @ vec._data.astype(ct, copy=False))


@_in_float32
def mv(self, vec):
    """`torch_mv(self, vec)`: matrix times vector (both the same dtype)."""
    self, vec = _operands(self, vec)
    _addmv_checks(wrap(np.empty(self.shape[:1] if self.ndim else (1,), vec.dtype.numpy)), self, vec, vec.dtype,
                  kernel=self._data.size != 0)
    if self._data.size == 0:  # libtorch's addmv shortcut for an empty matrix: zeros, no kernel (Bool goes)
        return wrap_as(np.zeros_like(vec._data, shape=self.shape[:1]), vec.dtype)
    return wrap_as(_matvec(self, vec).astype(vec.dtype.numpy, copy=False), vec.dtype)


def addmv(self, mat, vec, beta=_ONE, alpha=_ONE):
    """`torch_addmv(self, mat, vec, beta = 1, alpha = 1)`: `beta * self + alpha * (mat %*% vec)`."""
    self, mat, vec = _operands(self, mat, vec)
    empty = mat._data.size == 0
    _addmv_checks(self, mat, vec, self.dtype, kernel=not empty)
    if empty:  # libtorch's shortcut, no kernel (Bool goes): self * beta (beta in self's dtype), self's shape
        b = _coefficient(beta, self.dtype)
        if b == 0:
            return wrap_as(np.zeros_like(self._data, shape=mat.shape[:1]), self.dtype)
        return wrap_as(np.asarray(self._data * np.asarray(b).astype(self.dtype.numpy)).astype(self.dtype.numpy),
                       self.dtype)
    return _plus_scaled(self, _matvec(mat, vec), beta, alpha, self.dtype)


def _empty_inner(self, target, beta):
    """libtorch's shortcut for a product over an empty inner dim (nothing to multiply): self, expanded, times
    beta in place (with its cast rules: a Bool self times 1L is Long, an error), or zeros where beta is 0."""
    out = wrap_as(np.broadcast_to(self._data, target).copy(), self.dtype)
    if _r_scalar(beta) == 0:
        return wrap_as(np.zeros_like(out._data), self.dtype)
    return mul_(out, beta)


def _mm_dtypes(self, mat1, mat2):
    if self.dtype is not mat2.dtype:
        raise RuntimeError(f"self and mat2 must have the same dtype, but got {self.dtype.name} and {mat2.dtype.name}")
    if mat1.dtype is not mat2.dtype:
        raise RuntimeError(f"mat1 and mat2 must have the same dtype, but got {mat1.dtype.name} and {mat2.dtype.name}")


def _no_out_dtype(out_dtype):
    if out_dtype is not None:
        raise RuntimeError("out_dtype is only supported for CUDA devices (R torch's `out_dtype` of addmm and "
                           "baddbmm); leave it out on the CPU")


def addmm(self, mat1, mat2, beta=_ONE, alpha=_ONE):
    """`x$addmm(mat1, mat2, beta = 1, alpha = 1)`: `beta * self + alpha * (mat1 %*% mat2)`, all one dtype."""
    self, mat1, mat2 = _operands(self, mat1, mat2)
    _mm_dtypes(self, mat1, mat2)
    for name, t in (("mat1", mat1), ("mat2", mat2)):
        if t.ndim != 2:
            raise RuntimeError(f"{name} must be a matrix, got {t.ndim}-D tensor")
    if mat1.shape[1] != mat2.shape[0]:
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({mat1.shape[0]}x{mat1.shape[1]} and "
                           f"{mat2.shape[0]}x{mat2.shape[1]})")
    ct = _computed(self.dtype)
    product = np.asarray(mat1._data.astype(ct, copy=False) @ mat2._data.astype(ct, copy=False))
    if product.size and not mat1.shape[1]:  # libtorch runs no kernel for an empty product
        _plus_scaled(self, product, 0, 1, self.dtype)  # the expand check
        return _empty_inner(self, product.shape, beta)
    if self.dtype is _BOOL and product.size:
        raise RuntimeError(_no_bool("addmm_impl_cpu_"))
    return _plus_scaled(self, product, beta, alpha, self.dtype)


def torch_addmm(self, mat1, mat2, out_dtype=None, beta=_ONE, alpha=_ONE):
    """R torch's generated `torch_addmm(self, mat1, mat2, out_dtype, beta = 1L, alpha = 1L)`: `out_dtype`
    stands fourth; libtorch supports it on CUDA only, so rtorch refuses it."""
    _no_out_dtype(out_dtype)
    return addmm(self, mat1, mat2, beta, alpha)


def _batches(batch1, batch2):
    for name, t in (("batch1", batch1), ("batch2", batch2)):
        if t.ndim != 3:
            raise RuntimeError(f"{name} must be a 3D tensor")


def addbmm(self, batch1, batch2, beta=_ONE, alpha=_ONE):
    """`x$addbmm(batch1, batch2, beta = 1, alpha = 1)`: `beta * self + alpha * sum_b(batch1[b] %*% batch2[b])`."""
    self, batch1, batch2 = _operands(self, batch1, batch2)
    _batches(batch1, batch2)
    if batch1.shape[0] != batch2.shape[0]:
        raise RuntimeError(f"batch1 and batch2 must have same number of batches, got {batch1.shape[0]} and "
                           f"{batch2.shape[0]}")
    if batch1.shape[2] != batch2.shape[1]:
        raise RuntimeError(f"Incompatible matrix sizes for bmm ({batch1.shape[1]}x{batch1.shape[2]} and "
                           f"{batch2.shape[1]}x{batch2.shape[2]})")
    target = (batch1.shape[1], batch2.shape[2])
    err = _expand_error(target, self.shape)
    if err is not None:
        raise RuntimeError(str(err).replace("CPU{}Type", f"CPU{self.dtype.name}Type"))
    if batch1.shape[0] == 0:  # libtorch's shortcut: no addmm (nor its dtype checks), self expanded times beta
        return _empty_inner(self, target, beta)
    _mm_dtypes(self, batch1, batch2)
    if not math.prod(target):
        return wrap_as(np.zeros(target, self.dtype.numpy), self.dtype)
    if not batch1.shape[2]:
        return _empty_inner(self, target, beta)
    if self.dtype is _BOOL:
        raise RuntimeError(_no_bool("addmm_impl_cpu_"))
    ct = _computed(self.dtype)
    product = np.asarray(np.matmul(batch1._data.astype(ct, copy=False), batch2._data.astype(ct, copy=False)).sum(
        axis=0, dtype=ct)).reshape(target)
    return _plus_scaled(self, product, beta, alpha, self.dtype)


def baddbmm(self, batch1, batch2, beta=_ONE, alpha=_ONE):
    """`x$baddbmm(batch1, batch2, beta = 1, alpha = 1)`: `beta * self + alpha * bmm(batch1, batch2)`."""
    self, batch1, batch2 = _operands(self, batch1, batch2)
    _batches(batch1, batch2)
    if not (self.dtype is batch1.dtype is batch2.dtype):
        raise RuntimeError(f"Input dtypes must be the same, got: input {self.dtype.c_name}, batch1: "
                           f"{batch1.dtype.c_name}, batch2: {batch2.dtype.c_name}")
    b, n, m = batch1.shape
    if batch2.shape[:2] != (b, m):
        raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: [{b}, {m}] but got: "
                           f"[{batch2.shape[0]}, {batch2.shape[1]}].")
    target = (b, n, batch2.shape[2])
    err = _expand_error(target, self.shape)
    if err is not None:
        raise RuntimeError(str(err).replace("CPU{}Type", f"CPU{self.dtype.name}Type"))
    if not math.prod(target):  # an empty result: libtorch runs no kernel
        return wrap_as(np.zeros(target, self.dtype.numpy), self.dtype)
    if not batch1.shape[2]:
        return _empty_inner(self, target, beta)
    if self.dtype is _BOOL:
        raise RuntimeError(_no_bool("baddbmm"))
    ct = _computed(self.dtype)
    product = np.matmul(batch1._data.astype(ct, copy=False), batch2._data.astype(ct, copy=False))
    return _plus_scaled(self, product, beta, alpha, self.dtype)


def torch_baddbmm(self, batch1, batch2, out_dtype=None, beta=_ONE, alpha=_ONE):
    """R torch's generated `torch_baddbmm(self, batch1, batch2, out_dtype, beta = 1L, alpha = 1L)`: `out_dtype`
    stands fourth; libtorch supports it on CUDA only, so rtorch refuses it."""
    _no_out_dtype(out_dtype)
    return baddbmm(self, batch1, batch2, beta, alpha)


def _in_place(fn):
    def op_(self, *args, **kwargs):
        res = fn(self, *args, **kwargs)
        _writable(self)
        if res.shape != self.shape:
            raise RuntimeError(f"output with shape {_shape_text(self.shape)} doesn't match the broadcast "
                               f"shape {_shape_text(res.shape)}")
        self._data[...] = res._data
        return self
    op_.__name__ = fn.__name__ + "_"
    op_.__doc__ = f"`x${fn.__name__}_()`: `{fn.__name__}()` written into `x`."
    return op_


addmm_ = _in_place(addmm)


def addmv_(self, mat, vec, beta=_ONE, alpha=_ONE):
    """`x$addmv_()`: libtorch wants x already of the result's size, (rows of mat)."""
    res = addmv(self, mat, vec, beta, alpha)
    rows = _as_tensor(mat, self).shape[0]
    if tuple(self.shape) != (rows,):
        raise RuntimeError(f"Bad in-place call: input tensor size {_shape_text(self.shape)} and output "
                           f"tensor size [{rows}] should match")
    return _in_place(lambda x, *a: res)(self)


addbmm_ = _in_place(addbmm)


baddbmm_ = _in_place(baddbmm)


def chain_matmul(matrices):
    """`torch_chain_matmul(list(a, b, c))`: the product of the matrices, all one dtype (libtorch's
    multi_dot messages name the tensors 0-based, as R torch shows them)."""
    if isinstance(matrices, Tensor):
        matrices = [matrices]
    matrices = list(matrices)
    if not matrices:
        raise RuntimeError("chain_matmul(): Expected one or more matrices")
    matrices = _operands(*matrices)
    for t in matrices:
        if t.ndim != 2:
            raise RuntimeError(f"Tensor dimension is {t.ndim}, expected 2 instead.")
    if len(matrices) == 1:
        return wrap_as(matrices[0]._data.copy(), matrices[0].dtype)
    first = matrices[0]
    for i, t in enumerate(matrices[1:], 1):
        if t.dtype is not first.dtype:
            raise RuntimeError(f"multi_dot(): all tensors must have be the same dtype but tensor 0 is "
                               f"{first.dtype.c_name} and tensor {i} {t.dtype.c_name}")
    for i in range(len(matrices) - 1):
        a, b = matrices[i].shape, matrices[i + 1].shape
        if a[1] != b[0]:
            raise RuntimeError(f"multi_dot(): tensors {i} and {i + 1} with shapes [{a[0]}, {a[1]}] and "
                               f"[{b[0]}, {b[1]}] cannot be multiplied")
    if first.dtype is _BOOL:
        if 0 in [t.shape[0] for t in matrices] + [matrices[-1].shape[1]]:  # an empty product: no kernel runs
            return wrap_as(np.zeros_like(first._data, shape=(first.shape[0], matrices[-1].shape[1])), first.dtype)
        raise RuntimeError(_no_bool("addmm_impl_cpu_"))
    ct = _computed(first.dtype)
    out = np.linalg.multi_dot([t._data.astype(ct, copy=False) for t in matrices])
    return wrap_as(np.asarray(out).astype(first.dtype.numpy, copy=False), first.dtype)


def trace(self):
    """`torch_trace(x)`: the sum of a matrix's diagonal; integer and Bool input sum to Long, as libtorch
    sums them (Bool is libtorch's error)."""
    data = self._data
    if self.dtype is _BOOL:
        raise RuntimeError(_no_bool("trace"))
    if data.ndim != 2:
        raise RuntimeError(f"trace: expected a matrix, but got tensor with dim {data.ndim}")
    res = _LONG if self.dtype.category < FLOATING else self.dtype
    diag = np.diagonal(data)
    return wrap_as(np.asarray(diag.sum(dtype=_computed(res))).astype(res.numpy), res)


def cross(self, other, dim=None):
    """`torch_cross(self, other, dim = NULL)`: the cross product along 1-based `dim` (size 3); without `dim`,
    the first dim of size 3 (libtorch's deprecation warning)."""
    self, other = _operands(self, other)
    if dim is None:
        shape = self.shape if self.shape == other.shape else np.broadcast_shapes(self.shape, other.shape)
        axis = next((i for i, n in enumerate(shape) if n == 3), None)
        if axis is None:
            raise RuntimeError("no dimension of size 3 in input")
        if self.ndim != other.ndim:  # then libtorch's linalg_cross with that dim
            raise RuntimeError("linalg.cross: inputs must have the same number of dimensions.")
        warnings.warn("Using torch.cross without specifying the dim arg is deprecated.\nPlease either pass the dim "
                      "explicitly or simply use torch.linalg.cross.\nThe default value of dim will change to agree "
                      "with that of linalg.cross in a future release.", UserWarning, stacklevel=2)
        if self.dtype is not other.dtype:
            raise RuntimeError(f"expected scalar type {self.dtype.name} but found {other.dtype.name}")
    else:
        if self.ndim != other.ndim:
            raise RuntimeError("linalg.cross: inputs must have the same number of dimensions.")
        axis = dim0(dim, self.ndim)
        if self.shape[axis] != 3 or other.shape[axis] != 3:
            raise RuntimeError(f"linalg.cross: inputs dimension {axis + 1} must have length 3. Got "
                               f"{self.shape[axis]} and {other.shape[axis]}")
    try:
        np.broadcast_shapes(self.shape, other.shape)
    except ValueError:
        raise broadcast_error(self.shape, other.shape) from None
    if self.dtype is not other.dtype:
        raise RuntimeError(f"expected scalar type {self.dtype.name} but found {other.dtype.name}")
    if self.dtype is _BOOL:
        raise RuntimeError(_no_bool("cross"))
    ct = _computed(self.dtype)
    out = np.cross(self._data.astype(ct, copy=False), other._data.astype(ct, copy=False), axis=axis)
    return wrap_as(np.asarray(out).astype(self.dtype.numpy, copy=False), self.dtype)


def kron(self, other):
    """The Kronecker product, in the promoted dtype (the smaller operand gets leading dims of size 1)."""
    other = _as_tensor(other, self)
    _same_device(self, other)
    res = result_type([self.dtype, other.dtype], [])
    return wrap_as(np.kron(_cast(self._data, res.numpy), _cast(other._data, res.numpy)), res)


def einsum(equation, tensors, path=None):
    """`torch_einsum("i,j->ij", list(x, y))`: NumPy's einsum on the operands in their promoted dtype."""
    tensors = [t if isinstance(t, Tensor) else _as_tensor(t, tensors[0]) for t in tensors]
    res = result_type([t.dtype for t in tensors], [])
    eq = equation.replace(" ", "")
    try:
        out = np.einsum(eq, *(_cast(t._data, res.numpy) for t in tensors))
    except ValueError as exc:
        raise RuntimeError(f"einsum(): {exc}") from None
    if len(tensors) == 1 and res.category < FLOATING and "->" in eq and "." not in eq:
        lhs, rhs = eq.split("->")
        if set(lhs) - set(rhs):  # one operand with summed labels: libtorch's sum, integers and Bool to Long
            res = _LONG
            out = np.einsum(eq, tensors[0]._data.astype(np.int64))
    return wrap_as(np.asarray(out, res.numpy), res)


def tensordot(a, b, dims=2):
    """`torch_tensordot(a, b, dims)`: `dims` a list of two vectors of 1-based dims to contract, or a count
    of the last dims of `a` against the first of `b`."""
    if isinstance(dims, (list, tuple)):
        dims_a, dims_b = dims
    elif isinstance(dims, Tensor) and dims.numel() > 1:
        dims_a, dims_b = dims._data[0].tolist(), dims._data[1].tolist()
    else:
        n = dims.item() if isinstance(dims, Tensor) else dims
        if n < 1:
            raise RuntimeError(f"tensordot expects dims >= 1, but got {n}")
        dims_a, dims_b = list(range(-int(n), 0)), list(range(1, int(n) + 1))
    b = _as_tensor(b, a)
    ax_a = np.atleast_1d(dims0(np.ravel(dims_a).tolist(), a._data.ndim)).tolist()
    ax_b = np.atleast_1d(dims0(np.ravel(dims_b).tolist(), b._data.ndim)).tolist()
    if len(ax_a) != len(ax_b):
        raise RuntimeError("both dimension lists should have same length")
    if a.dtype is not b.dtype:
        raise RuntimeError("both inputs should have same dtype")
    da, db = a._data, b._data
    for i, j in zip(ax_a, ax_b):
        if db.shape[j] == 1:  # libtorch sums a dim contracted with a size-1 one right away (broadcasting)
            da = np.sum(da, axis=i, keepdims=True, dtype=da.dtype)
        elif da.shape[i] == 1:
            db = np.sum(db, axis=j, keepdims=True, dtype=db.dtype)
        elif a.shape[i] != b.shape[j]:
            raise RuntimeError(f"contracted dimensions need to match, but first has size {a.shape[i]} in dim {i} "
                               f"and second has size {b.shape[j]} in dim {j}")
    out = np.asarray(np.tensordot(da, db, axes=(ax_a, ax_b)), a.dtype.numpy)
    if a.dtype is _BOOL and out.size and math.prod(da.shape[i] for i in ax_a):  # libtorch's mm runs
        raise RuntimeError(_no_bool("addmm_impl_cpu_"))
    return wrap_as(out, a.dtype)


def addr(self, vec1, vec2, beta=1, alpha=1):
    """`beta * self + alpha * outer(vec1, vec2)`, in the dtype the three tensors promote to."""
    vec1, vec2 = _as_tensor(vec1, self), _as_tensor(vec2, self)
    if vec1.ndim != 1 or vec2.ndim != 1:
        raise RuntimeError(f"addr: Expected 1-D argument vec1, but got {vec1.ndim}-D" if vec1.ndim != 1 else
                           f"addr: Expected 1-D argument vec2, but got {vec2.ndim}-D")
    res = result_type([self.dtype, vec1.dtype, vec2.dtype], [])
    outer = np.multiply.outer(_cast(vec1._data, res.numpy), _cast(vec2._data, res.numpy))
    out = alpha * outer if alpha != 1 else outer
    if beta != 0:
        out = out + (beta * self._data if beta != 1 else _cast(self._data, res.numpy))
    return wrap_as(np.asarray(out).astype(res.numpy, copy=False), res)


def addr_out(out, self, vec1, vec2, beta=1, alpha=1):
    """`torch_addr_out(out, self, vec1, vec2)`: `addr()` written into `out` (resized when its shape differs)."""
    res = addr(self, vec1, vec2, beta, alpha)
    if out.shape != res.shape:
        out._data = np.empty(res.shape, out.dtype.numpy)
    _writable(out)
    out._data[...] = res._data
    return out
