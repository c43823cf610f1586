"""The hook entries `tmws integrate gemini|cursor` merges into each agent's own hook config.

- Gemini CLI: `hooks` in `.gemini/settings.json`, Claude Code's shape (event → groups with a
  `matcher` and `hooks`), timeouts in milliseconds: SessionStart (clock in, primer as
  additional context), BeforeTool (refuse direct edits of `.hestai/`), AfterTool (trace
  every call), SessionEnd (clock out).
- Cursor: `.cursor/hooks.json` (`version` 1; event → list of `{command}`): afterShellExecution
  and afterFileEdit trace the agent's commands and edits.
- Codex has no tool-call hook we install: its rollout is read at clock-out instead.

Our entries are recognised by their command (`tmws hook <agent>` or the module name), so a
second run replaces them in place and `remove` takes only them out.
"""

from __future__ import annotations

from typing import Any

from hestai_tmws.errors import ValidationError
from hestai_tmws.integrations.claude.settings import (
    Launcher,
    merge_event,
    remove_hooks,
)

AGENT_HOOK_MODULE = "hestai_tmws.integrations.agent_hooks"
CURSOR_HOOKS_REL = ".cursor/hooks.json"
CURSOR_HOOKS_VERSION = 1
# Gemini CLI event → (our event argument, matcher or None, timeout in milliseconds)
GEMINI_HOOK_EVENTS: tuple[tuple[str, str, str | None, int], ...] = (
    ("SessionStart", "session-start", None, 30_000),
    ("BeforeTool", "before-tool", "write_file|replace", 10_000),
    ("AfterTool", "after-tool", "*", 10_000),
    ("SessionEnd", "session-end", None, 60_000),
)
# Cursor event → our event argument
CURSOR_HOOK_EVENTS: tuple[tuple[str, str], ...] = (
    ("afterShellExecution", "after-shell-execution"),
    ("afterFileEdit", "after-file-edit"),
)


def markers(agent: str) -> tuple[str, ...]:
    """What every command of ours for `agent` contains (either launcher)."""
    return (f"{AGENT_HOOK_MODULE} {agent} ", f"tmws hook {agent} ")


def hook_command(launcher: Launcher, agent: str, event: str) -> str:
    """The hook's shell line. Without tmws it still prints `{}`: both agents read stdout as
    JSON, and Gemini would show a bare stderr line as the hook's message."""
    prefix = launcher.hook_prefix
    if prefix[1:3] == ["hook", "claude"]:
        agent_prefix = [prefix[0], "hook", agent]
    else:
        agent_prefix = [prefix[0], "-m", AGENT_HOOK_MODULE, agent]
    plain = {"hook_prefix": agent_prefix, "fast_python": None}  # the fast entry is Claude's
    line = launcher.model_copy(update=plain).hook_command(event)
    return line + "; echo '{}'"


def _hooks_object(data: dict[str, Any], rel: str) -> dict[str, Any]:
    hooks = data.get("hooks")
    if hooks is None:
        hooks = {}
        data["hooks"] = hooks
    if not isinstance(hooks, dict):
        raise ValidationError(f'"hooks" in {rel} is not an object', hint=f"fix {rel} by hand first")
    return hooks


def merge_gemini_hooks(
    settings: dict[str, Any], launcher: Launcher, rel: str, *, remove: bool = False
) -> dict[str, Any]:
    """`settings` with our Gemini CLI hooks (or, with `remove`, without them), others kept."""
    if remove:
        return remove_hooks(settings, markers("gemini"))
    hooks = _hooks_object(settings, rel)
    for gemini_event, our_event, matcher, timeout in GEMINI_HOOK_EVENTS:
        ours: dict[str, Any] = {
            "name": f"tmws-{our_event}",
            "type": "command",
            "command": hook_command(launcher, "gemini", our_event),
            "timeout": timeout,
        }
        hooks[gemini_event] = merge_event(hooks.get(gemini_event), ours, matcher, markers("gemini"))
    return settings


def _is_ours(entry: Any) -> bool:
    command = entry.get("command") if isinstance(entry, dict) else None
    return isinstance(command, str) and any(m in command for m in markers("cursor"))


def _cursor_event(entries: Any, ours: dict[str, Any] | None) -> list[Any]:
    """One event's entries with ours in place of the first earlier one (or appended)."""
    kept: list[Any] = []
    placed = ours is None
    for entry in entries or []:
        if not _is_ours(entry):
            kept.append(entry)
        elif not placed:
            kept.append(ours)
            placed = True
    if not placed:
        kept.append(ours)
    return kept


def merge_cursor_hooks(
    config: dict[str, Any], launcher: Launcher, *, remove: bool = False
) -> dict[str, Any]:
    """`.cursor/hooks.json` with our entries (or without them); a file left holding only
    `version` becomes empty, so the removal deletes it."""
    if remove and not isinstance(config.get("hooks"), dict):
        return config
    if not remove and "version" not in config:
        config = {"version": CURSOR_HOOKS_VERSION, **config}
    hooks = _hooks_object(config, CURSOR_HOOKS_REL)
    for cursor_event, our_event in CURSOR_HOOK_EVENTS:
        ours = None if remove else {"command": hook_command(launcher, "cursor", our_event)}
        current = hooks.get(cursor_event)
        if current is not None and not isinstance(current, list):
            if remove:
                continue  # not ours to judge
            raise ValidationError(
                f'"hooks.{cursor_event}" in {CURSOR_HOOKS_REL} is not a list',
                hint=f"fix {CURSOR_HOOKS_REL} by hand first",
            )
        entries = _cursor_event(current, ours)
        if entries:
            hooks[cursor_event] = entries
        else:
            hooks.pop(cursor_event, None)
    if not hooks:
        del config["hooks"]
    if remove and config == {"version": CURSOR_HOOKS_VERSION}:
        return {}
    return config
