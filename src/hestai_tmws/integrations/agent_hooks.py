"""Gemini CLI and Cursor hook handlers: `tmws hook gemini|cursor <event>`, JSON on stdin.

The python launcher runs `python -m hestai_tmws.integrations.agent_hooks <agent> <event>`.
Each payload is turned into the Claude Code hook's shape and handed to the same handlers, so
tool calls take the same standard-library fast path into the agent's open session. Both
agents read stdout as JSON (Gemini CLI treats any other text as a message), so stdout is
always one JSON object; notes go to stderr and the exit code stays 0: a tmws failure never
blocks the agent.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Mapping
from typing import Any

from hestai_tmws.integrations.claude.guard import MCP_PREFIX, deny_reason, protected_target
from hestai_tmws.integrations.claude.hooks import dispatch as claude_dispatch
from hestai_tmws.integrations.claude.hooks import handle_post_tool_use, read_stdin
from hestai_tmws.integrations.claude.hooks import main as claude_main
from hestai_tmws.integrations.claude.payload import HookOutcome, parse_payload, payload_str
from hestai_tmws.sessions.trace_text import clip_line

AGENTS = ("gemini", "cursor")
GEMINI_MCP_PREFIX = "mcp_tmws_"  # Gemini names MCP tools mcp_<server>_<tool>
GEMINI_WRITE_TOOLS = {"write_file": "file_path", "replace": "file_path"}  # BeforeTool guards
_SUMMARY_CHARS = 160
# Gemini CLI's built-in tools → the argument a trace line shows
_GEMINI_SUMMARY_KEYS = {
    "run_shell_command": "command",
    "read_file": "absolute_path",
    "write_file": "file_path",
    "replace": "file_path",
    "read_many_files": "paths",
    "glob": "pattern",
    "search_file_content": "pattern",
    "grep_search": "pattern",
    "list_directory": "path",
    "web_fetch": "prompt",
    "google_web_search": "query",
}


def _arg_summary(tool_input: Any, key: str | None) -> str | None:
    """One argument of the call as a line (None: let the Claude summary decide)."""
    if not isinstance(tool_input, dict) or key is None:
        return None
    value = tool_input.get(key)
    if value is None and key == "absolute_path":
        value = tool_input.get("file_path")
    if isinstance(value, list):
        value = " ".join(str(v) for v in value)
    return clip_line(str(value), _SUMMARY_CHARS) if value is not None else None


def _failed_gemini(response: Any) -> bool:
    """Gemini's AfterTool `tool_response` carries `error` when the call failed."""
    return isinstance(response, dict) and bool(response.get("error"))


def _post_tool_use(
    payload: dict[str, Any],
    environ: Mapping[str, str],
    *,
    source: str,
    failed: bool,
    summary: str | None,
) -> HookOutcome:
    return handle_post_tool_use(payload, environ, failed=failed, source=source, summary=summary)


def gemini_after_tool(payload: dict[str, Any], environ: Mapping[str, str]) -> HookOutcome:
    """Trace one of Gemini's tool calls (our own MCP tools are traced by the server)."""
    tool = payload_str(payload, "tool_name")
    if tool is not None and tool.startswith(GEMINI_MCP_PREFIX):
        return HookOutcome()
    summary = _arg_summary(payload.get("tool_input"), _GEMINI_SUMMARY_KEYS.get(tool or ""))
    failed = _failed_gemini(payload.get("tool_response"))
    return _post_tool_use(payload, environ, source="gemini", failed=failed, summary=summary)


def gemini_before_tool(payload: dict[str, Any], environ: Mapping[str, str]) -> HookOutcome:
    """Refuse Gemini's direct writes into `.hestai/` and `.hestai-sys/`, as the Claude guard
    does (Gemini sends the reason to the agent as the tool's error)."""
    key = GEMINI_WRITE_TOOLS.get(payload_str(payload, "tool_name") or "")
    tool_input = payload.get("tool_input")
    target = tool_input.get(key) if key and isinstance(tool_input, dict) else None
    if not isinstance(target, str) or not target:
        return HookOutcome()
    hit = protected_target(target, payload_str(payload, "cwd"))
    if hit is None:
        return HookOutcome()
    reason = deny_reason(hit, target).replace(MCP_PREFIX, "")  # Gemini names tools its own way
    return HookOutcome(stdout=json.dumps({"decision": "deny", "reason": reason}) + "\n")


def gemini_session_start(payload: dict[str, Any], environ: Mapping[str, str]) -> HookOutcome:
    """Clock in as the Claude hook does; the primer becomes Gemini's additional context."""
    outcome = claude_dispatch("session-start", payload, environ)
    if not outcome.stdout:
        return outcome
    context = {"hookSpecificOutput": {"additionalContext": outcome.stdout}}
    return HookOutcome(stdout=json.dumps(context, ensure_ascii=False) + "\n", stderr=outcome.stderr)


def gemini_session_end(payload: dict[str, Any], environ: Mapping[str, str]) -> HookOutcome:
    """Clock out this Gemini session; its transcript (`transcript_path`) is read as Gemini's."""
    return claude_dispatch("session-end", payload, environ)


def cursor_payload(payload: dict[str, Any]) -> dict[str, Any]:
    """Cursor's fields under the Claude hook's names: its conversation is the agent session,
    its first workspace root the project."""
    shaped = dict(payload)
    roots = payload.get("workspace_roots")
    if not payload_str(payload, "cwd") and isinstance(roots, list) and roots:
        shaped["cwd"] = str(roots[0])
    conversation = payload_str(payload, "conversation_id")
    if conversation and not payload_str(payload, "session_id"):
        shaped["session_id"] = conversation
    duration = payload.get("duration")
    if isinstance(duration, int | float) and "duration_ms" not in payload:
        shaped["duration_ms"] = duration
    return shaped


def cursor_after_shell(payload: dict[str, Any], environ: Mapping[str, str]) -> HookOutcome:
    shaped = cursor_payload(payload)
    command = payload_str(payload, "command") or ""
    shaped.update(tool_name="Shell", tool_input={"command": command})
    summary = clip_line(command, _SUMMARY_CHARS)
    return _post_tool_use(shaped, environ, source="cursor", failed=False, summary=summary)


def cursor_after_file_edit(payload: dict[str, Any], environ: Mapping[str, str]) -> HookOutcome:
    shaped = cursor_payload(payload)
    path = payload_str(payload, "file_path") or ""
    edits = payload.get("edits")
    shaped.update(
        tool_name="Edit",
        tool_input={"file_path": path, "edits": len(edits) if isinstance(edits, list) else 0},
    )
    summary = _relative(path, payload_str(shaped, "cwd"))
    return _post_tool_use(shaped, environ, source="cursor", failed=False, summary=summary)


def _relative(path: str, cwd: str | None) -> str:
    if cwd and os.path.isabs(path):
        rel = os.path.relpath(path, cwd)
        if not rel.startswith(".."):
            return rel
    return path


Handler = Callable[[dict[str, Any], Mapping[str, str]], HookOutcome]
HANDLERS: dict[str, dict[str, Handler]] = {
    "gemini": {
        "session-start": gemini_session_start,
        "before-tool": gemini_before_tool,
        "after-tool": gemini_after_tool,
        "session-end": gemini_session_end,
    },
    "cursor": {
        "after-shell-execution": cursor_after_shell,
        "after-file-edit": cursor_after_file_edit,
    },
}


def _event_key(name: str) -> str:
    """`AfterTool`, `afterShellExecution`, `after_tool` → `after-tool`, `after-shell-execution`."""
    out: list[str] = []
    for i, char in enumerate(name.strip()):
        if char.isupper() and i and out[-1] != "-":
            out.append("-")
        out.append("-" if char == "_" else char.lower())
    return "".join(out)


def dispatch(
    agent: str, event: str | None, payload: dict[str, Any], environ: Mapping[str, str]
) -> HookOutcome:
    """Run one handler; stdout is always a JSON object, failures a note on stderr, exit 0."""
    handlers = HANDLERS.get(agent)
    name = _event_key(event or payload_str(payload, "hook_event_name") or "")
    handler = handlers.get(name) if handlers is not None else None
    if handler is None:
        outcome = HookOutcome(stderr=f"tmws: no {agent} hook {event!r}; ignored\n")
    else:
        try:
            outcome = handler(payload, environ)
        except Exception as exc:  # never block the agent because tmws failed
            message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
            outcome = HookOutcome(stderr=f"tmws {agent} {name}: {message}\n")
    if not outcome.stdout.strip():
        outcome.stdout = "{}\n"
    return outcome


def run(agent: str, event: str | None, raw: str | bytes, environ: Mapping[str, str]) -> HookOutcome:
    return dispatch(agent, event, parse_payload(raw), environ)


def main(argv: list[str] | None = None) -> int:
    """`<agent> <event>`; `claude <event>` is the Claude Code hook's own entry, so `tmws hook …`
    has one shortcut for every agent."""
    args = sys.argv[1:] if argv is None else argv
    agent = args[0] if args else ""
    if agent == "claude":
        return claude_main(args[1:])
    outcome = run(agent, args[1] if len(args) > 1 else None, read_stdin(), os.environ)
    sys.stdout.write(outcome.stdout)
    sys.stdout.flush()
    if outcome.stderr:
        sys.stderr.write(outcome.stderr)
    return outcome.exit_code


if __name__ == "__main__":
    sys.exit(main())
