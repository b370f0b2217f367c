"""The README's porting-contract tables and rtorch/port/rules.py's CONTRACT have the same rows, and every
example there ports as written: the README, the rule table and the translator cannot drift apart."""
import pathlib
import re

import pytest

from tests._require import require

ROOT = pathlib.Path(__file__).resolve().parent.parent
require("rpy2.robjects")
from rtorch.port import port  # noqa: E402
from rtorch.port.rules import CONTRACT, RULES  # noqa: E402


SECTIONS = ("## The porting contract", "## Data and files, R to rtorch")


def readme_rows():
    """The rows of the README's contract tables (the porting contract, then data and files), in order; a row
    with no R side ("(none)") has nothing to port."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = []
    for heading in SECTIONS:
        section = text.split(heading + "\n", 1)[1].split("\n## ", 1)[0]
        for line in section.splitlines():
            if line.startswith("| ") and not line.startswith(("| R torch |", "| (none) |")):
                rows.append(re.split(r" \| ", line[2:].rstrip(" |"), maxsplit=1))
    return rows


def test_readme_rows_and_rule_table_rows_are_the_same():
    assert [r for r, _ in readme_rows()] == list(CONTRACT)


EXAMPLES = [(row, r, py) for row, examples in CONTRACT.items() for r, py in examples]


@pytest.mark.parametrize("row,r_code,python", EXAMPLES, ids=[e[1][:40] for e in EXAMPLES])
def test_contract_example_ports_as_the_table_says(row, r_code, python):
    result = port(r_code)
    assert result.problems == []
    body = [line for line in result.python.splitlines() if not line.startswith("from rtorch.port.runtime")]
    assert "\n".join(body) == python


def test_readme_code_in_the_r_column_ports_without_problems():
    """Each R code span of the README's table that is a whole R expression ports with nothing left; the table
    reads as one document, so a span may use what an earlier span defines (`net <- Net(3)` after `Net <- ...`)."""
    defined = set()
    for r_cell, _ in readme_rows():
        for span in re.findall(r"`([^`]+)`", r_cell):
            if ("..." in span or span.endswith(("=", ")")) and "(" not in span or span.startswith(("for (", "$"))
                    or span.endswith("_*")):  # a name pattern such as `nnf_*`
                continue
            result = port(span, defined)
            assert result.problems == [], (span, result.problems)
            defined = result.defined


def test_rule_kinds_are_known():
    assert {rule.kind for rule in RULES} <= {"binary", "unary", "constant", "call", "form", "invisible"}
