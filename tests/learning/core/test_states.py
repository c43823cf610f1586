from __future__ import annotations

from datetime import UTC, datetime

import pytest

from hestai_tmws.errors import PolicyError
from hestai_tmws.learning.core.checks import CheckResult, ValidationReport
from hestai_tmws.learning.core.states import (
    TRANSITIONS,
    PatternState,
    StateChange,
    automatic_state,
    rejection_reason,
    transition,
)

S = PatternState
AT = datetime(2025, 5, 1, 12, 0, tzinfo=UTC)


def test_the_happy_path() -> None:
    path = [
        (S.DETECTED, S.VALIDATED, "system"),
        (S.VALIDATED, S.APPROVED, "person:alice"),
        (S.APPROVED, S.PROMOTED, "system"),
        (S.PROMOTED, S.DEPRECATED, "person:bob"),
    ]
    for current, target, actor in path:
        change = transition(current, target, support=7, actor=actor, reason="r", at=AT)
        assert change == StateChange(
            from_state=current, to_state=target, at=AT, actor=actor, support=7, reason="r"
        )


def test_policy_may_approve() -> None:
    assert (
        transition(S.VALIDATED, S.APPROVED, support=9, actor="policy:auto").to_state is S.APPROVED
    )


def test_default_time_is_now_in_utc() -> None:
    change = transition(S.DETECTED, S.REJECTED, support=3)
    assert change.at.tzinfo is not None
    assert abs((datetime.now(UTC) - change.at).total_seconds()) < 60


@pytest.mark.parametrize("current", list(S))
@pytest.mark.parametrize("target", list(S))
def test_every_transition_outside_the_table_is_refused(current: S, target: S) -> None:
    if target in TRANSITIONS[current]:
        return
    with pytest.raises(PolicyError) as caught:
        transition(current, target, support=100, support_at_rejection=1, actor="person:a")
    assert f"{current} -> {target}" in caught.value.message
    assert caught.value.hint


def test_the_table() -> None:
    expected = {
        S.DETECTED: {S.VALIDATED, S.REJECTED},
        S.VALIDATED: {S.APPROVED, S.REJECTED},
        S.APPROVED: {S.PROMOTED},
        S.PROMOTED: {S.DEPRECATED},
        S.REJECTED: {S.DETECTED},
        S.DEPRECATED: set(),
    }
    assert dict(TRANSITIONS) == expected


def test_rejecting_a_validated_pattern_needs_a_person_or_a_policy() -> None:
    with pytest.raises(PolicyError, match="only a person"):
        transition(S.VALIDATED, S.REJECTED, support=5, actor="system")
    change = transition(S.VALIDATED, S.REJECTED, support=5, actor="person:ada")
    assert change.to_state is S.REJECTED


def test_approval_needs_a_person_or_a_policy() -> None:
    for actor in ("system", "", "alice", "bot:x"):
        with pytest.raises(PolicyError, match="person or a configured policy"):
            transition(S.VALIDATED, S.APPROVED, support=10, actor=actor)


def test_rejected_reopens_only_when_support_doubled() -> None:
    with pytest.raises(
        PolicyError, match=r"support 7 has not doubled since rejection at 4 \(needs >= 8\)"
    ):
        transition(S.REJECTED, S.DETECTED, support=7, support_at_rejection=4)
    change = transition(S.REJECTED, S.DETECTED, support=8, support_at_rejection=4, at=AT)
    assert change.to_state is S.DETECTED and change.support == 8
    with pytest.raises(PolicyError, match="support at rejection"):
        transition(S.REJECTED, S.DETECTED, support=100)


def test_policy_error_exit_code() -> None:
    with pytest.raises(PolicyError) as caught:
        transition(S.DEPRECATED, S.DETECTED, support=1)
    assert caught.value.exit_code == 3
    assert "nothing (final state)" in (caught.value.hint or "")


def _report(*failed: str) -> ValidationReport:
    checks = [
        CheckResult(code=f"V{i}", passed=f"V{i}" not in failed, reason=f"reason {i}")
        for i in range(1, 7)
    ]
    return ValidationReport(pattern_id="p", checks=checks, passed=not failed)


def test_automatic_state_and_reason() -> None:
    assert automatic_state(_report()) is S.VALIDATED
    assert automatic_state(_report("V2", "V5")) is S.REJECTED
    assert rejection_reason(_report("V2", "V5")) == "V2: reason 2; V5: reason 5"


def test_history_entries_serialise() -> None:
    change = transition(S.DETECTED, S.VALIDATED, support=5, at=AT)
    data = change.model_dump(mode="json")
    assert data == {
        "from_state": "DETECTED",
        "to_state": "VALIDATED",
        "at": "2025-05-01T12:00:00Z",
        "actor": "system",
        "support": 5,
        "reason": "",
    }
    assert StateChange.model_validate(data) == change
