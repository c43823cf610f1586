"""`tmws init`: create `.hestai/`, wire git, inject governance. Never overwrites memory."""

from __future__ import annotations

from typing import Annotated

import typer

from hestai_tmws.cli import output
from hestai_tmws.cli.state import current_project


def register(app: typer.Typer) -> None:
    @app.command("init")
    def init_command(
        no_stage: Annotated[
            bool, typer.Option("--no-stage", help="Do not `git add` the new files.")
        ] = False,
        as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    ) -> None:
        """Create the .hestai/ memory layout from the hub's templates (idempotent)."""
        from hestai_tmws.workflows.init import init_project

        result = output.run(lambda: init_project(current_project(), stage=not no_stage))
        if as_json:
            output.emit_json(result)
            return
        out = output.console()
        out.print(f"[bold]hestai-tmws[/] initialised {result.project}")
        out.print(
            f"  governance {result.governance_version} injected into .hestai-sys/ (read-only)"
        )
        for path in result.created:
            out.print(f"  [green]created[/] {path}")
        for path in result.folders:
            out.print(f"  [green]created[/] {path}")
        for path in result.kept:
            out.print(f"  [yellow]kept[/]    {path} (already there, not overwritten)")
        if result.gitignore_added:
            out.print(f"  .gitignore += {', '.join(result.gitignore_added)}")
        if result.gitattributes_added:
            out.print(f"  .gitattributes += {', '.join(result.gitattributes_added)}")
        if result.merge_driver:
            out.print("  registered the OCTAVE merge driver in .git/config")
