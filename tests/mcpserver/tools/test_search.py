"""`search_memory` and `hestai://search/{query}`: an agent asks memory without reading files."""

from __future__ import annotations

import json
from typing import Any

import pytest
from mcp import Client

from hestai_tmws.project import Project
from tests.mcpserver.support import call, call_error
from tests.memory.archive_support import write_archive

pytestmark = pytest.mark.anyio


async def test_the_tool_finds_an_archived_session(bundle: Any, mproject: Project) -> None:
    write_archive(mproject, "abcd1234ef56", summary="we chose the okapi protocol")
    async with Client(bundle.mcp, raise_exceptions=True) as client:
        tools = {t.name: t for t in (await client.list_tools()).tools}
        assert tools["search_memory"].annotations.read_only_hint is True
        found = await call(client, "search_memory", {"query": "okapi", "type": "session"})
        assert found["hits"][0]["id"] == "abcd1234"
        assert "unknown record type" in await call_error(
            client, "search_memory", {"query": "okapi", "type": "email"}
        )


async def test_the_resource_returns_the_hits_as_json(bundle: Any, mproject: Project) -> None:
    write_archive(mproject, "abcd1234ef56", summary="we chose the okapi protocol")
    async with Client(bundle.mcp, raise_exceptions=True) as client:
        read = await client.read_resource("hestai://search/okapi%20protocol")
    data = json.loads(read.contents[0].text)
    assert data["hits"][0]["kind"] == "session"
