"""`tmws adopt PATH... --reason TEXT`: take a hand edit of `.hestai/` in, explicitly and logged."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from hestai_tmws.cli import output
from hestai_tmws.cli.state import current_project
from hestai_tmws.cli.views import guard as view
from hestai_tmws.guard.adopt import adopt


def register(app: typer.Typer) -> None:
    @app.command("adopt")
    def adopt_command(
        paths: Annotated[list[Path], typer.Argument(help="Files under .hestai/ to take in.")],
        reason: Annotated[
            str, typer.Option("--reason", "-r", help="Why this hand edit is right (logged).")
        ],
        no_stage: Annotated[
            bool, typer.Option("--no-stage", help="Do not `git add` the adopted files.")
        ] = False,
        as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    ) -> None:
        """Validate hand-edited memory files and record them, so the commit passes the guard."""

        stage = False if no_stage else None
        result = output.run(
            lambda: adopt(current_project(), paths, reason=reason, cwd=Path.cwd(), stage=stage)
        )
        if as_json:
            output.emit_json(result)
            return
        view.adopt_result(result)
