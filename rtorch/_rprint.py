"""``rprint`` (R's ``print`` of atomic vectors, matrices and arrays) and R's ``cat``.

Output is byte-for-byte what R 4.2 prints with default options (``digits = 7``,
``width = 80``, ``scipen = 0``, ``max.print = 99999``).

Python scalars and lists given to ``rprint``/``cat`` are read as R reads the values they
usually hold: ``bool`` -> logical, ``int`` -> integer (e.g. ``length(x)``, a loop counter;
an int outside R's integer range is a double), ``float`` -> double, ``str`` -> character,
``NA`` -> NA.  Unlike ``c()`` this differs from R for an integer-valued *double* literal
whose scientific form is shorter: R prints ``print(100000)`` as ``1e+05``; pass ``1e5``
(a float) to get that.  NumPy masked arrays print masked elements as NA; uint8 arrays (``as_array()``
of a Byte tensor) are R raw vectors, printed as two hex digits (``[1] 01 ff``).
"""
import io
import sys

import numpy as np

from . import _rformat as F
from ._rvector import CHARACTER, DOUBLE, INTEGER, LOGICAL, NA, RAW, NamedList, _to_rvec

__all__ = ["rprint", "cat", "format_r_number"]

_EMPTY_NAME = {RAW: "raw(0)", LOGICAL: "logical(0)", INTEGER: "integer(0)", DOUBLE: "numeric(0)",
               CHARACTER: "character(0)"}
_TYPE_NAME = {RAW: "raw", LOGICAL: "logical", INTEGER: "integer", DOUBLE: "double", CHARACTER: "character"}


def _to_printable(x):
    try:
        return _to_rvec(x, int_type=DOUBLE, allow_masked=True)
    except TypeError:
        return NotImplemented


def _cells(v, digits, shown=None):
    """The first ``shown`` elements encoded with the format common to all of ``v``, the
    field width, and whether they left-justify."""
    na = v.na_mask()
    head = slice(0, shown)
    if v.type == DOUBLE:
        w, d, e = F.format_real(v.values, digits)
        return F.encode_reals(v.values[head], w, d, e), w, False
    if v.type == INTEGER:
        w = F.format_integer(v.values, na)
        return F.encode_integers(v.values[head], na[head], w), w, False
    if v.type == LOGICAL:
        w = F.format_logical(v.values, na)
        return F.encode_logicals(v.values[head], na[head], w), w, False
    if v.type == RAW:
        return F.encode_raws(v.values[head]), F.RAW_WIDTH, False
    cells, widths = [], []
    for s, missing in zip(v.values.tolist(), na.tolist()):
        text, width = ("NA", F.NA_WIDTH) if missing else F.escape_string(s)
        cells.append(text)
        widths.append(width)
    w = max(widths, default=0)
    return [c + " " * (w - cw) for c, cw in zip(cells[head], widths[head])], w, True


def _vector_text(v, digits):
    n = len(v)
    if n == 0:
        return _EMPTY_NAME[v.type] + "\n"
    n_pr = n if n <= F.MAX_PRINT + 1 else F.MAX_PRINT
    shown = v if n_pr == n else _slice(v, 0, n_pr)
    cells, w, left = _cells(shown, digits)
    labwidth = F.index_width(n_pr) + 2
    out = []
    width = labwidth
    out.append(_vector_index(1, labwidth))
    total = w + F.PRINT_GAP
    for i, cell in enumerate(cells):
        if i > 0 and width + total > F.PRINT_WIDTH:
            out.append("\n")
            out.append(_vector_index(i + 1, labwidth))
            width = labwidth
        out.append(" " * F.PRINT_GAP + (cell if left else cell.rjust(w)))
        width += total
    out.append("\n")
    if n_pr < n:
        out.append(f' [ reached getOption("max.print") -- omitted {n - n_pr} entries ]\n')
    return "".join(out)


def _vector_index(i, labwidth):
    return " " * (labwidth - F.index_width(i) - 2) + f"[{i}]"


def _slice(v, start, stop):
    from ._rvector import _RVec
    return _RVec(v.type, v.values[start:stop], None if v.na is None else v.na[start:stop])


class _Columns:
    """Column formats of the first ``ncol`` columns (``nrow`` values each, column-major) of v,
    computed together; cells are encoded on demand for the rows that are shown."""

    def __init__(self, v, nrow, ncol, digits):
        self.nrow, self.type = nrow, v.type
        values = v.values[: nrow * ncol]
        na = v.na_mask()[: nrow * ncol]
        self.values, self.na = values.reshape(ncol, nrow), na.reshape(ncol, nrow)
        if v.type == DOUBLE:
            self.w, self.d, self.e = F.format_real_columns(self.values, digits)
        elif v.type == CHARACTER:
            escaped = [F.escape_string(t) if not m else ("NA", F.NA_WIDTH)
                       for t, m in zip(values.tolist(), na.tolist())]
            self.text = [t for t, _ in escaped]
            widths = np.array([cw for _, cw in escaped], dtype=np.int64).reshape(ncol, nrow)
            self.cw = widths
            self.w = widths.max(axis=1, initial=0)
        elif v.type == RAW:
            self.w = np.full(ncol, F.RAW_WIDTH)
        else:
            if v.type == INTEGER:
                widths = np.char.str_len(values.astype(np.int64).astype(str)) if values.size else \
                    np.zeros(0, dtype=np.int64)
            else:
                widths = np.where(values, 4, 5)
            widths = np.where(na, F.NA_WIDTH, widths).reshape(ncol, nrow)
            self.w = widths.max(axis=1, initial=1)

    def cells(self, j, rows):
        """Encoded cells of column j (first ``rows`` rows) and the column's field width."""
        w = int(self.w[j])
        vals, na = self.values[j, :rows], self.na[j, :rows]
        if self.type == DOUBLE:
            return F.encode_reals(vals, w, int(self.d[j]), int(self.e[j])), w
        if self.type == INTEGER:
            return F.encode_integers(vals, na, w), w
        if self.type == LOGICAL:
            return F.encode_logicals(vals, na, w), w
        if self.type == RAW:
            return F.encode_raws(vals, w), w
        base = j * self.nrow
        return [self.text[base + i] + " " * (w - int(self.cw[j, i])) for i in range(min(rows, self.nrow))], w


def _matrix_text(columns, first, nrow, ncol, print_ij=True, rows_shown=None):
    """R's print<Type>Matrix for columns ``first`` .. ``first + ncol - 1`` of ``columns``."""
    r_pr = nrow if rows_shown is None else rows_shown
    rlabw = F.index_width(nrow + 1) + 3
    left = columns.type == CHARACTER
    cells, widths, cell_widths = [], [], []
    for j in range(ncol):
        col, w = columns.cells(first + j, r_pr) if print_ij else ([], 0)
        cells.append(col)
        cell_widths.append(w)
        widths.append(max(w, F.index_width(j + 1) + 3) + (0 if left else F.PRINT_GAP))
    extra = F.PRINT_GAP if left else 0
    out = []
    if ncol == 0:
        out.append(" " * rlabw)
        for i in range(r_pr):
            out.append("\n" + _row_label(i, rlabw))
        out.append("\n")
        return "".join(out)
    jmin = 0
    while jmin < ncol:
        width = rlabw
        jmax = jmin
        while True:
            width += widths[jmax] + extra
            jmax += 1
            if not (jmax < ncol and width + widths[jmax] + extra < F.PRINT_WIDTH):
                break
        out.append(" " * rlabw)
        for j in range(jmin, jmax):
            label = f"[,{j + 1}]"
            out.append(" " * F.PRINT_GAP + label.ljust(widths[j]) if left else label.rjust(widths[j]))
        for i in range(r_pr):
            out.append("\n" + _row_label(i, rlabw))
            if print_ij:
                for j in range(jmin, jmax):
                    cell = cells[j][i]
                    out.append(" " * F.PRINT_GAP + cell + " " * (widths[j] - cell_widths[j]) if left
                               else cell.rjust(widths[j]))
        out.append("\n")
        jmin = jmax
    return "".join(out)


def _row_label(i, rlabw):
    return " " * (rlabw - 3 - F.index_width(i + 1)) + f"[{i + 1},]"


def _matrix_print(v, digits):
    nrow, ncol = v.dim
    if nrow == 0 and ncol == 0:
        return "<0 x 0 matrix>\n"
    r_pr = nrow
    if ncol > 0 and F.MAX_PRINT // ncol < nrow:
        r_pr = F.MAX_PRINT // ncol
    text = _matrix_text(_Columns(v, nrow, ncol, digits), 0, nrow, ncol, rows_shown=r_pr)
    if r_pr < nrow:
        omitted = nrow - r_pr
        text += f' [ reached getOption("max.print") -- omitted {omitted} row{"s" if omitted != 1 else ""} ]\n'
    return text


def _array_print(v, digits):
    dims = v.dim
    nr, nc = dims[0], dims[1]
    b = nr * nc
    nb = 1
    for d in dims[2:]:
        nb *= d
    max_reached = b > 0 and F.MAX_PRINT // b < nb
    if max_reached:
        nb_pr = -(-F.MAX_PRINT // b)
        nr_last = (F.MAX_PRINT - b * (nb_pr - 1)) // nc
        if nr_last == 0:
            nb_pr -= 1
            nr_last = nr
    else:
        nb_pr = nb if nb > 0 else 1
        nr_last = nr
    out = []
    columns = _Columns(v, nr, nc * nb_pr if nb > 0 else 0, digits)
    for i in range(nb_pr):
        do_ij = nb > 0
        use_nr = nr_last if i == nb_pr - 1 else nr
        if do_ij:
            k = 1
            idx = []
            for d in dims[2:]:
                idx.append(str((i // k) % d + 1))
                k *= d
            out.append(", , " + ", ".join(idx) + "\n\n")
        else:
            out.append("<" + " x ".join(str(d) for d in dims) + f" array of {_TYPE_NAME[v.type]}>\n")
        out.append(_matrix_text(columns, i * nc, nr, nc, print_ij=do_ij, rows_shown=use_nr))
        out.append("\n")
    if max_reached and nb_pr < nb:
        text = ' [ reached getOption("max.print") -- omitted'
        if nr_last < nr:
            text += f" {nr - nr_last} row(s) and"
        out.append(text + f" {nb - nb_pr} matrix slice(s) ]\n")
    return "".join(out)


_RESERVED = {"if", "else", "repeat", "while", "function", "for", "next", "break", "TRUE", "FALSE", "NULL",
             "Inf", "NaN", "NA", "NA_integer_", "NA_real_", "NA_character_", "in"}


def _tag(name):
    """R's tag of a named list element: `$name`, the name in backquotes when it is not syntactic."""
    head = name[:1]
    syntactic = (name and all(c.isalnum() or c in "._" for c in name) and (head.isalpha() or head == ".")
                 and not (head == "." and name[1:2].isdigit()) and name not in _RESERVED)
    return "$" + (name if syntactic else f"`{name}`")


_SCALARS = (bool, int, float, str, complex, np.generic, type(NA))


def _is_r_list(x):
    """A dict is a named R list; a list or tuple holding anything but scalars (tensors, lists, NULL) is an
    unnamed one (a list of scalars is an atomic vector, as `c()` reads it)."""
    if isinstance(x, (dict, NamedList)):
        return True
    return isinstance(x, (list, tuple)) and any(
        e is None or not isinstance(e, _SCALARS) for e in x)


def _list_text(x, digits, prefix=""):
    """R's print of a list: each element under its tag, then a blank line (`print.default` of a list)."""
    items = list(x.items()) if isinstance(x, (dict, NamedList)) else [(None, e) for e in x]
    if not items:
        return ("named list()" if isinstance(x, dict) else "list()") + "\n"
    out = []
    for i, (name, e) in enumerate(items, 1):
        tag = prefix + (_tag(str(name)) if name not in (None, "") else f"[[{i}]]")
        out.append(tag + "\n")
        if _is_r_list(e) or (isinstance(e, (list, tuple)) and not e):
            out.append(_list_text(e, digits, tag))
        else:
            text = format_r(e, digits)
            out.append(text if text is not None else str(e) + "\n")
        out.append("\n")
    return "".join(out)


def format_r(x, digits=None):
    """The text ``rprint(x)`` writes, or None when ``x`` is not an R value it knows."""
    digits = F.check_digits(digits)
    if x is None:
        return "NULL\n"
    if _is_r_list(x):
        return _list_text(x, digits)
    if hasattr(x, "_r_print"):
        return x._r_print()
    if type(x) is slice:
        return "<slice>\n"
    if hasattr(x, "_to_r"):
        return None
    v = _to_printable(x)
    if v is NotImplemented:
        return None
    if v.dim is None or len(v.dim) == 1:
        return _vector_text(v, digits)
    if len(v.dim) == 2:
        return _matrix_print(v, digits)
    return _array_print(v, digits)


def rprint(x, digits=None):
    """R's ``print(x)`` for atomic vectors, matrices, arrays, lists (a dict is a named list) and NULL,
    written to stdout.

    ``digits`` is R's ``print(x, digits =)``.  Objects that are not R atomic values
    (tensors, dtypes, ...) are printed with their own ``print()``;
    those with an ``_r_print()`` method (devices) write the text it returns, R torch's print.  Returns None
    (R returns ``x`` invisibly).
    """
    text = format_r(x, digits)
    if text is None:
        print(x)
    else:
        sys.stdout.write(text)


def format_r_number(x, digits=None):
    """One number as R's ``cat()`` writes it: up to ``digits`` (7) significant digits, R's choice
    of fixed or scientific notation (``1/3`` -> ``0.3333333``, ``100000`` as a double ->
    ``1e+05``).  A Python int is an R double, as everywhere in rtorch; R integers are int32 values."""
    digits = F.check_digits(digits)
    v = _to_rvec(x, int_type=DOUBLE)
    if v is None or len(v) != 1 or v.type not in (DOUBLE, INTEGER, LOGICAL):
        raise TypeError(f"format_r_number() needs one number, got {x!r}")
    return _cat_items(v, digits)[0]


def _cat_items(v, digits):
    na = v.na_mask()
    if v.type == DOUBLE:
        return [F.format_number(f, digits) for f in v.values.tolist()]
    if v.type == INTEGER:
        return ["NA" if m else str(i) for i, m in zip(v.values.tolist(), na.tolist())]
    if v.type == LOGICAL:
        return ["NA" if m else ("TRUE" if b else "FALSE") for b, m in zip(v.values.tolist(), na.tolist())]
    if v.type == RAW:
        return F.encode_raws(v.values)
    return ["NA" if m else s for s, m in zip(v.values.tolist(), na.tolist())]


def _cat_strings(x, name, position):
    if x is None:
        return None
    if hasattr(x, "_to_r"):
        raise TypeError(f"argument {position} (type '{type(x).__name__}') cannot be handled by '{name}'")
    try:
        v = _to_rvec(x, int_type=DOUBLE, allow_masked=True)
    except TypeError:
        raise TypeError(f"argument {position} (type '{type(x).__name__}') cannot be handled by '{name}'") from None
    return _cat_items(v, F.DEFAULT_DIGITS)


def _string_list(x, what):
    if isinstance(x, str):
        return [x]
    if isinstance(x, np.ndarray) and x.dtype.kind == "U":
        return [str(s) for s in x.ravel(order="F").tolist()]
    if isinstance(x, (list, tuple)) and all(isinstance(s, str) for s in x):
        return list(x)
    raise TypeError(f"invalid '{what}' specification: need a character vector, got {x!r}")


def cat(*args, file="", sep=" ", fill=False, labels=None, append=False):
    """R's ``cat()``: each number formatted on its own (7 significant digits), strings as is.

    Separators go between elements (``sep`` is recycled when a vector); no newline is added
    unless ``fill`` (``True`` = width 80, or a width) or ``sep`` contains one.  ``file`` is a
    path (``append`` as in R) or an object with ``write``; "" is stdout.  Tensors are refused
    as R refuses environments: pass ``x$item()``/``as_array(x)``.
    """
    seps = _string_list(sep, "sep")
    nlsep = any("\n" in s for s in seps)
    if isinstance(fill, (bool, np.bool_)):
        pwidth = F.PRINT_WIDTH if fill else None
    elif isinstance(fill, (int, float, np.integer, np.floating)):
        pwidth = int(fill)
        if pwidth <= 0:
            import warnings
            warnings.warn("non-positive 'fill' argument will be ignored", stacklevel=2)
            pwidth = None
    else:
        raise TypeError(f"invalid 'fill' argument: {fill!r}")
    labs = None if labels is None else _string_list(labels, "labels")
    if labs is not None and not labs:
        labs = None
    buf = io.StringIO()
    width = 0
    ntot = 0
    nlines = 0

    def sep_at(k):
        return seps[k % len(seps)] if seps else ""

    def newline():
        nonlocal width, nlines
        buf.write("\n")
        width = 0
        if labs is not None:
            lab = labs[nlines % len(labs)]
            buf.write(lab + " ")
            width += F.display_width(lab) + 1
        nlines += 1

    limit = float("inf") if pwidth is None else pwidth
    for iobj, obj in enumerate(args):
        items = _cat_strings(obj, "cat", iobj + 1)
        if iobj != 0 and items is not None:
            buf.write(sep_at(ntot))
            ntot += 1
        if not items:
            continue
        if labs is not None and iobj == 0 and pwidth is not None:
            lab = labs[nlines % len(labs)]
            buf.write(lab + " ")
            width += F.display_width(lab) + 1
            nlines += 1
        p = items[0]
        w = _byte_len(p)
        sepw = F.display_width(sep_at(ntot))
        if iobj > 0 and width + w + sepw > limit:
            newline()
        n = len(items)
        for i in range(n):
            buf.write(p)
            width += w + sepw
            if i < n - 1:
                buf.write(sep_at(ntot))
                p = items[i + 1]
                w = _byte_len(p)
                sepw = F.display_width(sep_at(ntot))
                if width + w + sepw > limit:
                    newline()
                ntot += 1
    if pwidth is not None or nlsep:
        buf.write("\n")
    _write(buf.getvalue(), file, append)


def _byte_len(s):
    return len(s.encode("utf-8", "surrogatepass"))


def _write(text, file, append):
    if hasattr(file, "write"):
        file.write(text)
    elif file == "" or file is None:
        sys.stdout.write(text)
    elif isinstance(file, str):
        with open(file, "a" if append else "w", encoding="utf-8") as handle:
            handle.write(text)
    else:
        raise TypeError(f"invalid 'file' argument: need a path or a writable object, got {file!r}")
