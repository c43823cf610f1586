"""Header lines: envelope names, and section headers with their annotations."""

from __future__ import annotations

import pytest

from hestai_tmws.octave import Document, OctaveError, Section, emit, parse
from hestai_tmws.octave.read_headers import envelope_name, section_header
from tests.octave_oracle import assert_oracle_clean


def test_envelope_names() -> None:
    assert envelope_name("===PATTERN:MINIMAL===  ") == "PATTERN:MINIMAL"
    assert envelope_name("===END===") is None
    assert envelope_name("=== X ===") is None


@pytest.mark.parametrize(
    ("line", "number", "name", "annotation"),
    [
        ("§1::NAME", 1, "NAME", None),
        ("§1::NAME [note]", 1, "NAME", "note"),
        # spaces after commas go, as in the reference, which joins the tokens
        (
            '§CONTEXT::IMPORT["@test/vocabulary", "1.0.0"]',
            "CONTEXT",
            "IMPORT",
            '"@test/vocabulary","1.0.0"',
        ),
        ("#2b::X[a,b] // why", "2b", "X", "a,b"),
        ("§CONTEXT::[a]", "CONTEXT", "CONTEXT", "a"),
    ],
)
def test_section_headers(line: str, number: int | str, name: str, annotation: str | None) -> None:
    sec = section_header(line, 7)
    assert (sec.number, sec.name, sec.annotation) == (number, name, annotation)


@pytest.mark.parametrize(
    "line", ["§1::X[a b]", "§1::X[]", "§1::X[a,]", '§1::X["a\\"b"]', "§1::X[vs]"]
)
def test_annotations_that_would_change_are_refused_with_the_line(line: str) -> None:
    with pytest.raises(OctaveError, match="cannot be read without a change") as err:
        section_header(line, 7)
    assert err.value.line == 7


@pytest.mark.parametrize("annotation", ["", "a b", "a]", '"x\\y"', "DevSecOps", "a,,b", 3])
def test_the_writer_refuses_annotations_that_would_not_read_back(annotation: object) -> None:
    doc = Document("X", sections=[Section(1, "S", {"K": 1}, annotation)])  # type: ignore[arg-type]
    with pytest.raises(OctaveError, match="annotation"):
        emit(doc)


def test_annotations_and_envelopes_round_trip() -> None:
    doc = Document(
        "A",
        sections=[Section("CONTEXT", "IMPORT", {}, '"@lib/v","1.0"'), Section(1, "S", {"K": 1})],
        envelopes=[Document("META", body={"TYPE": "CARD"}), Document("EDGES")],
    )
    text = emit(doc)
    assert '§CONTEXT::IMPORT["@lib/v","1.0"]\n' in text
    assert "===END===\n\n===META===\n---\nTYPE::CARD\n===END===\n\n===EDGES===\n" in text
    assert parse(text) == doc
    assert_oracle_clean(text)


def test_a_further_envelope_cannot_nest_envelopes() -> None:
    inner = Document("B", envelopes=[Document("C")])
    with pytest.raises(OctaveError, match="further envelope"):
        emit(Document("A", envelopes=[inner]))


def test_an_empty_nested_section_must_come_last() -> None:
    """octave-mcp would nest the following section inside the empty one."""
    subs = [Section(1, "B"), Section(2, "C", {"K": 1})]
    with pytest.raises(OctaveError, match="empty and not last"):
        emit(Document("A", sections=[Section(0, "A", sections=subs)]))
    text = emit(Document("A", sections=[Section(0, "A", sections=subs[::-1])]))
    assert_oracle_clean(text)
