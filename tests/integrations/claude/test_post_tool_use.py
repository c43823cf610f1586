"""The PostToolUse hook: the fast path and the full path decide and record alike."""

from __future__ import annotations

from pathlib import Path

from hestai_tmws.integrations.claude.post_tool_use import fast_post_tool_use, handle_post_tool_use
from hestai_tmws.project import Project
from hestai_tmws.sessions.traces import read_traces
from hestai_tmws.workflows.clock_in import clock_in
from hestai_tmws.workflows.init import init_project


def post(root: Path, tool: str = "Read", **kw: object) -> dict[str, object]:
    payload: dict[str, object] = {
        "hook_event_name": "PostToolUse",
        "session_id": "claude-a",
        "cwd": str(root),
        "tool_name": tool,
        "tool_input": {"file_path": str(root / "README.md")},
        "tool_response": {"success": True},
    }
    payload.update(kw)
    return payload


def test_without_a_tool_name_nothing_is_recorded(repo: Path) -> None:
    outcome = handle_post_tool_use({"cwd": str(repo)}, {})
    assert "without tool_name" in outcome.stderr


def test_the_fast_path_records_into_the_agents_session(repo: Path) -> None:
    project = Project.discover(repo)
    init_project(project)
    opened = clock_in(project, focus="one", claude_session_id="claude-a")
    assert fast_post_tool_use(post(repo), {}, "Read", failed=True)
    (record,) = read_traces(project, opened.session_id).records
    assert (record.tool, record.summary, record.ok, record.error_class) == (
        "Read",
        "README.md",
        False,
        "ToolFailure",
    )
    assert record.source == "claude-code" and record.session_id == opened.session_id


def test_another_agents_session_gets_nothing(repo: Path) -> None:
    project = Project.discover(repo)
    init_project(project)
    opened = clock_in(project, focus="one", claude_session_id="claude-b")
    assert not fast_post_tool_use(post(repo), {}, "Read", failed=False)
    assert handle_post_tool_use(post(repo), {}).stderr == ""
    assert read_traces(project, opened.session_id).records == []
