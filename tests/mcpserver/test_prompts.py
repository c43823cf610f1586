"""MCP prompts: one per agent definition of the hub, with its commitments and the workflow."""

from __future__ import annotations

from typing import Any

import pytest
from mcp import Client, MCPError

from hestai_tmws.governance.rules import load_agents
from hestai_tmws.project import Project

pytestmark = pytest.mark.anyio


async def test_one_prompt_per_agent_definition(bundle: Any, mproject: Project) -> None:
    agents = load_agents(mproject)
    async with Client(bundle.mcp, raise_exceptions=True) as client:
        prompts = (await client.list_prompts()).prompts
        assert sorted(p.name for p in prompts) == sorted(agents)
        lead = agents["implementation-lead"]
        result = await client.get_prompt("implementation-lead", {"focus": "ship the server"})
        plain = await client.get_prompt("implementation-lead")
    (prompt,) = [p for p in prompts if p.name == "implementation-lead"]
    assert prompt.description == f"Act as the implementation-lead: {lead.mission}"
    assert [(a.name, a.required) for a in prompt.arguments or []] == [("focus", False)]
    text = result.messages[0].content.text
    assert result.messages[0].role == "user"
    assert lead.mission in text
    assert all(item in text for item in [*lead.must_always, *lead.must_never])
    assert "FOCUS: ship the server" in text
    assert 'clock_in(role="implementation-lead", focus="ship the server")' in text
    assert "FOCUS:" not in plain.messages[0].content.text


async def test_unknown_prompt_is_an_error(bundle: Any) -> None:
    async with Client(bundle.mcp, raise_exceptions=True) as client:
        with pytest.raises(MCPError):
            await client.get_prompt("no-such-role")
