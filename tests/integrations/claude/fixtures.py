"""Hook payloads and transcripts in the shapes Claude Code 2.1.x produces (small, generated)."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class ToolCall:
    name: str
    input: dict[str, Any]
    result: str = "ok"
    is_error: bool = False


def hook_payload(
    event: str, claude_id: str, cwd: Path, transcript: Path, **extra: Any
) -> dict[str, Any]:
    """The common fields of every hook, plus one Claude Code might add in a later release."""
    return {
        "session_id": claude_id,
        "transcript_path": str(transcript),
        "cwd": str(cwd),
        "permission_mode": "default",
        "hook_event_name": event,
        "a_field_from_the_future": {"nested": [1, 2, 3]},
        **extra,
    }


def tool_payloads(
    claude_id: str, cwd: Path, transcript: Path, call: ToolCall, index: int
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The PreToolUse and PostToolUse payloads of one call."""
    tool_use_id = f"toolu_{index:024d}"
    pre = hook_payload(
        "PreToolUse",
        claude_id,
        cwd,
        transcript,
        tool_name=call.name,
        tool_input=call.input,
        tool_use_id=tool_use_id,
    )
    response: dict[str, Any]
    if call.name == "Bash":
        response = {"stdout": call.result, "stderr": "", "interrupted": False, "isImage": False}
    else:
        response = {"type": "text", "content": call.result}
    if call.is_error:
        response = {**response, "is_error": True}
    post = {**pre, "hook_event_name": "PostToolUse", "tool_response": response}
    return pre, post


def write_transcript(
    path: Path, claude_id: str, cwd: Path, prompt: str, calls: list[ToolCall]
) -> Path:
    """A transcript: a snapshot, the prompt, then tool_use / progress / tool_result per call."""
    clock = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)
    parent: str | None = None
    records: list[dict[str, Any]] = [
        {
            "type": "file-history-snapshot",
            "messageId": str(uuid.uuid4()),
            "snapshot": {"trackedFileBackups": {}, "timestamp": clock.isoformat()},
            "isSnapshotUpdate": False,
        }
    ]

    def base(kind: str) -> dict[str, Any]:
        nonlocal clock, parent
        clock += timedelta(milliseconds=500)
        rec_id = str(uuid.uuid4())
        rec = {
            "parentUuid": parent,
            "isSidechain": False,
            "userType": "external",
            "cwd": str(cwd),
            "sessionId": claude_id,
            "version": "2.1.39",
            "gitBranch": "main",
            "type": kind,
            "uuid": rec_id,
            "timestamp": clock.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z",
        }
        parent = rec_id
        return rec

    user = base("user")
    user["message"] = {"role": "user", "content": prompt}
    records.append(user)
    for index, call in enumerate(calls):
        tool_id = f"toolu_{index:024d}"
        assistant = base("assistant")
        assistant["message"] = {
            "model": "claude-test",
            "id": f"msg_{index:020d}",
            "type": "message",
            "role": "assistant",
            "content": [
                {"type": "tool_use", "id": tool_id, "name": call.name, "input": call.input}
            ],
            "stop_reason": None,
        }
        records.append(assistant)
        progress = base("progress")
        progress["data"] = {"type": "hook_progress", "hookEvent": "PostToolUse"}
        records.append(progress)
        result = base("user")
        result["message"] = {
            "role": "user",
            "content": [
                {
                    "tool_use_id": tool_id,
                    "type": "tool_result",
                    "content": call.result,
                    "is_error": call.is_error,
                }
            ],
        }
        records.append(result)
    records.append({"type": "a-record-type-from-the-future", "payload": True})
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path
