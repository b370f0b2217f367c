"""`rtorch port script.R [-o script.py]` (also `python -m rtorch.port script.R`, with or without the `port`
word): write the rtorch Python.

Exit status: 0 when everything was translated, 1 when some statements were left as marked comments (listed
on stderr), 2 for input that is not R (R's own parse error, with line and column, on stderr).
"""
import argparse
import sys

from rtorch.port import RParseError, port


def main(argv=None):
    parser = argparse.ArgumentParser(prog="rtorch", description="Translate R torch code into rtorch Python.")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("port", help="translate an R script")
    p.add_argument("script", help="the .R file ('-' for stdin)")
    p.add_argument("-o", "--output", help="where to write the Python (default: stdout)")
    args = parser.parse_args(argv)
    try:
        raw = sys.stdin.buffer.read() if args.script == "-" else open(args.script, "rb").read()
        text = raw.decode("utf-8")
        if "\0" in text:
            raise UnicodeDecodeError("utf-8", raw, 0, 1, "NUL byte")
    except UnicodeDecodeError:
        print(f"rtorch port: {args.script} is not an R script (not UTF-8 text)", file=sys.stderr)
        return 2
    try:
        result = port(text)
    except RParseError as exc:
        print(f"rtorch port: {args.script} is not valid R: {exc}", file=sys.stderr)
        return 2
    if args.output:
        with open(args.output, "w", encoding="utf-8") as f:
            f.write(result.python)
    else:
        sys.stdout.write(result.python)
    for line, src, reason in result.problems:
        print(f"{args.script}:{line}: not translated: {src}  ({reason})", file=sys.stderr)
    if result.problems:
        print(f"rtorch port: {len(result.problems)} statement(s) left untranslated", file=sys.stderr)
    return 1 if result.problems else 0


def module_main(argv):
    """`python -m rtorch.port script.R`: the module is the port command, so its name may be left out."""
    return main(argv if argv[:1] in (["port"], ["-h"], ["--help"]) else ["port", *argv])


if __name__ == "__main__":
    sys.exit(module_main(sys.argv[1:]))
