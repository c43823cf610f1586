"""Reading an archive back into `ArchiveData` (tolerant of types, strict about torn files)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field

from hestai_tmws.errors import TmwsError, ValidationError
from hestai_tmws.layout import HESTAI, SESSIONS_ARCHIVE
from hestai_tmws.octave import Document, parse
from hestai_tmws.project import Project
from hestai_tmws.sessions.archive.model import (
    ENVELOPE,
    ArchiveData,
    ArchiveMeta,
    ArchiveSummary,
    ToolCallEntry,
    TraceEntry,
    parse_iso,
)

_CALL_KEY = re.compile(r"^C\d{3,}$")
_TRACE_KEY = re.compile(r"^T\d{3,}$")

ARCHIVE_SUFFIX = ".oct.md"

if TYPE_CHECKING:
    pass


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
    return archive_from_document(parse(text))


def archive_from_document(doc: Document) -> ArchiveData:
    """`read_archive` of a document already parsed (verify parses each file once)."""
    if doc.name != ENVELOPE:
        raise ValidationError(f"not a session archive (envelope ==={doc.name}===)")
    meta = doc.meta
    sections = {sec.name: sec.body for sec in doc.sections}
    session_id = _as_str(meta.get("SESSION_ID"))
    if not session_id:
        raise ValidationError("session archive without SESSION_ID")
    epoch = datetime.fromtimestamp(0, UTC)
    started = parse_iso(meta.get("STARTED"), epoch)
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
            ended_at=parse_iso(meta.get("ENDED"), started),
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


class ArchivedSession(BaseModel):
    """One line of `tmws sessions list --archived`: who, when, how much, and what it did."""

    id: str
    path: str  # repository-relative, as git shows it
    status: str
    role: str
    focus: str
    started_at: datetime
    ended_at: datetime
    duration_s: int
    tool_calls: int
    decisions: int
    summary: str


class ArchivedList(BaseModel):
    """Every archive of the project, newest first, and those that could not be read."""

    sessions: list[ArchivedSession] = Field(default_factory=list)
    unreadable: dict[str, str] = Field(default_factory=dict)  # path -> reason


def archive_files(project: Project) -> list[str]:
    """Repository-relative paths of every archive file, in name order (temp files skipped)."""
    folder = project.memory_path(SESSIONS_ARCHIVE)
    if not folder.is_dir():
        return []
    prefix = f"{HESTAI}/{SESSIONS_ARCHIVE}/"
    return sorted(
        prefix + p.name
        for p in folder.iterdir()
        if p.name.endswith(ARCHIVE_SUFFIX) and not p.name.startswith(".") and p.is_file()
    )


def list_archived(project: Project) -> ArchivedList:
    """Read every archive's metadata and summary; a broken file is reported, not fatal."""
    result = ArchivedList()
    for rel in archive_files(project):
        try:
            data = read_archive((project.root / rel).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, TmwsError) as exc:
            result.unreadable[rel] = str(exc)
            continue
        meta = data.meta
        result.sessions.append(
            ArchivedSession(
                id=meta.session_id,
                path=rel,
                status=meta.status,
                role=meta.role,
                focus=meta.focus,
                started_at=meta.started_at,
                ended_at=meta.ended_at,
                duration_s=meta.duration_s,
                tool_calls=meta.tool_call_count,
                decisions=meta.decision_count,
                summary=data.summary.text or data.summary.request,
            )
        )
    result.sessions.sort(key=lambda s: (s.started_at, s.id), reverse=True)
    return result
