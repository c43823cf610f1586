"""`tmws verify`: the structural checks for CI; non-zero exit when anything is wrong."""

from __future__ import annotations

from typing import Annotated

import typer

from hestai_tmws.cli import output
from hestai_tmws.cli.state import current_project
from hestai_tmws.cli.views import project as view
from hestai_tmws.errors import ExitCode
from hestai_tmws.workflows.verify import verify_project


def register(app: typer.Typer) -> None:
    @app.command("verify")
    def verify_command(
        fix: Annotated[
            bool, typer.Option("--fix", help="Heal governance and rebuild derived indexes.")
        ] = False,
        as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
        since: Annotated[
            str | None,
            typer.Option(
                "--since",
                metavar="REV",
                help="Also check every commit in REV..HEAD and name the one that brought a "
                "hand edit in (for pull requests).",
            ),
        ] = None,
        signed: Annotated[
            bool,
            typer.Option(
                "--signed",
                help="Require a verifiable SSH signature on every commit that changes "
                "provenance (git verify-commit; see docs/threat-model.md).",
            ),
        ] = False,
    ) -> None:
        """Check governance, every .hestai/ file, and that tmws wrote each committed blob."""

        with output.progress_bar(
            "checking .hestai/", enabled=not as_json, then="checking commits and provenance"
        ) as on_file:
            report = output.run(
                lambda: verify_project(
                    current_project(), fix=fix, since=since, signed=signed, on_file=on_file
                )
            )
        if as_json:
            output.emit_json(report)
        else:
            view.verify_report(report)
        if not report.ok:
            output.exit_with(ExitCode.ERROR)
