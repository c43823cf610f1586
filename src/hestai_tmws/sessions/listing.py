"""The ids under `sessions/active/`, listed again only when the folder itself has changed.

A long-lived MCP server asks for the open sessions several times per clock-in; with many open
sessions the scan (one entry and one name check per session) is what grows. Creating,
deleting or renaming a session folder changes the folder's mtime and ctime, so a listing is
reused while the folder's stat (device, inode, mtime, ctime) is the one it was taken with.

Same-tick edits: file-system timestamps come from a coarse clock, so a folder changed in the
same clock tick as (and just after) a listing can keep the stat that listing saw. A listing
is therefore remembered only when the folder's ctime was already SETTLED_NS older than the
moment before its stat was taken (git's check for "racily clean" index entries); a folder
changed more recently is scanned every time until it settles. What happens inside a session folder
(its record rewritten, a closing marker written) does not touch this folder: those files are
checked by their own callers.
"""

from __future__ import annotations

import os
import threading
import time

from hestai_tmws.sessions.lookup import open_session_ids

# A margin well above any kernel timestamp tick (1–10 ms on Linux); whole-second timestamps
# (FAT, some network mounts) get two seconds, as FAT rounds to two.
SETTLED_NS = 100_000_000
COARSE_SETTLED_NS = 2_000_000_000
MAX_FOLDERS = 64

FolderKey = tuple[int, int, int, int]

_LISTINGS: dict[str, tuple[FolderKey, tuple[str, ...]]] = {}
_LOCK = threading.Lock()


def active_ids(active_dir: str | os.PathLike[str]) -> tuple[str, ...]:
    """`lookup.open_session_ids(active_dir)`, from the cache while the folder is unchanged."""
    root = os.fspath(active_dir)
    began = now_ns()
    try:
        st = os.stat(root)
    except FileNotFoundError:  # as `open_session_ids`: other OS errors reach the caller
        return ()
    key = (st.st_dev, st.st_ino, st.st_mtime_ns, st.st_ctime_ns)
    with _LOCK:
        hit = _LISTINGS.get(root)
    if hit is not None and hit[0] == key:
        return hit[1]
    ids = tuple(open_session_ids(root))
    if settled(st.st_ctime_ns, began):  # else the older listing stays, under its older stat
        with _LOCK:
            if len(_LISTINGS) >= MAX_FOLDERS:
                _LISTINGS.clear()
            _LISTINGS[root] = (key, ids)  # the stat from before the scan: a race only misses
    return ids


def now_ns() -> int:
    """The wall clock the settled check compares file times with (tests move it on)."""
    return time.time_ns()


def settled(changed_ns: int, at_ns: int) -> bool:
    """Was a timestamp old enough at `at_ns` that a later change must show as a new one?"""
    margin = COARSE_SETTLED_NS if changed_ns % 1_000_000_000 == 0 else SETTLED_NS
    return changed_ns <= at_ns - margin


def forget() -> None:
    """Drop every remembered listing (tests; a process that moves folders under itself)."""
    with _LOCK:
        _LISTINGS.clear()
