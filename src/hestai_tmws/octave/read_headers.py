"""The reader's header lines (``===NAME===``, ``META:``, ``§N::NAME[annotation]``) and the
error for a line that is neither a header nor an entry.

Kept apart from the line reader because both are one-line constructs with their own rules
(octave-mcp's section annotation keeps its tokens joined without spaces, so the reader refuses
any annotation whose text that would change).
"""

from __future__ import annotations

import re

from hestai_tmws.octave import lexical
from hestai_tmws.octave.errors import OctaveError
from hestai_tmws.octave.model import Section

_ENVELOPE = re.compile(r"===([A-Za-z_][A-Za-z0-9_]*(?::[A-Za-z_][A-Za-z0-9_]*)*)===\Z")
_NUMERIC_KEY = re.compile(r" *[0-9]+ *::")
_META = re.compile(r"META *: *(?://.*)?\Z")
_SECTION = re.compile(
    r"[§#]([0-9]+[A-Za-z]?|[A-Za-z_][A-Za-z0-9_]*)::([A-Za-z_][A-Za-z0-9_.\-]*)?"
    r"(?: *\[([^\]\n]*)\])? *(?://.*)?\Z"
)


def envelope_name(line: str) -> str | None:
    """The NAME of an ``===NAME===`` opening line (never END), else None."""
    m = _ENVELOPE.match(line.rstrip(" "))
    return None if m is None or m.group(1) == "END" else m.group(1)


def opens_meta(line: str) -> bool:
    """Whether this top-level line opens the META block (``META:``, maybe with a comment)."""
    return _META.match(line) is not None


def section_header(line: str, lineno: int) -> Section:
    """The (empty) `Section` a ``§N::NAME`` / ``§N::NAME[annotation]`` line opens."""
    m = _SECTION.match(line.strip(" "))
    if m is None:
        raise OctaveError(f"bad section header {line[:40]!r} (expected §N::NAME)", line=lineno)
    ident, name, inner = m.group(1), m.group(2) or m.group(1), m.group(3)
    if lexical.KEY_RE.match(name) is None:
        raise OctaveError(f"invalid section name {name!r}", line=lineno)
    note = None if inner is None else lexical.read_annotation(inner)
    if inner is not None and not note:
        raise OctaveError(
            f"section annotation [{inner[:30]}] cannot be read without a change "
            "(octave-mcp joins its tokens without spaces)",
            line=lineno,
            hint='use comma-separated words or plain quoted strings: §1::NAME[a,"b c"]',
        )
    return Section(int(ident) if ident.isdigit() else ident, name, annotation=note)


def not_an_entry(raw: str, lineno: int) -> OctaveError:
    """The error for a line that is not ``KEY::value``, ``KEY:`` or a header, saying why."""
    text = raw.strip(" ")
    if _NUMERIC_KEY.match(raw):
        return OctaveError(
            f"numeric key {text.split(':')[0]!r} outside a list: octave-mcp drops this line "
            "without a word",
            line=lineno,
            hint="give the key a name (N1::value) or put the pairs in a list: [1::a, 2::b]",
        )
    if text.startswith("["):
        return OctaveError(
            f"a list without a key, {text[:40]!r}: octave-mcp silently lifts its pairs out "
            "of the enclosing block or section",
            line=lineno,
            hint="give the list a key: ITEMS::[...]",
        )
    return OctaveError(f"expected KEY::value, KEY: or §N::NAME, found {text[:40]!r}", line=lineno)


def comment_dedent(lines: list[str], i: int, k: int, child: int) -> None:
    """Refuse a comment (line `i`) indented less than its block's entries when an entry of
    the block follows (line `k`): octave-mcp ends the block at the comment and lifts the rest."""
    if k < len(lines) and len(lines[k]) - len(lines[k].lstrip(" ")) >= child:
        raise OctaveError(
            "a comment indented less than the entries around it: octave-mcp ends the block "
            "there and moves the following entries out of it",
            line=i + 1,
            hint="indent the comment like the entries around it",
        )
