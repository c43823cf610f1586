"""`tmws hub import SRC DEST`: convert a HestAI-MCP hub into a tmws hub that validates."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from hestai_tmws.cli import output
from hestai_tmws.cli.views import octave as view
from hestai_tmws.governance.hub_import import import_hub


def register(app: typer.Typer) -> None:
    sub = typer.Typer(help="Governance hubs: bring one over from HestAI-MCP.")
    app.add_typer(sub, name="hub", no_args_is_help=True)

    @sub.command("import")
    def import_command(
        src: Annotated[Path, typer.Argument(help="The HestAI-MCP hub (its _bundled_hub folder).")],
        dest: Annotated[Path, typer.Argument(help="A new folder for the tmws hub.")],
        as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    ) -> None:
        """Convert agents, keep rules and templates as reference, report what was dropped."""

        result = output.run(lambda: import_hub(src, dest))
        if as_json:
            output.emit_json(result)
        else:
            view.hub_import(result)
