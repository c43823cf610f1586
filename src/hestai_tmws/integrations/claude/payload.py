"""What every Claude Code hook shares: its event names, its JSON payload, its outcome.

Standard library only: each hook is a fresh Python process (one per tool call), and the
PreToolUse path must load no tmws service at all.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hestai_tmws.project import Project

ENV_ROLE = "TMWS_ROLE"
ENV_PROJECT = "TMWS_PROJECT"
ENV_CLAUDE_PROJECT = "CLAUDE_PROJECT_DIR"
MCP_TOOL_PREFIX = "mcp__tmws__"

EVENT_ALIASES = {
    "session-start": "session-start",
    "sessionstart": "session-start",
    "pre-tool-use": "pre-tool-use",
    "pretooluse": "pre-tool-use",
    "post-tool-use": "post-tool-use",
    "posttooluse": "post-tool-use",
    "post-tool-use-failure": "post-tool-use-failure",
    "posttoolusefailure": "post-tool-use-failure",
    "pre-compact": "pre-compact",
    "precompact": "pre-compact",
    "session-end": "session-end",
    "sessionend": "session-end",
}


@dataclass
class HookOutcome:
    """What the hook process prints and how it exits."""

    stdout: str = ""
    stderr: str = ""
    exit_code: int = 0


def normalise_event(name: str) -> str | None:
    key = name.strip().lower().replace("_", "-")
    return EVENT_ALIASES.get(key) or EVENT_ALIASES.get(key.replace("-", ""))


def parse_payload(raw: str | bytes) -> dict[str, Any]:
    """The hook's JSON object; anything else (garbage, a list, nothing) is an empty payload."""
    if isinstance(raw, bytes):
        raw = raw.decode("utf-8", "replace")
    try:
        data = json.loads(raw) if raw.strip() else {}
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def payload_str(payload: Mapping[str, Any], key: str) -> str | None:
    """A non-empty string field of the payload, else None."""
    value = payload.get(key)
    return value if isinstance(value, str) and value else None


def project_dir(payload: Mapping[str, Any], environ: Mapping[str, str]) -> str:
    """$TMWS_PROJECT, else $CLAUDE_PROJECT_DIR, else the hook's `cwd`, else the current folder."""
    return (
        environ.get(ENV_PROJECT)
        or environ.get(ENV_CLAUDE_PROJECT)
        or payload_str(payload, "cwd")
        or os.getcwd()
    )


def hook_project(payload: Mapping[str, Any], environ: Mapping[str, str]) -> Project:
    """The project the hook is about (for the handlers that call tmws services)."""
    from hestai_tmws.project import Project  # lazy: hooks start without the service stack

    return Project.discover(project_dir(payload, environ))
