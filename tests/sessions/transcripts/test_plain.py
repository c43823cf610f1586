"""The plain-text reader and format sniffing."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from hestai_tmws.errors import NotFoundError
from hestai_tmws.sessions.transcripts import read_plain, read_transcript, sniff_format
from tests.paths import TRANSCRIPT_FIXTURES

FIXTURES = TRANSCRIPT_FIXTURES
PLAIN = FIXTURES / "plain_session.log"


def test_plain_fixture() -> None:
    t = read_plain(PLAIN)
    assert t.format == "plain"
    assert t.session_id == "plain_session"
    assert t.sha256 == hashlib.sha256(PLAIN.read_bytes()).hexdigest()
    assert t.user_prompts == ["Please make the build green.", "thanks"]
    assert t.commands == ["pytest -q", "pip install \\\n    pytest==8.3.2", "git status"]
    assert [c.name for c in t.tool_calls] == ["Bash", "Bash", "Bash"]
    assert [c.tool_use_id for c in t.tool_calls] == ["plain-7", "plain-11", "plain-16"]
    assert [c.ok for c in t.tool_calls] == [False, True, None]
    assert t.tool_calls[0].error_text == "3 failed, 10 passed"
    assert t.tool_calls[1].input_digest == "pip install \\"
    assert t.tool_calls[2].started_at == datetime(2026, 3, 3, 9, 5, tzinfo=UTC)
    assert t.started_at == datetime(2026, 3, 3, 9, 0, tzinfo=UTC)
    assert t.ended_at == datetime(2026, 3, 3, 9, 5, tzinfo=UTC)
    assert t.markers.decisions == ["pin pytest to 8.x"]
    assert t.markers.blockers == ["flaky network in CI"]
    assert t.markers.learnings == ["pin test tooling"]
    assert t.assistant_texts == [
        "# hand-written plain session log",
        "I will start by running the tests.\nDECISION: pin pytest to 8.x",
        "The build is green now.\nBLOCKER: flaky network in CI\nLEARNING: pin test tooling",
    ]
    assert t.errors == ["Bash: 3 failed, 10 passed"]
    assert t.record_counts == {"text": 6, "prompt": 2, "blank": 5, "command": 3, "output": 5}


def test_plain_tolerates_binary_and_long_lines(tmp_path: Path) -> None:
    path = tmp_path / "weird.log"
    path.write_bytes(b"\xff\xfe not utf8\n$ echo " + b"x" * 5_000_000 + b"\n\x00\n")
    t = read_plain(path)
    assert len(t.tool_calls) == 1
    assert len(t.tool_calls[0].input_digest) <= 201
    assert len(t.commands[0]) <= 2_001
    assert t.assistant_texts[0].startswith("\ufffd\ufffd not utf8")


def test_exit_code_without_output(tmp_path: Path) -> None:
    path = tmp_path / "s.txt"
    path.write_text("$ false\nexit code 1\n")
    t = read_plain(path)
    assert t.tool_calls[0].ok is False
    assert t.tool_calls[0].error_text == "exit code 1"


def test_missing_plain(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError):
        read_plain(tmp_path / "nope.log")
    with pytest.raises(NotFoundError):
        read_transcript(tmp_path / "nope.log")


@pytest.mark.parametrize(
    ("content", "name", "expected"),
    [
        (b'\n\n{"type": "user"}\n', "a.txt", "claude-code"),
        (b"hello\n{}\n", "a.jsonl", "plain"),
        (b'{"type": "user", "message": \n{"type": "user"}\n', "a.log", "claude-code"),
        (b"{not json at all\nsecond line\n", "a.log", "plain"),
        (b"[1, 2]\n", "a.jsonl", "plain"),
        (b"", "a.jsonl", "claude-code"),
        (b"", "a.log", "plain"),
        (b"   \n\n", "a.txt", "plain"),
    ],
)
def test_sniff_format(tmp_path: Path, content: bytes, name: str, expected: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert sniff_format(path) == expected


def test_sniff_huge_first_line_is_not_parsed(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    record = {"type": "user", "message": {"content": "x" * 3_000_000}}
    path.write_text(json.dumps(record) + "\n")
    assert sniff_format(path) == "claude-code"


def test_read_transcript_dispatch() -> None:
    assert read_transcript(PLAIN).format == "plain"
    assert read_transcript(FIXTURES / "cc_basic.jsonl").format == "claude-code"
