"""The reader: our own output, and tidy hand-written OCTAVE."""

from __future__ import annotations

from pathlib import Path

import pytest

from hestai_tmws.octave import Document, Literal, OctaveError, Section, emit, parse, parse_file
from tests.octave.strategies import same

HAND_WRITTEN = """\
// leading comment before the envelope

===SESSION_ARCHIVE===
META:
  TYPE::SESSION_ARCHIVE
  VERSION::"1.0"
  ROLE::implementation-lead   // trailing comment

---
// a comment
§1::CONTEXT
  GOAL::"Add retry logic to the sync client"
  FILES_TOUCHED::["src/sync/client.py", "tests/test_client.py"]
§2::DECISIONS
    D1:
        WHAT::"Exponential backoff capped at 30s"
        STATUS::APPROVED
#3::FLOW
  PIPELINE::[read→plan→implement→test]
  ASCII::[read -> plan, A vs B, x + y, a <-> b, p & q, p | q, a ~ b]
  WORDS::Add retry logic
  KEY :: spaced
  URL::https://example.com/x
  NUMS::[1, -2, 3.5, 1e3, 1., 007, true, false, null]
  MULTI::[
    a,   // first

    b,
  ]
  MAP::[name::x, size::3]
  LIST_OF_MAPS::[[name::x], [name::y, size::2]]
  REF::#TARGET
§CONTEXT::
  A::1
§4::NOTES
  LOG::  // the literal follows
  ```text
  literal text, kept verbatim, tabs\tallowed
  ===END===
  ```
===END===

"""


def test_hand_written_document() -> None:
    doc = parse(HAND_WRITTEN)
    assert doc.name == "SESSION_ARCHIVE"
    assert doc.meta == {"TYPE": "SESSION_ARCHIVE", "VERSION": "1.0", "ROLE": "implementation-lead"}
    assert doc.body == {}
    assert [(s.number, s.name) for s in doc.sections] == [
        (1, "CONTEXT"),
        (2, "DECISIONS"),
        (3, "FLOW"),
        ("CONTEXT", "CONTEXT"),
        (4, "NOTES"),
    ]
    assert doc.sections[1].body == {
        "D1": {"WHAT": "Exponential backoff capped at 30s", "STATUS": "APPROVED"}
    }
    flow = doc.sections[2].body
    assert flow["PIPELINE"] == ["read→plan→implement→test"]
    assert flow["ASCII"] == ["read→plan", "A⇌B", "x⊕y", "a⇌b", "p∧q", "p∨q", "a⧺b"]
    assert flow["WORDS"] == "Add retry logic"
    assert flow["KEY"] == "spaced"
    assert flow["URL"] == "https://example.com/x"
    assert same(flow["NUMS"], [1, -2, 3.5, 1000.0, 1.0, 7, True, False, None])
    assert flow["MULTI"] == ["a", "b"]
    assert flow["MAP"] == {"name": "x", "size": 3}
    assert flow["LIST_OF_MAPS"] == [{"name": "x"}, {"name": "y", "size": 2}]
    assert flow["REF"] == "§TARGET"
    assert doc.sections[4].body["LOG"] == Literal(
        "  literal text, kept verbatim, tabs\tallowed\n  ===END===", "text"
    )


def test_hand_written_document_re_emits_canonically() -> None:
    doc = parse(HAND_WRITTEN)
    assert parse(emit(doc)) == doc


def test_missing_separator_and_body_after_sections() -> None:
    doc = parse("===X===\nMETA:\n  A::1\nB::2\n§1::S\n  C::3\nD::4\n===END===")
    assert doc.meta == {"A": 1}
    assert doc.body == {"B": 2, "D": 4}
    assert doc.sections == [Section(1, "S", {"C": 3})]


def test_meta_is_only_the_first_block() -> None:
    doc = parse("===X===\n---\nMETA:\n  A::1\n===END===\n")
    assert doc.meta == {} and doc.body == {"META": {"A": 1}}
    doc = parse("===X===\nMETA::1\n===END===\n")
    assert doc.meta == {} and doc.body == {"META": 1}


def test_empty_meta_block_is_accepted() -> None:
    assert parse("===X===\nMETA:\n---\n===END===\n") == Document("X")


def test_only_ascii_digits_are_numbers() -> None:
    assert parse("===X===\nN::٣\n===END===\n").body["N"] == "٣"


def test_unknown_backslash_pairs_stay_verbatim() -> None:
    assert parse('===X===\nP::"C:\\path\\n"\n===END===\n').body["P"] == "C:\\path\n"


def test_no_trailing_newline_and_trailing_blank_lines() -> None:
    assert parse("===X===\nA::1\n===END===") == Document("X", body={"A": 1})
    assert parse("===X===\nA::1\n===END===\n\n   \n") == Document("X", body={"A": 1})


def test_literal_lines_split_on_lf_only() -> None:
    text = "===X===\nL::\n```\na\u2028b\x0bc\x85d\re\n```\n===END===\n"
    assert parse(text).body["L"] == Literal("a\u2028b\x0bc\x85d\re", "")


def test_literal_fence_indentation_is_free() -> None:
    doc = parse("===X===\nB:\n  L::\n```py\n  x\n      ```\n  M::1\n===END===\n")
    assert doc.body == {"B": {"L": Literal("  x", "py"), "M": 1}}


def test_shorter_fences_inside_a_literal_are_content() -> None:
    doc = parse("===X===\nL::\n`````\n```\n````x\n`````\n===END===\n")
    assert doc.body["L"] == Literal("```\n````x", "")


def test_parse_file_reads_bytes_verbatim(tmp_path: Path) -> None:
    doc = Document("X", body={"L": Literal("a\r\nb")})
    path = tmp_path / "doc.oct.md"
    path.write_bytes(emit(doc).encode("utf-8"))
    assert parse_file(path) == doc


def test_parse_file_rejects_invalid_utf8(tmp_path: Path) -> None:
    path = tmp_path / "bad.oct.md"
    path.write_bytes(b'===X===\nA::"\xff"\n===END===\n')
    with pytest.raises(OctaveError, match="not valid UTF-8"):
        parse_file(path)


def test_parse_rejects_non_str() -> None:
    with pytest.raises(OctaveError, match="expected str"):
        parse(b"===X===\n===END===\n")  # type: ignore[arg-type]


def test_large_archive_parses() -> None:
    """Thousands of entries read back (timing lives in benchmarks/bench_octave.py)."""
    entries = {
        f"T{i:05d}": {
            "TOOL": "Bash",
            "INPUT": f'grep -rn "x{i}" src/ | head -5',
            "FILES": [f"src/m{i}.py", "README.md", i],
            "OUT": Literal(f"line 1\n\tline {i}\n"),
        }
        for i in range(2000)
    }
    doc = Document("SESSION_ARCHIVE", meta={"TYPE": "SESSION_ARCHIVE"}, body=entries)
    assert parse(emit(doc)) == doc
