"""Clock-in: open a session, heal governance, and hand the agent its primer.

The primer (what to read, the north star, open tasks, recent learnings, suggested skills) is
assembled read-only; the only write is the private session record.
"""

from __future__ import annotations

import json
import os
import socket
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from hestai_tmws.config import load_settings
from hestai_tmws.errors import ConflictError, NotFoundError, TmwsError, UsageError, ValidationError
from hestai_tmws.layout import HESTAI, HESTAI_SYS, LEARNINGS_INDEX, NORTH_STAR
from hestai_tmws.project import Project
from hestai_tmws.sessions.archive import shorten
from hestai_tmws.sessions.focus import FocusSource, focus_key, resolve_focus
from hestai_tmws.sessions.model import ActiveSession, new_session_id, utc_now
from hestai_tmws.sessions.store import (
    is_stale,
    list_active,
    load_session,
    save_session,
    session_rel,
)
from hestai_tmws.steward import Steward

PRIMER_CONTEXT_DOCS = (
    "project-context",
    "project-checklist",
    "project-roadmap",
    "context-negatives",
)
RECENT_LEARNINGS = 8
NORTH_STAR_CHARS = 600


class RecentLearning(BaseModel):
    text: str
    session: str  # id8
    date: str
    focus: str = ""


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
    suggested_skills: list[dict[str, Any]] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)


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
    governance_version, governance_action = _heal_governance(project, notes)
    chosen_role = _check_role(project, (role or settings.default_role).strip())
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
    steward = Steward(project, lock_timeout=settings.lock_timeout_seconds)
    with steward.transaction("clock-in"):
        _check_focus_free(project, session, settings.stale_after_hours, force, notes)
        save_session(project, steward, session)

    suggestions = _suggest(project, session, notes)
    if suggestions:
        with steward.transaction("clock-in suggestions"):  # re-read: an anchor may have landed
            current = load_session(project, session.id)
            save_session(project, steward, current.model_copy(update={"suggestions": suggestions}))

    north_star, checklist = _north_star_summary(project), _open_checklist(project)
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
        context_files=_context_files(project, session.role),
        north_star_summary=north_star,
        open_checklist_items=checklist,
        recent_learnings=recent_learnings(project),
        suggested_skills=suggestions,
        notes=notes,
    )


# -- checks -------------------------------------------------------------------------------------


def _heal_governance(project: Project, notes: list[str]) -> tuple[str | None, str]:
    """Re-inject governance when it is missing or tampered (a fast no-op when intact)."""
    from hestai_tmws.governance.inject import inject

    result = inject(project)
    if result.action not in ("unchanged",):
        notes.append(f"governance {result.version}: {result.summary()}")
    return result.version, str(result.action)


def known_roles(project: Project) -> list[str]:
    """Roles defined in `.hestai-sys/agents/` (the agent definitions)."""
    try:
        from hestai_tmws.governance.rules import load_agents

        return sorted(load_agents(project))
    except ImportError:
        folder = project.governance_path("agents")
        return sorted(p.name[: -len(".oct.md")] for p in folder.glob("*.oct.md"))


def _check_role(project: Project, role: str) -> str:
    try:
        roles = known_roles(project)
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
    same = [s for s in list_active(project) if focus_key(s.focus) == wanted]
    live = [s for s in same if not is_stale(s, stale_hours, now)]
    stale = [s for s in same if s not in live]
    if stale:
        notes.append(
            f"{len(stale)} stale session(s) on this focus: "
            + ", ".join(s.id8 for s in stale)
            + " (`tmws sessions reap` archives them)"
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


# -- the primer ---------------------------------------------------------------------------------


def _context_files(project: Project, role: str) -> list[str]:
    """What the agent should read, in order, relative to the project root (existing files only)."""
    candidates = [
        f"{HESTAI_SYS}/agents/{role}.oct.md",
        f"{HESTAI}/{NORTH_STAR}",
        *(f"{HESTAI}/{project.context_doc(name)}" for name in PRIMER_CONTEXT_DOCS),
    ]
    return [rel for rel in candidates if (project.root / rel).is_file()]


def _north_star_summary(project: Project) -> str:
    """The mission statement and the immutables, in one short paragraph."""
    from hestai_tmws.memory.context import north_star_summary

    view = north_star_summary(project)
    if not view.exists:
        return ""
    statement = (view.statement or view.title or "").strip()
    if statement and statement[-1] not in ".!?":
        statement += "."
    parts = [statement]
    if view.requirements:
        parts.append("Immutables: " + "; ".join(view.requirements) + ".")
    if view.status and view.status.upper() == "DRAFT":
        parts.append("(the north star is a DRAFT)")
    return shorten(" ".join(p for p in parts if p), NORTH_STAR_CHARS)


def _open_checklist(project: Project) -> list[str]:
    """Checklist tasks not marked done, as `T1: what (owner)`."""
    from hestai_tmws.memory.context import open_checklist_items
    from hestai_tmws.octave import parse

    path = project.memory_path(project.context_doc("project-checklist"))
    try:
        doc = parse(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, TmwsError):
        return []
    return [
        f"{item.key}: {item.text}" + (f" ({item.owner})" if item.owner else "")
        for item in open_checklist_items(doc)
    ]


def recent_learnings(project: Project, limit: int = RECENT_LEARNINGS) -> list[RecentLearning]:
    """The newest learnings recorded in `learnings-index.jsonl`, newest first."""
    try:
        lines = project.memory_path(LEARNINGS_INDEX).read_text(encoding="utf-8").splitlines()
    except (FileNotFoundError, NotADirectoryError, UnicodeDecodeError):
        return []
    out: list[RecentLearning] = []
    for line in reversed(lines):
        if len(out) >= limit:
            break
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if not isinstance(record, dict):
            continue
        for text in record.get("learnings") or []:
            if len(out) >= limit:
                break
            out.append(
                RecentLearning(
                    text=str(text),
                    session=str(record.get("id", ""))[:8],
                    date=str(record.get("date", "")),
                    focus=str(record.get("focus", "")),
                )
            )
    return out


def _suggest(project: Project, session: ActiveSession, notes: list[str]) -> list[dict[str, Any]]:
    """Skills the learning core suggests for this session (empty until it exists)."""
    try:
        from hestai_tmws.learning.suggest import suggest_for_clock_in
    except ImportError:
        notes.append("skill suggestions are not available yet")
        return []
    try:
        batch = suggest_for_clock_in(project, session)
    except Exception as exc:  # suggestions are advice; never block a clock-in on them
        notes.append(f"skill suggestions failed: {type(exc).__name__}")
        return []
    note = getattr(batch, "note", None)
    if isinstance(note, str) and note:
        notes.append(f"skill suggestions: {note}")
    items = getattr(batch, "suggestions", None)
    if items is None and isinstance(batch, list):
        items = batch
    out: list[dict[str, Any]] = []
    for item in items or []:
        if isinstance(item, BaseModel):
            out.append(item.model_dump(mode="json"))
        elif isinstance(item, dict):
            out.append(dict(item))
    return out
