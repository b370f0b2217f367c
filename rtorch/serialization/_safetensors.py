"""The safetensors container: reading (our own parser, zero-copy views into one buffer, every offset
checked) and writing (the `safetensors` package's NumPy API)."""
import json
import struct

import numpy as np

from .._dtypes import DTYPES

# safetensors dtype codes <-> NumPy
ST_TO_NUMPY = {"BOOL": np.bool_, "U8": np.uint8, "I8": np.int8, "I16": np.int16, "I32": np.int32,
               "I64": np.int64, "F16": np.float16, "F32": np.float32, "F64": np.float64,
               "U16": np.uint16, "U32": np.uint32, "U64": np.uint64, "C64": np.complex64}
_NO_NUMPY = {"BF16": "BFloat16", "F8_E4M3": "Float8_e4m3fn", "F8_E5M2": "Float8_e5m2"}
for _code, _name in list(_NO_NUMPY.items()):  # ml_dtypes' NumPy types, where it is installed
    if DTYPES[_name].numpy is not None:
        ST_TO_NUMPY[_code] = DTYPES[_name].numpy
        del _NO_NUMPY[_code]
_MAX_HEADER = 100_000_000


class SafetensorsError(ValueError):
    pass


def parse(buf, what):
    """Header (a dict) and data start of a safetensors buffer, with the checks a truncated or corrupt file
    fails; `what` names the file in the errors."""
    n = len(buf)
    if n < 8:
        raise SafetensorsError(f"{what} is not a safetensors file: {n} bytes is too short for the header size "
                               "(truncated or corrupt file)")
    (size,) = struct.unpack("<Q", bytes(buf[:8]))
    if size > _MAX_HEADER or 8 + size > n:
        raise SafetensorsError(f"{what} is truncated or corrupt: its header says {size} bytes, the file has "
                               f"{n - 8} after the size")
    try:
        header = json.loads(bytes(buf[8:8 + size]).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SafetensorsError(f"{what} is corrupt: its safetensors header is not valid JSON ({exc})") from None
    if not isinstance(header, dict):
        raise SafetensorsError(f"{what} is corrupt: its safetensors header is not a JSON object")
    start = 8 + size
    for name, info in header.items():
        if name == "__metadata__":
            continue
        try:
            dtype, shape, (begin, end) = info["dtype"], [int(d) for d in info["shape"]], info["data_offsets"]
        except (KeyError, TypeError, ValueError):
            raise SafetensorsError(f"{what} is corrupt: bad header entry for tensor '{name}'") from None
        if dtype in _NO_NUMPY:
            raise SafetensorsError(f"tensor '{name}' in {what} is {_NO_NUMPY[dtype]}, a dtype rtorch does not have")
        if dtype not in ST_TO_NUMPY:
            raise SafetensorsError(f"{what} is corrupt: tensor '{name}' has unknown dtype '{dtype}'")
        expected = int(np.prod(shape, dtype=np.int64)) * np.dtype(ST_TO_NUMPY[dtype]).itemsize
        if not (0 <= begin <= end) or end - begin != expected:
            raise SafetensorsError(f"{what} is corrupt: tensor '{name}' of shape {shape} and dtype {dtype} needs "
                                   f"{expected} bytes, its offsets give {end - begin}")
        if start + end > n:
            raise SafetensorsError(f"{what} is truncated: tensor '{name}' ends at byte {start + end}, the file has "
                                   f"{n}")
    return header, start


def arrays(buf, header, start):
    """The tensors of a parsed buffer as NumPy arrays viewing `buf` (which must be writable to be mutable)."""
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        dt = np.dtype(ST_TO_NUMPY[info["dtype"]]).newbyteorder("<")
        begin, end = info["data_offsets"]
        count = (end - begin) // dt.itemsize
        a = np.frombuffer(buf, dtype=dt, count=count, offset=start + begin).reshape(info["shape"])
        out[name] = a if dt.isnative else a.astype(dt.newbyteorder("="))
    return out


def metadata(header):
    meta = header.get("__metadata__")
    return meta if isinstance(meta, dict) else {}


def to_bytes(tensors, meta):
    """A safetensors file's bytes, from NumPy arrays (C-contiguous, little-endian) and string metadata."""
    from safetensors.numpy import save
    return save(tensors, metadata=meta)


def save_file(tensors, meta, path):
    from safetensors.numpy import save_file as _save_file
    _save_file(tensors, path, metadata=meta)
