"""The walk over `.hestai/` behind `memory_files`, with the standard library only.

The typer-free `tmws status` counts memory files with it, without a `Project`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from hestai_tmws.layout import SESSIONS_ACTIVE, TEMP_PREFIX


def walk_memory(base: Path, *, include_active: bool = False) -> Iterator[tuple[str, Path]]:
    """(path relative to `base`, absolute path) of every file, sorted; temp files skipped."""
    if not base.is_dir() or base.is_symlink():
        return
    # by parts: `Path`'s own order (what `sorted(paths)` gives) without a `__lt__` call per
    # comparison (10,000 archives: ~130,000 of them)
    for path in sorted(base.rglob("*"), key=_parts):
        if path.is_dir() and not path.is_symlink():
            continue
        rel = path.relative_to(base).as_posix()
        if path.name.startswith(TEMP_PREFIX):
            continue
        if not include_active and rel.startswith(SESSIONS_ACTIVE + "/"):
            continue
        yield rel, path


def _parts(path: Path) -> tuple[str, ...]:
    return path.parts
