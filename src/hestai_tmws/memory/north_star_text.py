"""A north star sent as plain text keeps the template's structure, or is refused with an example.

The north star is the one document whose shape matters to every agent: a MISSION statement
and numbered IMMUTABLES. Text is read the way people write it: the first paragraphs are the
statement, list items are requirements, and items under an "Assumptions" or "Out of scope"
heading go to those sections. Text with no list item has no requirement to keep: refused.
"""

from __future__ import annotations

import re

from hestai_tmws.errors import UsageError
from hestai_tmws.octave.model import Document, Section, Value
from hestai_tmws.sessions.focus import focus_slug

_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(.*\S)\s*$")
_HEADING = re.compile(r"^\s*#{1,6}\s+(.*\S)\s*$|^\s*(.*\S):\s*$")
EXAMPLE = """\
Billing sync keeps invoices in step between the shop and the ledger, for the finance team.

- Every invoice in the shop has exactly one ledger entry
- No customer data leaves the EU region

Out of scope:
- Payment processing"""
_SECTIONS = {"assumption": "ASSUMPTIONS", "out of scope": "OUT_OF_SCOPE"}


def _bucket(heading: str) -> str:
    lowered = heading.lower()
    return next((name for key, name in _SECTIONS.items() if key in lowered), "IMMUTABLES")


def north_star_from_text(text: str, envelope: str) -> Document:
    """The NORTH_STAR document `text` describes; UsageError (with an example) when it cannot."""
    statement: list[str] = []
    lists: dict[str, list[str]] = {"IMMUTABLES": [], "ASSUMPTIONS": [], "OUT_OF_SCOPE": []}
    bucket = "IMMUTABLES"
    for line in text.splitlines():
        item, heading = _ITEM.match(line), _HEADING.match(line)
        if item:
            lists[bucket].append(item.group(1))
        elif heading:
            bucket = _bucket(heading.group(1) or heading.group(2))
        elif line.strip() and not any(lists.values()):
            statement.append(line.strip())
    if not lists["IMMUTABLES"]:
        raise UsageError(
            "a north star in plain text needs its requirements as list items",
            hint="write the mission, then one `- ` line per immutable requirement, e.g.:\n"
            + EXAMPLE,
        )
    if not statement:
        raise UsageError(
            "a north star in plain text needs a mission statement before its requirements",
            hint="start with one or two sentences on the outcome, e.g.:\n" + EXAMPLE,
        )
    immutables: dict[str, Value] = {
        f"I{n}": {"NAME": focus_slug(rule)[:40] or f"immutable-{n}", "RULE": rule}
        for n, rule in enumerate(lists["IMMUTABLES"], 1)
    }
    assumptions: list[Value] = list(lists["ASSUMPTIONS"])
    out_of_scope: list[Value] = list(lists["OUT_OF_SCOPE"])
    return Document(
        name=envelope,
        meta={"STATUS": "ACTIVE"},
        sections=[
            Section(number=1, name="MISSION", body={"STATEMENT": " ".join(statement)}),
            Section(number=2, name="IMMUTABLES", body=immutables),
            Section(number=3, name="ASSUMPTIONS", body={"LIST": assumptions}),
            Section(number=4, name="OUT_OF_SCOPE", body={"LIST": out_of_scope}),
            Section(
                number=5,
                name="CHANGE_CONTROL",
                body={
                    "RULE": "An immutable changes only through an approved decision in "
                    "workflow/decisions that names it"
                },
            ),
        ],
    )
