"""Resolve the archive folder to blob ids and bring the sequence cache up to date, streaming.

Split from `cache` (the cache's format and persistence) because the folder walk is its own
job with its own cost: at 50,000 archives holding every miss's bytes until the end cost more
memory than the whole mine, so each file is read, hashed and parsed in turn and its bytes let
go at once. A first pass only stats (`os.DirEntry` keeps the result), which tells how many
files need opening before any is opened: that total feeds the progress bar.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from operator import attrgetter
from pathlib import Path

from hestai_tmws.gitio import blob_id
from hestai_tmws.layout import SESSIONS_ARCHIVE
from hestai_tmws.learning.cache import Progress, SequenceCache, SessionData
from hestai_tmws.project import Project

_ARCHIVE_SUFFIX = ".oct.md"
StatKey = tuple[int, int, int, str]  # size, mtime_ns, inode, blob id


@dataclass(slots=True)
class ArchiveRef:
    """One archive file of this run."""

    rel: str  # relative to `.hestai/`
    blob: str


@dataclass
class ScanResult:
    """What reading the archive folder found (counts feed the reports)."""

    archives: list[ArchiveRef] = field(default_factory=list)
    hashed: int = 0  # opened to compute a blob id (stat key unknown or racy)
    parsed: int = 0  # cache misses: parsed now
    unreadable: dict[str, str] = field(default_factory=dict)  # rel -> reason
    complete: bool = True  # False when the deadline stopped the scan
    pending: int = 0  # archives left unread because of the deadline


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

    ref: ArchiveRef  # blob "" until hashed
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
    prefix = SESSIONS_ARCHIVE + "/"
    seen: dict[str, StatKey] = {}
    refs: list[ArchiveRef] = []
    todo: list[_Todo] = []
    stats_get = cache.stats.get
    present, bad = cache.blobs.present, cache.bad  # plain dicts: this loop runs 50,000 times
    for entry in _entries(project):
        rel = prefix + entry.name
        known = stats_get(rel)
        key: tuple[int, int, int] | None = None
        if trust_inodes and known is not None and known[2] == entry.inode():
            blob = known[3]
        else:
            try:
                st = entry.stat(follow_symlinks=False)
            except OSError as exc:
                result.unreadable[rel] = f"cannot read: {exc.strerror}"
                continue
            key = (st.st_size, st.st_mtime_ns, st.st_ino)
            blob = known[3] if known is not None and known[:3] == key else ""
        ref = ArchiveRef(rel, blob)
        refs.append(ref)
        if blob:
            seen[rel] = (*key, blob) if key is not None else known  # type: ignore[assignment]
            if blob in present or blob in bad:
                continue
        todo.append(_Todo(ref, entry.name, key))
    _open_each(project, cache, todo, seen, result, deadline, progress)
    cache.stats = seen
    archives, unreadable = result.archives, result.unreadable
    for ref in refs:
        blob = ref.blob
        if blob in present:
            archives.append(ref)
        elif blob in bad:
            unreadable[ref.rel] = bad[blob]
    return result


def _open_each(
    project: Project,
    cache: SequenceCache,
    todo: list[_Todo],
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
    total = len(todo)
    for done, item in enumerate(todo, 1):
        ref = item.ref
        try:
            data = (folder / item.name).read_bytes()
        except OSError as exc:
            result.unreadable[ref.rel] = f"cannot read: {exc.strerror}"
            ref.blob = ""
            continue
        if not ref.blob:
            result.hashed += 1
            ref.blob = blob_id(data)
            if item.key is not None:
                seen[ref.rel] = (*item.key, ref.blob)
        blob = ref.blob
        if blob not in cache.blobs and blob not in cache.bad:
            if deadline is not None and time.perf_counter() > deadline:
                result.complete = False
                result.pending += 1
            else:
                _parse(cache, blob, data)
                result.parsed += 1
        if progress is not None:
            progress(done, total)


def _parse(cache: SequenceCache, blob: str, data: bytes) -> None:
    try:
        cache.blobs[blob] = cache.pack(data.decode("utf-8"))
    except UnicodeDecodeError:
        cache.bad[blob] = "not UTF-8 text"
    except Exception as exc:
        cache.bad[blob] = str(getattr(exc, "message", exc))[:200]


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
