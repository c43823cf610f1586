"""verify's archive record (`workflows/verify_record.py`) against the sessions reader's."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from hestai_tmws.errors import TmwsError
from hestai_tmws.octave import Document, Literal, Section
from hestai_tmws.sessions.archive import archive_from_document, index_record
from hestai_tmws.workflows.verify_record import archive_record

_REL = "sessions/archive/2025-01-01-x-00000000.oct.md"


def _slow(doc: Document) -> dict[str, Any] | None:
    try:
        return index_record(archive_from_document(doc), _REL)
    except (TmwsError, ValueError):
        return None


_scalar = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 10**6),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=8),
    st.sampled_from(["", "completed", "abandoned", "true", "FALSE", "3", "2025-01-01T02:00:00Z",
                     "2025-06-01T10:00:00+05:00", "2025-06-01T10:00:00", "0001-01-01T00:00:00",
                     "not a date", "9999-12-31T23:59:59Z"]),
    st.builds(Literal, st.text(max_size=5)),
)  # fmt: skip
_value = st.one_of(_scalar, st.lists(_scalar, max_size=3))
_meta_keys = st.sampled_from(
    ["SESSION_ID", "STATUS", "ROLE", "FOCUS", "BRANCH", "NAMESPACE", "STARTED", "ENDED",
     "TOOL_CALL_COUNT", "TYPE"]
)  # fmt: skip
_call = st.dictionaries(st.sampled_from(["TOOL", "DIGEST", "OK", "DURATION_MS"]), _scalar)
_calls = st.dictionaries(
    st.sampled_from(["C001", "C002", "C0003", "C01", "COUNT", "X001"]),
    st.one_of(_call, _scalar),
    max_size=4,
)
_items = st.dictionaries(st.sampled_from(["ITEMS", "OTHER"]), _value, max_size=2)


@st.composite
def _archives(draw: st.DrawFn) -> Document:
    meta = draw(st.dictionaries(_meta_keys, _value, max_size=10))
    if draw(st.booleans()):
        meta["SESSION_ID"] = draw(st.sampled_from(["000000000002", "abc", 7]))
    if draw(st.booleans()):
        meta["STARTED"] = "2025-01-01T02:00:00Z"
    sections = []
    for name in draw(
        st.lists(
            st.sampled_from(["TOOL_CALLS", "DECISIONS", "BLOCKERS", "LEARNINGS", "TRACE", "X"]),
            max_size=6,
        )
    ):
        body = draw(_calls) if name == "TOOL_CALLS" else draw(_items)
        sections.append(Section(number=len(sections) + 1, name=name, body=body))
    if draw(st.booleans()) and "TOOL_CALL_COUNT" not in meta:
        calls = next((s.body for s in reversed(sections) if s.name == "TOOL_CALLS"), {})
        meta["TOOL_CALL_COUNT"] = sum(
            1 for k, v in calls.items() if k[0] == "C" and k[1:].isdigit() and len(k) >= 4
            and isinstance(v, dict)
        )  # fmt: skip
    name = draw(st.sampled_from(["SESSION_ARCHIVE", "SESSION_ARCHIVE", "OTHER"]))
    return Document(name=name, meta=meta, sections=sections)


@settings(max_examples=400, deadline=None)
@given(_archives())
def test_the_record_is_the_sessions_readers(doc: Document) -> None:
    try:
        expected: Any = _slow(doc)
    except Exception as exc:
        expected = type(exc)
    try:
        got: Any = archive_record(doc, _REL)
    except Exception as exc:
        got = type(exc)
    assert got == expected
    if isinstance(got, dict):
        assert list(got) == list(expected)  # the same key order (the index line's)


def test_a_well_formed_archive_has_its_record() -> None:
    calls = {f"C{n:03d}": {"TOOL": "Read", "OK": True} for n in range(1, 4)}
    doc = Document(
        name="SESSION_ARCHIVE",
        meta={"SESSION_ID": "s1", "STARTED": "2025-01-01T02:00:00Z", "TOOL_CALL_COUNT": 3},
        sections=[
            Section(number=1, name="TOOL_CALLS", body=calls),
            Section(number=2, name="LEARNINGS", body={"ITEMS": ["a", "b"]}),
        ],
    )
    record = archive_record(doc, _REL)
    assert record is not None and record == _slow(doc)
    assert record["tool_calls"] == 3 and record["learnings"] == ["a", "b"]
    assert record["date"] == "2025-01-01"
    miscounted = Document(
        name=doc.name, meta={**doc.meta, "TOOL_CALL_COUNT": 2}, sections=doc.sections
    )
    assert archive_record(miscounted, _REL) is None is _slow(miscounted)
