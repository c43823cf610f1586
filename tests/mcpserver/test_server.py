"""Building the server: governance healed first, every tool module, resources and prompts."""

from __future__ import annotations

import sys
import types
from typing import Any

import pytest

from hestai_tmws.mcpserver.context import ServerContext
from hestai_tmws.mcpserver.server import INSTRUCTIONS, SERVER_NAME, build_server
from hestai_tmws.project import Project


def test_build_heals_governance_and_registers_everything(mproject: Project) -> None:
    agent = next(mproject.governance_path("agents").glob("*.oct.md"))
    agent.chmod(0o644)
    agent.write_text("tampered")
    bundle = build_server(mproject, watch=False)
    assert agent.read_text() != "tampered"
    assert bundle.governance_version and bundle.watcher is None and bundle.skipped == {}
    assert bundle.tools[0] == "clock_in" and "get_context" in bundle.tools
    assert bundle.prompts and bundle.mcp.name == SERVER_NAME
    assert "clock_in" in INSTRUCTIONS


def test_a_tool_module_of_a_missing_service_is_skipped(
    mproject: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = types.ModuleType("hestai_tmws.mcpserver.tools.learning")

    def register(server: Any, ctx: ServerContext) -> list[str]:
        raise ModuleNotFoundError("gone", name="hestai_tmws.learning.nothing")

    broken.register = register  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "hestai_tmws.mcpserver.tools.learning", broken)
    bundle = build_server(mproject, watch=False, inject=False)
    assert bundle.governance_version is None
    assert "learning" in bundle.skipped and "suggest_skills" not in bundle.tools
