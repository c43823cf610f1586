"""The contract's name for the Claude Code integration: one import for its public pieces.

Hook processes never import this module (it loads pydantic through the settings writer); they
go through `integrations.claude_hooks`.
"""

from __future__ import annotations

from hestai_tmws.integrations.claude.guard import pre_tool_use_decision, protected_target
from hestai_tmws.integrations.claude.hooks import dispatch, render_primer, run
from hestai_tmws.integrations.claude.payload import HookOutcome
from hestai_tmws.integrations.claude.settings import (
    IntegrationResult,
    Launcher,
    integrate_claude_code,
)
from hestai_tmws.sessions.store import session_for_agent as find_session

__all__ = [
    "HookOutcome",
    "IntegrationResult",
    "Launcher",
    "dispatch",
    "find_session",
    "integrate_claude_code",
    "pre_tool_use_decision",
    "protected_target",
    "render_primer",
    "run",
]
