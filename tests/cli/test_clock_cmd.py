"""`tmws clock-in` / `tmws clock-out` end to end through the command line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hestai_tmws.cli.app import build_app
from hestai_tmws.project import Project
from hestai_tmws.sessions.archive import read_archive
from tests.fixtures import clock_transcripts as ct
from tests.paths import SRC, TRANSCRIPT_FIXTURES
from tests.workflows.clock_support import index_records, init_repo, oracle_check, staged

FIXTURE = TRANSCRIPT_FIXTURES / "clock-out-basic.jsonl"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def invoke(runner: CliRunner, repo: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(build_app(), ["-C", str(repo), *args])
    return result.exit_code, result.stdout, result.stderr


def test_init_clock_in_clock_out_end_to_end(runner: CliRunner, tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "proj")
    code, out, err = invoke(runner, repo, "init")
    assert code == 0, out + err

    code, out, err = invoke(
        runner, repo, "clock-in", "--role", "implementation-lead", "--focus", "CLI e2e", "--json"
    )
    assert code == 0, out + err
    primer = json.loads(out)
    sid = primer["session_id"]
    assert primer["focus"] == "CLI e2e" and primer["governance_version"]
    assert ".hestai/context/project-context.oct.md" in primer["context_files"]
    assert primer["open_checklist_items"] and primer["north_star_summary"]
    assert primer["suggested_skills"] == [] or isinstance(primer["suggested_skills"], list)

    code, out, err = invoke(
        runner,
        repo,
        "clock-out",
        "--transcript",
        str(FIXTURE),
        "--summary",
        "Fixed main",
        "--decision",
        "Keep it small",
        "--decision",
        "Ship it",
        "--blocker",
        "Waiting on review",
        "--learning",
        "Tests first",
        "--json",
    )
    assert code == 0, out + err
    closed = json.loads(out)
    assert closed["session_id"] == sid and closed["tool_calls"] == ct.BASIC_TOOL_COUNT
    archive = repo / closed["archive_path"]
    text = archive.read_text()
    oracle_check(text)
    data = read_archive(text)
    assert len(data.tool_calls) == ct.BASIC_TOOL_COUNT
    assert (
        data.decisions[:2] == ["Keep it small", "Ship it"]
        and data.blockers[0] == "Waiting on review"
    )
    assert data.learnings[0] == "Tests first" and data.summary.text == "Fixed main"

    project = Project.discover(repo)
    [record] = index_records(project)
    assert record["id"] == sid and record["tool_calls"] == ct.BASIC_TOOL_COUNT
    history = (repo / ".hestai/context/project-history.oct.md").read_text()
    assert sid in history
    oracle_check(history)
    oracle_check((repo / ".hestai/context/project-context.oct.md").read_text())
    assert not (repo / ".hestai/sessions/active" / sid).exists()
    assert closed["archive_path"] in staged(repo)
    assert ".hestai/sessions/archive/learnings-index.jsonl" in staged(repo)

    code, out, _ = invoke(runner, repo, "sessions", "--json")
    assert code == 0 and json.loads(out)["sessions"] == []


def test_clock_in_prints_a_primer(runner: CliRunner, tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "proj")
    assert invoke(runner, repo, "init")[0] == 0
    code, out, err = invoke(runner, repo, "clock-in", "--focus", "[bold]not markup[/]")
    assert code == 0, out + err
    for heading in ("North star", "Read first", "Open checklist items", "Suggested skills"):
        assert heading in out
    assert "[bold]not markup[/]" in out
    assert "tmws clock-out --session" in out
    code, out, err = invoke(runner, repo, "clock-out", "--summary", "done")
    assert code == 0, out + err
    assert "archived session" in out and "0 tool calls" in out


def test_cli_errors_have_exit_codes_and_hints(runner: CliRunner, tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "proj")
    code, _, err = invoke(runner, repo, "clock-in", "--role", "wizard")
    assert code == 2 and "unknown role 'wizard'" in err and "implementation-lead" in err
    assert invoke(runner, repo, "clock-in", "--focus", "one")[0] == 0
    code, _, err = invoke(runner, repo, "clock-in", "--focus", "one")
    assert code == 1 and "already open" in err and "--force" in err
    assert invoke(runner, repo, "clock-in", "--focus", "one", "--force")[0] == 0
    code, _, err = invoke(runner, repo, "clock-out")
    assert code == 2 and "2 sessions are open" in err
    code, _, err = invoke(runner, repo, "clock-out", "--session", "ffffffffffff")
    assert code == 1 and "no open session" in err


def test_clock_out_commit_through_a_real_process(tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "proj")
    env = {**os.environ, "PYTHONPATH": str(SRC)}

    def tmws(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "hestai_tmws.cli.app", *args],
            cwd=repo,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )

    assert tmws("init").returncode == 0
    subprocess.run(["git", "commit", "-qm", "init", "--no-verify"], cwd=repo, check=True)
    opened = tmws("clock-in", "--focus", "feat: ship", "--json")
    assert opened.returncode == 0, opened.stderr
    sid = json.loads(opened.stdout)["session_id"]
    closed = tmws("clock-out", "--transcript", str(FIXTURE), "--commit", "--no-learn", "--json")
    assert closed.returncode == 0, closed.stderr
    log = subprocess.run(
        ["git", "log", "-1", "--format=%s"], cwd=repo, capture_output=True, text=True
    )
    assert log.stdout.strip() == f"chore(hestai): archive session {sid[:8]} (feat: ship)"
    assert json.loads(closed.stdout)["commit"]


def test_clock_out_warns_on_the_terminal_about_a_transcript_of_another_folder(
    runner: CliRunner, tmp_path: Path
) -> None:
    repo = init_repo(tmp_path / "proj")
    assert invoke(runner, repo, "init")[0] == 0
    assert invoke(runner, repo, "clock-in", "--focus", "foreign transcript")[0] == 0
    other = tmp_path / "other-project"
    transcript = ct.write_basic(tmp_path / "t.jsonl", cwd=str(other))
    code, out, err = invoke(runner, repo, "clock-out", "--transcript", str(transcript))
    assert code == 0, out + err
    warning = next(line for line in out.splitlines() if "is not this repository" in line)
    assert warning.startswith("warning:") and "other-project" in warning
