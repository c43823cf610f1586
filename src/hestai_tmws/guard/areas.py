"""Which guarded area a repository path is in, and the git file modes the guard tells apart.

Standard library only (the layout names are plain strings): the hook's fast path (`fast`)
and the full check (`precommit`) decide areas with this one function, so they cannot drift.
"""

from __future__ import annotations

from hestai_tmws.layout import HESTAI, HESTAI_SYS, SESSIONS_ACTIVE

ACTIVE_PREFIX = f"{HESTAI}/{SESSIONS_ACTIVE}/"
REGULAR_MODE = "100644"
EXECUTABLE_MODE = "100755"
SYMLINK_MODE = "120000"
GITLINK_MODE = "160000"


def area(path: str) -> str | None:
    """Which guarded area a repository path belongs to: memory, active, system, ... or None."""
    first = path.split("/", 1)[0]
    if first == HESTAI:
        if path == HESTAI:
            return "not-a-folder"
        return "active" if path.startswith(ACTIVE_PREFIX) else "memory"
    if first == HESTAI_SYS:
        return "system"
    if first.casefold() in (HESTAI, HESTAI_SYS):
        return "case-variant"  # the same folder on case-insensitive file systems
    return None
