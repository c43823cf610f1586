"""`tmws verify`: passes on a fresh init, fails on each kind of damage."""

from __future__ import annotations

import os

import pytest

from hestai_tmws.errors import UsageError
from hestai_tmws.project import Project
from hestai_tmws.workflows.init import init_project
from hestai_tmws.workflows.verify import verify_project
from tests.conftest import git


def codes(project: Project) -> set[str]:
    return {f.code for f in verify_project(project).findings if f.severity == "error"}


def test_fresh_init_verifies(project: Project) -> None:
    init_project(project)
    report = verify_project(project)
    assert report.ok, report.findings
    assert report.checked_files == 7  # six memory files and today's provenance


def test_tampered_governance_fails_and_fix_heals(project: Project) -> None:
    init_project(project)
    target = next(project.hestai_sys.rglob("*.oct.md"))
    os.chmod(target, 0o644)
    target.write_text(target.read_text() + "// tampered\n")
    assert "GOV_TAMPERED" in codes(project)
    fixed = verify_project(project, fix=True)
    assert fixed.ok and any(f.fixed for f in fixed.findings)
    assert verify_project(project).ok


def test_invalid_octave_fails(project: Project) -> None:
    init_project(project)
    (project.hestai / "context/project-roadmap.oct.md").write_text("===X===\nKEY: broken\n")
    assert "OCTAVE_INVALID" in codes(project)


def test_misplaced_file_fails(project: Project) -> None:
    init_project(project)
    (project.hestai / "notes").mkdir()
    (project.hestai / "notes/random.oct.md").write_text(
        (project.hestai / "context/project-roadmap.oct.md").read_text()
    )
    assert "MISPLACED" in codes(project)


def test_temp_leftover_is_only_a_warning(project: Project) -> None:
    init_project(project)
    (project.hestai / "context/.tmws-tmp-abc.tmp").write_text("partial")
    report = verify_project(project)
    assert report.ok
    assert any(f.code == "TEMP_LEFTOVER" for f in report.findings)


def test_fix_sweeps_temp_leftovers(project: Project) -> None:
    init_project(project)
    leftover = project.hestai / "context/.tmws-tmp-abc.tmp"
    leftover.write_text("partial")
    report = verify_project(project, fix=True)
    assert not leftover.exists()
    assert [f.fixed for f in report.findings if f.code == "TEMP_LEFTOVER"] == [True]


def test_since_names_the_commit_of_a_hand_edit(project: Project) -> None:
    init_project(project)
    git(project.root, "commit", "-q", "-m", "init")
    base = git(project.root, "rev-parse", "HEAD").strip()
    ctx = project.hestai / "context/project-context.oct.md"
    ctx.write_text(ctx.read_text() + "// by hand\n")
    git(project.root, "commit", "-q", "--no-verify", "-am", "hand")
    culprit = git(project.root, "rev-parse", "HEAD").strip()
    report = verify_project(project, since=base)
    hits = [f for f in report.errors if f.path == ".hestai/context/project-context.oct.md"]
    assert any(culprit[:12] in f.message for f in hits), report.errors
    with pytest.raises(UsageError):
        verify_project(project, since="no-such-rev")


def test_fresh_clone_without_governance_verifies(project: Project, tmp_path: object) -> None:
    """CI checks out no .hestai-sys/ (it is ignored): a warning, and placement still checked."""
    import shutil
    import stat

    init_project(project)
    for path in project.hestai_sys.rglob("*"):
        path.chmod(stat.S_IRWXU)
    project.hestai_sys.chmod(stat.S_IRWXU)
    shutil.rmtree(project.hestai_sys)
    report = verify_project(project)
    assert report.ok
    assert [f.code for f in report.findings] == ["GOV_NOT_INJECTED"]
    (project.hestai / "context/stray.oct.md").write_text(
        (project.hestai / "context/project-roadmap.oct.md").read_text()
    )
    assert "MISPLACED" in codes(project)


def test_each_checked_file_is_reported_with_the_total(project: Project) -> None:
    """One count over both passes: each memory file checked, then each HEAD blob scanned."""
    init_project(project)
    git(project.root, "add", "-A")
    git(project.root, "commit", "-q", "--no-verify", "-m", "init")
    blobs = len(git(project.root, "ls-tree", "-r", "HEAD", "--", ".hestai").splitlines())
    heard: list[tuple[int, int, str]] = []
    report = verify_project(
        project, on_file=lambda done, total, rel: heard.append((done, total, rel))
    )
    assert [done for done, _, _ in heard] == list(range(1, report.checked_files + blobs + 1))
    assert {total for _, total, _ in heard} == {report.checked_files + blobs}
    assert "context/project-context.oct.md" in {rel for _, _, rel in heard}
    assert ".hestai/context/project-context.oct.md" in {rel for _, _, rel in heard}


def test_a_broken_archive_is_reported_once_parsed_once(project: Project) -> None:
    """verify reads each archive once for both checks: an unreadable one still fails both."""
    init_project(project)
    archive = project.hestai / "sessions/archive/2025-01-01-x-00000000.oct.md"
    archive.parent.mkdir(parents=True, exist_ok=True)
    archive.write_text("===SESSION_ARCHIVE===\nMETA:\n  TYPE::SESSION_ARCHIVE\n===END===\n")
    found = codes(project)
    assert "ARCHIVE_UNREADABLE" in found
