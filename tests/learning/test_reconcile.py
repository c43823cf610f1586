"""Reconciling records with a run: automatic moves, creation entries, drift tolerance."""

from __future__ import annotations

import math
from datetime import UTC, datetime

from hestai_tmws.config import Settings
from hestai_tmws.learning.core.checks import CheckResult, ValidationReport
from hestai_tmws.learning.core.mining import mine
from hestai_tmws.learning.core.model import MinedPattern, MiningConfig
from hestai_tmws.learning.core.states import PatternState
from hestai_tmws.learning.reconcile import (
    AUTO_APPROVE_ACTOR,
    advance,
    drift_only,
    updated_record,
)
from tests.learning.helpers import filler, session

SEQ = ("Read", "Edit", "Bash:pytest")
AT = datetime(2025, 3, 4, 10, 0, tzinfo=UTC)


def report(passed: bool) -> ValidationReport:
    checks = [CheckResult(code="V1", passed=passed, reason="support")]
    return ValidationReport(pattern_id="p", checks=checks, passed=passed)


def pattern() -> MinedPattern:
    sessions = [session(f"s{i}", [*filler(f"x{i}", 3), *SEQ], day=i) for i in range(4)]
    [found] = mine(sessions, MiningConfig())
    return found


def test_a_new_record_starts_detected_then_the_checks_move_it() -> None:
    record = updated_record(None, pattern(), {}, report(True), AT)
    [created] = record.history
    assert (created.from_state, created.to_state, created.at) == (None, PatternState.DETECTED, AT)
    assert created.reason == "seen in 4 sessions"
    moves = advance(record, report(True), Settings(), AT)
    assert [m.arrow for m in moves] == ["DETECTED → VALIDATED"]
    assert record.state is PatternState.VALIDATED and record.history[-1] == moves[0]


def test_a_failed_check_rejects_and_auto_approve_approves() -> None:
    rejected = updated_record(None, pattern(), {}, report(False), AT)
    [move] = advance(rejected, report(False), Settings(), AT)
    assert move.to_state is PatternState.REJECTED and move.reason == "V1: support"
    approved = updated_record(None, pattern(), {}, report(True), AT)
    settings = Settings.model_validate({"learning": {"auto_approve": True}})
    moves = advance(approved, report(True), settings, AT)
    assert [m.to_state for m in moves] == [PatternState.VALIDATED, PatternState.APPROVED]
    assert moves[-1].actor == AUTO_APPROVE_ACTOR


def test_small_drift_alone_keeps_the_old_statistics() -> None:
    old = updated_record(None, pattern(), {}, report(True), AT).stats
    assert drift_only(old, old.model_copy(update={"lift": old.lift * 1.1}))
    assert not drift_only(old, old.model_copy(update={"lift": old.lift * 2}))
    assert not drift_only(old, old.model_copy(update={"support": old.support + 1}))
    assert not drift_only(old, old.model_copy(update={"lift": math.inf}))
