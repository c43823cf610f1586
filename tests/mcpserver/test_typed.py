"""The one registration path: a tool joins traced and with its hints; a resource by its URI."""

from __future__ import annotations

import pytest
from mcp import Client
from mcp.server import MCPServer

from hestai_tmws.mcpserver.catalog import Hints
from hestai_tmws.mcpserver.context import ServerContext
from hestai_tmws.mcpserver.tracing import is_traced
from hestai_tmws.mcpserver.typed import resource, tool
from hestai_tmws.project import Project
from hestai_tmws.workflows.clock_in import clock_in
from tests.mcpserver.support import call, trace_lines

pytestmark = pytest.mark.anyio


def server_with_echo(project: Project) -> tuple[MCPServer, ServerContext]:
    server = MCPServer("typed-test")
    ctx = ServerContext(project=project)

    @tool(server, ctx, "echo", hints=Hints("Echo", True, False, True), summarize=lambda a: "s")
    def echo(text: str) -> dict[str, str]:
        """Say it back."""
        return {"said": text}

    @resource(server, "test://{name}", name="named", description="by name", mime_type="text/plain")
    def named(name: str) -> str:
        return f"hello {name}"

    assert echo(text="direct") == {"said": "direct"}  # the decorated function keeps its type
    return server, ctx


async def test_a_tool_is_traced_and_carries_its_hints(mproject: Project) -> None:
    server, ctx = server_with_echo(mproject)
    opened = clock_in(mproject, focus="typed")
    ctx.remember(opened.session_id)
    async with Client(server, raise_exceptions=True) as client:
        [listed] = (await client.list_tools()).tools
        assert await call(client, "echo", {"text": "[all_done]"}) == {"said": "[all_done]"}
    assert listed.name == "echo" and listed.description == "Say it back."
    assert listed.annotations is not None
    assert (listed.annotations.title, listed.annotations.read_only_hint) == ("Echo", True)
    assert listed.annotations.open_world_hint is False
    assert is_traced(server._tool_manager.get_tool("echo").fn)
    assert "echo" in ctx.traced_tools
    traces = [t for t in trace_lines(mproject, opened.session_id) if t["tool"] == "echo"]
    assert len(traces) >= 1 and traces[-1]["summary"] == "s" and traces[-1]["ok"] is True


async def test_a_resource_template_answers_by_uri(mproject: Project) -> None:
    server, _ = server_with_echo(mproject)
    async with Client(server, raise_exceptions=True) as client:
        [template] = (await client.list_resource_templates()).resource_templates
        read = await client.read_resource("test://world")
    assert (template.uri_template, template.name) == ("test://{name}", "named")
    assert read.contents[0].text == "hello world"  # type: ignore[union-attr]


def test_registration_does_not_need_a_running_server(mproject: Project) -> None:
    server, ctx = server_with_echo(mproject)
    assert [t.name for t in server._tool_manager.list_tools()] == ["echo"]
    assert ctx.traced_tools == {"echo"}
