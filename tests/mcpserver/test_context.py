"""What a server remembers between calls: its session, and where a trace belongs."""

from __future__ import annotations

from hestai_tmws.mcpserver.context import ServerContext
from hestai_tmws.project import Project
from tests.memory.support import open_session


def test_the_remembered_session_and_the_trace_target(ready: Project) -> None:
    ctx = ServerContext(project=ready)
    assert ctx.session_for_call(None) is None and ctx.trace_session(None) is None
    first = open_session(ready, focus="one")
    assert ctx.trace_session(None) == first.id  # the only open session
    second = open_session(ready, focus="two")
    assert ctx.trace_session(None) is None  # two candidates, none remembered
    assert ctx.trace_session(second.id[:6]) == second.id  # a unique prefix
    ctx.remember(first.id)
    assert ctx.session_for_call(None) == first.id and ctx.trace_session(None) == first.id
    assert ctx.session_for_call("explicit") == "explicit"
    ctx.forget(second.id)
    assert ctx.session_id == first.id  # only the named session is forgotten
    ctx.forget()
    assert ctx.session_id is None


def test_a_remembered_session_clocked_out_elsewhere_is_not_used(ready: Project) -> None:
    ctx = ServerContext(project=ready)
    ctx.remember("0123456789ab")  # no such folder
    assert ctx.session_for_call(None) is None
    ctx.note_trace_failure()
    ctx.note_untraced()
    assert (ctx.trace_failures, ctx.untraced_calls) == (1, 1)
