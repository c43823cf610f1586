"""Finish clock-outs that were killed half-way, so an interruption never leaves memory broken.

A clock-out that died after writing its archive leaves the session open with its closing
marker (`sessions/closing`). The next clock-in finishes it: the same archive (never replaced
by less), the history line, the learnings, the index line and the staging, each added once.
"""

from __future__ import annotations

import os
from pathlib import Path

from hestai_tmws.config import Settings
from hestai_tmws.errors import NotFoundError, TmwsError, ValidationError
from hestai_tmws.project import Project
from hestai_tmws.sessions.closing import CLOSING_FILE, ClosingMarker, read_closing
from hestai_tmws.sessions.model import ActiveSession
from hestai_tmws.sessions.store import active_root, load_session, session_dirs
from hestai_tmws.workflows.clock_out import ClockOutResult, close_session


def finish_interrupted(project: Project, settings: Settings) -> list[ClockOutResult]:
    """Close every open session whose clock-out began and wrote its archive, but never ended."""
    finished: list[ClockOutResult] = []
    for session, marker in _closing(project):
        if not project.memory_path(marker.archive).is_file():
            continue  # not begun, or killed before the archive existed: still an open session
        transcript = Path(marker.transcript) if marker.transcript else None
        if transcript is not None and not transcript.is_file():
            transcript = None
        try:
            finished.append(
                close_session(
                    project,
                    session,
                    settings=settings,
                    status=marker.status,
                    transcript_path=transcript,
                    transcript_source="recorded" if transcript is not None else "none",
                    stage=settings.stage_writes,
                    notes=["finished an interrupted clock-out"],
                )
            )
        except TmwsError:
            continue  # left open: `tmws clock-out --session` retries and says why
    return finished


def _closing(project: Project) -> list[tuple[ActiveSession, ClosingMarker]]:
    """Open sessions with a closing marker, oldest first: only those are read (every
    clock-in asks, and most worktrees have open sessions but no interrupted clock-out)."""
    root = os.fspath(active_root(project)) + os.sep
    found: list[tuple[ActiveSession, ClosingMarker]] = []
    for session_id in session_dirs(project):
        # F_OK answers "absent" without raising (isfile would raise and catch per session);
        # anything else by that name fails to read below and is skipped the same way
        if not os.access(f"{root}{session_id}{os.sep}{CLOSING_FILE}", os.F_OK):
            continue
        marker = read_closing(project, session_id)
        if marker is None:
            continue
        try:
            found.append((load_session(project, session_id), marker))
        except (NotFoundError, ValidationError):  # a broken record: list_active skips it too
            continue
    found.sort(key=lambda pair: (pair[0].started_at, pair[0].id))
    return found
