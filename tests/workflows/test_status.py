"""`tmws status`: governance, memory files by folder, and the open sessions, read-only."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from hestai_tmws.governance.locate import ENV_HUB, bundled_hub_path
from hestai_tmws.project import Project
from hestai_tmws.workflows.status import project_status
from hestai_tmws.workflows.verify import verify_project
from tests.cli.cli_support import tmws
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


def test_a_newer_hub_is_an_update_not_tampering(
    ready: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hub = tmp_path / "newer-hub"
    shutil.copytree(bundled_hub_path(), hub)
    (hub / "VERSION").write_text("9.9.9\n", encoding="utf-8")
    rules = hub / "governance" / "rules" / "workflow-methodology.oct.md"
    rules.write_text(rules.read_text(encoding="utf-8").replace("===END===", "// v9\n===END==="))
    monkeypatch.setenv(ENV_HUB, str(hub))
    status = project_status(ready)
    gov = status.governance
    assert gov.outdated and not gov.tampered and not gov.intact
    assert gov.hub == str(hub.resolve()) and gov.hub_source == "env" and gov.hub_version == "9.9.9"
    report = verify_project(ready)
    codes = {f.code: f.severity for f in report.findings}
    assert codes.get("GOV_OUTDATED") == "warning" and "GOV_TAMPERED" not in codes
    assert report.ok
    out = tmws(ready.root, "status").stdout
    assert "update available" in out and f"hub: {hub.resolve()} (env, 9.9.9)" in out
