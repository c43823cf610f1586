"""The PreToolUse rule: Claude Code's file tools may not write into `.hestai/` or `.hestai-sys/`.

Pure path logic with only the standard library, because it runs before every edit the agent
makes. A path is refused when it lies inside a protected folder either as written (after
`..` is normalised against the hook's `cwd`) or after following symbolic links.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False  # `typing` and `dataclasses` cost more than this whole check
if TYPE_CHECKING:
    from typing import Any

HESTAI = ".hestai"
HESTAI_SYS = ".hestai-sys"
PROTECTED = (HESTAI, HESTAI_SYS)
GUARDED_TOOLS = {
    "Write": "file_path",
    "Edit": "file_path",
    "MultiEdit": "file_path",
    "NotebookEdit": "notebook_path",
}
MCP_PREFIX = "mcp__tmws__"


class ProtectedHit:
    """Which protected folder a path falls in, and the path inside it (POSIX); a value."""

    __slots__ = ("folder", "inner")

    def __init__(self, folder: str, inner: str) -> None:
        self.folder = folder  # ".hestai" or ".hestai-sys"
        self.inner = inner

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ProtectedHit):
            return NotImplemented
        return (self.folder, self.inner) == (other.folder, other.inner)

    def __hash__(self) -> int:
        return hash((self.folder, self.inner))

    def __repr__(self) -> str:
        return f"ProtectedHit(folder={self.folder!r}, inner={self.inner!r})"


def _find_protected(path: str) -> ProtectedHit | None:
    parts = [p for p in path.replace("\\", "/").split("/") if p]
    for index, part in enumerate(parts):
        folded = part.casefold()
        for name in PROTECTED:
            if folded == name:
                return ProtectedHit(name, "/".join(parts[index + 1 :]))
    return None


def protected_target(path_text: str, cwd: str | None = None) -> ProtectedHit | None:
    """The protected folder `path_text` writes into, if any (relative paths against `cwd`)."""
    if not path_text:
        return None
    expanded = os.path.expanduser(path_text)
    if not os.path.isabs(expanded):
        expanded = os.path.join(cwd or os.getcwd(), expanded)
    literal = os.path.normpath(expanded)
    hit = _find_protected(literal)
    if hit is not None:
        return hit
    try:
        real = os.path.realpath(literal)
    except (OSError, ValueError):
        return None
    return _find_protected(real)


def suggested_tool(hit: ProtectedHit) -> str:
    """The sentence that tells the agent which tmws tool does this write properly."""
    if hit.folder == HESTAI_SYS:
        return (
            "governance in .hestai-sys/ is read-only: it is injected from the governance hub "
            "(`tmws inject`) and healed when changed. Read it through the hestai-sys:// MCP "
            "resources; change rules in the hub, not in the project"
        )
    inner = hit.inner
    if inner.startswith("workflow/000-"):
        return (
            "the north star changes only through the MCP tool "
            f"`{MCP_PREFIX}document_submit` (doc_type north-star) with an approved decision"
        )
    if inner.startswith("context/"):
        tool, what = "context_update", "context documents"
    elif inner.startswith("sessions/"):
        tool, what = "clock_out", "session records and archives"
    elif inner.startswith("learning/") or inner.startswith("learnings-index"):
        tool, what = "the `tmws learn` commands", "learning records"
        return f"{what} are written by {tool}"
    else:
        tool, what = "document_submit", "decisions, reports and other documents"
    return f"{what} are written with the MCP tool `{MCP_PREFIX}{tool}` (or the `tmws` CLI)"


def deny_reason(hit: ProtectedHit, shown_path: str) -> str:
    where = f"{hit.folder}/{hit.inner}" if hit.inner else hit.folder + "/"
    what = (
        "read-only governance"
        if hit.folder == HESTAI_SYS
        else "project memory that only the System Steward writes"
    )
    return (
        f"hestai-tmws: {where} is {what}, so {shown_path!r} cannot be edited directly; "
        f"{suggested_tool(hit)}."
    )


def pre_tool_use_decision(payload: dict[str, Any]) -> dict[str, Any] | None:
    """The JSON to print for a PreToolUse event: a deny decision, or None to stay silent."""
    tool = payload.get("tool_name")
    if not isinstance(tool, str) or tool not in GUARDED_TOOLS:
        return None
    tool_input = payload.get("tool_input")
    if not isinstance(tool_input, dict):
        return None
    target = tool_input.get(GUARDED_TOOLS[tool])
    if not isinstance(target, str) or not target:
        return None
    cwd = payload.get("cwd")
    hit = protected_target(target, cwd if isinstance(cwd, str) and cwd else None)
    if hit is None:
        return None
    return {
        "hookSpecificOutput": {
            "hookEventName": "PreToolUse",
            "permissionDecision": "deny",
            "permissionDecisionReason": deny_reason(hit, target),
        }
    }
