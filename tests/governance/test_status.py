"""Is `.hestai-sys/` intact and current: missing, intact, tampered, outdated."""

from __future__ import annotations

from pathlib import Path

from hestai_tmws.governance.inject import inject
from hestai_tmws.governance.status import verify_governance
from hestai_tmws.project import Project
from tests.governance.conftest import BUNDLED, hub_files, make_writable


def test_missing_then_intact_then_tampered(project: Project) -> None:
    missing = verify_governance(project)
    assert not missing.present and not missing.ok
    assert [f.code for f in missing.findings()] == ["GOV_MISSING"]
    inject(project)
    intact = verify_governance(project)
    assert intact.ok and intact.current and not intact.tampered and intact.problems() == []
    make_writable(project.hestai_sys)
    (project.hestai_sys / "extra.md").write_text("planted\n")
    tampered = verify_governance(project)
    assert not tampered.ok and tampered.added == ["extra.md"]
    assert tampered.problems() == [".hestai-sys/extra.md was added"]


def test_verify_without_hestai_sys(project: Project) -> None:
    status = verify_governance(project)
    assert not status.present and not status.ok
    assert status.problems() == [".hestai-sys/ is missing; run tmws inject"]
    assert status.missing == sorted(hub_files(BUNDLED))


def test_verify_reports_an_unavailable_hub(project: Project, tmp_path: Path) -> None:
    inject(project)
    project.config_file.write_text(f"hub: {tmp_path / 'gone'}\n")
    status = verify_governance(project)
    assert not status.ok and status.error is not None and "gone" in status.error
