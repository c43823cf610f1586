"""The sequence cache's entries, kept as append-only segment files and read only when asked.

Why: at 50,000 archives the packed sequences are ~20 MB, and an incremental run needs none
of the old ones, only the few it parses. So the cache's small index (`cache.SequenceCache`)
lists which blobs have an entry (with their step count) and which segment files hold them;
each run that parsed something writes its new entries as one more segment and never
rewrites the old ones. A full mine loads every segment; an incremental run loads none.

Crash safety: a segment is written whole (temporary file, rename) *before* the index that
names it, so a crash leaves either the old index (the new segment is an orphan, deleted at
the next compaction) or the new one. The index records each segment's size; a missing or
resized segment makes the load a cold start, and a segment that fails to decode when it is
finally read raises `CacheDamaged` (the pipeline then runs once more with no cache).
Compaction (one segment with only the live entries) happens when segments pile up or most
of their bytes belong to blobs no longer in the folder.
"""

from __future__ import annotations

import contextlib
import marshal
import os
from collections.abc import Iterator, MutableMapping
from pathlib import Path
from typing import Any

SEGMENT_PREFIX = "learning-seq-"
SEGMENT_SUFFIX = ".marshal"
MAX_SEGMENTS = 16  # more than this and the next save compacts
DEAD_FRACTION = 0.5  # compact when more than this share of stored entries is dead

# blob -> (session_id, day ordinal, namespace or None, packed step keys)
Entry = tuple[str, int, str | None, bytes]


class CacheDamaged(Exception):
    """A segment named by the index could not be read back."""


def segment_name(serial: int) -> str:
    return f"{SEGMENT_PREFIX}{serial:08d}{SEGMENT_SUFFIX}"


class Entries(MutableMapping[str, Entry]):
    """blob -> entry, with the old entries left on disk until something needs one.

    `present` (blob -> number of steps) is known from the index alone, so membership,
    length and the step total never read a segment.
    """

    def __init__(
        self,
        folder: Path | None = None,
        segments: list[tuple[str, int, int]] | None = None,
        present: dict[str, int] | None = None,
    ) -> None:
        self.folder = folder
        self.segments = list(segments or [])  # (file name, size in bytes, entries stored)
        self.present = dict(present or {})
        self.fresh: dict[str, Entry] = {}  # added in this run, not on disk yet
        self.removed: set[str] = set()  # dropped in this run
        self.compacted = False  # the last save rewrote every entry into one segment
        self._loaded: dict[str, Entry] | None = None if self.segments else {}

    # -- the mapping ----------------------------------------------------------------------
    def __contains__(self, blob: object) -> bool:
        return blob in self.present

    def __len__(self) -> int:
        return len(self.present)

    def __iter__(self) -> Iterator[str]:
        return iter(list(self.present))

    def __getitem__(self, blob: str) -> Entry:
        if blob not in self.present:
            raise KeyError(blob)
        found = self.fresh.get(blob)
        if found is not None:
            return found
        entry = self._old().get(blob)
        if entry is None:
            raise CacheDamaged(f"the cache lost the entry of {blob}")
        return entry

    def __setitem__(self, blob: str, entry: Entry) -> None:
        self.fresh[blob] = entry
        self.removed.discard(blob)
        self.present[blob] = len(entry[3]) // 8

    def __delitem__(self, blob: str) -> None:
        del self.present[blob]
        self.removed.add(blob)
        self.fresh.pop(blob, None)

    def total_steps(self) -> int:
        return sum(self.present.values())

    # -- reading the segments -------------------------------------------------------------
    def _old(self) -> dict[str, Entry]:
        if self._loaded is None:
            loaded: dict[str, Entry] = {}
            assert self.folder is not None
            for name, _size, _count in self.segments:
                try:
                    data = marshal.loads((self.folder / name).read_bytes())
                except (OSError, ValueError, EOFError, TypeError) as exc:
                    raise CacheDamaged(f"cache segment {name} unreadable: {exc}") from exc
                if not isinstance(data, dict):
                    raise CacheDamaged(f"cache segment {name} is not a segment")
                loaded.update(data)
            self._loaded = loaded
        return self._loaded

    # -- writing --------------------------------------------------------------------------
    def keep_only(self, wanted: set[str]) -> None:
        for blob in [b for b in self.present if b not in wanted]:
            del self[blob]

    def save(self, folder: Path, write: Any) -> list[tuple[str, int, int]]:
        """Write what is new (or everything, compacted); returns the segment list to index.

        `write(path, bytes)` is the atomic writer (`cache.replace_quickly`).
        """
        stored = sum(count for _, _, count in self.segments)
        dead = stored - (len(self.present) - len(self.fresh))
        compact = len(self.segments) >= MAX_SEGMENTS or (stored and dead > DEAD_FRACTION * stored)
        self.compacted = bool(compact)
        if compact:
            live = {blob: self[blob] for blob in self.present}
            segments: list[tuple[str, int, int]] = []
            if live:
                segments.append(self._write(folder, write, live))
            self.segments, self.fresh, self._loaded = segments, {}, dict(live)
            return segments
        if self.fresh:
            self.segments.append(self._write(folder, write, self.fresh))
            if self._loaded is not None:
                self._loaded.update(self.fresh)
            self.fresh = {}
        return list(self.segments)

    def _write(self, folder: Path, write: Any, entries: dict[str, Entry]) -> tuple[str, int, int]:
        serial = 1 + max((_serial(name) for name, _, _ in self.segments), default=0)
        serial = max(serial, 1 + max((_serial(p.name) for p in _segment_files(folder)), default=0))
        name = segment_name(serial)
        data = marshal.dumps(entries)
        write(folder / name, data)
        return (name, len(data), len(entries))


def _serial(name: str) -> int:
    try:
        return int(name[len(SEGMENT_PREFIX) : -len(SEGMENT_SUFFIX)])
    except ValueError:
        return 0


def _segment_files(folder: Path) -> list[Path]:
    try:
        return [
            folder / n
            for n in os.listdir(folder)
            if n.startswith(SEGMENT_PREFIX) and n.endswith(SEGMENT_SUFFIX)
        ]
    except OSError:
        return []


def segments_intact(folder: Path, segments: list[tuple[str, int, int]]) -> bool:
    """Every segment the index names exists with the size it was written with."""
    for name, size, _ in segments:
        try:
            if (folder / name).stat().st_size != size:
                return False
        except OSError:
            return False
    return True


def remove_orphans(folder: Path, segments: list[tuple[str, int, int]]) -> None:
    """Delete segment files the index no longer names (after a compaction or a crash)."""
    named = {name for name, _, _ in segments}
    for path in _segment_files(folder):
        if path.name not in named:
            with contextlib.suppress(OSError):
                path.unlink()
