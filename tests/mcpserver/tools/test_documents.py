"""Tool `document_submit`: written, staged, attributed to the session this server opened."""

from __future__ import annotations

from typing import Any

import pytest
from mcp import Client

from hestai_tmws.project import Project
from hestai_tmws.workflows.clock_in import clock_in as service_clock_in
from tests.mcpserver.support import call, call_error, staged

pytestmark = pytest.mark.anyio


async def test_document_submit_writes_stages_and_names_the_session(
    bundle: Any, mproject: Project
) -> None:
    async with Client(bundle.mcp, raise_exceptions=True) as client:
        session = await call(client, "clock_in", {"focus": "documents"})
        doc = await call(
            client,
            "document_submit",
            {
                "doc_type": "decision",
                "title": "Serve MCP over stdio",
                "content": "Because it is simple.",
            },
        )
        text = await call_error(
            client, "document_submit", {"doc_type": "poem", "title": "x", "content": "roses"}
        )
    assert doc["path"] == ".hestai/workflow/decisions/001-serve-mcp-over-stdio.oct.md"
    assert doc["number"] == 1 and doc["created"] is True
    assert doc["session_id"] == session["session_id"]
    assert (mproject.root / doc["path"]).is_file()
    assert doc["path"] in staged(mproject)
    assert "poem" in text and "hint:" in text


async def test_a_connection_writes_only_into_its_own_session(
    bundle: Any, mproject: Project
) -> None:
    other = service_clock_in(mproject, focus="someone else")
    async with Client(bundle.mcp, raise_exceptions=True) as client:
        mine = await call(client, "clock_in", {"focus": "mine"})
        doc = await call(
            client, "document_submit", {"doc_type": "report", "title": "Status", "content": "fine"}
        )
        refused = await call_error(
            client,
            "document_submit",
            {
                "doc_type": "report",
                "title": "Theirs",
                "content": "ok",
                "session_id": other.session_id,
            },
        )
    assert doc["session_id"] == mine["session_id"] != other.session_id
    assert "not opened by this connection" in refused
