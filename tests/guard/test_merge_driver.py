"""The OCTAVE 3-way merge: key-level merges, list unions, readable conflicts; and in real git."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hestai_tmws.guard.merge_driver import (
    DRIVER_NAME,
    driver_command,
    merge_octave,
    register_merge_driver,
)
from hestai_tmws.octave import Document, Literal, Section, emit, parse
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


def doc(meta: dict[str, Any] | None = None, **sections: dict[str, Any]) -> str:
    return emit(
        Document(
            name="PROJECT_CONTEXT",
            meta=meta or {"TYPE": "PROJECT_CONTEXT", "VERSION": "1.0"},
            sections=[Section(i, name, body) for i, (name, body) in enumerate(sections.items(), 1)],
        )
    )


def body(text: str, section: str) -> dict[str, Any]:
    sec = parse(text).section(section)
    assert sec is not None
    return sec.body


BASE = doc(STATUS={"PHASE": "build", "OWNER": "team", "ITEMS": ["a", "b"]}, NOTES={"N": "x"})


def test_identical_or_one_sided_changes_take_that_side() -> None:
    ours = doc(STATUS={"PHASE": "ship", "OWNER": "team", "ITEMS": ["a", "b"]}, NOTES={"N": "x"})
    assert merge_octave(BASE, ours, BASE).text == ours
    assert merge_octave(BASE, BASE, ours).text == ours
    assert merge_octave(BASE, ours, ours).text == ours


def test_different_keys_merge_cleanly() -> None:
    ours = doc(STATUS={"PHASE": "ship", "OWNER": "team", "ITEMS": ["a", "b"]}, NOTES={"N": "x"})
    theirs = doc(STATUS={"PHASE": "build", "OWNER": "ops", "ITEMS": ["a", "b"]}, NOTES={"N": "y"})
    out = merge_octave(BASE, ours, theirs)
    assert out.clean and out.structured
    assert body(out.text, "STATUS") == {"PHASE": "ship", "OWNER": "ops", "ITEMS": ["a", "b"]}
    assert body(out.text, "NOTES") == {"N": "y"}
    assert emit(parse(out.text)) == out.text


def test_appended_list_items_are_united() -> None:
    ours = doc(
        STATUS={"PHASE": "build", "OWNER": "team", "ITEMS": ["a", "b", "c"]}, NOTES={"N": "x"}
    )
    theirs = doc(
        STATUS={"PHASE": "build", "OWNER": "team", "ITEMS": ["a", "b", "d"]}, NOTES={"N": "x"}
    )
    out = merge_octave(BASE, ours, theirs)
    assert out.clean
    assert body(out.text, "STATUS")["ITEMS"] == ["a", "b", "c", "d"]


def test_prepended_items_stay_in_front() -> None:
    base = doc(H={"ENTRIES": ["old"]})
    ours = doc(H={"ENTRIES": ["mine", "old"]})
    theirs = doc(H={"ENTRIES": ["theirs", "old"]})
    assert body(merge_octave(base, ours, theirs).text, "H")["ENTRIES"] == ["mine", "theirs", "old"]


def test_removal_on_one_side_and_append_on_the_other() -> None:
    ours = doc(STATUS={"PHASE": "build", "OWNER": "team", "ITEMS": ["b"]}, NOTES={"N": "x"})
    theirs = doc(
        STATUS={"PHASE": "build", "OWNER": "team", "ITEMS": ["a", "b", "e"]}, NOTES={"N": "x"}
    )
    assert body(merge_octave(BASE, ours, theirs).text, "STATUS")["ITEMS"] == ["b", "e"]


def test_added_keys_and_sections_from_both_sides() -> None:
    ours = doc(
        STATUS={"PHASE": "build", "OWNER": "team", "ITEMS": ["a", "b"], "RISK": "low"},
        NOTES={"N": "x"},
        OURS={"K": 1},
    )
    theirs = doc(
        STATUS={"PHASE": "build", "OWNER": "team", "ITEMS": ["a", "b"], "GOAL": "g"},
        NOTES={"N": "x"},
        THEIRS={"K": 2},
    )
    out = merge_octave(BASE, ours, theirs)
    assert out.clean
    merged = parse(out.text)
    assert [s.name for s in merged.sections] == ["STATUS", "NOTES", "OURS", "THEIRS"]
    assert [s.number for s in merged.sections] == [1, 2, 3, 4]
    assert merged.sections[0].body["RISK"] == "low" and merged.sections[0].body["GOAL"] == "g"


def test_deleted_key_stays_deleted_when_the_other_side_left_it() -> None:
    ours = doc(STATUS={"PHASE": "build", "ITEMS": ["a", "b"]}, NOTES={"N": "x"})
    theirs = doc(STATUS={"PHASE": "ship", "OWNER": "team", "ITEMS": ["a", "b"]}, NOTES={"N": "x"})
    assert body(merge_octave(BASE, ours, theirs).text, "STATUS") == {
        "PHASE": "ship",
        "ITEMS": ["a", "b"],
    }


def test_literal_zones_extended_on_both_sides() -> None:
    base = doc(LOG={"TEXT": Literal("one\n")})
    ours = doc(LOG={"TEXT": Literal("one\ntwo\n")})
    theirs = doc(LOG={"TEXT": Literal("one\nthree\n")})
    out = merge_octave(base, ours, theirs)
    assert out.clean
    assert body(out.text, "LOG")["TEXT"] == Literal("one\ntwo\nthree\n")


def test_same_key_changed_differently_is_a_readable_conflict() -> None:
    ours = doc(STATUS={"PHASE": "ship", "OWNER": "team", "ITEMS": ["a", "b"]}, NOTES={"N": "y"})
    theirs = doc(STATUS={"PHASE": "done", "OWNER": "team", "ITEMS": ["a", "b"]}, NOTES={"N": "x"})
    out = merge_octave(BASE, ours, theirs)
    assert out.conflicts == ["§STATUS.PHASE"]
    lines = out.text.splitlines()
    start = lines.index("<<<<<<< ours: §STATUS.PHASE")
    assert lines[start : start + 5] == [
        "<<<<<<< ours: §STATUS.PHASE",
        "  PHASE::ship",
        "=======",
        "  PHASE::done",
        ">>>>>>> theirs: §STATUS.PHASE",
    ]
    assert "  N::y" in lines  # the clean part of the merge is there too
    # resolving = deleting the markers and one side; the rest is valid OCTAVE again
    resolved = "\n".join([*lines[:start], "  PHASE::done", *lines[start + 5 :]]) + "\n"
    assert body(resolved, "STATUS")["PHASE"] == "done"


def test_nested_block_conflict_shows_only_the_clashing_entry() -> None:
    base = doc(D={"D1": {"WHAT": "a", "STATUS": "open"}})
    ours = doc(D={"D1": {"WHAT": "b", "STATUS": "open"}})
    theirs = doc(D={"D1": {"WHAT": "c", "STATUS": "done"}})
    out = merge_octave(base, ours, theirs)
    assert out.conflicts == ["§D.D1.WHAT"]
    assert "<<<<<<< ours: §D.D1.WHAT\n    WHAT::b\n=======\n    WHAT::c\n>>>>>>>" in out.text
    assert "    STATUS::done" in out.text


def test_meta_conflict() -> None:
    base = doc({"TYPE": "PROJECT_CONTEXT", "VERSION": "1.0"}, S={"K": 1})
    ours = doc({"TYPE": "PROJECT_CONTEXT", "VERSION": "1.1"}, S={"K": 1})
    theirs = doc({"TYPE": "PROJECT_CONTEXT", "VERSION": "2.0"}, S={"K": 1})
    out = merge_octave(base, ours, theirs)
    assert out.conflicts == ["META.VERSION"]
    assert '<<<<<<< ours: META.VERSION\n  VERSION::"1.1"\n=======\n  VERSION::"2.0"\n' in out.text


def test_section_deleted_on_one_side_and_changed_on_the_other() -> None:
    ours = doc(STATUS={"PHASE": "build", "OWNER": "team", "ITEMS": ["a", "b"]})
    theirs = doc(STATUS={"PHASE": "build", "OWNER": "team", "ITEMS": ["a", "b"]}, NOTES={"N": "z"})
    out = merge_octave(BASE, ours, theirs)
    assert out.conflicts == ["§NOTES"]
    assert "=======\n§2::NOTES\n  N::z\n>>>>>>> theirs: §NOTES" in out.text


def test_envelope_conflict() -> None:
    base = doc(S={"K": 1})
    ours = base.replace("===PROJECT_CONTEXT===", "===A===")
    theirs = base.replace("===PROJECT_CONTEXT===", "===B===")
    out = merge_octave(base, ours, theirs)
    assert out.conflicts == ["envelope"]
    assert out.text.startswith("<<<<<<< ours: envelope\n===A===\n=======\n===B===\n>>>>>>>")


def test_text_that_is_not_octave_is_a_whole_file_conflict() -> None:
    out = merge_octave("a\n", "b\n", "c\n", labels=("ours", "theirs"))
    assert not out.structured and out.conflicts
    assert out.text == "<<<<<<< ours\nb\n=======\nc\n>>>>>>> theirs\n"


def test_both_added_the_file() -> None:
    ours = doc(S={"A": 1})
    theirs = doc(S={"B": 2})
    out = merge_octave("", ours, theirs)
    assert out.clean
    assert body(out.text, "S") == {"A": 1, "B": 2}


def test_conflict_token_never_collides_with_content() -> None:
    base = doc(S={"K": "TMWS_CONFLICT_0", "X": 1})
    ours = doc(S={"K": "TMWS_CONFLICT_0", "X": 2})
    theirs = doc(S={"K": "TMWS_CONFLICT_0", "X": 3})
    out = merge_octave(base, ours, theirs)
    assert out.conflicts == ["§S.X"]
    assert "  K::TMWS_CONFLICT_0" in out.text


def test_merged_output_passes_the_reference_parser() -> None:
    oracle = pytest.importorskip("tests.octave_oracle")
    ours = doc(
        STATUS={"PHASE": "ship", "OWNER": "team", "ITEMS": ["a", "b", "c"]}, NOTES={"N": "x"}
    )
    theirs = doc(
        STATUS={"PHASE": "build", "OWNER": "ops", "ITEMS": ["a", "b", "d"]}, NOTES={"N": "x"}
    )
    oracle.assert_oracle_clean(merge_octave(BASE, ours, theirs).text)


# -- properties ---------------------------------------------------------------------------------

KEYS = st.sampled_from(["A", "B", "C", "D", "E"])
SCALARS = st.one_of(
    st.integers(-5, 5), st.booleans(), st.sampled_from(["x", "y", "two words", "z-1"])
)
VALUES = st.one_of(SCALARS, st.lists(SCALARS, max_size=4))
BODIES = st.dictionaries(KEYS, VALUES, min_size=1, max_size=5)


def _text(b: dict[str, Any]) -> str:
    return doc(S=b)


@settings(max_examples=60, deadline=None)
@given(base=BODIES, ours=BODIES)
def test_property_one_sided_change_is_taken(base: dict[str, Any], ours: dict[str, Any]) -> None:
    assert merge_octave(_text(base), _text(ours), _text(base)).text == _text(ours)
    assert merge_octave(_text(base), _text(base), _text(ours)).text == _text(ours)


@settings(max_examples=60, deadline=None)
@given(base=BODIES, ours_v=VALUES, theirs_v=VALUES)
def test_property_changes_to_different_keys_both_survive(
    base: dict[str, Any], ours_v: Any, theirs_v: Any
) -> None:
    ours = {**base, "OURS_KEY": ours_v}
    theirs = {**base, "THEIRS_KEY": theirs_v}
    out = merge_octave(_text(base), _text(ours), _text(theirs))
    assert out.clean
    merged = body(out.text, "S")
    assert merged["OURS_KEY"] == parse(_text(ours)).sections[0].body["OURS_KEY"]
    assert merged["THEIRS_KEY"] == parse(_text(theirs)).sections[0].body["THEIRS_KEY"]
    assert emit(parse(out.text)) == out.text


@settings(max_examples=60, deadline=None)
@given(base=BODIES, ours=BODIES, theirs=BODIES)
def test_property_result_is_valid_or_marked(
    base: dict[str, Any], ours: dict[str, Any], theirs: dict[str, Any]
) -> None:
    out = merge_octave(_text(base), _text(ours), _text(theirs))
    if out.clean:
        parse(out.text)
    else:
        assert out.text.count("<<<<<<< ") == len(out.conflicts)
        assert out.text.count(">>>>>>> ") == len(out.conflicts)


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
    git(g.root, "commit", "-q", "-m", "attributes")


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
        json.loads(x) for x in (repo / ".hestai/learnings-index.jsonl").read_text().splitlines()
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
