"""An archive's name, its `learnings-index.jsonl` line, and whether a retry may replace it."""

from __future__ import annotations

from datetime import UTC
from typing import TYPE_CHECKING, Any

from hestai_tmws.layout import SESSIONS_ARCHIVE
from hestai_tmws.sessions.archive.model import ArchiveData, ArchiveSummary, iso
from hestai_tmws.sessions.focus import focus_slug
from hestai_tmws.sessions.model import ActiveSession

if TYPE_CHECKING:
    pass


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
        "ended": iso(m.ended_at),
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


def holds_more(old: ArchiveData, new: ArchiveData) -> bool:
    """Would replacing archive `old` by `new` lose anything (calls, summary, decisions, ...)?

    A retried clock-out (say, without `--transcript`) must never replace an archive with less.
    """
    counts = ("tool_calls", "decisions", "blockers", "learnings", "traces", "files_changed")
    if any(len(getattr(old, name)) > len(getattr(new, name)) for name in counts):
        return True
    empty = ArchiveSummary()
    return old.summary != empty and new.summary == empty
