"""Read an OpenAI Codex CLI rollout (`$CODEX_HOME/sessions/YYYY/MM/DD/rollout-*.jsonl`).

Each line is `{"timestamp", "type", "payload"}`. The types read here: `session_meta` (id,
cwd, cli_version, git), `response_item` (function_call / custom_tool_call / local_shell_call /
web_search_call / tool_search_call and their `*_output`), `event_msg` (user_message,
agent_message, patch_apply_end), `turn_context` and `compacted`. Every call is kept under the
name Codex gave it; shell commands (exec_command, shell, local_shell_call) and the files an
apply_patch touched are collected as commands and changed files. A call fails when its output
says so: a non-zero "Process exited with code N" / "Exit code: N" / `metadata.exit_code`, a
failed patch verification, or a patch_apply_end with success false.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

from hestai_tmws.errors import NotFoundError
from hestai_tmws.sessions.transcripts._build import TranscriptBuilder, parse_timestamp
from hestai_tmws.sessions.transcripts.claude_code import _records as jsonl_records
from hestai_tmws.sessions.transcripts.model import COMMAND_MAX, Transcript, clip

CALL_TYPES = frozenset(
    {"function_call", "custom_tool_call", "local_shell_call", "web_search_call", "tool_search_call"}
)
OUTPUT_TYPES = frozenset({"function_call_output", "custom_tool_call_output", "tool_search_output"})
SHELL_TOOLS = frozenset({"exec_command", "shell", "container.exec", "local_shell_call"})
_EXIT = re.compile(r"(?:Process exited with code|Exit code:)\s*(-?\d+)")
_FAILED = re.compile(r"^(?:apply_patch verification failed|aborted|error:|failed)", re.I)
_PATCH_FILE = re.compile(r"^\*\*\* (?:Add|Update|Delete) File: (.+?)\s*$", re.M)
_PATCH_MOVE = re.compile(r"^\*\*\* Move to: (.+?)\s*$", re.M)


def _arguments(payload: dict[str, Any]) -> dict[str, Any]:
    """A call's input as a dict: function arguments are a JSON string, custom input a text."""
    raw = payload.get("arguments")
    if isinstance(raw, str):
        try:
            parsed = json.loads(raw)
        except ValueError:
            return {"arguments": raw}
        return parsed if isinstance(parsed, dict) else {"arguments": parsed}
    if isinstance(raw, dict):
        return raw
    if isinstance(payload.get("input"), str):
        return {"input": payload["input"]}
    action = payload.get("action")
    return {"action": action} if isinstance(action, dict) else {}


def _command(name: str, data: dict[str, Any]) -> str | None:
    """The shell command line of a shell call, else None."""
    if name not in SHELL_TOOLS:
        return None
    value = data.get("cmd") or data.get("command")
    if value is None and isinstance(data.get("action"), dict):
        value = data["action"].get("command")
    if isinstance(value, list):
        value = " ".join(str(v) for v in value)
    return value if isinstance(value, str) and value else None


def output_failed(output: Any) -> tuple[bool, str]:
    """(failed, text) of a call's output, by its exit code or failure wording."""
    if not isinstance(output, str):
        return False, ""
    text = output
    if text.startswith("{"):
        try:
            data = json.loads(text)
        except ValueError:
            data = None
        if isinstance(data, dict) and isinstance(data.get("metadata"), dict):
            code = data["metadata"].get("exit_code")
            inner = data.get("output")
            return (isinstance(code, int) and code != 0), inner if isinstance(inner, str) else ""
    match = _EXIT.search(text[:1000])
    if match is not None:
        return int(match.group(1)) != 0, text
    return bool(_FAILED.match(text.lstrip())), text


class _CodexReader:
    def __init__(self) -> None:
        self.b = TranscriptBuilder()
        self.names: dict[str, str] = {}
        self.commands: list[str] = []
        self.changed: dict[str, None] = {}
        self.patch_failed: set[str] = set()
        self.anonymous = 0

    def record(self, record: dict[str, Any]) -> None:
        kind = record.get("type")
        payload = record.get("payload")
        at = parse_timestamp(record.get("timestamp"))
        self.b.see_time(at)
        if not isinstance(kind, str) or not isinstance(payload, dict):
            self.b.unknown_types[str(kind)] += 1
            return
        sub = payload.get("type")
        self.b.record_counts[f"{kind}/{sub}" if isinstance(sub, str) else kind] += 1
        if kind == "session_meta":
            self.meta(payload)
        elif kind == "response_item" and sub in CALL_TYPES:
            self.call(payload, str(sub), at)
        elif kind == "response_item" and sub in OUTPUT_TYPES:
            self.output(payload, at)
        elif kind == "event_msg":
            self.event(payload, sub)

    def meta(self, payload: dict[str, Any]) -> None:
        self.b.session_id = self.b.session_id or _str(payload.get("id"))
        self.b.cwd = self.b.cwd or _str(payload.get("cwd"))
        self.b.version = self.b.version or _str(payload.get("cli_version"))
        git = payload.get("git")
        if isinstance(git, dict):
            self.b.git_branch = self.b.git_branch or _str(git.get("branch"))
        self.b.see_time(parse_timestamp(payload.get("timestamp")))

    def call(self, payload: dict[str, Any], sub: str, at: Any) -> None:
        call_id = payload.get("call_id") or payload.get("id")
        if not isinstance(call_id, str) or not call_id:
            self.anonymous += 1  # web searches carry no id: their result is on the call
            call_id = f"codex-call-{self.anonymous}"
        name = _str(payload.get("name")) or {"local_shell_call": "local_shell_call"}.get(sub, "")
        name = name or sub.removesuffix("_call")  # web_search, tool_search
        data = _arguments(payload)
        self.b.add_call(
            tool_use_id=call_id, name=name, data=data, at=at, sidechain=False, agent_id=None
        )
        self.names[call_id] = name
        command = _command(name, data)
        if command:
            self.commands.append(clip(command, COMMAND_MAX))
        if name == "apply_patch" and isinstance(data.get("input"), str):
            for path in _PATCH_FILE.findall(data["input"]) + _PATCH_MOVE.findall(data["input"]):
                self.changed.setdefault(path, None)
        status = payload.get("status")
        if sub in ("web_search_call", "local_shell_call") and isinstance(status, str):
            self.b.add_result(  # these carry their outcome on the call itself
                tool_use_id=call_id,
                is_error=status not in ("completed", "in_progress"),
                content=status,
                at=at,
            )

    def output(self, payload: dict[str, Any], at: Any) -> None:
        call_id = payload.get("call_id")
        failed, text = output_failed(payload.get("output"))
        if isinstance(call_id, str) and call_id in self.patch_failed:
            failed = True
        self.b.add_result(tool_use_id=call_id, is_error=failed, content=text, at=at)

    def event(self, payload: dict[str, Any], sub: Any) -> None:
        if sub == "user_message" and isinstance(payload.get("message"), str):
            self.b.add_prompt(payload["message"])
        elif sub == "agent_message" and isinstance(payload.get("message"), str):
            self.b.add_assistant_text(payload["message"])
        elif sub == "patch_apply_end" and payload.get("success") is False:
            call_id = payload.get("call_id")
            if isinstance(call_id, str):
                self.patch_failed.add(call_id)


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def read_codex(path: Path) -> Transcript:
    """Read a Codex rollout into a `Transcript` (malformed lines are counted, not fatal)."""
    path = Path(path)
    if not path.is_file():
        raise NotFoundError(f"transcript not found: {path}")
    reader = _CodexReader()
    digest = hashlib.sha256()
    for _number, record in jsonl_records(path, reader.b, digest):
        reader.record(record)
    t = reader.b.build(source=path, sha256=digest.hexdigest(), fmt="codex", subagent_files=[])
    changed = dict.fromkeys([*t.files_changed, *reader.changed])
    return t.model_copy(
        update={"commands": [*t.commands, *reader.commands], "files_changed": list(changed)}
    )
