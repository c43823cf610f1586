"""`tmws guard pre-commit`: the pre-commit check, for the pre-commit framework and by hand.

The installed git hook calls the same check through `python -I -m hestai_tmws.guard` (no typer
start-up); this command is the readable face of it. The repository is the one git is working
in (`--project` or the current folder), never `$TMWS_PROJECT`.
"""

from __future__ import annotations

import sys
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer

from hestai_tmws.cli import output
from hestai_tmws.cli.state import STATE
from hestai_tmws.errors import ExitCode
from hestai_tmws.guard.precommit import check_staged, locate


def register(app: typer.Typer) -> None:
    sub = typer.Typer(help="The single-writer guard of .hestai/.", no_args_is_help=True)
    app.add_typer(sub, name="guard")

    @sub.command("pre-commit")
    def pre_commit_command(
        as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    ) -> None:
        """Refuse staged .hestai/ changes the Steward did not write (exit 3 when blocked)."""

        report = output.run(lambda: check_staged(locate(STATE.project_dir or Path.cwd())))
        if as_json:
            output.emit_json({"ok": report.ok, **asdict(report)})
        elif not report.ok:
            sys.stderr.write(report.render())
        if not report.ok:
            output.exit_with(ExitCode.POLICY)
