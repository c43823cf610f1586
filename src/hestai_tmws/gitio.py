"""The one small module through which hestai-tmws talks to git.

Everything else asks this module; nothing else imports `git` (gitpython) directly. That keeps
subprocess behaviour, environment handling and error translation in one place.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from hestai_tmws.errors import NotARepositoryError, TmwsError
from hestai_tmws.worktree import env_overrides_git
from hestai_tmws.worktree import find_work_tree as find_work_tree  # re-exported for the hooks

if TYPE_CHECKING:  # gitpython is imported lazily: it costs start-up time
    import git


def blob_id(data: bytes) -> str:
    """The id `git hash-object` gives these bytes (SHA-1 of the blob header and content)."""
    header = b"blob %d\0" % len(data)
    return hashlib.sha1(header + data, usedforsecurity=False).hexdigest()


@dataclass(frozen=True)
class StagedChange:
    """One entry of `git diff --cached --raw -z`."""

    status: str  # A, M, D, R, C, T (first letter; R/C scores dropped)
    old_mode: str
    new_mode: str
    old_blob: str
    new_blob: str
    path: str
    old_path: str | None = None  # source path of a rename or copy


class GitRepo:
    """A work tree of a git repository (a main checkout or a linked worktree)."""

    def __init__(self, start: Path | str | None = None) -> None:
        start_path = Path(start or os.getcwd()).resolve()
        if not start_path.exists():
            raise NotARepositoryError(f"{start_path} does not exist")
        located = None if env_overrides_git() else find_work_tree(start_path)
        if located is not None:
            # The common case, read from the file system: gitpython costs ~50 ms to import,
            # which every hook process would pay before doing anything.
            self.root, self.git_dir, self.common_dir = located
            return
        repo = _open_with_gitpython(start_path)
        self._repo = repo
        self.root = Path(repo.working_tree_dir or "").resolve()
        self.git_dir = Path(repo.git_dir).resolve()
        self.common_dir = Path(repo.common_dir).resolve()

    @cached_property
    def _repo(self) -> git.Repo:
        return _open_with_gitpython(self.root)

    @property
    def repo(self) -> git.Repo:
        return self._repo

    def git(self, *args: str) -> str:
        """Run a git command in the work tree and return stdout; failures become TmwsError."""
        import git as gitmod  # lazy: gitpython costs ~50 ms at start-up; hooks read .git directly

        try:
            return str(self._repo.git.execute(["git", *args], strip_newline_in_stdout=False))
        except gitmod.GitCommandError as exc:
            raise TmwsError(f"git {' '.join(args[:2])} failed: {str(exc.stderr).strip()}") from exc

    def git_path(self, name: str) -> Path:
        """`git rev-parse --git-path NAME`: honours core.hooksPath and worktrees."""
        out = self.git("rev-parse", "--git-path", name).strip()
        path = Path(out)
        return (path if path.is_absolute() else self.root / path).resolve()

    def head_commit(self) -> str | None:
        """HEAD's commit id, read from the ref files (no git process: clock-in is hot)."""
        try:
            return resolve_head(self.git_dir, self.common_dir)
        except OSError:
            try:
                return self._repo.head.commit.hexsha
            except ValueError:
                return None  # no commits yet

    def branch(self) -> str | None:
        """The checked-out branch, None when HEAD is detached."""
        try:
            head = (self.git_dir / "HEAD").read_text(encoding="utf-8").strip()
        except OSError:
            head = ""
        if head.startswith("ref: refs/heads/"):
            return head[len("ref: refs/heads/") :]
        if head and not head.startswith("ref: "):
            return None  # detached HEAD
        try:
            return self._repo.active_branch.name
        except TypeError:
            return None

    def add(self, paths: Iterable[Path | str]) -> None:
        rels = [str(p) for p in paths]
        if rels:
            self.git("add", "--", *rels)

    def commit(self, message: str, paths: Sequence[Path | str] | None = None) -> str:
        args = ["commit", "-q", "-m", message]
        if paths:
            args += ["--", *[str(p) for p in paths]]
        self.git(*args)
        return self.head_commit() or ""

    def staged_changes(self) -> list[StagedChange]:
        """Parse `git diff --cached --raw -z` (no rename detection off: git's default applies)."""
        raw = self.git("diff", "--cached", "--raw", "-z", "--no-abbrev", "--find-renames")
        return parse_raw_diff(raw)

    def config_get(self, key: str) -> str | None:
        try:
            return self.git("config", "--get", key).strip() or None
        except TmwsError:
            return None

    def config_set(self, key: str, value: str) -> None:
        self.git("config", key, value)


def _open_with_gitpython(start: Path) -> git.Repo:
    import git as gitmod  # lazy: gitpython costs ~50 ms at start-up; hooks read .git directly

    try:
        repo = gitmod.Repo(start, search_parent_directories=True)
    except (gitmod.InvalidGitRepositoryError, gitmod.NoSuchPathError) as exc:
        raise NotARepositoryError(
            f"{start} is not inside a git repository",
            hint="run `git init` first, or pass --project PATH",
        ) from exc
    if repo.bare or repo.working_tree_dir is None:
        raise NotARepositoryError(f"{start} is a bare repository; tmws needs a work tree")
    return repo


def resolve_head(git_dir: Path, common_dir: Path) -> str | None:
    """Follow HEAD through loose refs and packed-refs; None on an unborn branch.

    Raises OSError when the layout is not the plain one (e.g. a reftable repository), so
    the caller can fall back to asking git.
    """
    head = (git_dir / "HEAD").read_text(encoding="utf-8").strip()
    for _ in range(5):  # symbolic refs may chain; git stops at 5 too
        if not head.startswith("ref: "):
            return head if len(head) in (40, 64) else None
        ref = head[5:].strip()
        for base in (git_dir, common_dir):
            loose = base / ref
            if loose.is_file():
                head = loose.read_text(encoding="utf-8").strip()
                break
        else:
            packed = common_dir / "packed-refs"
            if packed.is_file():
                for line in packed.read_text(encoding="utf-8").splitlines():
                    if line.endswith(" " + ref) and not line.startswith(("#", "^")):
                        return line.split(" ", 1)[0]
            if (common_dir / "reftable").exists():
                raise OSError("reftable repositories are read through git")
            return None  # unborn branch
    return None


def parse_raw_diff(raw: str) -> list[StagedChange]:
    """Parse the NUL-separated output of `git diff --raw -z`."""
    changes: list[StagedChange] = []
    fields = raw.split("\0")
    i = 0
    while i < len(fields):
        head = fields[i]
        if not head:
            i += 1
            continue
        if not head.startswith(":"):
            raise TmwsError(f"unexpected git diff output near {head[:40]!r}")
        old_mode, new_mode, old_blob, new_blob, status = head[1:].split(" ")
        letter = status[0]
        if letter in ("R", "C"):
            old_path, path = fields[i + 1], fields[i + 2]
            i += 3
        else:
            old_path, path = None, fields[i + 1]
            i += 2
        changes.append(StagedChange(letter, old_mode, new_mode, old_blob, new_blob, path, old_path))
    return changes


def run_git(
    cwd: Path | str, *args: str, input: bytes | None = None, check: bool = True
) -> subprocess.CompletedProcess[bytes]:
    """Run git as a plain subprocess (no gitpython): for hot paths such as the pre-commit hook.

    Output stays bytes so that `-z` listings keep paths exact; a non-zero exit becomes a
    TmwsError unless `check` is false (callers that read the exit code, like `merge-file`).
    """
    proc = subprocess.run(["git", *args], cwd=cwd, input=input, capture_output=True, check=False)
    if check and proc.returncode != 0:
        detail = proc.stderr.decode("utf-8", "replace").strip()
        raise TmwsError(f"git {' '.join(args[:2])} failed: {detail}")
    return proc
