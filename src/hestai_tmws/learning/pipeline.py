"""The mining run: archives → sequences (cached) → patterns → checks → records.

Its only input is what is committed (the archives and the existing pattern records); the
cache in the git directory only saves time. A run holds the Steward lock only while it
reconciles records (`reconcile`).
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache as cache_call
from typing import Literal

from pydantic import BaseModel, Field

from hestai_tmws.config import Settings, learning_namespace, load_settings
from hestai_tmws.errors import BusyError
from hestai_tmws.learning import mine_memo
from hestai_tmws.learning.archive_scan import ArchiveRef, ScanResult, scan, sessions_of
from hestai_tmws.learning.cache import Progress, SequenceCache, mining_input
from hestai_tmws.learning.cache_segments import CacheDamaged
from hestai_tmws.learning.core.checks import validate
from hestai_tmws.learning.core.explain import Candidate
from hestai_tmws.learning.core.model import MinedPattern, MiningConfig
from hestai_tmws.learning.core.states import PatternTransition
from hestai_tmws.learning.incremental import (
    Baseline,
    apply_sessions,
    build_baseline,
    config_key,
    to_mined,
)
from hestai_tmws.learning.mine_explain import explain_run
from hestai_tmws.learning.mine_memo import input_key, recall, remember, reuses
from hestai_tmws.learning.reconcile import ReconcileResult, reconcile
from hestai_tmws.learning.records import now_utc, record_rel
from hestai_tmws.project import Project

Mode = Literal["full", "incremental", "auto"]
RunMode = Literal["full", "incremental", "scan-only"]
# Without a measurement yet, assume this much mining time per tool call (2-core machine).
DEFAULT_SECONDS_PER_CALL = 20e-6


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
    transitions: list[PatternTransition] = Field(default_factory=list)
    broken_records: dict[str, str] = Field(default_factory=dict)
    notes: list[str] = Field(default_factory=list)
    timings_ms: dict[str, float] = Field(default_factory=dict)
    elapsed_ms: float = 0.0
    explain: list[Candidate] = Field(default_factory=list)  # only with `explain=True`


def mining_config(settings: Settings) -> MiningConfig:
    learning = settings.learning
    return MiningConfig(
        min_support=learning.min_support,
        min_days=learning.min_days,
        min_lift=learning.min_lift,
        cluster_similarity=learning.cluster_similarity,
    )


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
    explain: bool = False,
) -> MineReport:
    """Mine the archives and bring the pattern records up to date.

    `mode`: "full" re-mines everything (finds new patterns); "incremental" only folds new
    archives into the known patterns; "auto" runs a full mine when its estimated cost fits
    before `deadline` (a `time.perf_counter()` value), else an incremental one. A cache
    segment found damaged only when read means one more run without the cache.
    """
    args = (mode, deadline, progress, settings, phase, explain)
    # The cache index alone is ~500,000 objects that live until the run returns and hold no
    # cycles; left on, the collector re-walks them (~65 ms of an incremental run at 50,000).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _run_mine(project, *args, SequenceCache.load(project))
    except CacheDamaged:
        return _run_mine(project, *args, SequenceCache(load_note="the learning cache was damaged"))
    finally:
        if collecting:
            gc.enable()


def _run_mine(
    project: Project,
    mode: Mode,
    deadline: float | None,
    progress: Progress | None,
    settings: Settings | None,
    phase: Callable[[str], None] | None,
    explain: bool,
    cache: SequenceCache,
) -> MineReport:
    settings = settings or load_settings(project)
    config = mining_config(settings)
    clock = _Clock(deadline)
    say = phase or (lambda _name: None)
    say("reading archives")
    scanned = scan(
        project,
        cache,
        deadline=deadline,
        progress=progress,
        trust_inodes=mode in ("auto", "incremental"),
    )
    clock.lap("scan")
    report = _scan_report(scanned, cache)
    if not scanned.complete:
        report.notes.append(
            f"time budget reached after reading {scanned.parsed} archive(s); "
            f"{scanned.pending} left for the next run"
        )
        return _finish(project, cache, scanned, report, clock)
    baseline = _usable_baseline(cache, scanned.blob_set, config)
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
            return _finish(project, cache, scanned, report, clock)
    say("mining")
    # asked of git (gitpython and two git processes) only when a session lacks a namespace
    namespace: Callable[[], str] = cache_call(lambda: learning_namespace(project, settings))
    if run_full:
        found = _full_mine(
            project, cache, scanned.archives, namespace(), config, report, clock, baseline
        )
    else:
        assert baseline is not None
        found = _fold_new(project, cache, baseline, scanned, namespace, config, report, clock)
    report.patterns = len(found.baseline.patterns)
    known_tools = {tool for tool, _ in cache.tokens}
    reports = {
        p.id: validate(
            p, known_tools=known_tools, deny_list=settings.learning.deny_list, config=config
        )
        for p in found.mined
    }
    clock.lap("validate")
    if explain:
        report.explain = explain_run(
            cache, scanned.archives, namespace(), config, found.mined, reports
        )
    say("writing records")
    try:
        written = reconcile(
            project, settings, found.mined, found.evidence, reports, clock.remaining
        )
    except BusyError as exc:
        written = ReconcileResult()
        report.notes.append(f"pattern records not updated: {exc.message}")
    _fold_records(report, written)
    found.baseline.pending -= written.handled
    cache.baseline = found.baseline.to_marshal()
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
    return _finish(project, cache, scanned, report, clock, lap="cache")


@dataclass
class _Found:
    """What a full or an incremental run hands on to validation and the records."""

    baseline: Baseline
    mined: list[MinedPattern]
    evidence: dict[str, list[str]]


def _scan_report(scanned: ScanResult, cache: SequenceCache) -> MineReport:
    report = MineReport(
        mode="scan-only",
        archives=len(scanned.blobs) + len(scanned.unreadable) + scanned.pending,
        archives_read=scanned.parsed,
        archives_hashed=scanned.hashed,
        archives_pending=scanned.pending,
        unreadable=scanned.unreadable,
        notes=[cache.load_note] if cache.load_note else [],
    )
    report.archives_cached = max(0, report.archives - scanned.parsed - scanned.pending)
    return report


def _full_mine(
    project: Project,
    cache: SequenceCache,
    archives: list[ArchiveRef],
    namespace: str,
    config: MiningConfig,
    report: MineReport,
    clock: _Clock,
    baseline: Baseline | None,
) -> _Found:
    """Mine every session anew and store the baseline incremental runs continue from.

    When the archives, settings and mining code are those of the last full mine, its
    result is reused (`mine_memo`): mining them again could only give the same patterns.
    """
    report.mode = "full"
    key = input_key((a.blob for a in archives), config_key(config), namespace)
    reused = recall(mine_memo.load(project), key)
    if reused is not None and reuses(baseline, archives, reused[0]):
        assert baseline is not None
        clock.lap("mine (reused)")
        report.sessions, report.calls = len(baseline.session_ids), reused[1]
        return _Found(baseline, reused[0], {a.id: a.evidence() for a in baseline.patterns})
    from hestai_tmws.learning.core.mining import mine  # lazy: ~30 ms only a full mine needs

    sessions = sessions_of(cache, archives, namespace)
    seqs = mining_input(cache, sessions)
    clock.lap("sequences")
    found = mine(seqs, config)
    clock.lap("mine")
    baseline = build_baseline(sessions, found, config, (a.blob for a in archives), cache.token_text)
    durations = {a.id: a.mean_duration_ms for a in baseline.patterns}
    mined = [p.model_copy(update={"mean_duration_ms": durations[p.id]}) for p in found]
    evidence = {a.id: a.evidence() for a in baseline.patterns}
    report.sessions = len(sessions)
    report.calls = sum(len(s.steps) for s in seqs)
    del seqs, sessions  # the largest objects of the run: let them go before the records
    mine_memo.save(project, remember(key, mined, report.calls))
    clock.lap("baseline")
    cache.last_run["full_mine_s"] = clock.timings["mine"] / 1000
    cache.last_run["full_calls"] = report.calls
    return _Found(baseline, mined, evidence)


def _fold_new(
    project: Project,
    cache: SequenceCache,
    baseline: Baseline,
    scanned: ScanResult,
    namespace: Callable[[], str],
    config: MiningConfig,
    report: MineReport,
    clock: _Clock,
) -> _Found:
    """Fold the archives the baseline has not seen into the known patterns' counts."""
    new_refs = scanned.refs_without(baseline.blobs)
    entries = cache.blobs
    unnamed = any(entries[a.blob][2] is None for a in new_refs if a.blob in entries)
    fresh = sessions_of(cache, new_refs, namespace() if unnamed else "")
    clock.lap("sequences")
    known = baseline.session_ids
    new_ids = [s.session_id for s in fresh if s.session_id not in known]
    report.new_sessions = apply_sessions(baseline, fresh, cache.token_text)
    baseline.blobs.update(a.blob for a in new_refs)
    cache.baseline_growth = ([a.blob for a in new_refs], new_ids)  # saved as a delta
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
    return _Found(baseline, mined, evidence)


def _fold_records(report: MineReport, written: ReconcileResult) -> None:
    report.created = written.created
    report.updated = written.updated
    report.unchanged = written.unchanged
    report.transitions = written.transitions
    report.broken_records = written.broken_records
    report.notes.extend(written.notes)


def _finish(
    project: Project,
    cache: SequenceCache,
    scanned: ScanResult,
    report: MineReport,
    clock: _Clock,
    *,
    lap: str | None = None,
) -> MineReport:
    """Save the cache and stamp the report's timings."""
    _save(project, cache, scanned.blob_set, report)
    if lap is not None:
        clock.lap(lap)
    report.timings_ms = clock.timings
    report.elapsed_ms = clock.elapsed_ms()
    return report


def _usable_baseline(
    cache: SequenceCache, blobs: set[str], config: MiningConfig
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
    if not baseline.blobs <= blobs:
        return None  # an archive was removed or rewritten: only a full mine is exact
    return baseline


def _full_fits(cache: SequenceCache, remaining: float | None) -> bool:
    if remaining is None:
        return True
    per_call = DEFAULT_SECONDS_PER_CALL
    seconds, calls = cache.last_run.get("full_mine_s"), cache.last_run.get("full_calls")
    if isinstance(seconds, float | int) and isinstance(calls, int) and calls > 0:
        per_call = max(seconds / calls, 1e-7)
    total_calls = cache.blobs.total_steps()
    # leave a third of what is left for validation, records and the cache
    return per_call * total_calls <= remaining * 2 / 3


def _save(project: Project, cache: SequenceCache, keep: set[str], report: MineReport) -> None:
    cache.last_run["archives"] = report.archives
    try:
        cache.save(project, keep=keep | set(cache.bad))
    except OSError as exc:
        report.notes.append(f"the learning cache could not be saved ({exc.strerror})")
