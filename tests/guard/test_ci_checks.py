"""The collaboration checks `tmws verify` runs in CI, and what `--fix` repairs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hestai_tmws.guard.ci_checks import (
    collaboration_findings,
    conflict_line,
    learnings_index_findings,
)
from hestai_tmws.project import Project
from tests.guard.support import git, steward_write, write_gitattributes

INDEX = ".hestai/sessions/archive/learnings-index.jsonl"


@pytest.fixture
def sessions(repo: Path) -> Project:
    """A project with two real clock-outs (archives + index lines), committed."""
    from hestai_tmws.workflows.clock_in import clock_in
    from hestai_tmws.workflows.clock_out import clock_out
    from hestai_tmws.workflows.init import init_project

    project = Project.discover(repo)
    init_project(project)
    for focus in ("first topic", "second topic"):
        clock_in(project, role="implementation-lead", focus=focus)
        clock_out(project, summary=focus, learnings=[f"{focus} learning"])
    git(repo, "commit", "-q", "-m", "sessions")
    return project


def codes(findings: list) -> list[str]:  # type: ignore[type-arg]
    return sorted(f.code for f in findings)


def test_clean_project_has_no_findings(sessions: Project) -> None:
    assert collaboration_findings(sessions, fix=False) == []


def test_governance_tracked(sessions: Project) -> None:
    git(sessions.root, "add", "-f", ".hestai-sys")
    findings = collaboration_findings(sessions, fix=False)
    assert "SYS_TRACKED" in codes(findings)
    assert all(f.severity == "error" and not f.fixed for f in findings)
    fixed = collaboration_findings(sessions, fix=True)
    assert {f.code for f in fixed} == {"SYS_TRACKED"} and all(f.fixed for f in fixed)
    assert not git(sessions.root, "ls-files", ".hestai-sys").strip()
    assert (sessions.root / ".hestai-sys").is_dir()  # untracked, not deleted


def test_active_session_tracked(sessions: Project) -> None:
    rel = ".hestai/sessions/active/abcabcabcabc/session.json"
    (sessions.root / rel).parent.mkdir(parents=True)
    (sessions.root / rel).write_text("{}\n")
    git(sessions.root, "add", "-f", rel)
    (finding,) = collaboration_findings(sessions, fix=False)
    assert (finding.code, finding.path) == ("ACTIVE_TRACKED", rel)
    (fixed,) = collaboration_findings(sessions, fix=True)
    assert fixed.fixed and not git(sessions.root, "ls-files", rel).strip()


def test_executable_and_symlink_memory_files(sessions: Project) -> None:
    ctx = ".hestai/context/project-context.oct.md"
    git(sessions.root, "update-index", "--chmod=+x", ctx)
    link = sessions.root / ".hestai/context/link.oct.md"
    link.symlink_to("project-context.oct.md")
    git(sessions.root, "add", ".hestai/context/link.oct.md")
    assert codes(collaboration_findings(sessions, fix=False)) == ["TRACKED_MODE", "TRACKED_SYMLINK"]
    fixed = {f.code: f.fixed for f in collaboration_findings(sessions, fix=True)}
    assert fixed == {"TRACKED_MODE": True, "TRACKED_SYMLINK": False}
    assert git(sessions.root, "ls-files", "-s", ctx).startswith("100644")


def test_committed_conflict_markers(sessions: Project) -> None:
    f = sessions.root / ".hestai/context/project-roadmap.oct.md"
    f.write_text(f.read_text() + "<<<<<<< ours\n=======\n>>>>>>> theirs\n")
    (finding,) = collaboration_findings(sessions, fix=False)
    assert finding.code == "CONFLICT_MARKERS"
    assert finding.path is not None and finding.path.startswith(".hestai/context/project-roadmap")


def test_setext_heading_is_not_a_conflict_marker(sessions: Project) -> None:
    report = sessions.root / ".hestai/reports/notes.md"
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text("Findings\n=======\n\nAll good.\n")
    git(sessions.root, "add", "-f", ".hestai/reports/notes.md")
    assert "CONFLICT_MARKERS" not in codes(collaboration_findings(sessions, fix=False))


@given(st.lists(st.sampled_from(["text", "=======", "# h", "", "-------"]), max_size=12))
def test_conflict_line_needs_an_opening_or_closing_marker(lines: list[str]) -> None:
    assert conflict_line("\n".join(lines)) is None
    assert conflict_line("\n".join([*lines, "<<<<<<< ours"])) == len(lines) + 1


def test_missing_merge_rules_is_a_warning(repo: Path) -> None:
    project = Project.discover(repo)
    found = collaboration_findings(project, fix=False)
    assert len(found) == 3  # the index, project-context, provenance
    assert {f.code for f in found} == {"MERGE_RULES_MISSING"}
    assert all(f.severity == "warning" for f in found)
    write_gitattributes(repo)
    assert collaboration_findings(project, fix=False) == []


def _index_lines(project: Project) -> list[str]:
    return (project.root / INDEX).read_text().splitlines()


def _write_index(project: Project, lines: list[str]) -> None:
    steward_write(
        project, "sessions/archive/learnings-index.jsonl", "".join(x + "\n" for x in lines)
    )


def test_index_missing_a_session(sessions: Project) -> None:
    lines = _index_lines(sessions)
    _write_index(sessions, lines[:1])
    (finding,) = learnings_index_findings(sessions, fix=False)
    assert finding.code == "INDEX_MISSING" and not finding.fixed
    (fixed,) = learnings_index_findings(sessions, fix=True)
    assert fixed.fixed
    assert _index_lines(sessions) == lines  # rebuilt exactly as the Steward wrote it
    assert learnings_index_findings(sessions, fix=False) == []


def test_index_line_without_archive(sessions: Project) -> None:
    lines = _index_lines(sessions)
    stale = json.loads(lines[0]) | {"archive": "sessions/archive/2020-01-01-gone-deadbeef.oct.md"}
    _write_index(sessions, [*lines, json.dumps(stale, sort_keys=True)])
    (finding,) = learnings_index_findings(sessions, fix=False)
    assert finding.code == "INDEX_STALE" and finding.path == f"{INDEX}:3"
    learnings_index_findings(sessions, fix=True)
    assert _index_lines(sessions) == lines


def test_index_duplicate_and_mismatch(sessions: Project) -> None:
    lines = _index_lines(sessions)
    changed = json.loads(lines[1]) | {"learnings": ["rewritten by hand"]}
    _write_index(sessions, [lines[0], json.dumps(changed, sort_keys=True), lines[0]])
    assert codes(learnings_index_findings(sessions, fix=False)) == [
        "INDEX_DUPLICATE",
        "INDEX_MISMATCH",
    ]
    learnings_index_findings(sessions, fix=True)
    assert _index_lines(sessions) == lines


def test_index_rebuild_is_a_steward_write_that_passes_the_guard(sessions: Project) -> None:
    from hestai_tmws.guard.precommit import check_staged

    _write_index(sessions, _index_lines(sessions)[:1])
    git(sessions.root, "commit", "-q", "-m", "broken index")
    learnings_index_findings(sessions, fix=True)
    assert INDEX in git(sessions.root, "diff", "--cached", "--name-only")
    assert check_staged(sessions).ok


def test_archives_without_an_index(sessions: Project) -> None:
    from hestai_tmws.steward import Steward

    lines = _index_lines(sessions)
    Steward(sessions).delete("sessions/archive/learnings-index.jsonl")
    assert codes(learnings_index_findings(sessions, fix=False)) == [
        "INDEX_MISSING",
        "INDEX_MISSING",
    ]
    learnings_index_findings(sessions, fix=True)
    assert sorted(_index_lines(sessions)) == sorted(lines)


def test_verify_reports_collaboration_findings(sessions: Project) -> None:
    from hestai_tmws.workflows.verify import verify_project

    git(sessions.root, "add", "-f", ".hestai-sys")
    report = verify_project(sessions)
    assert not report.ok and "SYS_TRACKED" in {f.code for f in report.findings}
    assert verify_project(sessions, fix=True).ok
