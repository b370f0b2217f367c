"""R torch's ``print(t)``: libtorch's tensor text, wrapped and truncated as R torch does.

R torch writes ``torch_tensor``, then the text libtorch's ``operator<<``
produces (cut to the first ``n`` lines plus the ``[ CPUFloatType{3,3} ]``
footer), then any autograd note, then a newline. libtorch converts every
value to double and picks, per 2-d slice (or for the whole 1-d tensor), one
of three formats from the finite values: integer mode (``%g`` in width
``digits + 1``, or ``%.4e`` beyond 9 digits), scientific (``%.4e`` when the
magnitudes span more than 4 decades) or fixed ``%.4f``; in fixed mode a
common ``1e-05 *`` scale line appears when the largest magnitude is below
0.1 or at least 1e5. Complex tensors are not shown (R torch prints a hint). Only the lines that are shown get formatted; the format itself is
computed over every value of the slice, as libtorch does.
"""
from __future__ import annotations

import itertools
import math

import numpy as np

__all__ = ["format_tensor", "format_undefined", "type_name_for", "libtorch_text"]

LINESIZE = 80
TRUNCATION_MESSAGE = "... [the output was truncated (use n=-1 to disable)]"
COMPLEX_MESSAGE = "\u2139 Use `$real` or `$imag` to print the contents of this tensor."

_SCALAR_TYPE_NAMES = {
    "bool": "Bool",
    "uint8": "Byte",
    "int8": "Char",
    "int16": "Short",
    "int32": "Int",
    "int64": "Long",
    "float16": "Half",
    "bfloat16": "BFloat16",
    "float8_e4m3fn": "Float8_e4m3fn",
    "float8_e5m2": "Float8_e5m2",
    "float32": "Float",
    "float64": "Double",
    "complex64": "ComplexFloat",
    "complex128": "ComplexDouble",
}
_LIBTORCH_NAMES = frozenset(_SCALAR_TYPE_NAMES.values())
_ML_FLOATS = frozenset(("bfloat16", "float8_e4m3fn", "float8_e5m2"))

_DEFAULT, _SCIENTIFIC, _FIXED = "g", ".4e", ".4f"


def type_name_for(dtype_name, device_type: str = "cpu") -> str:
    """libtorch's type string, e.g. ``("float32", "cpu") -> "CPUFloatType"``.

    ``dtype_name`` may be a NumPy dtype (or its name) or a libtorch scalar
    type name such as ``"Float"``; ``device_type`` is ``"cpu"``, ``"cuda"``...
    """
    if isinstance(dtype_name, str) and dtype_name in _LIBTORCH_NAMES:
        scalar = dtype_name
    else:
        key = dtype_name if isinstance(dtype_name, str) else np.dtype(dtype_name).name
        scalar = _SCALAR_TYPE_NAMES.get(key)
        if scalar is None:
            raise ValueError(f"no libtorch type name for dtype {dtype_name!r}")
    if not isinstance(device_type, str) or not device_type:
        raise ValueError(f"device_type must be a non-empty string, got {device_type!r}")
    return f"{device_type.upper()}{scalar}Type"


def _shortest(x: float) -> str:
    """fmt's ``{}`` for a double: shortest round-trip digits, no trailing ``.0``."""
    if math.isnan(x):
        return "-nan" if math.copysign(1.0, x) < 0 else "nan"
    s = repr(x)
    return s[:-2] if s.endswith(".0") else s


def _cell(x: float, spec: str, width: int) -> str:
    if math.isnan(x):
        s = "-nan" if math.copysign(1.0, x) < 0 else "nan"
    else:
        s = format(x, spec)
    return s.rjust(width)


def _exponent(magnitude: float) -> int:
    return math.floor(math.log10(magnitude)) + 1 if magnitude != 0 else 1


def _int_mode(finite: np.ndarray) -> bool:
    head = finite[:256]
    if not np.array_equal(head, np.ceil(head)):
        return False
    return bool(np.array_equal(finite, np.ceil(finite)))


def _print_format(values: np.ndarray):
    """(scale, width, spec) libtorch chooses for ``values`` (non-empty, real)."""
    flat = values.reshape(-1)
    if flat.dtype.kind in "biu":
        flat = flat.view(np.uint8) if flat.dtype.kind == "b" else flat
        hi = max(-int(flat.min()), int(flat.max()))
        exp_max = _exponent(float(hi))
        return (1.0, 11, _SCIENTIFIC) if exp_max > 9 else (1.0, exp_max + 1, _DEFAULT)
    if flat.dtype.itemsize < 4:
        flat = flat.astype(np.float32)
    finite_mask = np.isfinite(flat)
    finite = flat if finite_mask.all() else flat[finite_mask]
    int_mode = _int_mode(finite)
    if finite.size == 0:
        exp_min = exp_max = 1
    else:
        mags = np.abs(finite)
        exp_min, exp_max = _exponent(float(mags.min())), _exponent(float(mags.max()))
    if int_mode:
        if exp_max > 9:
            return 1.0, 11, _SCIENTIFIC
        return 1.0, exp_max + 1, _DEFAULT
    if exp_max - exp_min > 4:
        width = 12 if abs(exp_max) > 99 or abs(exp_min) > 99 else 11
        return 1.0, width, _SCIENTIFIC
    if exp_max > 5 or exp_max < 0:
        return 10.0 ** (exp_max - 1), 7, _FIXED
    return 1.0, 7 if exp_max == 0 else exp_max + 6, _FIXED


def _doubles(values: np.ndarray, scale: float) -> list:
    out = np.asarray(values, dtype=np.float64)
    return (out / scale if scale != 1 else out).tolist()


def _vector_pieces(values: np.ndarray):
    scale, width, spec = _print_format(values)
    if scale != 1:
        yield f"{_shortest(scale)} *\n"
    for start in range(0, values.shape[0], 64):
        for x in _doubles(values[start:start + 64], scale):
            yield _cell(x, spec, width) + "\n"


def _matrix_pieces(mat: np.ndarray, indent: int):
    scale, width, spec = _print_format(mat)
    nrow, ncol = mat.shape
    per_line = (LINESIZE - indent) // (width + 1)
    pad = " " * indent
    row_lead = pad + (" " if scale != 1 else "")
    for first in range(0, ncol, per_line):
        last = min(first + per_line, ncol)
        head = ""
        if per_line < ncol:
            head = ("\n" if first else "") + f"Columns {first + 1} to {last}{pad}"
        if scale != 1:
            head += f"{_shortest(scale)} *\n{pad}"
        for r in range(nrow):
            cells = " ".join(_cell(x, spec, width) for x in _doubles(mat[r, first:last], scale))
            lead = head if r == 0 else row_lead
            yield lead + cells + "\n"


def _block_indices(shape):
    """Leading indices of each 2-d slice, first dimension fastest (libtorch's order)."""
    for idx in itertools.product(*(range(s) for s in reversed(shape))):
        yield idx[::-1]


def _tensor_pieces(values: np.ndarray):
    for k, idx in enumerate(_block_indices(values.shape[:-2])):
        label = "".join(f"{i + 1}," for i in idx)
        yield ("\n" if k else "") + f"({label}.,.) = \n"
        yield from _matrix_pieces(values[idx], 1)


def _body_pieces(values: np.ndarray):
    if values.ndim == 0:
        yield _shortest(_doubles(values, 1.0)) + "\n"
    elif values.size == 0:
        return
    elif values.ndim == 1:
        yield from _vector_pieces(values)
    elif values.ndim == 2:
        yield from _matrix_pieces(values, 0)
    else:
        yield from _tensor_pieces(values)


def _footer(type_name: str, shape) -> str:
    return f"[ {type_name}{{{','.join(str(int(s)) for s in shape)}}} ]"


def _as_real(values) -> np.ndarray:
    arr = np.asarray(values)
    if arr.dtype.kind == "c":
        arr = arr.real
    if arr.dtype.name in _ML_FLOATS:  # ml_dtypes' reduced floats: every value is a float32 one
        arr = arr.astype(np.float32)
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"cannot print a tensor of NumPy dtype {arr.dtype}")
    return arr


def _body_lines(values, max_lines=None):
    """Lines of libtorch's text before the footer; stops after ``max_lines``."""
    arr = _as_real(values)
    parts, count = [], 0
    for piece in _body_pieces(arr):
        parts.append(piece)
        count += piece.count("\n")
        if max_lines is not None and count >= max_lines:
            break
    return "".join(parts).split("\n")[:-1]


def libtorch_text(values, type_name: str) -> str:
    """The full text libtorch's ``operator<<`` writes (no truncation, no header)."""
    lines = _body_lines(values)
    return "".join(line + "\n" for line in lines) + _footer(type_name, np.shape(values))


def _autograd_note(requires_grad: bool, grad_fn) -> str:
    if grad_fn is not None:
        return f"[ grad_fn = <{grad_fn}> ]"
    return "[ requires_grad = TRUE ]" if requires_grad else ""


def format_tensor(values, type_name: str, n: int = 30, *, requires_grad: bool = False,
                  grad_fn: str | None = None) -> str:
    """Exactly what R torch's ``print(t, n)`` writes, final newline included.

    ``values`` is the tensor's data on the host in its own dtype; ``type_name``
    is libtorch's, e.g. ``"CPUFloatType"``. Like R torch, only the first ``n``
    lines of libtorch's text are kept (plus the footer) when ``n > 1``; a
    negative ``n`` shows everything. Complex tensors get R torch's hint
    instead of values. ``grad_fn`` is the node name (e.g. ``"AddBackward0"``).
    """
    if not isinstance(type_name, str) or not type_name.endswith("Type"):
        raise ValueError(f"type_name must look like 'CPUFloatType', got {type_name!r}")
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
        raise TypeError(f"n must be an integer, got {n!r}")
    arr = np.asarray(values)
    note = _autograd_note(requires_grad, grad_fn)
    footer = _footer(type_name, arr.shape)
    if arr.dtype.kind == "c":
        return f"torch_tensor\n{COMPLEX_MESSAGE}\n{footer}{note}\n"
    limited = n > 1
    lines = _body_lines(arr, n if limited else None)
    truncated = limited and len(lines) >= n
    shown = "".join(line + "\n" for line in (lines[:n] if limited else lines))
    if truncated:
        shown += TRUNCATION_MESSAGE + "\n"
    return f"torch_tensor\n{shown}{footer}{note}\n"


def format_undefined() -> str:
    """R torch's print of an undefined tensor."""
    return "torch_tensor\n[ Tensor (undefined) ]\n"
