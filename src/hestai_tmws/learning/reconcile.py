"""Bring pattern records up to date with a mining run: new statistics, automatic moves.

Runs inside one Steward transaction and re-reads every record under the lock, so a person
approving a pattern while a clock-out mines in the background never loses the approval.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from datetime import datetime

from pydantic import BaseModel, Field

from hestai_tmws.config import Settings
from hestai_tmws.errors import TmwsError
from hestai_tmws.governance.placement import routing_placement
from hestai_tmws.learning.core.checks import ValidationReport
from hestai_tmws.learning.core.model import MinedPattern
from hestai_tmws.learning.core.states import (
    SYSTEM_ACTOR,
    PatternState,
    PatternTransition,
    StateChange,
    automatic_state,
    rejection_reason,
    transition,
)
from hestai_tmws.learning.record_text import parse_record
from hestai_tmws.learning.records import (
    MAX_EVIDENCE,
    PatternRecord,
    PatternStats,
    now_utc,
    record_rel,
    stats_of,
)
from hestai_tmws.learning.store import write_record
from hestai_tmws.project import Project
from hestai_tmws.steward import Steward
from hestai_tmws.steward.atomic import deferred_dir_fsync

AUTO_APPROVE_ACTOR = "policy:auto_approve"
LEARNING_ACTOR = "learning"
# Statistics that drift with the whole corpus (token frequencies, the reference day) rather
# than with the pattern's own evidence: a record is not rewritten for drift alone until it
# exceeds these bounds, so one new session only rewrites the records of patterns it holds.
DRIFT_RELATIVE = 0.25
DRIFT_STABILITY = 0.25

Remaining = Callable[[], float | None]  # seconds left before the run's deadline (None: none)


class ReconcileResult(BaseModel):
    """What writing the records did (folded into the mine report)."""

    handled: set[str] = Field(default_factory=set)  # ids whose records are now current
    created: list[str] = Field(default_factory=list)
    updated: list[str] = Field(default_factory=list)
    unchanged: int = 0
    transitions: list[PatternTransition] = Field(default_factory=list)
    broken_records: dict[str, str] = Field(default_factory=dict)
    notes: list[str] = Field(default_factory=list)


def advance(
    record: PatternRecord, report: ValidationReport, settings: Settings, at: datetime
) -> list[StateChange]:
    """The automatic transitions a run applies to a record (mutates it; returns them)."""
    moves: list[StateChange] = []
    support = record.stats.support

    def move(target: PatternState, *, actor: str = SYSTEM_ACTOR, reason: str = "") -> None:
        change = transition(
            record.state,
            target,
            support=support,
            support_at_rejection=record.support_at_rejection(),
            actor=actor,
            reason=reason,
            at=at,
        )
        record.history.append(change)
        record.state = target
        moves.append(change)

    if record.state is PatternState.REJECTED:
        before = record.support_at_rejection()
        if before is not None and support >= 2 * before:
            move(
                PatternState.DETECTED,
                reason=f"support doubled since rejection ({before} → {support})",
            )
    if record.state is PatternState.DETECTED:
        target = automatic_state(report)
        reason = "all six checks passed" if report.passed else rejection_reason(report)
        move(target, reason=reason)
    if record.state is PatternState.VALIDATED and settings.learning.auto_approve:
        move(PatternState.APPROVED, actor=AUTO_APPROVE_ACTOR, reason="learning.auto_approve is on")
    return moves


def drift_only(old: PatternStats, new: PatternStats) -> bool:
    """True when `new` differs from `old` only by small corpus drift."""
    same_rest = old.model_copy(
        update={
            "lift": new.lift,
            "expected_support": new.expected_support,
            "stability": new.stability,
        }
    )
    if same_rest != new:
        return False
    return (
        _close(old.lift, new.lift)
        and _close(old.expected_support, new.expected_support)
        and abs(old.stability - new.stability) < DRIFT_STABILITY
    )


def _close(a: float, b: float) -> bool:
    if a == b:
        return True
    if not (math.isfinite(a) and math.isfinite(b)):
        return False
    return abs(a - b) <= DRIFT_RELATIVE * max(abs(a), abs(b))


def reconcile(
    project: Project,
    settings: Settings,
    mined: list[MinedPattern],
    evidence: dict[str, list[str]],
    reports: dict[str, ValidationReport],
    remaining: Remaining,
) -> ReconcileResult:
    """Bring the records of `mined` up to date (BusyError when the lock is not free)."""
    out = ReconcileResult()
    if not mined:
        return out
    left = remaining()
    timeout = settings.lock_timeout_seconds if left is None else max(0.05, left)
    steward = Steward(project, lock_timeout=timeout, placement=routing_placement(project))
    at = now_utc()
    slowest_write = 0.0
    # one transaction, each folder fsynced once at its end (as `tmws import` batches)
    with (
        steward.transaction("learning: pattern records", stage=settings.stage_writes),
        deferred_dir_fsync(),
    ):
        for pattern in mined:
            left = remaining()
            if left is not None and left <= slowest_write:
                out.notes.append("time budget reached while writing pattern records")
                break
            took = _reconcile_one(
                steward, pattern, evidence, reports[pattern.id], settings, at, out
            )
            if took is not None:
                slowest_write = max(slowest_write, took)
    return out


def _reconcile_one(
    steward: Steward,
    pattern: MinedPattern,
    evidence: dict[str, list[str]],
    report: ValidationReport,
    settings: Settings,
    at: datetime,
    out: ReconcileResult,
) -> float | None:
    """Update one record; the seconds its write took (None: unreadable or not written)."""
    rel = record_rel(pattern.id)
    current = steward.read_text(rel)  # inside the lock: never overwrite a newer state
    old: PatternRecord | None = None
    if current is not None:
        try:
            old = parse_record(current)
        except TmwsError as exc:
            out.broken_records[rel] = exc.message
            return None
    record = updated_record(old, pattern, evidence, report, at)
    for change in advance(record, report, settings, at):
        out.transitions.append(PatternTransition.of(record.id, change))
    started = time.perf_counter()
    try:
        changed = write_record(
            steward,
            record,
            current=current,
            actor=LEARNING_ACTOR,
            reason="mined pattern" if old is None else "pattern statistics",
        )
    except TmwsError as exc:
        out.notes.append(f"{record.id}: not written ({exc.message})")
        return None
    took = time.perf_counter() - started
    out.handled.add(record.id)
    if old is None:
        out.created.append(record.id)
    elif changed:
        out.updated.append(record.id)
    else:
        out.unchanged += 1
    return took


def updated_record(
    old: PatternRecord | None,
    pattern: MinedPattern,
    evidence: dict[str, list[str]],
    report: ValidationReport,
    at: datetime,
) -> PatternRecord:
    """The record with this run's statistics (a new one, DETECTED, if there was none)."""
    stats = stats_of(pattern)
    shown = evidence.get(pattern.id, [])[:MAX_EVIDENCE]
    if old is None:
        created = transition(
            None,
            PatternState.DETECTED,
            support=pattern.support,
            reason=f"seen in {pattern.support} sessions",
            at=at,
        )
        return PatternRecord(
            id=pattern.id,
            state=PatternState.DETECTED,
            namespace=pattern.namespace,
            tokens=list(pattern.tokens),
            variants=list(pattern.variants),
            gap=pattern.gap,
            stats=stats,
            evidence=shown,
            validation=report,
            history=[created],
            created_at=at,
        )
    # `old` was just parsed and is not used again: only the history, which `advance`
    # appends to, needs a copy of its own (a deep copy of the whole record cost ~3 ms).
    record = old.model_copy(update={"history": list(old.history)})
    record.variants = list(pattern.variants)
    record.gap = pattern.gap
    record.stats = old.stats if drift_only(old.stats, stats) else stats
    record.evidence = shown
    record.validation = report
    return record
