"""gitio: the one way to git. Blob ids, raw diffs, HEAD and work trees read like git does."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hestai_tmws.errors import NotARepositoryError, TmwsError
from hestai_tmws.gitio import (
    GitRepo,
    StagedChange,
    blob_id,
    find_work_tree,
    parse_raw_diff,
    resolve_head,
    run_git,
)
from tests.conftest import git


@given(st.binary(max_size=200))
def test_blob_id_is_what_git_hash_object_says(data: bytes) -> None:
    out = subprocess.run(
        ["git", "hash-object", "--stdin"], input=data, capture_output=True, check=True
    )
    assert blob_id(data) == out.stdout.decode().strip()


def test_parse_raw_diff_reads_adds_and_renames() -> None:
    z = "0" * 40
    a, b = "a" * 40, "b" * 40
    raw = f":000000 100644 {z} {a} A\0new.md\0:100644 100644 {b} {b} R100\0old.md\0moved.md\0"
    assert parse_raw_diff(raw) == [
        StagedChange("A", "000000", "100644", z, "a" * 40, "new.md"),
        StagedChange("R", "100644", "100644", "b" * 40, "b" * 40, "moved.md", "old.md"),
    ]
    assert parse_raw_diff("") == []
    with pytest.raises(TmwsError, match="unexpected git diff output"):
        parse_raw_diff("garbage\0")


def test_repo_reads_root_head_branch_and_staged_changes(repo: Path) -> None:
    gr = GitRepo(repo / ".")
    assert (gr.root, gr.git_dir, gr.common_dir) == (repo.resolve(), repo / ".git", repo / ".git")
    assert gr.head_commit() == git(repo, "rev-parse", "HEAD").strip()
    assert gr.branch() == "main"
    (repo / "a.txt").write_text("a\n")
    gr.add(["a.txt"])
    [change] = gr.staged_changes()
    assert (change.status, change.path, change.new_blob) == ("A", "a.txt", blob_id(b"a\n"))
    assert git(repo, "ls-files", "a.txt").strip() == "a.txt"


def test_detached_head_has_no_branch(repo: Path) -> None:
    git(repo, "checkout", "-q", "--detach")
    assert GitRepo(repo).branch() is None


def test_head_through_packed_refs_and_unborn_branch(tmp_path: Path, repo: Path) -> None:
    git(repo, "pack-refs", "--all")
    assert not (repo / ".git" / "refs" / "heads" / "main").exists()
    assert resolve_head(repo / ".git", repo / ".git") == git(repo, "rev-parse", "HEAD").strip()
    empty = tmp_path / "empty"
    empty.mkdir()
    git(empty, "init", "-q", "-b", "main")
    assert GitRepo(empty).head_commit() is None


def test_linked_worktree_shares_the_common_dir(repo: Path, tmp_path: Path) -> None:
    git(repo, "worktree", "add", "-q", str(tmp_path / "wt"), "-b", "side")
    root, git_dir, common = find_work_tree(tmp_path / "wt") or (None, None, None)
    assert root == (tmp_path / "wt").resolve()
    assert common == (repo / ".git").resolve() and git_dir != common
    assert GitRepo(tmp_path / "wt").branch() == "side"


def test_outside_a_repository_is_a_clear_error(tmp_path: Path) -> None:
    assert find_work_tree(tmp_path) is None
    with pytest.raises(NotARepositoryError):
        GitRepo(tmp_path / "missing")


def test_config_round_trip_and_failures_become_tmws_errors(repo: Path) -> None:
    gr = GitRepo(repo)
    assert gr.config_get("tmws.test") is None
    gr.config_set("tmws.test", "yes")
    assert gr.config_get("tmws.test") == "yes"
    with pytest.raises(TmwsError, match="git log"):
        gr.git("log", "no-such-revision")


def test_run_git_returns_bytes_and_checks(repo: Path) -> None:
    assert run_git(repo, "rev-parse", "--is-inside-work-tree").stdout == b"true\n"
    assert run_git(repo, "rev-parse", "nope", check=False).returncode != 0
    with pytest.raises(TmwsError, match="git rev-parse"):
        run_git(repo, "rev-parse", "nope")
