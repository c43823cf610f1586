"""`tmws status`: one read-only look at governance, memory and live sessions."""

from __future__ import annotations

import json
from collections import Counter

from pydantic import BaseModel, Field

from hestai_tmws.governance.changelog import upgrade_notes
from hestai_tmws.governance.status import verify_governance
from hestai_tmws.layout import HESTAI, SESSIONS_ACTIVE
from hestai_tmws.project import Project
from hestai_tmws.steward.memory_files import iter_memory_files


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
    gov = verify_governance(project)
    governance = GovernanceSummary(
        injected=project.hestai_sys.is_dir(),
        version=gov.version,
        intact=gov.ok,
        tampered=gov.tampered,
        outdated=gov.outdated,
        hub=gov.hub,
        hub_source=gov.hub_source,
        hub_version=gov.hub_version,
        problems=gov.problems(),
        upgrade=upgrade_notes(gov.version, gov.hub_version, gov.hub),
    )
    by_folder: Counter[str] = Counter()
    total_bytes = 0
    count = 0
    for rel, path in iter_memory_files(project):
        count += 1
        total_bytes += path.stat().st_size
        by_folder[rel.rsplit("/", 1)[0] if "/" in rel else "."] += 1
    return StatusReport(
        project=str(project.root),
        initialised=project.hestai.is_dir(),
        governance=governance,
        memory_files=count,
        memory_by_folder=dict(sorted(by_folder.items())),
        memory_bytes=total_bytes,
        active_sessions=_active_sessions(project),
    )


def _active_sessions(project: Project) -> list[ActiveSessionSummary]:
    folder = project.memory_path(SESSIONS_ACTIVE)
    out: list[ActiveSessionSummary] = []
    if not folder.is_dir():
        return out
    for meta in sorted(folder.glob("*/session.json")):
        try:
            data = json.loads(meta.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            out.append(ActiveSessionSummary(id=meta.parent.name, focus="(unreadable session.json)"))
            continue
        out.append(
            ActiveSessionSummary(
                id=str(data.get("id", meta.parent.name)),
                role=str(data.get("role", "")),
                focus=str(data.get("focus", "")),
                started_at=str(data.get("started_at", "")),
                pid=data.get("pid"),
            )
        )
    return out


__all__ = ["HESTAI", "StatusReport", "project_status"]
