"""The pre-commit check: a staged change under `.hestai/` must be a blob the Steward wrote.

It reads the index (`git diff --cached --raw -z`), never the work tree, because the index is
what the commit records. It runs on every `git commit`, so it stays lean: no pydantic,
gitpython, typer or rich on this path, two git calls when a commit leaves project memory
alone, and the ledger is read only when it does not. Nothing in the environment turns it
off: the only ways in are Steward writes, content arriving from merged or picked commits,
and `tmws adopt`.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from hestai_tmws.errors import TmwsError
from hestai_tmws.gitio import StagedChange, parse_raw_diff, run_git
from hestai_tmws.guard.areas import (
    ACTIVE_PREFIX,
    EXECUTABLE_MODE,
    GITLINK_MODE,
    REGULAR_MODE,
    SYMLINK_MODE,
)
from hestai_tmws.guard.areas import area as _area
from hestai_tmws.guard.incoming import accept_incoming, detect_incoming
from hestai_tmws.guard.provenance_gate import RecordedAt, accept_by_provenance
from hestai_tmws.layout import HESTAI, HESTAI_SYS
from hestai_tmws.project import Project
from hestai_tmws.steward.ledger import Ledger, LedgerIndex, LedgerTamperedError

EXIT_OK = 0
EXIT_BLOCKED = 3  # ExitCode.POLICY; the hook script turns any non-zero into a refusal

# Remedies shown to people; the Steward's own commands are the way in.
ADOPT = 'tmws adopt {path} --reason "<why this hand edit is right>"'
RESTORE = "git restore --staged --worktree -- {path}"
WRITE_HINT = (
    "Project memory in .hestai/ is written only through tmws (`tmws context update`, "
    "`tmws doc submit`, clock-in/out, the MCP tools); "
    "no environment variable skips this check. `git commit --no-verify`, core.hooksPath, "
    "SKIP=tmws-guard under the pre-commit framework and plumbing skip it, but not CI: "
    "`tmws verify` on a fresh clone checks every .hestai/ blob against the committed "
    "provenance and names the commit of a hand edit."
)


@dataclass(frozen=True)
class Violation:
    """One staged path the guard refuses, and what to run instead."""

    code: str  # HAND_EDIT, NEW_FILE, DELETED, SYSTEM_LAYER, ACTIVE_SESSION, MODE, SYMLINK, ...
    path: str
    problem: str
    remedy: str


@dataclass
class GuardReport:
    """What the guard saw in the index and what it refused."""

    checked: int = 0  # staged paths under .hestai/ or .hestai-sys/
    accepted_from_commits: int = 0  # passed because merged/picked commits brought them
    incoming: str | None = None  # merge, cherry-pick, revert, rebase (when content arrives)
    violations: list[Violation] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.violations

    def render(self) -> str:
        """The message a person sees when the commit is blocked (empty when it passes)."""
        if self.ok:
            return ""
        n = len(self.violations)
        lines = [
            f"tmws guard: commit blocked: {n} staged change{'s' if n != 1 else ''} "
            "under .hestai/ did not come from the Steward"
        ]
        for v in self.violations:
            lines.append(f"  {v.path}: {v.problem}")
            lines.append(f"      fix: {v.remedy}")
        lines.append(WRITE_HINT)
        return "\n".join(lines) + "\n"


# -- locating the repository ----------------------------------------------------------------


def locate(cwd: Path | str | None = None) -> Project:
    """The repository git is committing in. Never `$TMWS_PROJECT`: git decides, not the env."""
    out = run_git(
        cwd or os.getcwd(),
        "rev-parse",
        "--path-format=absolute",
        "--show-toplevel",
        "--git-dir",
        "--git-common-dir",
    ).stdout.decode("utf-8", "surrogateescape")
    parts = out.splitlines()
    if len(parts) < 3 or not parts[0]:
        raise TmwsError("the pre-commit guard needs a work tree (this is a bare repository)")
    root, git_dir, common = (Path(p).resolve() for p in parts[:3])
    return Project(root=root, git_dir=git_dir, common_dir=common)


def staged_changes(project: Project) -> list[StagedChange]:
    """Every index entry that differs from HEAD; renames split into a deletion and an addition."""
    raw = run_git(
        project.root, "diff", "--cached", "--raw", "-z", "--no-abbrev", "--no-renames"
    ).stdout
    return parse_raw_diff(raw.decode("utf-8", "surrogateescape"))


# -- the check ------------------------------------------------------------------------------


def check_staged(project: Project, changes: list[StagedChange] | None = None) -> GuardReport:
    """Check the index of `project` (or the given changes) against the Steward's ledger."""
    if changes is None:
        changes = staged_changes(project)
    report = GuardReport()
    pending: list[StagedChange] = []
    for change in _split(changes):
        area = _area(change.path)
        if area is None:
            continue
        report.checked += 1
        violation = _structural(change, area)
        if violation is not None:
            report.violations.append(violation)
        elif area == "memory":
            pending.append(change)
    if pending:
        incoming = _check_ledger(project, pending, report)
        _check_secrets(project, incoming, report)
    return report


def _check_secrets(project: Project, incoming: list[StagedChange], report: GuardReport) -> None:
    """Content that arrives from other commits (merges, picks) scanned for secrets, the same
    scan as `tmws verify`. Blobs the ledger vouches for need none: the Steward redacted them
    when it wrote them and `tmws adopt` refuses a file with a secret (which also keeps the
    fast path, that accepts them unread, sound)."""
    staged = [(ch.path, ch.new_blob) for ch in incoming if ch.status != "D"]
    if not staged:
        return  # the scanner's imports cost more than the whole check
    from hestai_tmws.guard.secret_scan import scan_blobs  # lazy: only when memory arrives

    for hit in scan_blobs(project.root, staged):
        report.violations.append(
            Violation("SECRET", hit.where(), hit.message(), RESTORE.format(path=hit.path))
        )


def _split(changes: list[StagedChange]) -> list[StagedChange]:
    """A rename is a deletion plus an addition; a copy is an addition. Each side is checked."""
    out: list[StagedChange] = []
    for ch in changes:
        if ch.status == "R" and ch.old_path is not None:
            out.append(StagedChange("D", ch.old_mode, "000000", ch.old_blob, "0" * 40, ch.old_path))
            out.append(StagedChange("A", "000000", ch.new_mode, "0" * 40, ch.new_blob, ch.path))
        elif ch.status == "C":
            out.append(StagedChange("A", "000000", ch.new_mode, "0" * 40, ch.new_blob, ch.path))
        else:
            out.append(ch)
    return out


def _structural(ch: StagedChange, area: str) -> Violation | None:
    """Refusals that need no ledger: wrong layer, wrong kind of file, wrong mode."""
    if ch.status == "D":
        # Removing governance, active sessions or look-alike folders from git is the fix,
        # never a hand edit of memory; memory deletions go on to the ledger check.
        return None
    path = ch.path
    if area == "system":
        return Violation(
            "SYSTEM_LAYER",
            path,
            "governance in .hestai-sys/ is injected read-only and never committed",
            f"git rm -r --cached -- {HESTAI_SYS}  (then `tmws inject` restores it locally)",
        )
    if area == "active":
        return Violation(
            "ACTIVE_SESSION",
            path,
            "active sessions stay in their work tree and are never committed",
            f"git rm -r --cached -- {ACTIVE_PREFIX.rstrip('/')}",
        )
    if area == "case-variant":
        return Violation(
            "CASE_VARIANT",
            path,
            f"{path.split('/', 1)[0]} differs from {HESTAI}/ or {HESTAI_SYS}/ only by case",
            f"git rm --cached -- {path}  (memory lives in {HESTAI}/, written by tmws)",
        )
    if area == "not-a-folder":
        return Violation(
            "NOT_A_FOLDER",
            path,
            f"{HESTAI} must be a real folder, not a file or a link",
            f"git rm --cached -- {HESTAI}",
        )
    if ch.status == "U":
        return Violation(
            "UNMERGED",
            path,
            "the path is still unmerged",
            f"resolve it, then {ADOPT.format(path=path)}",
        )
    if ch.new_mode == SYMLINK_MODE:
        return Violation(
            "SYMLINK",
            path,
            "a symbolic link: memory files are plain files written by the Steward",
            f"git rm --cached -- {path}",
        )
    if ch.new_mode == GITLINK_MODE:
        return Violation(
            "SUBMODULE", path, "a submodule inside .hestai/", f"git rm --cached -- {path}"
        )
    if ch.new_mode != REGULAR_MODE:
        return Violation(
            "MODE",
            path,
            f"mode {ch.new_mode}: memory files are plain {REGULAR_MODE} files",
            f"git update-index --chmod=-x -- {path}",
        )
    return None


def _check_ledger(
    project: Project, pending: list[StagedChange], report: GuardReport
) -> list[StagedChange]:
    """Refuse what the ledger does not know; return what merged or picked commits brought."""
    try:
        index = Ledger(project.ledger_path, project.ledger_key_path).index()
    except LedgerTamperedError as exc:
        report.violations.append(
            Violation("LEDGER_TAMPERED", str(project.ledger_path), exc.message, exc.hint or "")
        )
        return []
    unresolved: list[StagedChange] = []
    arrived: list[StagedChange] = []
    for ch in pending:
        if ch.status == "D":
            if not index.was_deleted(ch.path):
                unresolved.append(ch)
        elif index.knows(ch.path, ch.new_blob):
            continue
        elif (
            ch.status == "M"
            and ch.old_blob == ch.new_blob
            and ch.old_mode in (REGULAR_MODE, EXECUTABLE_MODE)
        ):
            continue  # mode put back to 100644, content unchanged
        else:
            unresolved.append(ch)
    if unresolved:
        rest = _from_commits(project, index, unresolved, report)
        kept = {(ch.status, ch.path) for ch in rest}
        arrived = [ch for ch in unresolved if (ch.status, ch.path) not in kept]
        unresolved = rest
    for ch in unresolved:
        report.violations.append(_ledger_violation(ch))
    return arrived


def _from_commits(
    project: Project, index: LedgerIndex, unresolved: list[StagedChange], report: GuardReport
) -> list[StagedChange]:
    """What teammates' commits account for: their provenance, then mechanical merges."""
    state = detect_incoming(project)
    revs = [s.theirs for s in state.sides] if state is not None else []
    accepted = accept_by_provenance(project, index, unresolved, revs)
    if state is not None:
        report.incoming = state.kind
        rest = [ch for ch in unresolved if (ch.status, ch.path) not in accepted]
        accepted |= accept_incoming(project, state, rest, RecordedAt(project, index))
    report.accepted_from_commits = len(accepted)
    return [ch for ch in unresolved if (ch.status, ch.path) not in accepted]


def _ledger_violation(ch: StagedChange) -> Violation:
    path = ch.path
    if ch.status == "D":
        return Violation(
            "DELETED",
            path,
            "deleted by hand (the Steward did not delete it)",
            f"{RESTORE.format(path=path)}  (or take the deletion in: {ADOPT.format(path=path)})",
        )
    if ch.status == "A":
        return Violation(
            "NEW_FILE",
            path,
            f"a new file the Steward did not write (blob {ch.new_blob[:10]})",
            f"{ADOPT.format(path=path)}  (or drop it: git rm --cached -- {path})",
        )
    return Violation(
        "HAND_EDIT",
        path,
        f"edited by hand (staged blob {ch.new_blob[:10]} is not one the Steward wrote)",
        f"{ADOPT.format(path=path)}  (or undo it: {RESTORE.format(path=path)})",
    )


# -- the hook's entry -------------------------------------------------------------------------


def hook_main(cwd: Path | str | None = None) -> int:
    """Run the check for `git commit`; print the refusal on stderr. 0 passes, 3 blocks."""
    try:
        report = check_staged(locate(cwd))
    except TmwsError as exc:
        sys.stderr.write(f"tmws guard: {exc.message}\n")
        if exc.hint:
            sys.stderr.write(f"hint: {exc.hint}\n")
        sys.stderr.write("tmws guard: the commit is blocked until the check can run.\n")
        return EXIT_BLOCKED
    if report.ok:
        return EXIT_OK
    sys.stderr.write(report.render())
    return EXIT_BLOCKED
