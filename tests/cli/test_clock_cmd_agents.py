"""Clock-out with other agents' transcripts (issue 14): Codex and Gemini sessions keep every
call; a transcript with content but no call is exit 1 unless --allow-empty."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hestai_tmws.cli.app import build_app
from hestai_tmws.sessions.archive import read_archive
from tests.paths import REPO_ROOT
from tests.workflows.clock_support import init_repo

CODEX = REPO_ROOT.parent / "shared" / "corpus" / "other-agents" / "codex"
GEMINI = REPO_ROOT / "tests" / "fixtures" / "transcripts" / "gemini"


def run(repo: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(build_app(), ["-C", str(repo), *args])
    return result.exit_code, result.stdout + result.stderr


def clock_out(repo: Path, transcript: Path, *extra: str) -> tuple[int, str]:
    code, out = run(repo, "clock-in", "--focus", "other agents", "--json")
    assert code == 0, out
    return run(repo, "clock-out", "--transcript", str(transcript), "--no-learn", "--json", *extra)


def archived_calls(repo: Path, out: str) -> int:
    result = json.loads(out)
    text = (repo / result["archive_path"]).read_text(encoding="utf-8")
    return len(read_archive(text).tool_calls)


def test_a_codex_rollout_is_archived_with_every_call(tmp_path: Path) -> None:
    if not CODEX.is_dir():
        pytest.skip("the shared corpus is not here")
    [rollout] = CODEX.glob("019ed50c*.jsonl")
    repo = init_repo(tmp_path / "proj")
    assert run(repo, "init")[0] == 0
    code, out = clock_out(repo, rollout)
    assert code == 0, out
    assert json.loads(out)["tool_calls"] == 105
    assert archived_calls(repo, out) > 0


def test_a_gemini_session_is_archived_with_its_failures(tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "proj")
    assert run(repo, "init")[0] == 0
    code, out = clock_out(repo, GEMINI / "session-2026-07-01T10-00-5f0c2a9e.jsonl")
    assert code == 0, out
    result = json.loads(out)
    assert (result["tool_calls"], result["failed_calls"]) == (9, 3)


def test_content_without_calls_is_an_error_unless_allowed(tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "proj")
    assert run(repo, "init")[0] == 0
    unknown = tmp_path / "other-agent.log"
    unknown.write_text("some agent wrote this\nin a format nobody reads\n", encoding="utf-8")
    code, out = clock_out(repo, unknown)
    assert code == 1 and "0 tool calls" in out and "--allow-empty" in out
    code, out = run(
        repo, "clock-out", "--transcript", str(unknown), "--no-learn", "--json", "--allow-empty"
    )
    assert code == 0, out
    assert json.loads(out)["tool_calls"] == 0
