"""Tool `anchor_submit`: passes with the right commitments, fails with reasons."""

from __future__ import annotations

from typing import Any

import pytest
from mcp import Client

from hestai_tmws.project import Project
from tests.mcpserver.support import anchor_args, call, call_error

pytestmark = pytest.mark.anyio


async def test_anchor_submit_passes_and_fails_with_reasons(bundle: Any, mproject: Project) -> None:
    async with Client(bundle.mcp, raise_exceptions=True) as client:
        text = await call_error(client, "anchor_submit", anchor_args(mproject))
        assert "no open session" in text and "hint:" in text
        await call(client, "clock_in", {"role": "implementation-lead", "focus": "anchor"})
        passed = await call(client, "anchor_submit", anchor_args(mproject))
        assert passed["passed"] is True and passed["session_id"] == bundle.ctx.session_id
        wrong = {**anchor_args(mproject), "governance_version": "0.0.0-not-it"}
        failed = await call(client, "anchor_submit", wrong)
    assert failed["passed"] is False
    assert [f["point"] for f in failed["failures"]] == ["governance_version"]
