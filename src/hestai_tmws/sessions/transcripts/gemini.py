"""Read a Gemini CLI session (`~/.gemini/tmp/<project hash>/chats/session-*.json[l]`).

Two layouts of one record type. Older releases wrote one JSON object: `sessionId`,
`projectHash`, `startTime`, `lastUpdated` and `messages`. Current ones append JSONL: a
metadata line (`sessionId`, `projectHash`), message lines (a later line with the same `id`
replaces the earlier one), `{"$set": {...}}` updates and `{"$rewindTo": id}`. A rewind hides
messages from the conversation but the calls in them did run, so they are still counted.
Each message has `id`, `timestamp`, `type` (user, gemini, info, error, warning) and
`content`; a gemini message carries `toolCalls`, each with `id`, `name`, `args`, `status`
(success, error, cancelled…), `timestamp` and `result` / `resultDisplay`. Every call is kept
under Gemini's own tool name; run_shell_command gives commands, the file tools give the files
read and changed.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from hestai_tmws.errors import NotFoundError, ValidationError
from hestai_tmws.sessions.transcripts._build import TranscriptBuilder, parse_timestamp
from hestai_tmws.sessions.transcripts.model import COMMAND_MAX, Transcript, clip

SHELL_TOOLS = frozenset({"run_shell_command"})
READ_TOOLS = frozenset({"read_file", "read_many_files"})
CHANGE_TOOLS = frozenset({"write_file", "replace", "edit"})
PATH_KEYS = ("file_path", "absolute_path", "path")
FAILED_STATUSES = frozenset({"error", "cancelled"})
MAX_BYTES = 256 * 1024 * 1024  # one JSON document: refuse what cannot be a real session


def _text(content: Any) -> str:
    """A message's content: a string, or parts with `text`."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "\n".join(
            p["text"] for p in content if isinstance(p, dict) and isinstance(p.get("text"), str)
        )
    return ""


def _result_text(call: dict[str, Any]) -> str:
    display = call.get("resultDisplay")
    if isinstance(display, str) and display:
        return display
    result = call.get("result")
    if isinstance(result, list):  # function responses: [{functionResponse: {response: {...}}}]
        for part in result:
            response = part.get("functionResponse") if isinstance(part, dict) else None
            if isinstance(response, dict):
                return json.dumps(response.get("response"), default=str)[:2000]
    return ""


class _GeminiReader:
    def __init__(self) -> None:
        self.b = TranscriptBuilder()
        self.commands: list[str] = []
        self.read: dict[str, None] = {}
        self.changed: dict[str, None] = {}

    def session(self, data: dict[str, Any]) -> None:
        self.b.session_id = (
            data.get("sessionId") if isinstance(data.get("sessionId"), str) else None
        )
        self.b.see_time(parse_timestamp(data.get("startTime")))
        self.b.see_time(parse_timestamp(data.get("lastUpdated")))
        messages = data.get("messages")
        for message in messages if isinstance(messages, list) else ():
            if isinstance(message, dict):
                self.message(message)
            else:
                self.b.malformed(None)

    def message(self, message: dict[str, Any]) -> None:
        kind = message.get("type")
        self.b.record_counts[str(kind)] += 1
        self.b.see_time(parse_timestamp(message.get("timestamp")))
        text = _text(message.get("content"))
        if kind == "user":
            if text.strip():
                self.b.add_prompt(text)
        elif kind == "gemini":
            self.b.add_assistant_text(text)
            calls = message.get("toolCalls")
            for call in calls if isinstance(calls, list) else ():
                if isinstance(call, dict):
                    self.call(call)
        elif kind == "error" and text:
            self.b.add_error(text)
        elif kind not in ("info", "warning"):
            self.b.unknown_types[str(kind)] += 1

    def call(self, call: dict[str, Any]) -> None:
        name = call.get("name") if isinstance(call.get("name"), str) else "unknown"
        raw_args = call.get("args")
        args: dict[str, Any] = raw_args if isinstance(raw_args, dict) else {}
        at = parse_timestamp(call.get("timestamp"))
        call_id = call.get("id")
        self.b.add_call(
            tool_use_id=call_id, name=name, data=args, at=at, sidechain=False, agent_id=None
        )
        status = call.get("status")
        if isinstance(status, str) and status in FAILED_STATUSES | {"success"}:
            failed = status in FAILED_STATUSES
            self.b.add_result(
                tool_use_id=call_id, is_error=failed, content=_result_text(call) or status, at=None
            )
        else:
            failed = False
        command = args.get("command")
        if name in SHELL_TOOLS and isinstance(command, str):
            self.commands.append(clip(command, COMMAND_MAX))
        path = next((args[k] for k in PATH_KEYS if isinstance(args.get(k), str)), None)
        if path and not failed:
            if name in READ_TOOLS:
                self.read.setdefault(path, None)
            elif name in CHANGE_TOOLS:
                self.changed.setdefault(path, None)


def _from_jsonl(raw: bytes, reader: _GeminiReader) -> dict[str, Any]:
    """The session the JSONL records describe: metadata merged, messages by id (last wins)."""
    session: dict[str, Any] = {}
    messages: dict[str, dict[str, Any]] = {}
    for number, line in enumerate(raw.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except (ValueError, RecursionError):
            reader.b.malformed(number)
            continue
        if not isinstance(record, dict):
            reader.b.malformed(number)
        elif isinstance(record.get("$set"), dict):
            update = dict(record["$set"])
            for message in update.pop("messages", None) or ():
                if isinstance(message, dict) and isinstance(message.get("id"), str):
                    messages[message["id"]] = message
            session.update(update)
        elif "$rewindTo" in record:
            reader.b.record_counts["rewind"] += 1
        elif isinstance(record.get("id"), str):
            messages[record["id"]] = record
        else:
            session.update(record)
    session["messages"] = list(messages.values())
    return session


def read_gemini(path: Path) -> Transcript:
    """Read a Gemini CLI session file into a `Transcript`; ValidationError if it is not one."""
    path = Path(path)
    if not path.is_file():
        raise NotFoundError(f"transcript not found: {path}")
    raw = path.read_bytes()
    if len(raw) > MAX_BYTES:
        raise ValidationError(f"{path} is {len(raw)} bytes: too large for a Gemini session")
    reader = _GeminiReader()
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        data = _from_jsonl(raw, reader)
    if isinstance(data, dict) and "messages" not in data and "projectHash" in data:
        data = _from_jsonl(raw, reader)  # a JSONL file holding only its metadata line
    if not isinstance(data, dict) or not isinstance(data.get("messages"), list):
        raise ValidationError(f"{path} is not a Gemini CLI session (no messages)")
    reader.session(data)
    digest = hashlib.sha256(raw).hexdigest()
    t = reader.b.build(source=path, sha256=digest, fmt="gemini", subagent_files=[])
    return t.model_copy(
        update={
            "commands": [*t.commands, *reader.commands],
            "files_read": list(dict.fromkeys([*t.files_read, *reader.read])),
            "files_changed": list(dict.fromkeys([*t.files_changed, *reader.changed])),
        }
    )
