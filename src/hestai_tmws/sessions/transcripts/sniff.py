"""Which agent wrote a transcript, judged by its content (never by its name or folder).

Minimal version (issue 11) of the contract the transcript readers share: at most the first
64 KiB are read; a file is a transcript only when its first complete JSON records carry the
fields that agent writes. Plain text, `/etc/passwd`, binaries and the like give None.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

SNIFF_BYTES = 64 * 1024
_TYPE = re.compile(r'"type"\s*:\s*"')
_CLAUDE_TYPES = frozenset(
    {
        "user",
        "assistant",
        "system",
        "summary",
        "progress",
        "file-history-snapshot",
        "queue-operation",
        "attachment",
        "result",
    }
)
_CLAUDE_FIELDS = frozenset({"sessionId", "uuid", "parentUuid", "leafUuid", "message"})
_CODEX_TYPES = frozenset(
    {"session_meta", "response_item", "event_msg", "turn_context", "compacted"}
)


def _kind(record: Any) -> str | None:
    if not isinstance(record, dict):
        return None
    kind = record.get("type")
    if kind in _CLAUDE_TYPES and _CLAUDE_FIELDS & record.keys():
        return "claude-code"
    if kind in _CODEX_TYPES and "payload" in record:
        return "codex"
    if "sessionId" in record and isinstance(record.get("messages"), list):
        return "gemini"
    return None


def detect_format(path: Path) -> str | None:
    """ "claude-code" | "codex" | "gemini" for a transcript of that agent, else None."""
    try:
        with Path(path).open("rb") as fh:
            head = fh.read(SNIFF_BYTES)
    except OSError:
        return None
    if b"\x00" in head:
        return None  # binary
    text = head.decode("utf-8", "replace")
    stripped = text.lstrip()
    if stripped.startswith("{") and "\n" not in stripped.rstrip("\n"):
        try:  # one JSON document (Gemini's session file) read whole when it is small
            return _kind(json.loads(stripped))
        except ValueError:
            pass
    lines = text.split("\n")
    complete = lines[:-1] if len(head) == SNIFF_BYTES else lines
    seen = 0
    for line in complete:
        if not line.strip():
            continue
        try:
            found = _kind(json.loads(line))
        except ValueError:
            return None  # a transcript's complete lines are all JSON
        if found is not None:
            return found
        seen += 1
        if seen >= 20:
            break
    huge_first = not complete and len(head) == SNIFF_BYTES
    if huge_first and text.startswith('{"') and '"sessionId"' in text and _TYPE.search(text):
        return "claude-code"
    return None
