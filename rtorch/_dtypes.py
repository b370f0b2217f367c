"""R torch's dtypes as data, one table: names, NumPy dtypes, categories, libtorch's C++ type names; and
libtorch's type promotion. BFloat16 and the Float8 types are `ml_dtypes`' NumPy dtypes (NumPy has none);
ComplexHalf and the quantized types are dtype objects only: no rtorch tensor holds them."""
import numpy as np

try:
    import ml_dtypes
except ImportError:  # pragma: no cover - a pinned dependency; the dtypes then exist, their tensors don't
    ml_dtypes = None

# dtype categories, ordered as libtorch promotes across them (`d.category < FLOATING`: Bool or integral)
BOOLEAN, INTEGRAL, FLOATING, COMPLEX = 0, 1, 2, 3
_BOOL, _INT, _FLOAT, _COMPLEX = BOOLEAN, INTEGRAL, FLOATING, COMPLEX


class torch_dtype:
    """A libtorch scalar type. Prints as R torch prints it (`torch_Float`); compare with `==`."""

    __slots__ = ("name", "numpy", "category", "rank", "c_name", "c_type")

    def __init__(self, name, numpy_dtype, category, rank, c_name, c_type):
        self.name = name
        self.numpy = None if numpy_dtype is None else np.dtype(numpy_dtype)
        self.category = category
        self.rank = rank
        self.c_name = c_name
        self.c_type = c_type

    @property
    def is_floating_point(self):
        return self.category == _FLOAT

    @property
    def is_complex(self):
        return self.category == _COMPLEX

    def __repr__(self):
        return f"torch_{self.name}"

    __str__ = __repr__

    def __eq__(self, other):
        if not isinstance(other, torch_dtype):
            raise RuntimeError("One of the objects is not a dtype. Comparison is not possible.")
        return self is other

    __hash__ = object.__hash__

    def __reduce__(self):
        return (_by_name, (self.name,))


# name, NumPy dtype, category, rank within the category (for same-category promotion), libtorch's TypeMeta
# name (what "expected m1 and m2 to have the same dtype" prints), the C++ type its checked scalar
# conversion names ("value cannot be converted to type int64_t"; None: no range check)
_TABLE = [
    ("Bool", np.bool_, BOOLEAN, 0, "bool", None),
    ("Byte", np.uint8, INTEGRAL, 1, "unsigned char", "uint8_t"),
    ("Char", np.int8, INTEGRAL, 1, "signed char", "int8_t"),
    ("Short", np.int16, INTEGRAL, 2, "short int", "int16_t"),
    ("Int", np.int32, INTEGRAL, 3, "int", "int"),
    ("Long", np.int64, INTEGRAL, 4, "long int", "int64_t"),
    ("Half", np.float16, FLOATING, 1, "c10::Half", None),
    ("Float", np.float32, FLOATING, 2, "float", "float"),
    ("Double", np.float64, FLOATING, 3, "double", "double"),
    ("ComplexFloat", np.complex64, COMPLEX, 2, "c10::complex<float>", None),
    ("ComplexDouble", np.complex128, COMPLEX, 3, "c10::complex<double>", None),
]
# the reduced floats share Half's rank: libtorch promotes BFloat16 with Half to Float, and refuses to promote
# a Float8 type with any other type; a None NumPy dtype: no tensor of it (see `_NO_ARRAY`)
_ML = (lambda name: None if ml_dtypes is None else getattr(ml_dtypes, name))
_TABLE += [
    ("BFloat16", _ML("bfloat16"), FLOATING, 1, "c10::BFloat16", None),
    ("Float8_e4m3fn", _ML("float8_e4m3fn"), FLOATING, 0, "c10::Float8_e4m3fn", None),
    ("Float8_e5m2", _ML("float8_e5m2"), FLOATING, 0, "c10::Float8_e5m2", None),
    ("ComplexHalf", None, COMPLEX, 1, "c10::complex<c10::Half>", None),
    ("QUInt8", None, INTEGRAL, 1, "c10::quint8", None),
    ("QInt8", None, INTEGRAL, 1, "c10::qint8", None),
    ("QInt32", None, INTEGRAL, 3, "c10::qint32", None),
]
DTYPES = {row[0]: torch_dtype(*row) for row in _TABLE}
BY_NUMPY = {d.numpy: d for d in DTYPES.values() if d.numpy is not None}
REDUCED_FLOATS = frozenset(d for d in DTYPES.values() if d.name in ("Half", "BFloat16"))
FLOAT8 = frozenset(d for d in DTYPES.values() if d.name.startswith("Float8"))
# the floats libtorch computes in float32 (its opmath), rounding each result back
LOW_PRECISION = REDUCED_FLOATS | FLOAT8
LOW_PRECISION_NUMPY = frozenset(d.numpy for d in LOW_PRECISION if d.numpy is not None)
_QUANTIZED = {"QUInt8", "QInt8", "QInt32"}
# why a dtype has no rtorch tensors
_NO_ARRAY = {
    **{name: f"{name} tensors need the ml_dtypes package (pip install ml_dtypes)"
       for name in ("BFloat16", "Float8_e4m3fn", "Float8_e5m2")},
    "ComplexHalf": "ComplexHalf tensors are not supported by rtorch (NumPy has no complex32)",
    **{name: f"quantized tensors ({name}) are not supported by rtorch" for name in _QUANTIZED},
}


def _by_name(name):
    return DTYPES[name]


def torch_float32(): return DTYPES["Float"]
def torch_float64(): return DTYPES["Double"]
def torch_float16(): return DTYPES["Half"]
def torch_uint8(): return DTYPES["Byte"]
def torch_int8(): return DTYPES["Char"]
def torch_int16(): return DTYPES["Short"]
def torch_int32(): return DTYPES["Int"]
def torch_int64(): return DTYPES["Long"]
def torch_bool(): return DTYPES["Bool"]
def torch_complex64(): return DTYPES["ComplexFloat"]
def torch_complex128(): return DTYPES["ComplexDouble"]


torch_float = torch_float32
torch_double = torch_float64
torch_half = torch_float16
torch_short = torch_int16
torch_int = torch_int32
torch_long = torch_int64


def torch_bfloat16(): return DTYPES["BFloat16"]
def torch_float8_e4m3fn(): return DTYPES["Float8_e4m3fn"]
def torch_float8_e5m2(): return DTYPES["Float8_e5m2"]
def torch_chalf(): return DTYPES["ComplexHalf"]
def torch_quint8(): return DTYPES["QUInt8"]
def torch_qint8(): return DTYPES["QInt8"]
def torch_qint32(): return DTYPES["QInt32"]


# R torch names the complex types by their total bits: cfloat32 is ComplexHalf, cfloat64 ComplexFloat
torch_cfloat = torch_cfloat64 = torch_complex64
torch_cdouble = torch_cfloat128 = torch_complex128
torch_cfloat32 = torch_chalf


def is_torch_dtype(x):
    """R torch's `is_torch_dtype()`."""
    return isinstance(x, torch_dtype)


# R torch accepts dtype names as strings in some places (`dtype = "float"`)
_ALIASES = {
    "float": "Float", "float32": "Float", "double": "Double", "float64": "Double",
    "half": "Half", "float16": "Half", "uint8": "Byte", "int8": "Char",
    "short": "Short", "int16": "Short", "int": "Int", "int32": "Int",
    "long": "Long", "int64": "Long", "bool": "Bool",
    "cfloat": "ComplexFloat", "complex64": "ComplexFloat",
    "cdouble": "ComplexDouble", "complex128": "ComplexDouble", "bfloat16": "BFloat16", "chalf": "ComplexHalf",
    "float8_e4m3fn": "Float8_e4m3fn", "float8_e5m2": "Float8_e5m2",
    "quint8": "QUInt8", "qint8": "QInt8", "qint32": "QInt32",
}


def as_dtype(x):
    """Resolve a dtype argument: a torch_dtype, a name (`"float"`, `"torch_long"`) or a NumPy dtype. A dtype
    that no rtorch tensor can hold (ComplexHalf, the quantized types) raises here."""
    if isinstance(x, torch_dtype):
        if x.numpy is None:
            raise RuntimeError(_NO_ARRAY[x.name])
        return x
    if isinstance(x, str):
        key = x.removeprefix("torch_")
        name = _ALIASES.get(key.lower(), key if key in DTYPES else None)
        if name is None:
            raise ValueError(f"unknown dtype {x!r}; use one of torch_float(), torch_double(), torch_long(), "
                             f"torch_int(), torch_bool(), ...")
        return as_dtype(DTYPES[name])
    try:
        return BY_NUMPY[np.dtype(x)]
    except (TypeError, KeyError):
        raise TypeError(f"dtype must be a torch_dtype such as torch_float(), not {x!r}") from None


_SATURATING = {"Float8_e4m3fn": 448.0}  # its largest finite value; it has no Inf


def cast_array(arr, d):
    """`arr.astype(d.numpy)` as libtorch converts: into Float8_e4m3fn, beyond +-448 (Inf included)
    saturates to +-448, where ml_dtypes gives NaN; a float32 NaN becomes BFloat16's 0xFFFF (libtorch's
    vectorised conversion: it prints `-nan`), where ml_dtypes gives 0x7FC0."""
    limit = _SATURATING.get(d.name)
    if limit is not None and arr.dtype.kind not in "bc" and arr.dtype != d.numpy:
        arr = np.clip(arr.astype(np.float64 if arr.dtype.itemsize == 8 else np.float32), -limit, limit)
    out = arr.astype(d.numpy)
    if d.name == "BFloat16" and arr.dtype == np.float32 and isinstance(out, np.ndarray):
        nan = np.isnan(arr)
        if nan.any():
            out.view(np.uint16)[nan] = 0xFFFF
    return out


def from_numpy_dtype(np_dtype):
    try:
        return BY_NUMPY[np_dtype]
    except KeyError:
        raise TypeError(f"NumPy dtype {np_dtype} has no torch dtype") from None


def promote_types(a, b):
    """libtorch's promoteTypes: the higher category wins; within a category the wider type
    (uint8 with int8 gives int16; a float with a complex gives the complex of the wider; BFloat16 with Half
    gives Float); a Float8 type promotes with nothing but itself."""
    if a is b:
        return a
    if a in FLOAT8 or b in FLOAT8:
        raise RuntimeError(f"Promotion for Float8 Types is not supported, attempted to promote {a.name} and {b.name}")
    if a in REDUCED_FLOATS and b in REDUCED_FLOATS:
        return DTYPES["Float"]
    if a.category != b.category:
        hi, lo = (a, b) if a.category > b.category else (b, a)
        if hi.category == _COMPLEX and lo.category == _FLOAT and lo.rank > hi.rank:
            return DTYPES["ComplexDouble"]
        return hi
    if {a.name, b.name} == {"Byte", "Char"}:
        return DTYPES["Short"]
    return a if a.rank >= b.rank else b


_COMPLEX_OF = {1: "ComplexFloat", 2: "ComplexFloat", 3: "ComplexDouble"}


def _combine(higher, lower):
    """libtorch's combine_categories: `higher` is the result of the stronger tier."""
    if higher is None or lower is None:
        return lower if higher is None else higher
    if higher.category == _COMPLEX:
        return higher
    if lower.category == _COMPLEX:
        return DTYPES[_COMPLEX_OF[higher.rank]] if higher.category == _FLOAT else lower
    if higher.category == _FLOAT:
        return higher
    if higher.category == _BOOL or lower.category == _FLOAT:
        return promote_types(higher, lower)
    return higher


def _promote_all(dtypes):
    out = None
    for d in dtypes:
        out = d if out is None else promote_types(out, d)
    return out


def result_type(dim_dtypes, zero_dim_dtypes, wrapped_dtypes=()):
    """libtorch's result_type over operands in three tiers: tensors with dimensions, 0-d tensors, and
    wrapped scalars (R scalars, Python numbers). A lower tier only matters when its category is higher."""
    return _combine(_promote_all(dim_dtypes),
                    _combine(_promote_all(zero_dim_dtypes), _promote_all(wrapped_dtypes)))


_DEFAULT_DTYPE = [DTYPES["Float"]]


def torch_get_default_dtype():
    """The dtype creation functions give floating tensors when no `dtype` is passed (Float at start)."""
    return _DEFAULT_DTYPE[0]


def torch_set_default_dtype(d):
    """R torch's `torch_set_default_dtype(torch_float64())`: Half, Float or Double, as libtorch allows. In
    rtorch it applies to the creation functions (`torch_zeros`, `torch_randn`, `torch_arange`, ...);
    type promotion of R numbers keeps Float."""
    d = as_dtype(d)
    if d.category != _FLOAT:
        raise TypeError("only floating-point types are supported as the default type")
    _DEFAULT_DTYPE[0] = d
