"""Port the R code chunks of R torch's vignettes with `rtorch port` and report, per vignette, how many chunks
port with nothing left untranslated and how many of those run under rtorch.

    python scripts/port_vignettes.py VIGNETTES_DIR [--timeout 60]

VIGNETTES_DIR holds mlverse/torch's `vignettes/*.Rmd` (for instance a checkout of github:mlverse/torch). Chunks
marked `eval = FALSE` are counted apart (R does not run them either). The chunks of one vignette run in
order, in one namespace, in a child process (a chunk that needs an earlier one's names finds them).
"""
import argparse
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

RUNNER = r"""
import contextlib, io, json, sys
ns = {"__name__": "__main__"}
exec("from rtorch import *", ns)
out = []
for code in json.load(sys.stdin):
    buf = io.StringIO()
    try:
        with contextlib.redirect_stdout(buf):
            exec(compile(code, "<chunk>", "exec"), ns)
        out.append(None)
    except BaseException as exc:
        out.append(f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"[:120])
    print(json.dumps(out), flush=True)
"""


def chunks(text):
    """[(options, code)] of the R chunks of an R Markdown text."""
    return [(m.group(1), m.group(2)) for m in CHUNK.finditer(text)]


def report(path, timeout):
    from rtorch.port import RParseError, port
    rows = {"chunks": 0, "no_eval": 0, "knitr": 0, "ported": 0, "runs": 0, "problems": [], "errors": []}
    to_run, defined = [], set()
    text = path.read_text(encoding="utf-8")
    for options, code in (chunks(text) if path.suffix == ".Rmd" else [("", text)]):
        if KNITR_ONLY.match(code):
            rows["knitr"] += 1
            continue
        if re.search(r"eval\s*=\s*(FALSE|F\b)", options):
            rows["no_eval"] += 1
            continue
        rows["chunks"] += 1
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
    if to_run:
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
        rows["runs"] = sum(r is None for r in results)
        rows["errors"] += [r for r in results if r is not None]
    return rows


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("vignettes")
    ap.add_argument("--timeout", type=int, default=60)
    ap.add_argument("--details", action="store_true", help="list the untranslated constructs and run errors")
    args = ap.parse_args(argv)
    top = pathlib.Path(args.vignettes)
    files = sorted([*top.rglob("*.Rmd"), *top.rglob("*.R")])
    print("| vignette | R chunks R runs | `eval = FALSE` | knitr set-up | port with nothing left | "
          "of those, run under rtorch |")
    print("|---|---|---|---|---|---|")
    keys = ("chunks", "no_eval", "knitr", "ported", "runs")
    totals = dict.fromkeys(keys, 0)
    details = []
    for path in files:
        r = report(path, args.timeout)
        totals = {k: totals[k] + r[k] for k in keys}
        name = path.relative_to(top).as_posix()
        print(f"| {name} | " + " | ".join(str(r[k]) for k in keys) + " |")
        details.append((name, r["problems"], r["errors"]))
    print("| **all** | " + " | ".join(f"**{totals[k]}**" for k in keys) + " |")
    if args.details:
        for stem, problems, errors in details:
            print(f"\n{stem}:")
            for p in sorted(set(problems)):
                print(f"  not translated: {p}")
            for e in errors:
                print(f"  run error: {e}")


if __name__ == "__main__":
    main()
