"""Port the R code chunks of R torch's vignettes with `rtorch port` and report, per vignette, how many chunks
port with nothing left untranslated, how many of those run under rtorch, and whether what they print is
what R prints.

    python scripts/port_vignettes.py VIGNETTES_DIR [--timeout 60] [--details]

VIGNETTES_DIR holds mlverse/torch's `vignettes/*.Rmd` (for instance a checkout of github:mlverse/torch). Chunks
marked `eval = FALSE` are counted apart (R does not run them either), and so are knitr's own set-up chunks.
The chunks of one vignette run in order, in one namespace, in a child process (a chunk that needs an earlier
one's names finds them).

The print check, for each chunk that runs: a chunk whose port calls nothing of torch's and that real R
(through rpy2, the chunks in order in one environment) runs without error is compared with R's printed
text, byte for byte; in the other chunks each tensor print is compared with libtorch's own printer
(`operator<<`, compat/libtorch_oracle.py) on the same values, in R torch's frame, and each print or cat() of R
values (`x$size()`, `as_array(x)`, `loss$item()`) with real R's of the same values. R torch itself cannot be
installed here, so the rest of a torch chunk's text (modules, grad_fns, distributions) is not compared.
"""
import argparse
import ast
import functools
import json
import os
import pathlib
import re
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, os.fspath(ROOT))
KNITR_ONLY = re.compile(r"\A\s*knitr::(?!.*\btorch)", re.S)
CHUNK = re.compile(r"^```\{r([^}]*)\}[ \t]*\n(.*?)^```[ \t]*$", re.M | re.S)

RUNNER = r'''
import contextlib, io, json, re, sys, warnings
import numpy as np
import rtorch._tensor as _T
from rtorch._devices import to_host

try:
    import torch
    from compat.libtorch_oracle import libtorch_print
    from rtorch._printing import TRUNCATION_MESSAGE
    libtorch_print(torch.zeros(1))
except Exception:
    libtorch_print = None


def r_torch_print(libtorch, n):
    """R torch's print(t, n) around libtorch's text: the first n lines, the footer."""
    pieces = libtorch.split("\n")
    cont = pieces[:-1] + ([pieces[-1]] if pieces[-1] else [])
    truncated = n > 1 and len(cont) > n
    if truncated:
        cont = cont[:n] + cont[-1:]
    body = ""
    for i, line in enumerate(cont):
        body += line + ("\n" if i != len(cont) - 1 else "")
        if truncated and i == len(cont) - 2:
            body += TRUNCATION_MESSAGE + "\n"
    return "torch_tensor\n" + body + "\n"


def tensor_check(prints):
    """[same, differ]: the chunk's tensor prints against libtorch's (R torch's autograd note is its own)."""
    if not prints or libtorch_print is None:
        return None
    same = differ = 0
    for values, n, text in prints:
        if values.dtype.kind == "c":
            continue
        mine = re.sub(r"\[ (requires_grad = TRUE|grad_fn = <[^>]*>) \]\n\Z", "\n", text)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            want = r_torch_print(libtorch_print(torch.from_numpy(values)), n)
        same, differ = (same + 1, differ) if mine == want else (same, differ + 1)
    return [same, differ]


try:
    import rpy2.robjects as ro
    import rtorch.r  # noqa: F401  (R's library folders off LD_LIBRARY_PATH again)
    from rtorch._rvector import CHARACTER, DOUBLE, INTEGER, LOGICAL, _to_rvec
    r_print = ro.r('function(x, d) paste0(paste(capture.output(if (is.na(d)) print(x) else print(x, digits = d)), '
                   'collapse = "\\n"), "\\n")')
except Exception:
    ro = None


def to_r(x):
    """An R atomic value of rtorch's as the same value in R (None where it has no R twin here)."""
    v = _to_rvec(x, allow_masked=True)
    na = v.na_mask()
    if v.type == DOUBLE:
        vec = ro.FloatVector(v.values.tolist())
    elif v.type == INTEGER:
        vec = ro.IntVector([ro.NA_Integer if m else int(e) for e, m in zip(v.values.tolist(), na)])
    elif v.type == LOGICAL:
        vec = ro.BoolVector([ro.NA_Logical if m else bool(e) for e, m in zip(v.values.tolist(), na)])
    elif v.type == CHARACTER:
        vec = ro.StrVector([ro.NA_Character if m else e for e, m in zip(v.values.tolist(), na)])
    else:
        return None
    return vec if v.dim is None else ro.r["array"](vec, dim=ro.IntVector(list(v.dim)))


def cat_in_r(args, sep, fill):
    """What R's cat() writes for the same values."""
    con = ro.r('function(args, sep, fill) { con <- rawConnection(raw(0), "w"); on.exit(close(con)); '
               'do.call(cat, c(args, list(file = con, sep = sep, fill = fill))); '
               'rawToChar(rawConnectionValue(con)) }')
    rargs = ro.r["list"](*[ro.NULL if a is None else to_r(a) for a in args])
    seps = ro.StrVector([sep] if isinstance(sep, str) else list(sep))
    return str(con(rargs, seps, ro.BoolVector([fill]) if isinstance(fill, bool) else ro.IntVector([fill]))[0])


def value_check(prints):
    """[same, differ]: the chunk's prints of R values (vectors, matrices) and cat() calls against R's print
    and cat() of the same values."""
    if not prints or ro is None:
        return None
    same = differ = 0
    for x, digits, text in prints:
        try:
            if digits == "cat":
                want = cat_in_r(*x)
            else:
                rx = to_r(x)
                if rx is None:
                    continue
                want = str(r_print(rx, ro.NA_Integer if digits is None else ro.IntVector([digits]))[0])
        except Exception:
            continue
        same, differ = (same + 1, differ) if text == want else (same, differ + 1)
    return [same, differ] if same + differ else None


import rtorch._rprint as _P
_format_r, _values = _P.format_r, []


def _recording_format_r(x, digits=None):
    out = _format_r(x, digits)
    atomic = isinstance(x, (np.ndarray, np.generic, bool, int, float, str)) or (
        isinstance(x, tuple) and all(type(e) in (int, float) for e in x))  # a size: t$shape, t$size()
    if out is not None and atomic:
        _values.append((x.copy() if isinstance(x, np.ndarray) else x, digits, out))
    return out


_P.format_r = _recording_format_r
import rtorch
_cat = rtorch.cat


def _recording_cat(*args, file="", sep=" ", fill=False, **kwargs):
    if file != "" or kwargs:
        return _cat(*args, file=file, sep=sep, fill=fill, **kwargs)
    here = io.StringIO()
    with contextlib.redirect_stdout(here):
        _cat(*args, sep=sep, fill=fill)
    sys.stdout.write(here.getvalue())
    _values.append(((args, sep, fill), "cat", here.getvalue()))


rtorch.cat = _recording_cat
_text, _prints = _T.text, []


def _recording_text(t, n=30):
    out = _text(t, n)
    _prints.append((to_host(t._data).copy(), int(n), out))
    return out


_T.text = _recording_text
ns = {"__name__": "__main__"}
exec("from rtorch import *", ns)
out = []
for code in json.load(sys.stdin):
    buf = io.StringIO()
    del _prints[:], _values[:]
    try:
        with contextlib.redirect_stdout(buf):
            exec(compile(code, "<chunk>", "exec"), ns)
        error = None
    except BaseException as exc:
        error = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"[:120]
    out.append({"error": error, "out": buf.getvalue(), "tensors": tensor_check(_prints),
                "values": value_check(_values)})
    print(json.dumps(out), flush=True)
'''

# R runs the chunks too, in order, in one environment; `library(torch)` is a no-op (R torch is not installed
# here, so a chunk that calls torch stops with an error in R and is not compared with R)
R_RUN = """function(codes, dir) {
  old <- setwd(dir); on.exit(setwd(old))
  env <- new.env(parent = globalenv())
  assign("library", function(package, ...) {
    p <- as.character(substitute(package))
    if (p == "torch") return(invisible(NULL))
    base::library(p, character.only = TRUE)
  }, envir = env)
  vapply(codes, function(code) {
    con <- rawConnection(raw(0), "w")
    sink(con)
    ok <- tryCatch({
      source(textConnection(code), print.eval = TRUE, local = env)
      TRUE
    }, error = function(e) FALSE, finally = sink())
    text <- rawToChar(rawConnectionValue(con))
    close(con)
    if (ok) text else NA_character_
  }, character(1), USE.NAMES = FALSE)
}"""


TORCHY = re.compile(r"\b(torch|nn|nnf|optim|lr|distr|autograd|jit|cuda)_|\blibrary\(torch\)|\btorch::")


def knitr_only(code):
    """knitr's own chunks: set-up (`knitr::opts_chunk$set()`, `knitr::spin_child()`), and a chunk that calls
    no torch and ends in a knitr call (a `knitr::kable()` table the site builds from its files)."""
    lines = [line for line in code.strip().splitlines() if line.strip() and not line.lstrip().startswith("#")]
    return bool(KNITR_ONLY.match(code)) or bool(
        lines and lines[-1].lstrip().startswith("knitr::") and not TORCHY.search(code))


def chunks(text):
    """[(options, code)] of the R chunks of an R Markdown text."""
    return [(m.group(1), m.group(2)) for m in CHUNK.finditer(text)]


def r_outputs(codes):
    """What real R prints for each chunk (None where R stops with an error), the chunks run in order."""
    if not codes:
        return []
    import rpy2.robjects as ro
    from rpy2.rinterface_lib import callbacks
    quiet = callbacks.consolewrite_warnerror
    callbacks.consolewrite_warnerror = lambda s: None
    try:
        with tempfile.TemporaryDirectory() as scratch:
            got = ro.r(R_RUN)(ro.StrVector(codes), scratch)
    finally:
        callbacks.consolewrite_warnerror = quiet
    return [None if v is ro.NA_Character else str(v) for v in got]


@functools.cache
def torch_names():
    """rtorch's names that are torch's (not the R-base helpers a torch-free chunk may call)."""
    import rtorch
    from rtorch import _rbase
    return frozenset(rtorch.__all__) - set(_rbase.__all__) - {"cat", "rprint"}


def uses_torch(python):
    return bool({n.id for n in ast.walk(ast.parse(python)) if isinstance(n, ast.Name)} & torch_names())


def report(path, timeout):
    from rtorch.port import RParseError, port
    rows = {"chunks": 0, "no_eval": 0, "knitr": 0, "ported": 0, "runs": 0, "r_same": 0, "r_differ": 0,
            "t_same": 0, "t_differ": 0, "unchecked": 0, "tensor_prints": 0, "value_prints": 0, "silent": 0,
            "problems": [], "errors": [], "differ": [], "compared": []}
    to_run, defined, r_codes, run_pos = [], set(), [], []
    text = path.read_text(encoding="utf-8")
    for options, code in (chunks(text) if path.suffix == ".Rmd" else [("", text)]):
        if knitr_only(code):
            rows["knitr"] += 1
            continue
        if re.search(r"eval\s*=\s*(FALSE|F\b)", options):
            rows["no_eval"] += 1
            continue
        rows["chunks"] += 1
        r_codes.append(code)
        try:
            result = port(code, defined)
        except RParseError as exc:
            rows["problems"].append(f"parse error: {str(exc).splitlines()[0]}")
            continue
        defined = result.defined
        if result.problems:
            rows["problems"] += [reason for _, _, reason in result.problems]
            continue
        rows["ported"] += 1
        to_run.append(result.python)
        run_pos.append(len(r_codes) - 1)
    if not to_run:
        return rows
    try:
        with tempfile.TemporaryDirectory() as scratch:
            done = subprocess.run([sys.executable, "-c", RUNNER], input=json.dumps(to_run),
                                  capture_output=True, text=True, timeout=timeout, cwd=scratch,
                                  env={**os.environ, "PYTHONPATH": os.fspath(ROOT)})
        lines = done.stdout.strip().splitlines()
    except subprocess.TimeoutExpired as exc:
        lines = (exc.stdout or b"").decode().strip().splitlines() if isinstance(exc.stdout, bytes) else (
            (exc.stdout or "").strip().splitlines())
        rows["errors"].append(f"timed out after {timeout} s")
    results = json.loads(lines[-1]) if lines else []
    rows["errors"] += [r["error"] for r in results if r["error"] is not None]
    r_text = r_outputs(r_codes)
    for python, pos, res in zip(to_run, run_pos, results):
        if res["error"] is not None:
            continue
        rows["runs"] += 1
        first = r_codes[pos].strip().splitlines()[0][:60]
        if not uses_torch(python) and r_text[pos] is not None:
            same = res["out"] == r_text[pos]
            rows["r_same" if same else "r_differ"] += 1
            rows["compared"].append(f"compared with R ({len(r_text[pos])} characters): {first}")
            if not same:
                rows["differ"].append(f"R prints otherwise: {first}")
        elif res["tensors"] or res["values"]:
            t_same, t_differ = res["tensors"] or (0, 0)
            v_same, v_differ = res["values"] or (0, 0)
            rows["t_differ" if t_differ or v_differ else "t_same"] += 1
            rows["tensor_prints"] += t_same + t_differ
            rows["value_prints"] += v_same + v_differ
            if t_differ:
                rows["differ"].append(f"{t_differ} tensor print(s) differ from libtorch's: {first}")
            if v_differ:
                rows["differ"].append(f"{v_differ} R value print(s) differ from R's: {first}")
        else:
            rows["unchecked"] += 1
            rows["silent"] += res["out"] == ""
    return rows


def build_oracle():
    """Compile libtorch's printer once, before the chunks' time limits start (warns when it cannot)."""
    try:
        import torch
        from compat.libtorch_oracle import libtorch_print
        libtorch_print(torch.zeros(1))
    except Exception as exc:
        print(f"(no libtorch print oracle: {exc}; tensor prints are not compared)", file=sys.stderr)


KEYS = ("chunks", "no_eval", "knitr", "ported", "runs", "r_same", "r_differ", "t_same", "t_differ", "unchecked")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("vignettes")
    ap.add_argument("--timeout", type=int, default=60)
    ap.add_argument("--details", action="store_true", help="list the untranslated constructs and run errors")
    args = ap.parse_args(argv)
    top = pathlib.Path(args.vignettes)
    build_oracle()
    files = sorted([*top.rglob("*.Rmd"), *top.rglob("*.R")])
    print("| vignette | R chunks R runs | `eval = FALSE` | knitr set-up | port with nothing left | "
          "of those, run under rtorch | print as R does | print otherwise | tensor, R value prints as "
          "libtorch's, R's | one prints otherwise | print not compared |")
    print("|---" * (len(KEYS) + 1) + "|")
    totals = dict.fromkeys(KEYS, 0)
    prints = values = silent = 0
    details = []
    for path in files:
        r = report(path, args.timeout)
        totals = {k: totals[k] + r[k] for k in KEYS}
        prints += r["tensor_prints"]
        values += r["value_prints"]
        silent += r["silent"]
        name = path.relative_to(top).as_posix()
        print(f"| {name} | " + " | ".join(str(r[k]) for k in KEYS) + " |")
        details.append((name, r["problems"], r["errors"], r["differ"] + r["compared"]))
    print("| **all** | " + " | ".join(f"**{totals[k]}**" for k in KEYS) + " |")
    print(f"\n{prints} tensor prints compared with libtorch's, {values} prints and cat()s of R values with R's; "
          f"{silent} of the chunks whose print is not compared print nothing")
    if args.details:
        for stem, problems, errors, differ in details:
            print(f"\n{stem}:")
            for p in sorted(set(problems)):
                print(f"  not translated: {p}")
            for e in errors:
                print(f"  run error: {e}")
            for d in differ:
                print(f"  {d}")


if __name__ == "__main__":
    main()
