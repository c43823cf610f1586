"""Move the learnings index of a repository written before ADR-0033 to its ADR place.

ADR-0033 keeps `learnings-index.jsonl` beside the archives it indexes, in
`.hestai/sessions/archive/`; earlier tmws versions wrote `.hestai/learnings-index.jsonl`. The move
runs by itself at clock-in and on `tmws verify --fix`: the old lines are appended to the new
file (lines already there are not repeated), the old file is deleted, both through the Steward.
"""

from __future__ import annotations

from hestai_tmws.config import load_settings
from hestai_tmws.layout import HESTAI, LEARNINGS_INDEX, LEGACY_LEARNINGS_INDEX
from hestai_tmws.project import Project
from hestai_tmws.steward import Steward

REASON = "ADR-0033 layout: the learnings index moved to sessions/archive/"


def legacy_index_present(project: Project) -> bool:
    """Whether the pre-ADR `.hestai/learnings-index.jsonl` is still there."""
    return project.memory_path(LEGACY_LEARNINGS_INDEX).is_file()


def move_legacy_index(project: Project) -> bool:
    """Move the old index into the new one; True when something was moved."""
    if not legacy_index_present(project):
        return False
    settings = load_settings(project)
    old_root = f"{HESTAI}/{LEGACY_LEARNINGS_INDEX}"
    tracked = bool(project.git.git("ls-files", "--", old_root).strip())
    steward = Steward(project, lock_timeout=settings.lock_timeout_seconds)
    with steward.transaction("move learnings index"):
        old = steward.read_text(LEGACY_LEARNINGS_INDEX)
        if old is None:  # another process moved it meanwhile
            return False
        new = steward.read_text(LEARNINGS_INDEX) or ""
        have = set(new.splitlines())
        extra = [line for line in old.splitlines() if line.strip() and line not in have]
        if new and not new.endswith("\n"):
            new += "\n"
        steward.write_text(
            LEARNINGS_INDEX, new + "".join(f"{line}\n" for line in extra), reason=REASON
        )
        steward.delete(LEGACY_LEARNINGS_INDEX, reason=REASON)
    if settings.stage_writes:
        project.git.add([f"{HESTAI}/{LEARNINGS_INDEX}"])
        if tracked:  # stage the deletion too, so the commit records a move
            project.git.git("rm", "--cached", "-q", "--ignore-unmatch", "--", old_root)
    return True
