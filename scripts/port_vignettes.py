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

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, os.fspath(ROOT))
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
    rows = {"chunks": 0, "no_eval": 0, "ported": 0, "runs": 0, "problems": [], "errors": []}
    to_run, defined = [], set()
    for options, code in chunks(path.read_text(encoding="utf-8")):
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
            done = subprocess.run([sys.executable, "-c", RUNNER], input=json.dumps(to_run), capture_output=True,
                                  text=True, timeout=timeout, cwd=ROOT)
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
    files = sorted(pathlib.Path(args.vignettes).glob("*.Rmd"))
    print("| vignette | R chunks run by R | port with nothing left | of those, run under rtorch |")
    print("|---|---|---|---|")
    totals = [0, 0, 0]
    details = []
    for path in files:
        r = report(path, args.timeout)
        totals = [totals[0] + r["chunks"], totals[1] + r["ported"], totals[2] + r["runs"]]
        print(f"| {path.stem} | {r['chunks']} | {r['ported']} | {r['runs']} |")
        details.append((path.stem, r["problems"], r["errors"]))
    print(f"| **all** | {totals[0]} | {totals[1]} | {totals[2]} |")
    if args.details:
        for stem, problems, errors in details:
            print(f"\n{stem}:")
            for p in sorted(set(problems)):
                print(f"  not translated: {p}")
            for e in errors:
                print(f"  run error: {e}")


if __name__ == "__main__":
    main()
