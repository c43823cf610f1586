"""`redact_archive` hands the redactor each tool call as `model_dump(mode="json")` would."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from hestai_tmws.sessions.archive.model import ToolCallEntry
from hestai_tmws.sessions.archive.redact import _call_fields


@given(
    st.text(min_size=1),
    st.text(),
    st.none() | st.booleans(),
    st.none() | st.integers(min_value=0),
    st.booleans(),
)
def test_call_fields_are_the_json_dump(
    tool: str, digest: str, ok: bool | None, duration: int | None, sidechain: bool
) -> None:
    for entry in (
        ToolCallEntry(tool=tool, digest=digest, ok=ok, duration_ms=duration, sidechain=sidechain),
        ToolCallEntry.model_construct(
            tool=tool, digest=digest, ok=ok, duration_ms=duration, sidechain=sidechain
        ),
    ):
        dumped = entry.model_dump(mode="json")
        assert _call_fields(entry) == dumped
        assert list(_call_fields(entry)) == list(dumped)
