"""`tmws status`: governance, memory files by folder, and the open sessions, read-only."""

from __future__ import annotations

from pathlib import Path

from hestai_tmws.project import Project
from hestai_tmws.workflows.status import project_status
from tests.memory.support import open_session


def test_a_fresh_project_then_an_open_and_a_broken_session(ready: Project) -> None:
    report = project_status(ready)
    assert report.initialised and report.governance.injected and report.governance.intact
    assert report.memory_files == sum(report.memory_by_folder.values()) > 0
    assert report.active_sessions == []
    session = open_session(ready, focus="status")
    broken = ready.memory_path("sessions/active/0123456789ab")
    broken.mkdir()
    (broken / "session.json").write_text("{broken")
    by_id = {s.id: s for s in project_status(ready).active_sessions}
    assert by_id[session.id].focus == "status"
    assert by_id["0123456789ab"].focus == "(unreadable session.json)"


def test_an_empty_repository_is_not_initialised(repo: Path) -> None:
    report = project_status(Project.discover(repo))
    assert not report.initialised and not report.governance.injected
    assert report.memory_files == 0 and report.memory_by_folder == {}
