"""Every MCP tool through an in-process client: results, hints, errors, the remembered session."""

from __future__ import annotations

import subprocess
from typing import Any

import pytest
from mcp import Client

from hestai_tmws.governance.rules import load_agent
from hestai_tmws.mcpserver.catalog import TOOL_HINTS
from hestai_tmws.mcpserver.tracing import is_traced
from hestai_tmws.project import Project
from hestai_tmws.sessions.store import list_active
from hestai_tmws.workflows.clock_in import clock_in as service_clock_in
from tests.mcpserver.support import call, call_error, staged

pytestmark = pytest.mark.anyio

CORE_TOOLS = [
    "clock_in",
    "anchor_submit",
    "document_submit",
    "context_update",
    "get_context",
    "clock_out",
]


def anchor_args(project: Project, role: str = "implementation-lead") -> dict[str, Any]:
    agent = load_agent(project, role)
    version = (project.hestai_sys / ".version").read_text().strip()
    return {
        "role": role,
        "governance_version": version,
        "must_always": list(agent.must_always),
        "must_never": list(agent.must_never),
    }


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
        assert tool.output_schema is not None and tool.output_schema["type"] == "object"
        assert tool.input_schema["type"] == "object"
        assert tool.description and not tool.description.startswith(" ")
    by_name = {t.name: t for t in tools}
    assert by_name["get_context"].annotations.read_only_hint is True
    assert set(by_name["document_submit"].input_schema["required"]) == {"doc_type", "content"}
    assert set(by_name["context_update"].input_schema["required"]) == {"document", "changes"}
    assert "session_id" in by_name["clock_out"].output_schema["properties"]


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


async def test_bad_arguments_are_a_tool_error(bundle: Any) -> None:
    async with Client(bundle.mcp, raise_exceptions=True) as client:
        text = await call_error(client, "document_submit", {"title": "no type, no content"})
        assert "doc_type" in text and "content" in text
        text = await call_error(client, "clock_in", {"force": "certainly not"})
        assert "force" in text


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


async def test_remembered_session_wins_over_other_open_sessions(
    bundle: Any, mproject: Project
) -> None:
    other = service_clock_in(mproject, focus="someone else")
    async with Client(bundle.mcp, raise_exceptions=True) as client:
        mine = await call(client, "clock_in", {"focus": "mine"})
        doc = await call(
            client, "document_submit", {"doc_type": "report", "title": "Status", "content": "fine"}
        )
        explicit = await call(
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
    assert explicit["session_id"] == other.session_id


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


async def test_clock_out_archives_and_forgets_the_session(bundle: Any, mproject: Project) -> None:
    async with Client(bundle.mcp, raise_exceptions=True) as client:
        text = await call_error(client, "clock_out", {"summary": "nothing open"})
        assert "no open session" in text and "hint:" in text
        session = await call(client, "clock_in", {"focus": "closing"})
        out = await call(
            client,
            "clock_out",
            {"summary": "done", "decisions": ["keep stdio"], "learnings": ["hooks are fast"]},
        )
        assert bundle.ctx.session_id is None
        again = await call_error(client, "clock_out", {})
    assert out["session_id"] == session["session_id"]
    assert out["decisions"] == 1 and out["learnings"] == 1
    assert (mproject.root / out["archive_path"]).is_file()
    assert out["archive_path"] in staged(mproject)
    assert list_active(mproject) == []
    assert "no open session" in again


async def test_clock_out_commit_makes_a_commit(bundle: Any, mproject: Project) -> None:
    async with Client(bundle.mcp, raise_exceptions=True) as client:
        await call(client, "clock_in", {"focus": "commit"})
        out = await call(client, "clock_out", {"summary": "commit it", "commit": True})
    assert out["commit"]
    log = subprocess.run(
        ["git", "log", "-1", "--name-only", "--format=%s"],
        cwd=mproject.root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out["archive_path"] in log


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
