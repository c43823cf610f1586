"""The pure edits of a context document: each change behaves like the same edit of a dict."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hestai_tmws.errors import NotFoundError, UsageError, ValidationError
from hestai_tmws.memory.context_merge import (
    ContextChange,
    apply_change,
    find_section,
    parse_changes,
)
from hestai_tmws.octave import Document, Section, emit, parse
from tests.octave_oracle import assert_oracle_clean


def test_sections_are_found_by_name_or_number() -> None:
    doc = Document(name="X", sections=[Section(1, "RISKS", {}), Section(2, "NOTES", {})])
    assert find_section(doc, "risks") is doc.sections[0]
    assert find_section(doc, "§2") is doc.sections[1]
    assert find_section(doc, "MISSING") is None


def test_parse_changes_takes_one_or_many_and_refuses_junk() -> None:
    one = parse_changes({"op": "add", "section": "A", "key": "K", "value": 1})
    assert [c.op for c in one] == ["add"]
    with pytest.raises(UsageError):
        parse_changes([{"op": "explode", "section": "A"}])


# -- merge rules, property-based ---------------------------------------------------------------

_key = st.sampled_from(["A", "B", "C", "D_1"])
_section = st.sampled_from(["ONE", "TWO"])
_atom = st.one_of(st.integers(-5, 5), st.booleans(), st.text(max_size=12), st.none())
_change = st.builds(
    ContextChange,
    op=st.sampled_from(["add", "replace", "append", "remove"]),
    section=_section,
    key=_key,
    value=_atom,
)


@settings(max_examples=200, deadline=None)
@given(changes=st.lists(_change, max_size=12))
def test_changes_behave_like_a_dict_model(changes: list[ContextChange]) -> None:
    doc = Document(name="PROJECT_CONTEXT", meta={"TYPE": "PROJECT_CONTEXT"})
    model: dict[str, dict[str, Any]] = {}
    for change in changes:
        sec = model.get(change.section, {})
        key = change.key
        assert key is not None
        try:
            apply_change(doc, change)
        except (ValidationError, NotFoundError, UsageError):
            ok = False
        else:
            ok = True
        # the model of what must have happened
        exists = key in sec
        if change.op == "add":
            assert ok == (not exists)
            if ok:
                model.setdefault(change.section, {})[key] = change.value
        elif change.op == "replace":
            assert ok == exists
            if ok:
                sec[key] = change.value
        elif change.op == "append":
            assert ok == (not exists or sec[key] is None or isinstance(sec[key], list))
            if ok:
                target = model.setdefault(change.section, {})
                if target.get(key) is None:
                    target[key] = []
                target[key].append(change.value)
        else:
            if change.value is None:
                assert ok == exists
                if ok:
                    del sec[key]
            else:
                expect = exists and isinstance(sec[key], list) and change.value in sec[key]
                assert ok == expect
                if ok:
                    sec[key].remove(change.value)
    got = {s.name: s.body for s in doc.sections if s.body or s.name in model}
    assert got == {k: v for k, v in model.items() if v or k in got}
    text = emit(doc)
    assert_oracle_clean(text)
    assert parse(text) == doc
