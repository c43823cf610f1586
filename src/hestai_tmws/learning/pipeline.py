"""The mining run: archives → sequences (cached) → patterns → checks → records.

Its only input is what is committed (the archives and the existing pattern records); the
cache in the git directory only saves time. A run holds the Steward lock only while it
reconciles records, and re-reads them inside the lock, so a person approving a pattern
while a clock-out mines in the background never loses the approval.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Literal

from pydantic import BaseModel, Field

from hestai_tmws.config import Settings, load_settings
from hestai_tmws.errors import BusyError, TmwsError
from hestai_tmws.learning.cache import (
    ArchiveRef,
    Progress,
    SequenceCache,
    mining_input,
    scan,
    sessions_of,
)
from hestai_tmws.learning.core.checks import ValidationReport, validate
from hestai_tmws.learning.core.model import MinedPattern, MiningConfig, SessionSeq
from hestai_tmws.learning.core.states import (
    SYSTEM_ACTOR,
    PatternState,
    automatic_state,
    rejection_reason,
    transition,
)
from hestai_tmws.learning.incremental import (
    Baseline,
    apply_sessions,
    build_baseline,
    config_key,
    to_mined,
)
from hestai_tmws.learning.records import (
    MAX_EVIDENCE,
    HistoryEntry,
    PatternRecord,
    PatternStats,
    parse_record,
    record_rel,
    stats_of,
)
from hestai_tmws.learning.store import write_record
from hestai_tmws.project import Project
from hestai_tmws.steward import Steward

Mode = Literal["full", "incremental", "auto"]
RunMode = Literal["full", "incremental", "scan-only"]
AUTO_APPROVE_ACTOR = "policy:auto_approve"
LEARNING_ACTOR = "learning"
# Without a measurement yet, assume this much mining time per tool call (2-core machine).
DEFAULT_SECONDS_PER_CALL = 20e-6


class TransitionNote(BaseModel):
    pattern_id: str
    from_state: PatternState | None
    to_state: PatternState
    actor: str
    reason: str = ""


class MineReport(BaseModel):
    """What one mining run read, found and wrote."""

    mode: RunMode
    archives: int = 0  # archive files found
    archives_read: int = 0  # parsed in this run (not in the cache)
    archives_cached: int = 0  # served from the cache
    archives_hashed: int = 0  # opened only to compute their blob id
    archives_pending: int = 0  # left for the next run (time budget)
    unreadable: dict[str, str] = Field(default_factory=dict)
    sessions: int = 0
    calls: int = 0
    new_sessions: int = 0
    patterns: int = 0
    created: list[str] = Field(default_factory=list)
    updated: list[str] = Field(default_factory=list)
    unchanged: int = 0
    transitions: list[TransitionNote] = Field(default_factory=list)
    broken_records: dict[str, str] = Field(default_factory=dict)
    notes: list[str] = Field(default_factory=list)
    timings_ms: dict[str, float] = Field(default_factory=dict)
    elapsed_ms: float = 0.0


def mining_config(settings: Settings) -> MiningConfig:
    learning = settings.learning
    return MiningConfig(
        min_support=learning.min_support,
        min_days=learning.min_days,
        min_lift=learning.min_lift,
        cluster_similarity=learning.cluster_similarity,
    )


def default_namespace(project: Project, settings: Settings) -> str:
    """The namespace of archives that do not name one (as clock-out would name it)."""
    from hestai_tmws.config import learning_namespace

    return learning_namespace(project, settings)


def now_utc() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


class _Clock:
    def __init__(self, deadline: float | None) -> None:
        self.start = time.perf_counter()
        self.deadline = deadline
        self.last = self.start
        self.timings: dict[str, float] = {}

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.timings[name] = round((now - self.last) * 1000, 2)
        self.last = now

    def remaining(self) -> float | None:
        if self.deadline is None:
            return None
        return self.deadline - time.perf_counter()

    def elapsed_ms(self) -> float:
        return round((time.perf_counter() - self.start) * 1000, 2)


def run_mine(
    project: Project,
    *,
    mode: Mode = "full",
    deadline: float | None = None,
    progress: Progress | None = None,
    settings: Settings | None = None,
    phase: Callable[[str], None] | None = None,
) -> MineReport:
    """Mine the archives and bring the pattern records up to date.

    `mode`: "full" re-mines everything (finds new patterns); "incremental" only folds new
    archives into the known patterns; "auto" runs a full mine when its estimated cost fits
    before `deadline` (a `time.perf_counter()` value), else an incremental one.
    """
    settings = settings or load_settings(project)
    config = mining_config(settings)
    clock = _Clock(deadline)
    say = phase or (lambda _name: None)
    cache = SequenceCache.load(project)
    notes: list[str] = [cache.load_note] if cache.load_note else []
    say("reading archives")
    scanned = scan(
        project,
        cache,
        deadline=deadline,
        progress=progress,
        trust_inodes=mode in ("auto", "incremental"),
    )
    clock.lap("scan")
    report = MineReport(
        mode="scan-only",
        archives=len(scanned.archives) + len(scanned.unreadable) + scanned.pending,
        archives_read=scanned.parsed,
        archives_hashed=scanned.hashed,
        archives_pending=scanned.pending,
        unreadable=scanned.unreadable,
        notes=notes,
    )
    report.archives_cached = max(0, report.archives - scanned.parsed - scanned.pending)
    if not scanned.complete:
        report.notes.append(
            f"time budget reached after reading {scanned.parsed} archive(s); "
            f"{scanned.pending} left for the next run"
        )
        _save(project, cache, scanned.archives, report)
        report.timings_ms = clock.timings
        report.elapsed_ms = clock.elapsed_ms()
        return report
    namespace = default_namespace(project, settings)
    baseline = _usable_baseline(cache, scanned.archives, config)
    run_full = mode == "full" or baseline is None
    if mode == "incremental" and baseline is None:
        report.notes.append("no baseline from an earlier full mine; ran a full mine")
    if mode == "auto":
        run_full = _full_fits(cache, clock.remaining())
        if not run_full and baseline is None:
            report.notes.append(
                "a full mine does not fit the time budget and there is no baseline yet; "
                "run `tmws learn mine`"
            )
            _save(project, cache, scanned.archives, report)
            report.timings_ms = clock.timings
            report.elapsed_ms = clock.elapsed_ms()
            return report
    say("mining")
    if run_full:
        sessions = sessions_of(cache, scanned.archives, namespace)
        seqs = mining_input(cache, sessions)
        clock.lap("sequences")
        found = mine_sessions(seqs, config)
        clock.lap("mine")
        baseline = build_baseline(
            sessions, found, config, (a.blob for a in scanned.archives), cache.token_text
        )
        durations = {a.id: a.mean_duration_ms for a in baseline.patterns}
        mined = [p.model_copy(update={"mean_duration_ms": durations[p.id]}) for p in found]
        evidence = {a.id: a.evidence() for a in baseline.patterns}
        clock.lap("baseline")
        report.mode = "full"
        report.sessions = len(sessions)
        report.calls = sum(len(s.steps) for s in seqs)
        cache.last_run["full_mine_s"] = clock.timings["mine"] / 1000
        cache.last_run["full_calls"] = report.calls
    else:
        assert baseline is not None
        new_refs = [a for a in scanned.archives if a.blob not in baseline.blobs]
        fresh = sessions_of(cache, new_refs, namespace)
        clock.lap("sequences")
        report.new_sessions = apply_sessions(baseline, fresh, cache.token_text)
        baseline.blobs.update(a.blob for a in new_refs)
        # Only the records the new sessions changed (or that a cut-short run left behind)
        # can differ: the others would only drift, which is not written.
        todo = [
            a
            for a in baseline.patterns
            if a.id in baseline.pending or not project.memory_path(record_rel(a.id)).exists()
        ]
        mined = [to_mined(a, baseline.namespaces[a.namespace], config) for a in todo]
        evidence = {a.id: a.evidence() for a in todo}
        clock.lap("mine")
        report.mode = "incremental"
        report.sessions = len(baseline.session_ids)
        report.calls = sum(sum(c.calls.values()) for c in baseline.namespaces.values())
        if baseline.sessions_since_full:
            report.notes.append(
                f"{baseline.sessions_since_full} session(s) since the last full mine; "
                "`tmws learn mine` looks for new patterns among them"
            )
    report.patterns = len(baseline.patterns)
    known_tools = {tool for tool, _ in cache.tokens}
    reports = {
        p.id: validate(
            p, known_tools=known_tools, deny_list=settings.learning.deny_list, config=config
        )
        for p in mined
    }
    clock.lap("validate")
    say("writing records")
    try:
        handled = _reconcile(project, settings, mined, evidence, reports, report, clock)
    except BusyError as exc:
        handled = set()
        report.notes.append(f"pattern records not updated: {exc.message}")
    baseline.pending -= handled
    cache.baseline = baseline.to_marshal()
    clock.lap("records")
    cache.last_run.update(
        {
            "at": now_utc().isoformat(),
            "mode": report.mode,
            "patterns": report.patterns,
            "sessions": report.sessions,
            "calls": report.calls,
        }
    )
    _save(project, cache, scanned.archives, report)
    clock.lap("cache")
    report.timings_ms = clock.timings
    report.elapsed_ms = clock.elapsed_ms()
    return report


def mine_sessions(sessions: list[SessionSeq], config: MiningConfig) -> list[MinedPattern]:
    from hestai_tmws.learning.core.mining import mine

    return mine(sessions, config)


def _usable_baseline(
    cache: SequenceCache, archives: list[ArchiveRef], config: MiningConfig
) -> Baseline | None:
    """The stored baseline if it still describes these archives and these settings."""
    if not cache.baseline:
        return None
    try:
        baseline = Baseline.from_marshal(cache.baseline)
    except Exception:
        return None
    if baseline.config != config_key(config):
        return None
    current = {a.blob for a in archives}
    if not baseline.blobs <= current:
        return None  # an archive was removed or rewritten: only a full mine is exact
    return baseline


def _full_fits(cache: SequenceCache, remaining: float | None) -> bool:
    if remaining is None:
        return True
    per_call = DEFAULT_SECONDS_PER_CALL
    seconds, calls = cache.last_run.get("full_mine_s"), cache.last_run.get("full_calls")
    if isinstance(seconds, float | int) and isinstance(calls, int) and calls > 0:
        per_call = max(seconds / calls, 1e-7)
    total_calls = sum(len(e[3]) // 8 for e in cache.blobs.values())
    # leave a third of what is left for validation, records and the cache
    return per_call * total_calls <= remaining * 2 / 3


def _save(
    project: Project, cache: SequenceCache, archives: list[ArchiveRef], report: MineReport
) -> None:
    keep = {a.blob for a in archives}
    cache.last_run["archives"] = report.archives
    try:
        cache.save(project, keep=keep | set(cache.bad))
    except OSError as exc:
        report.notes.append(f"the learning cache could not be saved ({exc.strerror})")


# -- records ----------------------------------------------------------------------------------


def advance(
    record: PatternRecord, report: ValidationReport, settings: Settings, at: datetime
) -> list[HistoryEntry]:
    """The automatic transitions a run applies to a record (mutates it; returns them)."""
    moves: list[HistoryEntry] = []
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
        entry = HistoryEntry.from_change(change)
        record.history.append(entry)
        record.state = target
        moves.append(entry)

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


# Statistics that drift with the whole corpus (token frequencies, the reference day) rather
# than with the pattern's own evidence: a record is not rewritten for drift alone until it
# exceeds these bounds, so one new session only rewrites the records of patterns it holds.
DRIFT_RELATIVE = 0.25
DRIFT_STABILITY = 0.25


def _drift_only(old: PatternStats, new: PatternStats) -> bool:
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


def _reconcile(
    project: Project,
    settings: Settings,
    mined: list[MinedPattern],
    evidence: dict[str, list[str]],
    reports: dict[str, ValidationReport],
    out: MineReport,
    clock: _Clock,
) -> set[str]:
    """Bring the records of `mined` up to date; returns the ids that are now current."""
    handled: set[str] = set()
    if not mined:
        return handled
    remaining = clock.remaining()
    timeout = settings.lock_timeout_seconds if remaining is None else max(0.05, remaining)
    steward = Steward(project, lock_timeout=timeout)
    at = now_utc()
    slowest_write = 0.0
    with steward.transaction("learning: pattern records", stage=settings.stage_writes):
        for pattern in mined:
            remaining = clock.remaining()
            if remaining is not None and remaining <= slowest_write:
                out.notes.append("time budget reached while writing pattern records")
                break
            rel = record_rel(pattern.id)
            current = steward.read_text(rel)  # inside the lock: never overwrite a newer state
            old: PatternRecord | None = None
            if current is not None:
                try:
                    old = parse_record(current)
                except TmwsError as exc:
                    out.broken_records[rel] = exc.message
                    continue
            record = _updated(old, pattern, evidence, reports[pattern.id], at)
            moves = advance(record, reports[pattern.id], settings, at)
            for entry in moves:
                out.transitions.append(
                    TransitionNote(
                        pattern_id=record.id,
                        from_state=entry.from_state,
                        to_state=entry.to_state,
                        actor=entry.actor,
                        reason=entry.reason,
                    )
                )
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
                continue
            slowest_write = max(slowest_write, time.perf_counter() - started)
            handled.add(record.id)
            if old is None:
                out.created.append(record.id)
            elif changed:
                out.updated.append(record.id)
            else:
                out.unchanged += 1
    return handled


def _updated(
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
        return PatternRecord(
            id=pattern.id,
            state=PatternState.DETECTED,
            namespace=pattern.namespace,
            tokens=list(pattern.tokens),
            variants=list(pattern.variants),
            stats=stats,
            evidence=shown,
            validation=report,
            history=[
                HistoryEntry(
                    from_state=None,
                    to_state=PatternState.DETECTED,
                    at=at,
                    actor=SYSTEM_ACTOR,
                    support=pattern.support,
                    reason=f"seen in {pattern.support} sessions",
                )
            ],
            created_at=at,
        )
    record = old.model_copy(deep=True)
    record.variants = list(pattern.variants)
    record.stats = old.stats if _drift_only(old.stats, stats) else stats
    record.evidence = shown
    record.validation = report
    return record
