"""Appending to a session's trace log, standard library only (the hook fast path imports it).

One line per tool call, written with a single O_APPEND write so that concurrent writers of
the same session never interleave inside a line. `traces.record_trace` (MCP server, hooks'
full path) and the Claude Code hook fast path both shape their lines here.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from hestai_tmws.sessions.trace_text import MAX_SUMMARY_CHARS, TRACE_ERRORS_FILE, quick_redact
from hestai_tmws.steward.atomic import append_line


def stored_summary(summary: str) -> str:
    """A summary as the log keeps it: obvious credentials masked, at most MAX_SUMMARY_CHARS."""
    if not summary:
        return summary
    summary = quick_redact(summary)
    if len(summary) > MAX_SUMMARY_CHARS:
        summary = summary[: MAX_SUMMARY_CHARS - 1] + "…"
    return summary


def note_recording_failure(session_dir: Path, exc: BaseException) -> None:
    """Count a failed trace in `trace-errors.jsonl` (the archive says traces are incomplete)."""
    line = json.dumps({"ts": round(time.time(), 3), "error": type(exc).__name__})
    append_line(session_dir / TRACE_ERRORS_FILE, line)
