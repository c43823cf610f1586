"""Open sessions at a glance, and reaping: archive stale sessions as abandoned.

A session is stale when its process is gone and it is older than `stale_after_hours`;
reaping keeps whatever it recorded (its traces, its transcript when one was named) in an
archive with STATUS::abandoned, so nothing an agent did is silently lost.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pydantic import BaseModel, Field

from hestai_tmws.config import Settings, load_settings
from hestai_tmws.errors import TmwsError, UsageError
from hestai_tmws.layout import HESTAI
from hestai_tmws.project import Project
from hestai_tmws.sessions.model import ActiveSession, utc_now
from hestai_tmws.sessions.store import (
    active_root,
    is_stale,
    list_active,
    load_session,
    process_alive,
    session_dirs,
    session_rel,
)
from hestai_tmws.sessions.traces import read_traces
from hestai_tmws.workflows.clock_out import close_session


class SessionInfo(BaseModel):
    """One open session and its liveness."""

    id: str
    id8: str
    role: str
    focus: str
    branch: str | None = None
    started_at: datetime
    age_hours: float
    pid: int | None = None
    host: str | None = None
    alive: bool | None = None  # process still running (None: cannot tell)
    stale: bool
    traces: int = 0
    transcript_path: str | None = None
    session_file: str


class BrokenSession(BaseModel):
    """A folder under sessions/active/ without a readable session record."""

    id: str
    path: str
    reason: str
    age_hours: float


class SessionList(BaseModel):
    sessions: list[SessionInfo] = Field(default_factory=list)
    broken: list[BrokenSession] = Field(default_factory=list)
    stale_after_hours: float


class ReapedSession(BaseModel):
    id: str
    archive_path: str | None = None
    tool_calls: int = 0
    traces: int = 0
    error: str | None = None


class ReapResult(BaseModel):
    older_than_hours: float
    reaped: list[ReapedSession] = Field(default_factory=list)
    kept: list[str] = Field(default_factory=list)  # ids still live
    failed: list[ReapedSession] = Field(default_factory=list)


def list_sessions(project: Project, *, stale_after_hours: float | None = None) -> SessionList:
    """Every open session of this worktree with its age, liveness and staleness."""
    settings = load_settings(project)
    limit = settings.stale_after_hours if stale_after_hours is None else stale_after_hours
    now = utc_now()
    out = SessionList(stale_after_hours=limit)
    readable = {s.id: s for s in list_active(project)}
    for session in readable.values():
        out.sessions.append(_info(project, session, limit, now))
    for session_id in session_dirs(project):
        if session_id in readable:
            continue
        reason = _why_broken(project, session_id)
        out.broken.append(
            BrokenSession(
                id=session_id,
                path=f"{HESTAI}/{session_rel(session_id)}",
                reason=reason,
                age_hours=_folder_age_hours(project, session_id, now),
            )
        )
    return out


def _info(project: Project, session: ActiveSession, limit: float, now: datetime) -> SessionInfo:
    return SessionInfo(
        id=session.id,
        id8=session.id8,
        role=session.role,
        focus=session.focus,
        branch=session.branch,
        started_at=session.started_at,
        age_hours=round(session.age_hours(now), 3),
        pid=session.pid,
        host=session.host,
        alive=process_alive(session),
        stale=is_stale(session, limit, now),
        traces=len(read_traces(project, session.id).records),
        transcript_path=session.transcript_path,
        session_file=f"{HESTAI}/{session_rel(session.id)}",
    )


def _why_broken(project: Project, session_id: str) -> str:
    try:
        load_session(project, session_id)
    except TmwsError as exc:
        return exc.message
    return "unreadable"


def _folder_age_hours(project: Project, session_id: str, now: datetime) -> float:
    try:
        mtime = os.stat(active_root(project) / session_id).st_mtime
    except OSError:
        return 0.0
    return max(0.0, (now - datetime.fromtimestamp(mtime, UTC)).total_seconds() / 3600.0)


def reap(project: Project, older_than_hours: float | None = None) -> ReapResult:
    """Archive every stale session (and every broken session folder past the age) as abandoned."""
    settings = load_settings(project)
    limit = settings.stale_after_hours if older_than_hours is None else older_than_hours
    if limit < 0:
        raise UsageError("--older-than must be zero or more hours")
    now = utc_now()
    result = ReapResult(older_than_hours=limit)
    listing = list_sessions(project, stale_after_hours=limit)
    for info in listing.sessions:
        session = load_session(project, info.id)
        if not is_stale(session, limit, now):
            result.kept.append(session.id)
            continue
        _reap_one(project, session, settings, result)
    for broken in listing.broken:
        if broken.age_hours <= limit:
            result.kept.append(broken.id)
            continue
        stand_in = ActiveSession(
            id=broken.id,
            role="unknown",
            focus="unknown",
            started_at=now - timedelta(hours=broken.age_hours),
            notes=[f"session record unreadable: {broken.reason}"],
        )
        _reap_one(project, stand_in, settings, result)
    return result


def _reap_one(
    project: Project, session: ActiveSession, settings: Settings, result: ReapResult
) -> None:
    transcript = None
    if session.transcript_path and os.path.isfile(session.transcript_path):
        transcript = Path(session.transcript_path)
    try:
        closed = close_session(
            project,
            session,
            settings=settings,
            status="abandoned",
            transcript_path=transcript,
            transcript_source="recorded" if transcript else "none",
            summary=None,
            stage=settings.stage_writes,
            notes=[f"reaped: no clock-out after {session.age_hours():.1f} h", *session.notes],
        )
    except TmwsError as exc:
        result.failed.append(ReapedSession(id=session.id, error=exc.message))
        return
    result.reaped.append(
        ReapedSession(
            id=session.id,
            archive_path=closed.archive_path,
            tool_calls=closed.tool_calls,
            traces=closed.traces,
        )
    )
