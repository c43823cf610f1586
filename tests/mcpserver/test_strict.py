"""Strict, compatible, lean tool contracts (issue 14): checked in-process and over stdio."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from mcp import Client
from mcp.server.mcpserver.exceptions import ToolError
from mcp.shared.exceptions import MCPError

from hestai_tmws.gitio import run_git
from hestai_tmws.mcpserver.strict import (
    MAX_ARGUMENT_CHARS,
    check_arguments,
    lean_schema,
    mcp_wording,
)
from hestai_tmws.project import Project
from tests.fixtures import clock_transcripts as ct
from tests.mcpserver.support import call, call_error
from tests.mcpserver.test_stdio import serve_params

MAX_TOOLS_LIST_CHARS = 12_000
SCHEMA = {"properties": {"summary": {}, "decisions": {}, "session_id": {}}}


def test_unknown_arguments_are_refused_with_the_allowed_names() -> None:
    with pytest.raises(ToolError) as caught:
        check_arguments("clock_out", SCHEMA, {"sumary": "lost?"})
    text = str(caught.value)
    assert "'sumary'" in text and "allowed: decisions, session_id, summary" in text
    assert "Did you mean 'summary'?" in text


def test_hestai_mcp_names_are_aliases() -> None:
    assert check_arguments("clock_out", SCHEMA, {"description": "d", "working_dir": "."}) == {
        "summary": "d"
    }
    with pytest.raises(ToolError, match="name the same argument"):
        check_arguments("clock_out", SCHEMA, {"description": "d", "summary": "s"})


@given(st.text(min_size=1, max_size=40))
def test_a_huge_call_is_refused_without_echoing_it(word: str) -> None:
    content = word * (MAX_ARGUMENT_CHARS // len(word) + 1)
    with pytest.raises(ToolError) as caught:
        check_arguments("clock_out", SCHEMA, {"summary": content})
    assert len(str(caught.value)) < 200


@given(st.sampled_from(["--session ID", "--force", "--role", "--working-dir", "`tmws clock-in`"]))
def test_errors_speak_mcp_not_cli_flags(flag: str) -> None:
    text = mcp_wording(f"hint: pass {flag} now")
    assert "--" not in text and "tmws clock-in" not in text


def test_lean_schemas_keep_a_property_called_title() -> None:
    schema = {
        "title": "Args",
        "properties": {"title": {"anyOf": [{"type": "string"}, {"type": "null"}], "default": None}},
    }
    assert lean_schema(schema) == {"properties": {"title": {"type": "string"}}}


@pytest.mark.slow
@pytest.mark.anyio
async def test_the_contract_over_stdio(mproject: Project) -> None:
    async with Client(serve_params(mproject), read_timeout_seconds=60) as client:
        listed = await client.list_tools()
        size = len(json.dumps(listed.model_dump(by_alias=True, exclude_none=True, mode="json")))
        assert size <= MAX_TOOLS_LIST_CHARS, f"tools/list is {size} characters"
        assert all(tool.output_schema is None for tool in listed.tools)
        await call(client, "clock_in", {"focus": "strict", "working_dir": str(mproject.root)})
        typo = await call_error(client, "clock_out", {"sumary": "lost"})
        assert "unknown argument(s) 'sumary'" in typo and "summary" in typo
        bad = await call_error(client, "clock_out", {"decisions": "x" * 10_000})
        assert "decisions: Input should be a valid list" in bad and "xxxx" not in bad
        assert "pydantic" not in bad and "input_value" not in bad
        huge = await call_error(
            client, "document_submit", {"doc_type": "report", "content": "y" * 5_000_000}
        )
        assert len(huge) < 300 and "limit" in huge
        result = await client.call_tool("get_context", {"documents": ["project-roadmap"]})
        assert result.structured_content is None and len(result.content) == 1  # sent once
        with pytest.raises(MCPError, match="unknown prompt"):
            await client.get_prompt("no-such-role")
        with pytest.raises(MCPError):
            await client.read_resource("hestai://context/no-such-document")
        unknown = mproject.root / "other-agent.log"
        unknown.write_text("an agent log in a format nobody reads\n", encoding="utf-8")
        for allow_empty in (False, True):  # an agent never gets a non-transcript read
            refused = await call_error(
                client,
                "clock_out",
                {"transcript_path": str(unknown), "allow_empty": allow_empty},
            )
            assert "not a transcript of a supported agent" in refused
        chat = ct.write(
            mproject.root / "chat-only.jsonl",
            ct.TranscriptSpec(cwd=str(mproject.root), turns=[ct.Turn(prompt="just talk")]),
        )
        empty = await call_error(client, "clock_out", {"transcript_path": str(chat)})
        assert "0 tool calls" in empty and "the allow_empty argument" in empty
        assert "--" not in empty  # MCP words, not CLI flags
        out = await call(
            client,
            "clock_out",
            {"description": "alias of summary", "transcript_path": str(chat), "allow_empty": True},
        )
    archive = (mproject.root / out["archive_path"]).read_text(encoding="utf-8")
    assert "alias of summary" in archive


@pytest.mark.slow
@pytest.mark.anyio
async def test_an_uninitialised_repository_is_left_alone(repo: Path) -> None:
    project = Project.discover(repo)
    before = run_git(repo, "status", "--porcelain", "--untracked-files=all").stdout
    async with Client(serve_params(project), read_timeout_seconds=60) as client:
        assert len((await client.list_tools()).tools) >= 6
        refused = await call_error(client, "clock_in", {"focus": "bare"})
        refusal = await call_error(
            client, "document_submit", {"doc_type": "report", "content": "x"}
        )
    assert "run `tmws init`" in refused and "run `tmws init`" in refusal
    assert not project.hestai_sys.exists() and not project.hestai.exists()
    assert run_git(repo, "status", "--porcelain", "--untracked-files=all").stdout == before
