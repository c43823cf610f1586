"""The walk over `.hestai/` behind `memory_files`, with the standard library only.

The typer-free `tmws status` counts memory files with it, without a `Project`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from hestai_tmws.layout import SESSIONS_ACTIVE, TEMP_PREFIX


def walk_memory(base: Path, *, include_active: bool = False) -> Iterator[tuple[str, Path]]:
    """(path relative to `base`, absolute path) of every file, sorted; temp files skipped.

    Every entry that is not a real folder counts as a file: a link (to a folder too) is
    listed, never followed, so the checks can name it. The order is `Path`'s own (what
    `sorted(base.rglob("*"))` gives): names sorted in each folder, a folder's entries right
    after the folder, which is the order of the paths' parts."""
    if not base.is_dir() or base.is_symlink():
        return
    skipped = "" if include_active else SESSIONS_ACTIVE + "/"
    yield from _walk(str(base), "", skipped)


def _walk(folder: str, prefix: str, skipped: str) -> Iterator[tuple[str, Path]]:
    """One `scandir` per folder, its d_type telling folders from the rest (no stat per file)."""
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=_name)
    except PermissionError:  # as `rglob`: an unreadable folder holds nothing to list
        return
    for entry in entries:
        rel = prefix + entry.name
        if entry.is_dir(follow_symlinks=False):
            if skipped and (rel + "/").startswith(skipped):
                continue  # the open sessions' folder: not memory
            yield from _walk(entry.path, rel + "/", skipped)
        elif not entry.name.startswith(TEMP_PREFIX) and not (skipped and rel.startswith(skipped)):
            yield rel, Path(entry.path)


def _name(entry: os.DirEntry[str]) -> str:
    return entry.name
