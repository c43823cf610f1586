"""`tmws inject`: put the governance hub into `.hestai-sys/` (heal it when tampered)."""

from __future__ import annotations

from typing import Annotated

import typer

from hestai_tmws.cli import output
from hestai_tmws.cli.state import current_project
from hestai_tmws.cli.views import project as view
from hestai_tmws.governance.inject import inject


def register(app: typer.Typer) -> None:
    @app.command("inject")
    def inject_command(
        force: Annotated[
            bool, typer.Option("--force", help="Rebuild even when nothing changed.")
        ] = False,
        as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    ) -> None:
        """Inject governance (rules, agents, templates) read-only into .hestai-sys/."""

        result = output.run(lambda: inject(current_project(), force=force))
        if as_json:
            output.emit_json(result)
            return
        view.inject_result(result)
