"""Clock-in: open a session, heal governance, and hand the agent its primer.

The primer (what to read, the north star, open tasks, recent learnings, suggested skills) is
assembled read-only; the only write is the private session record.
"""

from __future__ import annotations

import os
import socket
from datetime import datetime
from pathlib import Path

from pydantic import BaseModel, Field

from hestai_tmws.config import load_settings
from hestai_tmws.errors import ConflictError, NotFoundError, UsageError, ValidationError
from hestai_tmws.governance.fingerprint import Fingerprint
from hestai_tmws.governance.hub_memo import hub_placement, hub_roles
from hestai_tmws.governance.inject import inject
from hestai_tmws.governance.rules import load_agents
from hestai_tmws.layout import HESTAI, HESTAI_SYS, LEARNINGS_INDEX
from hestai_tmws.learning.suggest import suggest_for_clock_in
from hestai_tmws.project import Project
from hestai_tmws.sessions.archive.index_move import move_legacy_index
from hestai_tmws.sessions.focus import FocusSource, focus_key, resolve_focus
from hestai_tmws.sessions.model import ActiveSession, Suggestion, new_session_id, utc_now
from hestai_tmws.sessions.store import (
    active_view,
    client_gone,
    is_stale,
    load_session,
    save_session,
    session_rel,
)
from hestai_tmws.steward import Steward
from hestai_tmws.workflows.heal import finish_interrupted
from hestai_tmws.workflows.hook_launcher import heal_launcher
from hestai_tmws.workflows.primer import PrimerContent, RecentLearning, gather_primer

__all__ = ["ClockInResult", "RecentLearning", "clock_in", "known_roles"]


class ClockInResult(BaseModel):
    """What an agent needs at the start of a session."""

    session_id: str
    id8: str
    role: str
    focus: str
    focus_source: FocusSource
    branch: str | None = None
    head: str | None = None
    started_at: datetime
    working_dir: str | None = None
    transcript_path: str | None = None
    session_file: str
    governance_version: str | None = None
    governance_action: str = ""
    context_files: list[str] = Field(default_factory=list)
    north_star_summary: str = ""
    open_checklist_items: list[str] = Field(default_factory=list)
    recent_learnings: list[RecentLearning] = Field(default_factory=list)
    suggested_skills: list[Suggestion] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)

    def primer(self) -> PrimerContent:
        """The read-only part of the primer this result carries."""
        return PrimerContent(
            context_files=self.context_files,
            north_star_summary=self.north_star_summary,
            open_checklist_items=self.open_checklist_items,
            recent_learnings=self.recent_learnings,
        )


def clock_in(
    project: Project,
    *,
    role: str | None = None,
    focus: str | None = None,
    working_dir: str | Path | None = None,
    force: bool = False,
    transcript_path: str | Path | None = None,
    claude_session_id: str | None = None,
    pid: int | None = None,
) -> ClockInResult:
    """Open a session for `role` on `focus`; refuse a second live session on the same focus."""
    settings = load_settings(project)
    notes: list[str] = []
    governance_version, governance_action, hub, hub_print = _heal_governance(project, notes)
    if move_legacy_index(project):
        notes.append(f"moved .hestai/learnings-index.jsonl to .hestai/{LEARNINGS_INDEX} (ADR-0033)")
    notes.extend(
        f"finished the interrupted clock-out of session {done.id8} ({done.archive_path})"
        for done in finish_interrupted(project, settings)
    )
    chosen_role = _check_role(hub, hub_print, (role or settings.default_role).strip())
    branch = project.git.branch()
    head = project.git.head_commit()
    chosen_focus, source = resolve_focus(focus, branch)
    work_dir = _check_working_dir(project, working_dir)
    transcript = _check_transcript(transcript_path)

    session = ActiveSession(
        id=new_session_id(),
        role=chosen_role,
        focus=chosen_focus,
        focus_source=source,
        branch=branch,
        head=head,
        started_at=utc_now(),
        pid=pid if pid is not None else os.getpid(),
        host=socket.gethostname(),
        cwd=os.getcwd(),
        working_dir=work_dir,
        governance_version=governance_version,
        transcript_path=transcript,
        claude_session_id=claude_session_id,
    )
    steward = Steward(
        project, lock_timeout=settings.lock_timeout_seconds, placement=hub_placement(hub, hub_print)
    )
    with steward.transaction("clock-in"):
        _check_focus_free(project, session, settings.stale_after_hours, force, notes)
        save_session(project, steward, session)

    suggestions = _suggest(project, session, notes)
    if suggestions:
        with steward.transaction("clock-in suggestions"):  # re-read: an anchor may have landed
            current = load_session(project, session.id)
            save_session(project, steward, current.model_copy(update={"suggestions": suggestions}))

    primer = gather_primer(project, session.role)
    return ClockInResult(
        session_id=session.id,
        id8=session.id8,
        role=session.role,
        focus=session.focus,
        focus_source=session.focus_source,
        branch=branch,
        head=head,
        started_at=session.started_at,
        working_dir=work_dir,
        transcript_path=transcript,
        session_file=f"{HESTAI}/{session_rel(session.id)}",
        governance_version=governance_version,
        governance_action=governance_action,
        context_files=primer.context_files,
        north_star_summary=primer.north_star_summary,
        open_checklist_items=primer.open_checklist_items,
        recent_learnings=primer.recent_learnings,
        suggested_skills=suggestions,
        notes=notes,
    )


# -- checks -------------------------------------------------------------------------------------


def _heal_governance(
    project: Project, notes: list[str]
) -> tuple[str | None, str, Path, Fingerprint | None]:
    """Re-inject governance when it is missing or tampered (a fast no-op when intact).

    Also returns the hub inject located and its tree fingerprint: the roles and the routing
    table of this clock-in are read from it, so the hub is located once per clock-in, not three
    times, and they are re-derived only when a file of the hub moved (`hub_memo`)."""
    result = inject(project)
    if result.action not in ("unchanged",):
        notes.append(f"governance {result.version}: {result.summary()}")
        notes.extend(f"governance change {line}" for line in result.changes)
    launcher = heal_launcher(project.root)
    if launcher is not None:
        notes.append(launcher)
    return result.version, str(result.action), Path(result.hub), result.hub_print


def known_roles(project: Project | Path) -> list[str]:
    """Roles defined in `.hestai-sys/agents/` (the agent definitions): those of the project's
    hub, or of the hub folder given."""
    return sorted(load_agents(project))


def _check_role(hub: Path, hub_print: Fingerprint | None, role: str) -> str:
    try:
        roles = hub_roles(hub, hub_print)
    except NotFoundError as exc:
        raise ValidationError(
            f"no agent definitions in {HESTAI_SYS}/agents/", hint="run `tmws inject`"
        ) from exc
    if role not in roles:
        raise UsageError(
            f"unknown role {role!r}; known roles: {', '.join(roles) or 'none'}",
            hint="pass --role with one of the known roles",
        )
    return role


def _check_working_dir(project: Project, working_dir: str | Path | None) -> str | None:
    if working_dir is None or str(working_dir) == "":
        return None
    path = Path(working_dir).expanduser()
    if not path.is_absolute():
        path = Path(os.getcwd()) / path
    path = path.resolve()
    if not path.is_dir():
        raise UsageError(f"working folder {working_dir} does not exist")
    return str(path)


def _check_transcript(transcript_path: str | Path | None) -> str | None:
    if transcript_path is None or str(transcript_path) == "":
        return None
    path = Path(transcript_path).expanduser()
    return str(path.resolve() if path.exists() else path.absolute())


def _check_focus_free(
    project: Project, session: ActiveSession, stale_hours: float, force: bool, notes: list[str]
) -> None:
    now = session.started_at
    wanted = focus_key(session.focus)
    same = [s for s in active_view(project) if focus_key(s.focus) == wanted]
    # a session whose client died blocks nothing: it can be resumed or reaped
    live = [s for s in same if not is_stale(s, stale_hours, now) and not client_gone(s)]
    stale = [s for s in same if s not in live]
    if stale:
        notes.append(
            f"{len(stale)} stale session(s) on this focus: "
            + ", ".join(s.id8 for s in stale)
            + " (resume one, or `tmws sessions reap` archives them)"
        )
    if not live:
        return
    other = live[-1]
    if not force:
        raise ConflictError(
            f"session {other.id} ({other.role}) is already open on focus {session.focus!r} "
            f"since {other.started_at:%Y-%m-%d %H:%M} UTC",
            hint="clock out that session first, choose another --focus, or pass --force",
        )
    notes.append(f"forced: session {other.id8} is also open on this focus")


# -- suggestions -------------------------------------------------------------------------------


def _suggest(project: Project, session: ActiveSession, notes: list[str]) -> list[Suggestion]:
    """Skills the learning core suggests for this session (advice: never blocks a clock-in)."""
    try:
        batch = suggest_for_clock_in(project, session)
    except Exception as exc:  # suggestions are advice; never block a clock-in on them
        notes.append(f"skill suggestions failed: {type(exc).__name__}")
        return []
    if batch.note:
        notes.append(f"skill suggestions: {batch.note}")
    return list(batch.suggestions)
