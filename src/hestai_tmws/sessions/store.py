"""Where open sessions live: `.hestai/sessions/active/<id>/` (gitignored, private to a worktree).

Reads go straight to the files (they are small and private); writes go through the Steward.
"""

from __future__ import annotations

import json
import os
import socket
import threading
from datetime import datetime
from pathlib import Path

import psutil
from pydantic import ValidationError as PydanticValidationError

from hestai_tmws.errors import NotFoundError, PolicyError, UsageError, ValidationError
from hestai_tmws.layout import SESSIONS_ACTIVE
from hestai_tmws.project import Project
from hestai_tmws.sessions import listing
from hestai_tmws.sessions.listing import active_ids, settled
from hestai_tmws.sessions.lookup import (
    SESSION_FILE,
    by_prefix,
    for_agent,
    is_session_id,
    normalise_id,
)
from hestai_tmws.sessions.model import ActiveSession, check_session_id
from hestai_tmws.steward import Steward, WriteResult


def session_dir_rel(session_id: str) -> str:
    return f"{SESSIONS_ACTIVE}/{session_id}"


def session_rel(session_id: str) -> str:
    return f"{SESSIONS_ACTIVE}/{session_id}/{SESSION_FILE}"


def active_root(project: Project) -> Path:
    return project.memory_path(SESSIONS_ACTIVE)


def session_dirs(project: Project) -> list[str]:
    """Ids of every folder under sessions/active/ that is named like a session."""
    return list(active_ids(active_root(project)))


# session.json path → (its stat, the record read from it). A long-lived server lists every
# open session on each clock-in; an unchanged record (same inode, size, mtime and ctime: the
# Steward replaces it by rename, so every write makes a new inode) is not read and validated
# again. Callers get a copy, so the cached record never changes under them. A record whose
# ctime had not settled when it was read (`listing.settled`) is not remembered: an in-place
# edit within the same clock tick could keep its stat.
RecordKey = tuple[int, int, int, int]
_RECORDS: dict[str, tuple[RecordKey, ActiveSession]] = {}
# sessions/active/ path → (every record's id and stat, the readable ones sorted): the
# open-session view is not rebuilt while no record has changed.
_VIEWS: dict[str, tuple[tuple[tuple[str, RecordKey], ...], list[ActiveSession]]] = {}
_RECORDS_LOCK = threading.Lock()
MAX_CACHED_RECORDS = 1024
MAX_CACHED_VIEWS = 64


def load_session(project: Project, session_id: str) -> ActiveSession:
    """The open session `session_id`; NotFoundError when it is not open here."""
    check_session_id(session_id)
    path = os.path.join(active_root(project), session_id, SESSION_FILE)
    return _load(path, session_id).model_copy()


def _record_key(path: str, session_id: str) -> RecordKey:
    try:
        st = os.stat(path)
    except (FileNotFoundError, NotADirectoryError) as exc:
        raise _not_open(session_id) from exc
    return (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def _load(path: str, session_id: str) -> ActiveSession:
    """The record at `path`, shared with the cache: callers must copy it before changing it."""
    began = listing.now_ns()
    return _load_keyed(path, session_id, _record_key(path, session_id), began)[0]


def _load_keyed(
    path: str, session_id: str, key: RecordKey, began: int
) -> tuple[ActiveSession, bool]:
    """The record whose stat was `key` (taken after `began`), and whether it is cached."""
    with _RECORDS_LOCK:
        hit = _RECORDS.get(path)
    if hit is not None and hit[0] == key:
        return hit[1], True
    session = _read_session(path, session_id)
    if not settled(key[3], began):
        return session, False
    with _RECORDS_LOCK:
        if len(_RECORDS) >= MAX_CACHED_RECORDS:
            _RECORDS.clear()
        _RECORDS[path] = (key, session)  # the stat from before the read: a race only misses
    return session, True


def _not_open(session_id: str) -> NotFoundError:
    return NotFoundError(
        f"no open session {session_id}", hint="`tmws sessions` lists the open sessions"
    )


def _read_session(path: str, session_id: str) -> ActiveSession:
    try:
        with open(path, encoding="utf-8") as fh:
            raw = fh.read()
    except (FileNotFoundError, NotADirectoryError) as exc:
        raise _not_open(session_id) from exc
    try:
        session = ActiveSession.model_validate(json.loads(raw))
    except (ValueError, PydanticValidationError) as exc:
        raise ValidationError(
            f"{session_rel(session_id)} is not a valid session record: {exc}"
        ) from exc
    if session.id != session_id:
        raise ValidationError(f"{session_rel(session_id)} names another session ({session.id})")
    return session


def save_session(project: Project, steward: Steward, session: ActiveSession) -> WriteResult:
    """Write the session record (private: no ledger, never staged)."""
    text = session.model_dump_json(indent=2) + "\n"
    return steward.write_text(
        session_rel(session.id), text, actor="clock-in", reason="session record"
    )


def list_active(project: Project) -> list[ActiveSession]:
    """Every readable open session of this worktree, oldest first (broken records skipped)."""
    return [session.model_copy() for session in active_view(project)]


def active_view(project: Project) -> list[ActiveSession]:
    """`list_active` without the copies, for callers that only read (clock-in's focus check
    on every open session): the records are shared with the cache and must not be changed."""
    root = os.fspath(active_root(project))
    began = listing.now_ns()
    keyed: list[tuple[str, RecordKey]] = []
    for session_id in active_ids(root):
        try:
            keyed.append((session_id, _record_key(_record_path(root, session_id), session_id)))
        except NotFoundError:
            continue
    signature = tuple(keyed)
    with _RECORDS_LOCK:
        view = _VIEWS.get(root)
    if view is not None and view[0] == signature:
        return list(view[1])
    out: list[ActiveSession] = []
    cached = True
    for session_id, key in keyed:
        try:
            session, kept = _load_keyed(_record_path(root, session_id), session_id, key, began)
        except (NotFoundError, ValidationError):
            cached = cached and settled(key[3], began)  # broken: skipped while unchanged
            continue
        out.append(session)
        cached = cached and kept
    out.sort(key=lambda s: (s.started_at, s.id))
    if cached:  # else the last settled view stays: its signature cannot match a changed set
        with _RECORDS_LOCK:
            if len(_VIEWS) >= MAX_CACHED_VIEWS:
                _VIEWS.clear()
            _VIEWS[root] = (signature, out)
    return list(out)


def _record_path(root: str, session_id: str) -> str:
    return f"{root}{os.sep}{session_id}{os.sep}{SESSION_FILE}"


def resolve_session(project: Project, session_id: str | None) -> ActiveSession:
    """The named session (a full id or a unique prefix of ≥ 4 hex digits), else the only one."""
    active = list_active(project)
    if session_id:
        wanted = normalise_id(session_id)
        if is_session_id(wanted):
            return load_session(project, wanted)
        if all(c in "0123456789abcdef" for c in wanted):
            matches = by_prefix(active, wanted, lambda s: s.id)
            if len(matches) == 1:
                return matches[0]
            if len(matches) > 1:
                raise UsageError(
                    f"{wanted!r} matches {len(matches)} open sessions",
                    hint="give more digits: " + ", ".join(s.id for s in matches),
                )
        raise NotFoundError(
            f"no open session {session_id!r}", hint="`tmws sessions` lists the open sessions"
        )
    if len(active) == 1:
        return active[0]
    if not active:
        raise NotFoundError("no open session in this worktree", hint="run `tmws clock-in` first")
    listing = "; ".join(f"{s.id} ({s.role}, {s.focus})" for s in active)
    raise UsageError(
        f"{len(active)} sessions are open here: {listing}",
        hint="name one with --session ID",
    )


def session_for_agent(project: Project, agent_session_id: str | None) -> ActiveSession | None:
    """The session clocked in for this agent session (the newest), else the only open one
    when it is not another agent session's; None when nothing fits."""
    candidates = for_agent(list_active(project), agent_session_id, lambda s: s.claude_session_id)
    return candidates[-1] if candidates else None


def pid_alive(pid: int) -> bool:
    """Is process `pid` running (a zombie counts as gone)? psutil, so no /proc and no signal.

    `os.kill(pid, 0)` is a liveness probe only on POSIX: on Windows it terminates the process,
    and /proc exists on Linux only. psutil answers the same question on Linux, macOS and
    Windows without touching the process.
    """
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False
    except psutil.AccessDenied:
        return True  # exists, owned by someone else


SHELLS = frozenset({"sh", "bash", "dash", "zsh", "fish", "ksh", "cmd.exe", "powershell.exe"})


def agent_pid(start: int, *, hops: int = 3) -> int:
    """The agent process behind `start`: its ancestors, skipping shells in between (best effort;
    psutil works on Linux, macOS and Windows, where /proc does not exist)."""
    pid = start
    for _ in range(hops):
        try:
            proc = psutil.Process(pid)
            if proc.name().lower() not in SHELLS:
                return pid
            parent = proc.ppid()
        except (psutil.Error, OSError):
            return pid
        if parent <= 1:
            return pid
        pid = parent
    return pid


def process_alive(session: ActiveSession) -> bool | None:
    """Is the session's process still running? None when it cannot be told (other host)."""
    if session.pid is None or session.pid <= 0:
        return None
    if session.host and session.host != socket.gethostname():
        return None
    try:
        return pid_alive(session.pid)
    except (psutil.Error, OSError):
        return None


def client_gone(session: ActiveSession) -> bool:
    """The session's client is known to be dead (same host, pid gone): it blocks nothing."""
    return process_alive(session) is False


def check_resumable(
    session: ActiveSession, *, client_pids: tuple[int, ...], agent_session_id: str | None
) -> str:
    """Why a new connection may take over `session` (the proof), or PolicyError.

    Proofs, strongest first: the same agent session id (Claude Code's), the same agent
    process (the session's pid is one of `client_pids`), or a client that is gone.
    """
    if agent_session_id and session.claude_session_id == agent_session_id:
        return "same agent session"
    if session.pid is not None and session.pid in client_pids:
        return "same agent process"
    if client_gone(session):
        return f"its client (pid {session.pid}) is gone"
    raise PolicyError(
        f"session {session.id} belongs to another live client (pid {session.pid})",
        hint="a connection acts only on sessions it opened; resume needs the same agent's "
        "session id, or a session whose client is gone",
    )


def rebind_session(project: Project, session: ActiveSession, pid: int) -> ActiveSession:
    """Record that process `pid` now serves `session` (a resume)."""
    updated = session.model_copy(update={"pid": pid, "host": socket.gethostname()})
    steward = Steward(project)
    with steward.transaction("resume"):
        save_session(project, steward, updated)
    return updated


def is_stale(session: ActiveSession, max_age_hours: float, now: datetime | None = None) -> bool:
    """Stale: its process is gone (or cannot be checked) and it is older than `max_age_hours`."""
    return process_alive(session) is not True and session.age_hours(now) > max_age_hours
