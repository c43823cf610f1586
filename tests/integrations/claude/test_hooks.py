"""Claude Code hook handlers, fed real-shaped hook JSON (and garbage), up to a whole session."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from hestai_tmws.integrations.claude import post_tool_use
from hestai_tmws.integrations.claude.hooks import PRIMER_MAX_BYTES, render_primer, run
from hestai_tmws.integrations.claude.payload import HookOutcome
from hestai_tmws.integrations.claude.post_tool_use import fast_post_tool_use
from hestai_tmws.project import Project
from hestai_tmws.sessions.store import list_active
from hestai_tmws.sessions.store import session_for_agent as find_session
from hestai_tmws.sessions.traces import read_traces
from hestai_tmws.workflows.clock_in import clock_in as service_clock_in
from hestai_tmws.workflows.init import init_project
from tests.integrations.claude.fixtures import (
    ToolCall,
    hook_payload,
    tool_payloads,
    write_transcript,
)
from tests.mcpserver.conftest import subprocess_env

CLAUDE_ID = "0f6a2c1e-7b7d-4c55-9d0e-5a1b2c3d4e5f"


@pytest.fixture
def hproject(repo: Path) -> Project:
    project = Project.discover(repo)
    init_project(project)
    return project


def hook(event: str, payload: Any, environ: dict[str, str] | None = None) -> HookOutcome:
    raw = payload if isinstance(payload, str | bytes) else json.dumps(payload)
    return run(event, raw, environ or {})


def hook_process(
    event: str, payload: dict[str, Any], cwd: Path
) -> subprocess.CompletedProcess[str]:
    """The hook exactly as Claude Code runs it: a process, JSON on stdin."""
    return subprocess.run(
        [sys.executable, "-m", "hestai_tmws.integrations.claude_hooks", event],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        cwd=cwd,
        env=subprocess_env(CLAUDE_PROJECT_DIR=str(cwd)),
        timeout=120,
    )


# -- parsing and dispatch -----------------------------------------------------------------------


@pytest.mark.parametrize("event", ["session-start", "pre-tool-use", "post-tool-use", "session-end"])
@pytest.mark.parametrize("raw", ["garbage{", "[]", ""])
def test_garbage_never_blocks_the_agent(event: str, raw: str, tmp_path: Path) -> None:
    outcome = hook(event, raw, {"CLAUDE_PROJECT_DIR": str(tmp_path)})  # not a git repository
    assert outcome.exit_code == 0
    assert outcome.stdout == ""


def test_unknown_event_is_ignored_with_a_note() -> None:
    outcome = hook("stop", {"hook_event_name": "Stop"})
    assert (outcome.exit_code, outcome.stdout) == (0, "")
    assert "unknown hook event" in outcome.stderr


def test_the_event_may_come_from_the_payload(tmp_path: Path) -> None:
    payload = {
        "hook_event_name": "PreToolUse",
        "tool_name": "Write",
        "tool_input": {"file_path": ".hestai/x.md"},
        "cwd": str(tmp_path),
    }
    outcome = run(None, json.dumps(payload), {})
    assert json.loads(outcome.stdout)["hookSpecificOutput"]["permissionDecision"] == "deny"


def test_a_failing_tmws_is_reported_on_stderr_only(tmp_path: Path) -> None:
    outcome = hook("session-start", {"cwd": str(tmp_path)}, {})
    assert outcome.exit_code == 0 and outcome.stdout == ""
    assert "not inside a git repository" in outcome.stderr
    assert "hint:" in outcome.stderr


# -- summaries and primer -----------------------------------------------------------------------


def test_the_primer_stays_under_its_budget() -> None:
    primer = render_primer(
        session_id="abcdef012345",
        role="implementation-lead",
        focus="f" * 500,
        governance_version="1.0.0",
        read_first=[f".hestai/context/doc-{i}.oct.md" for i in range(60)],
        north_star="n" * 3000,
        checklist=["c" * 300] * 30,
        skills=[{"name": "s" * 300, "reason": "r" * 300}] * 10,
        notes=["x" * 500] * 5,
    )
    assert len(primer.encode("utf-8")) <= PRIMER_MAX_BYTES
    assert primer.startswith("hestai-tmws: session abcdef01 clocked in as implementation-lead")


# -- the handlers against a real project --------------------------------------------------------


def test_session_start_clocks_in_and_prints_the_primer(hproject: Project, tmp_path: Path) -> None:
    transcript = tmp_path / "t.jsonl"
    payload = hook_payload("SessionStart", CLAUDE_ID, hproject.root, transcript, source="startup")
    outcome = hook("session-start", payload, {"TMWS_ROLE": "technical-architect"})
    assert outcome.exit_code == 0, outcome.stderr
    (session,) = list_active(hproject)
    assert session.role == "technical-architect"
    assert session.claude_session_id == CLAUDE_ID
    assert session.transcript_path == str(transcript.absolute())
    primer = outcome.stdout
    assert len(primer.encode()) < PRIMER_MAX_BYTES
    assert f"session {session.id8} clocked in as technical-architect" in primer
    assert ".hestai-sys/agents/technical-architect.oct.md" in primer
    assert "(governance 1.0.0)" in primer
    assert "mcp__tmws__document_submit" in primer
    # resume and compact print the primer again for the same session, without a new one
    again = hook("session-start", {**payload, "source": "compact"})
    assert f"session {session.id8} continues" in again.stdout
    assert [s.id for s in list_active(hproject)] == [session.id]


def test_session_start_uses_the_default_role(hproject: Project, tmp_path: Path) -> None:
    hproject.config_file.write_text("default_role: security-specialist\n")
    payload = hook_payload("SessionStart", CLAUDE_ID, hproject.root, tmp_path / "t.jsonl")
    assert hook("session-start", payload).exit_code == 0
    assert [s.role for s in list_active(hproject)] == ["security-specialist"]


def test_a_second_claude_session_on_the_same_focus_still_clocks_in(
    hproject: Project, tmp_path: Path
) -> None:
    first = hook_payload("SessionStart", "first", hproject.root, tmp_path / "a.jsonl")
    second = hook_payload("SessionStart", "second", hproject.root, tmp_path / "b.jsonl")
    assert hook("session-start", first).stdout
    outcome = hook("session-start", second)
    assert "clocked in" in outcome.stdout
    assert "already open" in outcome.stderr
    ids = {s.claude_session_id for s in list_active(hproject)}
    assert ids == {"first", "second"}
    assert find_session(hproject, "second") is not None
    assert find_session(hproject, "second").claude_session_id == "second"  # type: ignore[union-attr]


def test_post_tool_use_traces_into_the_right_session(hproject: Project, tmp_path: Path) -> None:
    transcript = tmp_path / "t.jsonl"
    hook("session-start", hook_payload("SessionStart", CLAUDE_ID, hproject.root, transcript))
    other = service_clock_in(hproject, focus="another session", claude_session_id="someone-else")
    (mine,) = [s for s in list_active(hproject) if s.claude_session_id == CLAUDE_ID]
    call = ToolCall("Bash", {"command": "ls -la"}, "total 0")
    _, post = tool_payloads(CLAUDE_ID, hproject.root, transcript, call, 1)
    assert hook("post-tool-use", post).stderr == ""
    failed = ToolCall("Bash", {"command": "false"}, "", is_error=True)
    _, post_failed = tool_payloads(CLAUDE_ID, hproject.root, transcript, failed, 2)
    hook("post-tool-use", post_failed)
    hook("post-tool-use-failure", {**post, "error": "denied"})
    records = read_traces(hproject, mine.id).records
    assert [(r.tool, r.ok, r.error_class, r.source) for r in records] == [
        ("Bash", True, None, "claude-code"),
        ("Bash", False, "ToolError", "claude-code"),
        ("Bash", False, "ToolFailure", "claude-code"),
    ]
    assert records[0].summary == "ls -la"
    assert read_traces(hproject, other.session_id).records == []


def test_post_tool_use_leaves_our_own_mcp_tools_to_the_server(
    hproject: Project, tmp_path: Path
) -> None:
    transcript = tmp_path / "t.jsonl"
    hook("session-start", hook_payload("SessionStart", CLAUDE_ID, hproject.root, transcript))
    (mine,) = [s for s in list_active(hproject) if s.claude_session_id == CLAUDE_ID]
    ours = ToolCall("mcp__tmws__get_context", {}, "{}")
    other = ToolCall("mcp__github__list_issues", {"repo": "x"}, "[]")
    for n, call in enumerate((ours, other), 1):
        _, post = tool_payloads(CLAUDE_ID, hproject.root, transcript, call, n)
        assert hook("post-tool-use", post).stderr == ""
    assert [r.tool for r in read_traces(hproject, mine.id).records] == ["mcp__github__list_issues"]


def test_post_tool_use_fast_path_writes_what_the_full_path_writes(
    hproject: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The stdlib-only fast path and the pydantic path record the same trace."""
    transcript = tmp_path / "t.jsonl"
    hook("session-start", hook_payload("SessionStart", CLAUDE_ID, hproject.root, transcript))
    (mine,) = [s for s in list_active(hproject) if s.claude_session_id == CLAUDE_ID]
    call = ToolCall("Bash", {"command": "curl -H 'Authorization: Bearer abcdefghijklmnop123' x"})
    _, post = tool_payloads(CLAUDE_ID, hproject.root, transcript, call, 1)
    assert fast_post_tool_use(post, {}, "Bash", failed=False)
    monkeypatch.setattr(post_tool_use, "fast_post_tool_use", lambda *a, **k: False)
    assert hook("post-tool-use", post).stderr == ""
    fast, full = read_traces(hproject, mine.id).records
    assert fast.model_dump(exclude={"ts"}) == full.model_dump(exclude={"ts"})
    assert "abcdefghijklmnop123" not in fast.summary and fast.source == "claude-code"


def test_fast_path_steps_aside_when_unsure(hproject: Project, tmp_path: Path) -> None:
    transcript = tmp_path / "t.jsonl"
    call = ToolCall("Read", {"file_path": "README.md"})
    _, post = tool_payloads(CLAUDE_ID, hproject.root, transcript, call, 1)
    assert not fast_post_tool_use(post, {}, "Read", failed=False)  # no session at all
    service_clock_in(hproject, focus="one", claude_session_id="someone-else")
    service_clock_in(hproject, focus="two", claude_session_id="someone-else", force=True)
    assert not fast_post_tool_use(post, {}, "Read", failed=False)  # not ours, two open


def test_hook_process_records_without_pydantic_or_gitpython(
    hproject: Project, tmp_path: Path
) -> None:
    transcript = tmp_path / "t.jsonl"
    hook("session-start", hook_payload("SessionStart", CLAUDE_ID, hproject.root, transcript))
    (mine,) = [s for s in list_active(hproject) if s.claude_session_id == CLAUDE_ID]
    _, post = tool_payloads(
        CLAUDE_ID, hproject.root, transcript, ToolCall("Glob", {"pattern": "*"}), 1
    )
    probe = (
        "import sys; from hestai_tmws.integrations.claude.hooks import main; "
        "code = main(['post-tool-use']); "
        "print(code, 'pydantic' in sys.modules, 'git' in sys.modules)"
    )
    proc = subprocess.run(
        [sys.executable, "-c", probe],
        input=json.dumps(post),
        capture_output=True,
        text=True,
        check=True,
    )
    assert proc.stdout.split() == ["0", "False", "False"]
    assert [r.tool for r in read_traces(hproject, mine.id).records] == ["Glob"]


def test_post_tool_use_without_a_session_records_nothing(hproject: Project, tmp_path: Path) -> None:
    call = ToolCall("Read", {"file_path": "README.md"})
    _, post = tool_payloads(CLAUDE_ID, hproject.root, tmp_path / "t.jsonl", call, 1)
    outcome = hook("post-tool-use", post)
    assert (outcome.exit_code, outcome.stdout, outcome.stderr) == (0, "", "")
    assert hook("post-tool-use", {"cwd": str(hproject.root)}).exit_code == 0


def test_session_end_without_a_session_is_a_note(hproject: Project, tmp_path: Path) -> None:
    payload = hook_payload("SessionEnd", CLAUDE_ID, hproject.root, tmp_path / "t.jsonl")
    outcome = hook("session-end", {**payload, "reason": "exit"})
    assert outcome.exit_code == 0 and "no open session" in outcome.stderr


# -- a whole Claude Code session, through the hook processes ------------------------------------

CALLS = [
    ToolCall("Bash", {"command": "git status --short", "description": "status"}, "M app.py"),
    ToolCall("Read", {"file_path": "src/app.py"}, "print('hi')"),
    ToolCall("Grep", {"pattern": "def main", "path": "src"}, "src/app.py"),
    ToolCall("Edit", {"file_path": "src/app.py", "old_string": "hi", "new_string": "hello"}),
    ToolCall("Bash", {"command": "pytest -q"}, "1 failed", is_error=True),
    ToolCall("Write", {"file_path": "tests/test_app.py", "content": "def test_x():\n    pass\n"}),
]


def test_a_whole_claude_code_session(hproject: Project, tmp_path: Path) -> None:
    root = hproject.root
    transcript = tmp_path / "claude" / f"{CLAUDE_ID}.jsonl"
    start = hook_process(
        "session-start",
        hook_payload("SessionStart", CLAUDE_ID, root, transcript, source="startup"),
        root,
    )
    assert start.returncode == 0, start.stderr
    assert "clocked in as implementation-lead" in start.stdout
    (session,) = list_active(hproject)

    # the agent tries to edit memory directly: refused, with the tool to use instead
    sneaky = ToolCall("Edit", {"file_path": ".hestai/context/project-context.oct.md"})
    pre, _ = tool_payloads(CLAUDE_ID, root, transcript, sneaky, 99)
    denied = hook_process("pre-tool-use", pre, root)
    assert denied.returncode == 0
    reason = json.loads(denied.stdout)["hookSpecificOutput"]["permissionDecisionReason"]
    assert "mcp__tmws__context_update" in reason

    for index, call in enumerate(CALLS):
        pre, post = tool_payloads(CLAUDE_ID, root, transcript, call, index)
        allowed = hook_process("pre-tool-use", pre, root)
        assert (allowed.returncode, allowed.stdout) == (0, "")
        posted = hook_process("post-tool-use", post, root)
        assert (posted.returncode, posted.stdout, posted.stderr) == (0, "", "")

    write_transcript(transcript, CLAUDE_ID, root, "Make the app say hello", CALLS)
    end = hook_process(
        "session-end",
        {**hook_payload("SessionEnd", CLAUDE_ID, root, transcript), "reason": "exit"},
        root,
    )
    assert end.returncode == 0, end.stderr
    assert f"session {session.id8} clocked out" in end.stderr
    assert list_active(hproject) == []

    (archive,) = sorted((hproject.hestai / "sessions" / "archive").glob(f"*{session.id8}.oct.md"))
    from hestai_tmws.octave import parse

    doc = parse(archive.read_text(encoding="utf-8"))
    assert doc.meta["CLAUDE_SESSION_ID"] == CLAUDE_ID
    assert doc.meta["TOOL_CALL_COUNT"] == len(CALLS)
    assert doc.meta["FAILED_CALL_COUNT"] == 1
    trace = doc.section("TRACE")
    assert trace is not None
    entries = [v for k, v in trace.body.items() if k.startswith("T") and isinstance(v, dict)]
    assert [e["TOOL"] for e in entries] == [c.name for c in CALLS]
    assert all(e["SOURCE"] == "claude-code" for e in entries)
    assert [e["OK"] for e in entries] == [not c.is_error for c in CALLS]
    calls_section = doc.section("TOOL_CALLS")
    assert calls_section is not None
    assert _tool_sequence(calls_section.body) == [c.name for c in CALLS]


def _tool_sequence(body: dict[str, Any]) -> list[str]:
    """Tool names of the archive's TOOL_CALLS section (entries C001, C002, …) in call order."""
    return [str(v["TOOL"]) for k, v in body.items() if k.startswith("C") and isinstance(v, dict)]
