"""The files the last few commits changed: what a new session is probably about.

Asked on every clock-in, so the answer is kept per (work tree, HEAD): it only changes when
HEAD moves, and a long-lived MCP server would otherwise start a git process each time.
"""

from __future__ import annotations

from hestai_tmws.gitio import run_git
from hestai_tmws.project import Project

RECENT_COMMITS = 5

# (work tree, HEAD commit, commits) → paths: the answer only changes when HEAD moves, and a
# long-lived MCP server would otherwise start a git process on every clock-in.
_RECENT: dict[tuple[str, str, int], list[str]] = {}


def recent_paths(project: Project, commits: int = RECENT_COMMITS) -> list[str]:
    """Files changed by the last few commits (empty on any git trouble)."""
    try:
        head = project.git.head_commit()
    except Exception:
        return []
    if head is None:
        return []  # no commits yet: nothing changed, and no git process to find that out
    key = (str(project.root), head, commits)
    cached = _RECENT.get(key)
    if cached is None:
        cached = _recent_paths(project, commits)
        if len(_RECENT) > 256:
            _RECENT.clear()
        _RECENT[key] = cached
    return list(cached)


def _recent_paths(project: Project, commits: int) -> list[str]:
    try:
        proc = run_git(project.root, "log", f"-n{commits}", "--name-only", "--format=", check=False)
    except Exception:
        return []
    if proc.returncode != 0:
        return []
    seen: list[str] = []
    for line in proc.stdout.decode("utf-8", "replace").splitlines():
        line = line.strip()
        if line and not line.startswith(".hestai") and line not in seen:
            seen.append(line)
    return seen[:20]
