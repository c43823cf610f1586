"""Content that arrives from other commits is not a hand edit: merges, picks, reverts, rebases.

While git is in the middle of one of these, a staged `.hestai/` blob the ledger does not know
still passes when it is exactly what the incoming commits bring at that path: the blob of the
commit being merged or picked, or the mechanical 3-way merge of (base, HEAD, incoming) by git's
text merge, the union merge, or the OCTAVE merge. Anything else — a conflict resolved by hand,
an edit made while the merge was open — differs from every one of those and stays blocked
(`tmws adopt` takes it in explicitly). Only runs when the ledger check left something over.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from hestai_tmws.gitio import StagedChange, blob_id, run_git
from hestai_tmws.guard.octave_merge import merge_octave
from hestai_tmws.project import Project

_OID = re.compile(r"^([0-9a-f]{40}|[0-9a-f]{64}) (\w+)$")
ZERO = "0" * 40
_SQUASHED = re.compile(r"^commit ([0-9a-f]{40}|[0-9a-f]{64})$", re.M)


@dataclass(frozen=True)
class Side:
    """One source of incoming content: a commit, and the commits its changes are relative to."""

    theirs: str
    bases: tuple[str, ...]


@dataclass(frozen=True)
class IncomingState:
    kind: str  # "merge", "cherry-pick", "revert", "rebase" (joined with "+" when several)
    sides: tuple[Side, ...]


def detect_incoming(project: Project) -> IncomingState | None:
    """The merge, cherry-pick, revert or rebase this work tree is in the middle of, if any."""
    gd = project.git_dir
    kinds: list[str] = []
    sides: list[Side] = []
    # git runs pre-merge-commit before MERGE_HEAD exists, but names the merged heads in
    # GITHEAD_<id> variables; a squash merge names its commits in SQUASH_MSG
    merge_heads = _read_ids(gd / "MERGE_HEAD") or _githead_ids(project)
    squashed = [] if merge_heads else _squash_ids(gd / "SQUASH_MSG")
    if squashed:
        kinds.append("squash")
        sides.append(Side(squashed[0], tuple(_merge_bases(project, "HEAD", squashed[0]))))
    if merge_heads:
        kinds.append("merge")
        for m in merge_heads:
            sides.append(Side(m, tuple(_merge_bases(project, "HEAD", m))))
    for pick in _read_ids(gd / "CHERRY_PICK_HEAD"):
        kinds.append("cherry-pick")
        sides.append(Side(pick, tuple(_parents(project, pick))))
    for rev in _read_ids(gd / "REVERT_HEAD"):
        kinds.append("revert")
        sides.extend(Side(parent, (rev,)) for parent in _parents(project, rev))
    rebasing = (gd / "rebase-merge").is_dir() or (gd / "rebase-apply").is_dir()
    if rebasing or (gd / "REBASE_HEAD").exists():
        kinds.append("rebase")
        picked = (
            _read_ids(gd / "REBASE_HEAD")
            or _read_ids(gd / "rebase-merge" / "stopped-sha")
            or _read_ids(gd / "rebase-apply" / "original-commit")
        )
        for commit in picked:
            sides.append(Side(commit, tuple(_parents(project, commit))))
    if not kinds:
        return None
    return IncomingState("+".join(dict.fromkeys(kinds)), tuple(sides))


Proven = Callable[[str, str, str], bool]  # (commit, path, blob): tmws recorded it there


def accept_incoming(
    project: Project,
    state: IncomingState,
    changes: list[StagedChange],
    proven: Proven | None = None,
) -> set[tuple[str, str]]:
    """(status, path) of every change that the incoming commits account for.

    With `proven`, content taken from an incoming commit counts only when tmws recorded it
    there: a commit made with `--no-verify` and then named in a forged CHERRY_PICK_HEAD,
    MERGE_HEAD or REBASE_HEAD brings nothing in.
    """
    if not state.sides:
        return set()
    if proven is None:

        def proven(_rev: str, _path: str, _blob: str) -> bool:
            return True

    paths = sorted({ch.path for ch in changes if "\n" not in ch.path})
    revs = sorted(
        {"HEAD", *(s.theirs for s in state.sides), *(b for s in state.sides for b in s.bases)}
    )
    blobs = _lookup_blobs(project, revs, paths)
    accepted: set[tuple[str, str]] = set()
    merger = Merger(project)
    for ch in changes:
        if "\n" in ch.path:
            continue
        if ch.status == "D":
            if _deleted_by_incoming(blobs, state, ch.path):
                accepted.add((ch.status, ch.path))
            continue
        if any(
            blobs.get((s.theirs, ch.path)) == ch.new_blob and proven(s.theirs, ch.path, ch.new_blob)
            for s in state.sides
        ):
            accepted.add((ch.status, ch.path))
            continue
        ours = blobs.get(("HEAD", ch.path))
        for side in state.sides:
            theirs = blobs.get((side.theirs, ch.path))
            if theirs is not None and not proven(side.theirs, ch.path, theirs):
                continue
            bases = [blobs.get((b, ch.path)) for b in side.bases] or [None]
            if any(merger.produces(ch.path, base, ours, theirs, ch.new_blob) for base in bases):
                accepted.add((ch.status, ch.path))
                break
    return accepted


def _deleted_by_incoming(
    blobs: dict[tuple[str, str], str | None], state: IncomingState, path: str
) -> bool:
    """An incoming commit removed `path`: present in one of its bases, absent in it."""
    for side in state.sides:
        if blobs.get((side.theirs, path)) is None and any(
            blobs.get((b, path)) is not None for b in side.bases
        ):
            return True
    return False


# -- git plumbing -------------------------------------------------------------------------------


def _read_ids(path: Path) -> list[str]:
    try:
        text = path.read_text(encoding="ascii", errors="replace")
    except OSError:
        return []
    return [line.split()[0] for line in text.splitlines() if line.strip()]


def _githead_ids(project: Project) -> list[str]:
    """Commits git names in GITHEAD_<id> while it runs pre-merge-commit (real commits only)."""
    ids = [k[len("GITHEAD_") :] for k in os.environ if k.startswith("GITHEAD_")]
    return [i for i in ids if _OID.match(f"{i} commit") and _is_commit(project, i)]


def _squash_ids(path: Path) -> list[str]:
    """The commits `git merge --squash` lists in SQUASH_MSG, newest first (real ones only)."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    return [m.group(1) for m in _SQUASHED.finditer(text)]


def _is_commit(project: Project, oid: str) -> bool:
    out = run_git(project.root, "cat-file", "-t", oid, check=False)
    return out.returncode == 0 and out.stdout.strip() == b"commit"


def _parents(project: Project, commit: str) -> list[str]:
    out = run_git(project.root, "rev-parse", f"{commit}^@", check=False)
    return out.stdout.decode().split() if out.returncode == 0 else []


def _merge_bases(project: Project, a: str, b: str) -> list[str]:
    out = run_git(project.root, "merge-base", "--all", a, b, check=False)
    return out.stdout.decode().split() if out.returncode == 0 else []


def _lookup_blobs(
    project: Project, revs: list[str], paths: list[str]
) -> dict[tuple[str, str], str | None]:
    """Blob id of every `rev:path` (None where the path is absent or not a blob), in one call."""
    queries = [(rev, path) for rev in revs for path in paths]
    if not queries:
        return {}
    data = "".join(f"{rev}:{path}\n" for rev, path in queries).encode("utf-8", "surrogateescape")
    out = run_git(
        project.root, "cat-file", "--batch-check=%(objectname) %(objecttype)", input=data
    ).stdout.decode("utf-8", "surrogateescape")
    result: dict[tuple[str, str], str | None] = {}
    for query, line in zip(queries, out.splitlines(), strict=False):
        m = _OID.match(line)
        result[query] = m.group(1) if m and m.group(2) == "blob" else None
    return result


class Merger:
    """Recompute the mechanical merges of one path and compare them with the staged blob."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self._contents: dict[str, bytes] = {}

    def _content(self, oid: str | None) -> bytes:
        if oid is None:
            return b""
        if oid not in self._contents:
            self._contents[oid] = run_git(self.project.root, "cat-file", "blob", oid).stdout
        return self._contents[oid]

    def produces(
        self, path: str, base: str | None, ours: str | None, theirs: str | None, staged: str
    ) -> bool:
        b, o, t = self._content(base), self._content(ours), self._content(theirs)
        if path.endswith(".oct.md") and self._octave(b, o, t) == staged:
            return True
        with tempfile.TemporaryDirectory(prefix="tmws-guard-") as tmp:
            files = []
            for name, data in (("ours", o), ("base", b), ("theirs", t)):
                f = Path(tmp) / name
                f.write_bytes(data)
                files.append(str(f))
            for extra in ((), ("--union",)):
                proc = run_git(self.project.root, "merge-file", "-p", *extra, *files, check=False)
                if proc.returncode == 0 and blob_id(proc.stdout) == staged:
                    return True
        return False

    @staticmethod
    def _octave(base: bytes, ours: bytes, theirs: bytes) -> str | None:
        try:
            outcome = merge_octave(
                base.decode("utf-8"), ours.decode("utf-8"), theirs.decode("utf-8")
            )
        except UnicodeDecodeError:
            return None
        if outcome.conflicts:
            return None
        return blob_id(outcome.text.encode("utf-8"))
