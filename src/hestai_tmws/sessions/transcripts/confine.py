"""Which files may be read as a session transcript: only an agent's transcript, by content.

A transcript is archived into committed memory, so the path it comes from is checked before
it is opened for reading:

* every caller: a regular file (no FIFO, device or folder; links are followed first), not
  under `/proc`, `/sys` or `/dev`, and a transcript of a supported agent by its content
  (`sniff.detect_format`); `/etc/passwd`, binaries and plain notes are refused.
* policy "agent" (a path an agent supplied: MCP `clock_out`, a path recorded at clock-in):
  it must also sit under that agent's transcript folders, inside the repository, or under
  a folder the project's settings allow (`transcript_folders`).
* policy "person" (the CLI, where a person names the file): any folder, and a plain-text
  session log (`is_plain_log`: its `$ cmd` / `> prompt` / marker lines) is accepted too.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from hestai_tmws.errors import TranscriptRejectedError
from hestai_tmws.sessions.transcripts.locate import claude_projects_dir
from hestai_tmws.sessions.transcripts.sniff import detect_format

TranscriptPolicy = Literal["agent", "person"]
_SYSTEM_ROOTS = (Path("/proc"), Path("/sys"), Path("/dev"), Path("/etc"), Path("/boot"))
_HINT = "name a Claude Code, Codex or Gemini session file"


def agent_folders(fmt: str) -> list[Path]:
    """Where the agent that writes `fmt` keeps its transcripts (honouring its env vars)."""
    home = Path.home()
    if fmt == "claude-code":
        return [claude_projects_dir()]
    if fmt == "codex":
        codex = os.environ.get("CODEX_HOME", "").strip()
        return [(Path(codex).expanduser() if codex else home / ".codex") / "sessions"]
    if fmt == "gemini":
        return [home / ".gemini" / "tmp"]
    return []


def confine_transcript(
    path: Path,
    *,
    root: Path,
    policy: TranscriptPolicy,
    allowed: Sequence[Path] = (),
    allow_empty: bool = False,
) -> Path:
    """The resolved `path` when it may be read as a transcript; else TranscriptRejectedError.

    With `allow_empty` a person may name any text file outside the system folders: it is
    archived as a plain log, even when it gives no tool call."""
    try:
        real = Path(path).expanduser().resolve(strict=True)
        mode = real.stat().st_mode
    except (OSError, RuntimeError) as exc:
        raise TranscriptRejectedError(f"transcript {path} cannot be opened", hint=_HINT) from exc
    if any(real == r or real.is_relative_to(r) for r in _SYSTEM_ROOTS):
        raise TranscriptRejectedError(f"{path} is a system file, not a transcript", hint=_HINT)
    if not stat.S_ISREG(mode):
        raise TranscriptRejectedError(
            f"{path} is not a regular file (a folder, FIFO or device)", hint=_HINT
        )
    fmt = detect_format(real)
    if fmt is None and policy == "person" and (is_plain_log(real) or (allow_empty and _text(real))):
        return real  # a plain session log a person names (agents name structured ones)
    if fmt is None:
        raise TranscriptRejectedError(
            f"{path} is not a transcript of a supported agent (by its content), so it would "
            "give 0 tool calls",
            hint=_HINT
            + (
                ", or pass --allow-empty to archive a text file as a plain log"
                if policy == "person"
                else ""
            ),
        )
    if policy == "agent" and not _inside(real, [*agent_folders(fmt), root, *allowed]):
        raise TranscriptRejectedError(
            f"{path} is outside the {fmt} transcript folders and the repository",
            hint="move it into the repository, or add its folder to transcript_folders "
            "in .hestai-tmws.yaml",
        )
    return real


_HEAD_BYTES = 64 * 1024  # as much as detect_format reads
_PLAIN_CUES = re.compile(
    r"^\s*(?:\[[0-9T:.Z+ -]+\]\s+)?(?:\$ \S|> \S|(?:user|human|assistant|claude|agent)\s*:|"
    r"(?:DECISION|BLOCKER|LEARNING):)",
    re.IGNORECASE | re.MULTILINE,
)


def _head_text(path: Path) -> str | None:
    """The first 64 KiB as text; None for binaries, non-UTF-8 or unreadable files."""
    try:
        with Path(path).open("rb") as fh:
            head = fh.read(_HEAD_BYTES)
    except OSError:
        return None
    if b"\x00" in head:
        return None
    try:
        return head.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _text(path: Path) -> bool:
    return bool(_head_text(path))


def is_plain_log(path: Path) -> bool:
    """A plain-text session log as `read_plain` reads it: text with its cues (`$ cmd` lines,
    `> ` or `User:` prompts, `assistant:` lines, DECISION/BLOCKER/LEARNING markers) in the
    first 64 KiB. Account files, configs and binaries have none."""
    text = _head_text(path)
    return bool(text) and len(_PLAIN_CUES.findall(text or "")) >= 2


def _inside(real: Path, folders: Sequence[Path]) -> bool:
    for folder in folders:
        try:
            base = Path(folder).expanduser().resolve()
        except (OSError, RuntimeError):
            continue
        if real.is_relative_to(base):
            return True
    return False
