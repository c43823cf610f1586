"""The sequence cache: parsed archives keyed by git blob id, kept in the git directory.

Why this shape (see `docs/learning-loop.md`, "The cache"):

- One `marshal` file (`<git-common-dir>/hestai-tmws/cache/learning-sequences.marshal`),
  loaded in one read. marshal is the fastest stdlib format for plain tuples/bytes and cannot
  run code; its format is tied to the Python version, so the header names it and any
  mismatch (or any damage) just means a cold cache.
- Entries are keyed by the archive's **blob id** (what `git hash-object` gives), so a
  checkout, a rename or a fresh `touch` never re-parses anything. Computing blob ids means
  hashing the bytes, so a second map remembers `path -> (size, mtime_ns, inode, blob)`:
  a file whose stat key is unchanged is not even opened. A file modified within
  `RACY_NS` of the cache write is not trusted by stat (git's "racily clean" rule).
- A session is stored as a compact `array('q')` of step keys: token id, outcome and
  duration packed in one integer, so rebuilding 500,000 steps is a C-level `map` over a
  dict of interned `Step` objects.

The cache is never committed and never needed: deleting it only makes the next run cold.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import sys
import time
from array import array
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from itertools import compress, repeat
from operator import add, floordiv, itemgetter, rshift
from pathlib import Path
from typing import Any

from hestai_tmws.learning import cache_delta
from hestai_tmws.learning.archive_parse import MAX_DUR, OK_CODES, Local, named_steps
from hestai_tmws.learning.cache_delta import Delta, IndexId
from hestai_tmws.learning.cache_segments import Entries, Entry, remove_orphans, segments_intact
from hestai_tmws.learning.core.model import SessionSeq, Step
from hestai_tmws.project import Project

CACHE_NAME = "learning-sequences.marshal"
FORMAT = 3  # 2: steps collapsed (runs, loops) at pack time; 3: entries in segments
RACY_NS = 2_000_000_000  # files changed this close to a cache write are re-hashed next time
_OK_VALUES = (False, True, None)

__all__ = ["Entry", "Progress", "SequenceCache", "SessionData"]
Progress = Callable[[int, int], None]


def replace_quickly(path: Path, data: bytes) -> None:
    """Atomic replace without fsync: a cache may be lost in a crash, never torn into use
    (a partial file fails to load and means a cold run)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def cache_path(project: Project) -> Path:
    return project.cache_dir / CACHE_NAME


def _fingerprint() -> str:
    return f"{FORMAT}/{sys.version_info.major}.{sys.version_info.minor}/{sys.byteorder}"


class _StepTable(dict[int, Step]):
    """Token id and outcome (`key >> 32`) -> one shared `Step`.

    The miner only needs tokens and outcomes; durations stay in the packed keys and the
    statistics read them from there (`incremental.Aggregate`), so a corpus of 500,000
    calls needs a few hundred `Step` objects, not 500,000.
    """

    def __init__(self, tokens: list[tuple[str, str | None]]) -> None:
        super().__init__()
        self._tokens = tokens

    def __missing__(self, high: int) -> Step:
        tid, ok_code = divmod(high, 3)
        tool, action = self._tokens[tid]
        step = Step(tool=tool, action=action, ok=_OK_VALUES[ok_code], duration_ms=None)
        self[high] = step
        return step


def unpack(packed: bytes) -> array[int]:
    keys = array("q")
    keys.frombytes(packed)
    return keys


def token_ids(packed: bytes) -> list[int]:
    """The token id of every step (C-level maps: no Python loop per step)."""
    keys = unpack(packed)
    return list(map(floordiv, map(rshift, keys, repeat(32)), repeat(3)))


@dataclass
class SequenceCache:
    """Everything remembered between runs (loaded whole; saved whole or as a delta, atomically)."""

    tokens: list[tuple[str, str | None]] = field(default_factory=list)
    blobs: Entries = field(default_factory=Entries)  # segments read only when needed
    bad: dict[str, str] = field(default_factory=dict)  # blob -> why it cannot be read
    stats: dict[str, tuple[int, int, int, str]] = field(default_factory=dict)
    baseline: dict[str, Any] | None = None  # the last full mine (see `incremental`)
    last_run: dict[str, Any] = field(default_factory=dict)
    loaded_from_disk: bool = False
    load_note: str | None = None
    # what the baseline's blob and session ids gained in this run (None: replaced or unknown)
    baseline_growth: tuple[list[str], list[str]] | None = None
    _index: IndexId | None = field(default=None, repr=False)  # the index file as loaded
    _delta: Delta = field(default_factory=Delta, repr=False)  # changes since that index
    _loaded_baseline: dict[str, Any] | None = field(default=None, repr=False)
    _stats_changes: tuple[dict[str, Any], Iterable[str]] = field(
        default_factory=lambda: ({}, ()), repr=False
    )
    _token_ids: dict[tuple[str, str | None], int] = field(default_factory=dict, repr=False)
    _steps: _StepTable | None = field(default=None, repr=False)

    # -- persistence ----------------------------------------------------------------------
    @classmethod
    def load(cls, project: Project) -> SequenceCache:
        path = cache_path(project)
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return cls()
        except OSError as exc:
            return cls(load_note=f"the learning cache could not be read ({exc.strerror})")
        try:
            data = marshal.loads(raw)
            if not isinstance(data, dict) or data.get("format") != _fingerprint():
                return cls(load_note="the learning cache is from another version; rebuilt")
            index = cache_delta.index_id(raw)
            found = cache_delta.read(path.parent, _fingerprint(), index)
            if found is not None:
                cache_delta.apply(data, *found)
            tokens = [(str(t), None if a is None else str(a)) for t, a in data["tokens"]]
            present, bad, stats = data["present"], data.get("bad", {}), data["stats"]
            last_run = data.get("last_run", {})
            if not all(isinstance(x, dict) for x in (present, bad, stats, last_run)):
                raise TypeError("not a cache")
            segments = [(str(n), int(size), int(count)) for n, size, count in data["segments"]]
            if not segments_intact(path.parent, segments):
                return cls(load_note="the learning cache was incomplete; rebuilt")
            cache = cls(
                tokens=tokens,
                blobs=Entries(path.parent, segments, present),
                bad=bad,
                stats=stats,
                baseline=data.get("baseline"),
                last_run=last_run,
                loaded_from_disk=True,
                _index=index,
                _delta=found[0] if found is not None else Delta(),
                _loaded_baseline=data.get("baseline"),
            )
        except Exception:  # damaged: start cold, never fail a run over a cache
            return cls(load_note="the learning cache was damaged; rebuilt")
        cache._token_ids = {tok: i for i, tok in enumerate(cache.tokens)}
        return cache

    def replace_stats(
        self,
        stats: dict[str, tuple[int, int, int, str]],
        changed: list[str],
        removed: Iterable[str],
    ) -> None:
        """The scan's stat keys: `changed` were set in this run, `removed` are gone."""
        self.stats = stats
        self._stats_changes = ({rel: stats[rel] for rel in changed}, removed)

    def save(self, project: Project, *, keep: Iterable[str] | None = None) -> None:
        """Write the cache; only blobs in `keep` (default: all) are kept.

        New entries go to a new segment file first, then the index is replaced atomically
        (see `cache_segments`): old entries are not rewritten. A save that only adds to the
        loaded index writes the changes since it instead (`cache_delta`).
        """
        if keep is not None:
            wanted = set(keep)
            self.blobs.keep_only(wanted)
            self.bad = {b: m for b, m in self.bad.items() if b in wanted}
        path = cache_path(project)
        path.parent.mkdir(parents=True, exist_ok=True)
        before = len(self.blobs.segments)
        added = {blob: self.blobs.present[blob] for blob in self.blobs.fresh}
        segments = self.blobs.save(path.parent, replace_quickly)
        cutoff = time.time_ns() - RACY_NS  # older than this: not racily clean (C-level maps)
        if not self.blobs.compacted and self._save_delta(path.parent, cutoff, added, segments):
            return
        cache_delta.remove(path.parent)  # first: a crash then leaves the index alone, consistent
        fresh = map(cutoff.__gt__, map(itemgetter(1), self.stats.values()))
        stats = dict(compress(self.stats.items(), fresh))
        data = {
            "format": _fingerprint(),
            "tokens": self.tokens,
            "present": self.blobs.present,
            "segments": segments,
            "bad": self.bad,
            "stats": stats,
            "baseline": self.baseline,
            "last_run": self.last_run,
        }
        replace_quickly(path, marshal.dumps(data))
        if len(segments) < before or len(segments) == 1:  # compacted: drop the old files
            remove_orphans(path.parent, segments)

    def _save_delta(
        self, folder: Path, cutoff: int, added: dict[str, int], segments: list[Any]
    ) -> bool:
        """Write only the changes since the loaded index, if that is all there is to write."""
        growth = self.baseline_growth
        if self._index is None or (growth is None and self.baseline is not self._loaded_baseline):
            return False  # nothing loaded to add to, or a new baseline (a full mine)
        delta = self._delta
        changed, removed = self._stats_changes
        racy = [rel for rel, key in changed.items() if key[1] >= cutoff]
        settled = {rel: key for rel, key in changed.items() if key[1] < cutoff}
        delta.note_stats(settled, [*removed, *racy])
        delta.note_present(added, self.blobs.removed)
        if growth is not None:
            delta.blobs_add.extend(growth[0])
            delta.sids_add.extend(growth[1])
        if not delta.fits(len(self.stats)):
            return False
        whole: dict[str, Any] = {"tokens": self.tokens, "segments": segments, "bad": self.bad}
        whole.update(baseline=self.baseline, last_run=self.last_run)
        cache_delta.write(folder, replace_quickly, _fingerprint(), self._index, delta, whole)
        return True

    # -- tokens and steps -----------------------------------------------------------------
    def token_id(self, tool: str, action: str | None) -> int:
        key = (tool, action)
        tid = self._token_ids.get(key)
        if tid is None:
            tid = len(self.tokens)
            self.tokens.append(key)
            self._token_ids[key] = tid
        return tid

    def steps_of(self, packed: bytes) -> tuple[Step, ...]:
        if self._steps is None:
            self._steps = _StepTable(self.tokens)
        return tuple(map(self._steps.__getitem__, map(rshift, unpack(packed), repeat(32))))

    def token_text(self, tid: int) -> str:
        tool, action = self.tokens[tid]
        return f"{tool}:{action}" if action else tool

    def pack(self, text: str) -> Entry:
        """Parse one archive's text into a cache entry (raises ValidationError).

        The calls are folded into the steps a person would name first (`steps.collapse`:
        runs merged, fix loops made one step), so every path of the miner sees the same.
        """
        seq, steps = named_steps(text)
        keys = array("q")
        for pair, ok, dur in steps:
            tid = self.token_id(*pair)
            dur_code = 0 if dur is None else min(max(dur, 0), MAX_DUR) + 1
            keys.append(((tid * 3 + OK_CODES[ok]) << 32) | dur_code)
        return (seq.session_id, seq.day.toordinal(), seq.namespace, keys.tobytes())

    def assign(self, local: Local) -> Entry:
        """The entry `pack` gives, from a worker's `parse_local`: the archive's tokens get
        their ids here, first met first, so new ones are numbered as `pack` numbers them."""
        session_id, ordinal, namespace, pairs, lids, rest = local
        try:  # the common case, every token known: in C
            gids = list(map(self._token_ids.__getitem__, pairs))
        except KeyError:
            gids = [self.token_id(*pair) for pair in pairs]
        shifts = [(gid * 3) << 32 for gid in gids]
        keys = array("q", map(add, map(shifts.__getitem__, lids), rest))
        return (session_id, ordinal, namespace, keys.tobytes())


@dataclass(frozen=True, slots=True)
class SessionData:
    """One archived session as the pipeline handles it (packed steps, see `unpack`)."""

    session_id: str
    ordinal: int  # day
    namespace: str
    packed: bytes

    @property
    def day(self) -> date:
        return date.fromordinal(self.ordinal)


def mining_input(cache: SequenceCache, sessions: list[SessionData]) -> list[SessionSeq]:
    """What `mining.mine` takes: tokens and outcomes (durations come from the keys)."""
    return [
        SessionSeq(
            session_id=s.session_id,
            day=s.day,
            namespace=s.namespace,
            steps=cache.steps_of(s.packed),
        )
        for s in sessions
    ]
