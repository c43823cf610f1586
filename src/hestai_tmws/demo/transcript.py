"""Write small Claude Code transcripts for `tmws demo` (the 2.1.x record shapes).

The demo has no real agent, so it writes the transcript an agent session would have left:
a typed prompt, assistant tool calls with their results, and a closing message.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

# (tool, input) pairs: a recurring "fix, test, commit" procedure an agent repeats.
DEMO_WORKFLOW: tuple[tuple[str, dict[str, Any]], ...] = (
    ("Grep", {"pattern": "def retry", "path": "src"}),
    ("Read", {"file_path": "src/sync/client.py"}),
    ("Edit", {"file_path": "src/sync/client.py", "old_string": "a", "new_string": "b"}),
    ("Bash", {"command": "python -m pytest -q tests/test_client.py"}),
    ("Bash", {"command": "git add -A && git commit -m 'fix retry'"}),
)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def write_transcript(
    path: Path,
    *,
    cwd: Path,
    prompt: str,
    calls: Sequence[tuple[str, dict[str, Any]]],
    closing: str,
    start: datetime | None = None,
    session_id: str | None = None,
) -> Path:
    """Write one session's JSONL transcript; returns `path`."""
    sid = session_id or str(uuid.uuid4())
    clock = start or datetime.now(UTC)
    parent: str | None = None
    lines: list[dict[str, Any]] = []

    def record(kind: str, message: dict[str, Any]) -> None:
        nonlocal clock, parent
        clock += timedelta(milliseconds=400)
        rec_id = str(uuid.uuid4())
        lines.append(
            {
                "parentUuid": parent,
                "isSidechain": False,
                "type": kind,
                "message": message,
                "uuid": rec_id,
                "timestamp": _stamp(clock),
                "sessionId": sid,
                "cwd": str(cwd),
                "gitBranch": "main",
                "version": "2.1.38",
            }
        )
        parent = rec_id

    record("user", {"role": "user", "content": prompt})
    for n, (tool, tool_input) in enumerate(calls):
        use_id = f"toolu_demo_{n:03d}_{uuid.uuid4().hex[:8]}"
        record(
            "assistant",
            {
                "role": "assistant",
                "content": [{"type": "tool_use", "id": use_id, "name": tool, "input": tool_input}],
            },
        )
        record(
            "user",
            {
                "role": "user",
                "content": [
                    {
                        "type": "tool_result",
                        "tool_use_id": use_id,
                        "content": "ok",
                        "is_error": False,
                    }
                ],
            },
        )
    record("assistant", {"role": "assistant", "content": [{"type": "text", "text": closing}]})
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return path
