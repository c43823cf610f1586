"""`tmws integrate claude-code`: merge our hooks into `.claude/settings.json` and our server
into `.mcp.json`, keeping everything else the user has there.

Our entries are recognised by their command, so a second run replaces them in place (the
result is byte-identical: idempotent) and never duplicates them; `remove` takes them out.
The files are planned and written by `integrations.files` (merge, diff, atomic replace).
"""

from __future__ import annotations

import json
import shlex
import shutil
import sys
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from hestai_tmws.errors import ValidationError
from hestai_tmws.integrations.files import FileChange as FileChange
from hestai_tmws.integrations.files import IntegrationResult as IntegrationResult
from hestai_tmws.integrations.files import apply, json_edit
from hestai_tmws.workflows.hook_launcher import FAST_HOOK_CODE as FAST_HOOK_CODE
from hestai_tmws.workflows.hook_launcher import FAST_HOOK_MODULE as FAST_HOOK_MODULE
from hestai_tmws.workflows.hook_launcher import (
    LAUNCHER_MARKER,
    SKIPPED,
    committed_command,
    remove_launcher,
    write_launcher,
)
from hestai_tmws.workflows.hook_launcher import fast_hook_python as fast_hook_python

SETTINGS_REL = ".claude/settings.json"
LOCAL_SETTINGS_REL = ".claude/settings.local.json"  # the user's own, not committed
ALLOW_RULE = "mcp__tmws__*"  # pre-approves every tmws tool
MCP_REL = ".mcp.json"
SERVER_NAME = "tmws"
HOOK_MODULE = "hestai_tmws.integrations.claude_hooks"  # the entry written into settings files
SERVER_MODULE = "hestai_tmws.mcpserver"
# Claude Code event → (our event argument, matcher or None, timeout in seconds)
HOOK_EVENTS: tuple[tuple[str, str, str | None, int], ...] = (
    ("SessionStart", "session-start", None, 30),
    ("PreToolUse", "pre-tool-use", "Write|Edit|MultiEdit|NotebookEdit", 10),
    ("PostToolUse", "post-tool-use", "*", 10),
    ("PostToolUseFailure", "post-tool-use-failure", "*", 10),
    ("PreCompact", "pre-compact", None, 30),
    ("SessionEnd", "session-end", None, 60),
)
# every form ours ever took: the plain and `-m` lines, the absolute `-I -c` one, the launcher
_OUR_MARKERS = (HOOK_MODULE, "tmws hook claude", FAST_HOOK_MODULE, LAUNCHER_MARKER)


def _probe(program: str) -> str:
    if "/" in program:
        return f"[ -x {shlex.quote(program)} ]"
    return f"command -v {shlex.quote(program)} >/dev/null 2>&1"


class Launcher(BaseModel):
    """How the settings start tmws: `tmws …` when it is on PATH, else this Python with `-m`.

    `fast_python`, when set, is an interpreter with tmws installed: Claude Code hooks then run
    it as `python -I -c '…fast_hook…' <event>` (no console script, no user site: about a
    bare interpreter's start-up per tool call) through the machine-local launcher
    (`workflows.hook_launcher`), so the committed line names no path; without the launcher
    the line falls back to `tmws hook claude <event>` on PATH.
    """

    hook_prefix: list[str]
    server_command: str
    server_args: list[str]
    fast_python: str | None = None

    @classmethod
    def detect(cls) -> Launcher:
        if shutil.which("tmws"):
            return cls(
                hook_prefix=["tmws", "hook", "claude"],
                server_command="tmws",
                server_args=["serve"],
                fast_python=fast_hook_python(sys.executable),
            )
        return cls.python(sys.executable)

    @classmethod
    def python(cls, executable: str) -> Launcher:
        return cls(
            hook_prefix=[executable, "-m", HOOK_MODULE],
            server_command=executable,
            server_args=["-m", SERVER_MODULE],
            fast_python=fast_hook_python(executable),
        )

    def hook_command(self, event: str) -> str:
        """The hook's shell line: a teammate without tmws gets one line on stderr and exit 0,
        not exit 127 on every tool call (POSIX sh, which Claude Code runs hooks with)."""
        if self.fast_python is not None:
            return committed_command(event)
        program = self.hook_prefix[0]
        run = shlex.join([*self.hook_prefix, event])
        return f"{_probe(program)} && exec {run} || {SKIPPED}"


def _is_ours(hook: Any, markers: tuple[str, ...] = _OUR_MARKERS) -> bool:
    command = hook.get("command") if isinstance(hook, dict) else None
    return isinstance(command, str) and any(marker in command for marker in markers)


def merge_hooks(settings: dict[str, Any], launcher: Launcher) -> dict[str, Any]:
    """`settings` with our hook for each event, replacing earlier versions of ours in place."""
    merged: dict[str, Any] = json.loads(json.dumps(settings))  # a deep copy that keeps key order
    hooks = merged.get("hooks")
    if not isinstance(hooks, dict):
        if hooks is not None:
            raise ValidationError(
                f'"hooks" in {SETTINGS_REL} is not an object',
                hint=f"fix {SETTINGS_REL} by hand first",
            )
        hooks = {}
        merged["hooks"] = hooks
    for claude_event, our_event, matcher, timeout in HOOK_EVENTS:
        ours: dict[str, Any] = {
            "type": "command",
            "command": launcher.hook_command(our_event),
            "timeout": timeout,
        }
        hooks[claude_event] = merge_event(hooks.get(claude_event), ours, matcher)
    return merged


def merge_event(
    groups: Any,
    ours: dict[str, Any],
    matcher: str | None,
    markers: tuple[str, ...] = _OUR_MARKERS,
) -> list[Any]:
    """One event's hook groups with our hook in place of earlier versions of it (or appended).

    The same shape serves Gemini CLI's settings.json; `markers` tell which commands are ours.
    """
    kept_groups: list[Any] = []
    placed = False
    for group in groups if isinstance(groups, list) else []:
        if not isinstance(group, dict) or not isinstance(group.get("hooks"), list):
            kept_groups.append(group)
            continue
        if not any(_is_ours(h, markers) for h in group["hooks"]):
            kept_groups.append(group)
            continue
        new_hooks: list[Any] = []
        for h in group["hooks"]:
            if not _is_ours(h, markers):
                new_hooks.append(h)
            elif not placed:  # the first of ours is updated in place, later copies dropped
                new_hooks.append(ours)
                placed = True
        if not new_hooks:
            continue
        updated = dict(group)
        updated["hooks"] = new_hooks
        if new_hooks == [ours]:  # a group of our own: its matcher is ours too
            updated.pop("matcher", None)
            updated = {**({"matcher": matcher} if matcher is not None else {}), **updated}
        kept_groups.append(updated)
    if not placed:
        group_new: dict[str, Any] = {}
        if matcher is not None:
            group_new["matcher"] = matcher
        group_new["hooks"] = [ours]
        kept_groups.append(group_new)
    return kept_groups


def merge_mcp(config: dict[str, Any], launcher: Launcher) -> dict[str, Any]:
    """`config` with our stdio server under `mcpServers.tmws` (other servers kept)."""
    merged: dict[str, Any] = json.loads(json.dumps(config))
    servers = merged.get("mcpServers")
    if not isinstance(servers, dict):
        if servers is not None:
            raise ValidationError(
                f'"mcpServers" in {MCP_REL} is not an object', hint=f"fix {MCP_REL} first"
            )
        servers = {}
        merged["mcpServers"] = servers
    entry = servers.get(SERVER_NAME)
    ours: dict[str, Any] = dict(entry) if isinstance(entry, dict) else {}
    ours["command"] = launcher.server_command
    ours["args"] = list(launcher.server_args)
    servers[SERVER_NAME] = ours
    return merged


def merge_permissions(settings: dict[str, Any], *, remove: bool = False) -> dict[str, Any]:
    """`settings` with (or without) our rule in `permissions.allow`, other rules kept."""
    permissions = settings.get("permissions")
    if permissions is not None and not isinstance(permissions, dict):
        raise ValidationError(f'"permissions" in {SETTINGS_REL} is not an object')
    permissions = dict(permissions or {})
    allow = [rule for rule in permissions.get("allow") or [] if rule != ALLOW_RULE]
    if not remove:
        allow.append(ALLOW_RULE)
    if allow:
        permissions["allow"] = allow
    else:
        permissions.pop("allow", None)
    if permissions:
        settings["permissions"] = permissions
    else:
        settings.pop("permissions", None)
    return settings


def remove_hooks(
    settings: dict[str, Any], markers: tuple[str, ...] = _OUR_MARKERS
) -> dict[str, Any]:
    """`settings` without any hook of ours (empty groups and events dropped)."""
    hooks = settings.get("hooks")
    if not isinstance(hooks, dict):
        return settings
    for event in list(hooks):
        groups = hooks[event] if isinstance(hooks[event], list) else None
        if groups is None:
            continue
        kept = []
        for group in groups:
            if isinstance(group, dict) and isinstance(group.get("hooks"), list):
                mine = [h for h in group["hooks"] if not _is_ours(h, markers)]
                if not mine:
                    continue
                group = {**group, "hooks": mine}
            kept.append(group)
        if kept:
            hooks[event] = kept
        else:
            del hooks[event]
    if not hooks:
        del settings["hooks"]
    return settings


def remove_mcp(config: dict[str, Any]) -> dict[str, Any]:
    servers = config.get("mcpServers")
    if isinstance(servers, dict) and SERVER_NAME in servers:
        del servers[SERVER_NAME]
        if not servers:
            del config["mcpServers"]
    return config


def integrate_claude_code(
    root: Path,
    *,
    dry_run: bool = False,
    launcher: Launcher | None = None,
    local: bool = False,
    allow_tools: bool = False,
    remove: bool = False,
) -> IntegrationResult:
    """Write (or only show, with `dry_run`; or take out, with `remove`) the Claude Code hooks,
    the MCP server entry and, with `allow_tools`, the permission rule for every tmws tool.

    `local` writes the user's settings.local.json instead of the committed settings.json.
    """
    launch = launcher or Launcher.detect()
    rel = LOCAL_SETTINGS_REL if local else SETTINGS_REL

    def settings_merge(data: dict[str, Any]) -> dict[str, Any]:
        if remove:
            return merge_permissions(remove_hooks(data), remove=True)
        merged = merge_hooks(data, launch)
        return merge_permissions(merged) if allow_tools else merged

    def mcp_merge(data: dict[str, Any]) -> dict[str, Any]:
        return remove_mcp(data) if remove else merge_mcp(data, launch)

    result = IntegrationResult(root=str(root), dry_run=dry_run)
    apply(
        root,
        result,
        [(rel, json_edit(rel, settings_merge)), (MCP_REL, json_edit(MCP_REL, mcp_merge))],
    )
    if dry_run:
        return result
    if remove:
        state = remove_launcher(root)
    elif launch.fast_python is not None:  # probed already: record it as it is
        state = write_launcher(root, launch.fast_python, probe=lambda python: python)
    else:
        return result
    if state.action in ("created", "updated", "removed") and state.path is not None:
        result.notes.append(f"{state.action} hook launcher {state.path} (machine-local)")
    return result
