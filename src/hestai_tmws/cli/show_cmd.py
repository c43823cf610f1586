"""`tmws show ID|PATH`: one session, decision, report, pattern, skill or context document."""

from __future__ import annotations

from typing import Annotated

import typer

from hestai_tmws.cli import output
from hestai_tmws.cli.state import current_project
from hestai_tmws.cli.views import memory as view
from hestai_tmws.memory.show import show_record


def register(app: typer.Typer) -> None:
    @app.command("show")
    def show_command(
        ref: Annotated[
            str,
            typer.Argument(
                metavar="ID|PATH",
                help="Session id (8+ characters), decision number, pattern id, skill or "
                "document name, or a path inside .hestai/.",
            ),
        ],
        as_json: Annotated[bool, typer.Option("--json", help="Print the record as JSON.")] = False,
    ) -> None:
        """Show one session, decision, report, pattern, skill or context document readably."""

        record = output.run(lambda: show_record(current_project(), ref))
        if as_json:
            output.emit_json(record)
            return
        view.shown_record(record)
