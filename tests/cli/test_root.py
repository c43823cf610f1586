"""The global options: --project picks the project, --debug shows tracebacks."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from hestai_tmws.cli.app import build_app
from hestai_tmws.cli.state import STATE


def test_project_and_debug_are_set_for_every_command(repo: Path) -> None:
    result = CliRunner().invoke(build_app(), ["-C", str(repo), "--debug", "sessions", "--json"])
    assert result.exit_code == 0, result.output
    assert STATE.project_dir == repo and STATE.debug is True
    CliRunner().invoke(build_app(), ["-C", str(repo), "sessions", "--json"])
    assert STATE.debug is False
