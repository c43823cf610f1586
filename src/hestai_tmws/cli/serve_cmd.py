"""`tmws serve`: the stdio MCP server for Claude Code and other MCP clients."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from hestai_tmws.cli import output
from hestai_tmws.cli.state import STATE
from hestai_tmws.mcpserver.boot import serve


def register(app: typer.Typer) -> None:
    @app.command("serve")
    def serve_command(
        project: Annotated[
            Path | None,
            typer.Option(
                "--project",
                help="Project folder (default: global --project, $TMWS_PROJECT, current folder).",
            ),
        ] = None,
    ) -> None:
        """Run the MCP server over stdio (stdout is the protocol; logs go to stderr)."""

        target = project or STATE.project_dir
        output.run(lambda: serve(target))
