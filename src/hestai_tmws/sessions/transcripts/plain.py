"""Read a plain-text session log, and pick the right reader for any transcript file.

A plain log is what agents without structured transcripts leave behind (or what a user
pastes): `$ cmd` lines are shell commands (recorded as Bash tool calls, the lines after
them up to a blank line are their output), `> text` / `User:` lines are prompts,
`DECISION:` / `BLOCKER:` / `LEARNING:` lines are markers, and every other paragraph is
agent text. An optional ISO timestamp at the start of a line (`[2026-01-02T03:04:05Z]`)
dates what follows.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from hestai_tmws.errors import NotFoundError
from hestai_tmws.sessions.transcripts._build import TranscriptBuilder, parse_timestamp
from hestai_tmws.sessions.transcripts.claude_code import read_claude_code
from hestai_tmws.sessions.transcripts.codex import read_codex
from hestai_tmws.sessions.transcripts.gemini import read_gemini
from hestai_tmws.sessions.transcripts.model import ERROR_MAX, Transcript, clip
from hestai_tmws.sessions.transcripts.sniff import detect_format

_STAMP = re.compile(
    r"^\s*\[?(?P<ts>\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?"
    r"(?:Z|[+-]\d{2}:?\d{2})?)\]?\s+"
)
_COMMAND = re.compile(r"^\s*\$ (?P<cmd>.*\S)\s*$")
_PROMPT = re.compile(r"^\s*(?:>|(?:user|human)\s*:)\s?(?P<text>.*)$", re.IGNORECASE)
_AGENT = re.compile(r"^\s*(?:assistant|claude|agent)\s*:\s?(?P<text>.*)$", re.IGNORECASE)
_EXIT = re.compile(
    r"^\s*(?:\[?exit(?:ed)?(?: with)?(?: code| status)?|return code)[\s:=]+(?P<code>-?\d+)\]?\s*$",
    re.IGNORECASE,
)
_SNIFF_LINES = 3
_SNIFF_LIMIT = 1 << 20


@dataclass
class _Command:
    line: int
    command: str
    at: datetime | None
    output: list[str] = field(default_factory=list)
    exit_code: int | None = None


class _PlainReader:
    def __init__(self) -> None:
        self.b = TranscriptBuilder()
        self.paragraph: list[str] = []
        self.command: _Command | None = None
        self.continuing = False

    def flush_paragraph(self) -> None:
        if self.paragraph:
            self.b.add_assistant_text("\n".join(self.paragraph))
            self.paragraph = []

    def flush_command(self) -> None:
        cmd = self.command
        if cmd is None:
            return
        self.command = None
        tool_use_id = f"plain-{cmd.line}"
        self.b.add_call(
            tool_use_id=tool_use_id,
            name="Bash",
            data={"command": cmd.command},
            at=cmd.at,
            sidechain=False,
            agent_id=None,
        )
        if cmd.exit_code is not None:
            output = clip("\n".join(cmd.output[-20:]), ERROR_MAX * 2)
            self.b.add_result(
                tool_use_id=tool_use_id,
                is_error=cmd.exit_code != 0,
                content=output or f"exit code {cmd.exit_code}",
                at=None,
            )

    def line(self, number: int, text: str) -> None:
        at: datetime | None = None
        stamp = _STAMP.match(text)
        if stamp is not None:
            at = parse_timestamp(stamp.group("ts").replace(" ", "T", 1))
            if at is not None:
                self.b.see_time(at)
                text = text[stamp.end() :]
        if self.continuing and self.command is not None:
            self.command.command += "\n" + text.rstrip()
            self.continuing = text.rstrip().endswith("\\")
            return
        if not text.strip():
            self.b.record_counts["blank"] += 1
            self.flush_paragraph()
            self.flush_command()
            return
        command = _COMMAND.match(text)
        if command is not None:
            self.b.record_counts["command"] += 1
            self.flush_paragraph()
            self.flush_command()
            self.command = _Command(line=number, command=command.group("cmd"), at=at)
            self.continuing = self.command.command.endswith("\\")
            return
        if self.command is not None:
            self.b.record_counts["output"] += 1
            exit_code = _EXIT.match(text)
            if exit_code is not None:
                self.command.exit_code = int(exit_code.group("code"))
            else:
                self.command.output.append(text.rstrip())
            return
        prompt = _PROMPT.match(text)
        if prompt is not None:
            self.b.record_counts["prompt"] += 1
            self.flush_paragraph()
            if prompt.group("text").strip():
                self.b.add_prompt(prompt.group("text").strip())
            return
        self.b.record_counts["text"] += 1
        agent = _AGENT.match(text)
        if agent is not None:
            self.flush_paragraph()
            text = agent.group("text")
        self.paragraph.append(text.rstrip())


def read_plain(path: Path) -> Transcript:
    """Read a plain-text session log into a `Transcript` (never fails on content)."""
    path = Path(path)
    if not path.is_file():
        raise NotFoundError(f"transcript not found: {path}")
    reader = _PlainReader()
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for number, raw in enumerate(fh, start=1):
            digest.update(raw)
            reader.line(number, raw.decode("utf-8", errors="replace").rstrip("\r\n"))
    reader.flush_paragraph()
    reader.flush_command()
    reader.b.session_id = path.stem
    return reader.b.build(source=path, sha256=digest.hexdigest(), fmt="plain", subagent_files=[])


def sniff_format(path: Path) -> str:
    """ "claude-code" when the first non-blank line is a JSON object, else "plain".

    A first line that starts like an object but does not parse (a cut-off write) is
    still Claude Code if one of the next non-blank lines parses as an object.
    """
    path = Path(path)
    seen = 0
    with path.open("rb") as fh:
        while seen < _SNIFF_LINES:
            raw = fh.readline(_SNIFF_LIMIT)
            if not raw:
                break
            line = raw.strip()
            if not line:
                continue
            seen += 1
            if not line.startswith(b"{"):
                if seen == 1:
                    return "plain"
                continue
            if len(raw) >= _SNIFF_LIMIT and not raw.endswith(b"\n"):
                return "claude-code"  # a huge object line: do not parse it just to sniff
            try:
                if isinstance(json.loads(line), dict):
                    return "claude-code"
            except (ValueError, RecursionError):
                continue
    if seen == 0 and path.suffix == ".jsonl":
        return "claude-code"
    return "plain"


def read_transcript(path: Path, *, include_subagents: bool = True) -> Transcript:
    """Read any supported transcript, choosing the reader by content."""
    path = Path(path)
    if not path.is_file():
        raise NotFoundError(f"transcript not found: {path}")
    found = detect_format(path)
    if found == "codex":
        return read_codex(path)
    if found == "gemini":
        return read_gemini(path)
    if found == "claude-code" or sniff_format(path) == "claude-code":
        return read_claude_code(path, include_subagents=include_subagents)
    return read_plain(path)
