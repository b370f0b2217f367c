"""R's formatting of atomic values: the width/digits choice and the encoding of one element.

This follows R's ``formatReal``/``scientific`` (format.c) and the ``Encode*`` helpers
(printutils.c): a double vector is shown with the fewest significant digits (at most
``digits``, 7 by default) that show every element to ``digits`` significant digits, in
fixed notation unless scientific notation is narrower (the ``scipen`` rule).  R computes
the significant digits in x87 long double; NumPy's ``longdouble`` is that same type on
x86-64 Linux, so the results agree with R there.
"""
import math
import struct
import unicodedata

import numpy as np

NA_REAL_BITS = 0x7FF00000000007A2
NA_real_ = struct.unpack("<d", struct.pack("<Q", NA_REAL_BITS))[0]

PRINT_WIDTH = 80
PRINT_GAP = 1
NA_WIDTH = 2
MAX_PRINT = 99999
DEFAULT_DIGITS = 7
R_MAX_DIGITS = 22

_KP_MAX = 27


def _powers_of_ten():
    out = [np.longdouble(1)]
    for _ in range(_KP_MAX):
        out.append(out[-1] * np.longdouble(10))
    return np.array(out, dtype=np.longdouble)


_POW10_LD = _powers_of_ten()
_POW10_D = np.array([10.0 ** k for k in range(_KP_MAX + 1)])


def is_na_real(x):
    """Elementwise R ``is.na`` for doubles that are R's NA (NaN with the 1954 payload)."""
    x = np.asarray(x, dtype=np.float64)
    return np.isnan(x) & ((x.view(np.uint64) & np.uint64(0xFFFFFFFF)) == np.uint64(1954))


def check_digits(digits):
    if digits is None:
        return DEFAULT_DIGITS
    if isinstance(digits, bool) or not isinstance(digits, (int, np.integer)):
        raise TypeError(f"digits must be an integer between 1 and {R_MAX_DIGITS}, got {digits!r}")
    if not 1 <= digits <= R_MAX_DIGITS:
        raise ValueError(f"digits must be between 1 and {R_MAX_DIGITS}, got {digits}")
    return int(digits)


def _scientific_sprintf(r, digits):
    kpower = np.empty(r.shape, dtype=np.int64)
    nsig = np.empty(r.shape, dtype=np.int64)
    for i, v in enumerate(r.tolist()):
        text = "%#.*e" % (digits - 1, v)
        kpower[i] = int(text[digits + 2:])
        mantissa = text[: digits + 1]
        k = digits
        while k >= 2 and mantissa[k] == "0":
            k -= 1
        nsig[i] = k
    return kpower, nsig, np.zeros(r.shape, dtype=bool)


def _scientific(r, digits):
    """kpower, nsig, roundingwidens for finite, positive doubles ``r`` (R's scientific())."""
    if digits >= 16:
        return _scientific_sprintf(r, digits)
    kp = np.array([math.floor(math.log10(v)) for v in r.tolist()], dtype=np.int64)
    kp = kp - digits + 1
    r_ld = r.astype(np.longdouble)
    r_prec = r_ld.copy()
    in_table = np.abs(kp) <= _KP_MAX
    down = in_table & (kp > 0)
    up = in_table & (kp < 0)
    r_prec[down] /= _POW10_LD[kp[down]]
    r_prec[up] *= _POW10_LD[-kp[up]]
    far = ~in_table
    if far.any():
        r_prec[far] /= np.power(np.longdouble(10), kp[far].astype(np.longdouble))
    low = r_prec < _POW10_LD[digits - 1]
    r_prec[low] *= np.longdouble(10)
    kp[low] -= 1
    alpha = np.rint(r_prec).astype(np.float64)
    nsig = np.full(r.shape, digits, dtype=np.int64)
    trailing = np.ones(r.shape, dtype=bool)
    for _ in range(digits):
        alpha = alpha / 10.0
        trailing &= alpha == np.floor(alpha)
        nsig -= trailing
    gone = nsig == 0
    nsig[gone] = 1
    kp[gone] += 1
    kpower = kp + digits - 1
    rgt = np.clip(digits - kpower, 0, _KP_MAX)
    fuzz = (0.5 / _POW10_D[rgt]).astype(np.longdouble)
    widens = (kpower > 0) & (kpower <= _KP_MAX)
    bound = _POW10_LD[np.clip(kpower, 0, _KP_MAX)] - fuzz
    widens &= r_ld < bound
    return kpower, nsig, widens


def format_real_columns(x, digits=DEFAULT_DIGITS, nsmall=0, scipen=0):
    """R's formatReal for each row of the 2-d array ``x`` (one group per row): arrays w, d, e."""
    x = np.asarray(x, dtype=np.float64)
    groups, n = x.shape
    flat = x.ravel()
    finite = np.isfinite(flat)
    nan = np.isnan(flat)
    na = np.zeros(flat.shape, dtype=bool)
    if nan.any():
        na[nan] = is_na_real(flat[nan])
    kpower = np.zeros(flat.shape, dtype=np.int64)
    nsig = np.ones(flat.shape, dtype=np.int64)
    widens = np.zeros(flat.shape, dtype=bool)
    nonzero = finite & (flat != 0)
    if nonzero.any():
        kpower[nonzero], nsig[nonzero], widens[nonzero] = _scientific(np.abs(flat[nonzero]), digits)
    neg_i = nonzero & (flat < 0)
    left = kpower + 1 - widens
    sleft = neg_i + np.where(left <= 0, 1, left)
    right = nsig - left

    def reduce(a, fn, initial):
        return fn(a.reshape(groups, n), axis=1, where=finite.reshape(groups, n), initial=initial)

    low, high = np.iinfo(np.int64).min // 4, np.iinfo(np.int64).max // 4
    any_finite = finite.reshape(groups, n).any(axis=1)
    neg = (neg_i.reshape(groups, n)).any(axis=1).astype(np.int64)
    rgt = reduce(right, np.max, low)
    mxl = reduce(left, np.max, low)
    mnl = reduce(left, np.min, high)
    mxsl = reduce(sleft, np.max, low)
    mxns = reduce(nsig, np.max, low)
    mxsl = np.where(mxl < 0, 1 + neg, mxsl)
    rgt = np.maximum(rgt, 0)
    w_fixed = mxsl + rgt + (rgt != 0)
    e = np.where((mxl > 100) | (mnl <= -99), 2, 1)
    d = mxns - 1
    w = neg + (d > 0) + d + 4 + e
    fixed = w_fixed <= w + scipen
    rgt = np.where(fixed & (nsmall > rgt), nsmall, rgt)
    w_fixed = mxsl + rgt + (rgt != 0)
    e = np.where(fixed, 0, e)
    d = np.where(fixed, rgt, d)
    w = np.where(fixed, w_fixed, w)
    w, d, e = (np.where(any_finite, a, 0) for a in (w, d, e))
    by_group = lambda m: m.reshape(groups, n).any(axis=1)
    w = np.where(by_group(na), np.maximum(w, NA_WIDTH), w)
    w = np.where(by_group(nan & ~na) | by_group(flat == np.inf), np.maximum(w, 3), w)
    w = np.where(by_group(flat == -np.inf), np.maximum(w, 4), w)
    return w, d, e


def format_real(x, digits=DEFAULT_DIGITS, nsmall=0, scipen=0):
    """R's formatReal: common (width, decimals, exponent flag) for a double vector."""
    x = np.asarray(x, dtype=np.float64).reshape(1, -1)
    w, d, e = format_real_columns(x, digits, nsmall, scipen)
    return int(w[0]), int(d[0]), int(e[0])


def encode_real(v, w, d, e):
    """R's EncodeReal0 for one double: right-justified in width ``w``."""
    if math.isnan(v):
        text = "NA" if is_na_real(v) else "NaN"
    elif math.isinf(v):
        text = "Inf" if v > 0 else "-Inf"
    else:
        if v == 0:
            v = 0.0
        if e:
            return ("%#*.*e" if d else "%*.*e") % (w, d, v)
        return "%*.*f" % (w, d, v)
    return text.rjust(w)


def encode_reals(x, w, d, e):
    return [encode_real(v, w, d, e) for v in np.asarray(x, dtype=np.float64).ravel().tolist()]


def format_number(v, digits=DEFAULT_DIGITS):
    """One double as R's cat() writes it: its own formatReal at ``digits`` (7) digits."""
    w, d, e = format_real(np.array([v], dtype=np.float64), digits)
    return encode_real(float(v), w, d, e)


def real_to_character(v):
    """as.character() of one double: 15 significant digits, trailing zeros dropped."""
    text = format_number(v, 15)
    if math.isnan(v) or math.isinf(v):
        return text
    if "e" in text:
        mantissa, exponent = text.split("e")
        if "." in mantissa:
            mantissa = mantissa.rstrip("0").rstrip(".")
        return mantissa + "e" + exponent
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def index_width(n):
    """R's IndexWidth: digits needed to print the index ``n``."""
    return int(math.log10(n + 0.5) + 1)


def format_integer(values, na=None):
    """R's formatInteger: field width of an integer vector (NA counts as width 2)."""
    values = np.asarray(values).ravel()
    w = NA_WIDTH if na is not None and na.any() else 1
    ok = values if na is None else values[~na]
    if ok.size:
        lo, hi = int(ok.min()), int(ok.max())
        if lo < 0:
            w = max(w, index_width(-lo) + 1)
        if hi > 0:
            w = max(w, index_width(hi))
    return w


def encode_integers(values, na, w):
    na_list = [False] * values.size if na is None else na.ravel().tolist()
    return [("NA" if m else str(v)).rjust(w) for v, m in zip(values.ravel().tolist(), na_list)]


def format_logical(values, na=None):
    """R's formatLogical: 5 if any FALSE, else 4 if any TRUE, at least 2 for NA."""
    values = np.asarray(values, dtype=bool).ravel()
    ok = values if na is None else values[~na]
    w = 1
    if na is not None and na.any():
        w = NA_WIDTH
    if ok.size and ok.all():
        w = max(w, 4)
    elif ok.size:
        w = 5
    return w


def encode_logicals(values, na, w):
    na_list = [False] * values.size if na is None else na.ravel().tolist()
    return [("NA" if m else ("TRUE" if v else "FALSE")).rjust(w)
            for v, m in zip(values.ravel().tolist(), na_list)]


RAW_WIDTH = 2


def encode_raws(values, w=RAW_WIDTH):
    """R's EncodeRaw: each byte as two lowercase hex digits, right-justified in width ``w``."""
    return [("%02x" % v).rjust(w) for v in np.asarray(values).ravel().tolist()]


_ESCAPES = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r",
            "\t": "\\t", "\v": "\\v", "\\": "\\\\", '"': '\\"', "\0": "\\0"}


def _char_width(ch):
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def escape_string(s):
    """A string as print() shows it in quotes, and its display width (R's EncodeString/Rstrlen)."""
    parts = ['"']
    width = 2
    for ch in s:
        if ch in _ESCAPES:
            piece, cw = _ESCAPES[ch], 2
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            piece = "\\%03o" % ord(ch)
            cw = 4
        elif ord(ch) < 0x80:
            piece, cw = ch, 1
        elif unicodedata.category(ch) in ("Cc", "Co", "Cn", "Cs", "Zl", "Zp"):
            piece = "\\u%04x" % ord(ch) if ord(ch) <= 0xFFFF else "\\U%08x" % ord(ch)
            cw = len(piece)
        else:
            piece, cw = ch, _char_width(ch)
        parts.append(piece)
        width += cw
    parts.append('"')
    return "".join(parts), width


def display_width(s):
    """R's Rstrlen(s, quote = 0): control characters count as their escapes (\\n is 2)."""
    total = 0
    for ch in s:
        if ch in ("\\", '"') or 0x20 <= ord(ch) < 0x7F:
            total += 1
        elif ch in _ESCAPES:
            total += 2
        elif ord(ch) < 0x80:
            total += 4
        else:
            total += escape_string(ch)[1] - 2
    return total
