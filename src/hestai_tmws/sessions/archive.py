"""The session archive: a deterministic OCTAVE record of one closed session, and its reader.

Compression is mechanical (no model): every tool call is kept, in order, as one `C001:` block
with the same five fields, because the learning miner reads TOOL_CALLS of every archive.
Free text is bounded and redacted; building never writes anything, so a failure here leaves
the session open.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, Field

from hestai_tmws.errors import ValidationError
from hestai_tmws.layout import SESSIONS_ARCHIVE
from hestai_tmws.sessions.focus import focus_slug
from hestai_tmws.sessions.model import ActiveSession

if TYPE_CHECKING:
    from hestai_tmws.octave import Document
    from hestai_tmws.sessions.traces import TraceLog
    from hestai_tmws.sessions.transcripts.model import Transcript

ENVELOPE = "SESSION_ARCHIVE"
FORMAT_VERSION = "1.0"
MAX_ARCHIVE_BYTES = 512 * 1024  # the routing table's limit for one archive
ELLIPSIS = "…"

ArchiveStatus = Literal["completed", "abandoned"]
SummarySource = Literal["arguments", "derived", "none"]

_CALL_KEY = re.compile(r"^C\d{3,}$")
_TRACE_KEY = re.compile(r"^T\d{3,}$")
_SPACES = re.compile(r"\s+")


# -- the data an archive holds ------------------------------------------------------------------


class ToolCallEntry(BaseModel):
    """One tool call as the archive keeps it (what the learning miner reads)."""

    tool: str
    digest: str = ""
    ok: bool | None = None
    duration_ms: int | None = None
    sidechain: bool = False


class TraceEntry(BaseModel):
    """One MCP / hook trace folded into the archive."""

    tool: str
    source: str = "mcp"
    ok: bool = True
    duration_ms: int | None = None
    summary: str = ""
    error_class: str | None = None
    args: str = ""  # first 12 hex digits of the args digest
    at: str = ""  # ISO time (UTC)


class ArchiveMeta(BaseModel):
    session_id: str
    status: ArchiveStatus = "completed"
    role: str
    focus: str
    focus_source: str = "default"
    branch: str | None = None
    head: str | None = None
    started_at: datetime
    ended_at: datetime
    duration_s: int = 0
    governance_version: str | None = None
    namespace: str | None = None
    transcript: str | None = None
    transcript_format: str | None = None
    transcript_sha256: str | None = None
    claude_session_id: str | None = None
    tool_call_count: int = 0
    failed_call_count: int = 0
    sidechain_call_count: int = 0
    prompt_count: int = 0
    files_read_count: int = 0
    files_changed_count: int = 0
    command_count: int = 0
    error_count: int = 0
    decision_count: int = 0
    blocker_count: int = 0
    learning_count: int = 0
    trace_count: int = 0
    malformed_lines: int = 0

    @property
    def id8(self) -> str:
        return self.session_id[:8]


class ArchiveSummary(BaseModel):
    text: str = ""
    request: str = ""
    conclusion: str = ""
    source: SummarySource = "none"
    notes: list[str] = Field(default_factory=list)


class ArchiveData(BaseModel):
    """Everything one archive says, typed (what `read_archive` returns)."""

    meta: ArchiveMeta
    summary: ArchiveSummary = Field(default_factory=ArchiveSummary)
    tool_calls: list[ToolCallEntry] = Field(default_factory=list)
    files_read: list[str] = Field(default_factory=list)
    files_changed: list[str] = Field(default_factory=list)
    commands: list[str] = Field(default_factory=list)
    errors: list[str] = Field(default_factory=list)
    decisions: list[str] = Field(default_factory=list)
    blockers: list[str] = Field(default_factory=list)
    learnings: list[str] = Field(default_factory=list)
    prompts: list[str] = Field(default_factory=list)
    prompts_omitted: int = 0
    traces: list[TraceEntry] = Field(default_factory=list)
    trace_recording_errors: int = 0
    trace_note: str = ""


# -- limits (level 0 is the normal case; higher levels shrink text to fit the size cap) ---------


@dataclass(frozen=True)
class Limits:
    digest: int = 160
    prompt: int = 300
    prompts: int = 40
    command: int = 160
    commands: int = 150
    files: int = 300
    path: int = 200
    error: int = 240
    errors: int = 50
    marker: int = 400
    markers: int = 50
    summary: int = 1200
    trace_summary: int = 160
    traces: int | None = None  # keep at most this many traces (first and last half); None: all


_SHRINKING: tuple[Limits, ...] = (
    Limits(),
    Limits(
        digest=100,
        prompt=160,
        prompts=20,
        command=100,
        commands=80,
        files=150,
        error=160,
        errors=30,
        marker=300,
        trace_summary=80,
    ),
    Limits(
        digest=48,
        prompt=80,
        prompts=6,
        command=60,
        commands=30,
        files=60,
        path=120,
        error=100,
        errors=10,
        marker=200,
        markers=30,
        summary=600,
        trace_summary=32,
    ),
    Limits(
        digest=16,
        prompt=40,
        prompts=2,
        command=30,
        commands=10,
        files=20,
        path=80,
        error=60,
        errors=5,
        marker=120,
        markers=20,
        summary=300,
        trace_summary=0,
    ),
)
# Last resort for very long MCP sessions: the transcript's tool calls stay complete, the
# traces (a second record of the same calls) keep their first and last 200 entries.
LEVELS: tuple[Limits, ...] = (*_SHRINKING, replace(_SHRINKING[-1], traces=400))


def shorten(text: str, limit: int) -> str:
    """One line, at most `limit` characters (cut on a word boundary, then an ellipsis)."""
    one_line = _SPACES.sub(" ", text).strip()
    if limit <= 0:
        return ""
    if len(one_line) <= limit:
        return one_line
    cut = one_line[: max(1, limit - 1)]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip() + ELLIPSIS


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


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse_iso(text: Any, fallback: datetime) -> datetime:
    if not isinstance(text, str) or not text:
        return fallback
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return fallback
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


# -- building -----------------------------------------------------------------------------------


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


def build_archive(inputs: ArchiveInputs, limits: Limits = LEVELS[0]) -> ArchiveData:
    """The archive's content from the session, its transcript and traces (not yet redacted)."""
    session = inputs.session
    tr = inputs.transcript
    calls: list[ToolCallEntry] = []
    if tr is not None:
        for call in tr.tool_calls:
            calls.append(
                ToolCallEntry(
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
    ended = inputs.ended_at.astimezone(UTC)
    started = session.started_at.astimezone(UTC)
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
    request = next((p for p in (tr.user_prompts if tr else []) if p.strip()), "")
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
            at=_iso(datetime.fromtimestamp(rec.ts, UTC)),
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


# -- redaction (fails closed) -------------------------------------------------------------------


def redact_inputs(inputs: ArchiveInputs) -> ArchiveInputs:
    """The inputs with every free text the archive may use redacted, before any shortening."""
    from hestai_tmws.secrets.redaction import redact, redact_obj

    tr = inputs.transcript
    new_tr = None
    if tr is not None:
        conclusion = next((t for t in reversed(tr.assistant_texts) if t.strip()), "")
        texts = redact_obj(
            {
                "digests": [c.input_digest for c in tr.tool_calls],
                "prompts": tr.user_prompts,
                "conclusion": [conclusion] if conclusion else [],
                "decisions": tr.markers.decisions,
                "blockers": tr.markers.blockers,
                "learnings": tr.markers.learnings,
                "files_read": tr.files_read,
                "files_changed": tr.files_changed,
                "commands": tr.commands,
                "errors": tr.errors,
                "source": str(tr.source),
            }
        )
        calls = [
            c.model_copy(update={"input_digest": d, "input": {}, "error_text": None})
            for c, d in zip(tr.tool_calls, texts["digests"], strict=True)
        ]
        new_tr = tr.model_copy(
            update={
                "tool_calls": calls,
                "user_prompts": texts["prompts"],
                "assistant_texts": texts["conclusion"],
                "markers": tr.markers.model_copy(
                    update={
                        "decisions": texts["decisions"],
                        "blockers": texts["blockers"],
                        "learnings": texts["learnings"],
                    }
                ),
                "files_read": texts["files_read"],
                "files_changed": texts["files_changed"],
                "commands": texts["commands"],
                "errors": texts["errors"],
                "source": Path(texts["source"]),
                "cwd": None,
            }
        )
    log = inputs.traces
    if log is not None:
        summaries = redact_obj([r.summary for r in log.records])
        log = log.model_copy(
            update={
                "records": [
                    r.model_copy(update={"summary": text})
                    for r, text in zip(log.records, summaries, strict=True)
                ]
            }
        )
    session = inputs.session.model_copy(
        update={
            "focus": redact(inputs.session.focus),
            "branch": None if inputs.session.branch is None else redact(inputs.session.branch),
        }
    )
    return replace(
        inputs,
        session=session,
        transcript=new_tr,
        traces=log,
        summary=None if inputs.summary is None else redact(inputs.summary),
        decisions=redact_obj(list(inputs.decisions)),
        blockers=redact_obj(list(inputs.blockers)),
        learnings=redact_obj(list(inputs.learnings)),
        namespace=None if inputs.namespace is None else redact(inputs.namespace),
        notes=redact_obj(list(inputs.notes)),
    )


def redact_archive(data: ArchiveData) -> ArchiveData:
    """A copy with every free-text field redacted; ids, hashes, times and counts stay as is."""
    from hestai_tmws.secrets.redaction import redact, redact_obj

    meta = data.meta.model_copy(
        update={
            "focus": redact(data.meta.focus),
            "branch": None if data.meta.branch is None else redact(data.meta.branch),
            "transcript": None if data.meta.transcript is None else redact(data.meta.transcript),
            "namespace": None if data.meta.namespace is None else redact(data.meta.namespace),
            "role": redact(data.meta.role),
        }
    )
    free = redact_obj(
        {
            "summary": data.summary.model_dump(mode="json"),
            "tool_calls": [c.model_dump(mode="json") for c in data.tool_calls],
            "files_read": data.files_read,
            "files_changed": data.files_changed,
            "commands": data.commands,
            "errors": data.errors,
            "decisions": data.decisions,
            "blockers": data.blockers,
            "learnings": data.learnings,
            "prompts": data.prompts,
            "traces": [t.model_dump(mode="json") for t in data.traces],
            "trace_note": data.trace_note,
        }
    )
    merged = {
        **free,
        "meta": meta,
        "prompts_omitted": data.prompts_omitted,
        "trace_recording_errors": data.trace_recording_errors,
    }
    return ArchiveData.model_validate(merged)


# -- rendering ----------------------------------------------------------------------------------


def _width(count: int) -> int:
    return max(3, len(str(count)))


def to_document(data: ArchiveData) -> Document:
    """The OCTAVE document of an archive (numbered sections in a fixed order)."""
    from hestai_tmws.octave import Document, Section

    m = data.meta
    meta: dict[str, Any] = {
        "TYPE": ENVELOPE,
        "VERSION": FORMAT_VERSION,
        "SESSION_ID": m.session_id,
        "STATUS": m.status,
        "ROLE": m.role,
        "FOCUS": m.focus,
        "FOCUS_SOURCE": m.focus_source,
        "BRANCH": m.branch,
        "HEAD": m.head,
        "STARTED": _iso(m.started_at),
        "ENDED": _iso(m.ended_at),
        "DURATION_S": m.duration_s,
        "GOVERNANCE_VERSION": m.governance_version,
        "NAMESPACE": m.namespace,
        "TRANSCRIPT": m.transcript,
        "TRANSCRIPT_FORMAT": m.transcript_format,
        "TRANSCRIPT_SHA256": m.transcript_sha256,
        "CLAUDE_SESSION_ID": m.claude_session_id,
        "TOOL_CALL_COUNT": m.tool_call_count,
        "FAILED_CALL_COUNT": m.failed_call_count,
        "SIDECHAIN_CALL_COUNT": m.sidechain_call_count,
        "PROMPT_COUNT": m.prompt_count,
        "FILES_READ_COUNT": m.files_read_count,
        "FILES_CHANGED_COUNT": m.files_changed_count,
        "COMMAND_COUNT": m.command_count,
        "ERROR_COUNT": m.error_count,
        "DECISION_COUNT": m.decision_count,
        "BLOCKER_COUNT": m.blocker_count,
        "LEARNING_COUNT": m.learning_count,
        "TRACE_COUNT": m.trace_count,
        "MALFORMED_LINES": m.malformed_lines,
    }
    s = data.summary
    summary: dict[str, Any] = {
        "SOURCE": s.source,
        "TEXT": s.text,
        "REQUEST": s.request,
        "CONCLUSION": s.conclusion,
        "NOTES": list(s.notes),
    }
    width = _width(len(data.tool_calls))
    calls: dict[str, Any] = {"COUNT": len(data.tool_calls)}
    for n, call in enumerate(data.tool_calls, 1):
        calls[f"C{n:0{width}d}"] = {
            "TOOL": call.tool,
            "DIGEST": call.digest,
            "OK": call.ok,
            "DURATION_MS": call.duration_ms,
            "SIDECHAIN": call.sidechain,
        }
    twidth = _width(len(data.traces))
    trace: dict[str, Any] = {
        "COUNT": len(data.traces),
        "RECORDING_ERRORS": data.trace_recording_errors,
        "NOTE": data.trace_note,
    }
    for n, rec in enumerate(data.traces, 1):
        trace[f"T{n:0{twidth}d}"] = {
            "TOOL": rec.tool,
            "SOURCE": rec.source,
            "OK": rec.ok,
            "DURATION_MS": rec.duration_ms,
            "ERROR_CLASS": rec.error_class,
            "ARGS": rec.args,
            "AT": rec.at,
            "SUMMARY": rec.summary,
        }
    sections = [
        Section(1, "SUMMARY", summary),
        Section(2, "TOOL_CALLS", calls),
        Section(3, "FILES", {"READ": list(data.files_read), "CHANGED": list(data.files_changed)}),
        Section(4, "COMMANDS", {"RUN": list(data.commands)}),
        Section(5, "ERRORS", {"ITEMS": list(data.errors)}),
        Section(6, "DECISIONS", {"ITEMS": list(data.decisions)}),
        Section(7, "BLOCKERS", {"ITEMS": list(data.blockers)}),
        Section(8, "LEARNINGS", {"ITEMS": list(data.learnings)}),
        Section(9, "PROMPTS", {"ITEMS": list(data.prompts), "OMITTED": data.prompts_omitted}),
        Section(10, "TRACE", trace),
    ]
    return Document(name=ENVELOPE, meta=meta, body={}, sections=sections)


def render_archive(data: ArchiveData) -> str:
    from hestai_tmws.octave import emit

    return emit(to_document(data))


# -- the whole pipeline: build → redact → render → check, smaller until it fits ------------------


class ComposedArchive(BaseModel):
    data: ArchiveData
    text: str
    level: int  # which set of limits was needed to fit the size cap


def compose_archive(
    inputs: ArchiveInputs,
    *,
    max_bytes: int = MAX_ARCHIVE_BYTES,
    redactor: Callable[[ArchiveData], ArchiveData] | None = None,
) -> ComposedArchive:
    """Redact, build, redact again, render, check; ValidationError (nothing written) on failure.

    The first pass sees the raw text with its original line breaks and quoting (what the
    detectors key on); shortening comes after it, so that no clipped secret fragment and no
    context lost to whitespace folding lets a value through. The second pass and the final
    `assert_clean` catch anything the new layout makes recognisable.
    """
    redact_fn = redactor or redact_archive
    try:
        clean_inputs = redact_inputs(inputs)
    except Exception as exc:  # fail closed: whatever went wrong, nothing gets archived
        raise _redaction_failed(exc) from exc
    for level, limits in enumerate(LEVELS):
        raw = build_archive(clean_inputs, limits)
        try:
            clean = redact_fn(raw)
        except Exception as exc:  # fail closed: whatever went wrong, nothing gets archived
            raise _redaction_failed(exc) from exc
        text = render_archive(clean)
        try:
            from hestai_tmws.secrets.redaction import assert_clean

            assert_clean(text)
        except Exception as exc:
            raise _redaction_failed(exc) from exc
        size = len(text.encode("utf-8"))
        if size <= max_bytes:
            return ComposedArchive(data=clean, text=text, level=level)
    raise ValidationError(
        f"the archive is {size} bytes even at its most compact (limit {max_bytes})",
        hint="the session is still open; split the work into shorter sessions",
    )


def _redaction_failed(exc: BaseException) -> ValidationError:
    return ValidationError(
        f"redaction failed ({type(exc).__name__}); nothing was archived and the session stays open",
        hint="fix the redaction problem and run clock-out again",
    )


# -- names and the index ------------------------------------------------------------------------


def archive_rel(session: ActiveSession, focus: str | None = None) -> str:
    """`sessions/archive/YYYY-MM-DD-<focus-slug>-<id8>.oct.md` (start date, UTC).

    Pass the redacted focus: a file name is content too.
    """
    day = session.started_at.astimezone(UTC).strftime("%Y-%m-%d")
    slug = focus_slug(session.focus if focus is None else focus)
    return f"{SESSIONS_ARCHIVE}/{day}-{slug}-{session.id8}.oct.md"


def index_record(data: ArchiveData, rel: str) -> dict[str, Any]:
    """The `learnings-index.jsonl` line of one archive (rebuildable from the archive alone)."""
    m = data.meta
    return {
        "id": m.session_id,
        "archive": rel,
        "date": m.started_at.astimezone(UTC).strftime("%Y-%m-%d"),
        "ended": _iso(m.ended_at),
        "status": m.status,
        "role": m.role,
        "focus": m.focus,
        "branch": m.branch,
        "namespace": m.namespace,
        "learnings": list(data.learnings),
        "decisions": list(data.decisions),
        "blockers": list(data.blockers),
        "tool_calls": m.tool_call_count,
    }


# -- reading back -------------------------------------------------------------------------------


def _as_str(value: Any, default: str = "") -> str:
    if value is None:
        return default
    if isinstance(value, bool):
        return "true" if value else "false"
    text = getattr(value, "text", None)
    if isinstance(text, str):  # a literal zone
        return text
    return str(value)


def _opt_str(value: Any) -> str | None:
    return None if value is None else _as_str(value)


def _as_int(value: Any, default: int | None = 0) -> int | None:
    if isinstance(value, bool) or value is None:
        return default
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return round(value)
    try:
        return int(str(value))
    except ValueError:
        return default


def _as_bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if value is None:
        return None
    text = str(value).lower()
    return True if text == "true" else False if text == "false" else None


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [_as_str(v) for v in value]
    return [_as_str(value)]


def read_archive(text: str) -> ArchiveData:
    """Parse an archive back into `ArchiveData`; ValidationError if it is not one or is torn."""
    from hestai_tmws.octave import parse

    doc = parse(text)
    if doc.name != ENVELOPE:
        raise ValidationError(f"not a session archive (envelope ==={doc.name}===)")
    meta = doc.meta
    sections = {sec.name: sec.body for sec in doc.sections}
    session_id = _as_str(meta.get("SESSION_ID"))
    if not session_id:
        raise ValidationError("session archive without SESSION_ID")
    epoch = datetime.fromtimestamp(0, UTC)
    started = _parse_iso(meta.get("STARTED"), epoch)
    calls_body = sections.get("TOOL_CALLS", {})
    calls = [
        ToolCallEntry(
            tool=_as_str(body.get("TOOL"), "unknown"),
            digest=_as_str(body.get("DIGEST")),
            ok=_as_bool(body.get("OK")),
            duration_ms=_as_int(body.get("DURATION_MS"), None),
            sidechain=bool(_as_bool(body.get("SIDECHAIN"))),
        )
        for key, body in calls_body.items()
        if _CALL_KEY.match(key) and isinstance(body, dict)
    ]
    declared = _as_int(meta.get("TOOL_CALL_COUNT"), None)
    if declared is not None and declared != len(calls):
        raise ValidationError(
            f"session archive {session_id}: META says {declared} tool calls, "
            f"TOOL_CALLS holds {len(calls)}"
        )
    trace_body = sections.get("TRACE", {})
    traces = [
        TraceEntry(
            tool=_as_str(body.get("TOOL"), "unknown"),
            source=_as_str(body.get("SOURCE"), "mcp"),
            ok=bool(_as_bool(body.get("OK"))),
            duration_ms=_as_int(body.get("DURATION_MS"), None),
            summary=_as_str(body.get("SUMMARY")),
            error_class=_opt_str(body.get("ERROR_CLASS")),
            args=_as_str(body.get("ARGS")),
            at=_as_str(body.get("AT")),
        )
        for key, body in trace_body.items()
        if _TRACE_KEY.match(key) and isinstance(body, dict)
    ]
    status = _as_str(meta.get("STATUS"), "completed")
    summary_body = sections.get("SUMMARY", {})
    source = _as_str(summary_body.get("SOURCE"), "none")
    data = ArchiveData(
        meta=ArchiveMeta(
            session_id=session_id,
            status="abandoned" if status == "abandoned" else "completed",
            role=_as_str(meta.get("ROLE"), "unknown"),
            focus=_as_str(meta.get("FOCUS"), "general"),
            focus_source=_as_str(meta.get("FOCUS_SOURCE"), "default"),
            branch=_opt_str(meta.get("BRANCH")),
            head=_opt_str(meta.get("HEAD")),
            started_at=started,
            ended_at=_parse_iso(meta.get("ENDED"), started),
            duration_s=_as_int(meta.get("DURATION_S")) or 0,
            governance_version=_opt_str(meta.get("GOVERNANCE_VERSION")),
            namespace=_opt_str(meta.get("NAMESPACE")),
            transcript=_opt_str(meta.get("TRANSCRIPT")),
            transcript_format=_opt_str(meta.get("TRANSCRIPT_FORMAT")),
            transcript_sha256=_opt_str(meta.get("TRANSCRIPT_SHA256")),
            claude_session_id=_opt_str(meta.get("CLAUDE_SESSION_ID")),
            tool_call_count=len(calls),
            failed_call_count=_as_int(meta.get("FAILED_CALL_COUNT")) or 0,
            sidechain_call_count=_as_int(meta.get("SIDECHAIN_CALL_COUNT")) or 0,
            prompt_count=_as_int(meta.get("PROMPT_COUNT")) or 0,
            files_read_count=_as_int(meta.get("FILES_READ_COUNT")) or 0,
            files_changed_count=_as_int(meta.get("FILES_CHANGED_COUNT")) or 0,
            command_count=_as_int(meta.get("COMMAND_COUNT")) or 0,
            error_count=_as_int(meta.get("ERROR_COUNT")) or 0,
            decision_count=_as_int(meta.get("DECISION_COUNT")) or 0,
            blocker_count=_as_int(meta.get("BLOCKER_COUNT")) or 0,
            learning_count=_as_int(meta.get("LEARNING_COUNT")) or 0,
            trace_count=len(traces),
            malformed_lines=_as_int(meta.get("MALFORMED_LINES")) or 0,
        ),
        summary=ArchiveSummary(
            text=_as_str(summary_body.get("TEXT")),
            request=_as_str(summary_body.get("REQUEST")),
            conclusion=_as_str(summary_body.get("CONCLUSION")),
            source=source if source in ("arguments", "derived") else "none",  # type: ignore[arg-type]
            notes=_as_list(summary_body.get("NOTES")),
        ),
        tool_calls=calls,
        files_read=_as_list(sections.get("FILES", {}).get("READ")),
        files_changed=_as_list(sections.get("FILES", {}).get("CHANGED")),
        commands=_as_list(sections.get("COMMANDS", {}).get("RUN")),
        errors=_as_list(sections.get("ERRORS", {}).get("ITEMS")),
        decisions=_as_list(sections.get("DECISIONS", {}).get("ITEMS")),
        blockers=_as_list(sections.get("BLOCKERS", {}).get("ITEMS")),
        learnings=_as_list(sections.get("LEARNINGS", {}).get("ITEMS")),
        prompts=_as_list(sections.get("PROMPTS", {}).get("ITEMS")),
        prompts_omitted=_as_int(sections.get("PROMPTS", {}).get("OMITTED")) or 0,
        traces=traces,
        trace_recording_errors=_as_int(trace_body.get("RECORDING_ERRORS")) or 0,
        trace_note=_as_str(trace_body.get("NOTE")),
    )
    return data
