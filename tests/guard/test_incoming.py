"""Content arriving from other commits: which states are detected, which blobs they account for."""

from __future__ import annotations

from hestai_tmws.gitio import blob_id, run_git
from hestai_tmws.guard.incoming import Merger, detect_incoming
from hestai_tmws.guard.octave_merge import merge_octave
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
    steward_write,
    write_gitattributes,
)


def _branches(g: Guarded, side: str, main: str) -> None:
    git(g.root, "checkout", "-q", "-b", "side")
    steward_write(g.project, CONTEXT, context_doc(owner=side))
    git(g.root, "commit", "-q", "-m", "side")
    git(g.root, "checkout", "-q", "main")
    steward_write(g.project, CONTEXT, context_doc(owner=main))
    git(g.root, "commit", "-q", "-m", "main")


def test_nothing_in_progress(guarded: Guarded) -> None:
    assert detect_incoming(guarded.project) is None


def test_merge_state(guarded: Guarded) -> None:
    _branches(guarded, "side", "main")
    run(guarded.root, "git", "merge", "-q", "side")
    state = detect_incoming(guarded.project)
    assert state is not None and state.kind == "merge"
    (side,) = state.sides
    assert side.theirs == git(guarded.root, "rev-parse", "side").strip()
    assert side.bases == (git(guarded.root, "merge-base", "main", "side").strip(),)


def test_revert_state_points_at_the_parent(guarded: Guarded) -> None:
    steward_write(guarded.project, CONTEXT, context_doc(owner="two"))
    git(guarded.root, "commit", "-q", "-m", "two")
    target = git(guarded.root, "rev-parse", "HEAD").strip()
    git(guarded.root, "revert", "--no-commit", "HEAD")
    state = detect_incoming(guarded.project)
    assert state is not None and state.kind == "revert"
    (side,) = state.sides
    assert side.bases == (target,)
    assert side.theirs == git(guarded.root, "rev-parse", "HEAD~1").strip()


def test_union_merge_plus_a_hand_line_is_blocked(guarded: Guarded) -> None:
    write_gitattributes(guarded.root)
    git(guarded.root, "add", ".gitattributes")
    git(guarded.root, "commit", "-q", "--allow-empty", "-m", "attributes")
    git(guarded.root, "checkout", "-q", "-b", "side")
    steward_append(guarded.project, INDEX, {"id": "side"})
    git(guarded.root, "commit", "-q", "-m", "side")
    git(guarded.root, "checkout", "-q", "main")
    steward_append(guarded.project, INDEX, {"id": "main"})
    git(guarded.root, "commit", "-q", "-m", "main")
    git(guarded.root, "merge", "-q", "--no-ff", "--no-commit", "side")
    index = guarded.path(".hestai/" + INDEX)
    index.write_text(index.read_text() + '{"id": "forged"}\n')
    git(guarded.root, "add", ".hestai/" + INDEX)
    assert_blocked(guarded.commit(), ".hestai/" + INDEX)


def test_clean_text_merge_without_the_driver_passes(guarded: Guarded) -> None:
    """No merge driver in this clone: git's line merge result is still not a hand edit."""
    base = context_doc(owner="team", a="1", b="2", c="3", d="4")
    steward_write(guarded.project, CONTEXT, base)
    git(guarded.root, "commit", "-q", "-m", "base")
    git(guarded.root, "checkout", "-q", "-b", "side")
    steward_write(guarded.project, CONTEXT, base.replace('"1"', "one"))
    git(guarded.root, "commit", "-q", "-m", "side")
    git(guarded.root, "checkout", "-q", "main")
    steward_write(guarded.project, CONTEXT, base.replace('"4"', "four"))
    git(guarded.root, "commit", "-q", "-m", "main")
    git(guarded.root, "merge", "-q", "--no-ff", "--no-commit", "side")
    merged = guarded.path(CONTEXT_ROOT).read_text()
    assert "one" in merged and "four" in merged
    assert_passed(guarded.commit())


def test_octave_merge_is_recomputed(guarded: Guarded) -> None:
    base = context_doc(items=["a"])
    ours = context_doc(items=["a", "b"])
    theirs = context_doc(items=["a", "c"])
    oids = []
    for text in (base, ours, theirs):
        out = run_git(guarded.root, "hash-object", "-w", "--stdin", input=text.encode())
        oids.append(out.stdout.decode().strip())
    merged = merge_octave(base, ours, theirs)
    assert merged.clean
    merger = Merger(guarded.project)
    staged = blob_id(merged.text.encode())
    assert merger.produces(CONTEXT_ROOT, oids[0], oids[1], oids[2], staged)
    assert not merger.produces(CONTEXT_ROOT, oids[0], oids[1], oids[2], "f" * 40)
