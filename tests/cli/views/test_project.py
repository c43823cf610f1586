"""The project views: status, init, inject and verify."""

from __future__ import annotations

import pytest

from hestai_tmws.cli.views import project as view
from hestai_tmws.findings import Finding
from hestai_tmws.governance.inject import inject
from hestai_tmws.project import Project
from hestai_tmws.workflows.init import init_project
from hestai_tmws.workflows.status import project_status
from hestai_tmws.workflows.verify import VerifyReport


def test_status_names_governance_memory_and_sessions(
    ready: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    view.status_report(project_status(ready))
    out = capsys.readouterr().out
    assert out.startswith(f"{ready.root}\ngovernance: ")
    assert "intact" in out and "memory: " in out and "active sessions: 0" in out


def test_init_again_keeps_everything(ready: Project, capsys: pytest.CaptureFixture[str]) -> None:
    view.init_result(init_project(ready))
    out = capsys.readouterr().out
    assert f"hestai-tmws initialised {ready.root}" in out
    assert "kept    .hestai/" in out and "created" not in out


def test_inject_says_what_it_did(ready: Project, capsys: pytest.CaptureFixture[str]) -> None:
    result = inject(ready)
    view.inject_result(result)
    assert capsys.readouterr().out == f"governance {result.version}: {result.summary()}\n"


def test_verify_shows_each_finding_literally(capsys: pytest.CaptureFixture[str]) -> None:
    report = VerifyReport(
        ok=False,
        checked_files=3,
        findings=[
            Finding(code="MISPLACED", path="a/[x].md", message="moved [all_done]"),
            Finding(code="OLD", message="w", severity="warning"),
            Finding(code="GOV", message="healed", fixed=True),
        ],
    )
    view.verify_report(report)
    assert capsys.readouterr().out.splitlines() == [
        "error MISPLACED a/[x].md: moved [all_done]",
        "warn OLD : w",
        "fixed GOV : healed",
        "verify FAILED: 3 memory files checked, 1 error",
    ]


def test_verify_caps_a_flood_and_hints_at_fix(capsys: pytest.CaptureFixture[str]) -> None:
    findings = [Finding(code="INDEX_MISSING", path=f"a{i}", message="m") for i in range(3000)]
    view.verify_report(VerifyReport(ok=False, checked_files=1, findings=findings))
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == view.SHOWN_PER_CODE + 3
    assert "… and 2995 more INDEX_MISSING findings" in lines[view.SHOWN_PER_CODE]
    assert lines[-2] == "verify FAILED: 1 memory file checked, 3000 errors"
    assert lines[-1].startswith("hint: `tmws verify --fix` repairs INDEX_MISSING")
