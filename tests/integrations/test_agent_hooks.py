"""Gemini CLI and Cursor hook handlers (issue 14): their tool calls are traced into the open
session through the Claude hook's fast path, stdout is always one JSON object, and nothing
(garbage, no tmws on PATH) ever blocks the agent."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hestai_tmws.integrations.agent_hook_config import hook_command
from hestai_tmws.integrations.agent_hooks import run
from hestai_tmws.integrations.claude.payload import HookOutcome
from hestai_tmws.integrations.claude.settings import Launcher
from hestai_tmws.project import Project
from hestai_tmws.sessions.store import list_active
from hestai_tmws.sessions.traces import read_traces
from hestai_tmws.workflows.clock_in import clock_in
from hestai_tmws.workflows.init import init_project
from tests.mcpserver.conftest import subprocess_env

GEMINI_ID = "7c1d0a4e-2f3b-4a5c-8d9e-0f1a2b3c4d5e"
CURSOR_ID = "conv-42"


@pytest.fixture
def hproject(repo: Path) -> Project:
    project = Project.discover(repo)
    init_project(project)
    return project


def hook(agent: str, event: str, payload: Any) -> HookOutcome:
    raw = payload if isinstance(payload, str | bytes) else json.dumps(payload)
    outcome = run(agent, event, raw, {})
    assert isinstance(json.loads(outcome.stdout), dict)  # JSON only, always
    assert outcome.exit_code == 0
    return outcome


def gemini(event: str, root: Path, **extra: Any) -> dict[str, Any]:
    """A Gemini CLI hook payload: its base fields plus the event's."""
    return {
        "session_id": GEMINI_ID,
        "transcript_path": str(root / "no-such-chat.json"),
        "cwd": str(root),
        "hook_event_name": event,
        "timestamp": "2026-12-02T16:00:00.000Z",
        **extra,
    }


def cursor(event: str, root: Path, **extra: Any) -> dict[str, Any]:
    return {
        "conversation_id": CURSOR_ID,
        "generation_id": "gen-1",
        "workspace_roots": [str(root)],
        "hook_event_name": event,
        "cursor_version": "2.0.77",
        **extra,
    }


def test_a_whole_gemini_session(hproject: Project) -> None:
    root = hproject.root
    start = hook("gemini", "session-start", gemini("SessionStart", root, source="startup"))
    context = json.loads(start.stdout)["hookSpecificOutput"]["additionalContext"]
    (session,) = list_active(hproject)
    assert session.claude_session_id == GEMINI_ID and session.id[:8] in context
    calls = [
        ("run_shell_command", {"command": "pytest -q"}, {"llmContent": "1 passed"}),
        ("read_file", {"absolute_path": str(root / "README.md")}, {"llmContent": "…"}),
        ("replace", {"file_path": "src/a.py"}, {"error": {"message": "no match", "type": "x"}}),
        ("mcp_tmws_clock_in", {"role": "x"}, {"llmContent": "{}"}),  # the server traces it
    ]
    for tool, args, response in calls:
        payload = gemini("AfterTool", root, tool_name=tool, tool_input=args, tool_response=response)
        assert hook("gemini", "AfterTool", payload).stderr == ""
    records = read_traces(hproject, session.id).records
    assert [(r.tool, r.ok, r.source) for r in records] == [
        ("run_shell_command", True, "gemini"),
        ("read_file", True, "gemini"),
        ("replace", False, "gemini"),
    ]
    assert [r.summary for r in records][::2] == ["pytest -q", "src/a.py"]
    end = hook("gemini", "session-end", gemini("SessionEnd", root, reason="exit"))
    assert "clocked out" in end.stderr and not list_active(hproject)


def test_cursor_commands_and_edits_are_traced(hproject: Project) -> None:
    root = hproject.root
    result = clock_in(hproject, role="implementation-lead")
    hook(
        "cursor",
        "afterShellExecution",
        cursor("afterShellExecution", root, command="make test", output="ok", duration=1250),
    )
    edit = cursor(
        "afterFileEdit",
        root,
        file_path=str(root / "src" / "app.py"),
        edits=[{"old_string": "a", "new_string": "b"}],
    )
    hook("cursor", "after-file-edit", edit)
    records = read_traces(hproject, result.session_id).records
    assert [(r.tool, r.summary, r.source) for r in records] == [
        ("Shell", "make test", "cursor"),
        ("Edit", "src/app.py", "cursor"),
    ]
    assert records[0].duration_ms == 1250.0


def test_another_agents_session_is_left_alone(hproject: Project) -> None:
    """A session clocked in by a Gemini session is not where a Cursor conversation writes."""
    root = hproject.root
    hook("gemini", "session-start", gemini("SessionStart", root, source="startup"))
    (session,) = list_active(hproject)
    hook("cursor", "afterShellExecution", cursor("afterShellExecution", root, command="ls"))
    assert read_traces(hproject, session.id).records == []


@pytest.mark.parametrize(
    ("agent", "event"),
    [("gemini", "after-tool"), ("cursor", "stop"), ("codex", "after-tool"), ("gemini", "")],
)
def test_unknown_agents_and_events_answer_json(agent: str, event: str, tmp_path: Path) -> None:
    hook(agent, event, {"cwd": str(tmp_path), "tool_name": "x"})


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    raw=st.binary(max_size=200),
    agent=st.sampled_from(["gemini", "cursor"]),
    event=st.sampled_from(
        ["session-start", "after-tool", "after-shell-execution", "after-file-edit", "session-end"]
    ),
)
def test_garbage_never_blocks_the_agent(
    raw: bytes, agent: str, event: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A payload without `cwd` means the process's folder: keep that away from this repository.
    monkeypatch.chdir(tmp_path)
    hook(agent, event, raw)


def test_the_hook_process_stays_light(hproject: Project) -> None:
    """Each tool call starts a Python: the trace path loads neither pydantic nor gitpython."""
    clock_in(hproject, role="implementation-lead")
    payload = gemini(
        "AfterTool",
        hproject.root,
        tool_name="glob",
        tool_input={"pattern": "*"},
        tool_response={"llmContent": "a"},
    )
    probe = (
        "import sys; from hestai_tmws.integrations.agent_hooks import main; "
        "code = main(['gemini', 'after-tool']); "
        "print(code, 'pydantic' in sys.modules, 'git' in sys.modules, file=sys.stderr)"
    )
    proc = subprocess.run(
        [sys.executable, "-c", probe],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        check=True,
        env=subprocess_env(CLAUDE_PROJECT_DIR=str(hproject.root)),
    )
    assert json.loads(proc.stdout) == {}
    assert proc.stderr.split() == ["0", "False", "False"]


@pytest.mark.parametrize("agent", ["gemini", "cursor"])
def test_without_tmws_on_path_the_hook_answers_json(agent: str, tmp_path: Path) -> None:
    tmws = Launcher(
        hook_prefix=["tmws", "hook", "claude"], server_command="tmws", server_args=["serve"]
    )
    line = hook_command(tmws, agent, "after-tool")
    proc = subprocess.run(
        ["/bin/sh", "-c", line],
        input="{}",
        capture_output=True,
        text=True,
        env={"PATH": str(tmp_path)},
        cwd=tmp_path,
    )
    assert proc.returncode == 0 and json.loads(proc.stdout) == {}
    assert "not installed" in proc.stderr


@pytest.mark.parametrize(
    ("tool", "path", "denied"),
    [
        ("write_file", ".hestai/decisions/x.md", True),
        ("replace", "docs/../.hestai-sys/rules.md", True),
        ("write_file", "src/app.py", False),
        ("read_file", ".hestai/context/a.md", False),  # reading is fine
    ],
)
def test_gemini_may_not_edit_memory_directly(
    tool: str, path: str, denied: bool, tmp_path: Path
) -> None:
    payload = gemini("BeforeTool", tmp_path, tool_name=tool, tool_input={"file_path": path})
    answer = json.loads(hook("gemini", "BeforeTool", payload).stdout)
    if denied:
        assert answer["decision"] == "deny" and "mcp__" not in answer["reason"]
        assert "Steward" in answer["reason"] or "read-only" in answer["reason"]
    else:
        assert answer == {}
