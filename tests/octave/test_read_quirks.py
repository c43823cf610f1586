"""Nested-section layouts octave-mcp reads differently: refused with a message that says why."""

from __future__ import annotations

import pytest

from hestai_tmws.octave.errors import OctaveError
from hestai_tmws.octave.read import parse


def doc(*lines: str) -> str:
    return "===A===\n" + "".join(f"{line}\n" for line in lines) + "===END===\n"


def test_a_comment_under_a_nested_header_at_its_indent_is_refused() -> None:
    """octave-mcp nests the second §2 inside the first here (hypothesis found it)."""
    text = doc("§1::A", "  §2::B", "  // note", "    J::w", "  §2::B")
    with pytest.raises(OctaveError, match="indented comment right under a nested section") as err:
        parse(text)
    assert err.value.line == 3


def test_the_same_comment_indented_under_the_header_reads() -> None:
    text = doc("§1::A", "  §2::B", "    // note", "    J::w", "  §2::C")
    outer = parse(text).sections[0]
    assert [(s.name, s.body) for s in outer.sections] == [("B", {"J": "w"}), ("C", {})]


def test_a_comment_at_column_zero_under_a_nested_header_reads() -> None:
    """octave-mcp reads a column-0 comment there as nothing (checked against 1.16.0)."""
    text = doc("§1::A", "  §2::B", "// note", "    J::w", "  §2::C")
    outer = parse(text).sections[0]
    assert [(s.name, s.body) for s in outer.sections] == [("B", {"J": "w"}), ("C", {})]


def test_such_a_comment_in_the_last_nested_section_reads() -> None:
    """Nothing follows the section, so there is nothing octave-mcp could nest in it."""
    text = doc("§1::A", "  §2::B", "  // note", "    J::w", "§3::C")
    doc_read = parse(text)
    assert doc_read.sections[0].sections[0].body == {"J": "w"}
    assert [s.name for s in doc_read.sections] == ["A", "C"]


def test_an_empty_nested_section_before_an_indented_line_is_refused() -> None:
    with pytest.raises(OctaveError, match="empty nested section"):
        parse(doc("§1::A", "  §2::B", "  §2::C"))
