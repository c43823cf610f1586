"""Render the MCP reference (docs/mcp.md) from a live server object, never by hand.

Everything comes from what the server answers to tools/list, resources/list,
resources/templates/list and prompts/list, so the document cannot drift from the code
without the staleness test noticing. Without a server, one is built for a throwaway git
repository with the bundled governance: the output then depends only on the package.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
import threading
from pathlib import Path
from typing import Any

import anyio
from pydantic import TypeAdapter

from hestai_tmws.mcpserver.server import build_server
from hestai_tmws.mcpserver.strict import lean_schema
from hestai_tmws.project import Project

HEADER = """\
# MCP reference

Generated from the live server by `hestai_tmws.mcpserver.mcp_reference_markdown()`; do not edit
by hand. Start the server with `tmws serve` (stdio); the project is the current folder,
`--project PATH` or `$TMWS_PROJECT`.

Every tool call is recorded as a trace in the active session (tool, argument digest, short
redacted summary, ok/error, duration) and folded into the session archive at clock-out.
Tool errors come back as results with `isError: true` whose text is the message and a hint.
"""


def _json_block(data: Any) -> str:
    return "```json\n" + json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n```"


def _hint_flags(annotations: Any) -> str:
    if annotations is None:
        return "no hints"
    flags = []
    for label, value in (
        ("read-only", annotations.read_only_hint),
        ("destructive", annotations.destructive_hint),
        ("idempotent", annotations.idempotent_hint),
        ("open-world", annotations.open_world_hint),
    ):
        if value is not None:
            flags.append(f"{label}: {'yes' if value else 'no'}")
    return ", ".join(flags)


def result_schemas(server: Any) -> dict[str, Any]:
    """The JSON schema of each tool's result, from its return type (the wire carries none)."""
    manager = getattr(server, "_tool_manager", None)
    out: dict[str, Any] = {}
    for tool in manager.list_tools() if manager is not None else ():
        model = tool.fn_metadata.output_model
        if model is not None:
            out[tool.name] = lean_schema(TypeAdapter(model).json_schema())
    return out


async def _gather(server: Any) -> dict[str, Any]:
    return {
        "tools": await server.list_tools(),
        "resources": await server.list_resources(),
        "templates": await server.list_resource_templates(),
        "prompts": await server.list_prompts(),
        "results": result_schemas(server),
    }


def _collect(server: Any) -> dict[str, Any]:
    """Ask the server in a thread of its own (works inside and outside a running event loop)."""
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = anyio.run(_gather, server)
        except BaseException as exc:  # re-raised in the caller's thread
            box["error"] = exc

    thread = threading.Thread(target=target, name="tmws-mcp-reference")
    thread.start()
    thread.join()
    if "error" in box:
        raise box["error"]
    return dict(box["value"])


def render_reference(listing: dict[str, Any]) -> str:
    out = [HEADER]
    tools = listing["tools"]
    out.append("## Tools\n")
    out.append("| tool | read-only | destructive | idempotent |")
    out.append("|---|---|---|---|")
    for tool in tools:
        a = tool.annotations
        cells = [
            "yes" if a and a.read_only_hint else "no",
            "yes" if a and a.destructive_hint else "no",
            "yes" if a and a.idempotent_hint else "no",
        ]
        out.append(f"| `{tool.name}` | " + " | ".join(cells) + " |")
    out.append("")
    for tool in tools:
        out.append(f"### `{tool.name}`\n")
        if tool.annotations is not None and tool.annotations.title:
            out.append(f"*{tool.annotations.title}* — {_hint_flags(tool.annotations)}\n")
        out.append((tool.description or "").strip() + "\n")
        out.append("Input schema:\n")
        out.append(_json_block(tool.input_schema) + "\n")
        result = listing.get("results", {}).get(tool.name)
        if result is not None:
            out.append("Result (one JSON text block; documented here, not sent in tools/list):\n")
            out.append(_json_block(result) + "\n")
    out.append("## Resources\n")
    out.append("| URI | name | description |")
    out.append("|---|---|---|")
    for res in sorted(listing["resources"], key=lambda r: str(r.uri)):
        out.append(f"| `{res.uri}` | {res.name} | {res.description or ''} |")
    out.append("")
    out.append("### Resource templates\n")
    out.append("| URI template | name | description |")
    out.append("|---|---|---|")
    for tpl in listing["templates"]:
        out.append(f"| `{tpl.uri_template}` | {tpl.name} | {tpl.description or ''} |")
    out.append("")
    out.append("## Prompts\n")
    out.append("One prompt per agent definition of the governance hub.\n")
    out.append("| prompt | arguments | description |")
    out.append("|---|---|---|")
    for prompt in listing["prompts"]:
        args = ", ".join(
            f"`{a.name}`" + (" (required)" if a.required else "") for a in prompt.arguments or []
        )
        out.append(f"| `{prompt.name}` | {args or '—'} | {prompt.description or ''} |")
    out.append("")
    return "\n".join(out)


def _throwaway_server() -> tuple[Any, tempfile.TemporaryDirectory[str]]:
    tmp = tempfile.TemporaryDirectory(prefix="tmws-mcp-ref-")
    root = Path(tmp.name) / "project"
    root.mkdir()
    subprocess.run(["git", "init", "-q", str(root)], check=True, capture_output=True)
    bundle = build_server(Project.discover(root), watch=False)
    return bundle.mcp, tmp


def mcp_reference_markdown(server: Any = None) -> str:
    """The Markdown reference of every tool, resource and prompt, with their JSON schemas.

    `server`: an `MCPServer` or a `TmwsServer`; default: one built for a throwaway project,
    so that the text depends only on the installed package and its bundled hub.
    """
    tmp = None
    if server is None:
        server, tmp = _throwaway_server()
    server = getattr(server, "mcp", server)
    try:
        listing = _collect(server)
    finally:
        if tmp is not None:
            tmp.cleanup()
    return render_reference(listing)
