"""Prove from history alone that every committed `.hestai/` blob came from tmws.

This is what CI can check on a fresh clone, where no hook ran and no ledger exists. A blob at a
path is proven when the provenance committed alongside it records it (a Steward write or an
adoption), when it is the mechanical merge (git's text merge, union merge, or the OCTAVE merge
driver) of proven parents at the merge commit that introduced it, or — for append-only JSON
Lines logs — when each of its lines appears in a recorded version (union merges, squashes,
rebases of logs). Anything else is a hand edit, named with the commit that introduced it.
Provenance files cannot record their own blob: each line must parse as a record.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hestai_tmws.findings import Finding
from hestai_tmws.gitio import run_git
from hestai_tmws.guard.incoming import Merger
from hestai_tmws.guard.provenance_gate import read_blobs
from hestai_tmws.layout import HESTAI
from hestai_tmws.project import Project
from hestai_tmws.steward.provenance import is_provenance, parse_text

ADOPT_HINT = 'tmws adopt {path} --reason "<why>"'
_MAX_DEPTH = 8  # merges of merges: deep enough for real histories, bounded for hostile ones


@dataclass
class _Snapshot:
    """One commit's `.hestai/` files and the provenance committed with them."""

    blobs: dict[str, str]  # path -> blob id of regular files (provenance files included)
    recorded: set[tuple[str, str | None]] = field(default_factory=set)
    malformed: dict[str, list[int]] = field(default_factory=dict)  # provenance path -> lines
    has_provenance: bool = False


class Prover:
    """Caches trees, blobs and parsed provenance across the commits of one verify run."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self._snapshots: dict[str, _Snapshot] = {}
        self._contents: dict[str, bytes] = {}
        self._parsed: dict[str, tuple[list[tuple[str, str | None]], list[int]]] = {}
        self._merger = Merger(project)

    # -- git access -----------------------------------------------------------------------
    def _git(self, *args: str, check: bool = True) -> str:
        proc = run_git(self.project.root, *args, check=check)
        return proc.stdout.decode("utf-8", "surrogateescape") if proc.returncode == 0 else ""

    def contents(self, oids: list[str]) -> dict[str, bytes]:
        """The content of each blob (absent ids are left out), cached across commits."""
        wanted = [o for o in dict.fromkeys(oids) if o not in self._contents]
        self._contents.update(read_blobs(self.project.root, wanted))
        return {o: self._contents[o] for o in oids if o in self._contents}

    def snapshot(self, rev: str) -> _Snapshot:
        snap = self._snapshots.get(rev)
        if snap is not None:
            return snap
        raw = self._git("ls-tree", "-r", "-z", "--full-tree", rev, "--", HESTAI, check=False)
        blobs: dict[str, str] = {}
        for entry in raw.split("\0"):
            info, _, path = entry.partition("\t")
            parts = info.split()
            if len(parts) == 3 and parts[1] == "blob":
                blobs[path] = parts[2]
        snap = _Snapshot(blobs)
        prov = {p: b for p, b in blobs.items() if is_provenance(p)}
        snap.has_provenance = bool(prov)
        texts = self.contents(list(prov.values()))
        for path, oid in prov.items():
            if oid not in self._parsed:
                records, bad = parse_text(texts.get(oid, b"").decode("utf-8", "replace"))
                self._parsed[oid] = ([(r.path, r.blob) for r in records], bad)
            pairs, bad = self._parsed[oid]
            snap.recorded.update(pairs)
            if bad:
                snap.malformed[path] = bad
        self._snapshots[rev] = snap
        return snap

    def _parents(self, rev: str) -> list[str]:
        return self._git("rev-parse", f"{rev}^@", check=False).split()

    # -- the proof ------------------------------------------------------------------------
    def proven(self, rev: str, path: str, blob: str, depth: int = 0) -> bool:
        """Is `blob` at `path` accounted for by tmws in the history of `rev`?"""
        snap = self.snapshot(rev)
        if (path, blob) in snap.recorded or self._lines_recorded(snap, path, blob):
            return True
        if depth >= _MAX_DEPTH:
            return False
        introducer = self.introducer(rev, path, blob)
        return introducer is not None and self.merged(introducer, path, blob, depth)

    def _lines_recorded(self, snap: _Snapshot, path: str, blob: str) -> bool:
        """An append-only log whose every line is in some recorded version of it."""
        if not path.endswith(".jsonl"):
            return False
        versions = [b for p, b in snap.recorded if p == path and b is not None]
        texts = self.contents([blob, *versions])
        if blob not in texts or not versions:
            return False
        known: set[bytes] = set()
        for oid in versions:
            known.update(texts.get(oid, b"").splitlines())
        return all(line in known for line in texts[blob].splitlines() if line.strip())

    def introducer(self, rev: str, path: str, blob: str) -> str | None:
        """The commit whose change to `path` produced `blob` (as `git log -- path` sees it)."""
        for commit in self._git("log", "--format=%H", rev, "--", path, check=False).split():
            if self.snapshot(commit).blobs.get(path) == blob:
                return commit
            return None  # the last change to the path left another blob: not from history
        return None

    def merged(self, commit: str, path: str, blob: str, depth: int) -> bool:
        """`blob` is the mechanical merge of its proven parents at merge `commit`."""
        parents = self._parents(commit)
        if len(parents) < 2:
            return False
        sides = [self.snapshot(p).blobs.get(path) for p in parents]
        for side, parent in zip(sides, parents, strict=True):
            if side is not None and not self.proven(parent, path, side, depth + 1):
                return False
        bases = self._git("merge-base", "--all", parents[0], parents[1], check=False).split()
        base_blobs = [self.snapshot(b).blobs.get(path) for b in bases] or [None]
        return any(
            self._merger.produces(path, base, sides[0], sides[1], blob) for base in base_blobs
        )

    # -- reports --------------------------------------------------------------------------
    def prove_commit(self, rev: str = "HEAD") -> list[Finding]:
        """Findings for every `.hestai/` blob at `rev` that tmws cannot account for."""
        snap = self.snapshot(rev)
        findings = _malformed(snap, None)
        memory = {p: b for p, b in snap.blobs.items() if not is_provenance(p)}
        if memory and not snap.has_provenance:
            return [_no_provenance(rev)]
        for path, blob in sorted(memory.items()):
            if self.proven(rev, path, blob):
                continue
            findings.append(self._unproven(rev, path, blob))
        return findings

    def _unproven(self, rev: str, path: str, blob: str) -> Finding:
        commit = self.introducer(rev, path, blob)
        where = f"introduced by commit {commit[:12]}" if commit else f"at {rev}"
        return Finding(
            code="NOT_FROM_TMWS",
            path=path,
            message=f"blob {blob[:10]} was not written by tmws ({where}): a hand edit or a "
            f"bypassed hook; take it in with `{ADOPT_HINT.format(path=path)}`",
        )

    def prove_range(self, since: str, rev: str = "HEAD") -> list[Finding]:
        """Check each commit in `since..rev`: every blob it introduced, every deletion."""
        out = self._git("rev-list", "--reverse", "--topo-order", "--parents", f"{since}..{rev}")
        findings: list[Finding] = []
        for line in out.splitlines():
            commit, *parents = line.split()
            findings.extend(self._commit_findings(commit, parents))
        return findings

    def _commit_findings(self, commit: str, parents: list[str]) -> list[Finding]:
        snap = self.snapshot(commit)
        findings = _malformed(snap, commit)
        before = [self.snapshot(p).blobs for p in parents]
        for path, blob in sorted(snap.blobs.items()):
            if is_provenance(path) or any(b.get(path) == blob for b in before):
                continue
            if (path, blob) in snap.recorded or self._lines_recorded(snap, path, blob):
                continue
            if len(parents) > 1 and self.merged(commit, path, blob, 0):
                continue
            findings.append(_hand_edit(commit, path, blob))
        if len(parents) == 1:
            for path in sorted(set(before[0]) - set(snap.blobs)):
                if not is_provenance(path) and (path, None) not in snap.recorded:
                    findings.append(_hand_delete(commit, path))
        return findings


def _malformed(snap: _Snapshot, commit: str | None) -> list[Finding]:
    where = f" in commit {commit[:12]}" if commit else ""
    return [
        Finding(
            code="PROVENANCE_MALFORMED",
            path=path,
            message=f"line(s) {', '.join(map(str, lines[:5]))}{where} are not provenance "
            "records: provenance is appended by tmws only",
        )
        for path, lines in sorted(snap.malformed.items())
    ]


def _no_provenance(rev: str) -> Finding:
    return Finding(
        code="NO_PROVENANCE",
        path=f"{HESTAI}/provenance/",
        message=f"{rev} has .hestai/ files but no provenance, so none of them can be proven; "
        "for files written before provenance existed run "
        '`tmws adopt $(git ls-files .hestai) --reason "provenance baseline"` once and commit',
    )


def _hand_edit(commit: str, path: str, blob: str) -> Finding:
    return Finding(
        code="NOT_FROM_TMWS",
        path=path,
        message=f"commit {commit[:12]} introduced blob {blob[:10]}, which tmws did not write "
        "(a hand edit or a bypassed hook)",
    )


def _hand_delete(commit: str, path: str) -> Finding:
    return Finding(
        code="DELETED_BY_HAND",
        path=path,
        message=f"commit {commit[:12]} deleted it without tmws recording the deletion",
    )
