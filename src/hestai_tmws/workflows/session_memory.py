"""What a closed session leaves in project memory besides its archive: a history line and
its learnings in project-context. Shared by clock-out, reap and the heal of an interrupted
clock-out, so each of them adds nothing twice."""

from __future__ import annotations

from typing import Any

from hestai_tmws.layout import HESTAI
from hestai_tmws.memory.context import ContextChange, update_context
from hestai_tmws.memory.history import append_history as context_append_history
from hestai_tmws.memory.naming import FIXED_DOCS
from hestai_tmws.project import Project
from hestai_tmws.sessions.archive import ArchiveData, shorten
from hestai_tmws.steward import Steward

CONTEXT_DOC = "project-context"
LEARNINGS_SECTION = "LEARNINGS"
LEARNINGS_KEY = "RECENT"
HISTORY_EVENT_CHARS = 100


def history_entry(data: ArchiveData, rel: str) -> dict[str, Any]:
    """The history record of a session: DATE, EVENT, SOURCE, SESSION (kept short on purpose:
    the history holds hundreds of them under its size limit; details live in the archive)."""
    m = data.meta
    what = data.summary.text or data.summary.request or data.summary.conclusion
    event = f"{m.role} session on {m.focus}"
    if m.status == "abandoned":
        event += " (abandoned)"
    event += f", {m.tool_call_count} tool calls"
    if what:
        event += f": {shorten(what, HISTORY_EVENT_CHARS)}"
    return {
        "date": m.started_at.strftime("%Y-%m-%d"),
        "event": event,
        "source": rel,
        "session": m.session_id,
    }


def append_history(project: Project, steward: Steward, entry: dict[str, Any]) -> str:
    """Add the session at the top of project-history's timeline (the context service)."""
    return context_append_history(project, steward, entry).path


def merge_learnings(project: Project, data: ArchiveData, session_id: str) -> str:
    """Append the session's learnings to project-context §LEARNINGS.RECENT (context service;
    the context cap moves the oldest into history, so nothing is dropped). A retry of an
    interrupted clock-out that already merged them adds nothing twice."""
    stamp = f"{data.meta.started_at:%Y-%m-%d} {data.meta.id8}: "
    rel = FIXED_DOCS["context"]
    try:
        current = project.memory_path(rel).read_text(encoding="utf-8")
    except OSError:
        current = ""
    if stamp in current:
        return f"{HESTAI}/{rel}"
    changes = [
        ContextChange(
            op="append",
            section=LEARNINGS_SECTION,
            key=LEARNINGS_KEY,
            value=f"{stamp}{shorten(text, 240)}",
        )
        for text in data.learnings
    ]
    result = update_context(
        project,
        document=CONTEXT_DOC,
        changes=changes,
        session_id=session_id,
        enforce_anchor=False,
    )
    return result.path
