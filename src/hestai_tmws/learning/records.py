"""Pattern records: one OCTAVE file per pattern in `.hestai/learning/patterns/` (the model).

A record is what a fresh clone knows about a pattern: its state, the statistics of the last
run, up to ten sessions of evidence, the validation report and the append-only history of
its transitions. `record_text` renders and reads the file.
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime

from pydantic import BaseModel, ConfigDict, Field

from hestai_tmws.layout import PATTERNS
from hestai_tmws.learning.core.checks import ValidationReport
from hestai_tmws.learning.core.model import MinedPattern, Variant
from hestai_tmws.learning.core.states import PatternState, StateChange

ENVELOPE = "PATTERN"
FORMAT_VERSION = "1.0"
MAX_EVIDENCE = 10
RECORD_SUFFIX = ".oct.md"


class PatternStats(BaseModel):
    """The statistics of the last run (recomputed from the archives every time)."""

    model_config = ConfigDict(ser_json_inf_nan="strings")  # an infinite lift stays visible

    support: int
    days: list[date]
    first_seen: date
    last_seen: date
    occurrences: int
    successes: int
    outcomes_known: int
    success_rate: float
    wilson_lower: float
    mean_duration_ms: float | None
    stability: float
    confidence: float
    lift: float
    expected_support: float
    failed_steps: list[int]


class PatternRecord(BaseModel):
    """Everything `.hestai/learning/patterns/<id>.oct.md` holds."""

    id: str
    state: PatternState
    namespace: str
    tokens: list[str]
    variants: list[Variant] = Field(default_factory=list)
    gap: int = 0  # foreign steps allowed between its steps (0: a contiguous run)
    stats: PatternStats
    evidence: list[str] = Field(default_factory=list)
    validation: ValidationReport | None = None
    history: list[StateChange] = Field(default_factory=list)
    skill: str | None = None  # path relative to .hestai/ of the promoted SKILL.md
    created_at: datetime

    @property
    def rel(self) -> str:
        return record_rel(self.id)

    @property
    def chain(self) -> str:
        return " → ".join(self.tokens)

    def support_at_rejection(self) -> int | None:
        """Support recorded by the latest move into REJECTED (for the doubling rule)."""
        for entry in reversed(self.history):
            if entry.to_state is PatternState.REJECTED:
                return entry.support
        return None

    def state_since(self) -> datetime:
        """When the record entered its current state."""
        for entry in reversed(self.history):
            if entry.to_state is self.state:
                return entry.at
        return self.created_at

    def to_mined(self) -> MinedPattern:
        """The record as a `MinedPattern` (evidence sessions stand for all sessions)."""
        s = self.stats
        return MinedPattern(
            id=self.id,
            namespace=self.namespace,
            tokens=tuple(self.tokens),
            support=s.support,
            session_ids=tuple(sorted(self.evidence)),
            days=tuple(s.days),
            first_seen=s.first_seen,
            last_seen=s.last_seen,
            occurrences=s.occurrences,
            successes=s.successes,
            outcomes_known=s.outcomes_known,
            success_rate=s.success_rate,
            wilson_lower=s.wilson_lower,
            mean_duration_ms=s.mean_duration_ms,
            stability=s.stability,
            confidence=s.confidence,
            lift=s.lift,
            expected_support=s.expected_support,
            variants=tuple(self.variants),
            failed_steps=tuple(s.failed_steps),
            evidence_namespaces=(self.namespace,),
            gap=self.gap,
        )


def record_rel(pattern_id: str) -> str:
    return f"{PATTERNS}/{pattern_id}{RECORD_SUFFIX}"


def stats_of(pattern: MinedPattern) -> PatternStats:
    """Statistics of a mined pattern, rounded so that re-rendering is stable."""
    return PatternStats(
        support=pattern.support,
        days=sorted(set(pattern.days)),
        first_seen=pattern.first_seen,
        last_seen=pattern.last_seen,
        occurrences=pattern.occurrences,
        successes=pattern.successes,
        outcomes_known=pattern.outcomes_known,
        success_rate=round(pattern.success_rate, 6),
        wilson_lower=round(pattern.wilson_lower, 6),
        mean_duration_ms=(
            None if pattern.mean_duration_ms is None else round(pattern.mean_duration_ms, 1)
        ),
        stability=round(pattern.stability, 6),
        confidence=round(pattern.confidence, 6),
        lift=_sig(pattern.lift),
        expected_support=_sig(pattern.expected_support),
        failed_steps=list(pattern.failed_steps),
    )


def _sig(value: float) -> float:
    if not math.isfinite(value):
        return value
    return float(f"{value:.6g}")


def now_utc() -> datetime:
    """The time of a record change, to the second (records keep no finer time)."""
    return datetime.now(UTC).replace(microsecond=0)
