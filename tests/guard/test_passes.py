"""What the guard lets through, through a real `git commit`: Steward writes, merges, adoptions."""

from __future__ import annotations

from pathlib import Path

from hestai_tmws.project import Project
from hestai_tmws.steward.ledger import Ledger
from tests.guard.support import (
    CONTEXT,
    CONTEXT_ROOT,
    INDEX,
    Guarded,
    assert_blocked,
    assert_passed,
    context_doc,
    git,
    run,
    steward_append,
    steward_delete,
    steward_write,
    write_gitattributes,
)

ROADMAP = "context/project-roadmap.oct.md"


def roadmap(**status: object) -> str:
    return context_doc(**status).replace("PROJECT_CONTEXT", "PROJECT_ROADMAP")


def test_steward_edit_passes(guarded: Guarded) -> None:
    steward_write(guarded.project, CONTEXT, context_doc(owner="someone else"))
    assert_passed(guarded.commit())


def test_steward_new_file_and_log_pass(guarded: Guarded) -> None:
    steward_write(guarded.project, ROADMAP, roadmap())
    steward_append(guarded.project, INDEX, {"id": "x"})
    assert_passed(guarded.commit())


def test_steward_delete_passes(guarded: Guarded) -> None:
    steward_delete(guarded.project, CONTEXT)
    assert_passed(guarded.commit())


def test_older_steward_version_passes(guarded: Guarded) -> None:
    first = guarded.path(CONTEXT_ROOT).read_text()
    steward_write(guarded.project, CONTEXT, context_doc(owner="v2"))
    assert_passed(guarded.commit())
    guarded.path(CONTEXT_ROOT).write_text(first)  # e.g. `git checkout HEAD~1 -- PATH`
    git(guarded.root, "add", CONTEXT_ROOT)
    assert_passed(guarded.commit())


def test_older_steward_version_passes_after_the_ledger_forgot_it(guarded: Guarded) -> None:
    """A compacted ledger no longer knows old blobs; the committed provenance still does."""
    first = guarded.path(CONTEXT_ROOT).read_text()
    steward_write(guarded.project, CONTEXT, context_doc(owner="v2"))
    assert_passed(guarded.commit())
    Ledger(guarded.project.ledger_path, guarded.project.ledger_key_path).compact(keep=1)
    guarded.path(CONTEXT_ROOT).write_text(first)
    git(guarded.root, "add", CONTEXT_ROOT)
    assert_passed(guarded.commit())


def test_commit_outside_memory_passes_even_with_a_broken_ledger(guarded: Guarded) -> None:
    guarded.project.ledger_path.write_text("garbage\n")
    (guarded.root / "src.py").write_text("print(1)\n")
    git(guarded.root, "add", "src.py")
    assert_passed(guarded.commit())


def test_first_commit_of_a_repository(tmp_path: Path) -> None:
    from hestai_tmws.guard.hooks_install import install_hook
    from tests.conftest import make_repo

    root = make_repo(tmp_path / "fresh", commit=False)
    project = Project.discover(root)
    install_hook(project)
    steward_write(project, CONTEXT, context_doc())
    assert_passed(run(root, "git", "commit", "-q", "-m", "first"))


def test_mode_put_back_to_100644_passes(guarded: Guarded) -> None:
    git(guarded.root, "update-index", "--chmod=+x", CONTEXT_ROOT)
    git(guarded.root, "commit", "-q", "--no-verify", "-m", "slipped through")
    git(guarded.root, "update-index", "--chmod=-x", CONTEXT_ROOT)
    assert_passed(guarded.commit())


def test_untracking_governance_and_active_sessions_passes(guarded: Guarded) -> None:
    sys_file = guarded.path(".hestai-sys/x.md")
    sys_file.parent.mkdir()
    sys_file.write_text("x\n")
    active = ".hestai/sessions/active/abcabcabcabc/session.json"
    guarded.path(active).parent.mkdir(parents=True)
    guarded.path(active).write_text("{}\n")
    git(guarded.root, "add", "-f", ".hestai-sys/x.md", active)
    git(guarded.root, "commit", "-q", "--no-verify", "-m", "oops")
    git(guarded.root, "rm", "-q", "-r", "--cached", ".hestai-sys", ".hestai/sessions/active")
    assert_passed(guarded.commit())


def _two_branches(g: Guarded) -> None:
    """`side` and `main` each write through the Steward, touching the same files."""
    git(g.root, "checkout", "-q", "-b", "side")
    steward_write(g.project, ROADMAP, roadmap())
    steward_append(g.project, INDEX, {"id": "side"})
    git(g.root, "commit", "-q", "-m", "side")
    git(g.root, "checkout", "-q", "main")
    steward_write(
        g.project,
        "context/project-checklist.oct.md",
        context_doc().replace("PROJECT_CONTEXT", "PROJECT_CHECKLIST"),
    )
    steward_append(g.project, INDEX, {"id": "main"})
    git(g.root, "commit", "-q", "-m", "main")


def test_merge_of_steward_branches_passes(guarded: Guarded) -> None:
    write_gitattributes(guarded.root)
    git(guarded.root, "add", ".gitattributes")
    git(guarded.root, "commit", "-q", "--allow-empty", "-m", "attributes")
    _two_branches(guarded)
    git(guarded.root, "merge", "-q", "--no-ff", "--no-commit", "side")
    assert (guarded.project.git_dir / "MERGE_HEAD").exists()
    # the union-merged index is neither side's blob nor in the ledger: it passes as a merge result
    assert_passed(guarded.commit())
    lines = guarded.path(".hestai/" + INDEX).read_text().splitlines()
    assert sorted(lines) == ['{"id": "main"}', '{"id": "side"}']


def test_merge_conflict_resolved_by_taking_one_side_passes(guarded: Guarded) -> None:
    git(guarded.root, "checkout", "-q", "-b", "side")
    steward_write(guarded.project, CONTEXT, context_doc(owner="side"))
    git(guarded.root, "commit", "-q", "-m", "side")
    git(guarded.root, "checkout", "-q", "main")
    steward_write(guarded.project, CONTEXT, context_doc(owner="main"))
    git(guarded.root, "commit", "-q", "-m", "main")
    proc = run(guarded.root, "git", "merge", "-q", "side")
    assert proc.returncode != 0  # no merge driver registered: a textual conflict
    git(guarded.root, "checkout", "--theirs", CONTEXT_ROOT)
    git(guarded.root, "add", CONTEXT_ROOT)
    assert_passed(guarded.commit())


def test_merge_conflict_resolved_by_hand_is_blocked_until_adopted(guarded: Guarded) -> None:
    from hestai_tmws.guard.adopt import adopt

    git(guarded.root, "checkout", "-q", "-b", "side")
    steward_write(guarded.project, CONTEXT, context_doc(owner="side"))
    git(guarded.root, "commit", "-q", "-m", "side")
    git(guarded.root, "checkout", "-q", "main")
    steward_write(guarded.project, CONTEXT, context_doc(owner="main"))
    git(guarded.root, "commit", "-q", "-m", "main")
    assert run(guarded.root, "git", "merge", "-q", "side").returncode != 0
    guarded.path(CONTEXT_ROOT).write_text(context_doc(owner="main and side"))
    git(guarded.root, "add", CONTEXT_ROOT)
    assert_blocked(guarded.commit(), CONTEXT_ROOT)
    adopt(guarded.project, [CONTEXT_ROOT], reason="resolved the owner conflict", cwd=guarded.root)
    assert_passed(guarded.commit())


def test_cherry_pick_passes(guarded: Guarded) -> None:
    git(guarded.root, "checkout", "-q", "-b", "side")
    steward_write(guarded.project, ROADMAP, roadmap(goal="ship"))
    git(guarded.root, "commit", "-q", "-m", "side")
    git(guarded.root, "checkout", "-q", "main")
    steward_write(guarded.project, CONTEXT, context_doc(owner="main"))
    git(guarded.root, "commit", "-q", "-m", "main")
    git(guarded.root, "cherry-pick", "--no-commit", "side")
    assert_passed(guarded.commit())


def test_cherry_pick_conflict_taking_the_pick_passes(guarded: Guarded) -> None:
    git(guarded.root, "checkout", "-q", "-b", "side")
    steward_write(guarded.project, CONTEXT, context_doc(owner="side"))
    git(guarded.root, "commit", "-q", "-m", "side")
    git(guarded.root, "checkout", "-q", "main")
    steward_write(guarded.project, CONTEXT, context_doc(owner="main"))
    git(guarded.root, "commit", "-q", "-m", "main")
    assert run(guarded.root, "git", "cherry-pick", "side").returncode != 0
    assert (guarded.project.git_dir / "CHERRY_PICK_HEAD").exists()
    git(guarded.root, "checkout", "--theirs", CONTEXT_ROOT)
    git(guarded.root, "add", CONTEXT_ROOT)
    assert_passed(guarded.commit("--no-edit"))


def test_revert_passes(guarded: Guarded) -> None:
    steward_write(guarded.project, ROADMAP, roadmap())
    steward_write(guarded.project, CONTEXT, context_doc(owner="second"))
    git(guarded.root, "commit", "-q", "-m", "second")
    steward_append(guarded.project, INDEX, {"id": "third"})
    git(guarded.root, "commit", "-q", "-m", "third")
    git(guarded.root, "revert", "--no-commit", "HEAD~1")  # deletes the roadmap, restores context
    assert (guarded.project.git_dir / "REVERT_HEAD").exists()
    assert_passed(guarded.commit())
    assert not guarded.path(".hestai/" + ROADMAP).exists()


def test_rebase_conflict_taking_the_replayed_commit_passes(guarded: Guarded) -> None:
    git(guarded.root, "checkout", "-q", "-b", "side")
    steward_write(guarded.project, CONTEXT, context_doc(owner="side"))
    git(guarded.root, "commit", "-q", "-m", "side")
    git(guarded.root, "checkout", "-q", "main")
    steward_write(guarded.project, CONTEXT, context_doc(owner="main"))
    git(guarded.root, "commit", "-q", "-m", "main")
    git(guarded.root, "checkout", "-q", "side")
    assert run(guarded.root, "git", "rebase", "main").returncode != 0
    git(guarded.root, "checkout", "--theirs", CONTEXT_ROOT)  # in a rebase, theirs = replayed
    git(guarded.root, "add", CONTEXT_ROOT)
    assert_passed(guarded.commit("--no-edit"))


def test_adopted_edit_passes(guarded: Guarded) -> None:
    from hestai_tmws.guard.adopt import adopt

    f = guarded.path(CONTEXT_ROOT)
    f.write_text(f.read_text().replace("team", "me"))
    adopt(guarded.project, [CONTEXT_ROOT], reason="owner changed", cwd=guarded.root)
    assert_passed(guarded.commit())
    log = guarded.path(".hestai/adoptions.jsonl").read_text()
    assert CONTEXT_ROOT in log and "owner changed" in log


def test_adopted_deletion_passes(guarded: Guarded) -> None:
    from hestai_tmws.guard.adopt import adopt

    guarded.path(CONTEXT_ROOT).unlink()
    adopt(guarded.project, [CONTEXT_ROOT], reason="obsolete", cwd=guarded.root)
    assert_passed(guarded.commit())
    assert CONTEXT_ROOT not in git(guarded.root, "ls-files")


def test_worktree_steward_write_passes_there_and_in_main(guarded: Guarded, tmp_path: Path) -> None:
    wt = tmp_path / "wt"
    git(guarded.root, "worktree", "add", "-q", "-b", "side", str(wt))
    wt_project = Project.discover(wt)
    assert wt_project.common_dir == guarded.project.common_dir
    assert wt_project.ledger_path == guarded.project.ledger_path  # one ledger for all worktrees
    assert wt_project.lock_path == guarded.project.lock_path  # and one lock
    steward_write(wt_project, ROADMAP, roadmap(goal="from the worktree"))
    assert_passed(run(wt, "git", "commit", "-q", "-m", "worktree"))
    # main has the same blob staged by hand-free means: checkout from the worktree's branch
    git(guarded.root, "checkout", "side", "--", ".hestai/" + ROADMAP)
    assert_passed(guarded.commit())


def test_worktree_has_its_own_active_sessions(guarded: Guarded, tmp_path: Path) -> None:
    from hestai_tmws.steward import Steward

    wt = tmp_path / "wt"
    git(guarded.root, "worktree", "add", "-q", "-b", "side", str(wt))
    Steward(Project.discover(wt)).append_private("sessions/active/aaaaaaaaaaaa/traces.jsonl", "{}")
    assert (wt / ".hestai/sessions/active/aaaaaaaaaaaa/traces.jsonl").exists()
    assert not guarded.path(".hestai/sessions/active").exists()
