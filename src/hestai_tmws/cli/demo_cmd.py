"""`tmws demo`: run the whole life cycle in a throwaway repository and show each step."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from hestai_tmws.cli import output
from hestai_tmws.cli.views import demo as view
from hestai_tmws.demo.run import DemoStep, run_demo
from hestai_tmws.errors import ExitCode


def register(app: typer.Typer) -> None:
    @app.command("demo")
    def demo_command(
        directory: Annotated[
            Path | None,
            typer.Option(
                "--dir", help="Where to create the demo repository (default: a temp folder)."
            ),
        ] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    ) -> None:
        """Show hestai-tmws end to end in a throwaway git repository."""

        def show(step: DemoStep) -> None:
            if not as_json:
                view.demo_step(step)

        if not as_json:
            view.banner()
        report = output.run(lambda: run_demo(directory, on_step=show))
        if as_json:
            output.emit_json(report)
        else:
            view.demo_report(report)
        if not report.ok:
            output.exit_with(ExitCode.ERROR)
