"""Properties of the reader on hand-edited variants of our own output."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from hestai_tmws.octave import Document, emit, parse
from tests.octave.strategies import assert_same_doc, documents

_FENCE = re.compile(r"^ *(`{3,})[^`]*$")


def _zones(lines: list[str]) -> tuple[set[int], set[int], set[int]]:
    """Line indexes of literal content, of fence lines, and of the `KEY::` lines before them."""
    content: set[int] = set()
    fences: set[int] = set()
    keys: set[int] = set()
    opened = ""
    for i, line in enumerate(lines):
        m = _FENCE.match(line)
        if opened and m and m.group(1) == opened and not line.strip(" `"):
            fences.add(i)
            opened = ""
        elif opened:
            content.add(i)
        elif m:
            opened = m.group(1)
            fences.add(i)
            keys.add(i - 1)
    return content, fences, keys


@settings(max_examples=100, deadline=None)
@given(documents, st.data())
def test_blank_and_comment_lines_change_nothing(doc: Document, data: st.DataObject) -> None:
    lines = emit(doc).split("\n")
    content, fences, key_lines = _zones(lines)
    inside = content | fences
    end = lines.index("===END===")
    out: list[str] = []
    for i, line in enumerate(lines):
        out.append(line)
        if i < end and i not in key_lines and (i not in inside or i + 1 not in inside):
            extra = data.draw(st.sampled_from(["", None, None, "// note", "INDENTED"]))
            if extra == "INDENTED":  # indented like the next line: a shallower comment would
                nxt = lines[i + 1]  # end the block in octave-mcp (the reader refuses that)
                extra = " " * (len(nxt) - len(nxt.lstrip(" "))) + "// indented note"
            if extra is not None:
                out.append(extra)
    assert_same_doc(parse("\n".join(out)), doc)


@settings(max_examples=100, deadline=None)
@given(documents)
def test_doubling_the_indentation_changes_nothing(doc: Document) -> None:
    lines = emit(doc).split("\n")
    content, _, _ = _zones(lines)
    out = []
    for i, line in enumerate(lines):
        stripped = line.lstrip(" ")
        out.append(line if i in content else " " * (2 * (len(line) - len(stripped))) + stripped)
    assert_same_doc(parse("\n".join(out)), doc)
