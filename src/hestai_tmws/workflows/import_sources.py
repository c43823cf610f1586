"""Where existing agent history lives: one small discoverer per agent, and explicit paths.

`tmws import` without paths asks every discoverer in `DISCOVERERS` for this repository's own
sessions; adding an agent (Codex, Gemini) is one more entry. With paths, files are taken as
they are and folders are searched for transcripts.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from hestai_tmws.errors import UsageError
from hestai_tmws.project import Project
from hestai_tmws.sessions.transcripts import claude_projects_dir, project_slug
from hestai_tmws.sessions.transcripts.sniff import detect_format

TRANSCRIPT_SUFFIXES = (".jsonl", ".json")
_HEAD_LINES = 30


class Source(BaseModel):
    """One transcript file to import and the agent that wrote it."""

    path: Path
    agent: str  # "claude-code", "codex" or "gemini": what `detect_format` says
    agent_session_id: str  # the agent's own id (Claude Code: the file name)


Discoverer = Callable[[Project], list[Source]]


def discover(project: Project, paths: Sequence[str | Path] = ()) -> list[Source]:
    """The transcripts to import: the given paths, else what every discoverer finds."""
    if paths:
        return _dedupe(src for p in paths for src in _from_path(Path(p).expanduser()))
    return _dedupe(src for find in DISCOVERERS for src in find(project))


def _dedupe(sources: Iterable[Source]) -> list[Source]:
    seen: set[Path] = set()
    out: list[Source] = []
    for src in sources:
        key = src.path.resolve()
        if key not in seen:
            seen.add(key)
            out.append(src)
    return sorted(out, key=lambda s: (s.agent, str(s.path)))


def _from_path(path: Path) -> list[Source]:
    if path.is_file():
        found = _source(path)
        if found is None:
            raise UsageError(
                f"{path} is not a transcript of a supported agent",
                hint="tmws reads Claude Code, Codex CLI and Gemini CLI sessions",
            )
        return [found]
    if path.is_dir():
        candidates = (
            f
            for f in sorted(path.rglob("*"))
            if f.is_file() and f.suffix in TRANSCRIPT_SUFFIXES and "subagents" not in f.parts
        )
        return [src for src in map(_source, candidates) if src is not None]
    raise UsageError(f"{path} does not exist", hint="pass transcript files or folders")


def _source(path: Path) -> Source | None:
    """A `Source` for a file whose content says which agent wrote it; None for anything else."""
    agent = detect_format(path)
    if agent is None:
        return None
    return Source(path=path, agent=agent, agent_session_id=path.stem)


def _claude_source(path: Path) -> Source:
    return Source(path=path, agent="claude-code", agent_session_id=path.stem)


# -- Claude Code ---------------------------------------------------------------------------------


def claude_code_sessions(project: Project) -> list[Source]:
    """This repository's Claude Code sessions: its root, its worktrees, and moved copies.

    A projects folder belongs to the repository when its name is the slug of the root or of
    a worktree (or of a folder below them), or when its transcripts ran in a folder of the
    same name that no longer exists (the checkout was moved or renamed).
    """
    projects = claude_projects_dir()
    if not projects.is_dir():
        return []
    roots = _checkout_roots(project)
    slugs = {project_slug(r) for r in roots}
    names = {r.name for r in roots}
    out: list[Source] = []
    for folder in sorted(p for p in projects.iterdir() if p.is_dir()):
        files = sorted(folder.glob("*.jsonl"))
        if not files:
            continue
        if _slug_matches(folder.name, slugs) or _moved_here(files[0], roots, names):
            out.extend(_claude_source(f) for f in files)
    return out


def _slug_matches(name: str, slugs: set[str]) -> bool:
    return name in slugs or any(name.startswith(s + "-") for s in slugs)


def _checkout_roots(project: Project) -> list[Path]:
    """The project root and every worktree of its repository."""
    roots = [project.root]
    try:
        listing = project.git.git("worktree", "list", "--porcelain")
    except Exception:  # not fatal: the main checkout is still searched
        listing = ""
    for line in listing.splitlines():
        if line.startswith("worktree "):
            path = Path(line[len("worktree ") :])
            if path not in roots:
                roots.append(path)
    return roots


def _moved_here(first: Path, roots: list[Path], names: set[str]) -> bool:
    """The transcript's cwd is a vanished folder named like one of our checkouts."""
    cwd = transcript_cwd(first)
    if cwd is None:
        return False
    path = Path(cwd)
    if any(_is_under(path, r) for r in roots):
        return True
    return path.name in names and not os.path.exists(cwd)


def _is_under(child: Path, parent: Path) -> bool:
    try:
        return child == parent or child.is_relative_to(parent)
    except ValueError:
        return False


def _head_records(path: Path) -> list[dict[str, Any]]:
    """The JSON objects among the first lines of a JSON Lines transcript (unreadable: none)."""
    records: list[dict[str, Any]] = []
    try:
        with path.open("rb") as fh:
            for _ in range(_HEAD_LINES):
                raw = fh.readline(1 << 20)
                if not raw:
                    break
                try:
                    rec = json.loads(raw)
                except ValueError:
                    continue
                if isinstance(rec, dict):
                    records.append(rec)
    except OSError:
        return []
    return records


def transcript_cwd(path: Path) -> str | None:
    """The `cwd` of the first records of a Claude Code transcript."""
    for rec in _head_records(path):
        if isinstance(rec.get("cwd"), str):
            return str(rec["cwd"])
    return None


# -- Codex CLI and Gemini CLI -------------------------------------------------------------------


def codex_home() -> Path:
    """`$CODEX_HOME`, by default `~/.codex` (where Codex keeps `sessions/YYYY/MM/DD/`)."""
    return Path(os.environ.get("CODEX_HOME") or Path.home() / ".codex")


def codex_sessions(project: Project) -> list[Source]:
    """Codex rollouts whose `session_meta` cwd is this repository or one of its worktrees."""
    folder = codex_home() / "sessions"
    if not folder.is_dir():
        return []
    roots = _checkout_roots(project)
    out: list[Source] = []
    for path in sorted(folder.rglob("rollout-*.jsonl")):
        cwd = _codex_cwd(path)
        if cwd is not None and any(_is_under(Path(cwd), r) for r in roots):
            out.append(Source(path=path, agent="codex", agent_session_id=path.stem))
    return out


def _codex_cwd(path: Path) -> str | None:
    """The cwd of a rollout's first `session_meta` line (its first line in practice)."""
    for rec in _head_records(path):
        payload = rec.get("payload")
        if rec.get("type") == "session_meta" and isinstance(payload, dict):
            cwd = payload.get("cwd")
            return cwd if isinstance(cwd, str) else None
    return None


def gemini_project_hash(root: Path) -> str:
    """Gemini CLI names a project's temp folder by the SHA-256 of its root path."""
    return hashlib.sha256(str(root).encode("utf-8")).hexdigest()


def gemini_sessions(project: Project) -> list[Source]:
    """Gemini CLI chats under `~/.gemini/tmp/<project hash>/chats/` for this repository."""
    tmp = Path.home() / ".gemini" / "tmp"
    out: list[Source] = []
    for root in _checkout_roots(project):
        chats = tmp / gemini_project_hash(root) / "chats"
        if not chats.is_dir():
            continue
        for path in sorted(chats.iterdir()):
            is_chat = path.is_file() and path.suffix in TRANSCRIPT_SUFFIXES
            if is_chat and detect_format(path) == "gemini":
                out.append(Source(path=path, agent="gemini", agent_session_id=path.stem))
    return out


# One entry per agent whose history this repository may hold.
DISCOVERERS: list[Discoverer] = [claude_code_sessions, codex_sessions, gemini_sessions]
