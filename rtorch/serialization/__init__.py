"""R torch's `torch_save`, `torch_load`, `torch_serialize` (R/save.R, serialization version 3) and
`load_state_dict(path)`.

R torch's files are safetensors files whose metadata key `__r__` holds a JSON object: `type` ("tensor",
"list", "module", "state_dict"), `version` (3), `requires_grad` (tensor name -> true) and `special_dtype`
(complex tensors, stored as their raw bytes, name -> shape and "cfloat"/"cdouble"). A single tensor is named
`...unnamed...`; a list's tensors are named by address, and the list itself, with the addresses in place
of the tensors, is R's `serialize()` of it in the uint8 tensor `__robj__`.

Where Python differs: `torch_save(model)` writes the module's state dict as a named list (R torch's
`torch_load` gives that list back, ready for `model$load_state_dict()`), since an rtorch module is no R6
object; `torch_load` of a module or dataset file written by R torch returns its state dict (a dict), as
the R closure in `__robj__` is never run. `torch_load` also reads PyTorch's `.pt` zip files and plain
safetensors files. Saving is atomic: a temporary file renamed into place."""
import json
import os
import tempfile
import warnings

import numpy as np

from .._tensor import Tensor, wrap
from . import _pytorch, _safetensors
from ._rds import TensorAddress, read_robj, write_robj

R_KEY, R_OBJ, UNNAMED = "__r__", "__robj__", "...unnamed..."
SER_VERSION = 3
_COMPLEX = {"ComplexFloat": ("cfloat", np.complex64), "ComplexDouble": ("cdouble", np.complex128)}
_COMPLEX_BY_R = {r: np.dtype(d) for r, d in _COMPLEX.values()}
_COMPLEX_BY_R["chalf"] = None


# ---- saving -----------------------------------------------------------------------------------------

def _numpy(t):
    a = t._data
    if type(a) is not np.ndarray:   # a CUDA tensor: CuPy
        a = a.get()
    return a if a.flags.c_contiguous else a.copy(order="C")   # (ascontiguousarray would make 0-d 1-d)


def _json_shape(shape):
    """jsonlite::toJSON(auto_unbox = TRUE) of an R integer vector: a length-one vector is a bare number."""
    return shape[0] if len(shape) == 1 else list(shape)


def _r_meta(type_, state_dict):
    """The safetensors tensors and the `__r__` JSON for R torch's torch_save_to_file()."""
    requires_grad, special, arrays = {}, {}, {}
    for name, t in state_dict.items():
        if t.requires_grad:
            requires_grad[name] = True
        a = _numpy(t)
        if t.dtype.name in _COMPLEX:
            special[name] = {"shape": _json_shape([int(d) for d in a.shape]), "dtype": _COMPLEX[t.dtype.name][0]}
            a = a.reshape(-1).view(np.uint8)
        elif t.dtype.name == "ComplexHalf":
            raise TypeError("torch_save: ComplexHalf tensors are not supported")
        arrays[name] = a
    meta = {"type": type_, "version": SER_VERSION, "requires_grad": requires_grad or [],
            "special_dtype": special or []}
    return arrays, {R_KEY: json.dumps(meta, separators=(",", ":"))}


def _list_state_dict(obj, state_dict):
    """R torch's list_state_dict(): tensors replaced by their addresses, collected by address."""
    if isinstance(obj, Tensor):
        addr = TensorAddress(f"0x{id(obj):012x}")
        state_dict[addr] = obj
        return addr
    if isinstance(obj, dict):
        return {(k if isinstance(k, int) else str(k)): _list_state_dict(v, state_dict) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_list_state_dict(v, state_dict) for v in obj]
    return obj


def _payload(obj):
    """(tensors, metadata) of the file `torch_save(obj)` writes."""
    if isinstance(obj, Tensor):
        return _r_meta("tensor", {UNNAMED: obj})
    if hasattr(obj, "state_dict") and hasattr(obj, "_parameters"):   # an nn_module
        obj = dict(obj.state_dict())
    if isinstance(obj, (dict, list, tuple)):
        state_dict = {}
        skeleton = _list_state_dict(obj, state_dict)
        arrays, meta = _r_meta("list", state_dict)
        arrays[R_OBJ] = np.frombuffer(write_robj(skeleton), dtype=np.uint8)
        return arrays, meta
    raise TypeError(f"no applicable method for 'torch_save' applied to an object of class "
                    f"\"{type(obj).__name__}\"")


def torch_save(obj, path, *args, compress=True):
    """`torch_save(obj, path)`: a tensor, a (named) list/dict of tensors and R values, or a module's state
    dict, to `path` (a file path or a binary file object). Returns `obj`, as R's invisible(obj)."""
    arrays, meta = _payload(obj)
    if hasattr(path, "write"):
        path.write(_safetensors.to_bytes(arrays, meta))
        return obj
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"`path` must be a connection or an actual path, got <{type(path).__name__}>.")
    path = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise FileNotFoundError(f"cannot open file '{path}': No such file or directory")
    fd, tmp = tempfile.mkstemp(dir=folder, prefix="." + os.path.basename(path) + ".", suffix=".tmp")
    os.close(fd)
    try:
        _safetensors.save_file(arrays, meta, tmp)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return obj


def torch_serialize(obj, *args):
    """`torch_serialize(obj)`: the bytes `torch_save` would write (R's raw vector)."""
    arrays, meta = _payload(obj)
    return _safetensors.to_bytes(arrays, meta)


# ---- loading ----------------------------------------------------------------------------------------

def _read(path):
    """The file's bytes in one writable buffer (the loaded tensors view it), and a name for errors."""
    if isinstance(path, (bytes, bytearray, memoryview)):
        return bytearray(path), "the raw vector"
    if hasattr(path, "read"):
        return bytearray(path.read()), "the connection"
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"`path` must be a connection, a raw vector or an actual path, got <{type(path).__name__}>.")
    path = os.fspath(path)
    try:
        with open(path, "rb") as f:
            buf = bytearray(os.fstat(f.fileno()).st_size)
            n = f.readinto(buf)
    except FileNotFoundError:
        raise FileNotFoundError(f"cannot open file '{path}': No such file or directory") from None
    except IsADirectoryError:
        raise IsADirectoryError(f"cannot open file '{path}': it is a directory") from None
    return (buf if n == len(buf) else buf[:n]), f"'{path}'"


def _special(arrays, special):
    for name, spec in (special or {}).items():
        dt = _COMPLEX_BY_R.get(spec["dtype"])
        if dt is None:
            raise ValueError(f"tensor '{name}' has special dtype '{spec['dtype']}', which rtorch does not have")
        shape = spec["shape"]
        shape = [shape] if isinstance(shape, int) else list(shape)
        arrays[name] = arrays[name].view(dt).reshape(shape)


def _restore(x, tensors):
    if isinstance(x, TensorAddress):
        return tensors[str(x)]
    if isinstance(x, dict):
        return {k: _restore(v, tensors) for k, v in x.items()}
    if isinstance(x, list):
        return [_restore(v, tensors) for v in x]
    return x


def _pt_to_dict(obj):
    return dict(obj) if isinstance(obj, dict) else obj


def torch_load(path, device="cpu"):
    """`torch_load(path)`: what `torch_save` wrote (also R torch's files, PyTorch `.pt` zips and plain
    safetensors files); `path` may be bytes (R's raw vector) or a binary file object."""
    if device is None:
        raise ValueError("Unexpected device NULL")
    buf, what = _read(path)
    if _pytorch.is_zip(buf):
        return _to_device(_pt_to_dict(_pytorch.load_pt(buf, what)), device)
    if bytes(buf[:2]) in (b"\x1f\x8b", b"X\n", b"BZ", b"\xfd7"):
        raise ValueError(f"{what} is in R torch's legacy RDS format (serialization version <= 2), which rtorch "
                         "does not read: re-save it with a current R torch (torch_save writes safetensors)")
    if bytes(buf[:1]) == b"\x80":
        raise ValueError(f"{what} is a bare pickle (PyTorch's legacy format, `_use_new_zipfile_serialization="
                         "False`, or a plain pickle): rtorch reads PyTorch's zip format only")
    header, start = _safetensors.parse(buf, what)
    arrays = _safetensors.arrays(buf, header, start)
    raw = _safetensors.metadata(header).get(R_KEY)
    try:
        meta = json.loads(raw) if raw is not None else None
    except json.JSONDecodeError:
        raise ValueError(f"{what} is corrupt: its `__r__` metadata is not valid JSON") from None
    if isinstance(meta, dict):
        _special(arrays, meta.get("special_dtype") or {})
    robj = arrays.pop(R_OBJ, None)
    tensors = {name: wrap(a) for name, a in arrays.items()}
    if isinstance(meta, dict):
        for name, flag in (meta.get("requires_grad") or {}).items():
            if flag and name in tensors:
                tensors[name].requires_grad = True
    tensors = _to_device(tensors, device)
    if not isinstance(meta, dict) or "type" not in meta:
        warnings.warn("File not saved with `torch_save()`, returning as is.", stacklevel=2)
        return tensors
    kind = meta["type"]
    if kind == "tensor":
        return next(iter(tensors.values()))
    if kind == "list":
        if robj is None:
            raise ValueError(f"{what} is corrupt: a saved list without its `__robj__`")
        return _restore(read_robj(robj.tobytes()), tensors)
    if kind in ("module", "state_dict"):
        return tensors
    raise NotImplementedError(f"currently unsupported file type '{kind}'")


def _to_device(x, device):
    if str(device) == "cpu":
        return x
    if isinstance(x, Tensor):
        return x.to(device=device)
    if isinstance(x, dict):
        return {k: _to_device(v, device) for k, v in x.items()}
    return x


def load_state_dict(path, *args, legacy_stream=False):
    """`load_state_dict(path)`: a state dict (dict of name -> tensor) from a PyTorch `.pt`/`.pth` file, a
    safetensors file or an R torch file; no PyTorch, no pickled code run."""
    buf, what = _read(path)
    if _pytorch.is_zip(buf):
        obj = _pytorch.load_pt(buf, what)
    else:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            obj = torch_load(bytes(buf))
    if isinstance(obj, dict) and all(isinstance(v, Tensor) for v in obj.values()):
        return dict(obj)
    raise ValueError(f"{what} does not hold a state dict (a dict of tensors), but a {type(obj).__name__}")


__all__ = ["load_state_dict", "torch_load", "torch_save", "torch_serialize"]
