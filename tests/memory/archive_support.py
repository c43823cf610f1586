"""Archives written straight into a project's archive folder (for list, show and search tests)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hestai_tmws.project import Project
from hestai_tmws.sessions.archive import ArchiveInputs, archive_rel, compose_archive
from hestai_tmws.sessions.model import ActiveSession

START = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def write_archive(
    project: Project,
    session_id: str,
    *,
    summary: str,
    focus: str = "tests",
    role: str = "implementation-lead",
    started: datetime = START,
    decisions: tuple[str, ...] = (),
) -> str:
    """Compose an archive as clock-out does and put it in place; returns its path in .hestai/."""
    session = ActiveSession(id=session_id, role=role, focus=focus, started_at=started)
    inputs = ArchiveInputs(
        session=session,
        ended_at=started + timedelta(minutes=5),
        summary=summary,
        decisions=decisions,
    )
    rel = archive_rel(session)
    path = project.memory_path(rel)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(compose_archive(inputs).text, encoding="utf-8")
    return rel
