"""Tool `clock_in` through an in-process client: the primer, the remembered session, errors."""

from __future__ import annotations

from typing import Any

import pytest
from mcp import Client

from hestai_tmws.project import Project
from hestai_tmws.sessions.store import list_active
from tests.mcpserver.support import call, call_error

pytestmark = pytest.mark.anyio


async def test_clock_in_returns_the_primer_and_is_remembered(
    bundle: Any, mproject: Project
) -> None:
    async with Client(bundle.mcp, raise_exceptions=True) as client:
        result = await call(
            client, "clock_in", {"role": "implementation-lead", "focus": "mcp tests"}
        )
    assert result["role"] == "implementation-lead"
    assert result["focus"] == "mcp tests"
    assert len(result["session_id"]) == 12
    assert ".hestai-sys/agents/implementation-lead.oct.md" in result["context_files"]
    assert bundle.ctx.session_id == result["session_id"]
    assert [s.id for s in list_active(mproject)] == [result["session_id"]]


async def test_clock_in_errors_carry_message_and_hint(bundle: Any) -> None:
    async with Client(bundle.mcp, raise_exceptions=True) as client:
        text = await call_error(client, "clock_in", {"role": "no-such-role"})
        assert "unknown role 'no-such-role'" in text
        assert "\nhint: " in text
        await call(client, "clock_in", {"focus": "same"})
        text = await call_error(client, "clock_in", {"focus": "same"})
        assert "already open on focus 'same'" in text
        assert "hint: clock out that session first" in text
        forced = await call(client, "clock_in", {"focus": "same", "force": True})
        assert bundle.ctx.session_id == forced["session_id"]
