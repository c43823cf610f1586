"""What a server owns between calls: only the sessions its connection opened or resumed."""

from __future__ import annotations

import pytest

from hestai_tmws.errors import NotFoundError
from hestai_tmws.mcpserver.context import ServerContext, SessionNotOwnedError
from hestai_tmws.project import Project
from hestai_tmws.sessions.model import ActiveSession
from hestai_tmws.sessions.store import save_session
from hestai_tmws.steward import Steward
from tests.memory.support import open_session


def test_a_connection_acts_only_on_its_own_sessions(ready: Project) -> None:
    ctx = ServerContext(project=ready, client_pid=-1)
    first = open_session(ready, focus="one")
    with pytest.raises(NotFoundError, match="no open session"):
        ctx.session_for_call(None)  # no fallback to the only open session
    assert ctx.trace_session(None) is None
    with pytest.raises(SessionNotOwnedError, match="not opened by this connection"):
        ctx.session_for_call(first.id)
    second = open_session(ready, focus="two")
    ctx.remember(second.id)
    assert ctx.session_for_call(None) == second.id == ctx.trace_session(None)
    assert ctx.session_for_call(second.id[:6]) == second.id  # a unique prefix of our own
    assert ctx.trace_session(first.id) is None  # never traced into another's session
    ctx.forget(second.id)
    assert ctx.session_id is None and ctx.owned == set()


def test_a_session_clocked_out_elsewhere_is_dropped(ready: Project) -> None:
    ctx = ServerContext(project=ready, client_pid=-1)
    ctx.remember("0123456789ab")  # no such folder
    with pytest.raises(NotFoundError):
        ctx.session_for_call(None)
    assert ctx.owned == set()
    ctx.note_trace_failure()
    ctx.note_untraced()
    assert (ctx.trace_failures, ctx.untraced_calls) == (1, 1)


def test_the_session_of_our_own_agent_process_is_adopted(ready: Project) -> None:
    """A Claude Code hook clocked in for the agent that started this server (same pid)."""
    other = open_session(ready, focus="other")
    mine = open_session(ready, focus="mine")
    save_session(ready, Steward(ready), mine.model_copy(update={"pid": 4242}))
    ctx = ServerContext(project=ready, client_pid=4242)
    assert ctx.session_for_call(None) == mine.id
    assert mine.id in ctx.owned and other.id not in ctx.owned
    assert isinstance(mine, ActiveSession)
