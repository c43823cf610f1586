"""The learning loop's MCP face: the four tools, their hints, schemas and results."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from mcp import Client

from hestai_tmws.layout import FEEDBACK_LOG, SUGGESTIONS_LOG
from hestai_tmws.learning import skill_index as index_mod
from hestai_tmws.learning.feedback import read_log
from hestai_tmws.mcpserver.tools.learning import TOOL_NAMES
from hestai_tmws.project import Project
from tests.learning.loop_support import promoted_project
from tests.mcpserver.support import call as support_call

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def project(tmp_path: Path) -> Project:
    index_mod._MEMO.clear()
    return promoted_project(tmp_path / "repo")


@pytest.fixture
def server(project: Project) -> Iterator[Any]:
    from hestai_tmws.mcpserver import build_server

    bundle = build_server(project, watch=False)
    yield bundle
    if bundle.watcher is not None:
        bundle.watcher.stop()


async def call(client: Any, name: str, arguments: dict[str, Any] | None = None) -> Any:
    return await support_call(client, name, arguments)


async def test_the_learning_tools_are_listed_with_hints(server: Any) -> None:
    async with Client(server.mcp, raise_exceptions=True) as client:
        tools = {t.name: t for t in (await client.list_tools()).tools}
    assert set(TOOL_NAMES) <= set(tools)
    expected = {
        "suggest_skills": (False, False, False),
        "get_sops": (True, False, True),
        "record_feedback": (False, False, False),
        "learning_status": (True, False, True),
    }
    for name, hints in expected.items():
        a = tools[name].annotations
        assert a is not None
        assert (a.read_only_hint, a.destructive_hint, a.idempotent_hint) == hints
        assert a.open_world_hint is False
        assert tools[name].output_schema is None  # results travel as JSON text (issue 14)
        assert tools[name].description
    assert tools["suggest_skills"].input_schema["required"] == ["task"]
    assert set(tools["record_feedback"].input_schema["required"]) == {"suggestion_id", "helpful"}


async def test_suggest_feedback_sops_and_status(server: Any, project: Project) -> None:
    async with Client(server.mcp, raise_exceptions=True) as client:
        opened = await call(client, "clock_in", {"focus": "reading docs"})
        batch = await call(client, "suggest_skills", {"task": "pytest then git commit"})
        [suggestion] = batch["suggestions"]
        assert batch["recorded"] is True
        feedback = await call(
            client,
            "record_feedback",
            {"suggestion_id": suggestion["id"], "helpful": True, "notes": "good"},
        )
        assert feedback["stats"]["helpful"] == 1
        sops = await call(client, "get_sops", {"trigger": "ruff", "min_confidence": 0.1})
        expected = f"learning/skills/{suggestion['skill']}/SKILL.md"
        assert [s["skill"] for s in sops["sops"]] == [expected]
        assert "## Steps" in sops["sops"][0]["markdown"]
        status = await call(client, "learning_status")
        assert status["by_state"]["PROMOTED"] == 1 and status["skills"] == 1
        bad = await client.call_tool("record_feedback", {"suggestion_id": "x", "helpful": True})
        assert bad.is_error and "is not a suggestion id" in getattr(bad.content[0], "text", "")
    [event] = read_log(project, SUGGESTIONS_LOG)
    assert event["session"] == opened["session_id"] and event["source"] == "mcp"
    [fb] = read_log(project, FEEDBACK_LOG)
    assert fb["session"] == opened["session_id"]
    active = project.hestai / "sessions" / "active" / opened["session_id"]
    traces = (active / "traces.jsonl").read_text()
    assert '"tool": "suggest_skills"' in traces or '"tool":"suggest_skills"' in traces
