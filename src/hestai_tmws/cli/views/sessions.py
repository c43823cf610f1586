"""How `tmws sessions` and `tmws sessions reap` read: a table of open sessions, what was reaped."""

from __future__ import annotations

from hestai_tmws.cli import output
from hestai_tmws.sessions.archive.limits import shorten
from hestai_tmws.sessions.archive.read import ArchivedList
from hestai_tmws.workflows.reap import ReapResult, SessionList

COLUMNS = ("id", "role", "focus", "started (UTC)", "age h", "process", "state", "traces")
PROCESS = {True: "running", False: "gone", None: "unknown"}


def session_list(result: SessionList) -> None:
    out = output.console()
    if not result.sessions and not result.broken:
        out.print("no open sessions")
        return
    rows: list[list[str]] = [
        [
            s.id,
            s.role,
            s.focus,
            f"{s.started_at:%Y-%m-%d %H:%M}",
            f"{s.age_hours:.1f}",
            PROCESS[s.alive],
            "stale" if s.stale else "live",
            str(s.traces),
        ]
        for s in result.sessions
    ]
    rows += [[b.id, "?", "?", "?", f"{b.age_hours:.1f}", "?", "broken", "?"] for b in result.broken]
    out.print(output.table(COLUMNS, rows, box=None, pad_edge=False))
    out.print(
        f"stale = process gone and older than {result.stale_after_hours:g} h; "
        "`tmws sessions reap` archives stale sessions as abandoned"
    )


ARCHIVED_COLUMNS = ("id", "started (UTC)", "role", "focus", "calls", "summary")
SUMMARY_WIDTH = 60


def archived_list(result: ArchivedList) -> None:
    """A table narrow enough for 80 columns: the summary is cut, `tmws show ID` has the rest."""
    out = output.console()
    if not result.sessions and not result.unreadable:
        out.print("no archived sessions")
        return
    rows = [
        [
            s.id[:8],
            f"{s.started_at:%Y-%m-%d %H:%M}",
            s.role,
            s.focus,
            str(s.tool_calls),
            shorten(s.summary, SUMMARY_WIDTH),
        ]
        for s in result.sessions
    ]
    out.print(
        output.table(
            ARCHIVED_COLUMNS,
            rows,
            box=None,
            pad_edge=False,
            flex="summary",
            whole=("id", "started (UTC)"),
        )
    )
    for path, reason in result.unreadable.items():
        out.print(output.literal(f"unreadable: {path}: {reason}"))
    out.print(
        f"{output.plural(len(result.sessions), 'archived session')}; `tmws show ID` shows one"
    )


def reap_result(result: ReapResult) -> None:
    out = output.console()
    for item in result.reaped:
        out.print(
            f"reaped {item.id} → {item.archive_path} ({output.plural(item.traces, 'trace')})",
            markup=False,
        )
    for item in result.failed:
        out.print(f"could not reap {item.id}: {item.error}", markup=False)
    out.print(f"{len(result.reaped)} reaped, {len(result.kept)} kept, {len(result.failed)} failed")
