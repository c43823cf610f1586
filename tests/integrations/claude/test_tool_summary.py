"""One line about a Claude Code tool call, and whether it failed."""

from __future__ import annotations

from pathlib import Path

from hestai_tmws.integrations.claude.tool_summary import claude_tool_summary, tool_response_error


def test_tool_summaries(tmp_path: Path) -> None:
    cwd = str(tmp_path)
    assert claude_tool_summary("Bash", {"command": "pytest -q\n  -x"}, cwd) == "pytest -q -x"
    assert claude_tool_summary("Edit", {"file_path": f"{cwd}/src/a.py"}, cwd) == "src/a.py"
    assert claude_tool_summary("Read", {"file_path": "/etc/hosts"}, cwd) == "/etc/hosts"
    assert claude_tool_summary("Grep", {"pattern": "def x", "path": "src"}, cwd) == "def x in src"
    assert claude_tool_summary("NotebookEdit", {"notebook_path": "n.ipynb"}, cwd) == "n.ipynb"
    assert claude_tool_summary("mcp__other__x", {"b": 1, "a": 2}, cwd) == "args: a,b"
    assert claude_tool_summary("Bash", "not a dict", cwd) == ""
    assert len(claude_tool_summary("Bash", {"command": "x" * 1000}, cwd)) == 160


def test_failed_tool_responses() -> None:
    assert tool_response_error({"stdout": "", "interrupted": False}) is None
    assert tool_response_error({"interrupted": True}) == "Interrupted"
    assert tool_response_error({"is_error": True}) == "ToolError"
    assert tool_response_error({"error": "boom"}) == "ToolError"
    assert tool_response_error({"success": False}) == "ToolError"
    assert tool_response_error("text") is None
    assert tool_response_error(None) is None
