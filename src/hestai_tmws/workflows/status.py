"""`tmws status`: one read-only look at governance, memory and live sessions."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, Field

from hestai_tmws.errors import TmwsError
from hestai_tmws.governance.locate import locate_hub
from hestai_tmws.layout import HESTAI
from hestai_tmws.project import Project
from hestai_tmws.workflows import status_facts


class GovernanceSummary(BaseModel):
    injected: bool
    version: str | None = None
    intact: bool = False
    tampered: bool = False
    outdated: bool = False  # the hub holds a newer (or other) version: run `tmws inject`
    hub: str | None = None  # the hub's path
    hub_source: str | None = None  # which rule found it: argument, env, setting or bundled
    hub_version: str | None = None
    problems: list[str] = Field(default_factory=list)
    upgrade: list[str] = Field(default_factory=list)  # what `tmws inject` would change (changelog)


class ActiveSessionSummary(BaseModel):
    id: str
    role: str = ""
    focus: str = ""
    started_at: str = ""
    pid: int | None = None


class StatusReport(BaseModel):
    project: str
    initialised: bool
    governance: GovernanceSummary
    memory_files: int
    memory_by_folder: dict[str, int]
    memory_bytes: int
    active_sessions: list[ActiveSessionSummary]


def project_status(project: Project) -> StatusReport:
    """Gather the dashboard without changing anything."""
    hub: tuple[Path, str] | None = None
    error: str | None = None
    try:
        location = locate_hub(project)
        hub = (location.path, location.source)
    except TmwsError as exc:
        error = exc.message
    return StatusReport.model_validate(status_facts.collect(project.root, hub, error))


__all__ = ["HESTAI", "StatusReport", "project_status"]
