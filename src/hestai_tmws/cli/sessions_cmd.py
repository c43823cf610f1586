"""`tmws sessions` (list open sessions) and `tmws sessions reap` (archive stale ones)."""

from __future__ import annotations

from typing import Annotated

import typer

from hestai_tmws.cli import output
from hestai_tmws.cli.state import current_project


def register(app: typer.Typer) -> None:
    sub = typer.Typer(help="Open sessions of this worktree: list them, reap stale ones.")

    @sub.callback(invoke_without_command=True)
    def sessions_command(
        ctx: typer.Context,
        as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    ) -> None:
        """List open sessions with their age and whether they are stale."""
        if ctx.invoked_subcommand is not None:
            return
        from hestai_tmws.workflows.reap import list_sessions

        result = output.run(lambda: list_sessions(current_project()))
        if as_json:
            output.emit_json(result)
            return
        out = output.console()
        if not result.sessions and not result.broken:
            out.print("no open sessions")
            return
        from rich.table import Table

        table = Table(box=None, pad_edge=False)
        for column in (
            "id",
            "role",
            "focus",
            "started (UTC)",
            "age h",
            "process",
            "state",
            "traces",
        ):
            table.add_column(column)
        for s in result.sessions:
            process = {True: "running", False: "gone", None: "unknown"}[s.alive]
            table.add_row(
                s.id,
                s.role,
                s.focus,
                f"{s.started_at:%Y-%m-%d %H:%M}",
                f"{s.age_hours:.1f}",
                process,
                "stale" if s.stale else "live",
                str(s.traces),
            )
        for b in result.broken:
            table.add_row(b.id, "?", "?", "?", f"{b.age_hours:.1f}", "?", "broken", "?")
        out.print(table)
        out.print(
            f"stale = process gone and older than {result.stale_after_hours:g} h; "
            "`tmws sessions reap` archives stale sessions as abandoned"
        )

    @sub.command("reap")
    def reap_command(
        older_than: Annotated[
            float | None,
            typer.Option(
                "--older-than", help="Age in hours (default: the stale_after_hours setting)."
            ),
        ] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    ) -> None:
        """Archive stale sessions as abandoned, keeping their traces."""
        from hestai_tmws.workflows.reap import reap

        result = output.run(lambda: reap(current_project(), older_than_hours=older_than))
        if as_json:
            output.emit_json(result)
        else:
            out = output.console()
            for item in result.reaped:
                out.print(
                    f"reaped {item.id} → {item.archive_path} ({item.traces} traces)", markup=False
                )
            for item in result.failed:
                out.print(f"could not reap {item.id}: {item.error}", markup=False)
            out.print(
                f"{len(result.reaped)} reaped, {len(result.kept)} kept, {len(result.failed)} failed"
            )
        if result.failed:
            from hestai_tmws.errors import ExitCode

            output.exit_with(ExitCode.ERROR)

    app.add_typer(sub, name="sessions")
