"""`tmws doctor`: check hooks, integrations, governance, ledger and memory; say how to fix."""

from __future__ import annotations

from typing import Annotated

import typer

from hestai_tmws.cli import output
from hestai_tmws.cli.state import current_project
from hestai_tmws.cli.views import doctor as view
from hestai_tmws.errors import ExitCode
from hestai_tmws.workflows.doctor import run_doctor


def register(app: typer.Typer) -> None:
    @app.command("doctor")
    def doctor_command(
        as_json: Annotated[bool, typer.Option("--json", help="Print the checks as JSON.")] = False,
    ) -> None:
        """Check hook, merge driver, agents, governance, ledger and memory; say how to fix.

        Exits 1 when a check fails.
        """

        report = output.run(lambda: run_doctor(current_project()))
        if as_json:
            output.emit_json(report)
        else:
            view.doctor_report(report)
        if not report.ok:
            output.exit_with(ExitCode.ERROR)
