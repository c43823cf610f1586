"""The stat fingerprint of a folder tree: what lets an intact `.hestai-sys/` skip its check.

Every clock-in asks whether governance is intact and current. The full answer reads the hub,
walks `.hestai-sys/`, and compares digests (about 1 ms, every call of a long-lived server).
If neither tree has changed since the last full answer said "unchanged", that answer still
holds. "Not changed" is judged as the digest cache already judges a file: every entry's
(inode, size, mtime, ctime, mode), links not followed, folders included (adding or removing
a file moves its folder's mtime; chmod moves ctime, which user space cannot set back).
"""

from __future__ import annotations

import os
from pathlib import Path

Fingerprint = tuple[tuple[str, int, int, int, int, int], ...]


def tree_fingerprint(root: Path | str) -> Fingerprint:
    """(relative path, inode, size, mtime_ns, ctime_ns, mode) of `root` and all under it."""
    entries: list[tuple[str, int, int, int, int, int]] = []
    base = os.fspath(root)
    try:
        st = os.lstat(base)
    except OSError:
        return ()
    entries.append(("", st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_mode))
    pending = [base]
    while pending:
        folder = pending.pop()
        try:
            listing = list(os.scandir(folder))
        except OSError:
            entries.append((folder, -1, -1, -1, -1, -1))  # unreadable: never equal to readable
            continue
        for entry in listing:
            try:
                st = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            rel = entry.path[len(base) :]
            entries.append((rel, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_mode))
            if entry.is_dir(follow_symlinks=False):
                pending.append(entry.path)
    entries.sort()
    return tuple(entries)
