"""`tmws verify`: the structural checks for CI; non-zero exit when anything is wrong."""

from __future__ import annotations

from typing import Annotated

import typer

from hestai_tmws.cli import output
from hestai_tmws.cli.state import current_project
from hestai_tmws.errors import ExitCode


def register(app: typer.Typer) -> None:
    @app.command("verify")
    def verify_command(
        fix: Annotated[
            bool, typer.Option("--fix", help="Heal governance and rebuild derived indexes.")
        ] = False,
        as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    ) -> None:
        """Check governance integrity and that every .hestai/ file is valid and well placed."""
        from hestai_tmws.workflows.verify import verify_project

        report = output.run(lambda: verify_project(current_project(), fix=fix))
        if as_json:
            output.emit_json(report)
        else:
            out = output.console()
            for f in report.findings:
                tag = (
                    "[green]fixed[/]"
                    if f.fixed
                    else ("[red]error[/]" if f.severity == "error" else "[yellow]warn[/]")
                )
                out.print(f"{tag} {f.code} {f.path or ''}: {f.message}", soft_wrap=True)
            verdict = "[green]ok[/]" if report.ok else "[red]FAILED[/]"
            out.print(
                f"verify {verdict}: {report.checked_files} memory files checked, "
                f"{len(report.errors)} errors"
            )
        if not report.ok:
            output.exit_with(ExitCode.ERROR)
