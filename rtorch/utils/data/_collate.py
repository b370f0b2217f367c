"""R torch's default collate and convert (R/utils-data-collate.R), on rtorch's R types.

An item that is a tensor or an R vector longer than one (or an array) is stacked on a new first dim;
R scalars become a tensor of the batch: an R integer (`as_integer(2)`, np.int32) Long, an R double (a
Python int or float: both are R doubles in rtorch) Float, a logical Bool; strings stay a character vector;
a named list (dict) collates per name and an unnamed list (list/tuple) per position."""
import numbers

import numpy as np

from ..._creation import torch_tensor
from ..._dtypes import torch_bool, torch_float, torch_long
from ..._manipulation import stack
from ..._tensor import Tensor


def _r_class_name(x):
    try:
        from ..._rbase import class_
        return str(class_(x)[0])
    except Exception:  # noqa: BLE001  (an object R has no class for)
        return type(x).__name__


def _scalar_kind(x):
    """The R type of a length-one R value, or None."""
    if isinstance(x, (bool, np.bool_)):
        return "logical"
    if isinstance(x, str):
        return "character"
    if isinstance(x, np.integer):
        return "integer"
    if isinstance(x, numbers.Real):
        return "double"
    if isinstance(x, np.ndarray) and x.ndim == 1 and x.size == 1:
        return {"b": "logical", "i": "integer", "u": "integer", "f": "double", "U": "character"}.get(x.dtype.kind)
    return None


_SCALAR_DTYPES = {"integer": torch_long, "double": torch_float, "logical": torch_bool}


def utils_data_default_collate(batch):
    """`utils_data_default_collate(batch)`: one batch from a list of items."""
    elem = batch[0]
    if isinstance(elem, Tensor):
        return stack(list(batch), dim=1)
    if isinstance(elem, np.ndarray) and elem.dtype.kind in "biuf" and (elem.size > 1 or elem.ndim >= 2):
        return stack([torch_tensor(b) for b in batch], dim=1)
    kind = _scalar_kind(elem)
    if kind == "character":
        return np.array([b if isinstance(b, str) else b[0] for b in batch])
    if kind is not None:
        values = np.concatenate([np.asarray(b).reshape(-1) for b in batch])
        if kind == "double":
            values = values.astype(np.float64)
        return torch_tensor(values, dtype=_SCALAR_DTYPES[kind]())
    if isinstance(elem, dict):
        return {k: utils_data_default_collate([b[k] for b in batch]) for k in elem}
    if isinstance(elem, (list, tuple)):
        return [utils_data_default_collate([b[i] for b in batch]) for i in range(len(elem))]
    raise ValueError(f"Can't collate data of class: '{_r_class_name(elem)}'")


def utils_data_default_convert(data):
    """`utils_data_default_convert(data)`: what a `.getbatch` result becomes (tensors as they are, lists
    converted per element, anything else through `torch_tensor`)."""
    if isinstance(data, Tensor):
        return data
    if isinstance(data, dict):
        return {k: utils_data_default_convert(v) for k, v in data.items()}
    if isinstance(data, (list, tuple)):
        return [utils_data_default_convert(v) for v in data]
    try:
        return torch_tensor(data)
    except Exception:  # noqa: BLE001  (R torch turns any conversion error into this one)
        raise ValueError(f"Can't convert data of class: '{_r_class_name(data)}'") from None
