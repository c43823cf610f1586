"""Walk `.hestai/` the same way everywhere: committed memory files, in a stable order."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from hestai_tmws.layout import HESTAI
from hestai_tmws.project import Project
from hestai_tmws.steward.atomic import TEMP_PREFIX
from hestai_tmws.steward.memory_walk import walk_memory


def iter_memory_files(
    project: Project, *, include_active: bool = False
) -> Iterator[tuple[str, Path]]:
    """(path relative to `.hestai/`, absolute path) of every file, sorted; temp files skipped."""
    yield from walk_memory(project.hestai, include_active=include_active)


def temp_leftovers(project: Project) -> list[str]:
    """Temp files left behind by a writer that crashed (never data)."""
    base = project.hestai
    if not base.is_dir():
        return []
    return sorted(
        f"{HESTAI}/{p.relative_to(base).as_posix()}" for p in base.rglob(f"{TEMP_PREFIX}*")
    )
