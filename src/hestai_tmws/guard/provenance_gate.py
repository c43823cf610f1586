"""The hook's use of committed provenance: teammates' Steward writes are not hand edits.

A blob a teammate's Steward wrote arrives by pull, squash merge, cherry-pick or rebase with the
provenance line that records it, but this clone's ledger never saw it. The staged provenance
vouches for it when each line the commit adds to a provenance file is either backed by this
clone's ledger (the Steward wrote that blob here) or already committed in a provenance file at
a branch tip or an incoming commit (provenance only grows, so a tip holds every line its
branch ever recorded). A line typed by hand is neither, so the file it was added to vouches
for nothing and is refused with the other hand edits. Only runs when the ledger left
something over.
"""

from __future__ import annotations

from pathlib import Path

from hestai_tmws.gitio import StagedChange, run_git
from hestai_tmws.layout import HESTAI
from hestai_tmws.project import Project
from hestai_tmws.steward.ledger import LedgerIndex
from hestai_tmws.steward.provenance import PROVENANCE_DIR, is_provenance, parse_line

Accepted = set[tuple[str, str]]


def accept_by_provenance(
    project: Project, index: LedgerIndex, changes: list[StagedChange], extra_revs: list[str]
) -> Accepted:
    """(status, path) of each change the staged provenance accounts for."""
    staged = _staged_provenance(project)
    if not staged:
        return set()
    by_path = {ch.path: ch for ch in changes}
    texts = read_blobs(
        project.root, [*staged.values(), *(ch.old_blob for ch in by_path.values() if ch.old_blob)]
    )
    tips: set[bytes] | None = None
    accepted: Accepted = set()
    vouched: set[tuple[str, str | None]] = set()
    for path, blob in staged.items():
        lines = texts.get(blob, b"").splitlines()
        ch = by_path.get(path)
        if ch is not None and ch.status in ("A", "M"):
            before = set(texts.get(ch.old_blob, b"").splitlines()) if ch.status == "M" else set()
            new = [ln for ln in lines if ln.strip() and ln not in before]
            unbacked = [ln for ln in new if not _backed_here(ln, index)]
            if unbacked:
                if tips is None:
                    tips = _committed_lines(project, list(staged), extra_revs)
                if any(ln not in tips for ln in unbacked):
                    continue  # a line nobody committed and this clone did not write
            accepted.add((ch.status, path))
        for line in lines:
            rec = parse_line(line.decode("utf-8", "replace"))
            if rec is not None:
                vouched.add((rec.path, rec.blob))
    for ch in changes:
        if is_provenance(ch.path):
            continue
        key = (ch.path, None if ch.status == "D" else ch.new_blob)
        if key in vouched:
            accepted.add((ch.status, ch.path))
    return accepted


class RecordedAt:
    """`Proven` for `accept_incoming`: was `blob` recorded by tmws in commit `rev`?

    Provenance files are exempt (their lines are checked by `accept_by_provenance`), and a
    blob this clone's Steward wrote needs no record.
    """

    def __init__(self, project: Project, index: LedgerIndex) -> None:
        self.project = project
        self.index = index
        self._cache: dict[str, set[tuple[str, str | None]]] = {}

    def __call__(self, rev: str, path: str, blob: str) -> bool:
        if is_provenance(path) or self.index.knows(path, blob):
            return True
        if rev not in self._cache:
            self._cache[rev] = recorded_at(self.project, rev)
        return (path, blob) in self._cache[rev]


def recorded_at(project: Project, rev: str) -> set[tuple[str, str | None]]:
    """Every (path, blob) the provenance committed at `rev` records."""
    raw = run_git(
        project.root, "ls-tree", "-r", "-z", rev, "--", f"{HESTAI}/{PROVENANCE_DIR}/", check=False
    ).stdout.decode("utf-8", "surrogateescape")
    oids = []
    for entry in raw.split("\0"):
        info, _, path = entry.partition("\t")
        parts = info.split()
        if len(parts) == 3 and parts[1] == "blob" and is_provenance(path):
            oids.append(parts[2])
    out: set[tuple[str, str | None]] = set()
    for data in read_blobs(project.root, oids).values():
        for line in data.splitlines():
            rec = parse_line(line.decode("utf-8", "replace"))
            if rec is not None:
                out.add((rec.path, rec.blob))
    return out


def _backed_here(line: bytes, index: LedgerIndex) -> bool:
    rec = parse_line(line.decode("utf-8", "replace"))
    if rec is None:
        return False
    if rec.blob is None:
        return index.was_deleted(rec.path)
    return index.knows(rec.path, rec.blob)


def _staged_provenance(project: Project) -> dict[str, str]:
    """path -> staged blob of every provenance file in the index."""
    raw = run_git(
        project.root, "ls-files", "-s", "-z", "--", f"{HESTAI}/{PROVENANCE_DIR}/"
    ).stdout.decode("utf-8", "surrogateescape")
    out: dict[str, str] = {}
    for entry in raw.split("\0"):
        info, _, path = entry.partition("\t")
        parts = info.split()
        if len(parts) == 3 and parts[2] == "0" and is_provenance(path):
            out[path] = parts[1]
    return out


def _committed_lines(project: Project, paths: list[str], extra_revs: list[str]) -> set[bytes]:
    """Every line of these provenance files at every ref tip and incoming commit."""
    refs = run_git(
        project.root, "for-each-ref", "--format=%(objectname)", check=False
    ).stdout.split()
    fetched = _fetch_head_ids(project)
    revs = sorted({r.decode() for r in refs} | set(extra_revs) | fetched)
    if not revs:
        return set()
    query = "".join(f"{rev}:{path}\n" for rev in revs for path in paths).encode()
    proc = run_git(
        project.root, "cat-file", "--batch-check=%(objectname) %(objecttype)", input=query
    )
    oids = [
        parts[0]
        for parts in (line.split() for line in proc.stdout.decode().splitlines())
        if len(parts) == 2 and parts[1] == "blob"
    ]
    lines: set[bytes] = set()
    for data in read_blobs(project.root, oids).values():
        lines.update(data.splitlines())
    return lines


def _fetch_head_ids(project: Project) -> set[str]:
    """Commits the last fetch brought (a pull merges them before any ref names them)."""
    try:
        text = (project.git_dir / "FETCH_HEAD").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return set()
    return {line.split()[0] for line in text.splitlines() if line.strip()}


def read_blobs(root: Path, oids: list[str]) -> dict[str, bytes]:
    """The content of each blob id (absent ones are left out), in one `cat-file --batch` call."""
    wanted = [o for o in dict.fromkeys(oids) if o and o.strip("0")]
    if not wanted:
        return {}
    query = "".join(o + "\n" for o in wanted).encode()
    out = run_git(root, "cat-file", "--batch", input=query).stdout
    found: dict[str, bytes] = {}
    pos = 0
    for oid in wanted:
        nl = out.index(b"\n", pos)
        header = out[pos:nl].split()
        pos = nl + 1
        if len(header) == 3 and header[1] == b"blob":
            size = int(header[2])
            found[oid] = out[pos : pos + size]
            pos += size + 1
    return found
