"""`tmws demo`: run the whole life cycle in a throwaway repository and show each step."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from hestai_tmws.cli import output
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
        from hestai_tmws.demo.run import DemoStep, run_demo

        out = output.console()

        def show(step: DemoStep) -> None:
            if as_json:
                return
            mark = "[green]✔[/]" if step.ok else "[red]✘[/]"
            out.print(
                f"{mark} [bold]{step.name}[/] ({step.seconds:.2f}s): {step.detail}", soft_wrap=True
            )
            for path in step.files[:8]:
                out.print(f"    {path}")
            if len(step.files) > 8:
                out.print(f"    … and {len(step.files) - 8} more")

        if not as_json:
            out.print("[bold]hestai-tmws demo[/]: a throwaway repository, the real services")
        report = output.run(lambda: run_demo(directory, on_step=show))
        if as_json:
            output.emit_json(report)
        else:
            verdict = "[green]done[/]" if report.ok else "[red]failed[/]"
            out.print(f"{verdict} in {report.seconds:.1f}s — look around: cd {report.repo}")
        if not report.ok:
            output.exit_with(ExitCode.ERROR)
