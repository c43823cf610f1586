"""The shared transcript builder's helpers: timestamps, digests, tool_result text."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from hestai_tmws.sessions.transcripts._build import parse_timestamp, raw_digest, result_text


def test_timestamps_parse_to_utc_or_none() -> None:
    assert parse_timestamp("2026-03-02T09:30:00Z") == datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
    assert parse_timestamp("yesterday") is None
    assert parse_timestamp(None) is None


def test_digests_name_what_a_call_was_about() -> None:
    assert raw_digest("WebSearch", {"query": "octave format"}) == "octave format"
    assert raw_digest("TodoWrite", {"todos": [1, 2, 3]}) == "3 todos"
    assert raw_digest("mcp__tmws__clock_in", {"focus": "x"}) == "tmws/clock_in: x"


def test_result_text_joins_text_blocks() -> None:
    assert result_text("plain") == "plain"
    assert result_text([{"text": "a"}, {"type": "image"}, {"text": "b"}]) == "a\nb"
    assert result_text(42) == ""


@pytest.mark.parametrize(
    ("command", "digest"),
    [
        ("cd /Users/me/work/app && npx wrangler deploy", "cd …/app && npx wrangler deploy"),
        ("cat D:/oh-my-posh/src/x.go", "cat …/x.go"),
        ("curl https://example.com/a/b", "curl https://example.com/a/b"),
        ("go test ./...", "go test ./..."),
    ],
)
def test_bash_digest_keeps_the_command_not_the_checkout(command: str, digest: str) -> None:
    assert raw_digest("Bash", {"command": command}) == digest
