"""Tools `context_update` and `get_context`: compare-and-swap edits and reads."""

from __future__ import annotations

from typing import Any

import pytest
from mcp import Client

from hestai_tmws.project import Project
from tests.mcpserver.support import call, call_error, staged

pytestmark = pytest.mark.anyio


async def test_context_update_and_get_context_with_compare_and_swap(
    bundle: Any, mproject: Project
) -> None:
    async with Client(bundle.mcp, raise_exceptions=True) as client:
        await call(client, "clock_in", {"focus": "context"})
        view = await call(client, "get_context", {"documents": ["project-context"]})
        (document,) = view["documents"]
        assert document["name"] == "project-context" and document["exists"]
        base = document["sha256"]
        change = {"op": "add", "section": "NOTES", "key": "MCP", "value": "served over stdio"}
        updated = await call(
            client,
            "context_update",
            {"document": "project-context", "changes": [change], "base_hash": base},
        )
        assert updated["changed"] is True and updated["previous_hash"] == base
        text = await call_error(
            client,
            "context_update",
            {"document": "project-context", "changes": [change], "base_hash": base},
        )
        assert "changed since it was read" in text
        assert f"current_hash: {updated['sha256']}" in text
        full = await call(client, "get_context")
    names = [d["name"] for d in full["documents"]]
    assert "project-context" in names and "project-checklist" in names
    assert full["north_star"] is not None
    content = (mproject.hestai / "context" / "project-context.oct.md").read_text()
    assert "served over stdio" in content
    assert ".hestai/context/project-context.oct.md" in staged(mproject)


async def test_get_context_rejects_unknown_documents(bundle: Any) -> None:
    async with Client(bundle.mcp, raise_exceptions=True) as client:
        text = await call_error(client, "get_context", {"documents": ["no-such-document"]})
    assert "no-such-document" in text
