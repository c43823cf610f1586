"""The second line: committed (or staged) project memory scanned with the redaction engine.

The Steward redacts every write, but `git commit --no-verify`, a hand edit or an older tmws
can still put a secret into `.hestai/`. `tmws verify` (CI) scans every `.hestai/` blob of
HEAD, or with `since` every line added to `.hestai/` by the commits of `since..HEAD` (a
secret added and removed again is still in history); the pre-commit guard scans the staged
blobs. A hit names the file, line and kind, never the value.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, MutableMapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from hestai_tmws.findings import Finding
from hestai_tmws.gitio import run_git
from hestai_tmws.layout import HESTAI
from hestai_tmws.secrets.redaction import scan

_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@")
_PRIVATE = f"{HESTAI}/sessions/active/"  # gitignored session state, never committed


@dataclass(frozen=True)
class SecretHit:
    """A secret-like value in a memory file (where and what kind; the value is not kept)."""

    path: str
    line: int
    kind: str
    commit: str | None = None  # the commit that added it (scans of a range)

    def where(self) -> str:
        return f"{self.path}:{self.line}"

    def message(self) -> str:
        added = f" (added in {self.commit[:12]})" if self.commit else ""
        return f"a possible {self.kind} secret{added}; remove it and rotate the credential"


def scan_text(path: str, text: str, *, first_line: int = 1) -> list[SecretHit]:
    """The secret-like spans of `text` as hits with line numbers."""
    hits: list[SecretHit] = []
    for finding in scan(text):
        line = first_line + text.count("\n", 0, finding.start)
        hits.append(SecretHit(path, line, finding.kind))
    return hits


def read_blobs(root: Path, blobs: Iterable[str]) -> dict[str, bytes]:
    """The content of each blob id, read in one `git cat-file --batch`."""
    ids = list(dict.fromkeys(blobs))
    if not ids:
        return {}
    out = run_git(root, "cat-file", "--batch", input="".join(f"{b}\n" for b in ids).encode())
    data, pos, found = out.stdout, 0, {}
    for blob in ids:
        end = data.index(b"\n", pos)
        header = data[pos:end].split()
        pos = end + 1
        if len(header) < 3 or header[1] == b"missing":
            continue
        size = int(header[2])
        found[blob] = data[pos : pos + size]
        pos += size + 1
    return found


def _text(data: bytes) -> str | None:
    return None if b"\x00" in data[:8192] else data.decode("utf-8", "replace")


# blob id -> (line, kind) of each hit: a blob's hits depend on its bytes alone.
BlobHits = MutableMapping[str, list[tuple[int, str]]]
# `map` over the blobs' contents, results in order (verify spreads it over the cores).
BlobMapper = Callable[
    [Callable[[bytes], list[tuple[int, str]]], Sequence[bytes]], Iterator[list[tuple[int, str]]]
]


def blob_hits(data: bytes) -> list[tuple[int, str]]:
    """(line, kind) of each hit in one blob's bytes (none for a binary blob)."""
    text = _text(data)
    return [(h.line, h.kind) for h in scan_text("", text)] if text else []


def warm_up() -> None:
    """Build the detectors (automata, detect-secrets plugins: ~0.2 s) now; processes forked
    after this inherit them built."""
    scan_text("", "warm up: token=abc")


def scan_blobs(
    root: Path,
    items: Iterable[tuple[str, str]],
    cache: BlobHits | None = None,
    on_blob: Callable[[int, str], None] | None = None,
    mapper: BlobMapper | None = None,
) -> list[SecretHit]:
    """Hits in the (path, blob id) pairs, binary blobs and active-session files skipped.

    `cache` holds the hits of blobs scanned before (and learns those scanned now);
    `on_blob` hears (pairs done, path) after each pair, for a progress bar; `mapper` runs
    the scans (default: `map`, here). Each blob id is scanned once, however many paths."""
    pairs = [(p, b) for p, b in items if not p.startswith(_PRIVATE)]
    known: dict[str, list[tuple[int, str]]] = {}
    if cache is not None:
        for _, blob in pairs:
            if blob not in known and (found := cache.get(blob)) is not None:
                known[blob] = found
    todo = list(dict.fromkeys(b for _, b in pairs if b not in known))
    contents = read_blobs(root, todo)
    scanned = (mapper or map)(blob_hits, [contents.get(b, b"") for b in todo])
    hits: list[SecretHit] = []
    for done, (path, blob) in enumerate(pairs, 1):
        if blob not in known:  # the blobs to scan, in order of first use: the next result
            known[blob] = next(scanned)
        hits.extend(SecretHit(path, line, kind) for line, kind in known[blob])
        if on_blob is not None:
            on_blob(done, path)
    if cache is not None:
        cache.update(known)
    return hits


def head_items(root: Path) -> list[tuple[str, str]]:
    """(path, blob id) of every `.hestai/` blob of HEAD the scan reads (none without a commit)."""
    listing = run_git(root, "ls-tree", "-r", "-z", "HEAD", "--", HESTAI, check=False)
    if listing.returncode != 0:
        return []
    items = []
    for entry in listing.stdout.decode("utf-8", "surrogateescape").split("\0"):
        meta, _, path = entry.partition("\t")
        parts = meta.split()
        if len(parts) == 3 and parts[1] == "blob" and not path.startswith(_PRIVATE):
            items.append((path, parts[2]))
    return items


def scan_head(
    root: Path,
    cache: BlobHits | None = None,
    items: list[tuple[str, str]] | None = None,
    on_blob: Callable[[int, str], None] | None = None,
    mapper: BlobMapper | None = None,
) -> list[SecretHit]:
    """Every `.hestai/` blob of HEAD (`items`: `head_items`, when the caller listed them)."""
    listed = head_items(root) if items is None else items
    return scan_blobs(root, listed, cache, on_blob, mapper)


def scan_since(root: Path, rev: str) -> list[SecretHit]:
    """Every line added under `.hestai/` by the commits of `rev..HEAD`."""
    commits = run_git(root, "rev-list", "--reverse", f"{rev}..HEAD").stdout.decode().split()
    hits: list[SecretHit] = []
    for commit in commits:
        patch = run_git(
            root,
            "diff-tree",
            "-p",
            "-r",
            "-U0",
            "--no-color",
            "--no-commit-id",
            "--root",
            "--no-renames",
            commit,
            "--",
            HESTAI,
        ).stdout.decode("utf-8", "replace")
        for path, first, lines in _added(patch):
            if not path.startswith(_PRIVATE):
                found = scan_text(path, "\n".join(lines), first_line=first)
                hits.extend(SecretHit(h.path, h.line, h.kind, commit) for h in found)
    return hits


def _added(patch: str) -> list[tuple[str, int, list[str]]]:
    """(path, first line, added lines) of every hunk of a unified diff with `-U0`."""
    out: list[tuple[str, int, list[str]]] = []
    path = ""
    for line in patch.split("\n"):
        if line.startswith("+++ "):
            path = line[6:] if line.startswith("+++ b/") else ""
        elif (m := _HUNK.match(line)) is not None:
            out.append((path, int(m.group(1)), []))
        elif line.startswith("+") and out and path:
            out[-1][2].append(line[1:])
    return [item for item in out if item[2]]


def secret_findings(
    root: Path,
    since: str | None = None,
    cache: BlobHits | None = None,
    items: list[tuple[str, str]] | None = None,
    on_blob: Callable[[int, str], None] | None = None,
    mapper: BlobMapper | None = None,
) -> list[Finding]:
    """The scan as `tmws verify` findings (code SECRET): file:line and kind, never the value.

    `cache`, `items`, `on_blob` and `mapper` (see `scan_blobs`) serve the scan of HEAD; with
    `since` the lines a range added are scanned instead."""
    hits = (
        scan_head(root, cache, items, on_blob, mapper) if since is None else scan_since(root, since)
    )
    return [Finding(code="SECRET", path=h.where(), message=h.message()) for h in hits]
