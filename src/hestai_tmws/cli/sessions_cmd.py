"""`tmws sessions [list [--archived]]` (open or past sessions) and `tmws sessions reap`."""

from __future__ import annotations

from typing import Annotated

import typer

from hestai_tmws.cli import output
from hestai_tmws.cli.state import current_project
from hestai_tmws.cli.views import sessions as view
from hestai_tmws.errors import ExitCode
from hestai_tmws.sessions.archive.read import list_archived
from hestai_tmws.workflows.reap import list_sessions, reap

JSON_OPTION = typer.Option("--json", help="Print the result as JSON.")


def register(app: typer.Typer) -> None:
    sub = typer.Typer(
        help="Sessions of this worktree: list open or archived ones, reap stale ones."
    )

    @sub.callback(invoke_without_command=True)
    def sessions_command(
        ctx: typer.Context,
        as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    ) -> None:
        """List open sessions with their age and whether they are stale."""
        if ctx.invoked_subcommand is not None:
            return

        result = output.run(lambda: list_sessions(current_project()))
        if as_json:
            output.emit_json(result)
            return
        view.session_list(result)

    @sub.command("list")
    def list_command(
        archived: Annotated[
            bool, typer.Option("--archived", help="List past sessions from .hestai/ instead.")
        ] = False,
        as_json: Annotated[bool, JSON_OPTION] = False,
    ) -> None:
        """List open sessions, or with --archived every archived one, newest first."""
        if not archived:
            result = output.run(lambda: list_sessions(current_project()))
            output.emit_json(result) if as_json else view.session_list(result)
            return
        past = output.run(lambda: list_archived(current_project()))
        output.emit_json(past) if as_json else view.archived_list(past)

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

        result = output.run(lambda: reap(current_project(), older_than_hours=older_than))
        if as_json:
            output.emit_json(result)
        else:
            view.reap_result(result)
        if result.failed:
            output.exit_with(ExitCode.ERROR)

    app.add_typer(sub, name="sessions")
