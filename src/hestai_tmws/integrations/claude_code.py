"""Claude Code integration (the contract's name): hook handlers and the settings writer.

The pieces live in their own modules so that a hook process imports only what it needs:
`claude_hooks` (entry: `python -m hestai_tmws.integrations.claude_hooks <event>`),
`claude_guard` (the PreToolUse rule) and `claude_settings` (`tmws integrate claude-code`).
"""

from __future__ import annotations

from .claude_guard import pre_tool_use_decision, protected_target
from .claude_hooks import HookOutcome, dispatch, find_session, render_primer, run
from .claude_settings import IntegrationResult, Launcher, integrate_claude_code

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
