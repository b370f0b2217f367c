"""rtorch: R torch's tensor API in Python, line for line (`from rtorch import *`)."""
from . import _methods  # noqa: F401  (attaches the tensor methods)
from ._conversion import as_array
from ._conversion import buffer_from_torch_tensor
from ._selection import head, tail
from ._devices import cuda_device_count, cuda_is_available, torch_device
from ._devices import (cuda_current_device, cuda_dump_memory_snapshot, cuda_empty_cache, cuda_get_device_capability,
                       cuda_memory_snapshot, cuda_memory_stats, cuda_memory_summary, cuda_record_memory_history,
                       cuda_runtime_version, cuda_synchronize, local_device, with_device)
from ._backends import __all__ as _backend_names
from ._backends import *  # noqa: F401,F403  (backends_*_is_available, backends_cudnn_version)
from ._autocast import cuda_amp_grad_scaler, local_autocast, set_autocast, unset_autocast, with_autocast
from ._dtypes import (torch_bool, torch_cdouble, torch_cfloat, torch_cfloat32, torch_cfloat64, torch_complex64,
                      torch_complex128, torch_double, torch_dtype, torch_float, torch_float16, torch_float32,
                      torch_float64, torch_half, torch_int, torch_int8, torch_int16, torch_int32, torch_int64,
                      torch_long, torch_short, torch_uint8)
from ._dtypes import torch_get_default_dtype, torch_set_default_dtype
from ._dtypes import (is_torch_dtype, torch_bfloat16, torch_cfloat128, torch_chalf, torch_float8_e4m3fn,
                      torch_float8_e5m2, torch_qint8, torch_qint32, torch_quint8)
from ._devices import is_torch_device
from ._layouts import (is_torch_layout, is_torch_memory_format, is_torch_qscheme, torch_channels_last_format,
                       torch_contiguous_format, torch_per_channel_affine, torch_per_channel_symmetric,
                       torch_per_tensor_affine, torch_per_tensor_symmetric, torch_preserve_format,
                       torch_sparse_coo, torch_strided)
from ._functions import *  # noqa: F401,F403  (the op table's functions: torch_mm, torch_cat, torch_zeros, ...)
from ._functions import __all__ as _function_names
from ._indexing import N, drop, newaxis, slc
from ._rbase import (FALSE, NA, TRUE, Inf, NA_real_, NaN, array, as_character, as_double, as_integer, as_logical,
                     as_matrix, as_numeric, as_raw, c, cbind, character, class_, dim, integer, length, logical,
                     matrix, numeric, raw, rbind, rep, seq, seq_along, seq_len)
from ._rprint import cat, rprint
from ._sampling import cuda_get_rng_state, cuda_set_rng_state, local_torch_manual_seed, with_torch_manual_seed
from ._tensor import Tensor, is_tensor
from ._linalg import *  # noqa: F401,F403  (linalg_norm, linalg_qr, ...)
from ._linalg import __all__ as _linalg_names
from .autograd import (autograd_backward, autograd_function, autograd_grad, autograd_set_grad_mode,
                       is_undefined_tensor, local_enable_grad, local_no_grad, with_detect_anomaly, with_enable_grad,
                       with_no_grad)
from .autograd import install_functions as _install_functions
from ._autocast import install as _autocast_install

_linalg_table = {name: globals()[name] for name in _linalg_names}
_install_functions(_linalg_table)
_autocast_install(_linalg_table)
globals().update(_linalg_table)

is_torch_tensor = is_tensor
from . import _dlpack  # noqa: F401  (attaches __dlpack__ / __dlpack_device__)
from ._dlpack import torch_from_dlpack
from .serialization import load_state_dict, torch_load, torch_save, torch_serialize
from .utils.data import __all__ as _data_names
from .utils.data import *  # noqa: F401,F403  (dataset, dataloader, tensor_dataset, ...)
from .optim import __all__ as _optim_names
from .optim import *  # noqa: F401,F403  (optim_adam, lr_step, ...)
from .nn import __all__ as _nn_names
from .nn import *  # noqa: F401,F403  (nn_module, nn_linear, nnf_mse_loss, nn_init_*, ...)
from .distributions import __all__ as _distr_names
from .distributions import *  # noqa: F401,F403  (distr_normal, distr_categorical, ...)

__all__ = [
    "as_array", "cuda_device_count", "cuda_is_available", "drop", "is_torch_tensor", "N", "newaxis", "Tensor",
    "torch_bool", "torch_cdouble", "torch_cfloat", "torch_cfloat32", "torch_cfloat64", "torch_complex64",
    "torch_complex128", "torch_device", "torch_double", "torch_dtype", "torch_float", "torch_float16",
    "torch_float32", "torch_float64", "torch_half", "torch_int", "torch_int8", "torch_int16", "torch_int32",
    "torch_int64", "torch_long", "torch_short", "torch_uint8", "torch_get_default_dtype",
    "torch_set_default_dtype",
    "is_torch_dtype", "torch_bfloat16", "torch_cfloat128", "torch_chalf", "torch_float8_e4m3fn", "torch_float8_e5m2",
    "torch_qint8", "torch_qint32", "torch_quint8", "is_torch_device", "is_torch_layout", "is_torch_memory_format",
    "is_torch_qscheme", "torch_channels_last_format", "torch_contiguous_format", "torch_per_channel_affine",
    "torch_per_channel_symmetric", "torch_per_tensor_affine", "torch_per_tensor_symmetric", "torch_preserve_format",
    "torch_sparse_coo", "torch_strided",
    "FALSE", "NA", "TRUE", "Inf", "NA_real_", "NaN", "array", "as_character", "as_double", "as_integer",
    "as_logical", "as_matrix", "as_numeric", "c", "cbind", "character", "class_", "dim", "integer", "length",
    "logical", "matrix", "numeric", "rbind", "rep", "as_raw", "raw", "seq", "seq_along", "seq_len", "cat",
    "rprint",
    "with_torch_manual_seed", "buffer_from_torch_tensor", "head", "tail",
    *_function_names, *_linalg_names,
    "autograd_backward", "autograd_function", "autograd_grad", "autograd_set_grad_mode", "is_undefined_tensor",
    "with_detect_anomaly", "with_enable_grad", "with_no_grad", "local_no_grad", "local_enable_grad",
    "local_torch_manual_seed", "cuda_get_rng_state", "cuda_set_rng_state", "slc",
    "cuda_current_device", "cuda_dump_memory_snapshot", "cuda_empty_cache", "cuda_get_device_capability",
    "cuda_memory_snapshot", "cuda_memory_stats", "cuda_memory_summary", "cuda_record_memory_history",
    "cuda_runtime_version", "cuda_synchronize", "local_device", "with_device", *_backend_names,
    "cuda_amp_grad_scaler", "local_autocast", "set_autocast", "unset_autocast", "with_autocast",
    "torch_from_dlpack", "load_state_dict", "torch_load", "torch_save", "torch_serialize", *_data_names,
    *_optim_names, *_nn_names, *_distr_names,
]
