"""Property: whatever `emit` accepts, `parse` gives back exactly (types, order and all)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hestai_tmws.octave import Document, emit, parse
from tests.octave.strategies import (
    assert_same_doc,
    documents,
    entry_values,
    keys,
    list_values,
    same,
    strings,
)


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(documents)
def test_documents_round_trip(doc: Document) -> None:
    text = emit(doc)
    assert_same_doc(parse(text), doc)
    assert emit(parse(text)) == text


@settings(max_examples=300, deadline=None)
@given(strings)
def test_any_string_round_trips_as_value_and_list_item(value: str) -> None:
    doc = Document("S", body={"V": value, "L": [value], "M": [value, value, value]})
    back = parse(emit(doc))
    assert same(back.body, doc.body)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_arbitrary_unicode_text_round_trips(value: str) -> None:
    doc = Document("S", meta={"V": value}, body={"V": value, "L": [{"K": value}]})
    back = parse(emit(doc))
    assert same(back.meta, doc.meta) and same(back.body, doc.body)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(keys, entry_values, max_size=3), list_values)
def test_nested_values_round_trip(block: dict, item: object) -> None:
    doc = Document("N", body={"B": block, "I": [item]} if block else {"I": [item]})
    assert same(parse(emit(doc)).body, doc.body)
