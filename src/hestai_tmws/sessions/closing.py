"""The closing marker: a clock-out that was killed half-way can be finished by the next command.

Before a clock-out writes its archive it records, in the session's private folder, which
archive it is writing and how the session ends. The folder is removed as the clock-out's last
step, so a marker that is still there names a clock-out that did not finish. Retrying lands
on the same archive file even when the retry cannot read the transcript (whose date may have
named the file).
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel, ValidationError

from hestai_tmws.project import Project
from hestai_tmws.sessions.archive.model import ArchiveStatus
from hestai_tmws.sessions.store import session_dir_rel
from hestai_tmws.steward import Steward

CLOSING_FILE = "closing.json"


class ClosingMarker(BaseModel):
    """What an interrupted clock-out needs to be finished the same way."""

    archive: str  # relative to .hestai/
    status: ArchiveStatus
    transcript: str | None = None


def closing_rel(session_id: str) -> str:
    return f"{session_dir_rel(session_id)}/{CLOSING_FILE}"


def read_closing(project: Project, session_id: str) -> ClosingMarker | None:
    """The marker of an unfinished clock-out of `session_id`, if there is a readable one."""
    path = project.memory_path(closing_rel(session_id))
    try:
        return ClosingMarker.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, ValidationError):
        return None


def write_closing(
    steward: Steward,
    session_id: str,
    archive: str,
    status: ArchiveStatus,
    transcript: Path | None,
) -> None:
    """Record the clock-out about to happen (private: never committed, no ledger line)."""
    marker = ClosingMarker(
        archive=archive, status=status, transcript=None if transcript is None else str(transcript)
    )
    steward.write_text(
        closing_rel(session_id),
        marker.model_dump_json(indent=2) + "\n",
        actor="clock-out",
        reason="clock-out in progress",
    )
