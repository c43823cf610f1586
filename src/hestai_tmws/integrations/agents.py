"""`tmws integrate codex|gemini|cursor`: register the tmws MCP server in each agent's own
config, and the tmws block in AGENTS.md.

- Codex: `[mcp_servers.tmws]` in the project's `.codex/config.toml` (read by Codex for a
  trusted project), or with `user=True` in `$CODEX_HOME/config.toml` (default ~/.codex).
  The TOML is edited with tomlkit, so the user's comments and layout survive.
- Gemini CLI: `mcpServers.tmws` in `.gemini/settings.json`.
- Cursor: `mcpServers.tmws` in `.cursor/mcp.json`.

Gemini CLI and Cursor also get hooks (`agent_hook_config`) that trace their tool calls into
the open session; `hooks=False` leaves them out. Codex has no tool-call hook we install: its
rollout is read at clock-out (the Codex reader); see docs/integrations/.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import tomlkit
from tomlkit.exceptions import TOMLKitError

from hestai_tmws.errors import UsageError, ValidationError
from hestai_tmws.integrations.agent_hook_config import (
    CURSOR_HOOKS_REL,
    merge_cursor_hooks,
    merge_gemini_hooks,
)
from hestai_tmws.integrations.agents_md import AGENTS_MD, with_block
from hestai_tmws.integrations.claude.settings import SERVER_NAME, Launcher
from hestai_tmws.integrations.files import Edit, IntegrationResult, apply, json_edit

CODEX_REL = ".codex/config.toml"
GEMINI_REL = ".gemini/settings.json"
CURSOR_REL = ".cursor/mcp.json"
AGENTS = ("codex", "gemini", "cursor")


def _server(launcher: Launcher, *, project_arg: str | None = None) -> dict[str, Any]:
    """The stdio server entry; no absolute project path, so a committed file suits the team
    (the agents start their servers in the project; Cursor is told `${workspaceFolder}`)."""
    args = [*launcher.server_args]
    if project_arg is not None:
        args += ["--project", project_arg] if args == ["serve"] else [project_arg]
    return {"command": launcher.server_command, "args": args}


def mcp_servers_edit(
    rel: str,
    entry: dict[str, Any] | None,
    then: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
) -> Edit:
    """Set (or, with None, remove) `mcpServers.tmws` in a JSON config, keeping the rest;
    `then` changes more of the same file (Gemini's hooks)."""

    def merge(data: dict[str, Any]) -> dict[str, Any]:
        servers = data.get("mcpServers")
        if servers is not None and not isinstance(servers, dict):
            raise ValidationError(f'"mcpServers" in {rel} is not an object', hint=f"fix {rel}")
        servers = dict(servers or {})
        if entry is None:
            servers.pop(SERVER_NAME, None)
        else:
            servers[SERVER_NAME] = {**servers.get(SERVER_NAME, {}), **entry}
        if servers:
            data["mcpServers"] = servers
        else:
            data.pop("mcpServers", None)
        return then(data) if then is not None else data

    return json_edit(rel, merge)


def codex_edit(rel: str, entry: dict[str, Any] | None) -> Edit:
    """Set (or remove) `[mcp_servers.tmws]` in a Codex config.toml, comments kept."""

    def edit(text: str | None) -> str | None:
        try:
            doc = tomlkit.parse(text or "")
        except TOMLKitError as exc:
            raise ValidationError(
                f"{rel} is not valid TOML ({exc}); tmws will not overwrite it",
                hint=f"fix {rel} by hand first",
            ) from exc
        servers = doc.get("mcp_servers")
        if entry is None:
            if servers is None or SERVER_NAME not in servers:
                return text
            del servers[SERVER_NAME]
            if not servers:
                del doc["mcp_servers"]
            out = tomlkit.dumps(doc).rstrip("\n")  # without the blank line added with ours
            return out + "\n" if out.strip() else None
        table = tomlkit.table()
        for key, value in entry.items():
            table[key] = value
        if servers is None:
            servers = tomlkit.table(is_super_table=True)
            doc["mcp_servers"] = servers
        current = servers.get(SERVER_NAME)
        if current is not None and current.unwrap() == entry:
            return text  # byte-identical: nothing to do
        servers[SERVER_NAME] = table
        return tomlkit.dumps(doc)

    return edit


def codex_home() -> Path:
    return Path(os.environ.get("CODEX_HOME") or Path.home() / ".codex")


def integrate_agent(
    agent: str,
    root: Path,
    *,
    dry_run: bool = False,
    remove: bool = False,
    user: bool = False,
    launcher: Launcher | None = None,
    hooks: bool = True,
) -> IntegrationResult:
    """Register (or `remove`) tmws for `agent` in its config and in AGENTS.md, with the
    agent's hooks unless `hooks` is False (a removal always takes ours out)."""
    if agent not in AGENTS:
        raise UsageError(f"unknown agent {agent!r}", hint="one of: " + ", ".join(AGENTS))
    launch = launcher or Launcher.detect()
    entry = None if remove else _server(launch)
    cursor_entry = None if remove else _server(launch, project_arg="${workspaceFolder}")

    def gemini_hooks(data: dict[str, Any]) -> dict[str, Any]:
        if not hooks and not remove:
            return data
        return merge_gemini_hooks(data, launch, GEMINI_REL, remove=remove)

    edits: dict[str, Callable[[], tuple[Path, str, Edit]]] = {
        "codex": lambda: (
            (codex_home(), "config.toml", codex_edit(CODEX_REL, entry))
            if user
            else (root, CODEX_REL, codex_edit(CODEX_REL, entry))
        ),
        "gemini": lambda: (root, GEMINI_REL, mcp_servers_edit(GEMINI_REL, entry, gemini_hooks)),
        "cursor": lambda: (root, CURSOR_REL, mcp_servers_edit(CURSOR_REL, cursor_entry)),
    }
    base, rel, config_edit = edits[agent]()
    result = IntegrationResult(root=str(root), dry_run=dry_run, agent=agent)
    apply(base, result, [(rel, config_edit)])
    if agent == "cursor" and (hooks or remove):
        cursor_hooks = json_edit(
            CURSOR_HOOKS_REL, lambda data: merge_cursor_hooks(data, launch, remove=remove)
        )
        apply(root, result, [(CURSOR_HOOKS_REL, cursor_hooks)])
    apply(root, result, [(AGENTS_MD, lambda text: with_block(text, remove=remove))])
    return result
