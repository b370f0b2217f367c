"""rtorch: R torch's tensor API in Python, line for line (`from rtorch import *`)."""
from . import _methods  # noqa: F401  (attaches the tensor methods)
from ._conversion import as_array
from ._creation import (torch_arange, torch_empty, torch_empty_like, torch_eye, torch_full, torch_full_like,
                        torch_linspace, torch_logspace, torch_ones, torch_ones_like, torch_tensor, torch_zeros,
                        torch_zeros_like)
from ._devices import cuda_device_count, cuda_is_available, torch_device
from ._dtypes import (torch_bool, torch_cdouble, torch_cfloat, torch_cfloat32, torch_cfloat64, torch_complex64,
                      torch_complex128, torch_double, torch_dtype, torch_float, torch_float16, torch_float32,
                      torch_float64, torch_half, torch_int, torch_int8, torch_int16, torch_int32, torch_int64,
                      torch_long, torch_short, torch_uint8)
from ._functions import *  # noqa: F401,F403  (torch_mm, torch_sum, torch_cat, ...)
from ._functions import __all__ as _function_names
from ._indexing import N, drop, newaxis
from ._tensor import Tensor, is_tensor

is_torch_tensor = is_tensor

__all__ = [
    "as_array", "cuda_device_count", "cuda_is_available", "drop", "is_torch_tensor", "N", "newaxis",
    "Tensor", "torch_arange", "torch_bool", "torch_cdouble", "torch_cfloat", "torch_cfloat32",
    "torch_cfloat64", "torch_complex64", "torch_complex128", "torch_device", "torch_double", "torch_dtype",
    "torch_empty", "torch_empty_like", "torch_eye", "torch_float", "torch_float16", "torch_float32",
    "torch_float64", "torch_full", "torch_full_like", "torch_half", "torch_int", "torch_int8", "torch_int16",
    "torch_int32", "torch_int64", "torch_linspace", "torch_logspace", "torch_long", "torch_ones",
    "torch_ones_like", "torch_short", "torch_tensor", "torch_uint8", "torch_zeros", "torch_zeros_like",
    *_function_names,
]
