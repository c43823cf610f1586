"""The learnings index moves to `.hestai/sessions/archive/` (ADR-0033) by itself."""

from __future__ import annotations

from pathlib import Path

from hestai_tmws.guard.ci_checks import learnings_index_findings
from hestai_tmws.layout import LEARNINGS_INDEX, LEGACY_LEARNINGS_INDEX
from hestai_tmws.sessions.archive.index_move import legacy_index_present, move_legacy_index
from hestai_tmws.workflows.clock_in import clock_in
from hestai_tmws.workflows.clock_out import clock_out
from tests.workflows.clock_support import git, init_repo, setup_project, staged

OLD = f".hestai/{LEGACY_LEARNINGS_INDEX}"
NEW = f".hestai/{LEARNINGS_INDEX}"


def _old_repo(tmp_path: Path) -> tuple[Path, list[str]]:
    """A repository as tmws wrote it before ADR-0033: the index at the top of .hestai/."""
    repo = init_repo(tmp_path / "repo")
    project = setup_project(repo)
    clock_in(project, focus="one")
    clock_out(project, commit=True)
    lines = (repo / NEW).read_text().splitlines()
    git(repo, "mv", NEW, OLD)
    git(repo, "commit", "-q", "-m", "old layout", "--no-verify")
    return repo, lines


def test_clock_in_moves_the_old_index_and_stages_the_move(tmp_path: Path) -> None:
    repo, lines = _old_repo(tmp_path)
    project = setup_project(repo, commit=False)
    result = clock_in(project, focus="two")
    assert any("ADR-0033" in note for note in result.notes)
    assert not (repo / OLD).exists()
    assert (repo / NEW).read_text().splitlines() == lines
    changes = git(repo, "diff", "--cached", "--name-status", "--no-renames").splitlines()
    assert f"D\t{OLD}" in changes and f"M\t{NEW}" not in changes  # a move, staged
    assert NEW in staged(repo)
    assert not legacy_index_present(project) and not move_legacy_index(project)


def test_lines_already_in_the_new_index_are_not_repeated(tmp_path: Path) -> None:
    repo, lines = _old_repo(tmp_path)
    (repo / NEW).write_text(lines[0] + "\n" + '{"id": "x"}')
    (repo / OLD).write_text("\n".join(lines) + "\n")
    project = setup_project(repo, commit=False)
    assert move_legacy_index(project)
    assert (repo / NEW).read_text().splitlines() == [lines[0], '{"id": "x"}', *lines[1:]]


def test_verify_reports_the_old_place_and_fix_moves_it(tmp_path: Path) -> None:
    repo, _ = _old_repo(tmp_path)
    project = setup_project(repo, commit=False)
    codes = [f.code for f in learnings_index_findings(project, fix=False)]
    assert "INDEX_OLD_PLACE" in codes
    fixed = learnings_index_findings(project, fix=True)
    assert "INDEX_OLD_PLACE" not in [f.code for f in fixed]
    assert (repo / NEW).is_file() and not (repo / OLD).exists()
