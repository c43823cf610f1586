"""`tmws watch`: warn the moment something outside the Steward edits `.hestai/`; heal governance."""

from __future__ import annotations

from typing import Annotated

import typer

from hestai_tmws.cli import output
from hestai_tmws.cli.state import current_project
from hestai_tmws.cli.views import guard as view
from hestai_tmws.guard.watch import WatchEvent, watch


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

        def show(event: WatchEvent) -> None:
            view.watch_event(event, as_json=as_json)

        output.run(lambda: watch(current_project(), on_event=show, heal=not no_heal))
