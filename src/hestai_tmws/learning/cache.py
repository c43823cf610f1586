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
from itertools import repeat
from operator import floordiv, rshift
from pathlib import Path
from typing import Any

from hestai_tmws.gitio import blob_id
from hestai_tmws.layout import SESSIONS_ARCHIVE
from hestai_tmws.learning.core.model import SessionSeq, Step, token_of
from hestai_tmws.learning.core.steps import Call, collapse
from hestai_tmws.learning.core.tokens import action_of
from hestai_tmws.learning.sequences import read_sequence
from hestai_tmws.project import Project

CACHE_NAME = "learning-sequences.marshal"
FORMAT = 2  # 2: steps collapsed (runs, loops) at pack time
RACY_NS = 2_000_000_000  # files changed this close to a cache write are re-hashed next time
_OK_CODES = {False: 0, True: 1, None: 2}
_OK_VALUES = (False, True, None)
_MAX_DUR = (1 << 32) - 2
_ARCHIVE_SUFFIX = ".oct.md"

# blob -> (session_id, day ordinal, namespace or None, packed step keys)
Entry = tuple[str, int, str | None, bytes]
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
    """Everything remembered between runs (loaded whole, saved whole, atomically)."""

    tokens: list[tuple[str, str | None]] = field(default_factory=list)
    blobs: dict[str, Entry] = field(default_factory=dict)
    bad: dict[str, str] = field(default_factory=dict)  # blob -> why it cannot be read
    stats: dict[str, tuple[int, int, int, str]] = field(default_factory=dict)
    baseline: dict[str, Any] | None = None  # the last full mine (see `incremental`)
    last_run: dict[str, Any] = field(default_factory=dict)
    loaded_from_disk: bool = False
    load_note: str | None = None
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
            tokens = [(str(t), None if a is None else str(a)) for t, a in data["tokens"]]
            blobs, bad, stats = data["blobs"], data.get("bad", {}), data["stats"]
            last_run = data.get("last_run", {})
            if not all(isinstance(x, dict) for x in (blobs, bad, stats, last_run)):
                raise TypeError("not a cache")
            cache = cls(
                tokens=tokens,
                blobs=blobs,
                bad=bad,
                stats=stats,
                baseline=data.get("baseline"),
                last_run=last_run,
                loaded_from_disk=True,
            )
        except Exception:  # damaged: start cold, never fail a run over a cache
            return cls(load_note="the learning cache was damaged; rebuilt")
        cache._token_ids = {tok: i for i, tok in enumerate(cache.tokens)}
        return cache

    def save(self, project: Project, *, keep: Iterable[str] | None = None) -> None:
        """Write the cache atomically; only blobs in `keep` (default: all) are kept."""
        blobs = self.blobs
        if keep is not None:
            wanted = set(keep)
            blobs = {b: e for b, e in self.blobs.items() if b in wanted}
            self.bad = {b: m for b, m in self.bad.items() if b in wanted}
        now_ns = time.time_ns()
        stats = {p: s for p, s in self.stats.items() if now_ns - s[1] > RACY_NS}
        data = {
            "format": _fingerprint(),
            "tokens": self.tokens,
            "blobs": blobs,
            "bad": self.bad,
            "stats": stats,
            "baseline": self.baseline,
            "last_run": self.last_run,
        }
        path = cache_path(project)
        path.parent.mkdir(parents=True, exist_ok=True)
        replace_quickly(path, marshal.dumps(data))

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
        seq = read_sequence(text)
        keys = array("q")
        pairs: dict[str, tuple[str, str | None]] = {}
        calls: list[Call] = []
        for call in seq.calls:
            tool = call.tool.strip() or "unknown"
            action = action_of(tool, call.digest)
            token = token_of(tool, action)
            pairs[token] = (tool, action)
            calls.append((token, call.ok, call.duration_ms))
        for token, ok, dur in collapse(calls):
            tid = self.token_id(*pairs.get(token, (token, None)))
            dur_code = 0 if dur is None else min(max(dur, 0), _MAX_DUR) + 1
            keys.append(((tid * 3 + _OK_CODES[ok]) << 32) | dur_code)
        return (seq.session_id, seq.day.toordinal(), seq.namespace, keys.tobytes())


@dataclass
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
        if not e.name.startswith(".")
        and e.name.endswith(_ARCHIVE_SUFFIX)
        and e.is_file(follow_symlinks=False)
    ]
    out.sort(key=lambda e: e.name)
    return out


def list_archives(project: Project) -> list[str]:
    """Names of every archive file, sorted."""
    return [e.name for e in _entries(project)]


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
    folder = archive_dir(project)
    misses: list[tuple[str, bytes, str]] = []
    prefix = SESSIONS_ARCHIVE + "/"
    seen_stats: dict[str, tuple[int, int, int, str]] = {}
    for entry in _entries(project):
        name = entry.name
        rel = prefix + name
        known = cache.stats.get(rel)
        data: bytes | None = None
        if trust_inodes and known is not None and known[2] == entry.inode():
            blob = known[3]
            seen_stats[rel] = known
        else:
            try:
                st = entry.stat(follow_symlinks=False)
            except OSError as exc:
                result.unreadable[rel] = f"cannot read: {exc.strerror}"
                continue
            key = (st.st_size, st.st_mtime_ns, st.st_ino)
            if known is not None and known[:3] == key:
                blob = known[3]
            else:
                try:
                    data = (folder / name).read_bytes()
                except OSError as exc:
                    result.unreadable[rel] = f"cannot read: {exc.strerror}"
                    continue
                result.hashed += 1
                blob = blob_id(data)
            seen_stats[rel] = (*key, blob)
        result.archives.append(ArchiveRef(rel=rel, blob=blob))
        if blob not in cache.blobs and blob not in cache.bad:
            if data is None:
                try:
                    data = (folder / name).read_bytes()
                except OSError as exc:
                    result.unreadable[rel] = f"cannot read: {exc.strerror}"
                    continue
            misses.append((rel, data, blob))
    cache.stats = seen_stats
    total = len(misses)
    for done, (_rel, data, blob) in enumerate(misses):
        if deadline is not None and time.perf_counter() > deadline:
            result.complete = False
            result.pending = total - done
            break
        try:
            cache.blobs[blob] = cache.pack(data.decode("utf-8"))
        except UnicodeDecodeError:
            cache.bad[blob] = "not UTF-8 text"
        except Exception as exc:
            cache.bad[blob] = str(getattr(exc, "message", exc))[:200]
        result.parsed += 1
        if progress is not None:
            progress(done + 1, total)
    kept: list[ArchiveRef] = []
    for ref in result.archives:
        if ref.blob in cache.bad:
            result.unreadable[ref.rel] = cache.bad[ref.blob]
        elif ref.blob in cache.blobs:
            kept.append(ref)
    result.archives = kept
    return result


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
