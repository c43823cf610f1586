"""Steps as a developer names them: runs merged, fix loops as one step, last-step outcomes."""

from __future__ import annotations

from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from hestai_tmws.learning.core.steps import (
    MIN_LOOP_CALLS,
    Call,
    _loop_of,
    acts,
    collapse,
    loop_token,
    loop_units,
    occurrence_outcome,
    plain_tokens,
    step_kind,
)

TEST = "Bash:go test"


def test_runs_merge_and_keep_the_last_outcome() -> None:
    calls = [("Edit", True, 5), ("Edit", True, 5), ("Edit", None, None), (TEST, False, 100)]
    assert collapse(calls) == [("Edit", True, None), (TEST, False, 100)]


def test_a_fix_loop_is_one_step_whose_outcome_is_the_last_run() -> None:
    # run → fail → edit → rerun → pass
    calls = [(TEST, False, 10), ("Edit", True, 1), (TEST, True, 10)]
    [(token, ok, duration)] = collapse(calls)
    assert token == "(Edit → Bash:go test)+" and ok is True and duration == 21
    # the acting step comes last whichever way round the loop starts
    again = [("Edit", True, 1), (TEST, False, 1), ("Edit", True, 1), (TEST, False, 1)]
    assert collapse(again) == [("(Edit → Bash:go test)+", False, 4)]


def test_two_steps_are_no_loop() -> None:
    calls = [("Read", True, None), ("Edit", True, None), ("Bash:git commit", True, None)]
    assert collapse(calls) == calls


def test_step_kinds() -> None:
    assert [step_kind(t) for t in ("Read", "TaskUpdate", "Edit", "Agent", "Bash:cat")] == [
        "explore",
        "bookkeep",
        "edit",
        "delegate",
        "explore",
    ]
    assert acts("Bash:mise run test") and acts("Skill:commit") and acts("mcp__gh__create_pr")
    assert not acts("Bash") and not acts("(Read → Edit)+")
    assert acts("(Edit → Bash:go test)+")


def test_loop_tokens_round_trip() -> None:
    token = loop_token(("Edit", TEST))
    assert loop_units(token) == ("Edit", TEST) and loop_units("Edit") is None
    assert plain_tokens(["Read", token]) == ["Read", "Edit", TEST]


def test_outcome_is_the_last_known_one() -> None:
    assert occurrence_outcome([False, True, None]) is True
    assert occurrence_outcome([True, False]) is False
    assert occurrence_outcome([None, None]) is None


TOKENS = st.sampled_from(["Read", "Edit", TEST, "Bash:git commit", "Grep"])
CALLS = st.lists(
    st.tuples(TOKENS, st.sampled_from([True, False, None]), st.none() | st.integers(0, 99)),
    max_size=40,
)


@given(CALLS)
def test_collapse_never_grows_and_never_repeats_a_step(calls: list[Call]) -> None:
    out = collapse(calls)
    assert len(out) <= len(calls)
    assert all(a[0] != b[0] for a, b in pairwise(out))
    known = [ok for _, ok, _ in calls if ok is not None]
    if calls and known:
        # the session's last known outcome survives folding
        assert occurrence_outcome(ok for _, ok, _ in out) is not None


def _collapse_reference(calls: list[Call]) -> list[Call]:
    """`collapse` as first written, position by position (the fast one must equal it)."""
    runs: list[Call] = []
    for token, ok, dur in calls:
        if runs and runs[-1][0] == token:
            prev = runs[-1]
            merged = None if prev[2] is None or dur is None else prev[2] + dur
            runs[-1] = (token, ok if ok is not None else prev[1], merged)
        else:
            runs.append((token, ok, dur))
    out: list[Call] = []
    i, n = 0, len(runs)
    while i < n:
        end = i + 1
        if i + 1 < n and runs[i + 1][0] != runs[i][0]:
            a, b = runs[i][0], runs[i + 1][0]
            end = i + 2
            while end < n and runs[end][0] == (a if (end - i) % 2 == 0 else b):
                end += 1
        if end - i >= MIN_LOOP_CALLS:
            out.append(_loop_of(runs[i:end]))
            i = end
        else:
            out.append(runs[i])
            i += 1
    return out


@settings(max_examples=300)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["Edit", "Read", TEST, "Bash:ruff"]),
            st.sampled_from([True, False, None]),
            st.none() | st.integers(0, 99),
        ),
        max_size=40,
    )
)
def test_collapse_equals_the_position_by_position_fold(calls: list[Call]) -> None:
    assert collapse(calls) == _collapse_reference(calls)
