"""No false refusals: teammates' Steward writes come in by every git route, first try.

Each scenario runs the installed hook through real git commands (pull, merge of two clocked-out
branches, squash, revert, cherry-pick, rebase) and must pass without `tmws adopt`; then CI's
`tmws verify` on a fresh clone must agree that every blob came from tmws.
"""

from __future__ import annotations

from pathlib import Path

from hestai_tmws.guard.hooks_install import install_hook
from hestai_tmws.project import Project
from hestai_tmws.workflows.clock_in import clock_in
from hestai_tmws.workflows.clock_out import clock_out
from hestai_tmws.workflows.init import init_project
from hestai_tmws.workflows.verify import verify_project
from tests.guard.support import assert_passed, context_doc, git, run, steward_write

ROADMAP = "context/project-roadmap.oct.md"
CONTEXT = "context/project-context.oct.md"


def roadmap(**status: object) -> str:
    return context_doc(**status).replace("PROJECT_CONTEXT", "PROJECT_ROADMAP")


def setup(root: Path) -> Project:
    project = Project.discover(root)
    init_project(project)
    install_hook(project)
    assert_passed(run(root, "git", "commit", "-q", "-m", "tmws init"))
    return project


def clone(origin: Path, dest: Path) -> Project:
    git(origin.parent, "clone", "-q", str(origin), str(dest))
    git(dest, "config", "user.name", "Teammate")
    git(dest, "config", "user.email", "mate@example.invalid")
    project = Project.discover(dest)
    init_project(project)  # registers the merge driver and the hook's Python, as a teammate does
    install_hook(project)
    return project


def ci_clean(root: Path, tmp: Path) -> None:
    dest = tmp / f"ci-{len(list(tmp.glob('ci-*')))}"
    git(tmp, "clone", "-q", str(root), str(dest))
    errors = verify_project(Project.discover(dest)).errors
    assert errors == [], errors


def session(project: Project, focus: str) -> None:
    clock_in(project, role="implementation-lead", focus=focus)
    clock_out(project, summary=f"{focus} done", learnings=[f"{focus} l"], decisions=[f"{focus} d"])
    assert_passed(run(project.root, "git", "commit", "-q", "-m", focus))


def test_pull_merging_a_teammates_write(repo: Path, tmp_path: Path) -> None:
    mine = setup(repo)
    git(repo, "config", "receive.denyCurrentBranch", "ignore")
    theirs = clone(repo, tmp_path / "mate")
    steward_write(theirs, ROADMAP, roadmap(goal="theirs"))
    assert_passed(run(theirs.root, "git", "commit", "-q", "-m", "mate"))
    steward_write(mine, CONTEXT, context_doc(owner="mine"))
    assert_passed(run(repo, "git", "commit", "-q", "-m", "mine"))
    # the teammate's commits arrive by `git pull` (fetch + merge: pre-merge-commit runs)
    proc = run(repo, "git", "pull", "-q", "--no-rebase", "--no-edit", str(theirs.root), "main")
    assert_passed(proc)
    assert len(git(repo, "log", "-1", "--format=%P").split()) == 2
    ci_clean(repo, tmp_path)


def test_merge_of_two_clocked_out_branches(repo: Path, tmp_path: Path) -> None:
    project = setup(repo)
    git(repo, "checkout", "-q", "-b", "feature")
    session(project, "feature work")
    git(repo, "checkout", "-q", "main")
    session(project, "main work")
    assert_passed(run(repo, "git", "merge", "-q", "--no-edit", "feature"))  # git commits it
    ci_clean(repo, tmp_path)


def test_squash_merge_of_a_teammates_write(repo: Path, tmp_path: Path) -> None:
    setup(repo)
    theirs = clone(repo, tmp_path / "mate")
    git(theirs.root, "checkout", "-q", "-b", "topic")
    steward_write(theirs, ROADMAP, roadmap(goal="squash me"))
    assert_passed(run(theirs.root, "git", "commit", "-q", "-m", "mate 1"))
    steward_write(theirs, ROADMAP, roadmap(goal="squash me too"))
    assert_passed(run(theirs.root, "git", "commit", "-q", "-m", "mate 2"))
    git(repo, "fetch", "-q", str(theirs.root), "topic:topic")
    git(repo, "merge", "-q", "--squash", "topic")
    assert_passed(run(repo, "git", "commit", "-q", "--no-edit"))
    ci_clean(repo, tmp_path)


def test_revert_of_a_steward_commit(repo: Path, tmp_path: Path) -> None:
    project = setup(repo)
    steward_write(project, ROADMAP, roadmap(goal="one"))
    assert_passed(run(repo, "git", "commit", "-q", "-m", "one"))
    steward_write(project, ROADMAP, roadmap(goal="two"))
    assert_passed(run(repo, "git", "commit", "-q", "-m", "two"))
    assert_passed(run(repo, "git", "revert", "--no-edit", "HEAD"))
    ci_clean(repo, tmp_path)


def test_cherry_pick_of_a_teammates_commit(repo: Path, tmp_path: Path) -> None:
    project = setup(repo)
    theirs = clone(repo, tmp_path / "mate")
    steward_write(theirs, ROADMAP, roadmap(goal="picked"))
    assert_passed(run(theirs.root, "git", "commit", "-q", "-m", "mate"))
    steward_write(project, CONTEXT, context_doc(owner="mine"))
    assert_passed(run(repo, "git", "commit", "-q", "-m", "mine"))
    git(repo, "fetch", "-q", str(theirs.root), "main:mate")
    assert_passed(run(repo, "git", "cherry-pick", "--no-commit", "mate"))
    assert_passed(run(repo, "git", "commit", "-q", "-m", "picked"))
    ci_clean(repo, tmp_path)


def test_rebase_of_steward_commits(repo: Path, tmp_path: Path) -> None:
    project = setup(repo)
    git(repo, "checkout", "-q", "-b", "topic")
    steward_write(project, ROADMAP, roadmap(goal="topic"))
    assert_passed(run(repo, "git", "commit", "-q", "-m", "topic"))
    git(repo, "checkout", "-q", "main")
    steward_write(project, CONTEXT, context_doc(owner="main"))
    assert_passed(run(repo, "git", "commit", "-q", "-m", "main"))
    git(repo, "checkout", "-q", "topic")
    assert_passed(run(repo, "git", "rebase", "-q", "main"))
    git(repo, "checkout", "-q", "main")
    git(repo, "merge", "-q", "--ff-only", "topic")
    ci_clean(repo, tmp_path)
