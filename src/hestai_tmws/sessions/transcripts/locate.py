"""Find the Claude Code transcript that belongs to a tmws session.

Order of trust: a path the user gave, a path a hook recorded, then a search of the
Claude projects folder for this working directory: the file named after the Claude
session id, else a file that mentions the tmws session id, else the file whose cwd
matches and whose activity overlaps the session's time window most.
"""

from __future__ import annotations

import json
import mmap
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hestai_tmws.errors import NotFoundError
from hestai_tmws.sessions.transcripts._build import parse_timestamp

ENV_CLAUDE_CONFIG_DIR = "CLAUDE_CONFIG_DIR"
_SLUG_CHARS = re.compile(r"[/\\.:]")
_ANY_NON_ALNUM = re.compile(r"[^A-Za-z0-9]")
_SLACK = timedelta(minutes=2)
_HEAD_LINES = 20
_TAIL_BYTES = 64 * 1024


def claude_projects_dir() -> Path:
    """`$CLAUDE_CONFIG_DIR/projects`, else `~/.claude/projects`."""
    configured = os.environ.get(ENV_CLAUDE_CONFIG_DIR, "").strip()
    base = Path(configured).expanduser() if configured else Path.home() / ".claude"
    return base / "projects"


def project_slug(cwd: Path) -> str:
    """Claude Code's folder name for `cwd`: the absolute path with `/ . \\ :` each made `-`."""
    return _SLUG_CHARS.sub("-", os.path.abspath(str(cwd)))


def _slugs(cwd: Path) -> list[str]:
    """The slug, plus variants Claude Code may have used (resolved path, every non-alnum)."""
    paths = [os.path.abspath(str(cwd))]
    try:
        resolved = str(Path(cwd).resolve())
    except OSError:
        resolved = paths[0]
    if resolved not in paths:
        paths.append(resolved)
    slugs: list[str] = []
    for p in paths:
        for slug in (_SLUG_CHARS.sub("-", p), _ANY_NON_ALNUM.sub("-", p)):
            if slug not in slugs:
                slugs.append(slug)
    return slugs


def _as_utc(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


@dataclass(frozen=True)
class _Candidate:
    path: Path
    mentions_session: bool
    overlap: float  # seconds of activity inside the session window; -1 when none
    mtime: float


def _mentions(path: Path, needle: str) -> bool:
    if not needle:
        return False
    try:
        with path.open("rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as data:
            return data.find(needle.encode()) != -1
    except (OSError, ValueError):  # empty files cannot be mapped
        return False


def _window(path: Path) -> tuple[str | None, datetime | None, datetime | None]:
    """(cwd, first timestamp, last timestamp) from the head and tail of a transcript."""
    cwd: str | None = None
    first: datetime | None = None
    last: datetime | None = None
    try:
        with path.open("rb") as fh:
            for _ in range(_HEAD_LINES):
                raw = fh.readline(1 << 20)
                if not raw:
                    break
                rec = _loads(raw)
                if rec is None:
                    continue
                rec_cwd = rec.get("cwd")
                if cwd is None and isinstance(rec_cwd, str):
                    cwd = rec_cwd
                first = first or parse_timestamp(rec.get("timestamp"))
            size = path.stat().st_size
            fh.seek(max(0, size - _TAIL_BYTES))
            for raw in reversed(fh.read().split(b"\n")):
                rec = _loads(raw)
                if rec is not None and (stamp := parse_timestamp(rec.get("timestamp"))):
                    last = stamp
                    break
    except OSError:
        return None, None, None
    return cwd, first, last


def _loads(raw: bytes) -> dict[str, object] | None:
    try:
        rec = json.loads(raw)
    except (ValueError, RecursionError):
        return None
    return rec if isinstance(rec, dict) else None


def _under(child: str, parent: Path) -> bool:
    try:
        return Path(child).resolve().is_relative_to(Path(parent).resolve())
    except (OSError, ValueError):
        return False


def _candidate_dirs(projects: Path, cwd: Path) -> list[Path]:
    if not projects.is_dir():
        return []
    slugs = _slugs(cwd)
    dirs = [projects / s for s in slugs if (projects / s).is_dir()]
    # Sessions started in a subfolder of the project live under a longer slug.
    for entry in sorted(projects.iterdir()):
        if (
            entry.is_dir()
            and entry not in dirs
            and any(entry.name.startswith(s + "-") for s in slugs)
        ):
            dirs.append(entry)
    return dirs


def find_transcript(
    *,
    explicit: Path | None,
    recorded: Path | None,
    claude_session_id: str | None,
    session_id: str,
    cwd: Path,
    started_at: datetime,
    ended_at: datetime,
) -> Path | None:
    """The transcript for a session, or None when nothing plausible exists.

    Raises `NotFoundError` only when `explicit` names a file that does not exist: the
    user asked for that file, so silently using another one would be wrong. Naive
    datetimes are taken as UTC.
    """
    if explicit is not None:
        explicit = Path(explicit).expanduser()
        if not explicit.is_file():
            raise NotFoundError(
                f"transcript not found: {explicit}", hint="check the --transcript path"
            )
        return explicit
    if recorded is not None and Path(recorded).is_file():
        return Path(recorded)
    dirs = _candidate_dirs(claude_projects_dir(), cwd)
    if claude_session_id:
        for folder in dirs:
            named = folder / f"{claude_session_id}.jsonl"
            if named.is_file():
                return named
    start, end = _as_utc(started_at) - _SLACK, _as_utc(ended_at) + _SLACK
    candidates: list[_Candidate] = []
    for folder in dirs:
        for path in folder.glob("*.jsonl"):
            try:
                mtime = path.stat().st_mtime
            except OSError:
                continue
            if datetime.fromtimestamp(mtime, UTC) < start:
                continue  # last written before the session began
            mentions = _mentions(path, session_id)
            file_cwd, first, last = _window(path)
            overlap = -1.0
            if file_cwd is not None and _under(file_cwd, cwd):
                lo = first or datetime.fromtimestamp(mtime, UTC)
                hi = max(last or lo, datetime.fromtimestamp(mtime, UTC))
                if min(hi, end) >= max(lo, start):
                    overlap = (min(hi, end) - max(lo, start)).total_seconds()
            if mentions or overlap >= 0:
                candidates.append(_Candidate(path, mentions, overlap, mtime))
    if not candidates:
        return None
    best = max(candidates, key=lambda c: (c.mentions_session, c.overlap, c.mtime))
    return best.path
