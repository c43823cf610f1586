"""Read a Claude Code session transcript (JSONL) into a `Transcript`.

Tolerant by design: Claude Code adds record types between releases, lines can be cut
short when a session is killed, and streamed assistant messages repeat their id over
several records. Unknown types are counted, malformed lines are counted with their line
numbers, and tool calls are de-duplicated by their `tool_use` id.

Subagent work is folded in as sidechain calls from three places: records flagged
`isSidechain` in the main file, `<session-id>/subagents/agent-*.jsonl` beside the main
file (and older `agent-*.jsonl` siblings naming the same session), and, for subagents
whose own file is missing, the `agent_progress` mirrors the main file carries.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from hestai_tmws.errors import NotFoundError
from hestai_tmws.sessions.transcripts._build import TranscriptBuilder, parse_timestamp
from hestai_tmws.sessions.transcripts.model import Transcript

KNOWN_TYPES = frozenset(
    {
        "user",
        "assistant",
        "progress",
        "system",
        "summary",
        "queue-operation",
        "file-history-snapshot",
    }
)
_NOT_TYPED = (
    "[Request interrupted by user",
    "<local-command-caveat>",
    "<local-command-stdout>",
    "<local-command-stderr>",
    "<task-notification>",
    "<system-reminder>",
    "<bash-stdout>",
    "<bash-stderr>",
    "<user-prompt-submit-hook>",
)
_COMMAND_NAME = re.compile(r"<command-name>\s*(.*?)\s*</command-name>", re.DOTALL)
_COMMAND_ARGS = re.compile(r"<command-args>\s*(.*?)\s*</command-args>", re.DOTALL)
_BASH_INPUT = re.compile(r"<bash-input>\s*(.*?)\s*</bash-input>", re.DOTALL)


@dataclass(frozen=True)
class _Source:
    """How records of one file are attributed."""

    sidechain: bool
    agent_id: str | None
    main: bool


def typed_prompt(text: str) -> str | None:
    """What the user typed, from a user message text; None for injected/system texts."""
    text = text.strip()
    if not text or text.startswith(_NOT_TYPED):
        return None
    if "<command-name>" in text:
        name = _COMMAND_NAME.search(text)
        args = _COMMAND_ARGS.search(text)
        parts = [name.group(1) if name else "", args.group(1) if args else ""]
        return " ".join(p for p in parts if p) or None
    if text.startswith("<bash-input>"):
        m = _BASH_INPUT.search(text)
        return f"! {m.group(1)}" if m else None
    return text


# What `json.loads` runs for a line (the default decoder's C scanner), without its wrapping.
_SCAN: Callable[[str, int], tuple[Any, int]] = vars(json.JSONDecoder())["scan_once"]
_JSON_SPACE = " \t\n\r"


def decode_line(raw: bytes) -> Any:
    """`json.loads(raw)`, with its wrapping skipped for the usual line: one that starts with
    `{` and so is UTF-8 to `json.detect_encoding` (its second byte is not NUL). Raises what
    `json.loads` raises for a malformed line (ValueError, RecursionError)."""
    if raw[:1] != b"{" or raw[1:2] == b"\x00":
        return json.loads(raw)
    text = raw.decode("utf-8", "surrogatepass")
    try:
        record, end = _SCAN(text, 0)
    except StopIteration as exc:  # not reached from `{`; kept for exactness
        raise ValueError("Expecting value") from exc
    if end != len(text) and text[end:].strip(_JSON_SPACE):
        raise ValueError("Extra data")
    return record


def _records(
    path: Path, builder: TranscriptBuilder, digest: Any | None
) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, record) for every well-formed line; the rest is counted as malformed."""
    with path.open("rb") as fh:
        for number, raw in enumerate(fh, start=1):
            if digest is not None:
                digest.update(raw)
            if raw[:1] != b"{" and not raw.strip():
                continue
            try:
                record = decode_line(raw)
            except (ValueError, RecursionError):
                builder.malformed(number if digest is not None else None)
                continue
            if not isinstance(record, dict):
                builder.malformed(number if digest is not None else None)
                continue
            yield number, record


class _Reader:
    def __init__(self, include_subagents: bool) -> None:
        self.include_subagents = include_subagents
        self.b = TranscriptBuilder()
        self.text_seen: set[tuple[str, str]] = set()

    # -- files ---------------------------------------------------------------------------
    def read_file(self, path: Path, source: _Source, digest: Any | None) -> None:
        """Every record of `path`, in one pass: each line is decoded once and dispatched on
        its type right away (counts, times and metadata kept inline, not per record call)."""
        b = self.b
        counts, unknown = b.record_counts, b.unknown_types
        main, progress = source.main, self.include_subagents
        last_at: datetime | None = None
        for _, rec in _records(path, b, digest):
            rtype = rec.get("type")
            if not isinstance(rtype, str) or not rtype:
                rtype = "<missing>"
            counts[rtype] += 1
            at = parse_timestamp(rec.get("timestamp"))
            if at is not None:
                last_at = at
                b.see_time(at)
            if main:
                self._metadata(rec)
            if rtype == "assistant":
                sidechain = source.sidechain or rec.get("isSidechain") is True
                agent = rec.get("agentId")
                agent_id = agent if isinstance(agent, str) else source.agent_id
                self._assistant(rec, last_at, sidechain, agent_id)
            elif rtype == "user":
                sidechain = source.sidechain or rec.get("isSidechain") is True
                self._user(rec, last_at, sidechain)
            elif rtype == "progress":
                if progress:
                    self._progress(rec, last_at)
            elif rtype == "system":
                self._system(rec)
            elif rtype not in KNOWN_TYPES:
                unknown[rtype] += 1

    def _metadata(self, rec: dict[str, Any]) -> None:
        b = self.b
        if b.session_id is None:
            session_id = rec.get("sessionId")
            if isinstance(session_id, str) and session_id:
                b.session_id = session_id
        if b.cwd is None:
            cwd = rec.get("cwd")
            if isinstance(cwd, str) and cwd:
                b.cwd = cwd
        branch = rec.get("gitBranch")
        if isinstance(branch, str) and branch:
            b.git_branch = branch
        version = rec.get("version")
        if isinstance(version, str) and version:
            b.version = version

    # -- record types ----------------------------------------------------------------
    def _assistant(
        self, rec: dict[str, Any], at: datetime | None, sidechain: bool, agent_id: str | None
    ) -> None:
        message = rec.get("message")
        if not isinstance(message, dict):
            return
        message_id = message.get("id") if isinstance(message.get("id"), str) else None
        content = message.get("content")
        if isinstance(content, str):
            content = [{"type": "text", "text": content}]
        if not isinstance(content, list):
            return
        for block in content:
            if not isinstance(block, dict):
                continue
            kind = block.get("type")
            if kind == "tool_use":
                self.b.add_call(
                    tool_use_id=block.get("id"),
                    name=block.get("name"),
                    data=block.get("input"),
                    at=at,
                    sidechain=sidechain,
                    agent_id=agent_id if sidechain else None,
                )
            elif kind == "text" and not sidechain:
                text = block.get("text")
                if not isinstance(text, str):
                    continue
                if message_id is not None:
                    key = (message_id, text)
                    if key in self.text_seen:
                        continue  # the same block streamed again
                    self.text_seen.add(key)
                self.b.add_assistant_text(text)

    def _user(self, rec: dict[str, Any], at: datetime | None, sidechain: bool) -> None:
        message = rec.get("message")
        if not isinstance(message, dict):
            return
        content = message.get("content")
        texts: list[str] = []
        if isinstance(content, str):
            texts.append(content)
        elif isinstance(content, list):
            for block in content:
                if not isinstance(block, dict):
                    continue
                kind = block.get("type")
                if kind == "tool_result":
                    self.b.add_result(
                        tool_use_id=block.get("tool_use_id"),
                        is_error=block.get("is_error") is True,
                        content=block.get("content"),
                        at=at,
                    )
                elif kind == "text" and isinstance(block.get("text"), str):
                    texts.append(block["text"])
        if sidechain or rec.get("isMeta") is True or rec.get("isCompactSummary") is True:
            return
        for text in texts:
            prompt = typed_prompt(text)
            if prompt is not None:
                self.b.add_prompt(prompt)

    def _progress(self, rec: dict[str, Any], at: datetime | None) -> None:
        """Subagent calls mirrored in `agent_progress` records (deduplicated by id)."""
        data = rec.get("data")
        if not isinstance(data, dict) or data.get("type") != "agent_progress":
            return
        mirrored = data.get("message")
        if not isinstance(mirrored, dict):
            return
        inner = mirrored.get("message")
        if not isinstance(inner, dict) or not isinstance(inner.get("content"), list):
            return
        inner_at = parse_timestamp(mirrored.get("timestamp")) or at
        agent_id = data.get("agentId") if isinstance(data.get("agentId"), str) else None
        for block in inner["content"]:
            if not isinstance(block, dict):
                continue
            if block.get("type") == "tool_use" and mirrored.get("type") == "assistant":
                self.b.add_call(
                    tool_use_id=block.get("id"),
                    name=block.get("name"),
                    data=block.get("input"),
                    at=inner_at,
                    sidechain=True,
                    agent_id=agent_id,
                )
            elif block.get("type") == "tool_result":
                self.b.add_result(
                    tool_use_id=block.get("tool_use_id"),
                    is_error=block.get("is_error") is True,
                    content=block.get("content"),
                    at=inner_at,
                )

    def _system(self, rec: dict[str, Any]) -> None:
        if rec.get("level") != "error" and rec.get("subtype") != "api_error":
            return
        detail = rec.get("content")
        if not isinstance(detail, str):
            error = rec.get("error")
            detail = json.dumps(error, ensure_ascii=False)[:1000] if error is not None else ""
        self.b.add_error(f"{rec.get('subtype') or 'system'}: {detail}")


def subagent_files(path: Path, session_ids: tuple[str, ...]) -> list[Path]:
    """Subagent transcripts of the session stored in `path`, in a stable order."""
    found: dict[Path, None] = {}
    for session_id in session_ids:
        folder = path.parent / session_id / "subagents"
        if folder.is_dir():
            for candidate in sorted(folder.glob("agent-*.jsonl")):
                found.setdefault(candidate, None)
    # Older Claude Code releases kept agent files beside the session files.
    for candidate in sorted(path.parent.glob("agent-*.jsonl")):
        if candidate != path and _names_session(candidate, session_ids):
            found.setdefault(candidate, None)
    return list(found)


def _names_session(path: Path, session_ids: tuple[str, ...]) -> bool:
    try:
        with path.open("rb") as fh:
            first = fh.readline(1 << 20)
        record = json.loads(first)
    except (OSError, ValueError, RecursionError):
        return False
    return isinstance(record, dict) and record.get("sessionId") in session_ids


def _agent_id_from_name(path: Path) -> str | None:
    stem = path.stem
    return stem[len("agent-") :] if stem.startswith("agent-") else None


def read_claude_code(path: Path, *, include_subagents: bool = True) -> Transcript:
    """Read `path` (and, unless disabled, its subagent transcripts) into a `Transcript`.

    `include_subagents=False` keeps the main file only and ignores `agent_progress`
    mirrors; records flagged `isSidechain` inside the main file are still read.
    Malformed lines of subagent files add to `malformed_lines`; `malformed_examples`
    lists line numbers of the main file only.
    """
    path = Path(path)
    if not path.is_file():
        raise NotFoundError(f"transcript not found: {path}")
    reader = _Reader(include_subagents)
    digest = hashlib.sha256()
    reader.read_file(path, _Source(sidechain=False, agent_id=None, main=True), digest)
    extra: list[Path] = []
    if include_subagents:
        ids = tuple(dict.fromkeys(i for i in (path.stem, reader.b.session_id) if i))
        extra = subagent_files(path, ids)
        for sub in extra:
            source = _Source(sidechain=True, agent_id=_agent_id_from_name(sub), main=False)
            reader.read_file(sub, source, None)
    if reader.b.session_id is None:
        reader.b.session_id = path.stem
    return reader.b.build(
        source=path, sha256=digest.hexdigest(), fmt="claude-code", subagent_files=extra
    )
