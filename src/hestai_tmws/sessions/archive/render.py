"""The archive as deterministic OCTAVE: numbered sections in a fixed order."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from hestai_tmws.octave import Document, Section, emit
from hestai_tmws.sessions.archive.model import ENVELOPE, FORMAT_VERSION, ArchiveData, iso

if TYPE_CHECKING:
    pass


def _width(count: int) -> int:
    return max(3, len(str(count)))


def to_document(data: ArchiveData) -> Document:
    """The OCTAVE document of an archive (numbered sections in a fixed order)."""
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
        "STARTED": iso(m.started_at),
        "ENDED": iso(m.ended_at),
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
    return emit(to_document(data))
