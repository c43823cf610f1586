"""`tmws status`: a dashboard of governance, memory files and active sessions."""

from __future__ import annotations

from typing import Annotated

import typer

from hestai_tmws.cli import output
from hestai_tmws.cli.state import current_project


def register(app: typer.Typer) -> None:
    @app.command("status")
    def status_command(
        as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    ) -> None:
        """Show governance version and integrity, memory files and active sessions."""
        from rich.table import Table

        from hestai_tmws.workflows.status import project_status

        report = output.run(lambda: project_status(current_project()))
        if as_json:
            output.emit_json(report)
            return
        out = output.console()
        gov = report.governance
        state = "[green]intact[/]" if gov.intact else "[red]TAMPERED or missing[/]"
        out.print(f"[bold]{report.project}[/]")
        out.print(f"governance: {gov.version or '-'} {state}")
        for problem in gov.problems:
            out.print(f"  [red]-[/] {problem}")
        if not report.initialised:
            out.print("memory: not initialised (run `tmws init`)")
        table = Table(title=f"memory: {report.memory_files} files, {report.memory_bytes} bytes")
        table.add_column("folder")
        table.add_column("files", justify="right")
        for folder, count in report.memory_by_folder.items():
            table.add_row(folder, str(count))
        out.print(table)
        sessions = Table(title=f"active sessions: {len(report.active_sessions)}")
        for col in ("id", "role", "focus", "started", "pid"):
            sessions.add_column(col)
        for s in report.active_sessions:
            sessions.add_row(s.id, s.role, s.focus, s.started_at, str(s.pid or ""))
        out.print(sessions)
