"""Run `tmws` in-process against a project (shared by the per-command tests)."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner, Result

from hestai_tmws.cli.app import build_app


def tmws(root: Path, *args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(build_app(), ["-C", str(root), *args], input=stdin)
