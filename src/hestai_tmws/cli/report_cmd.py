"""`tmws report --html FILE`: one static page picturing the project's memory and its health."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from hestai_tmws.cli import output
from hestai_tmws.cli.state import current_project
from hestai_tmws.cli.views.report_html import render_html
from hestai_tmws.errors import UsageError
from hestai_tmws.project import Project
from hestai_tmws.steward.atomic import atomic_write_bytes
from hestai_tmws.workflows.report import memory_report


def _target(project: Project, path: Path) -> Path:
    """Where to write: anywhere but the memory the Steward alone writes."""
    resolved = path.expanduser().resolve()
    for guarded in (project.hestai, project.hestai_sys):
        if resolved.is_relative_to(guarded.resolve()):
            raise UsageError(
                f"{path} is inside {guarded.name}/, which tmws report does not write",
                hint="write the page elsewhere, e.g. --html memory-report.html",
            )
    return resolved


def register(app: typer.Typer) -> None:
    @app.command("report")
    def report_command(
        html: Annotated[
            Path | None,
            typer.Option("--html", metavar="FILE", help="Write the report as one static page."),
        ] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print the data as JSON.")] = False,
    ) -> None:
        """Picture project memory: sessions, tools, patterns, skills, decisions and health."""

        project = output.run(current_project)
        report = output.run(lambda: memory_report(project))
        if as_json:
            output.emit_json(report)
        if html is None:
            if not as_json:
                output.fail(UsageError("nothing to write", hint="pass --html FILE or --json"))
            return
        target = output.run(lambda: _target(project, html))
        output.run(lambda: atomic_write_bytes(target, render_html(report).encode("utf-8")))
        if not as_json:
            output.console().print(output.literal(f"wrote {target}"))
