"""The few helpers a ported script imports besides rtorch: R behaviours with no rtorch function of their own.

- `autoprint(x)`: R's top-level auto-print. rprint() prints tensors as R torch's print() does and other values
  as R prints them; `None` (what rtorch returns where R torch returns an invisible NULL: `$backward()`,
  `$zero_grad()`) prints nothing.
- `rpos(i)`: a `[[i]]` position for Python's `[ ]` (R's 1-based position -> 0-based; a name stays a name).
- `dollar(x, name)`: R's `x$name` on what torch_load() returns (a dict's value, else the member).
- `nth(x, i)`: R's `x[[i]]` where `x` may be a named list (a dict: a dataset's item, a dataloader's batch):
  position `i` (1-based) takes the i-th value, a name the value under it.
- `tempfile(pattern=, fileext=)`: R's tempfile(), a fresh path in a temporary folder of this session.
- `lapply(x, f)`, `walk(x, f)`: R's lapply() and purrr's walk()/map() over lists, named lists and vectors.
- `sqrt`, `exp`, `log`: R's math functions on numbers and R vectors (a tensor goes to torch_*).
- `set_seed`, `runif`, `rnorm`, `sample`, `dnorm`, `which`: R's (rtorch/port/_rrandom.py: R's own generators).
- `sum`, `max`, `min`, `abs`, `round`, `rev`, `sort`, `t`, `nrow`, `ncol`, `unlist`, `sapply`, `vapply`,
  `is_na`, `identical`, `pi`, `rindex`/`rassign` (R's `x[i]`, `x[i] <- v` on R vectors): R's, typed as R
  types them (rtorch/port/_rfuns.py).
- `mean`, `Sys_setenv`, `Sys_getenv`: R's mean() (torch_mean on a tensor), Sys.setenv(), Sys.getenv().
- `paste`, `paste0`, `sprintf`, `message`, `conditionMessage`: R's, for length-one values and R vectors (a
  length-one result is a Python str).
"""
import builtins
import sys

import numpy as np

from rtorch import NA_real_, Tensor, as_character, rprint, torch_exp, torch_log, torch_mean, torch_sqrt
from rtorch.port._rfuns import (abs, identical, is_na, max, min, ncol, nrow, pi, rassign, rev,  # noqa: F401
                                order, rindex, round, sapply, sort, sum, t, unlist, vapply)
from rtorch.port._rrandom import dnorm, rnorm, runif, sample, set_seed, which  # noqa: F401


def autoprint(x):
    if x is not None:
        rprint(x)


def rpos(i):
    if isinstance(i, str):
        return i
    i = int(np.asarray(i).reshape(-1)[0]) if not isinstance(i, (int, float)) else int(i)
    if i < 1:
        raise IndexError(f"R position {i}: [[ ]] takes a position from 1")
    return i - 1


def dollar(x, name):
    """R's `x$name` where `x` is what torch_load() gave (known only when it runs): a named list (a dict) gives
    the value under `name` (NULL, None, where it has none, as R's `$`), anything else its member."""
    if isinstance(x, dict):
        return x.get(name)
    return getattr(x, name)


def nth(x, i):
    if isinstance(i, str):
        return x[i]
    pos = rpos(i)
    if isinstance(x, dict):
        values = list(x.values())
        if pos >= len(values):
            raise IndexError("subscript out of bounds")
        return values[pos]
    return x[pos]


_TEMPDIR = []


def tempfile(pattern="file", tmpdir=None, fileext=""):
    """R's tempfile(): a path that does not exist yet, in one temporary folder per session (removed at exit)."""
    import os
    import secrets
    import tempfile as _tf
    if tmpdir is None:
        if not _TEMPDIR:
            import atexit
            import shutil
            _TEMPDIR.append(_tf.mkdtemp(prefix="Rtmp"))
            atexit.register(shutil.rmtree, _TEMPDIR[0], True)
        tmpdir = _TEMPDIR[0]
    return os.path.join(tmpdir, f"{pattern}{secrets.token_hex(6)}{fileext}")


def _elements(x):
    if isinstance(x, dict):
        return list(x.values())
    if isinstance(x, (list, tuple)):
        return list(x)
    return list(np.asarray(x).reshape(-1))


def lapply(x, f, *args, **kwargs):
    """R's lapply(): `f` on each element; a named list (dict) gives a dict with its names, others a list."""
    if isinstance(x, dict):
        return {k: f(v, *args, **kwargs) for k, v in x.items()}
    return [f(v, *args, **kwargs) for v in _elements(x)]


def walk(x, f, *args, **kwargs):
    """purrr's walk(): `f` on each element (a dict's values), for its effect; returns `x`."""
    for v in _elements(x):
        f(v, *args, **kwargs)
    return x


def _math(np_fn, torch_fn):
    def fn(x):
        if isinstance(x, Tensor):
            return torch_fn(x)
        out = np_fn(np.asarray(x, dtype=float) if not isinstance(x, np.ndarray) else x)
        return float(out) if np.ndim(out) == 0 else out
    fn.__name__ = torch_fn.__name__.removeprefix("torch_")
    fn.__doc__ = f"R's {fn.__name__}(): a double for a number, elementwise on R vectors; {torch_fn.__name__} on a tensor."
    return fn


sqrt, exp, log = _math(np.sqrt, torch_sqrt), _math(np.exp, torch_exp), _math(np.log, torch_log)


def _strings(x):
    """An R value as R's as.character() sees it: a list of str (NULL is empty)."""
    if x is None:
        return []
    if isinstance(x, str):
        return [x]
    if isinstance(x, (list, tuple)):
        return [s for v in x for s in _strings(v)]
    return [str(s) for s in np.asarray(as_character(x)).reshape(-1)]


def _result(values):
    return values[0] if len(values) == 1 else np.array(values)


def paste(*args, sep=" ", collapse=None):
    """R's paste(): arguments as.character()'d, recycled to the longest, joined by `sep`."""
    vecs = [v for v in (_strings(a) for a in args) if v]
    n = builtins.max((len(v) for v in vecs), default=0)
    out = [sep.join(v[k % len(v)] for v in vecs) for k in range(n)]
    if collapse is not None:
        return collapse.join(out)
    return _result(out) if out else np.array([], dtype=str)


def paste0(*args, collapse=None):
    return paste(*args, sep="", collapse=collapse)


def _sprintf_arg(spec, x):
    if isinstance(x, str):
        return x
    v = np.asarray(x).reshape(-1)
    if v.size != 1:
        raise ValueError("sprintf: rtorch's sprintf takes values of length one")
    v = v[0]
    if spec == "s":
        return _strings(x)[0]
    if spec in "di":
        if float(v) != int(v):
            raise ValueError("invalid format '%d'; use format %f, %e, %g or %a for numeric objects")
        return int(v)
    return float(v)


def sprintf(fmt, *args):
    """R's sprintf() for length-one arguments: `%d` takes whole doubles, `%s` formats numbers as R does."""
    import re
    specs = [m.group(1)[-1] for m in re.finditer(r"%(?!%)[-+ #0]*(?:\d+|\*)?(?:\.\d+)?([a-zA-Z])", fmt)]
    if len(specs) != len(args):
        raise ValueError("sprintf: the number of values differs from the number of formats")
    return fmt % tuple(_sprintf_arg(s, a) for s, a in zip(specs, args))


def mean(x, *args, **kwargs):
    """R's mean(x): a double for an R vector (NaN for an empty one); a tensor's mean is torch_mean's, as R
    torch's mean() method."""
    if isinstance(x, Tensor):
        return torch_mean(x, *args, **kwargs)
    v = np.asarray([] if x is None else x)
    if v.dtype.kind not in "biuf":
        sys.stderr.write("Warning message:\nargument is not numeric or logical: returning NA\n")
        return NA_real_
    return float(np.mean(v.astype(float))) if v.size else float("nan")


def Sys_setenv(**kwargs):
    """R's Sys.setenv(NAME = value): the values as R's as.character() writes them; TRUE for each, invisibly."""
    import os
    for name, value in kwargs.items():
        os.environ[name] = _strings(value)[0]
    return np.ones(len(kwargs), dtype=bool)


def Sys_getenv(x, unset=""):
    """R's Sys.getenv(x, unset = ""): the variable's value, `unset` where it is not set."""
    import os
    return os.environ.get(x, unset)


def message(*args):
    """R's message(): the arguments pasted together, a newline, on stderr."""
    sys.stderr.write(paste0(*args, collapse="") + "\n")


def conditionMessage(e):
    """R's conditionMessage(e) for an exception caught by a ported tryCatch()."""
    return str(e.args[0]) if getattr(e, "args", None) else str(e)
