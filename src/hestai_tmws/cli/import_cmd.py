"""`tmws import [PATH...]`: archive existing agent history, then learn from it once."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from hestai_tmws.cli import output
from hestai_tmws.cli.state import current_project
from hestai_tmws.cli.views import imports as view
from hestai_tmws.cli.views.learn import ProgressBar
from hestai_tmws.errors import ExitCode, UsageError
from hestai_tmws.workflows.import_history import import_history


def _since(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--since {text!r} is not a date", hint="use YYYY-MM-DD") from None


def register(app: typer.Typer) -> None:
    @app.command("import")
    def import_command(
        paths: Annotated[
            list[str] | None,
            typer.Argument(help="Transcript files or folders (default: this repository's own)."),
        ] = None,
        since: Annotated[
            str | None, typer.Option("--since", help="Only sessions started on or after DATE.")
        ] = None,
        dry_run: Annotated[
            bool, typer.Option("--dry-run", help="Show what would be archived; write nothing.")
        ] = False,
        learn: Annotated[
            bool, typer.Option("--learn/--no-learn", help="Mine the archives once at the end.")
        ] = True,
        as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
    ) -> None:
        """Archive existing agent history (redacted, dated by its transcripts), then learn."""

        bar = ProgressBar(enabled=not as_json, label="importing sessions", show_from=10)
        try:
            result = output.run(
                lambda: import_history(
                    current_project(),
                    paths or (),
                    since=_since(since),
                    dry_run=dry_run,
                    learn=learn,
                    progress=bar.update,
                )
            )
        finally:
            bar.close()
        if as_json:
            output.emit_json(result)
        else:
            view.import_result(result)
        if result.failed:
            output.exit_with(ExitCode.ERROR)
