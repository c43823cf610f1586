"""The pattern record model: statistics from a mined pattern, history queries, the way back."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

from hestai_tmws.learning.core.mining import mine
from hestai_tmws.learning.core.model import MiningConfig
from hestai_tmws.learning.core.states import PatternState, transition
from hestai_tmws.learning.records import PatternRecord, now_utc, record_rel, stats_of
from tests.learning.helpers import filler, session

SEQ = ("Read", "Edit", "Bash:pytest")
AT = datetime(2025, 3, 4, 10, 0, tzinfo=UTC)


def mined_record() -> PatternRecord:
    sessions = [session(f"s{i}", [*filler(f"x{i}", 3), *SEQ], day=i) for i in range(4)]
    [pattern] = mine(sessions, MiningConfig())
    created = transition(None, PatternState.DETECTED, support=pattern.support, at=AT)
    return PatternRecord(
        id=pattern.id,
        state=PatternState.DETECTED,
        namespace=pattern.namespace,
        tokens=list(pattern.tokens),
        stats=stats_of(pattern),
        evidence=list(pattern.session_ids),
        history=[created],
        created_at=AT,
    )


def test_statistics_are_rounded_and_the_record_maps_back() -> None:
    record = mined_record()
    assert record.rel == record_rel(record.id) == f"learning/patterns/{record.id}.oct.md"
    assert record.chain == "Read → Edit → Bash:pytest"
    back = record.to_mined()
    assert back.tokens == SEQ and back.support == 4
    assert stats_of(back) == record.stats
    assert record.stats.success_rate == round(record.stats.success_rate, 6)
    assert math.isfinite(record.stats.confidence)


def test_history_answers_when_and_at_what_support() -> None:
    record = mined_record()
    assert record.state_since() == AT
    assert record.support_at_rejection() is None
    later = AT + timedelta(days=1)
    record.history.append(
        transition(PatternState.DETECTED, PatternState.REJECTED, support=4, at=later)
    )
    record.state = PatternState.REJECTED
    assert record.state_since() == later
    assert record.support_at_rejection() == 4


def test_record_time_is_whole_seconds() -> None:
    assert now_utc().microsecond == 0 and now_utc().tzinfo is not None
