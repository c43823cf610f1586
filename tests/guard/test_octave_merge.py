"""The OCTAVE 3-way merge: key-level merges, list unions, readable conflicts."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hestai_tmws.guard.octave_merge import merge_octave
from hestai_tmws.octave import Literal, emit, parse
from tests.guard.support import MERGE_BASE as BASE
from tests.guard.support import octave_doc as doc
from tests.guard.support import section_body as body


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


_END = "===END===\n"


@pytest.mark.parametrize(
    ("extra", "kept"),
    [
        (_END + "\n===MORE===\nK::v\n", "===MORE==="),  # a further envelope
        ("§9::X[note]\n  K::v\n", "§9::X[note]"),  # a section annotation
        ("§9::X\n  §9a::Y\n    K::v\n", "  §9a::Y"),  # a nested section
    ],
)
def test_what_the_key_wise_merge_cannot_hold_is_merged_as_a_whole_file(
    extra: str, kept: str
) -> None:
    ours = doc(STATUS={"PHASE": "ship", "OWNER": "team", "ITEMS": ["a", "b"]}, NOTES={"N": "x"})
    ours = ours.removesuffix(_END) + extra + _END
    theirs = doc(STATUS={"PHASE": "build", "OWNER": "ops", "ITEMS": ["a", "b"]}, NOTES={"N": "y"})
    out = merge_octave(BASE, ours, theirs)
    assert not out.structured and out.conflicts  # never a merge that drops what it cannot hold
    assert kept in out.text
