"""What CI catches: every way a hand edit slipped past the hook, then `tmws verify` on a clone.

Each case builds the bypass with real git commands in a repository `tmws init` set up (hook
installed), then clones it as CI does and runs verify there: the fresh clone has no ledger and
no hook, only the committed provenance. Verify must name the file, and `--since` must name
the commit that brought the hand edit in.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from hestai_tmws.errors import TmwsError
from hestai_tmws.findings import Finding
from hestai_tmws.guard.adopt import adopt
from hestai_tmws.guard.hooks_install import install_hook
from hestai_tmws.project import Project
from hestai_tmws.workflows.init import init_project
from hestai_tmws.workflows.verify import verify_project
from tests.guard.support import CONTEXT_ROOT, git, run

INDEX_ROOT = ".hestai/learnings-index.jsonl"


class Team:
    """A repository as `tmws init` leaves it, hook installed, with one commit of memory."""

    def __init__(self, root: Path, tmp: Path) -> None:
        self.root = root
        self.tmp = tmp
        self.project = Project.discover(root)
        init_project(self.project)
        install_hook(self.project)
        git(root, "commit", "-q", "-m", "tmws init")
        self.base = self.head()

    def head(self) -> str:
        return git(self.root, "rev-parse", "HEAD").strip()

    def hand_edit(self, rel_root: str = CONTEXT_ROOT, old: str = "", new: str = "") -> None:
        f = self.root / rel_root
        text = f.read_text()
        f.write_text(text.replace(old, new, 1) if old else text + "// by hand\n")
        git(self.root, "add", rel_root)

    def ci(self, *, since: str | None = None) -> list[Finding]:
        """Clone as CI does and run verify there; the error findings."""
        clone = self.tmp / f"ci-{len(list(self.tmp.glob('ci-*')))}"
        git(self.tmp, "clone", "-q", str(self.root), str(clone))
        report = verify_project(Project.discover(clone), since=since)
        return report.errors


@pytest.fixture
def team(repo: Path, tmp_path: Path) -> Team:
    return Team(repo, tmp_path)


def assert_caught(team: Team, path: str = CONTEXT_ROOT, *, commit: str | None = None) -> None:
    """CI names `path` at HEAD, and `--since` names the commit that brought it in."""
    errors = team.ci()
    assert any(f.path == path and f.code == "NOT_FROM_TMWS" for f in errors), errors
    culprit = commit or team.head()
    ranged = team.ci(since=team.base)
    assert any(f.path == path and culprit[:12] in f.message for f in ranged), ranged


def test_clean_history_verifies_on_a_clone(team: Team) -> None:
    assert team.ci() == []
    assert team.ci(since=team.base) == []


def test_no_verify(team: Team) -> None:
    team.hand_edit()
    git(team.root, "commit", "-q", "--no-verify", "-m", "x")
    assert_caught(team)


def test_hooks_path_pointing_nowhere(team: Team) -> None:
    team.hand_edit()
    git(team.root, "-c", "core.hooksPath=/dev/null", "commit", "-q", "-m", "x")
    assert_caught(team)


def test_hook_skipped_by_a_framework(team: Team) -> None:
    """`SKIP=tmws-guard` under the pre-commit framework: the guard simply never runs."""
    empty = team.tmp / "framework-hooks"
    empty.mkdir()
    team.hand_edit()
    git(team.root, "-c", f"core.hooksPath={empty}", "commit", "-q", "-m", "x", env={"SKIP": "x"})
    assert_caught(team)


def test_commit_tree_and_update_ref(team: Team) -> None:
    team.hand_edit()
    tree = git(team.root, "write-tree").strip()
    commit = git(team.root, "commit-tree", tree, "-p", "HEAD", "-m", "plumbing").strip()
    git(team.root, "update-ref", "refs/heads/main", commit)
    assert_caught(team, commit=commit)


def _side_commit(team: Team) -> str:
    """A hand edit committed with --no-verify on a side branch; back on main afterwards."""
    git(team.root, "checkout", "-q", "-b", "side")
    team.hand_edit()
    git(team.root, "commit", "-q", "--no-verify", "-m", "side")
    side = team.head()
    git(team.root, "checkout", "-q", "main")
    return side


@pytest.mark.parametrize("marker", ["CHERRY_PICK_HEAD", "REBASE_HEAD", "MERGE_HEAD"])
def test_forged_incoming_state(team: Team, marker: str) -> None:
    """A forged incoming-state file naming a commit that carries the hand edit."""
    side = _side_commit(team)
    git(team.root, "checkout", side, "--", CONTEXT_ROOT)
    (team.project.git_dir / marker).write_text(side + "\n")
    proc = run(team.root, "git", "commit", "-q", "-m", "forged")
    assert proc.returncode != 0, "the hook must not take content tmws never recorded"
    git(team.root, "commit", "-q", "--no-verify", "-m", "forged")
    for name in ("CHERRY_PICK_HEAD", "REBASE_HEAD", "MERGE_HEAD"):
        (team.project.git_dir / name).unlink(missing_ok=True)
    assert_caught(team, commit=side if marker == "MERGE_HEAD" else None)


def test_git_am_of_a_hand_edit(team: Team) -> None:
    side = _side_commit(team)
    patch = git(team.root, "format-patch", "-1", "--stdout", side)
    proc = run(team.root, "git", "am", "-q", input_path(team, patch))
    assert proc.returncode == 0, proc.stderr
    assert_caught(team)


def input_path(team: Team, text: str) -> str:
    path = team.tmp / "hand.patch"
    path.write_text(text)
    return str(path)


def test_cherry_pick_of_a_no_verify_commit(team: Team) -> None:
    side = _side_commit(team)
    git(team.root, "cherry-pick", side)
    assert_caught(team)


def test_rebase_of_a_no_verify_commit(team: Team) -> None:
    side = _side_commit(team)
    (team.root / "other.txt").write_text("main moves on\n")
    git(team.root, "add", "other.txt")
    git(team.root, "commit", "-q", "-m", "main")
    git(team.root, "checkout", "-q", "side")
    git(team.root, "rebase", "-q", "main")
    git(team.root, "checkout", "-q", "main")
    git(team.root, "merge", "-q", "--ff-only", "side")
    assert_caught(team, commit=git(team.root, "rev-parse", "HEAD").strip())
    assert side != team.head()


def test_wrapper_git_on_the_exec_path(team: Team) -> None:
    """A wrapper `git` first on PATH (and GIT_EXEC_PATH) that hides the staged change."""
    bin_dir = team.tmp / "wrapper"
    bin_dir.mkdir()
    real = git(team.root, "--exec-path").strip()
    wrapper = bin_dir / "git"
    wrapper.write_text(
        f'#!/bin/sh\ncase "$*" in *"diff --cached"*) exit 0 ;; esac\nexec {real}/git "$@"\n'
    )
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IEXEC)
    team.hand_edit()
    env = {"PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "GIT_EXEC_PATH": real}
    proc = run(team.root, "git", "commit", "-q", "-m", "x", env=env)
    if proc.returncode != 0:  # the hook saw through it: take the plain bypass
        git(team.root, "commit", "-q", "--no-verify", "-m", "x")
    assert_caught(team)


def test_failed_adopt_records_nothing(team: Team) -> None:
    """An adopt refused (a secret in the reason) leaves no ledger line or provenance behind."""
    team.hand_edit()
    secret = "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"
    with pytest.raises(TmwsError):
        adopt(team.project, [CONTEXT_ROOT], reason=f"token {secret}", cwd=team.root)
    assert run(team.root, "git", "commit", "-q", "-m", "x").returncode != 0
    git(team.root, "commit", "-q", "--no-verify", "-m", "x")
    assert_caught(team)


def test_new_file_by_hand(team: Team) -> None:
    path = ".hestai/reports/by-hand.md"
    (team.root / path).parent.mkdir(parents=True, exist_ok=True)
    (team.root / path).write_text("# Not from tmws\n")
    git(team.root, "add", path)
    git(team.root, "commit", "-q", "--no-verify", "-m", "x")
    errors = team.ci()
    assert any(f.path == path and f.code == "NOT_FROM_TMWS" for f in errors), errors


def test_deletion_by_hand(team: Team) -> None:
    git(team.root, "rm", "-q", CONTEXT_ROOT)
    git(team.root, "commit", "-q", "--no-verify", "-m", "x")
    ranged = team.ci(since=team.base)
    assert any(
        f.path == CONTEXT_ROOT and f.code == "DELETED_BY_HAND" and team.head()[:12] in f.message
        for f in ranged
    ), ranged


def test_hand_line_in_a_union_log(team: Team) -> None:
    """A line typed into an append-only log is in no version tmws recorded."""
    from hestai_tmws.steward import Steward

    steward = Steward(team.project)
    with steward.transaction("t", stage=True):
        steward.append_jsonl("learnings-index.jsonl", [{"id": "real"}])
    git(team.root, "commit", "-q", "-m", "log")
    with (team.root / INDEX_ROOT).open("a") as fh:
        fh.write('{"id": "typed by hand"}\n')
    git(team.root, "add", INDEX_ROOT)
    git(team.root, "commit", "-q", "--no-verify", "-m", "x")
    assert_caught(team, INDEX_ROOT)


def test_provenance_line_that_is_not_a_record(team: Team) -> None:
    prov = sorted((team.root / ".hestai/provenance").glob("*.jsonl"))[0]
    with prov.open("a") as fh:
        fh.write("not a record\n")
    rel = prov.relative_to(team.root).as_posix()
    git(team.root, "add", rel)
    git(team.root, "commit", "-q", "--no-verify", "-m", "x")
    errors = team.ci()
    assert any(f.path == rel and f.code == "PROVENANCE_MALFORMED" for f in errors), errors
