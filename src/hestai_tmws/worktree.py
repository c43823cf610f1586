"""Find a work tree's root, git dir and common dir from `.git` alone (standard library only).

The fast paths (`tmws status`, the agent hooks) need only these three folders; asking
gitpython for them costs ~50 ms of imports before anything useful happens.
"""

from __future__ import annotations

import os
from pathlib import Path

GIT_ENV = ("GIT_DIR", "GIT_WORK_TREE", "GIT_COMMON_DIR")


def env_overrides_git() -> bool:
    """GIT_DIR and friends change where git looks: then let git's own rules decide."""
    return any(os.environ.get(k) for k in GIT_ENV)


def find_work_tree(start: Path) -> tuple[Path, Path, Path] | None:
    """(work tree root, git dir, common dir) for `start`, read from `.git`; None if unusual.

    Handles a `.git` folder and a `.git` file (`gitdir: …`, linked worktrees and submodules)
    with its `commondir`. Anything else (no `.git` found, a broken pointer, a bare layout)
    returns None so that the caller asks gitpython, which applies all of git's rules.
    """
    for folder in (start, *start.parents):
        dot_git = folder / ".git"
        if dot_git.is_dir():
            git_dir = dot_git
        elif dot_git.is_file():
            try:
                text = dot_git.read_text(encoding="utf-8").strip()
            except OSError:
                return None
            if not text.startswith("gitdir: "):
                return None
            git_dir = (folder / text[len("gitdir: ") :].strip()).resolve()
        else:
            continue
        if not (git_dir / "HEAD").is_file():
            return None
        common = git_dir
        pointer = git_dir / "commondir"
        if pointer.is_file():
            try:
                common = (git_dir / pointer.read_text(encoding="utf-8").strip()).resolve()
            except OSError:
                return None
        return folder.resolve(), git_dir.resolve(), common.resolve()
    return None
