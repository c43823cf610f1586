"""Find the project and resolve every path of the layout, in one place.

No other module joins path segments of the layout by hand: they ask a `Project`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from hestai_tmws.errors import PathRejectedError
from hestai_tmws.gitio import GitRepo
from hestai_tmws.layout import (
    CACHE_DIR,
    CONFIG_FILE,
    CONTEXT,
    ENV_PROJECT,
    HESTAI,
    HESTAI_SYS,
    LEDGER_FILE,
    LEDGER_KEY_FILE,
    LOCK_FILE,
    STATE_DIR_NAME,
)


@dataclass(frozen=True)
class Project:
    """A work tree that holds (or will hold) `.hestai/` and `.hestai-sys/`."""

    root: Path
    git_dir: Path
    common_dir: Path
    _git: GitRepo | None = field(default=None, compare=False, repr=False)

    @classmethod
    def discover(cls, start: Path | str | None = None) -> Project:
        """The project containing `start` (default: $TMWS_PROJECT, else the current folder)."""
        if start is None:
            start = os.environ.get(ENV_PROJECT) or os.getcwd()
        repo = GitRepo(start)
        return cls(root=repo.root, git_dir=repo.git_dir, common_dir=repo.common_dir, _git=repo)

    @property
    def git(self) -> GitRepo:
        if self._git is not None:
            return self._git
        return GitRepo(self.root)

    # -- the two layers ---------------------------------------------------------------
    @cached_property
    def hestai(self) -> Path:
        return self.root / HESTAI

    @cached_property
    def hestai_sys(self) -> Path:
        return self.root / HESTAI_SYS

    def memory_path(self, rel: str) -> Path:
        """Absolute path of `rel` inside `.hestai/` (no checks: the Steward checks)."""
        return self.hestai / rel

    def governance_path(self, rel: str) -> Path:
        return self.hestai_sys / rel

    @cached_property
    def config_file(self) -> Path:
        return self.root / CONFIG_FILE

    # -- state kept in the git common dir (shared by worktrees, never committed) -------
    @cached_property
    def state_dir(self) -> Path:
        return self.common_dir / STATE_DIR_NAME

    @cached_property
    def ledger_path(self) -> Path:
        return self.state_dir / LEDGER_FILE

    @cached_property
    def ledger_key_path(self) -> Path:
        return self.state_dir / LEDGER_KEY_FILE

    @cached_property
    def lock_path(self) -> Path:
        return self.state_dir / LOCK_FILE

    @cached_property
    def cache_dir(self) -> Path:
        return self.state_dir / CACHE_DIR

    # -- helpers ----------------------------------------------------------------------
    def relative_to_root(self, path: Path) -> str:
        """POSIX path of `path` relative to the work tree root."""
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except ValueError as exc:
            raise PathRejectedError(f"{path} is outside the project {self.root}") from exc

    def context_doc(self, name: str) -> str:
        return f"{CONTEXT}/{name}.oct.md"
