"""`tmws search TEXT`: ranked full-text search over project memory, with snippets."""

from __future__ import annotations

from typing import Annotated

import typer

from hestai_tmws.cli import output
from hestai_tmws.cli.state import current_project
from hestai_tmws.cli.views import memory as view
from hestai_tmws.memory.search import DEFAULT_LIMIT, SEARCHABLE, search_memory


def register(app: typer.Typer) -> None:
    @app.command("search")
    def search_command(
        text: Annotated[
            str, typer.Argument(metavar="TEXT", help='Words to find; "a phrase" in quotes.')
        ],
        kind: Annotated[
            str | None,
            typer.Option(
                "--type", metavar="TYPE", help="Only one type: " + ", ".join(SEARCHABLE) + "."
            ),
        ] = None,
        since: Annotated[
            str | None,
            typer.Option("--since", metavar="YYYY-MM-DD", help="Only records dated on or after."),
        ] = None,
        limit: Annotated[
            int, typer.Option("--limit", "-n", metavar="N", help="At most N hits.")
        ] = DEFAULT_LIMIT,
        reindex: Annotated[
            bool, typer.Option("--reindex", help="Look at every file again (after hand edits).")
        ] = False,
        as_json: Annotated[bool, typer.Option("--json", help="Print the hits as JSON.")] = False,
    ) -> None:
        """Search project memory: sessions, decisions, context, reports, patterns and skills."""

        result = output.run(
            lambda: search_memory(
                current_project(), text, kind=kind, since=since, limit=limit, reindex=reindex
            )
        )
        if as_json:
            output.emit_json(result)
            return
        view.search_hits(result)
