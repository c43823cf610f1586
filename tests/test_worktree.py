"""`worktree`: the three folders of a work tree, read from `.git` alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from hestai_tmws.worktree import env_overrides_git, find_work_tree
from tests.conftest import git, make_repo


def test_a_subfolder_finds_its_repository(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r")
    (root / "a" / "b").mkdir(parents=True)
    assert find_work_tree(root / "a" / "b") == (root, root / ".git", root / ".git")


def test_a_linked_worktree_shares_the_common_dir(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r")
    git(root, "worktree", "add", "-q", str(tmp_path / "wt"))
    found = find_work_tree(tmp_path / "wt")
    assert found is not None
    assert found[0] == tmp_path / "wt" and found[2] == root / ".git"
    assert found[1].parent == root / ".git" / "worktrees"


def test_a_broken_git_pointer_gives_none(tmp_path: Path) -> None:
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / ".git").write_text("not a pointer\n")
    assert find_work_tree(tmp_path / "x") is None
    (tmp_path / "x" / ".git").write_text("gitdir: nowhere\n")
    assert find_work_tree(tmp_path / "x") is None  # no HEAD there: git's rules decide


def test_git_variables_are_noticed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GIT_DIR", raising=False)
    assert not env_overrides_git()
    monkeypatch.setenv("GIT_DIR", "/elsewhere")
    assert env_overrides_git()
