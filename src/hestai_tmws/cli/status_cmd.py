"""`tmws status`: a dashboard of governance, memory files and active sessions."""

from __future__ import annotations

from typing import Annotated

import typer

from hestai_tmws.cli import output
from hestai_tmws.cli.state import current_project
from hestai_tmws.cli.views import project as view
from hestai_tmws.workflows.status import project_status


def register(app: typer.Typer) -> None:
    @app.command("status")
    def status_command(
        as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    ) -> None:
        """Show governance version and integrity, memory files and active sessions."""

        report = output.run(lambda: project_status(current_project()))
        if as_json:
            output.emit_json(report)
            return
        view.status_report(report)
