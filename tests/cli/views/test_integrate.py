"""The integration view: a dry run is a diff; a real run lists the files it wrote."""

from __future__ import annotations

import pytest

from hestai_tmws.cli.views import integrate
from hestai_tmws.integrations.claude.settings import integrate_claude_code
from hestai_tmws.project import Project


def test_dry_run_then_write_then_nothing_to_change(
    ready: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    integrate.integration_result(integrate_claude_code(ready.root, dry_run=True), dry_run=True)
    assert "+++" in capsys.readouterr().out
    integrate.integration_result(integrate_claude_code(ready.root), dry_run=False)
    assert capsys.readouterr().out.startswith("created ")
    integrate.integration_result(integrate_claude_code(ready.root, dry_run=True), dry_run=True)
    assert capsys.readouterr().out == "nothing to change\n"
