"""The OCTAVE document model: sections found by name, and appended with the next number."""

from __future__ import annotations

import dataclasses

import pytest

from hestai_tmws.octave import Document, Literal, Section


def test_section_finds_the_first_of_a_name() -> None:
    first, second = Section(1, "A", {"X": 1}), Section(2, "A")
    doc = Document("D", sections=[first, second])
    assert doc.section("A") is first
    assert doc.section("B") is None


def test_ensure_section_appends_after_the_highest_number() -> None:
    doc = Document("D", sections=[Section(3, "A"), Section("2b", "B")])
    new = doc.ensure_section("C")
    assert (new.number, new.name, new.body) == (4, "C", {})
    assert doc.sections[-1] is new
    assert doc.ensure_section("A") is doc.sections[0]
    assert Document("E").ensure_section("F").number == 1


def test_documents_do_not_share_their_defaults() -> None:
    one, two = Document("A"), Document("B")
    one.meta["K"] = "v"
    one.sections.append(Section(1, "S"))
    assert two.meta == {} and two.sections == []


def test_literal_defaults_to_text_and_is_frozen() -> None:
    lit = Literal("a\tb")
    assert lit.lang == "text"
    assert lit == Literal("a\tb", "text")
    assert hash(lit) == hash(Literal("a\tb"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        lit.text = "changed"  # type: ignore[misc, unused-ignore]
