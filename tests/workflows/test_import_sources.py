"""Which transcripts `tmws import` finds: per-agent discoverers and explicit paths, by content."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from hestai_tmws.errors import UsageError
from hestai_tmws.project import Project
from hestai_tmws.sessions.archive import read_archive
from hestai_tmws.workflows.import_history import import_history
from hestai_tmws.workflows.import_sources import discover, gemini_project_hash
from tests.paths import FIXTURES, REPO_ROOT
from tests.workflows.clock_support import archives, setup_project

GEMINI_FIXTURES = FIXTURES / "transcripts" / "gemini"
CODEX_CORPUS = REPO_ROOT.parent / "shared" / "corpus" / "other-agents" / "codex"


@pytest.fixture
def proj(repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Project:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("CODEX_HOME", str(home / ".codex"))
    monkeypatch.delenv("CLAUDE_CONFIG_DIR", raising=False)
    return setup_project(repo)


def rollout(cwd: str, session: str) -> list[dict[str, object]]:
    """A two-call Codex rollout that ran in `cwd` (the record types of the real format)."""
    call = {
        "type": "function_call",
        "name": "exec_command",
        "call_id": "c1",
        "arguments": json.dumps({"cmd": "pytest -q"}),
    }
    out = {"type": "function_call_output", "call_id": "c1", "output": "Process exited with code 0"}
    return [
        {
            "timestamp": "2026-03-02T09:00:00Z",
            "type": "session_meta",
            "payload": {"id": session, "cwd": cwd, "cli_version": "0.50.0"},
        },
        {"timestamp": "2026-03-02T09:00:01Z", "type": "response_item", "payload": call},
        {"timestamp": "2026-03-02T09:00:02Z", "type": "response_item", "payload": out},
    ]


def write_rollout(folder: Path, cwd: str, session: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"rollout-2026-03-02T09-00-00-{session}.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rollout(cwd, session)))
    return path


def test_codex_rollouts_of_this_repository_are_found(proj: Project) -> None:
    day = Path.home() / ".codex" / "sessions" / "2026" / "03" / "02"
    ours = write_rollout(day, str(proj.root / "src"), "a1")
    write_rollout(day, "/elsewhere/other-project", "b2")

    found = [s for s in discover(proj) if s.agent == "codex"]

    assert [s.path for s in found] == [ours]


def test_gemini_chats_are_found_by_the_project_hash(proj: Project) -> None:
    chats = Path.home() / ".gemini" / "tmp" / gemini_project_hash(proj.root) / "chats"
    chats.mkdir(parents=True)
    for fixture in sorted(GEMINI_FIXTURES.glob("session-*")):
        shutil.copy(fixture, chats / fixture.name)
    (chats / "notes.json").write_text(json.dumps({"hello": "world"}))
    other = Path.home() / ".gemini" / "tmp" / gemini_project_hash(Path("/other")) / "chats"
    other.mkdir(parents=True)
    shutil.copy(sorted(GEMINI_FIXTURES.glob("session-*"))[0], other / "session-x.json")

    found = [s for s in discover(proj) if s.agent == "gemini"]

    assert sorted(s.path.name for s in found) == sorted(
        p.name for p in GEMINI_FIXTURES.glob("session-*")
    )


def test_a_folder_keeps_only_what_an_agent_wrote(proj: Project, tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    write_rollout(folder, "/w", "c3")
    (folder / "package.json").write_text(json.dumps({"name": "x"}))
    (folder / "log.jsonl").write_text('{"level": "info"}\n')

    assert [s.agent for s in discover(proj, [folder])] == ["codex"]


def test_a_named_file_that_is_no_transcript_is_refused(proj: Project, tmp_path: Path) -> None:
    path = tmp_path / "package.json"
    path.write_text(json.dumps({"name": "x"}))

    with pytest.raises(UsageError, match="not a transcript of a supported agent"):
        discover(proj, [path])


def test_a_real_codex_rollout_imports_with_every_call(proj: Project) -> None:
    if not CODEX_CORPUS.is_dir():
        pytest.skip("the shared corpus is not here")
    [path] = CODEX_CORPUS.glob("019ed50c*.jsonl")

    result = import_history(proj, [path], learn=False)

    assert (result.found, result.archived, result.failed) == (1, 1, 0)
    [archive] = archives(proj)
    data = read_archive(archive.read_text(encoding="utf-8"))
    assert len(data.tool_calls) == 105  # the reader's exact count for this rollout
    assert data.meta.started_at.isoformat().startswith("2026-06-17T10:06:46")  # its own date
    assert archive.name.startswith("2026-06-17-")
