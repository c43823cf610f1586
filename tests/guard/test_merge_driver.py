"""The git merge driver: registered per clone, run by real `git merge`, ledgering clean results."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from hestai_tmws.guard.merge_driver import DRIVER_NAME, driver_command, register_merge_driver
from hestai_tmws.octave import parse
from hestai_tmws.project import Project
from tests.guard.support import (
    CONTEXT,
    CONTEXT_ROOT,
    Guarded,
    assert_blocked,
    assert_passed,
    git,
    run,
    steward_write,
    write_gitattributes,
)
from tests.guard.support import MERGE_BASE as BASE
from tests.guard.support import octave_doc as doc
from tests.guard.support import section_body as body

# -- in real git --------------------------------------------------------------------------------


def test_register_merge_driver_sets_local_config(repo: Path) -> None:
    project = Project.discover(repo)
    register_merge_driver(project)
    assert git(repo, "config", "--local", f"merge.{DRIVER_NAME}.driver").strip() == driver_command()
    assert driver_command().endswith("-I -m hestai_tmws.cli.app merge-driver %O %A %B %P")
    assert git(repo, "config", "--local", f"merge.{DRIVER_NAME}.name").strip()


def _merge_setup(g: Guarded) -> None:
    write_gitattributes(g.root)
    register_merge_driver(g.project)
    git(g.root, "add", ".gitattributes")
    git(g.root, "commit", "-q", "--allow-empty", "-m", "attributes")


def test_real_branches_merge_through_the_driver(guarded: Guarded) -> None:
    _merge_setup(guarded)
    base = guarded.path(CONTEXT_ROOT).read_text()
    sec = parse(base).sections[0].body
    git(guarded.root, "checkout", "-q", "-b", "side")
    steward_write(guarded.project, CONTEXT, doc(STATUS={**sec, "OWNER": "ops", "ITEMS": ["s"]}))
    git(guarded.root, "commit", "-q", "-m", "side")
    git(guarded.root, "checkout", "-q", "main")
    steward_write(guarded.project, CONTEXT, doc(STATUS={**sec, "PHASE": "ship", "ITEMS": ["m"]}))
    git(guarded.root, "commit", "-q", "-m", "main")
    git(guarded.root, "merge", "-q", "--no-ff", "--no-commit", "side")
    merged = body(guarded.path(CONTEXT_ROOT).read_text(), "STATUS")
    assert merged == {**sec, "PHASE": "ship", "OWNER": "ops", "ITEMS": ["m", "s"]}
    assert_passed(guarded.commit())  # the driver recorded its result in the ledger


def test_real_conflict_gets_markers_and_needs_adopt(guarded: Guarded) -> None:
    from hestai_tmws.guard.adopt import adopt

    _merge_setup(guarded)
    git(guarded.root, "checkout", "-q", "-b", "side")
    steward_write(guarded.project, CONTEXT, doc(STATUS={"PHASE": "side"}))
    git(guarded.root, "commit", "-q", "-m", "side")
    git(guarded.root, "checkout", "-q", "main")
    steward_write(guarded.project, CONTEXT, doc(STATUS={"PHASE": "main"}))
    git(guarded.root, "commit", "-q", "-m", "main")
    proc = run(guarded.root, "git", "merge", "side")
    assert proc.returncode == 1
    text = guarded.path(CONTEXT_ROOT).read_text()
    assert f"<<<<<<< ours ({CONTEXT_ROOT}): §STATUS.PHASE\n  PHASE::main\n=======\n" in text
    with pytest.raises(Exception, match="line"):
        adopt(guarded.project, [CONTEXT_ROOT], reason="not resolved yet", cwd=guarded.root)
    guarded.path(CONTEXT_ROOT).write_text(doc(STATUS={"PHASE": "both"}))
    git(guarded.root, "add", CONTEXT_ROOT)
    assert_blocked(guarded.commit("--no-edit"), CONTEXT_ROOT)
    adopt(guarded.project, [CONTEXT_ROOT], reason="phase agreed", cwd=guarded.root)
    assert_passed(guarded.commit("--no-edit"))


def test_two_branches_clock_out_and_merge_without_loss(repo: Path) -> None:
    """The whole flow: init, two branches each clock a session out, merge, nothing lost."""
    from hestai_tmws.guard.hooks_install import install_hook
    from hestai_tmws.workflows.clock_in import clock_in
    from hestai_tmws.workflows.clock_out import clock_out
    from hestai_tmws.workflows.init import init_project

    project = Project.discover(repo)
    init_project(project)
    install_hook(project)
    assert_passed(run(repo, "git", "commit", "-q", "-m", "tmws init"))

    def session(focus: str, learning: str) -> None:
        clock_in(project, role="implementation-lead", focus=focus)
        clock_out(project, summary=f"{focus} done", learnings=[learning], decisions=[f"{focus} d"])
        assert_passed(run(repo, "git", "commit", "-q", "-m", focus))

    git(repo, "checkout", "-q", "-b", "feature")
    session("feature work", "feature learning")
    git(repo, "checkout", "-q", "main")
    session("main work", "main learning")
    git(repo, "merge", "-q", "--no-ff", "--no-commit", "feature")
    assert not git(repo, "diff", "--name-only", "--diff-filter=U").strip()  # no conflict
    assert_passed(run(repo, "git", "commit", "-q", "--no-edit"))

    index = [
        json.loads(x)
        for x in (repo / ".hestai/sessions/archive/learnings-index.jsonl").read_text().splitlines()
    ]
    assert sorted(r["focus"] for r in index) == ["feature work", "main work"]
    archives = sorted(p.name for p in (repo / ".hestai/sessions/archive").glob("*.oct.md"))
    assert len(archives) == 2 and any("feature-work" in a for a in archives)
    context = (repo / ".hestai/context/project-context.oct.md").read_text()
    assert "feature learning" in context and "main learning" in context
    history = (repo / ".hestai/context/project-history.oct.md").read_text()
    assert "feature work done" in history and "main work done" in history
    from hestai_tmws.workflows.verify import verify_project

    assert verify_project(project).ok


def _driver(cwd: Path, base: str, ours: str, theirs: str, path: str) -> tuple[int, str]:
    files = []
    for name, text in (("o", base), ("a", ours), ("b", theirs)):
        f = cwd / f".merge_file_{name}"
        f.write_text(text)
        files.append(str(f))
    proc = run(cwd, sys.executable, "-m", "hestai_tmws.cli.app", "merge-driver", *files, path)
    return proc.returncode, Path(files[1]).read_text()


def test_cli_driver_clean_merge_is_ledgered(guarded: Guarded) -> None:
    from hestai_tmws.gitio import blob_id
    from hestai_tmws.steward import Steward

    ours = doc(STATUS={"PHASE": "ship", "OWNER": "team", "ITEMS": ["a", "b"]}, NOTES={"N": "x"})
    theirs = doc(STATUS={"PHASE": "build", "OWNER": "ops", "ITEMS": ["a", "b"]}, NOTES={"N": "x"})
    code, result = _driver(guarded.root, BASE, ours, theirs, CONTEXT_ROOT)
    assert code == 0
    assert body(result, "STATUS")["OWNER"] == "ops"
    assert Steward(guarded.project).ledger.index().knows(CONTEXT_ROOT, blob_id(result.encode()))


def test_cli_driver_conflict_exits_1_and_is_not_ledgered(guarded: Guarded) -> None:
    from hestai_tmws.gitio import blob_id
    from hestai_tmws.steward import Steward

    ours = doc(STATUS={"PHASE": "ship"})
    theirs = doc(STATUS={"PHASE": "done"})
    code, result = _driver(guarded.root, doc(STATUS={"PHASE": "build"}), ours, theirs, CONTEXT_ROOT)
    assert code == 1 and "<<<<<<< ours (.hestai/" in result
    assert not Steward(guarded.project).ledger.index().knows(CONTEXT_ROOT, blob_id(result.encode()))


def test_cli_driver_falls_back_to_a_line_merge(guarded: Guarded) -> None:
    code, result = _driver(guarded.root, "a\nb\nc\n", "A\nb\nc\n", "a\nb\nC\n", ".hestai/x.oct.md")
    assert code == 0 and result == "A\nb\nC\n"
    code, result = _driver(guarded.root, "a\n", "b\n", "c\n", ".hestai/x.oct.md")
    assert code == 1 and "<<<<<<< ours" in result and ">>>>>>> theirs" in result
