"""The reader's run and block batches (`octave/read_runs.py`) against its line-by-line path.

`read_runs.ENABLED` off sends every line through the block loop, the reader as it was
before the batches: for every text, both ways give the same document or the same error
(message and line).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from hestai_tmws.octave import Document, OctaveError, emit, parse, read_runs
from hestai_tmws.octave.read import MAX_NESTING
from tests.octave.strategies import assert_same_doc, documents


@contextmanager
def _general() -> Iterator[None]:
    read_runs.ENABLED[0] = False
    try:
        yield
    finally:
        read_runs.ENABLED[0] = True


def _outcome(text: str) -> tuple[str, Any]:
    try:
        return "doc", parse(text)
    except OctaveError as exc:
        return "error", (exc.message, exc.line)


def assert_both_ways(text: str) -> None:
    fast = _outcome(text)
    with _general():
        general = _outcome(text)
    assert fast[0] == general[0], (fast, general)
    if fast[0] == "doc":
        assert_same_doc(fast[1], general[1])
    else:
        assert fast == general


_OLD_QUOTED = re.compile(r'"((?:[^"\\\n]|\\.)*)"')
_NEW_QUOTED = re.compile(f'"({read_runs.QUOTED})"')


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from('ab"\\\n ,]'), max_size=16), st.integers(0, 3))
def test_the_unrolled_quoted_pattern_matches_as_the_alternation(text: str, pos: int) -> None:
    for method in ("match", "fullmatch", "search"):
        old = getattr(_OLD_QUOTED, method)(text, pos)
        new = getattr(_NEW_QUOTED, method)(text, pos)
        assert (old is None) == (new is None)
        if old is not None and new is not None:
            assert old.span() == new.span() and old.group(1) == new.group(1)


@settings(max_examples=200, deadline=None)
@given(documents)
def test_generated_documents_read_the_same_both_ways(doc: Document) -> None:
    text = emit(doc)
    assert_both_ways(text)
    assert_same_doc(parse(text), doc)


_EDITS = st.sampled_from(["drop", "dup", "indent", "dedent", "blank", "comment", "swap", "cut"])


@settings(max_examples=300, deadline=None)
@given(documents, st.lists(st.tuples(_EDITS, st.integers(0, 400)), max_size=4))
def test_edited_documents_read_the_same_both_ways(
    doc: Document, edits: list[tuple[str, int]]
) -> None:
    lines = emit(doc).split("\n")
    for edit, at in edits:
        i = at % len(lines)
        if edit == "drop":
            del lines[i]
        elif edit == "dup":
            lines.insert(i, lines[i])
        elif edit == "indent":
            lines[i] = "  " + lines[i]
        elif edit == "dedent":
            lines[i] = lines[i].removeprefix(" ")
        elif edit == "blank":
            lines.insert(i, "")
        elif edit == "comment":
            lines.insert(i, "   // note")
        elif edit == "swap" and i + 1 < len(lines):
            lines[i], lines[i + 1] = lines[i + 1], lines[i]
        elif edit == "cut":
            lines = lines[: i + 1]
        if not lines:
            lines = [""]
    assert_both_ways("\n".join(lines))


# Archive-shaped texts: `KEY:` blocks of simple entries, and every way to spoil them.
_key = st.sampled_from(["C001", "C002", "TOOL", "OK", "A-", "x.y", "_", "K-1"])
_value = st.sampled_from(
    ['"text"', '""', '"a\\"b"', '"~~s:%{41}"', '"~~x"', "true", "null", "12", "1.5", "tok-en",
     "2025-01-01", "$x", "[]", '["a", b]', '"open', "a b", "1e999"]
)  # fmt: skip
_line = st.one_of(
    st.builds(lambda n, k, v: " " * n + f"{k}::{v}", st.integers(1, 6), _key, _value),
    st.builds(lambda n, k: " " * n + f"{k}:", st.integers(1, 6), _key),
    st.sampled_from(["", "  // c", "    // c", "//", "§2::MORE", "  ", "  C003: ", "  A :"]),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_line, max_size=30), st.booleans(), st.booleans())
def test_block_shaped_texts_read_the_same_both_ways(
    lines: list[str], in_section: bool, end: bool
) -> None:
    head = ["===SESSION_ARCHIVE===", "META:", "  TYPE::X"] + (["§1::CALLS"] if in_section else [])
    tail = ["===END===", ""] if end else []
    assert_both_ways("\n".join(head + lines + tail))


def test_an_archive_of_many_calls_reads_the_same_both_ways() -> None:
    calls = "".join(
        f'  C{n:03d}:\n    TOOL::Read\n    DIGEST::"d {n}"\n    OK::true\n' for n in range(1, 60)
    )
    text = f"===SESSION_ARCHIVE===\nMETA:\n  TYPE::X\n---\n§1::TOOL_CALLS\n{calls}===END===\n"
    assert_both_ways(text)
    body = parse(text).sections[0].body
    assert list(body) == [f"C{n:03d}" for n in range(1, 60)]
    assert body["C007"] == {"TOOL": "Read", "DIGEST": "d 7", "OK": True}


def test_nesting_at_the_limit_reads_the_same_both_ways() -> None:
    depth = MAX_NESTING
    lines = [" " * (2 * d) + f"K{d}:" for d in range(depth)]
    lines.append(" " * (2 * depth) + "A::1")
    assert_both_ways("===X===\n" + "\n".join(lines) + "\n===END===\n")
