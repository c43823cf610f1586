"""`tmws watch`: warn the moment something outside the Steward edits `.hestai/`; heal governance."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from hestai_tmws.cli import output
from hestai_tmws.cli.state import current_project


def register(app: typer.Typer) -> None:
    @app.command("watch")
    def watch_command(
        no_heal: Annotated[
            bool, typer.Option("--no-heal", help="Only warn; do not re-inject .hestai-sys/.")
        ] = False,
        as_json: Annotated[
            bool, typer.Option("--json", help="One JSON object per event, a line each.")
        ] = False,
    ) -> None:
        """Watch .hestai/ and .hestai-sys/ until interrupted (Ctrl-C)."""
        from hestai_tmws.guard.watch import WatchEvent, watch

        out = output.console()
        err = output.console(stderr=True)

        def show(event: WatchEvent) -> None:
            if as_json:
                record = {"kind": event.kind, "path": event.path, "message": event.message}
                sys.stdout.write(json.dumps(record) + "\n")
                sys.stdout.flush()
            elif event.kind == "ready":
                out.print(f"[dim]{event.message}[/]")
            elif event.kind in ("hand-edit", "hand-delete", "heal-failed"):
                err.print(f"[bold red]warning:[/] {event.message}", soft_wrap=True)
            else:
                out.print(f"[green]healed[/] {event.message}", soft_wrap=True)

        output.run(lambda: watch(current_project(), on_event=show, heal=not no_heal))
