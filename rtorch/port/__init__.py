"""`rtorch port`: translate an R torch script into rtorch Python, with R's own parser (through rpy2).

R's grammar decides the tree (`parse(text=, keep.source=TRUE)` and `utils::getParseData()`); the translator
walks it and writes Python by the README's porting contract, one table of rules (rtorch/port/rules.py).
What it cannot translate stays in the output as a comment marked `# rtorch port: not translated:` and is
listed in `PortResult.problems`.

    port_text(r_code) -> str       # the Python text (problems, if any, are left as marked comments)
    port(r_code) -> PortResult     # .python, .problems: [(line, R line, reason)], .defined
"""
from collections import namedtuple

from rtorch.port._parse import RParseError
from rtorch.port.runtime import autoprint, conditionMessage, message, nth, paste, paste0, rpos, sprintf, tempfile

PortResult = namedtuple("PortResult", "python problems defined")

__all__ = ["port", "port_text", "RParseError", "PortResult", "autoprint", "rpos", "nth", "paste", "paste0",
           "sprintf", "message", "conditionMessage", "tempfile"]


def port(r_code, defined=()):
    """Translate R source text; returns PortResult(python, problems). Raises RParseError on R syntax errors.
    `defined`: names that code run before this one defines (a document's earlier chunks), so calls to them
    are not flagged."""
    from rtorch.port._emit import port as _port
    if not r_code.strip():
        return PortResult("", [], set(defined))
    return PortResult(*_port(r_code, defined))


def port_text(r_code):
    """The rtorch Python for R source text (untranslated statements kept as marked comments)."""
    return port(r_code).python
