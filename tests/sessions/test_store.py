"""Open sessions on disk: listing, resolving by id or prefix, and by agent session."""

from __future__ import annotations

import pytest

from hestai_tmws.errors import NotFoundError, UsageError
from hestai_tmws.project import Project
from hestai_tmws.sessions.model import ActiveSession, utc_now
from hestai_tmws.sessions.store import (
    list_active,
    resolve_session,
    save_session,
    session_dirs,
    session_for_agent,
)
from hestai_tmws.steward import Steward


def open_session(project: Project, sid: str, claude: str | None = None) -> ActiveSession:
    session = ActiveSession(
        id=sid,
        role="implementation-lead",
        focus="f",
        focus_source="explicit",
        started_at=utc_now(),
        claude_session_id=claude,
    )
    save_session(project, Steward(project), session)
    return session


def test_no_session_is_an_error_with_a_hint(project: Project) -> None:
    assert session_dirs(project) == [] and list_active(project) == []
    with pytest.raises(NotFoundError):
        resolve_session(project, None)
    assert session_for_agent(project, "claude-a") is None


def test_resolving_by_id_prefix_and_the_only_one(project: Project) -> None:
    open_session(project, "aaaa11111111")
    assert resolve_session(project, None).id == "aaaa11111111"
    assert resolve_session(project, "AAAA1").id == "aaaa11111111"
    open_session(project, "aaaa22222222")
    with pytest.raises(UsageError, match="matches 2 open sessions"):
        resolve_session(project, "aaaa")
    with pytest.raises(UsageError, match="2 sessions are open"):
        resolve_session(project, None)
    with pytest.raises(NotFoundError):
        resolve_session(project, "bbbb")


def test_by_agent_session(project: Project) -> None:
    open_session(project, "aaaa11111111", claude="claude-a")
    assert session_for_agent(project, "claude-b") is None
    assert session_for_agent(project, None) is not None
    open_session(project, "bbbb22222222", claude="claude-b")
    found = session_for_agent(project, "claude-b")
    assert found is not None and found.id == "bbbb22222222"
