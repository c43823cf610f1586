"""The files the last few commits changed: what a new session is probably about.

Asked on every clock-in, so the answer is kept per (work tree, HEAD): it only changes when
HEAD moves, and a long-lived MCP server would otherwise start a git process each time.
"""

from __future__ import annotations

import functools
from pathlib import Path

from hestai_tmws.gitio import run_git
from hestai_tmws.project import Project

RECENT_COMMITS = 5


def recent_paths(project: Project, commits: int = RECENT_COMMITS) -> list[str]:
    """Files changed by the last few commits (empty on any git trouble)."""
    try:
        head = project.git.head_commit()
    except Exception:
        return []
    if head is None:
        return []  # no commits yet: nothing changed, and no git process to find that out
    return list(_recent_paths(project.root, head, commits))


@functools.lru_cache(maxsize=256)
def _recent_paths(root: Path, head: str, commits: int) -> tuple[str, ...]:
    """Kept per (work tree, HEAD commit, commits): the answer only changes when HEAD moves,
    and a long-lived MCP server would otherwise start a git process on every clock-in."""
    del head  # cache key only: `git log` below starts from HEAD
    try:
        proc = run_git(root, "log", f"-n{commits}", "--name-only", "--format=", check=False)
    except Exception:
        return ()
    if proc.returncode != 0:
        return ()
    seen: list[str] = []
    for line in proc.stdout.decode("utf-8", "replace").splitlines():
        line = line.strip()
        if line and not line.startswith(".hestai") and line not in seen:
            seen.append(line)
    return tuple(seen[:20])
