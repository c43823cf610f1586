"""`tmws clock-in` / `tmws clock-out`: open a session with its primer, archive and close it."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from hestai_tmws.cli import output
from hestai_tmws.cli.state import current_project
from hestai_tmws.cli.views import clock as view
from hestai_tmws.workflows.clock_in import clock_in
from hestai_tmws.workflows.clock_out import clock_out


def register(app: typer.Typer) -> None:
    @app.command("clock-in")
    def clock_in_command(
        role: Annotated[
            str | None, typer.Option("--role", "-r", help="Agent role (default: the project's).")
        ] = None,
        focus: Annotated[
            str | None,
            typer.Option(
                "--focus", "-f", help="What this session is about (default: from the branch)."
            ),
        ] = None,
        working_dir: Annotated[
            Path | None, typer.Option("--working-dir", help="Folder the session works in.")
        ] = None,
        force: Annotated[
            bool, typer.Option("--force", help="Open even if another live session has this focus.")
        ] = False,
        transcript: Annotated[
            Path | None,
            typer.Option("--transcript", help="Transcript file of this session, if known."),
        ] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    ) -> None:
        """Open a session: heal governance, record it, and print what to read first."""

        result = output.run(
            lambda: clock_in(
                current_project(),
                role=role,
                focus=focus,
                working_dir=working_dir,
                force=force,
                transcript_path=transcript,
                pid=os.getppid(),  # the agent's shell outlives this command
            )
        )
        if as_json:
            output.emit_json(result)
            return
        view.clock_in_result(result)

    @app.command("clock-out")
    def clock_out_command(
        session: Annotated[
            str | None,
            typer.Option("--session", "-s", help="Session id (default: the only open one)."),
        ] = None,
        transcript: Annotated[
            Path | None,
            typer.Option("--transcript", help="Transcript to archive (default: found)."),
        ] = None,
        summary: Annotated[
            str | None, typer.Option("--summary", help="What the session did.")
        ] = None,
        decision: Annotated[
            list[str] | None, typer.Option("--decision", help="A decision (repeatable).")
        ] = None,
        blocker: Annotated[
            list[str] | None, typer.Option("--blocker", help="A blocker (repeatable).")
        ] = None,
        learning: Annotated[
            list[str] | None, typer.Option("--learning", help="A learning (repeatable).")
        ] = None,
        commit: Annotated[
            bool, typer.Option("--commit", help="Commit the archived files.")
        ] = False,
        no_learn: Annotated[
            bool, typer.Option("--no-learn", help="Skip the learning step.")
        ] = False,
        allow_empty: Annotated[
            bool,
            typer.Option("--allow-empty", help="Archive a transcript that has no tool calls."),
        ] = False,
        as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    ) -> None:
        """Archive the session (every tool call, redacted), update memory, and close it."""

        result = output.run(
            lambda: clock_out(
                current_project(),
                session_id=session,
                transcript=transcript,
                summary=summary,
                decisions=tuple(decision or ()),
                blockers=tuple(blocker or ()),
                learnings=tuple(learning or ()),
                commit=commit,
                learn=not no_learn,
                allow_empty=allow_empty,
            )
        )
        if as_json:
            output.emit_json(result)
            return
        view.clock_out_result(result)
