"""Every MCP tool through an in-process client: results, hints, errors, the remembered session."""

from __future__ import annotations

from typing import Any

import pytest
from mcp import Client

from hestai_tmws.mcpserver.catalog import TOOL_HINTS
from hestai_tmws.mcpserver.tracing import is_traced
from hestai_tmws.project import Project
from tests.mcpserver.support import call, call_error

pytestmark = pytest.mark.anyio

CORE_TOOLS = [
    "clock_in",
    "anchor_submit",
    "document_submit",
    "context_update",
    "get_context",
    "clock_out",
]


async def test_lists_every_core_tool_with_its_hints_and_schemas(bundle: Any) -> None:
    async with Client(bundle.mcp, raise_exceptions=True) as client:
        tools = (await client.list_tools()).tools
    names = [t.name for t in tools]
    assert names[: len(CORE_TOOLS)] == CORE_TOOLS
    assert names[len(CORE_TOOLS) :] == bundle.tools[len(CORE_TOOLS) :]  # the learning tools
    assert bundle.skipped == {}
    for name in names:  # every tool, plug-ins included, is wrapped for tracing
        assert is_traced(bundle.mcp._tool_manager.get_tool(name).fn), name
    for tool in tools:
        if tool.name not in TOOL_HINTS:
            continue
        hints = TOOL_HINTS[tool.name]
        a = tool.annotations
        assert a is not None
        assert (a.read_only_hint, a.destructive_hint, a.idempotent_hint, a.open_world_hint) == (
            hints.read_only,
            hints.destructive,
            hints.idempotent,
            False,
        )
        assert tool.output_schema is None  # results are sent once, as JSON text (issue 14)
        assert tool.input_schema["type"] == "object"
        assert tool.description and not tool.description.startswith(" ")
    by_name = {t.name: t for t in tools}
    assert by_name["get_context"].annotations.read_only_hint is True
    assert set(by_name["document_submit"].input_schema["required"]) == {"doc_type", "content"}
    assert set(by_name["context_update"].input_schema["required"]) == {"document", "changes"}


async def test_bad_arguments_are_a_tool_error(bundle: Any) -> None:
    async with Client(bundle.mcp, raise_exceptions=True) as client:
        text = await call_error(client, "document_submit", {"title": "no type, no content"})
        assert "doc_type" in text and "content" in text
        text = await call_error(client, "clock_in", {"force": "certainly not"})
        assert "force" in text


async def test_concurrent_calls_are_all_written_and_traced(bundle: Any, mproject: Project) -> None:
    import anyio

    from tests.mcpserver.support import trace_lines

    results: list[dict[str, Any]] = []
    async with Client(bundle.mcp, raise_exceptions=True) as client:
        session = await call(client, "clock_in", {"focus": "parallel"})

        async def submit(i: int) -> None:
            args = {"doc_type": "decision", "title": f"Choice {i}", "content": f"Option {i}."}
            results.append(await call(client, "document_submit", args))

        async with anyio.create_task_group() as group:
            for i in range(6):
                group.start_soon(submit, i)
    assert sorted(r["number"] for r in results) == [1, 2, 3, 4, 5, 6]
    lines = trace_lines(mproject, session["session_id"])
    assert [line["tool"] for line in lines].count("document_submit") == 6
    assert all(line["ok"] for line in lines)
