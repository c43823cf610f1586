"""Strict, compatible tool contracts: what arrives is checked before any tool runs.

The SDK silently drops arguments it does not know (`sumary`: the summary is lost) and turns
validation failures into pydantic dumps that echo the input. Here unknown arguments are
refused with the allowed names, HestAI-MCP's names are accepted as documented aliases,
oversized calls are refused without echoing them, and error texts name tools and arguments
(not CLI flags). Results are sent once, as compact JSON text.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable, Mapping
from typing import Any

import pydantic
from mcp.server import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.shared.exceptions import MCPError
from mcp.types import INVALID_PARAMS, CallToolResult, TextContent

MAX_ARGUMENT_CHARS = 1_048_576  # a whole call's arguments as JSON (a document is ≤ 256 KiB)

# HestAI-MCP's argument names, accepted so that its agents' prompts keep working
ALIASES: dict[str, dict[str, str]] = {
    "clock_out": {"description": "summary"},
}
# accepted by every tool: the folder the agent works in (HestAI-MCP passes it everywhere)
COMMON = frozenset({"working_dir"})

_WORDING: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"`?tmws clock-in`?"), "the clock_in tool"),
    (re.compile(r"`?tmws clock-out`?"), "the clock_out tool"),
    (re.compile(r"`?tmws doc submit ([a-z-]+)`?"), r"document_submit (doc_type \1)"),
    (re.compile(r"`tmws sessions` lists (the open sessions|them)"), "use the id clock_in returned"),
    (re.compile(r"--session( ID)?\b"), "the session_id argument"),
    (re.compile(r"--transcript( PATH)?\b"), "the transcript_path argument"),
    (re.compile(r"--force\b"), "force=true"),
    (re.compile(r"--([a-z][a-z-]*)(?: [A-Z]+)?"), "the \\1 argument"),
)


def mcp_wording(text: str) -> str:
    """A core service's message in the words of the MCP surface (tools, argument names)."""
    for pattern, replacement in _WORDING:
        text = pattern.sub(replacement, text)
    return re.sub(r"the ([a-z]+)-([a-z]+) argument", r"the \1_\2 argument", text)


def check_arguments(
    tool: str, schema: Mapping[str, Any], arguments: dict[str, Any]
) -> dict[str, Any]:
    """`arguments` with aliases resolved; ToolError for unknown or oversized arguments."""
    size = len(json.dumps(arguments, default=str))
    if size > MAX_ARGUMENT_CHARS:
        raise ToolError(
            f"{tool}: the arguments are {size:,} characters; the limit is {MAX_ARGUMENT_CHARS:,}"
            " (split the content into several documents)"
        )
    allowed = set(schema.get("properties") or ())
    aliases = ALIASES.get(tool, {})
    out: dict[str, Any] = {}
    unknown: list[str] = []
    for key, value in arguments.items():
        name = aliases.get(key, key)
        if name in allowed:
            if name in out:
                raise ToolError(f"{tool}: {key!r} and {name!r} name the same argument; give one")
            out[name] = value
        elif name not in COMMON:
            unknown.append(key)
    if unknown:
        raise ToolError(_unknown_text(tool, unknown, sorted(allowed), aliases))
    return out


def _unknown_text(
    tool: str, unknown: list[str], allowed: list[str], aliases: dict[str, str]
) -> str:
    guesses = [g for key in unknown for g in difflib.get_close_matches(key, allowed, n=1)]
    text = f"{tool}: unknown argument(s) {', '.join(map(repr, unknown))}; allowed: "
    text += ", ".join(allowed)
    if aliases:
        text += " (aliases: " + ", ".join(f"{a}→{b}" for a, b in sorted(aliases.items())) + ")"
    if guesses:
        text += f". Did you mean {', '.join(map(repr, guesses))}?"
    return text


def validation_text(tool: str, exc: pydantic.ValidationError) -> str:
    """What was wrong with which argument, without the rejected values or pydantic links."""
    problems = []
    for err in exc.errors(include_url=False, include_input=False):
        where = ".".join(str(part) for part in err["loc"]) or "arguments"
        problems.append(f"{where}: {err['msg']}")
    shown = problems[:5] + ([f"…and {len(problems) - 5} more"] if len(problems) > 5 else [])
    return f"{tool}: invalid arguments: " + "; ".join(shown)


def _compact(result: Any) -> Any:
    """One compact JSON text instead of the SDK's indented one (a result is sent once)."""
    if not isinstance(result, CallToolResult) or result.is_error or len(result.content) != 1:
        return result
    block = result.content[0]
    if not isinstance(block, TextContent) or not block.text.startswith(("{", "[")):
        return result
    try:
        data = json.loads(block.text)
    except ValueError:
        return result
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return CallToolResult(content=[TextContent(type="text", text=text)])


class StrictServer(MCPServer):
    """MCPServer whose tool calls are checked first and answered once, compactly.

    `write_guard`, when set, returns why tools that change anything must refuse right now
    (a repository without `tmws init`), or None.
    """

    write_guard: Callable[[], str | None] | None = None

    async def call_tool(self, name: str, arguments: dict[str, Any], context: Any = None) -> Any:
        tool = self._tool_manager.get_tool(name)
        if tool is not None:
            arguments = check_arguments(name, tool.parameters, arguments)
            refusal = self._refusal(tool)
            if refusal:
                raise ToolError(f"{name}: {refusal}")
        try:
            result = await super().call_tool(name, arguments, context)
        except ToolError as exc:
            if isinstance(exc.__cause__, pydantic.ValidationError):
                raise ToolError(validation_text(name, exc.__cause__)) from None
            raise
        return _compact(result)

    def _refusal(self, tool: Any) -> str | None:
        writes = tool.annotations is None or not tool.annotations.read_only_hint
        return self.write_guard() if writes and self.write_guard is not None else None

    async def get_prompt(
        self, name: str, arguments: dict[str, Any] | None = None, context: Any = None
    ) -> Any:
        """An unknown prompt is the caller's error (invalid params), not a server crash."""
        if self._prompt_manager.get_prompt(name) is None:
            known = ", ".join(p.name for p in self._prompt_manager.list_prompts())
            raise MCPError(code=INVALID_PARAMS, message=f"unknown prompt {name!r}; known: {known}")
        try:
            return await super().get_prompt(name, arguments, context)
        except ValueError as exc:  # the SDK's wrapper of a bad argument or a failing render
            raise MCPError(code=INVALID_PARAMS, message=mcp_wording(str(exc))) from None


def lean_schema(node: Any) -> Any:
    """A JSON schema without what costs tokens and tells a model nothing: titles, `null`
    alternatives of optional arguments and their `null` defaults."""
    if isinstance(node, list):
        return [lean_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {k: lean_schema(v) for k, v in node.items() if k not in ("title", "properties", "$defs")}
    for names in ("properties", "$defs"):  # maps of names: a property may be called "title"
        if isinstance(node.get(names), dict):
            out[names] = {name: lean_schema(sub) for name, sub in node[names].items()}
    options = out.get("anyOf")
    if isinstance(options, list) and {"type": "null"} in options:
        rest = [o for o in options if o != {"type": "null"}]
        del out["anyOf"]
        out.update(rest[0] if len(rest) == 1 else {"anyOf": rest})
    if "default" in out and out["default"] is None:
        del out["default"]
    return out


def lean_surface(server: Any) -> None:
    """What tools/list costs, cut: lean input schemas and no output schemas, so a result is
    sent once as JSON text (output schemas were 57 % of the listing; no client of ours reads
    structured content)."""
    manager = getattr(server, "_tool_manager", None)
    for tool in manager.list_tools() if manager is not None else ():
        tool.fn_metadata.output_schema = None
        tool.parameters = lean_schema(tool.parameters)
