"""Literal zones of an OCTAVE text, found before anything else is read.

The reader's first pass: fenced zones keep their text verbatim (tabs allowed), so they are
located exactly as the reference lexer does, and every tab or carriage return outside them is
refused with its line.
"""

from __future__ import annotations

import re

from hestai_tmws.octave.errors import OctaveError

_FENCE_LINE = re.compile(r"^( *)(`{3,})([^\n`]*)$", re.MULTILINE)
_BAD_CHAR = re.compile(r"[\t\r]")


def find_literal_zones(text: str) -> dict[int, tuple[int, str]]:
    """Find literal zones exactly as the reference lexer does, then police tabs and CRs.

    Returns opening fence line index -> (closing fence line index, info tag), 0-based.
    """
    fences: dict[int, tuple[int, str]] = {}
    if "```" not in text:  # no fence can match: the whole text is structural
        _police(text, [(0, len(text))])
        return fences
    line = 0
    last = 0
    open_line = -1
    open_len = 0
    open_start = 0
    lang = ""
    structural: list[tuple[int, int]] = []
    seg_start = 0
    for m in _FENCE_LINE.finditer(text):
        line += text.count("\n", last, m.start())
        last = m.start()
        ticks, rest = m.group(2), m.group(3)
        if open_line < 0:
            open_line, open_len, open_start, lang = line, len(ticks), m.start(), rest.strip()
        elif len(ticks) == open_len and not rest.strip():
            fences[open_line] = (line, lang)
            structural.append((seg_start, open_start))
            seg_start = m.end()
            open_line = -1
        elif len(ticks) >= open_len:
            raise OctaveError(
                f"fence {ticks} inside the literal zone opened at line {open_line + 1}",
                line=line + 1,
                hint="open the zone with a longer fence than any fence inside it",
            )
    if open_line >= 0:
        raise OctaveError("unterminated literal zone", line=open_line + 1)
    structural.append((seg_start, len(text)))
    _police(text, structural)
    return fences


def _police(text: str, structural: list[tuple[int, int]]) -> None:
    """Refuse a tab or carriage return in the structural spans of `text`."""
    if "\t" not in text and "\r" not in text:
        return  # nothing to refuse (one C scan each instead of the regex's)
    for start, end in structural:
        bad = _BAD_CHAR.search(text, start, end)
        if bad is not None:
            what = "tab" if bad.group() == "\t" else "carriage return"
            raise OctaveError(
                f"{what} outside a literal zone",
                line=text.count("\n", 0, bad.start()) + 1,
                hint="indent with spaces; use LF line endings",
            )
