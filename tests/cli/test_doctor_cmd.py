"""`tmws doctor` through the command line: exit code, text and JSON."""

from __future__ import annotations

import json

from hestai_tmws.project import Project
from tests.cli.cli_support import tmws


def test_doctor_exits_one_and_prints_the_fix(ready: Project) -> None:
    result = tmws(ready.root, "doctor")
    assert result.exit_code == 1
    assert "FAIL git hook" in result.stdout and "fix: tmws hooks install" in result.stdout
    data = json.loads(tmws(ready.root, "doctor", "--json").stdout)
    assert data["ok"] is False and {c["name"] for c in data["checks"]} >= {"ledger", "governance"}


def test_doctor_passes_once_the_hook_is_installed(ready: Project) -> None:
    assert tmws(ready.root, "hooks", "install").exit_code == 0
    result = tmws(ready.root, "doctor")
    assert result.exit_code == 0, result.stdout
    assert "all checks pass" in result.stdout
