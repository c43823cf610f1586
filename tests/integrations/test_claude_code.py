"""The contract's name for the Claude Code integration exposes its public pieces."""

from __future__ import annotations

from hestai_tmws.integrations import claude_code
from hestai_tmws.integrations.claude import hooks, payload, settings
from hestai_tmws.sessions import store


def test_the_names_are_the_implementations() -> None:
    assert claude_code.run is hooks.run and claude_code.dispatch is hooks.dispatch
    assert claude_code.HookOutcome is payload.HookOutcome
    assert claude_code.integrate_claude_code is settings.integrate_claude_code
    assert claude_code.find_session is store.session_for_agent
    assert set(claude_code.__all__) <= set(dir(claude_code))
