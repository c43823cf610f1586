"""`tmws migrate hestai-mcp [--dry-run]`: take over a HestAI-MCP project's `.hestai/`."""

from __future__ import annotations

from typing import Annotated

import typer

from hestai_tmws.cli import output
from hestai_tmws.cli.state import current_project
from hestai_tmws.cli.views import octave as view
from hestai_tmws.workflows.migrate_hestai import migrate_hestai_mcp


def register(app: typer.Typer) -> None:
    sub = typer.Typer(help="Take over the memory of another tool, losing nothing.")
    app.add_typer(sub, name="migrate", no_args_is_help=True)

    @sub.command("hestai-mcp")
    def hestai_mcp_command(
        dry_run: Annotated[
            bool, typer.Option("--dry-run", help="Show where every file would go; write nothing.")
        ] = False,
        as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    ) -> None:
        """Move a HestAI-MCP .hestai/ to tmws names; what has no home goes to legacy/."""

        result = output.run(lambda: migrate_hestai_mcp(current_project(), dry_run=dry_run))
        if as_json:
            output.emit_json(result)
        else:
            view.migration(result)
