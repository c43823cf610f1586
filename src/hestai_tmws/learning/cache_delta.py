"""Small saves of the cache index: what changed since the index was written, in a file apart.

Why: at 50,000 archives the index (`cache.SequenceCache`: stat keys, which blobs have an
entry, the baseline's blob and session ids) is 7.6 MB, and an incremental run changes about
a hundred of its entries; writing all of it again cost ~40 ms of a run. So a save that only
adds to what was loaded writes the *delta*: every change since the index was written
(cumulative, so the delta is one small file, replaced whole, never appended to).

Safety: the delta names the index it applies to by the size and CRC-32 of its bytes, so a
rewritten index (a full save, a compaction, an older tmws) makes a left-over delta stale, and
a stale, damaged or foreign delta is ignored: the index alone is the older, consistent state
(stat keys still checked against the files, the baseline knows which blobs it counted). The
delta is written to a temporary file and renamed (`cache.replace_quickly`), so a crash leaves
the old delta or the new one; a full save replaces the index before it deletes the delta.
"""

from __future__ import annotations

import contextlib
import marshal
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DELTA_NAME = "learning-sequences.delta.marshal"
WHOLE = ("tokens", "segments", "bad", "last_run")  # small values a delta carries whole
BIG_LISTS = ("blobs", "session_ids")  # the baseline's parts that only grow between full mines
MIN_LIMIT = 2_000  # a delta may hold this many changes, or an eighth of the index's entries
IndexId = tuple[int, int]  # size and CRC-32 of the index file's bytes


def index_id(raw: bytes) -> IndexId:
    return (len(raw), zlib.crc32(raw))


@dataclass
class Delta:
    """The changes since the index: set/deleted keys, and what the baseline's lists gained."""

    stats_set: dict[str, Any] = field(default_factory=dict)
    stats_del: set[str] = field(default_factory=set)
    present_set: dict[str, int] = field(default_factory=dict)
    present_del: set[str] = field(default_factory=set)
    blobs_add: list[str] = field(default_factory=list)
    sids_add: list[str] = field(default_factory=list)

    def note_stats(self, changed: dict[str, Any], removed: Iterable[str]) -> None:
        _note(self.stats_set, self.stats_del, changed, removed)

    def note_present(self, added: dict[str, int], removed: Iterable[str]) -> None:
        _note(self.present_set, self.present_del, added, removed)

    def size(self) -> int:
        return len(self.stats_set) + len(self.present_set) + len(self.blobs_add)

    def fits(self, index_entries: int) -> bool:
        return self.size() <= max(MIN_LIMIT, index_entries // 8)


def _note(
    target: dict[str, Any], gone: set[str], added: dict[str, Any], removed: Iterable[str]
) -> None:
    for key in removed:
        target.pop(key, None)
        gone.add(key)
    gone.difference_update(added)
    target.update(added)


def read(folder: Path, fingerprint: str, index: IndexId) -> tuple[Delta, dict[str, Any]] | None:
    """The delta for this index and the whole values it carries, or None (none, stale, damaged)."""
    try:
        data = marshal.loads((folder / DELTA_NAME).read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return None
    try:
        if data["format"] != fingerprint or tuple(data["index"]) != index:
            return None
        delta = Delta(
            stats_set=dict(data["stats_set"]),
            stats_del=set(data["stats_del"]),
            present_set=dict(data["present_set"]),
            present_del=set(data["present_del"]),
            blobs_add=list(data["blobs_add"]),
            sids_add=list(data["sids_add"]),
        )
        whole = data["whole"]
        if not isinstance(whole, dict) or not all(isinstance(k, str) for k in delta.stats_del):
            return None
    except Exception:  # another shape: ignore it, the index alone is consistent
        return None
    return delta, whole


def apply(data: dict[str, Any], delta: Delta, whole: dict[str, Any]) -> None:
    """Bring the loaded index `data` forward to the state the delta was saved from."""
    stats, present = data["stats"], data["present"]
    for rel in delta.stats_del:
        stats.pop(rel, None)
    stats.update(delta.stats_set)
    for blob in delta.present_del:
        present.pop(blob, None)
    present.update(delta.present_set)
    for key in WHOLE:
        if key in whole:
            data[key] = whole[key]
    baseline = whole.get("baseline")
    if baseline is not None:
        old = data.get("baseline") or {}
        baseline = {
            **baseline,
            "blobs": list(old.get("blobs", ())) + delta.blobs_add,
            "session_ids": list(old.get("session_ids", ())) + delta.sids_add,
        }
        data["baseline"] = baseline


def write(
    folder: Path,
    write_file: Any,
    fingerprint: str,
    index: IndexId,
    delta: Delta,
    whole: dict[str, Any],
) -> None:
    """Replace the delta file (`write_file(path, bytes)`: the atomic writer)."""
    baseline = whole.get("baseline")
    if baseline is not None:
        whole = {**whole, "baseline": {k: v for k, v in baseline.items() if k not in BIG_LISTS}}
    data = {
        "format": fingerprint,
        "index": index,
        "stats_set": delta.stats_set,
        "stats_del": sorted(delta.stats_del),
        "present_set": delta.present_set,
        "present_del": sorted(delta.present_del),
        "blobs_add": delta.blobs_add,
        "sids_add": delta.sids_add,
        "whole": whole,
    }
    write_file(folder / DELTA_NAME, marshal.dumps(data))


def remove(folder: Path) -> None:
    with contextlib.suppress(OSError):
        (folder / DELTA_NAME).unlink()
