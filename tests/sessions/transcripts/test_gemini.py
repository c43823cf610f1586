"""The Gemini CLI session reader, on fixtures in its real format (JSONL and the older JSON)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hestai_tmws.errors import ValidationError
from hestai_tmws.sessions.transcripts import detect_format, read_gemini, read_transcript
from tests.paths import REPO_ROOT

FIXTURES = REPO_ROOT / "tests" / "fixtures" / "transcripts" / "gemini"
SESSIONS = sorted(FIXTURES.glob("session-*"))


@pytest.mark.parametrize("path", SESSIONS, ids=[p.suffix for p in SESSIONS])
def test_every_call_failure_command_and_file(path: Path) -> None:
    assert detect_format(path) == "gemini"
    t = read_transcript(path)
    assert t.format == "gemini" and t.session_id == "5f0c2a9e-7d41-4c3b-9a55-2e8f1c0d6b17"
    assert len(t.tool_calls) == 9  # a repeated message line and a rewind add none
    assert [c.name for c in t.tool_calls if c.ok is False] == [
        "run_shell_command",
        "read_file",
        "run_shell_command",
    ]
    assert t.commands == ["pytest -q", "pytest -q", "git diff"]
    assert t.files_read == ["/work/calc/calc.py"]
    assert t.files_changed == ["/work/calc/calc.py", "/work/calc/tests/test_round.py"]
    assert len(t.user_prompts) == 2 and t.markers.decisions == ["keep the public API unchanged"]
    assert t.started_at is not None and t.ended_at is not None and t.started_at < t.ended_at


def test_not_a_gemini_session_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text(json.dumps({"hello": "world"}))
    with pytest.raises(ValidationError, match="not a Gemini CLI session"):
        read_gemini(path)
