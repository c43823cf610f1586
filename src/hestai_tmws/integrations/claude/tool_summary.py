"""One line about a Claude Code tool call, and whether it failed, from the hook's payload.

Only `os`: the PostToolUse fast path (`fast_hook`) describes every tool call with it, in a
process that must not pay for `typing` or `re` (so `clip_line` is `trace_text`'s, restated;
tests hold the two equal).
"""

from __future__ import annotations

import os

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_SUMMARY_CHARS = 160


def clip_line(text: str, limit: int) -> str:
    """`text` on one line, at most `limit` characters (`trace_text.clip_line`)."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _path(tool_input: dict[str, Any], key: str, cwd: str | None) -> str:
    """A path argument, relative to the session's folder when it lies inside it."""
    value = tool_input.get(key)
    if not isinstance(value, str):
        return ""
    if cwd and os.path.isabs(value):
        try:
            rel = os.path.relpath(value, cwd)
            if not rel.startswith(".."):
                return rel
        except ValueError:
            pass
    return value


def claude_tool_summary(tool: str, tool_input: Any, cwd: str | None) -> str:
    """A one-line description of a Claude Code tool call (redacted later by record_trace)."""
    if not isinstance(tool_input, dict):
        return ""
    if tool == "Bash":
        command = tool_input.get("command")
        return clip_line(command, _SUMMARY_CHARS) if isinstance(command, str) else ""
    if tool in ("Read", "Write", "Edit", "MultiEdit"):
        return _path(tool_input, "file_path", cwd)
    if tool == "NotebookEdit":
        return _path(tool_input, "notebook_path", cwd)
    if tool in ("Grep", "Glob"):
        pattern = tool_input.get("pattern")
        where = _path(tool_input, "path", cwd)
        return clip_line(f"{pattern}" + (f" in {where}" if where else ""), _SUMMARY_CHARS)
    if tool == "Task":
        task = tool_input.get("subagent_type") or tool_input.get("description") or ""
        return clip_line(str(task), _SUMMARY_CHARS)
    if tool == "WebFetch":
        return clip_line(str(tool_input.get("url") or ""), _SUMMARY_CHARS)
    if tool == "WebSearch":
        return clip_line(str(tool_input.get("query") or ""), _SUMMARY_CHARS)
    keys = ",".join(sorted(str(k) for k in tool_input)[:8])
    return f"args: {keys}" if keys else ""


def tool_response_error(response: Any) -> str | None:
    """The error class of a failed tool call, from the PostToolUse `tool_response`, if it failed."""
    if isinstance(response, dict):
        if response.get("is_error") is True or response.get("isError") is True:
            return "ToolError"
        if response.get("interrupted") is True:
            return "Interrupted"
        error = response.get("error")
        if isinstance(error, str) and error:
            return "ToolError"
        if response.get("success") is False:
            return "ToolError"
    return None
