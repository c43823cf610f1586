"""The PostToolUse hook: a trace of each of Claude's own tool calls, in its open session.

It runs after every tool call of the agent, so the common case takes a standard-library-only
fast path (no pydantic, no gitpython); anything unusual falls back to the full path through
the session store and `record_trace`, which decide the same way (`sessions.lookup`).
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from hestai_tmws.gitio import find_work_tree
from hestai_tmws.integrations.claude.payload import (
    MCP_TOOL_PREFIX,
    HookOutcome,
    hook_project,
    payload_str,
    project_dir,
)
from hestai_tmws.integrations.claude.tool_summary import claude_tool_summary, tool_response_error
from hestai_tmws.sessions.lookup import SESSION_FILE, for_agent, is_session_id
from hestai_tmws.sessions.trace_log import stored_summary
from hestai_tmws.sessions.trace_text import TRACES_FILE, digest_args
from hestai_tmws.steward.atomic import append_line

SOURCE = "claude-code"


def handle_post_tool_use(
    payload: dict[str, Any],
    environ: Mapping[str, str],
    *,
    failed: bool = False,
    source: str = SOURCE,
    summary: str | None = None,
) -> HookOutcome:
    """Append a trace of the agent's own tool call to its session (nothing when there is none).

    Other agents' hooks (`integrations.agent_hooks`) come here with a Claude-shaped payload,
    their `source` and, for tools Claude does not have, the `summary` they made.
    """
    tool = payload_str(payload, "tool_name")
    if tool is None:
        return HookOutcome(stderr="tmws: post-tool-use without tool_name; nothing recorded\n")
    if tool.startswith(MCP_TOOL_PREFIX):
        return HookOutcome()  # our own MCP server traces these calls itself: never twice
    if fast_post_tool_use(payload, environ, tool, failed=failed, source=source, summary=summary):
        return HookOutcome()
    fields = _trace_fields(payload, tool, failed=failed, source=source, summary=summary)
    return _full_post_tool_use(payload, environ, fields)


def _full_post_tool_use(
    payload: dict[str, Any], environ: Mapping[str, str], fields: dict[str, Any]
) -> HookOutcome:
    """The path through the session store (pydantic), when the fast path stepped aside."""
    from hestai_tmws.sessions.store import session_for_agent  # lazy: pydantic, rare path
    from hestai_tmws.sessions.traces import TraceRecord, record_trace  # lazy: pydantic, rare path

    project = hook_project(payload, environ)
    session = session_for_agent(project, payload_str(payload, "session_id"))
    if session is None:
        return HookOutcome()
    record = TraceRecord(**fields, session_id=session.id)
    if not record_trace(project, session.id, record):
        tool = fields["tool"]
        return HookOutcome(stderr=f"tmws: could not record {tool} in session {session.id8}\n")
    return HookOutcome()


def _trace_fields(
    payload: Mapping[str, Any],
    tool: str,
    *,
    failed: bool,
    source: str = SOURCE,
    summary: str | None = None,
) -> dict[str, Any]:
    """What a trace of this tool call says (the summary as given, before the log bounds it)."""
    tool_input = payload.get("tool_input")
    error_class = "ToolFailure" if failed else tool_response_error(payload.get("tool_response"))
    duration = payload.get("duration_ms")
    return {
        "tool": tool,
        "args_digest": digest_args(tool_input if tool_input is not None else {}, thorough=False),
        "summary": (
            summary
            if summary is not None
            else claude_tool_summary(tool, tool_input, payload_str(payload, "cwd"))
        ),
        "ok": error_class is None,
        "error_class": error_class,
        "duration_ms": float(duration) if isinstance(duration, int | float) else None,
        "source": source,
    }


def _fast_session_dir(payload: Mapping[str, Any], environ: Mapping[str, str]) -> Path | None:
    """The folder of the one open session this hook is for, read without pydantic.

    None (take the full path) at anything unusual: a link in the way, two candidates.
    Unreadable session records raise (OSError, ValueError, KeyError): the caller steps aside.
    """
    located = find_work_tree(Path(project_dir(payload, environ)).resolve())
    if located is None:
        return None
    root = located[0]
    folders = (
        root / ".hestai",
        root / ".hestai" / "sessions",
        root / ".hestai" / "sessions" / "active",
    )
    if any(f.is_symlink() for f in folders) or not folders[-1].is_dir():
        return None
    sessions: list[tuple[str, Any]] = []
    for folder in folders[-1].iterdir():
        if folder.is_symlink() or not (folder / SESSION_FILE).is_file():
            continue
        data = json.loads((folder / SESSION_FILE).read_text(encoding="utf-8"))
        sessions.append((str(data["id"]), data.get("claude_session_id")))
    candidates = for_agent(sessions, payload_str(payload, "session_id"), lambda s: s[1])
    if len(candidates) != 1 or not is_session_id(candidates[0][0]):
        return None
    return folders[-1] / candidates[0][0]


def fast_post_tool_use(
    payload: dict[str, Any],
    environ: Mapping[str, str],
    tool: str,
    *,
    failed: bool,
    source: str = SOURCE,
    summary: str | None = None,
) -> bool:
    """Record the trace with the standard library only; False means "take the full path".

    It follows `store.session_for_agent`'s rule (`sessions.lookup.for_agent`), and gives up
    (the full path then decides) at anything unusual.
    """
    try:
        folder = _fast_session_dir(payload, environ)
        if folder is None:
            return False
        fields = _trace_fields(payload, tool, failed=failed, source=source, summary=summary)
        record = {
            **fields,
            "summary": stored_summary(fields["summary"]),
            "ts": time.time(),
            "session_id": folder.name,
        }
        append_line(folder / TRACES_FILE, json.dumps(record, ensure_ascii=False))
        return True
    except (OSError, ValueError, KeyError, TypeError):
        return False
