"""Which agent wrote a transcript, told by its content (never by its name or folder).

At most the first 64 KiB are read. Codex rollouts and Claude Code transcripts are JSONL, told
apart by their record shapes; a Gemini CLI session is JSONL (a metadata line with
`sessionId` and `projectHash`, then message lines) or, from older releases, one JSON
document (usually indented) with `sessionId`, `projectHash` and `messages`. Anything else
is None: not recognised.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from hestai_tmws.errors import ValidationError
from hestai_tmws.sessions.transcripts.model import Transcript

SNIFF_BYTES = 64 * 1024
CODEX_TYPES = frozenset({"session_meta", "response_item", "event_msg", "turn_context", "compacted"})
CLAUDE_TYPES = frozenset(
    {
        "user",
        "assistant",
        "system",
        "summary",
        "progress",
        "attachment",
        "file-history-snapshot",
        "queue-operation",
        "custom-title",
        "last-prompt",
    }
)
GEMINI_TYPES = frozenset({"user", "info", "error", "warning"})
CLAUDE_KEYS = frozenset({"sessionId", "uuid", "parentUuid", "leafUuid", "messageId"})
_GEMINI_KEYS = (
    re.compile(rb'"projectHash"\s*:'),
    re.compile(rb'"messages"\s*:\s*\['),
    re.compile(rb'"sessionId"\s*:'),
)


def _record_format(record: Any) -> str | None:
    if not isinstance(record, dict):
        return None
    kind = record.get("type")
    if kind in CODEX_TYPES and isinstance(record.get("payload"), dict):
        return "codex"
    if "projectHash" in record or "$rewindTo" in record or "$set" in record or kind == "gemini":
        return "gemini"  # its metadata line, an update, or a whole session on one line
    if kind in GEMINI_TYPES and isinstance(record.get("id"), str) and "uuid" not in record:
        return "gemini"
    if kind in CLAUDE_TYPES or CLAUDE_KEYS & record.keys():
        return "claude-code"
    return None


_CODEX_HEAD = re.compile(
    rb'^\{"timestamp":"[^"]*","type":"(?:' + "|".join(sorted(CODEX_TYPES)).encode() + rb')"'
)
_CLAUDE_HEAD = re.compile(rb'"(?:sessionId|parentUuid|uuid)"\s*:')


def _cut_record_format(head: bytes) -> str | None:
    """The format of a first record too long to parse within the window."""
    if _CODEX_HEAD.match(head.lstrip()):
        return "codex"
    if _GEMINI_KEYS[1].search(head) and _GEMINI_KEYS[2].search(head):
        return "gemini"
    return "claude-code" if _CLAUDE_HEAD.search(head) else None


def detect_format(path: Path) -> str | None:
    """ "claude-code", "codex", "gemini" or None, from the first 64 KiB of `path`."""
    try:
        with Path(path).open("rb") as fh:
            head = fh.read(SNIFF_BYTES)
    except OSError:
        return None
    text = head.lstrip()
    if not text.startswith(b"{"):
        return None
    lines = text.split(b"\n")
    complete = lines if len(head) < SNIFF_BYTES else lines[:-1]  # the last may be cut
    for line in complete[:5]:
        line = line.strip()
        if not line.startswith(b"{") or not line.endswith(b"}"):
            continue
        try:
            found = _record_format(json.loads(line))
        except (ValueError, RecursionError):
            continue
        if found is not None:
            return found
    if not complete or complete == [b""]:  # one record longer than the window
        return _cut_record_format(head)
    if all(pattern.search(head) for pattern in _GEMINI_KEYS[:2]) or (
        _GEMINI_KEYS[1].search(head) and _GEMINI_KEYS[2].search(head)
    ):
        return "gemini"
    return None


def require_calls(transcript: Transcript, path: Path) -> None:
    """Refuse a transcript with content that yielded no tool call: its reader did not
    understand it (a format tmws does not know, or one that changed), so archiving it would
    record a session that did nothing."""
    if transcript.tool_calls:
        return
    try:
        with Path(path).open("rb") as fh:
            if not fh.read(SNIFF_BYTES).strip():
                return  # an empty file: nothing was lost
    except OSError:
        return
    found = detect_format(path)
    what = (
        f"a {found} transcript"
        if found
        else "in no format tmws recognises (Claude Code, Codex, Gemini CLI)"
    )
    raise ValidationError(
        f"{path} is {what} with content, yet it yielded 0 tool calls; nothing was archived "
        "and the session stays open",
        hint="pass the right transcript, or --allow-empty to archive a session without calls",
    )
