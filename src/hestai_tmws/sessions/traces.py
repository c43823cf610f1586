"""Trace records: one JSON line per MCP tool call or hook event, folded into the archive.

Recording sits on the hot path of every tool call, so it takes no lock, runs no git, calls no
redaction library (only a cheap regex pass over the summary) and never raises: a failure is
counted in `trace-errors.jsonl` so that the archive can say traces are incomplete.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from hestai_tmws.layout import SESSIONS_ACTIVE
from hestai_tmws.project import Project
from hestai_tmws.sessions.lookup import is_session_id
from hestai_tmws.sessions.trace_log import note_recording_failure, stored_summary
from hestai_tmws.sessions.trace_text import (
    MAX_SUMMARY_CHARS,
    TRACE_ERRORS_FILE,
    TRACES_FILE,
    canonical_json,
    digest_args,
    quick_redact,
)
from hestai_tmws.steward import Steward

__all__ = [  # the text helpers are re-exported: callers name traces for everything trace
    "MAX_SUMMARY_CHARS",
    "TraceLog",
    "TraceRecord",
    "canonical_json",
    "digest_args",
    "quick_redact",
    "read_traces",
    "record_trace",
]


class TraceRecord(BaseModel):
    """One tool call seen by tmws (its MCP server, or a Claude Code, Gemini or Cursor hook)."""

    tool: str
    args_digest: str = ""
    summary: str = ""
    ok: bool = True
    error_class: str | None = None
    duration_ms: float | None = None
    ts: float = Field(default_factory=time.time)
    session_id: str | None = None
    source: Literal["mcp", "claude-code", "gemini", "cursor"] = "mcp"  # who saw the call


class TraceLog(BaseModel):
    """Everything recorded for one session."""

    session_id: str
    records: list[TraceRecord] = Field(default_factory=list)
    malformed_lines: int = 0
    recording_errors: int = 0  # record_trace calls that failed (from trace-errors.jsonl)
    error_kinds: list[str] = Field(default_factory=list)


def _session_dir(project: Project, session_id: str) -> Path:
    return project.hestai / SESSIONS_ACTIVE / session_id


_STEWARDS: dict[Path, Steward] = {}


def _steward_for(project: Project) -> Steward:
    steward = _STEWARDS.get(project.root)
    if steward is None:
        steward = Steward(project)
        _STEWARDS[project.root] = steward
    return steward


def record_trace(project: Project, session_id: str, record: TraceRecord) -> bool:
    """Append one trace line to the session's private log; False (never an exception) on failure."""
    try:
        if not is_session_id(session_id or ""):
            return False
        if not _session_dir(project, session_id).is_dir():
            return False  # no such open session: nowhere to record, nothing to count
        summary = stored_summary(record.summary)
        stored = record.model_copy(update={"summary": summary, "session_id": session_id})
        line = stored.model_dump_json()
        _steward_for(project).append_private(f"{SESSIONS_ACTIVE}/{session_id}/{TRACES_FILE}", line)
        return True
    except Exception as exc:  # a trace must never break the tool call it describes
        _note_failure(project, session_id, exc)
        return False


def _note_failure(project: Project, session_id: str, exc: BaseException) -> None:
    try:
        if not is_session_id(session_id or ""):
            return
        folder = _session_dir(project, session_id)
        if not folder.is_dir():
            return
        note_recording_failure(folder, exc)
    except Exception:
        return


def read_traces(project: Project, session_id: str) -> TraceLog:
    """Every trace of the session in recording order; bad lines are counted, not fatal."""
    log = TraceLog(session_id=session_id)
    if not is_session_id(session_id or ""):
        return log
    folder = _session_dir(project, session_id)
    try:
        text = (folder / TRACES_FILE).read_text(encoding="utf-8", errors="replace")
    except (FileNotFoundError, NotADirectoryError):
        text = ""
    for line in text.splitlines():
        if not line.strip():
            continue
        try:
            log.records.append(TraceRecord.model_validate_json(line))
        except ValueError:
            log.malformed_lines += 1
    try:
        errors_text = (folder / TRACE_ERRORS_FILE).read_text(encoding="utf-8", errors="replace")
    except (FileNotFoundError, NotADirectoryError):
        errors_text = ""
    kinds: set[str] = set()
    for line in errors_text.splitlines():
        if not line.strip():
            continue
        log.recording_errors += 1
        try:
            kinds.add(str(json.loads(line).get("error", "unknown")))
        except (ValueError, AttributeError):
            kinds.add("unknown")
    log.error_kinds = sorted(kinds)
    return log
