"""A retried clock-out never replaces its archive with less, and stages everything it wrote."""

from __future__ import annotations

from pathlib import Path

import pytest

from hestai_tmws.project import Project
from hestai_tmws.sessions.archive import holds_more, read_archive
from hestai_tmws.sessions.store import load_session
from hestai_tmws.workflows.clock_in import clock_in
from hestai_tmws.workflows.clock_out import clock_out
from tests.fixtures import clock_transcripts as ct
from tests.workflows.clock_support import git, setup_project


@pytest.fixture
def proj(repo: Path) -> Project:
    return setup_project(repo)


def test_retry_without_transcript_keeps_the_richer_archive(
    proj: Project, repo: Path, tmp_path: Path
) -> None:
    tr = ct.write_basic(tmp_path / "t.jsonl", cwd=str(repo))
    opened = clock_in(proj, focus="keep me")
    session = load_session(proj, opened.session_id)
    first = clock_out(proj, transcript=tr, summary="the real summary", decisions=["d1"])
    path = proj.root / first.archive_path  # named by the transcript's start date
    rich = read_archive(path.read_text())
    assert rich.tool_calls and rich.summary.text == "the real summary"
    folder = proj.memory_path(f"sessions/active/{session.id}")
    folder.mkdir(parents=True)
    (folder / "session.json").write_text(session.model_dump_json())
    second = clock_out(proj)  # the retry: no transcript, no summary
    assert second.archive_path == first.archive_path
    kept = read_archive(path.read_text())
    assert len(kept.tool_calls) == len(rich.tool_calls)
    assert kept.summary.text == "the real summary" and kept.decisions == rich.decisions


def test_clock_out_stages_its_provenance(proj: Project) -> None:
    clock_in(proj, focus="staged")
    clock_out(proj, summary="s", learnings=["l"])
    unstaged = git(proj.root, "diff", "--name-only", "--", ".hestai").split()
    assert unstaged == []


def test_holds_more_is_about_losing_content(proj: Project, repo: Path, tmp_path: Path) -> None:
    tr = ct.write_basic(tmp_path / "t.jsonl", cwd=str(repo))
    clock_in(proj, focus="compare")
    done = clock_out(proj, transcript=tr, summary="x")
    data = read_archive((proj.root / done.archive_path).read_text())
    empty = data.model_copy(update={"tool_calls": [], "summary": type(data.summary)()})
    assert holds_more(data, empty) and not holds_more(empty, data) and not holds_more(data, data)
