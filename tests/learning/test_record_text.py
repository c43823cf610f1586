"""Pattern records as OCTAVE: canonical rendering, strict reading, round trips."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta

import pytest

from hestai_tmws.errors import ValidationError
from hestai_tmws.learning.core.checks import CheckResult, ValidationReport
from hestai_tmws.learning.core.model import Variant
from hestai_tmws.learning.core.states import PatternState, StateChange
from hestai_tmws.learning.record_text import parse_record, render_record
from hestai_tmws.learning.records import PatternRecord, PatternStats
from tests.octave_oracle import assert_oracle_clean

AT = datetime(2025, 3, 4, 10, 0, tzinfo=UTC)


def sample_record(**changes: object) -> PatternRecord:
    record = PatternRecord(
        id="pat-0123456789abcdef",
        state=PatternState.VALIDATED,
        namespace="demo",
        tokens=["Bash:pytest", "Edit", "mcp__tmws__clock_out", 'Bash:echo "x"'],
        variants=[Variant(id="pat-00000000000000aa", tokens=("Bash:pytest", "Read"), support=3)],
        stats=PatternStats(
            support=6,
            days=[date(2025, 3, 3), date(2025, 3, 5)],
            first_seen=date(2025, 3, 3),
            last_seen=date(2025, 3, 5),
            occurrences=7,
            successes=6,
            outcomes_known=7,
            success_rate=0.857143,
            wilson_lower=0.487,
            mean_duration_ms=None,
            stability=0.125,
            confidence=0.2922,
            lift=math.inf,
            expected_support=1.2e-09,
            failed_steps=[0, 1, 0, 0],
        ),
        evidence=["000000000001", "abcdefabcdef"],
        validation=ValidationReport(
            pattern_id="pat-0123456789abcdef",
            checks=[
                CheckResult(code="V1", passed=True, reason="support 6 (needs >= 3)"),
                CheckResult(code="V2", passed=False, reason='"quoted" → reason'),
            ],
            passed=False,
        ),
        history=[
            StateChange(
                from_state=None, to_state=PatternState.DETECTED, at=AT, actor="system", support=6
            ),
            StateChange(
                from_state=PatternState.DETECTED,
                to_state=PatternState.VALIDATED,
                at=AT + timedelta(seconds=1),
                actor="system",
                support=6,
                reason="all six checks passed",
            ),
        ],
        skill=None,
        created_at=AT,
    )
    return record.model_copy(update=changes)


def test_record_round_trips_and_is_canonical_octave() -> None:
    record = sample_record()
    text = render_record(record)
    assert_oracle_clean(text)
    back = parse_record(text)
    assert back == record
    assert render_record(back) == text
    assert back.support_at_rejection() is None
    assert back.state_since() == AT + timedelta(seconds=1)


def test_record_keeps_the_latest_rejection_support() -> None:
    history = [
        StateChange(from_state=None, to_state=PatternState.DETECTED, at=AT, actor="s", support=3),
        StateChange(
            from_state=PatternState.DETECTED,
            to_state=PatternState.REJECTED,
            at=AT,
            actor="s",
            support=3,
        ),
        StateChange(
            from_state=PatternState.REJECTED,
            to_state=PatternState.DETECTED,
            at=AT,
            actor="s",
            support=6,
        ),
        StateChange(
            from_state=PatternState.DETECTED,
            to_state=PatternState.REJECTED,
            at=AT,
            actor="s",
            support=6,
        ),
    ]
    record = sample_record(state=PatternState.REJECTED, history=history)
    assert parse_record(render_record(record)).support_at_rejection() == 6


@pytest.mark.parametrize(
    "text, message",
    [
        ("===OTHER===\n---\n===END===\n", "not a pattern record"),
        ("===PATTERN===\nMETA:\n  ID::pat-1\n---\n===END===\n", "section SEQUENCE is missing"),
    ],
)
def test_parse_record_rejects_other_documents(text: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        parse_record(text)


def test_a_gapped_pattern_keeps_its_gap_and_a_contiguous_one_writes_none() -> None:
    gapped = sample_record(gap=2)
    text = render_record(gapped)
    assert "GAP::2" in text and parse_record(text) == gapped
    assert parse_record(text).to_mined().gap == 2
    assert "GAP" not in render_record(sample_record())
