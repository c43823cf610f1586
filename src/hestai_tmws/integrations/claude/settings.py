"""`tmws integrate claude-code`: merge our hooks into `.claude/settings.json` and our server
into `.mcp.json`, keeping everything else the user has there.

Our entries are recognised by their command, so a second run replaces them in place (the
result is byte-identical: idempotent) and never duplicates them. Both files are outside
`.hestai/`, so they are written with a plain atomic replace, not through the Steward.
"""

from __future__ import annotations

import difflib
import json
import shlex
import shutil
import sys
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from hestai_tmws.errors import ValidationError
from hestai_tmws.steward.atomic import atomic_write_bytes

SETTINGS_REL = ".claude/settings.json"
MCP_REL = ".mcp.json"
SERVER_NAME = "tmws"
HOOK_MODULE = "hestai_tmws.integrations.claude_hooks"  # the entry written into settings files
SERVER_MODULE = "hestai_tmws.mcpserver"
# Claude Code event → (our event argument, matcher or None, timeout in seconds)
HOOK_EVENTS: tuple[tuple[str, str, str | None, int], ...] = (
    ("SessionStart", "session-start", None, 30),
    ("PreToolUse", "pre-tool-use", "Write|Edit|MultiEdit|NotebookEdit", 10),
    ("PostToolUse", "post-tool-use", "*", 10),
    ("SessionEnd", "session-end", None, 60),
)
_OUR_MARKERS = (HOOK_MODULE, "tmws hook claude")


class Launcher(BaseModel):
    """How the settings start tmws: `tmws …` when it is on PATH, else this Python with `-m`."""

    hook_prefix: list[str]
    server_command: str
    server_args: list[str]

    @classmethod
    def detect(cls) -> Launcher:
        if shutil.which("tmws"):
            return cls(
                hook_prefix=["tmws", "hook", "claude"], server_command="tmws", server_args=["serve"]
            )
        return cls.python(sys.executable)

    @classmethod
    def python(cls, executable: str) -> Launcher:
        return cls(
            hook_prefix=[executable, "-m", HOOK_MODULE],
            server_command=executable,
            server_args=["-m", SERVER_MODULE],
        )

    def hook_command(self, event: str) -> str:
        return shlex.join([*self.hook_prefix, event])


class FileChange(BaseModel):
    path: str  # relative to the project root
    changed: bool
    created: bool
    diff: str = ""


class IntegrationResult(BaseModel):
    """What `integrate claude-code` changed (or would change, with --dry-run)."""

    root: str
    dry_run: bool
    files: list[FileChange] = Field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(f.changed for f in self.files)

    def diff(self) -> str:
        return "".join(f.diff for f in self.files)


def _is_ours(hook: Any) -> bool:
    command = hook.get("command") if isinstance(hook, dict) else None
    return isinstance(command, str) and any(marker in command for marker in _OUR_MARKERS)


def _load_json(path: Path, rel: str) -> tuple[dict[str, Any], str | None]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}, None
    if not text.strip():
        return {}, text
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise ValidationError(
            f"{rel} is not valid JSON ({exc}); tmws will not overwrite it",
            hint=f"fix {rel} by hand, or move it away, and run the command again",
        ) from exc
    if not isinstance(data, dict):
        raise ValidationError(f"{rel} must hold a JSON object", hint=f"fix {rel} by hand first")
    return data, text


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
        hooks[claude_event] = _merge_event(hooks.get(claude_event), ours, matcher)
    return merged


def _merge_event(groups: Any, ours: dict[str, Any], matcher: str | None) -> list[Any]:
    """One event's hook groups with our hook in place of earlier versions of it (or appended)."""
    kept_groups: list[Any] = []
    placed = False
    for group in groups if isinstance(groups, list) else []:
        if not isinstance(group, dict) or not isinstance(group.get("hooks"), list):
            kept_groups.append(group)
            continue
        if not any(_is_ours(h) for h in group["hooks"]):
            kept_groups.append(group)
            continue
        new_hooks: list[Any] = []
        for h in group["hooks"]:
            if not _is_ours(h):
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


def _render(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _plan_file(root: Path, rel: str, merge: Any) -> tuple[FileChange, str]:
    path = root / rel
    current, old_text = _load_json(path, rel)
    new_text = _render(merge(current))
    changed = new_text != old_text
    diff = ""
    if changed:
        diff = "".join(
            difflib.unified_diff(
                (old_text or "").splitlines(keepends=True),
                new_text.splitlines(keepends=True),
                fromfile=f"a/{rel}" if old_text is not None else "/dev/null",
                tofile=f"b/{rel}",
            )
        )
    return FileChange(path=rel, changed=changed, created=old_text is None, diff=diff), new_text


def integrate_claude_code(
    root: Path, *, dry_run: bool = False, launcher: Launcher | None = None
) -> IntegrationResult:
    """Write (or, with `dry_run`, only show) the hooks and MCP server entries for Claude Code."""
    launch = launcher or Launcher.detect()
    result = IntegrationResult(root=str(root), dry_run=dry_run)
    planned = [
        _plan_file(root, SETTINGS_REL, lambda data: merge_hooks(data, launch)),
        _plan_file(root, MCP_REL, lambda data: merge_mcp(data, launch)),
    ]
    for change, text in planned:
        result.files.append(change)
        if change.changed and not dry_run:
            target = root / change.path
            if target.is_symlink():
                raise ValidationError(
                    f"{change.path} is a symbolic link; tmws does not write through links",
                    hint="replace the link with a file, or add the entries by hand",
                )
            target.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(target, text.encode("utf-8"))
    return result
