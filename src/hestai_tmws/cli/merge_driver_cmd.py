"""`tmws merge-driver %O %A %B %P`: the OCTAVE 3-way merge git calls for `.hestai/**/*.oct.md`.

Registered by `tmws init` as `merge.tmws-octave.driver`. Exit 0: merged cleanly (and recorded
in the ledger so the merge commit passes the guard); exit 1: conflict markers were written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from hestai_tmws.cli import output
from hestai_tmws.cli.state import STATE
from hestai_tmws.guard.merge_driver import run_driver
from hestai_tmws.project import Project


def register(app: typer.Typer) -> None:
    @app.command("merge-driver")
    def merge_driver_command(
        base: Annotated[str, typer.Argument(help="%O: the common ancestor's version.")],
        ours: Annotated[str, typer.Argument(help="%A: our version; receives the result.")],
        theirs: Annotated[str, typer.Argument(help="%B: their version.")],
        path: Annotated[str, typer.Argument(help="%P: the path in the repository.")],
    ) -> None:
        """Merge an OCTAVE document key by key (git calls this; not for direct use)."""

        code = output.run(
            lambda: run_driver(
                Project.discover(STATE.project_dir or Path.cwd()), base, ours, theirs, path
            )
        )
        if code:
            raise typer.Exit(code)
