"""`tmws octave check FILE...`: is each file valid OCTAVE, as octave-mcp strict reads it?"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from hestai_tmws.cli import output
from hestai_tmws.cli.views import octave as view
from hestai_tmws.errors import ExitCode
from hestai_tmws.octave.check import check_files


def register(app: typer.Typer) -> None:
    sub = typer.Typer(help="Check OCTAVE files the way octave-mcp strict reads them.")
    app.add_typer(sub, name="octave", no_args_is_help=True)

    @sub.command("check")
    def check_command(
        files: Annotated[list[Path], typer.Argument(help="The .oct.md files to check.")],
        as_json: Annotated[
            bool, typer.Option("--json", help="Per-file results with every problem, as JSON.")
        ] = False,
    ) -> None:
        """Exit 0 when every file parses; otherwise list every problem with its line."""

        report = output.run(lambda: check_files(files))
        if as_json:
            output.emit_json(report)
        else:
            view.check_report(report)
        if not report.ok:
            output.exit_with(ExitCode.ERROR)
