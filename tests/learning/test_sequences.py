"""The fast archive reader: the same sequence as the strict reader, or a fall-back to it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hestai_tmws.errors import ValidationError
from hestai_tmws.learning.sequences import read_sequence
from hestai_tmws.sessions.archive import (
    ArchiveData,
    ArchiveMeta,
    ToolCallEntry,
    read_archive,
    render_archive,
)

_text = st.text(alphabet=st.characters(codec="utf-8"), min_size=0, max_size=40)


def _archive(calls: list[ToolCallEntry], *, namespace: str | None = "demo") -> str:
    started = datetime(2025, 5, 6, 23, 59, tzinfo=UTC)
    return render_archive(
        ArchiveData(
            meta=ArchiveMeta(
                session_id="0123456789ab",
                role="implementation-lead",
                focus="x",
                started_at=started,
                ended_at=started + timedelta(minutes=5),
                namespace=namespace,
                tool_call_count=len(calls),
            ),
            tool_calls=calls,
        )
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.builds(
            ToolCallEntry,
            tool=st.one_of(st.sampled_from(["Bash", "Read", "mcp__a__b", "true", "1"]), _text),
            digest=_text,
            ok=st.one_of(st.none(), st.booleans()),
            duration_ms=st.one_of(st.none(), st.integers(min_value=0, max_value=10**7)),
            sidechain=st.booleans(),
        ),
        max_size=8,
    ),
    st.one_of(st.none(), st.sampled_from(["demo", "my-project", "12"])),
)
def test_fast_reader_agrees_with_the_strict_reader(
    calls: list[ToolCallEntry], namespace: str | None
) -> None:
    text = _archive(calls, namespace=namespace)
    fast = read_sequence(text)
    strict = read_archive(text)
    expected = [
        (c.tool, c.digest, c.ok, c.duration_ms) for c in strict.tool_calls if not c.sidechain
    ]
    assert [(c.tool, c.digest, c.ok, c.duration_ms) for c in fast.calls] == expected
    assert fast.session_id == strict.meta.session_id
    assert fast.day == date(2025, 5, 6)
    assert fast.namespace == strict.meta.namespace


def test_reader_falls_back_to_the_strict_parser_for_unusual_layouts() -> None:
    text = _archive([ToolCallEntry(tool="Read", digest="a", ok=True, duration_ms=3)])
    assert read_sequence(text).fast is True
    reordered = text.replace("    DIGEST::a\n    OK::true\n", "    OK::true\n    DIGEST::a\n", 1)
    assert reordered != text
    back = read_sequence(reordered)
    assert back.fast is False
    assert [c.tool for c in back.calls] == ["Read"]


def test_reader_refuses_what_is_not_an_archive() -> None:
    with pytest.raises(ValidationError):
        read_sequence("===REPORT===\n---\n===END===\n")
    torn = _archive([ToolCallEntry(tool="Read", ok=True)]).replace(
        "TOOL_CALL_COUNT::1", "TOOL_CALL_COUNT::2"
    )
    with pytest.raises(ValidationError, match="META says 2 tool calls"):
        read_sequence(torn)
