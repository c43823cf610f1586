"""The Codex rollout reader, against the real rollouts in ../shared/corpus (skipped if absent).

Counts were established by an independent scan of each file (every response_item call type;
a failure is a non-zero "Process exited with code N" / "Exit code: N" or a failed patch
verification) and are checked exactly.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hestai_tmws.sessions.transcripts import detect_format, read_codex, read_transcript
from hestai_tmws.sessions.transcripts.codex import output_failed
from tests.paths import REPO_ROOT

CODEX = REPO_ROOT.parent / "shared" / "corpus" / "other-agents" / "codex"
# rollout id prefix: (calls, failed calls, shell commands, files changed by apply_patch)
EXPECTED = {
    "019ed50c": (105, 2, 92, 3),
    "019ed893": (447, 14, 323, 0),
    "019ed936": (111, 8, 105, 1),
    "019f03e0": (177, 17, 161, 5),
    "019f36b8": (311, 14, 249, 6),
}


def rollout(prefix: str) -> Path:
    if not CODEX.is_dir():
        pytest.skip("the shared corpus is not here")
    [path] = CODEX.glob(f"{prefix}*.jsonl")
    return path


@pytest.mark.parametrize("prefix", sorted(EXPECTED))
def test_real_rollouts_give_exact_counts(prefix: str) -> None:
    path = rollout(prefix)
    assert detect_format(path) == "codex"
    t = read_transcript(path)
    calls, failed, commands, changed = EXPECTED[prefix]
    assert t.format == "codex" and t.malformed_lines == 0
    assert len(t.tool_calls) == calls
    assert sum(1 for c in t.tool_calls if c.ok is False) == failed
    assert all(c.ok is not None for c in t.tool_calls)  # every call has its outcome
    assert len(t.commands) == commands and len(t.files_changed) == changed
    assert t.session_id and path.stem.startswith(t.session_id) and t.version and t.cwd
    assert t.user_prompts and t.assistant_texts and t.started_at and t.ended_at


def test_the_first_rollout_in_detail() -> None:
    t = read_codex(rollout("019ed50c"))
    names = {c.name for c in t.tool_calls}
    assert {"exec_command", "apply_patch", "web_search", "tool_search"} <= names
    assert t.record_counts["response_item/function_call"] == 95
    assert t.record_counts.get("compacted", 0) == 0 and t.tool_calls[0].input_digest
    failed = [c for c in t.tool_calls if c.ok is False]
    assert all(c.error_text for c in failed)


def test_a_synthetic_rollout(tmp_path: Path) -> None:
    records = [
        {
            "timestamp": "2026-01-01T00:00:00Z",
            "type": "session_meta",
            "payload": {"id": "abc", "cwd": "/w", "cli_version": "0.1", "git": {"branch": "main"}},
        },
        {
            "timestamp": "2026-01-01T00:00:01Z",
            "type": "response_item",
            "payload": {
                "type": "local_shell_call",
                "call_id": "s1",
                "status": "completed",
                "action": {"type": "exec", "command": ["ls", "-la"]},
            },
        },
        {
            "timestamp": "2026-01-01T00:00:02Z",
            "type": "response_item",
            "payload": {
                "type": "function_call",
                "name": "shell",
                "call_id": "s2",
                "arguments": json.dumps({"command": ["bash", "-lc", "false"]}),
            },
        },
        {
            "timestamp": "2026-01-01T00:00:03Z",
            "type": "response_item",
            "payload": {
                "type": "function_call_output",
                "call_id": "s2",
                "output": json.dumps({"output": "boom", "metadata": {"exit_code": 1}}),
            },
        },
        {"timestamp": "2026-01-01T00:00:04Z", "type": "compacted", "payload": {"message": ""}},
    ]
    path = tmp_path / "rollout-2026-01-01T00-00-00-abc.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records) + "\nnot json\n")
    t = read_transcript(path)
    assert t.format == "codex" and t.git_branch == "main" and t.malformed_lines == 1
    assert [(c.name, c.ok) for c in t.tool_calls] == [("local_shell_call", True), ("shell", False)]
    assert t.commands == ["ls -la", "bash -lc false"]
    assert t.record_counts["compacted"] == 1


@given(st.integers(min_value=-255, max_value=255))
def test_exit_codes_decide_failure(code: int) -> None:
    assert output_failed(f"Chunk ID: x\nProcess exited with code {code}\nOutput:\n")[0] is (
        code != 0
    )
    assert output_failed(f"Exit code: {code}\nWall time: 0 seconds\n")[0] is (code != 0)
