"""`tmws init`: the dual-layer layout, git wiring, idempotence, and bad input."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from hestai_tmws.errors import NotARepositoryError, PathRejectedError
from hestai_tmws.layout import CONTEXT_DOCS
from hestai_tmws.octave import parse
from hestai_tmws.project import Project
from hestai_tmws.workflows.init import GITATTRIBUTES_LINES, GITIGNORE_LINES, init_project
from tests.conftest import git, make_repo
from tests.octave_oracle import assert_oracle_clean

EXPECTED_FILES = [f".hestai/context/{name}.oct.md" for name in CONTEXT_DOCS] + [
    ".hestai/workflow/000-project-north-star.oct.md"
]


def test_init_creates_layout_and_stages(project: Project) -> None:
    result = init_project(project)
    assert sorted(result.created) == sorted(EXPECTED_FILES)
    for rel in ("workflow/decisions", "sessions/active", "sessions/archive", "reports"):
        assert (project.hestai / rel).is_dir()
    for rel in EXPECTED_FILES:
        text = (project.root / rel).read_text()
        parse(text)
        assert_oracle_clean(text)
    staged = set(git(project.root, "diff", "--cached", "--name-only").split())
    assert set(EXPECTED_FILES) | {".gitignore", ".gitattributes"} <= staged
    ignore = (project.root / ".gitignore").read_text().splitlines()
    assert all(line in ignore for line in GITIGNORE_LINES)
    attrs = (project.root / ".gitattributes").read_text().splitlines()
    assert ".hestai/**/*.jsonl merge=union" in attrs
    assert all(line in attrs for line in GITATTRIBUTES_LINES)
    assert (project.hestai_sys / ".version").is_file()
    # the active-sessions folder and governance are ignored by git
    ignored = git(project.root, "check-ignore", ".hestai-sys/x", ".hestai/sessions/active/x")
    assert len(ignored.split()) == 2


def test_init_again_keeps_memory(project: Project) -> None:
    init_project(project)
    ctx = project.hestai / "context/project-context.oct.md"
    before = ctx.read_text()
    result = init_project(project)
    assert result.created == []
    assert sorted(result.kept) == sorted(EXPECTED_FILES)
    assert result.gitignore_added == [] and result.gitattributes_added == []
    assert ctx.read_text() == before


def test_init_keeps_existing_gitignore_lines(project: Project) -> None:
    (project.root / ".gitignore").write_text("node_modules/\n*.log")
    init_project(project)
    lines = (project.root / ".gitignore").read_text().splitlines()
    assert lines[:2] == ["node_modules/", "*.log"]
    assert ".hestai-sys/" in lines


def test_init_from_subfolder_and_in_worktree(repo: Path, tmp_path: Path) -> None:
    sub = repo / "deep" / "sub"
    sub.mkdir(parents=True)
    assert Project.discover(sub).root == repo.resolve()
    wt = tmp_path / "wt"
    git(repo, "worktree", "add", "-q", str(wt), "-b", "wt-branch")
    result = init_project(Project.discover(wt))
    assert (wt / ".hestai/context/project-context.oct.md").is_file()
    assert len(result.created) == len(EXPECTED_FILES)
    assert not (repo / ".hestai").exists()


def test_outside_git_repository(tmp_path: Path) -> None:
    with pytest.raises(NotARepositoryError, match="not inside a git repository"):
        Project.discover(tmp_path)


def test_hestai_symlink_refused_nothing_written(repo: Path, tmp_path: Path) -> None:
    target = tmp_path / "elsewhere"
    target.mkdir()
    os.symlink(target, repo / ".hestai")
    with pytest.raises(PathRejectedError, match="symbolic link"):
        init_project(Project.discover(repo))
    assert list(target.iterdir()) == []


def test_init_in_repo_without_commits(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "fresh", commit=False)
    result = init_project(Project.discover(root))
    assert len(result.created) == len(EXPECTED_FILES)
