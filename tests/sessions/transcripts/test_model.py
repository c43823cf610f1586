"""Limits and the redacted copy of a `Transcript`."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from hestai_tmws.sessions.transcripts import read_claude_code, read_plain
from hestai_tmws.sessions.transcripts.model import (
    ELLIPSIS,
    Markers,
    ToolCall,
    Transcript,
    clip,
    clip_obj,
)
from tests.fixtures.secrets import leaks, make_secrets, write_transcript_with_secrets
from tests.paths import TRANSCRIPT_FIXTURES

FIXTURES = TRANSCRIPT_FIXTURES


def test_clip_short_text_unchanged() -> None:
    assert clip("abc", 3) == "abc"


def test_clip_drops_partial_token() -> None:
    assert clip("alpha beta gamma", 8) == "alpha" + ELLIPSIS
    assert clip("alpha beta gamma", 10) == "alpha beta" + ELLIPSIS  # cut falls on a space
    assert clip("x" * 50, 10) == ELLIPSIS  # one long token: nothing of it survives


@given(st.text(), st.integers(min_value=0, max_value=200))
def test_clip_bounds(text: str, limit: int) -> None:
    out = clip(text, limit)
    assert len(out) <= limit + 1
    if len(text) > limit:
        assert out.endswith(ELLIPSIS)
        assert text.startswith(out[:-1].rstrip())


def test_clip_obj() -> None:
    data = {"a": "x " * 100, "b": [1, "y " * 100, {"c": None}], "d": (True, "z")}
    out = clip_obj(data, 10)
    assert out == {
        "a": "x x x x x" + ELLIPSIS,
        "b": [1, "y y y y y" + ELLIPSIS, {"c": None}],
        "d": [True, "z"],
    }


def test_models_construct_and_dump() -> None:
    t = Transcript(source=Path("x.jsonl"), sha256="0" * 64, format="plain")
    t.tool_calls.append(ToolCall(index=0, name="Bash", tool_use_id="t", input={"command": "ls"}))
    t.markers = Markers(decisions=["d"])
    data = t.model_dump(mode="json")
    assert data["tool_calls"][0]["ok"] is None
    assert Transcript.model_validate(data) == t


def test_redacted_copy_leaves_structure_and_original(tmp_path: Path) -> None:
    secrets = make_secrets(7, per_kind=1)
    path = tmp_path / "s.jsonl"
    write_transcript_with_secrets(path, secrets)
    raw = read_claude_code(path)
    clean = raw.redacted()
    assert leaks(raw.model_dump_json(), secrets)  # raw fields are raw
    assert not leaks(clean.model_dump_json(), secrets)
    assert len(clean.tool_calls) == len(raw.tool_calls)
    assert [c.tool_use_id for c in clean.tool_calls] == [c.tool_use_id for c in raw.tool_calls]
    assert clean.sha256 == raw.sha256
    assert clean.record_counts == raw.record_counts


def test_redacted_fixture_is_unchanged_where_nothing_is_secret() -> None:
    for t in (
        read_claude_code(FIXTURES / "cc_basic.jsonl"),
        read_plain(FIXTURES / "plain_session.log"),
    ):
        assert t.redacted() == t
