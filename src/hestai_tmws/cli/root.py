"""The global options of `tmws` (the app callback), in a module that may import typer eagerly."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from hestai_tmws.cli import output
from hestai_tmws.cli.commands import GLOBAL_OPTIONS as OPTIONS
from hestai_tmws.cli.state import STATE
from hestai_tmws.cli.version import version_line


def _version_callback(value: bool) -> None:
    if value:
        sys.stdout.write(version_line())
        raise typer.Exit()


def root(
    project: Annotated[
        Path | None,
        typer.Option(
            OPTIONS["project"].long, OPTIONS["project"].short, help=OPTIONS["project"].help
        ),
    ] = None,
    debug: Annotated[bool, typer.Option(OPTIONS["debug"].long, help=OPTIONS["debug"].help)] = False,
    version: Annotated[
        bool,
        typer.Option(
            OPTIONS["version"].long,
            callback=_version_callback,
            is_eager=True,
            help=OPTIONS["version"].help,
        ),
    ] = False,
) -> None:
    """Keep AI agents' context, decisions and rules in git, written only by the Steward."""
    STATE.project_dir = project
    STATE.debug = debug
    output.set_debug(debug)
