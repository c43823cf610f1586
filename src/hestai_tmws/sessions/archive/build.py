"""Building an archive's content from a session, its transcript and its traces (no I/O)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from hestai_tmws.sessions.archive.limits import LEVELS, Limits, shorten
from hestai_tmws.sessions.archive.model import (
    ArchiveData,
    ArchiveMeta,
    ArchiveStatus,
    ArchiveSummary,
    SummarySource,
    ToolCallEntry,
    TraceEntry,
    iso,
)
from hestai_tmws.sessions.model import ActiveSession
from hestai_tmws.sessions.task_text import strip_wrappers

if TYPE_CHECKING:
    from hestai_tmws.sessions.traces import TraceLog
    from hestai_tmws.sessions.transcripts.model import Transcript


def _dedupe(items: Sequence[str]) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    for item in items:
        key = item.strip()
        if key and key not in seen:
            seen.add(key)
            out.append(key)
    return out


def _ms(value: float | None) -> int | None:
    if value is None:
        return None
    return max(0, round(value))


@dataclass
class ArchiveInputs:
    """What clock-out (or reaping) knows about a session when it closes it."""

    session: ActiveSession
    ended_at: datetime
    status: ArchiveStatus = "completed"
    transcript: Transcript | None = None
    traces: TraceLog | None = None
    summary: str | None = None
    decisions: Sequence[str] = ()
    blockers: Sequence[str] = ()
    learnings: Sequence[str] = ()
    namespace: str | None = None
    notes: list[str] = field(default_factory=list)
    root: str | None = None  # the repository's work tree: archived paths are made relative to it


def build_archive(inputs: ArchiveInputs, limits: Limits = LEVELS[0]) -> ArchiveData:
    """The archive's content from the session, its transcript and traces (not yet redacted)."""
    session = inputs.session
    tr = inputs.transcript
    calls: list[ToolCallEntry] = []
    if tr is not None:
        for call in tr.tool_calls:
            calls.append(
                ToolCallEntry.model_construct(  # typed fields; the archive is validated whole later
                    tool=call.name or "unknown",
                    digest=shorten(call.input_digest, limits.digest),
                    ok=call.ok,
                    duration_ms=_ms(call.duration_ms),
                    sidechain=call.sidechain,
                )
            )
    prompts_all = list(tr.user_prompts) if tr else []
    prompts, omitted = _bounded_prompts(prompts_all, limits)
    decisions = _dedupe([*inputs.decisions, *(tr.markers.decisions if tr else [])])
    blockers = _dedupe([*inputs.blockers, *(tr.markers.blockers if tr else [])])
    learnings = _dedupe([*inputs.learnings, *(tr.markers.learnings if tr else [])])
    files_read = _dedupe(tr.files_read) if tr else []
    files_changed = _dedupe(tr.files_changed) if tr else []
    commands = list(tr.commands) if tr else []
    errors = list(tr.errors) if tr else []

    summary = _summary(inputs, limits)
    traces, recording_errors, trace_note = _traces(inputs.traces, limits)
    started, ended = session_window(inputs)
    meta = ArchiveMeta(
        session_id=session.id,
        status=inputs.status,
        role=session.role,
        focus=session.focus,
        focus_source=session.focus_source,
        branch=session.branch,
        head=session.head,
        started_at=started,
        ended_at=ended,
        duration_s=max(0, int((ended - started).total_seconds())),
        governance_version=session.governance_version,
        namespace=inputs.namespace,
        transcript=str(tr.source) if tr else None,
        transcript_format=tr.format if tr else None,
        transcript_sha256=tr.sha256 if tr else None,
        claude_session_id=(tr.session_id if tr and tr.session_id else session.claude_session_id),
        tool_call_count=len(calls),
        failed_call_count=sum(1 for c in calls if c.ok is False),
        sidechain_call_count=sum(1 for c in calls if c.sidechain),
        prompt_count=len(prompts_all),
        files_read_count=len(files_read),
        files_changed_count=len(files_changed),
        command_count=len(commands),
        error_count=len(errors),
        decision_count=len(decisions),
        blocker_count=len(blockers),
        learning_count=len(learnings),
        trace_count=len(traces),
        malformed_lines=tr.malformed_lines if tr else 0,
    )
    return ArchiveData(
        meta=meta,
        summary=summary,
        tool_calls=calls,
        files_read=[shorten(p, limits.path) for p in files_read[: limits.files]],
        files_changed=[shorten(p, limits.path) for p in files_changed[: limits.files]],
        commands=[shorten(c, limits.command) for c in commands[: limits.commands]],
        errors=[shorten(e, limits.error) for e in errors[: limits.errors]],
        decisions=[shorten(d, limits.marker) for d in decisions[: limits.markers]],
        blockers=[shorten(b, limits.marker) for b in blockers[: limits.markers]],
        learnings=[shorten(x, limits.marker) for x in learnings[: limits.markers]],
        prompts=prompts,
        prompts_omitted=omitted,
        traces=traces,
        trace_recording_errors=recording_errors,
        trace_note=trace_note,
    )


def session_window(inputs: ArchiveInputs) -> tuple[datetime, datetime]:
    """(started, ended) in UTC: the transcript's own first and last records when it has them.

    An imported or late clock-out transcript is dated by when the work happened, not by
    when it was archived, so the archive's date and the days mining counts are real.
    """
    tr = inputs.transcript
    started = inputs.session.started_at
    ended = inputs.ended_at
    if tr is not None and tr.started_at is not None:
        started = tr.started_at
        ended = tr.ended_at if tr.ended_at is not None else started
    return started.astimezone(UTC), max(ended, started).astimezone(UTC)


def _bounded_prompts(prompts: list[str], limits: Limits) -> tuple[list[str], int]:
    """The first and last prompts (a session's intent and its end), shortened."""
    kept = [p for p in prompts if p.strip()]
    omitted = 0
    if len(kept) > limits.prompts:
        head = limits.prompts // 2 + limits.prompts % 2
        tail = limits.prompts - head
        omitted = len(kept) - limits.prompts
        kept = kept[:head] + (kept[-tail:] if tail else [])
    return [shorten(p, limits.prompt) for p in kept], omitted


def _summary(inputs: ArchiveInputs, limits: Limits) -> ArchiveSummary:
    tr = inputs.transcript
    # what the person asked for: the first prompt with front-end wrappers removed
    asked = (strip_wrappers(p) for p in (tr.user_prompts if tr else []))
    request = next((t for t in asked if t), "")
    conclusion = next((t for t in reversed(tr.assistant_texts if tr else []) if t.strip()), "")
    given = (inputs.summary or "").strip()
    source: SummarySource = (
        "arguments" if given else ("derived" if request or conclusion else "none")
    )
    return ArchiveSummary(
        text=shorten(given, limits.summary),
        request=shorten(request, limits.prompt),
        conclusion=shorten(conclusion, limits.summary // 2),
        source=source,
        notes=list(inputs.notes),
    )


def _traces(log: TraceLog | None, limits: Limits) -> tuple[list[TraceEntry], int, str]:
    if log is None:
        return [], 0, ""
    entries = [
        TraceEntry(
            tool=rec.tool or "unknown",
            source=rec.source,
            ok=rec.ok,
            duration_ms=_ms(rec.duration_ms),
            summary=shorten(rec.summary, limits.trace_summary),
            error_class=rec.error_class,
            args=rec.args_digest[:12],
            at=iso(datetime.fromtimestamp(rec.ts, UTC)),
        )
        for rec in log.records
    ]
    notes: list[str] = []
    if limits.traces is not None and len(entries) > limits.traces:
        head = limits.traces // 2
        tail = limits.traces - head
        omitted = entries[head : len(entries) - tail]
        per_tool: dict[str, int] = {}
        for entry in omitted:
            per_tool[entry.tool] = per_tool.get(entry.tool, 0) + 1
        counts = ", ".join(f"{tool} {n}" for tool, n in sorted(per_tool.items()))
        notes.append(
            f"{len(omitted)} of {len(entries)} traces omitted to fit the archive size "
            f"(first {head} and last {tail} kept; omitted: {counts})"
        )
        entries = entries[:head] + entries[len(entries) - tail :]
    if log.recording_errors:
        kinds = ", ".join(log.error_kinds) or "unknown"
        notes.append(
            f"trace recording failed {log.recording_errors} time(s) ({kinds}); "
            "traces are incomplete"
        )
    if log.malformed_lines:
        notes.append(f"{log.malformed_lines} unreadable trace line(s) skipped")
    return entries, log.recording_errors, "; ".join(notes)
