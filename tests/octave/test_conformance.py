"""Conformance with the reference implementation, octave-mcp 1.16.0.

For generated documents: the reference parses our output in strict mode with no warning,
re-emits it byte for byte, and our own reader gives back the document we wrote. Without
octave-mcp these tests skip (and fail under TMWS_REQUIRE_ORACLE=1, as in scripts/test.sh):
`pip install --no-deps octave-mcp==1.16.0`.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings

from hestai_tmws.octave import Document, Section, emit, parse
from tests.octave.strategies import assert_same_doc, documents, same, strings
from tests.octave_oracle import assert_oracle_clean, reference


def _top_level_shape(ref_doc: Any) -> tuple[list[str], list[Any]]:
    body: list[str] = []
    secs: list[Any] = []
    for node in ref_doc.sections:
        kind = type(node).__name__
        if kind == "Section":
            kinds = [(type(c).__name__, c) for c in node.children]
            child_keys = [c.key for k, c in kinds if k not in ("Comment", "Section")]
            subs = [(str(c.section_id), c.key) for k, c in kinds if k == "Section"]
            secs.append((str(node.section_id), node.key, child_keys, subs))
        else:
            body.append(node.key)
    return body, secs


def test_reference_is_installed() -> None:
    octave_mcp = reference()
    assert octave_mcp.__version__ == "1.16.0"


@pytest.mark.slow
@settings(max_examples=500, deadline=None)
@given(documents)
def test_reference_accepts_and_reproduces_our_output(doc: Document) -> None:
    text = emit(doc)
    assert_oracle_clean(text)
    assert_same_doc(parse(text), doc)
    # The structure the reference sees is the structure we wrote: no text leaks into keys.
    ref_doc = reference().parse(text)
    assert ref_doc.name == doc.name
    assert list(ref_doc.meta) == list(doc.meta)
    body, secs = _top_level_shape(ref_doc)
    assert body == list(doc.body)
    assert secs == [
        (str(s.number), s.name, list(s.body), [(str(x.number), x.name) for x in s.sections])
        for s in doc.sections
    ]
    assert [e.name for e in ref_doc.additional_envelopes] == [e.name for e in doc.envelopes]


@pytest.mark.slow
@settings(max_examples=500, deadline=None)
@given(strings)
def test_every_string_is_reference_clean_in_every_position(value: str) -> None:
    doc = Document(
        "S",
        meta={"V": value, "D": {"V": value}},
        body={
            "V": value,
            "PATTERN": value,
            "L": [value],
            "M": [value, value, value],
            "G": [{"TYPE": value, "V": value}],
        },
        sections=[Section(1, "S", {"V": value, "B": {"V": [value]}})],
    )
    text = emit(doc)
    assert_oracle_clean(text)
    back = parse(text)
    assert same(back.meta, doc.meta) and same(back.body, doc.body)
