"""Layouts of nested sections that octave-mcp (the reference parser) reads differently
from the plain indentation rule: the reader refuses them rather than read them its own way.

Found by the reference parity tests (`tests/octave/test_reference_parity.py`); each rule
names what octave-mcp does, so the message can tell the writer how to avoid it.
"""

from __future__ import annotations

from hestai_tmws.octave.errors import OctaveError


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def check_nested_section(
    lines: list[str], header: int, end: int, after: int, indent: int, empty: bool
) -> None:
    """Refuse a nested section (header at line index `header`, at `indent` spaces > 0) whose
    block ends at `end`, when octave-mcp would nest what follows it (the next line that is
    neither blank nor a comment, at index `after`) inside it."""
    if not indent or after >= len(lines):
        return
    follows = lines[after]
    if empty and follows.startswith(" "):
        raise OctaveError(
            "an empty nested section followed by an indented line: octave-mcp nests "
            "that line inside it",
            line=header + 1,
            hint="give the section an entry, or move it to the end of its top-level section",
        )
    first = next((line for line in lines[header + 1 : end] if line.strip(" ")), "")
    if (
        first.lstrip(" ").startswith("//")
        and 0 < _indent(first) <= indent
        and _indent(follows) >= indent
    ):
        raise OctaveError(
            "an indented comment right under a nested section's header, not deeper than it: "
            "octave-mcp nests the lines after the section inside it",
            line=header + 1,
            hint="indent the comment under the header, or move it above the header",
        )
