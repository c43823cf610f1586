"""`tmws init`: create `.hestai/`, wire git, inject governance. Never overwrites memory."""

from __future__ import annotations

from typing import Annotated

import typer

from hestai_tmws.cli import output
from hestai_tmws.cli.state import current_project
from hestai_tmws.cli.views import project as view
from hestai_tmws.workflows.init import init_project


def register(app: typer.Typer) -> None:
    @app.command("init")
    def init_command(
        no_stage: Annotated[
            bool, typer.Option("--no-stage", help="Do not `git add` the new files.")
        ] = False,
        as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    ) -> None:
        """Create the .hestai/ memory layout from the hub's templates (idempotent)."""

        result = output.run(lambda: init_project(current_project(), stage=not no_stage))
        if as_json:
            output.emit_json(result)
            return
        view.init_result(result)
