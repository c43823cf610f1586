"""Resolve the archive folder to blob ids and bring the sequence cache up to date, streaming.

Split from `cache` (the cache's format and persistence) because the folder walk is its own
job with its own cost: at 50,000 archives holding every miss's bytes until the end cost more
memory than the whole mine, so each file is read, hashed and parsed in turn and its bytes let
go at once. A first pass only stats (`os.DirEntry` keeps the result), which tells how many
files need opening before any is opened: that total feeds the progress bar. Many files to
open and no deadline (a cold mine): worker processes read, hash and parse them
(`archive_parse`), and this process applies their answers in name order, as the loop would.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from functools import cached_property
from itertools import compress, repeat
from operator import and_, attrgetter, eq, itemgetter, not_, or_
from pathlib import Path
from typing import NamedTuple

from hestai_tmws.forkpool import Pool, available_cores, can_fork
from hestai_tmws.gitio import blob_id
from hestai_tmws.layout import SESSIONS_ARCHIVE
from hestai_tmws.learning.archive_parse import SHARED, open_one, parsed_or_message
from hestai_tmws.learning.cache import Progress, SequenceCache, SessionData
from hestai_tmws.project import Project

_ARCHIVE_SUFFIX = ".oct.md"
StatKey = tuple[int, int, int, str]  # size, mtime_ns, inode, blob id
_UNKNOWN: StatKey = (-1, -1, -1, "")  # no stat key remembered: matches no file
_NAME = attrgetter("name")
_BLOB = attrgetter("blob")
# Fewer files to open than this: the loop here (forking workers costs more than it saves).
POOL_MIN_FILES = 300


@dataclass(slots=True)
class ArchiveRef:
    """One archive file of this run."""

    rel: str  # relative to `.hestai/`
    blob: str


@dataclass
class ScanResult:
    """What reading the archive folder found (counts feed the reports).

    The archives are kept as two columns (`rels`, `blobs`): an incremental run over 50,000
    archives needs only the blob ids, and one object per archive costs ~30 ms.
    """

    rels: list[str] = field(default_factory=list)  # archives with a sequence, name order
    blobs: list[str] = field(default_factory=list)  # their blob ids, in the same order
    hashed: int = 0  # opened to compute a blob id (stat key unknown or racy)
    parsed: int = 0  # cache misses: parsed now
    unreadable: dict[str, str] = field(default_factory=dict)  # rel -> reason
    complete: bool = True  # False when the deadline stopped the scan
    pending: int = 0  # archives left unread because of the deadline

    @cached_property
    def archives(self) -> list[ArchiveRef]:
        return list(map(ArchiveRef, self.rels, self.blobs))

    @cached_property
    def blob_set(self) -> set[str]:
        return set(self.blobs)

    def refs_without(self, known: set[str]) -> list[ArchiveRef]:
        """The archives whose blob is not in `known`, in name order."""
        missing = list(map(not_, map(known.__contains__, self.blobs)))
        return list(map(ArchiveRef, compress(self.rels, missing), compress(self.blobs, missing)))


def archive_dir(project: Project) -> Path:
    return project.memory_path(SESSIONS_ARCHIVE)


def _entries(project: Project) -> list[os.DirEntry[str]]:
    """Archive files of the folder, in name order (temp files skipped; no stat calls)."""
    try:
        entries = list(os.scandir(archive_dir(project)))
    except (FileNotFoundError, NotADirectoryError):
        return []
    out = [
        e
        for e in entries
        if e.name.endswith(_ARCHIVE_SUFFIX)
        and not e.name.startswith(".")
        and e.is_file(follow_symlinks=False)
    ]
    out.sort(key=attrgetter("name"))
    return out


def list_archives(project: Project) -> list[str]:
    """Names of every archive file, sorted."""
    return [e.name for e in _entries(project)]


@dataclass
class _Todo:
    """An archive that must be opened: its blob id is unknown, or its sequence is."""

    index: int  # in the scan's columns (its blob is "" until hashed)
    name: str
    key: tuple[int, int, int] | None  # stat key to remember with the blob (None: keep as is)


def scan(
    project: Project,
    cache: SequenceCache,
    *,
    deadline: float | None = None,
    progress: Progress | None = None,
    trust_inodes: bool = False,
) -> ScanResult:
    """Resolve every archive to a blob id and make sure its sequence is in the cache.

    `deadline` (a `time.perf_counter()` value) stops parsing early: what was parsed is kept
    (the next run continues from there) and `complete` turns False. `trust_inodes` (the
    bounded automatic run) takes a file whose inode is unchanged as unchanged, without a
    stat call: archives are only ever replaced by rename, which gives a new inode.
    Explicit runs compare size and modification time of every file.
    """
    result = ScanResult()
    entries = _entries(project)
    count = len(entries)
    rels = list(map((SESSIONS_ARCHIVE + "/").__add__, map(_NAME, entries)))
    # Column-wise, in C-level maps: this runs over every archive (50,000) on every run.
    knowns = list(map(cache.stats.get, rels, repeat(_UNKNOWN)))
    if trust_inodes:
        inodes = map(os.DirEntry.inode, entries)
        trusted = list(map(eq, map(itemgetter(2), knowns), inodes))
    else:
        trusted = [False] * count
    present, bad = cache.blobs.present, cache.bad
    if sum(trusted) == len(cache.stats):  # every remembered key still holds: keep the dict
        seen = cache.stats
    else:
        seen = dict(compress(zip(rels, knowns, strict=True), trusted))
    blobs = list(map(itemgetter(3), knowns))
    cached = list(map(present.__contains__, blobs))
    if bad:
        cached = list(map(or_, cached, map(bad.__contains__, blobs)))
    todo: list[_Todo] = []
    for i in compress(range(count), map(not_, map(and_, trusted, cached))):
        entry = entries[i]
        if trusted[i]:  # blob id known, its sequence is not
            todo.append(_Todo(i, entry.name, None))
            continue
        try:
            st = entry.stat(follow_symlinks=False)
        except OSError as exc:
            result.unreadable[rels[i]] = f"cannot read: {exc.strerror}"
            blobs[i] = ""  # left out of the archives
            continue
        key = (st.st_size, st.st_mtime_ns, st.st_ino)
        known = knowns[i]
        blob = blobs[i] = known[3] if known[:3] == key else ""
        if blob:
            seen[rels[i]] = (*key, blob)
            if blob in present or blob in bad:
                continue
        todo.append(_Todo(i, entry.name, key))
    _open_each(project, cache, todo, (rels, blobs), seen, result, deadline, progress)
    changed = list(filter(seen.__contains__, compress(rels, map(not_, trusted))))
    removed = () if seen is cache.stats else cache.stats.keys() - seen.keys()
    cache.replace_stats(seen, changed, removed)
    _collect(rels, blobs, cache, result)
    return result


def _collect(rels: list[str], blobs: list[str], cache: SequenceCache, result: ScanResult) -> None:
    """The archives with a sequence, in name order; the unreadable ones with their reason."""
    present, bad = cache.blobs.present, cache.bad
    keep = list(map(present.__contains__, blobs))
    result.rels = list(compress(rels, keep))
    result.blobs = list(compress(blobs, keep))
    if bad:
        for rel, blob in zip(rels, blobs, strict=True):
            if blob in bad:
                result.unreadable[rel] = bad[blob]


def _open_each(
    project: Project,
    cache: SequenceCache,
    todo: list[_Todo],
    columns: tuple[list[str], list[str]],
    seen: dict[str, StatKey],
    result: ScanResult,
    deadline: float | None,
    progress: Progress | None,
) -> None:
    """Read each file once: hash it if its blob id is unknown, parse it if its sequence is.

    Past the deadline files are still hashed (their blob ids keep their cache entries
    alive) but no longer parsed.
    """
    folder = archive_dir(project)
    if deadline is None and len(todo) >= POOL_MIN_FILES and available_cores() > 1 and can_fork():
        _open_pooled(folder, cache, todo, _Out(columns, seen, result, progress))
        return
    rels, blobs = columns
    total = len(todo)
    for done, item in enumerate(todo, 1):
        rel = rels[item.index]
        try:
            data = (folder / item.name).read_bytes()
        except OSError as exc:
            result.unreadable[rel] = f"cannot read: {exc.strerror}"
            blobs[item.index] = ""
            continue
        blob = blobs[item.index]
        if not blob:
            result.hashed += 1
            blob = blobs[item.index] = blob_id(data)
            if item.key is not None:
                seen[rel] = (*item.key, blob)
        if blob not in cache.blobs and blob not in cache.bad:
            if deadline is not None and time.perf_counter() > deadline:
                result.complete = False
                result.pending += 1
            else:
                _parse(cache, blob, data)
                result.parsed += 1
        if progress is not None:
            progress(done, total)


class _Out(NamedTuple):
    """Where `_open_each` puts what it finds (the scan's columns, stat keys and counts)."""

    columns: tuple[list[str], list[str]]
    seen: dict[str, StatKey]
    result: ScanResult
    progress: Progress | None


def _open_pooled(folder: Path, cache: SequenceCache, todo: list[_Todo], out: _Out) -> None:
    """`_open_each`'s loop with the files opened by worker processes (`open_one`).

    Their answers come back in `todo` order and are applied here as the loop applies them:
    the first file of a blob gives its entry (a later copy was parsed for nothing), and
    token ids are assigned in that order, so the cache is the loop's, id for id. Workers
    get file names, never bytes (50,000 files in flight would not fit the memory budget).
    Only without a deadline: a bounded run must stop on time, and stays in this process.
    """
    (rels, blobs), seen, result, progress = out
    total = len(todo)
    SHARED.folder, SHARED.known, SHARED.bad = str(folder), cache.blobs, cache.bad
    try:
        with Pool(available_cores(), min_items=1) as pool:
            opened = pool.map(open_one, [(item.name, blobs[item.index]) for item in todo])
            for done, (item, (blob, found)) in enumerate(zip(todo, opened, strict=True), 1):
                rel = rels[item.index]
                if not blob:
                    result.unreadable[rel] = str(found)
                    blobs[item.index] = ""
                else:
                    if not blobs[item.index]:
                        result.hashed += 1
                        blobs[item.index] = blob
                        if item.key is not None:
                            seen[rel] = (*item.key, blob)
                    if blob not in cache.blobs and blob not in cache.bad:
                        assert found is not None  # known at the fork: known here (only added)
                        if isinstance(found, str):
                            cache.bad[blob] = found
                        else:
                            cache.blobs[blob] = cache.assign(found)
                        result.parsed += 1
                if progress is not None:
                    progress(done, total)
    finally:
        SHARED.folder, SHARED.known, SHARED.bad = "", (), ()


def _parse(cache: SequenceCache, blob: str, data: bytes) -> None:
    found = parsed_or_message(cache.pack, data)
    if isinstance(found, str):
        cache.bad[blob] = found
    else:
        cache.blobs[blob] = found


def sessions_of(
    cache: SequenceCache, archives: list[ArchiveRef], default_namespace: str
) -> list[SessionData]:
    """Every archive's session (one per session id: the first archive wins)."""
    out: list[SessionData] = []
    seen: set[str] = set()
    for ref in archives:
        entry = cache.blobs.get(ref.blob)
        if entry is None:
            continue
        session_id, ordinal, namespace, packed = entry
        if session_id in seen:
            continue
        seen.add(session_id)
        out.append(SessionData(session_id, ordinal, namespace or default_namespace, packed))
    return out
