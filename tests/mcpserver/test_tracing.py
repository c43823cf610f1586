"""Traces of MCP tool calls: what is recorded, where, and that recording never fails a call."""

from __future__ import annotations

import sys
import types
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from mcp import Client

from hestai_tmws.errors import ConflictError, UsageError
from hestai_tmws.mcpserver import build_server
from hestai_tmws.mcpserver.context import ServerContext
from hestai_tmws.mcpserver.tracing import default_summary, is_traced, tool_error_text, traced
from hestai_tmws.project import Project
from hestai_tmws.sessions.traces import digest_args, read_traces
from hestai_tmws.workflows.clock_in import clock_in as service_clock_in
from tests.mcpserver.support import archive_traces, call, call_error, trace_lines

pytestmark = pytest.mark.anyio


async def test_every_call_is_recorded_in_the_session(bundle: Any, mproject: Project) -> None:
    async with Client(bundle.mcp, raise_exceptions=True) as client:
        session = await call(client, "clock_in", {"focus": "traced"})
        await call(client, "get_context", {"documents": ["project-checklist"]})
        await call_error(client, "document_submit", {"doc_type": "poem", "content": "x"})
        doc_args = {"doc_type": "report", "title": "Trace me", "content": "body text"}
        await call(client, "document_submit", doc_args)
    sid = session["session_id"]
    lines = trace_lines(mproject, sid)
    assert [line["tool"] for line in lines] == [
        "clock_in",
        "get_context",
        "document_submit",
        "document_submit",
    ]
    assert all(line["session_id"] == sid and line["source"] == "mcp" for line in lines)
    assert all(
        isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0 for line in lines
    )
    first, read, failed, written = lines
    assert first["ok"] is True and first["summary"] == "focus=traced"
    assert read["args_digest"] == digest_args({"documents": ["project-checklist"]})
    assert failed["ok"] is False and failed["error_class"] == "UsageError"
    full_args = {**doc_args, "session_id": None, "base_hash": None, "approved_decision": None}
    assert written["args_digest"] == digest_args(full_args)
    assert written["summary"] == "report: Trace me (9 chars)"


async def test_clock_out_trace_is_in_the_archive(bundle: Any, mproject: Project) -> None:
    async with Client(bundle.mcp, raise_exceptions=True) as client:
        await call(client, "clock_in", {"focus": "archived traces"})
        await call(
            client,
            "context_update",
            {
                "document": "project-checklist",
                "changes": [{"op": "add", "section": "NOTES", "key": "TRACED", "value": "yes"}],
            },
        )
        out = await call(client, "clock_out", {"summary": "with traces"})
    entries = archive_traces(mproject, out["archive_path"])
    assert [e["TOOL"] for e in entries] == ["clock_in", "context_update", "clock_out"]
    assert all(e["SOURCE"] == "mcp" and e["OK"] is True for e in entries)
    assert out["traces"] == 3 and out["trace_recording_errors"] == 0


async def test_a_failed_clock_out_records_the_failure(bundle: Any, mproject: Project) -> None:
    async with Client(bundle.mcp, raise_exceptions=True) as client:
        session = await call(client, "clock_in", {"focus": "bad transcript"})
        await call_error(client, "clock_out", {"transcript_path": "/no/such/transcript.jsonl"})
    lines = trace_lines(mproject, session["session_id"])
    assert [(x["tool"], x["ok"]) for x in lines] == [
        ("clock_in", True),
        ("clock_out", True),  # recorded before the archive would have been written
        ("clock_out", False),
    ]
    assert lines[-1]["error_class"] == "UsageError"


async def test_trace_failure_never_fails_the_call(bundle: Any, mproject: Project) -> None:
    async with Client(bundle.mcp, raise_exceptions=True) as client:
        session = await call(client, "clock_in", {"focus": "broken log"})
        sid = session["session_id"]
        log = mproject.hestai / "sessions" / "active" / sid / "traces.jsonl"
        log.unlink()
        log.mkdir()  # appending to a folder fails
        view = await call(client, "get_context", {"documents": ["project-context"]})
        assert view["documents"][0]["exists"] is True
        assert bundle.ctx.trace_failures == 1
        log.rmdir()
        traces = read_traces(mproject, sid)
        assert traces.recording_errors == 1
        out = await call(client, "clock_out", {"summary": "incomplete traces"})
    assert out["trace_recording_errors"] == 1
    archive = (mproject.root / out["archive_path"]).read_text()
    assert "RECORDING_ERRORS::1" in archive


async def test_calls_without_an_open_session_are_not_recorded(
    bundle: Any, mproject: Project
) -> None:
    async with Client(bundle.mcp, raise_exceptions=True) as client:
        await call(client, "get_context", {"documents": ["project-context"]})
    assert (bundle.ctx.untraced_calls, bundle.ctx.trace_failures) == (1, 0)
    assert not (mproject.hestai / "sessions" / "active").exists() or not any(
        (mproject.hestai / "sessions" / "active").iterdir()
    )


async def test_calls_reach_a_session_opened_elsewhere_only_once_resumed(
    bundle: Any, mproject: Project
) -> None:
    hook_session = service_clock_in(mproject, focus="from a hook", claude_session_id="abc")
    async with Client(bundle.mcp, raise_exceptions=True) as client:
        await call(client, "get_context", {"documents": ["project-roadmap"]})
        assert trace_lines(mproject, hook_session.session_id) == []  # not ours: not traced
        resumed = await call(
            client, "clock_in", {"resume": hook_session.session_id, "claude_session_id": "abc"}
        )
        await call(client, "get_context", {"documents": ["project-roadmap"]})
    assert resumed["session_id"] == hook_session.session_id
    lines = trace_lines(mproject, hook_session.session_id)
    assert [line["tool"] for line in lines] == ["clock_in", "get_context"]


async def test_plugin_tools_are_traced_even_when_they_forget(
    mproject: Project, monkeypatch: Any
) -> None:
    module = types.ModuleType("hestai_tmws.mcpserver.tools.learning")

    def register(server: Any, ctx: ServerContext) -> list[str]:
        @server.tool(name="learn_ping")
        def learn_ping(word: str) -> dict[str, str]:
            """Echo (a stand-in for a learning tool)."""
            if word == "boom":
                raise UsageError("boom is not a word", hint="say something else")
            return {"echo": word}

        return ["learn_ping"]

    module.register = register  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "hestai_tmws.mcpserver.tools.learning", module)
    bundle = build_server(mproject, watch=False)
    assert "learn_ping" in bundle.tools
    tool = bundle.mcp._tool_manager.get_tool("learn_ping")
    assert is_traced(tool.fn)
    session = service_clock_in(mproject, focus="learning")
    bundle.ctx.remember(session.session_id)
    async with Client(bundle.mcp, raise_exceptions=True) as client:
        assert (await call(client, "learn_ping", {"word": "hi"})) == {"echo": "hi"}
        text = await call_error(client, "learn_ping", {"word": "boom"})
    assert "boom is not a word\nhint: say something else" in text
    lines = trace_lines(mproject, session.session_id)
    assert [(x["tool"], x["ok"], x["error_class"]) for x in lines] == [
        ("learn_ping", True, None),
        ("learn_ping", False, "UsageError"),
    ]


def test_error_text_has_message_hint_and_current_hash() -> None:
    assert tool_error_text(UsageError("bad", hint="do this")) == "bad\nhint: do this"
    assert tool_error_text(UsageError("bad")) == "bad"
    conflict = ConflictError("stale", current_hash="ab12", hint="merge and retry")
    assert tool_error_text(conflict) == "stale\ncurrent_hash: ab12\nhint: merge and retry"


def test_traced_keeps_the_signature_and_cleans_the_docstring(mproject: Project) -> None:
    import inspect

    ctx = ServerContext(project=mproject)

    def tool(a: int, b: str = "x") -> str:
        """First line.

        Indented detail.
        """
        return f"{a}{b}"

    wrapped = traced(ctx, "tool")(tool)
    assert inspect.signature(wrapped) == inspect.signature(tool)
    assert wrapped.__doc__ == "First line.\n\nIndented detail."
    assert wrapped(a=1) == "1x"
    assert ctx.traced_tools == {"tool"}


scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=200))
arguments = st.dictionaries(
    st.from_regex(r"[a-z_]{1,12}", fullmatch=True),
    st.one_of(scalars, st.lists(st.text(max_size=10), max_size=5)),
    max_size=8,
)


@given(arguments)
def test_default_summary_is_short_and_keeps_no_long_text(args: dict[str, Any]) -> None:
    summary = default_summary(args)
    for value in args.values():
        if isinstance(value, str) and (len(value) > 60 or "\n" in value):
            assert value not in summary or value in "".join(str(k) for k in args)
    assert "\n" not in summary.replace("\\n", "")
    assert len(summary) <= sum(len(k) + 80 for k in args)


@given(arguments)
def test_the_digest_ignores_key_order(args: dict[str, Any]) -> None:
    reordered = dict(reversed(list(args.items())))
    assert digest_args(args) == digest_args(reordered)


def test_a_broken_learning_plugin_leaves_the_core_tools(
    mproject: Project, monkeypatch: Any
) -> None:
    module = types.ModuleType("hestai_tmws.mcpserver.tools.learning")

    def register(server: Any, ctx: ServerContext) -> list[str]:
        raise RuntimeError("half-built plug-in")

    module.register = register  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "hestai_tmws.mcpserver.tools.learning", module)
    bundle = build_server(mproject, watch=False)
    assert bundle.tools == [
        "clock_in",
        "anchor_submit",
        "document_submit",
        "context_update",
        "get_context",
        "clock_out",
        "search_memory",
    ]
