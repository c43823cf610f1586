"""Accumulate what a reader sees and turn it into a `Transcript` (shared by both readers).

Readers feed events in file order; the builder de-duplicates tool calls by id, pairs
results with calls, derives digests, files and commands, and applies the size limits.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from hestai_tmws.secrets import (
    redaction,  # looked up at call time, so a patched redactor is honoured
)
from hestai_tmws.sessions.transcripts.model import (
    COMMAND_MAX,
    DIGEST_MAX,
    ERROR_MAX,
    ERRORS_KEPT,
    INPUT_STR_MAX,
    MALFORMED_EXAMPLES_KEPT,
    MARKER_MAX,
    PROMPT_MAX,
    TEXT_MAX,
    Markers,
    ToolCall,
    Transcript,
    TranscriptFormat,
    clip,
    clip_obj,
)

READ_TOOLS = frozenset({"Read", "NotebookRead"})
CHANGE_TOOLS = frozenset({"Edit", "Write", "MultiEdit", "NotebookEdit"})
_PATH_KEYS = ("file_path", "notebook_path", "path")

_MARKER_LINE = re.compile(
    r"^[ \t>*_-]*(?P<tag>DECISION|BLOCKER|LEARNING)[*_]*[ \t]*:[ \t]*[*_]*[ \t]*"
    r"(?P<text>\S.*?)[ \t*_]*$",
    re.MULTILINE,
)
# The folders of an absolute path (a drive letter allowed), not inside a URL or a word.
_ABSOLUTE_DIRS = re.compile(r"(?<![\w.:/\\-])(?:[A-Za-z]:)?[/\\](?:[^\s/\\'\"`;|&<>()]+[/\\])+")
_MARKER_FIELD = {"DECISION": "decisions", "BLOCKER": "blockers", "LEARNING": "learnings"}


def parse_timestamp(value: Any) -> datetime | None:
    """An ISO-8601 timestamp as an aware datetime (naive ones are taken as UTC)."""
    if not isinstance(value, str) or not value:
        return None
    try:
        stamp = datetime.fromisoformat(value)
    except ValueError:
        return None
    return stamp if stamp.tzinfo is not None else stamp.replace(tzinfo=UTC)


def _first_scalar(data: dict[str, Any]) -> str:
    """The first scalar argument (a secret-named argument shows as a marker)."""
    for key, value in data.items():
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            kind = redaction.sensitive_key(str(key))
            return redaction.marker(kind) if kind else str(value)
    return ""


def _first_line(text: str, limit: int) -> str:
    head = text[: limit * 4]
    return head.strip().split("\n", 1)[0].strip()


def compact_paths(command: str) -> str:
    """Absolute paths cut to their last part (`cd /Users/me/src/app && …` → `cd …/app && …`).

    A digest is 80 characters: a long checkout path would push the command itself out of
    it, and it says nothing about what was run (nor should an archive keep home folders).
    """
    return _ABSOLUTE_DIRS.sub("…/", command[:COMMAND_MAX])


def raw_digest(name: str, data: dict[str, Any]) -> str:
    """A short, human-meaningful summary of a tool input (not yet redacted)."""

    def get(key: str) -> str:
        value = data.get(key)
        return value if isinstance(value, str) else ""

    if name in READ_TOOLS or name in CHANGE_TOOLS:
        return get("file_path") or get("notebook_path") or get("path")
    if name == "Bash":
        return clip(_first_line(compact_paths(get("command")), 80), 80)
    if name in ("Grep", "Glob"):
        return get("pattern")
    if name in ("Task", "Agent"):
        kind, desc = get("subagent_type"), get("description")
        return f"{kind}: {desc}" if kind and desc else kind or desc
    if name == "WebFetch":
        url = get("url")
        try:
            url_parts = urlsplit(url)
        except ValueError:
            return ""
        return f"{url_parts.hostname}{url_parts.path}" if url_parts.hostname else ""
    if name == "WebSearch":
        return get("query")
    if name == "TodoWrite":
        todos = data.get("todos")
        return f"{len(todos)} todos" if isinstance(todos, list) else ""
    if name == "AskUserQuestion":
        questions = data.get("questions")
        if isinstance(questions, list) and questions and isinstance(questions[0], dict):
            question = questions[0].get("question")
            return question if isinstance(question, str) else ""
        return get("question")
    if name == "Skill":
        return get("skill") or get("command")
    if name.startswith("mcp__"):
        parts = name.split("__")
        head = "/".join(p for p in parts[1:3] if p)
        arg = _first_scalar(data)
        return f"{head}: {arg}" if arg else head
    return _first_scalar(data)


def result_text(content: Any) -> str:
    """The text of a tool_result `content` (a string or a list of blocks)."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        texts = [
            block.get("text", "")
            for block in content
            if isinstance(block, dict) and isinstance(block.get("text"), str)
        ]
        return "\n".join(texts)
    return ""


@dataclass
class _Call:
    seq: int
    tool_use_id: str
    name: str
    input: dict[str, Any]
    started_at: datetime | None
    sidechain: bool
    agent_id: str | None


@dataclass
class _Result:
    is_error: bool
    text: str
    at: datetime | None


@dataclass
class TranscriptBuilder:
    """Everything a reader has seen so far."""

    calls: dict[str, _Call] = field(default_factory=dict)
    results: dict[str, _Result] = field(default_factory=dict)
    user_prompts: list[str] = field(default_factory=list)
    assistant_texts: list[str] = field(default_factory=list)
    markers: Markers = field(default_factory=Markers)
    errors: list[str] = field(default_factory=list)
    record_counts: Counter[str] = field(default_factory=Counter)
    unknown_types: Counter[str] = field(default_factory=Counter)
    malformed_lines: int = 0
    malformed_examples: list[int] = field(default_factory=list)
    started_at: datetime | None = None
    ended_at: datetime | None = None
    session_id: str | None = None
    cwd: str | None = None
    git_branch: str | None = None
    version: str | None = None
    _anonymous: int = 0

    # -- events ----------------------------------------------------------------------
    def see_time(self, at: datetime | None) -> None:
        if at is None:
            return
        if self.started_at is None or at < self.started_at:
            self.started_at = at
        if self.ended_at is None or at > self.ended_at:
            self.ended_at = at

    def malformed(self, line_number: int | None) -> None:
        self.malformed_lines += 1
        if line_number is not None and len(self.malformed_examples) < MALFORMED_EXAMPLES_KEPT:
            self.malformed_examples.append(line_number)

    def add_call(
        self,
        *,
        tool_use_id: Any,
        name: Any,
        data: Any,
        at: datetime | None,
        sidechain: bool,
        agent_id: str | None,
    ) -> None:
        """Record a tool_use block; a repeated id (streamed or mirrored copies) is ignored."""
        if not isinstance(tool_use_id, str) or not tool_use_id:
            self._anonymous += 1
            tool_use_id = f"anonymous-{self._anonymous}"
        if tool_use_id in self.calls:
            return
        if not isinstance(data, dict):
            data = {} if data is None else {"value": data}
        self.calls[tool_use_id] = _Call(
            seq=len(self.calls),
            tool_use_id=tool_use_id,
            name=name if isinstance(name, str) and name else "unknown",
            input=clip_obj(data, INPUT_STR_MAX),
            started_at=at,
            sidechain=sidechain,
            agent_id=agent_id,
        )

    def add_result(
        self, *, tool_use_id: Any, is_error: bool, content: Any, at: datetime | None
    ) -> None:
        if not isinstance(tool_use_id, str) or tool_use_id in self.results:
            return
        text = clip(result_text(content), ERROR_MAX * 2) if is_error else ""
        self.results[tool_use_id] = _Result(is_error=is_error, text=text, at=at)

    def add_prompt(self, text: str) -> None:
        self._scan_markers(text)
        self.user_prompts.append(clip(text, PROMPT_MAX))

    def add_assistant_text(self, text: str) -> None:
        if not text.strip():
            return
        self._scan_markers(text)
        self.assistant_texts.append(clip(text.strip(), TEXT_MAX))

    def add_error(self, text: str) -> None:
        """Keep a short error line (redacted in `build`, together with the digests)."""
        if len(self.errors) < ERRORS_KEPT:
            self.errors.append(clip(text, ERROR_MAX * 2))

    def _scan_markers(self, text: str) -> None:
        if "DECISION" not in text and "BLOCKER" not in text and "LEARNING" not in text:
            return
        for m in _MARKER_LINE.finditer(text):
            target: list[str] = getattr(self.markers, _MARKER_FIELD[m.group("tag")])
            target.append(clip(m.group("text"), MARKER_MAX))

    # -- result ----------------------------------------------------------------------
    def _ordered_calls(self) -> list[_Call]:
        """Calls in time order (stable), a call without a time keeping its file position."""
        keyed: list[tuple[float, int, _Call]] = []
        last = float("-inf")
        for call in sorted(self.calls.values(), key=lambda c: c.seq):
            if call.started_at is not None:
                last = call.started_at.timestamp()
            keyed.append((last, call.seq, call))
        keyed.sort(key=lambda item: (item[0], item[1]))
        return [item[2] for item in keyed]

    def build(
        self, *, source: Path, sha256: str, fmt: TranscriptFormat, subagent_files: list[Path]
    ) -> Transcript:
        calls = self._ordered_calls()
        results = [self.results.get(call.tool_use_id) for call in calls]
        for call, result in zip(calls, results, strict=True):
            if result is not None and result.is_error and result.text:
                self.add_error(f"{call.name}: {result.text.strip().splitlines()[0]}")
        # Display fields are redacted here, in one batch: digests, error texts, errors.
        raw_digests = [clip(raw_digest(call.name, call.input), DIGEST_MAX * 2) for call in calls]
        raw_errors = [r.text if r is not None and r.is_error else "" for r in results]
        clean = redaction.redact_many([*raw_digests, *raw_errors, *self.errors])
        digests = clean[: len(calls)]
        error_texts = clean[len(calls) : 2 * len(calls)]
        errors = [clip(e, ERROR_MAX) for e in clean[2 * len(calls) :]]

        tool_calls: list[ToolCall] = []
        files_read: dict[str, None] = {}
        files_changed: dict[str, None] = {}
        commands: list[str] = []
        for index, (call, result) in enumerate(zip(calls, results, strict=True)):
            ok: bool | None = None
            error_text: str | None = None
            duration: float | None = None
            if result is not None:
                ok = not result.is_error
                if result.is_error:
                    error_text = clip(error_texts[index], ERROR_MAX)
                if result.at is not None and call.started_at is not None:
                    delta = (result.at - call.started_at).total_seconds() * 1000.0
                    duration = delta if delta >= 0 else None
            tool_calls.append(
                ToolCall.model_construct(  # every field is typed here: validation costs 20 %
                    index=index,
                    name=call.name,
                    tool_use_id=call.tool_use_id,
                    input=call.input,
                    input_digest=clip(digests[index], DIGEST_MAX),
                    ok=ok,
                    error_text=error_text,
                    started_at=call.started_at,
                    duration_ms=duration,
                    sidechain=call.sidechain,
                    agent_id=call.agent_id,
                )
            )
            path = next(
                (call.input[k] for k in _PATH_KEYS if isinstance(call.input.get(k), str)), None
            )
            if path and ok is not False:
                if call.name in READ_TOOLS:
                    files_read.setdefault(path, None)
                elif call.name in CHANGE_TOOLS:
                    files_changed.setdefault(path, None)
            command = call.input.get("command")
            if call.name == "Bash" and isinstance(command, str):
                commands.append(clip(command, COMMAND_MAX))
        return Transcript(
            source=source,
            sha256=sha256,
            format=fmt,
            session_id=self.session_id,
            cwd=self.cwd,
            git_branch=self.git_branch,
            version=self.version,
            started_at=self.started_at,
            ended_at=self.ended_at,
            tool_calls=tool_calls,
            user_prompts=self.user_prompts,
            assistant_texts=self.assistant_texts,
            markers=self.markers,
            files_read=list(files_read),
            files_changed=list(files_changed),
            commands=commands,
            errors=errors,
            record_counts=dict(self.record_counts),
            unknown_types=dict(self.unknown_types),
            malformed_lines=self.malformed_lines,
            malformed_examples=self.malformed_examples,
            subagent_files=subagent_files,
        )
