"""Conflict pieces: values compared by canonical form, sides rendered between markers."""

from __future__ import annotations

from hestai_tmws.guard.merge_conflicts import (
    MARKER_SIZE,
    MISSING,
    MergeState,
    add_conflict,
    place_conflicts,
    render_body,
    same,
)
from hestai_tmws.octave import Literal


def test_values_compare_by_type_and_order() -> None:
    assert same({"a": 1, "b": [1, 2]}, {"a": 1, "b": [1, 2]})
    assert not same({"a": 1, "b": 2}, {"b": 2, "a": 1})  # key order is part of the document
    assert not same(1, 1.0) and not same("x", Literal("x"))
    assert same(MISSING, MISSING) and not same(MISSING, None)


def test_a_placeholder_line_becomes_both_sides_between_markers() -> None:
    state = MergeState()
    token = add_conflict(state, "STATUS.OWNER", ["  OWNER::a"], ["  OWNER::b"])
    text = f"===X===\n  {token.token}\n===END===\n"
    placed = place_conflicts(text, state, ("ours", "theirs"))
    assert placed.splitlines() == [
        "===X===",
        f"{'<' * MARKER_SIZE} ours: STATUS.OWNER",
        "  OWNER::a",
        "=" * MARKER_SIZE,
        "  OWNER::b",
        f"{'>' * MARKER_SIZE} theirs: STATUS.OWNER",
        "===END===",
    ]


def test_a_body_entry_renders_as_its_own_lines() -> None:
    assert render_body(("OWNER",), "team") == ["OWNER::team"]
