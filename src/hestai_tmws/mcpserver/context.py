"""What one running MCP server knows between calls: its project and the session it clocked in.

Tools are thin calls into the core services; the only state the face keeps is which session
this server opened, so that clock_out, anchor_submit and document_submit need no session id.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field

from hestai_tmws.layout import SESSIONS_ACTIVE
from hestai_tmws.project import Project
from hestai_tmws.sessions.lookup import by_prefix, is_session_id, normalise_id, open_session_ids


@dataclass
class ServerContext:
    """Per-server state shared by every tool (tools run in worker threads: guarded by a lock)."""

    project: Project
    session_id: str | None = None
    traced_tools: set[str] = field(default_factory=set)
    trace_failures: int = 0  # record_trace failed (also noted in the session for its archive)
    untraced_calls: int = 0  # calls made while no session was open: nowhere to record them
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    # -- the remembered session -----------------------------------------------------------
    def remember(self, session_id: str | None) -> None:
        with self._lock:
            self.session_id = session_id

    def forget(self, session_id: str | None = None) -> None:
        """Drop the remembered session (only if it is `session_id`, when one is given)."""
        with self._lock:
            if session_id is None or self.session_id == session_id:
                self.session_id = None

    def session_for_call(self, explicit: str | None) -> str | None:
        """The session a tool acts on: the caller's id, else the one this server opened.

        None lets the core service pick the only open session of the worktree (a session
        clocked in by a Claude Code hook, for instance).
        """
        if explicit:
            return explicit
        with self._lock:
            remembered = self.session_id
        if remembered and not os.path.isdir(self._active_dir(remembered)):
            return None  # clocked out elsewhere (CLI, hook): let the service decide
        return remembered

    # -- where traces go ------------------------------------------------------------------
    def _active_dir(self, session_id: str) -> str:
        return os.path.join(self.project.hestai, SESSIONS_ACTIVE, session_id)

    def trace_session(self, explicit: str | None) -> str | None:
        """The open session a trace belongs to, found with a few stat calls (hot path).

        Order: the session the caller named (a full id or a unique prefix), the remembered
        session, else the only open session of this worktree.
        """
        if explicit:
            wanted = normalise_id(explicit)
            if is_session_id(wanted) and os.path.isdir(self._active_dir(wanted)):
                return wanted
            matches = by_prefix(self._open_ids(), wanted, str)
            if len(matches) == 1:
                return matches[0]
        remembered = self.session_id
        if remembered and os.path.isdir(self._active_dir(remembered)):
            return remembered
        ids = self._open_ids()
        return ids[0] if len(ids) == 1 else None

    def _open_ids(self) -> list[str]:
        try:
            return open_session_ids(os.path.join(self.project.hestai, SESSIONS_ACTIVE))
        except OSError:
            return []

    def note_trace_failure(self) -> None:
        with self._lock:
            self.trace_failures += 1

    def note_untraced(self) -> None:
        with self._lock:
            self.untraced_calls += 1
