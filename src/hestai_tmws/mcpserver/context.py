"""What one running MCP server knows between calls: its project and the sessions it owns.

One stdio server serves one client. The server acts only on sessions that this connection
opened (clock_in) or explicitly resumed (clock_in with `resume`, proven to be the same agent):
a second client can neither write into nor clock out a session it did not open. There is no
fallback to "the open session of the worktree" here; that convenience belongs to the CLI.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field

from hestai_tmws.errors import NotFoundError, PolicyError
from hestai_tmws.layout import SESSIONS_ACTIVE
from hestai_tmws.learning.auto import BackgroundLearning
from hestai_tmws.project import Project
from hestai_tmws.sessions.lookup import by_prefix, normalise_id
from hestai_tmws.sessions.store import active_view


class SessionNotOwnedError(PolicyError):
    """A tool named a session that this connection neither opened nor resumed."""


@dataclass
class ServerContext:
    """Per-server state shared by every tool (tools run in worker threads: guarded by a lock)."""

    project: Project
    session_id: str | None = None  # the session calls act on when they name none
    owned: set[str] = field(default_factory=set)  # every session this connection may act on
    client_pid: int = field(default_factory=os.getppid)  # the agent that started this server
    traced_tools: set[str] = field(default_factory=set)
    trace_failures: int = 0  # record_trace failed (also noted in the session for its archive)
    untraced_calls: int = 0  # calls made while no session was open: nowhere to record them
    learning: BackgroundLearning = field(init=False, repr=False)  # clock-outs' learning step
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __post_init__(self) -> None:
        self.learning = BackgroundLearning(self.project)

    # -- the owned sessions ---------------------------------------------------------------
    def remember(self, session_id: str | None) -> None:
        """This connection opened (or resumed) `session_id`: later calls act on it."""
        with self._lock:
            self.session_id = session_id
            if session_id:
                self.owned.add(session_id)

    def forget(self, session_id: str | None = None) -> None:
        """Drop `session_id` (default: the current session) from what this connection owns."""
        with self._lock:
            target = session_id or self.session_id
            if target:
                self.owned.discard(target)
            if self.session_id == target:
                self.session_id = None

    def session_for_call(self, explicit: str | None) -> str:
        """The session a tool acts on: the one named (it must be ours), else our current one.

        Raises SessionNotOwnedError for another connection's session and NotFoundError when
        this connection has no open session.
        """
        if explicit:
            return self._owned_match(explicit)
        with self._lock:
            current = self.session_id
        if current and os.path.isdir(self._active_dir(current)):
            return current
        if current:
            self.forget(current)  # clocked out elsewhere (CLI, reap)
        adopted = self._same_agent_session()
        if adopted:
            return adopted
        raise NotFoundError(
            "this connection has no open session",
            hint="call clock_in first (clock_in with resume=<session id> continues one)",
        )

    def _same_agent_session(self) -> str | None:
        """The one open session whose recorded process is our client (a Claude Code hook
        clocked in for the very agent that started this server): that is proof, not a guess."""
        mine = [s for s in active_view(self.project) if s.pid == self.client_pid]
        if len(mine) != 1:
            return None
        self.remember(mine[0].id)
        return mine[0].id

    def _owned_match(self, explicit: str) -> str:
        wanted = normalise_id(explicit)
        with self._lock:
            owned = sorted(self.owned)
        matches = [wanted] if wanted in owned else by_prefix(owned, wanted, str)
        if len(matches) == 1 and os.path.isdir(self._active_dir(matches[0])):
            return matches[0]
        if len(matches) == 1:
            self.forget(matches[0])
            raise NotFoundError(f"session {matches[0]} is no longer open", hint="call clock_in")
        raise SessionNotOwnedError(
            f"session {explicit!r} was not opened by this connection",
            hint="tools act only on sessions their own connection opened; to continue "
            "another one call clock_in with resume=<session id>",
        )

    # -- where traces go ------------------------------------------------------------------
    def _active_dir(self, session_id: str) -> str:
        return os.path.join(self.project.hestai, SESSIONS_ACTIVE, session_id)

    def trace_session(self, explicit: str | None) -> str | None:
        """The owned open session a trace belongs to, found with a few stat calls (hot path).

        The session the caller named when it is ours, else the current one; a call about
        another connection's session is never traced into it.
        """
        if explicit:
            try:
                return self._owned_match(explicit)
            except (NotFoundError, PolicyError):
                return None
        current = self.session_id
        if current and os.path.isdir(self._active_dir(current)):
            return current
        return None

    def note_trace_failure(self) -> None:
        with self._lock:
            self.trace_failures += 1

    def note_untraced(self) -> None:
        with self._lock:
            self.untraced_calls += 1
