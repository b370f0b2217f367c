"""R's `serialize()` format (XDR, version 3), for the plain R values R torch keeps in a file's `__robj__`
when it saves a list: lists (named ones are dicts; in a partly named list the unnamed elements are keyed
by their 1-based position, an int), atomic vectors, NULL, and the tensor placeholders
(character strings of class "torch_tensor_address"). Closures and environments (a saved module's R6
object) are never read: `read_robj` raises on any type outside this table, and nothing is evaluated."""
import struct

import numpy as np

_NIL, _SYM, _LIST, _CHAR, _LGL, _INT, _REAL, _STR, _VEC = 254, 1, 2, 9, 10, 13, 14, 16, 19
_REF = 255
_IS_OBJECT, _HAS_ATTR, _HAS_TAG = 1 << 8, 1 << 9, 1 << 10
_UTF8, _ASCII = 1 << 3, 1 << 6
_NA_INT = -2147483648
_R_VERSION = (4 << 16) | (2 << 8) | 2     # written as the R that wrote it; readers check the minimum only
_MIN_VERSION = (3 << 16) | (5 << 8)


class TensorAddress(str):
    """A tensor placeholder in a saved list (R: a string of class "torch_tensor_address")."""


# ---- writing ----------------------------------------------------------------------------------------

class _Writer:
    def __init__(self):
        self.out = bytearray(b"X\n" + struct.pack(">iii", 3, _R_VERSION, _MIN_VERSION))
        self.out += struct.pack(">i", 5) + b"UTF-8"
        self.symbols = {}

    def int(self, *v):
        self.out += struct.pack(f">{len(v)}i", *v)

    def charsxp(self, s):
        if s is None:
            self.int(_CHAR, -1)
            return
        b = s.encode("utf-8")
        self.int(_CHAR | ((_ASCII if b.isascii() else _UTF8) << 12), len(b))
        self.out += b

    def symbol(self, name):
        if name in self.symbols:
            self.int((self.symbols[name] << 8) | _REF)
            return
        self.symbols[name] = len(self.symbols) + 1
        self.int(_SYM)
        self.charsxp(name)

    def attributes(self, attrs):
        for name, value in attrs:
            self.int(_LIST | _HAS_TAG)
            self.symbol(name)
            if isinstance(value, list):          # names, class: character vectors
                self.strings(value)
            else:
                self._atomic(value)
        self.int(_NIL)

    def header(self, sxp, attrs):
        self.int(sxp | (_HAS_ATTR if attrs else 0) | (_IS_OBJECT if any(n == "class" for n, _ in attrs) else 0))

    def strings(self, items, attrs=()):
        self.header(_STR, attrs)
        self.int(len(items))
        for s in items:
            self.charsxp(s)
        if attrs:
            self.attributes(attrs)

    def value(self, x):
        """A Python value as R's: None NULL, a dict a named list, a list/tuple a list, a str a string,
        Python numbers R doubles (rtorch's convention), NumPy values by their R type."""
        if x is None:
            self.int(_NIL)
        elif isinstance(x, TensorAddress):
            self.strings([str(x)], [("class", ["torch_tensor_address"])])
        elif isinstance(x, dict):
            # int keys are positions of unnamed elements (R's partly named lists: list(t, a = u))
            self._vector(list(x.values()), [("names", ["" if isinstance(k, int) else str(k) for k in x])])
        elif isinstance(x, (list, tuple)):
            self._vector(list(x), [])
        elif isinstance(x, str):
            self.strings([x])
        else:
            self._atomic(x)

    def _vector(self, items, attrs):
        self.header(_VEC, attrs)
        self.int(len(items))
        for v in items:
            self.value(v)
        if attrs:
            self.attributes(attrs)

    def _atomic(self, x):
        a = np.asarray(x)
        flat = a.reshape(-1, order="F")
        attrs = [("dim", np.asarray(a.shape, np.int32))] if a.ndim >= 2 else []
        if a.dtype.kind == "U":
            return self.strings([str(v) for v in flat], attrs)
        if a.dtype.kind == "b":
            sxp, data = _LGL, flat.astype(">i4").tobytes()
        elif a.dtype.kind in "iu" and not isinstance(x, int):
            sxp, data = _INT, flat.astype(">i4").tobytes()
        elif a.dtype.kind in "iuf":
            sxp, data = _REAL, flat.astype(">f8").tobytes()
        else:
            raise TypeError(f"torch_save: cannot save a value of type '{type(x).__name__}' in a list")
        self.header(sxp, attrs)
        self.int(a.size)
        self.out += data
        if attrs:
            self.attributes(attrs)


def write_robj(x):
    """`serialize(x, NULL)` of a plain R value, as bytes."""
    w = _Writer()
    w.value(x)
    return bytes(w.out)


# ---- reading ----------------------------------------------------------------------------------------

class _Reader:
    def __init__(self, buf):
        self.buf = memoryview(buf)
        self.pos = 0
        self.symbols = []

    def take(self, n):
        if self.pos + n > len(self.buf):
            raise ValueError("the R object in the file is truncated")
        b = self.buf[self.pos:self.pos + n]
        self.pos += n
        return b

    def int(self):
        return struct.unpack(">i", self.take(4))[0]

    def header(self):
        if bytes(self.take(2)) != b"X\n":
            raise ValueError("the R object in the file is not in R's XDR serialization format")
        version = self.int()
        self.int(), self.int()
        if version == 3:
            self.take(self.int())
        elif version != 2:
            raise ValueError(f"unsupported R serialization version {version}")

    def charsxp(self, flags):
        n = self.int()
        return None if n == -1 else bytes(self.take(n)).decode("utf-8" if not (flags >> 12) & 4 else "latin-1")

    def item(self):
        flags = self.int()
        sxp = flags & 0xFF
        if sxp == _NIL:
            return None
        if sxp == _REF:
            return self.symbols[(flags >> 8) - 1]
        if sxp == _SYM:
            name = self.charsxp(self.int())
            self.symbols.append(name)
            return name
        if sxp == _CHAR:
            return self.charsxp(flags)
        if sxp in (_LGL, _INT, _REAL, _STR, _VEC):
            n = self.int()
            if sxp == _VEC:
                value = [self.item() for _ in range(n)]
            elif sxp == _STR:
                value = [self.charsxp(self.int()) for _ in range(n)]
            elif sxp == _REAL:
                value = np.frombuffer(self.take(8 * n), ">f8").astype(np.float64)
            else:
                raw = np.frombuffer(self.take(4 * n), ">i4").astype(np.int32)
                value = raw if sxp == _INT else _logical(raw)
            attrs = self.attributes() if flags & _HAS_ATTR else {}
            return _finish(sxp, value, attrs)
        raise ValueError(f"the R object in the file holds an R value of SEXP type {sxp}, which rtorch does not "
                         "read (R closures and environments are never loaded)")

    def attributes(self):
        attrs = {}
        while True:
            flags = self.int()
            if flags & 0xFF == _NIL:
                return attrs
            if flags & 0xFF != _LIST:
                raise ValueError("malformed attribute list in the R object")
            if flags & _HAS_ATTR:
                self.attributes()
            tag = self.item() if flags & _HAS_TAG else None
            attrs[tag] = self.item()


def _logical(raw):
    if np.any(raw == _NA_INT):
        raise ValueError("NA in a logical vector of a saved list cannot be represented")
    return raw.astype(bool)


def _finish(sxp, value, attrs):
    cls = attrs.get("class")
    if sxp == _STR and cls is not None and "torch_tensor_address" in cls:
        return TensorAddress(value[0])
    if sxp == _VEC:
        names = attrs.get("names")
        if names is None or not any(str(n) for n in names):
            return value
        # a partly named list: unnamed elements keyed by their 1-based position
        return {(str(n) if str(n) else i): v for i, (n, v) in enumerate(zip(names, value), start=1)}
    if sxp == _STR:
        value = np.array(value)
    dim = attrs.get("dim")
    if dim is not None:
        value = np.asarray(value).reshape(tuple(int(d) for d in dim), order="F")
    return value


def read_robj(buf):
    """`unserialize()` of a plain R value written by R (lists, atomic vectors, NULL, tensor addresses)."""
    r = _Reader(buf)
    r.header()
    return r.item()
