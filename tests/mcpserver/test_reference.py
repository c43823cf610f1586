"""The MCP reference (docs/mcp.md) rendered from the live server."""

from __future__ import annotations

from typing import Any

from hestai_tmws.mcpserver import mcp_reference_markdown
from hestai_tmws.mcpserver.catalog import TOOL_HINTS


def test_reference_names_every_tool_resource_kind_and_prompt(bundle: Any) -> None:
    text = mcp_reference_markdown(bundle)
    assert set(TOOL_HINTS) <= set(bundle.tools)
    for name in bundle.tools:
        assert f"### `{name}`" in text
    assert text.count("Input schema:") == len(bundle.tools)
    assert text.count("Result (one JSON text block") == len(bundle.tools)
    assert "`hestai-sys://agents/implementation-lead.oct.md`" in text
    assert "`hestai://context/project-context`" in text
    assert "`hestai-sys://{+path}`" in text
    for role in bundle.prompts:
        assert f"| `{role}` | `focus` |" in text
    assert '"base_hash"' in text


def test_the_default_reference_is_deterministic() -> None:
    first = mcp_reference_markdown()
    assert first == mcp_reference_markdown()
    assert "/tmp" not in first and "pytest" not in first
    assert first.startswith("# MCP reference\n")
