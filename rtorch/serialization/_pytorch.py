"""PyTorch's `torch.save` zip files (`.pt`, `.pth`) read without PyTorch and without running pickled code.

The archive holds `data.pkl` (a pickle whose tensors point at storages by key) and `data/<key>` (the raw
bytes). The unpickler resolves only the globals in `_ALLOWED` (tensor and parameter rebuilders, storage
types, `OrderedDict`, `torch.Size`), as PyTorch's `weights_only=True` does; any other global (say
`os.system`) raises before anything is called."""
import collections
import io
import pickle
import zipfile

import numpy as np

from .._tensor import wrap

_STORAGE_DTYPES = {
    "DoubleStorage": np.float64, "FloatStorage": np.float32, "HalfStorage": np.float16, "LongStorage": np.int64,
    "IntStorage": np.int32, "ShortStorage": np.int16, "CharStorage": np.int8, "ByteStorage": np.uint8,
    "BoolStorage": np.bool_, "ComplexFloatStorage": np.complex64, "ComplexDoubleStorage": np.complex128,
    "UntypedStorage": np.uint8,
}
_UNSUPPORTED_STORAGES = {"BFloat16Storage": "BFloat16", "ComplexHalfStorage": "ComplexHalf",
                         "QInt8Storage": "QInt8", "QUInt8Storage": "QUInt8", "QInt32Storage": "QInt32"}


class _StorageType:
    def __init__(self, name):
        self.name = name
        self.dtype = np.dtype(_STORAGE_DTYPES[name])


class _Storage:
    __slots__ = ("array",)

    def __init__(self, array):
        self.array = array


def _rebuild_tensor(storage, offset, size, stride, *_ignored):
    base = storage.array
    size, stride = tuple(int(s) for s in size), tuple(int(s) for s in stride)
    if len(size) != len(stride):
        raise pickle.UnpicklingError("corrupt PyTorch file: a tensor's size and stride differ in length")
    if all(s > 0 for s in size):
        extent = int(offset) + sum((s - 1) * st for s, st in zip(size, stride)) + 1
        if int(offset) < 0 or extent > base.size or any(st < 0 for st in stride):
            raise pickle.UnpicklingError(f"corrupt PyTorch file: a tensor of size {list(size)} reaches element "
                                         f"{extent} of a storage of {base.size}")
        view = np.lib.stride_tricks.as_strided(base[int(offset):], shape=size,
                                               strides=tuple(st * base.itemsize for st in stride))
        array = np.array(view, order="C")
    else:
        array = np.empty(size, dtype=base.dtype)
    return wrap(array.astype(array.dtype.newbyteorder("="), copy=False))


def _rebuild_tensor_v2(storage, offset, size, stride, requires_grad=False, backward_hooks=None, metadata=None):
    t = _rebuild_tensor(storage, offset, size, stride)
    if requires_grad:
        t.requires_grad = True
    return t


def _rebuild_parameter(data, requires_grad, backward_hooks, state=None):
    if requires_grad:
        data.requires_grad = True
    return data


_ALLOWED = {
    ("torch._utils", "_rebuild_tensor"): _rebuild_tensor,
    ("torch._utils", "_rebuild_tensor_v2"): _rebuild_tensor_v2,
    ("torch._utils", "_rebuild_parameter"): _rebuild_parameter,
    ("torch._utils", "_rebuild_parameter_with_state"): _rebuild_parameter,
    ("collections", "OrderedDict"): collections.OrderedDict,
    ("torch", "Size"): tuple,
    ("builtins", "set"): set,
    ("builtins", "frozenset"): frozenset,
    ("torch", "device"): str,
}


class _WeightsUnpickler(pickle.Unpickler):
    def __init__(self, data, read_record, byteorder):
        super().__init__(io.BytesIO(data))
        self._read_record = read_record
        self._byteorder = byteorder
        self._storages = {}

    def find_class(self, module, name):
        if module == "torch" and name in _STORAGE_DTYPES:
            return _StorageType(name)
        if module == "torch" and name in _UNSUPPORTED_STORAGES:
            raise pickle.UnpicklingError(f"the file holds {_UNSUPPORTED_STORAGES[name]} tensors, a dtype rtorch "
                                         "does not have")
        try:
            return _ALLOWED[(module, name)]
        except KeyError:
            raise pickle.UnpicklingError(
                f"Weights only load failed: unsupported global {module}.{name} in the pickle. rtorch reads "
                "tensors and state dicts only and never runs code from a file.") from None

    def persistent_load(self, pid):
        if not (isinstance(pid, tuple) and len(pid) >= 5 and pid[0] == "storage"
                and isinstance(pid[1], _StorageType)):
            raise pickle.UnpicklingError(f"corrupt PyTorch file: unknown persistent id {pid!r:.80}")
        stype, key = pid[1], str(pid[2])
        if key not in self._storages:
            raw = self._read_record(key)
            dt = stype.dtype.newbyteorder(">" if self._byteorder == "big" else "<")
            if len(raw) % dt.itemsize:
                raise pickle.UnpicklingError(f"corrupt PyTorch file: storage {key} has {len(raw)} bytes, not a "
                                             f"multiple of {dt.itemsize}")
            self._storages[key] = _Storage(np.frombuffer(raw, dtype=dt))
        return self._storages[key]


def is_zip(buf):
    return bytes(buf[:4]) == b"PK\x03\x04"


def load_pt(buf, what):
    """The object in a PyTorch zip file (state dicts come back as dicts of tensors)."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(bytes(buf)))
        names = zf.namelist()
    except zipfile.BadZipFile as exc:
        raise ValueError(f"{what} is a corrupt or truncated PyTorch zip file ({exc})") from None
    pkl = [n for n in names if n.endswith("data.pkl") and n.count("/") <= 1]
    if not pkl:
        raise ValueError(f"{what} is a zip file without data.pkl: not a file written by torch.save")
    prefix = pkl[0][: -len("data.pkl")]
    byteorder = "little"
    if prefix + "byteorder" in names:
        byteorder = zf.read(prefix + "byteorder").decode().strip()

    def read_record(key):
        try:
            return zf.read(f"{prefix}data/{key}")
        except KeyError:
            raise pickle.UnpicklingError(f"corrupt PyTorch file: storage record data/{key} is missing") from None

    try:
        return _WeightsUnpickler(zf.read(pkl[0]), read_record, byteorder).load()
    except (zipfile.BadZipFile, EOFError, OSError) as exc:
        raise ValueError(f"{what} is a corrupt or truncated PyTorch zip file ({exc})") from None
