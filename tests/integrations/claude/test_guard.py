"""The PreToolUse rule: Claude's file tools may not write into .hestai/ or .hestai-sys/."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hestai_tmws.integrations.claude.guard import (
    GUARDED_TOOLS,
    ProtectedHit,
    pre_tool_use_decision,
    protected_target,
)
from tests.mcpserver.conftest import subprocess_env


def payload(tool: str, path: str, cwd: str, key: str | None = None, **extra: Any) -> dict[str, Any]:
    return {
        "session_id": "c0ffee",
        "transcript_path": "/tmp/t.jsonl",
        "cwd": cwd,
        "permission_mode": "default",
        "hook_event_name": "PreToolUse",
        "tool_name": tool,
        "tool_input": {key or GUARDED_TOOLS.get(tool, "file_path"): path, "content": "x"},
        "tool_use_id": "toolu_01",
        **extra,
    }


def reason(decision: dict[str, Any] | None) -> str:
    assert decision is not None
    out = decision["hookSpecificOutput"]
    assert out["hookEventName"] == "PreToolUse" and out["permissionDecision"] == "deny"
    return str(out["permissionDecisionReason"])


@pytest.mark.parametrize("tool", sorted(GUARDED_TOOLS))
def test_every_file_tool_is_denied_inside_memory(tool: str, tmp_path: Path) -> None:
    text = reason(
        pre_tool_use_decision(
            payload(tool, ".hestai/context/project-context.oct.md", str(tmp_path))
        )
    )
    assert "mcp__tmws__context_update" in text
    assert ".hestai/context/project-context.oct.md" in text


@pytest.mark.parametrize(
    ("path", "tool_name"),
    [
        (".hestai/workflow/decisions/001-x.oct.md", "mcp__tmws__document_submit"),
        (".hestai/reports/2026-01-01-x.oct.md", "mcp__tmws__document_submit"),
        (".hestai/workflow/000-project-north-star.oct.md", "mcp__tmws__document_submit"),
        (".hestai/sessions/archive/x.oct.md", "mcp__tmws__clock_out"),
        (".hestai/learning/patterns/p.oct.md", "tmws learn"),
        (".hestai-sys/agents/implementation-lead.oct.md", "read-only"),
    ],
)
def test_the_reason_names_the_tool_to_use(path: str, tool_name: str, tmp_path: Path) -> None:
    assert tool_name in reason(pre_tool_use_decision(payload("Write", path, str(tmp_path))))


def test_relative_paths_dotdot_and_absolute_paths(tmp_path: Path) -> None:
    sub = tmp_path / "src" / "pkg"
    sub.mkdir(parents=True)
    cwd = str(sub)
    assert pre_tool_use_decision(payload("Edit", "../../.hestai/context/a.oct.md", cwd))
    assert pre_tool_use_decision(payload("Edit", str(tmp_path / ".hestai-sys/x.md"), cwd))
    assert pre_tool_use_decision(payload("Edit", "./../pkg/../../.hestai/x", cwd))
    assert pre_tool_use_decision(payload("Edit", ".hestai/../src/ok.py", str(tmp_path))) is None
    assert pre_tool_use_decision(payload("Edit", "src/.hestai-notes.md", str(tmp_path))) is None
    assert pre_tool_use_decision(payload("Edit", ".hestai-tmws.yaml", str(tmp_path))) is None


def test_symbolic_links_into_memory_are_followed(tmp_path: Path) -> None:
    (tmp_path / ".hestai" / "context").mkdir(parents=True)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "ctx").symlink_to(tmp_path / ".hestai" / "context")
    (tmp_path / "notes.md").symlink_to(tmp_path / ".hestai" / "context" / "project-context.oct.md")
    assert pre_tool_use_decision(payload("Write", "docs/ctx/new.oct.md", str(tmp_path)))
    assert pre_tool_use_decision(payload("Edit", "notes.md", str(tmp_path)))
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "link-out").symlink_to(tmp_path / "elsewhere")
    assert pre_tool_use_decision(payload("Write", "link-out/a.py", str(tmp_path))) is None


def test_other_tools_and_other_paths_pass(tmp_path: Path) -> None:
    for tool in ("Read", "Bash", "Grep", "Glob", "mcp__tmws__context_update"):
        assert (
            pre_tool_use_decision(payload(tool, ".hestai/context/a.oct.md", str(tmp_path))) is None
        )
    assert pre_tool_use_decision(payload("Write", "src/app.py", str(tmp_path))) is None
    # the notebook tool names its file notebook_path; file_path there means nothing
    assert (
        pre_tool_use_decision(
            payload("NotebookEdit", ".hestai/n.ipynb", str(tmp_path), "file_path")
        )
        is None
    )


@pytest.mark.parametrize(
    "bad",
    [
        {},
        {"tool_name": "Write"},
        {"tool_name": "Write", "tool_input": "not a dict"},
        {"tool_name": "Write", "tool_input": {"file_path": 42}},
        {"tool_name": "Write", "tool_input": {"file_path": ""}},
        {"tool_name": ["Write"], "tool_input": {"file_path": ".hestai/x"}},
        {"tool_name": "Write", "tool_input": {"file_path": ".hestai/x"}, "cwd": 7},
    ],
)
def test_malformed_payloads_never_raise(bad: dict[str, Any]) -> None:
    decision = pre_tool_use_decision(bad)
    if decision is not None:  # a usable path with a bad cwd still falls back to os.getcwd()
        assert bad["tool_input"]["file_path"] == ".hestai/x"


segment = st.from_regex(r"[A-Za-z0-9_-]{1,10}", fullmatch=True)


@given(
    st.lists(segment, max_size=3),
    st.sampled_from([".hestai", ".hestai-sys"]),
    st.lists(segment, min_size=1, max_size=3),
)
def test_any_path_through_a_protected_folder_is_found(
    before: list[str], folder: str, after: list[str]
) -> None:
    rel = "/".join([*before, folder, *after])
    hit = protected_target(rel, "/nonexistent-root")
    assert hit == ProtectedHit(folder, "/".join(after))


@given(st.lists(segment, min_size=1, max_size=5))
def test_paths_without_a_protected_folder_pass(parts: list[str]) -> None:
    assert protected_target("/".join(parts), "/nonexistent-root") is None


def test_the_hook_process_prints_the_decision_and_exits_zero(tmp_path: Path) -> None:
    data = json.dumps(
        {**payload("Edit", ".hestai/context/x.oct.md", str(tmp_path)), "new_field": [1]}
    )
    proc = subprocess.run(
        [sys.executable, "-m", "hestai_tmws.integrations.claude_hooks", "pre-tool-use"],
        input=data,
        capture_output=True,
        text=True,
        env=subprocess_env(),
        timeout=60,
    )
    assert proc.returncode == 0
    decision = json.loads(proc.stdout)
    assert decision["hookSpecificOutput"]["permissionDecision"] == "deny"
    allowed = subprocess.run(
        [sys.executable, "-m", "hestai_tmws.integrations.claude_hooks", "pre-tool-use"],
        input=json.dumps(payload("Edit", "src/ok.py", str(tmp_path))),
        capture_output=True,
        text=True,
        env=subprocess_env(),
        timeout=60,
    )
    assert (allowed.returncode, allowed.stdout, allowed.stderr) == (0, "", "")


def test_guard_imports_no_tmws_service() -> None:
    code = (
        "import json, sys, hestai_tmws.integrations.claude.hooks as h;"
        "h.run('pre-tool-use', b'{}', {});"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('hestai_tmws'))))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=subprocess_env(),
        check=True,
    ).stdout
    loaded = set(json.loads(out))
    assert loaded <= {
        "hestai_tmws",
        "hestai_tmws.integrations",
        "hestai_tmws.integrations.claude",
        "hestai_tmws.integrations.claude.hooks",
        "hestai_tmws.integrations.claude.payload",
        "hestai_tmws.integrations.claude.guard",
        "hestai_tmws.errors",  # the error types, standard library only
    }, loaded
