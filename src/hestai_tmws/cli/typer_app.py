"""The `tmws` typer app, whose group imports a command's module only when that command runs.

`tmws --help` lists every command from the table in `cli.commands` without importing any
command module; `tmws status` imports the status command and its services, and nothing else.
That keeps imports at the top of every command module (no imports inside functions) and still
keeps each call's start-up to what it uses.
"""

from __future__ import annotations

import os
from importlib import import_module
from typing import Any

import typer
import typer.rich_utils
from typer.core import TyperGroup

from hestai_tmws.cli.commands import COMMANDS
from hestai_tmws.cli.root import root


def typer_app() -> typer.Typer:
    """The application: global options (`cli.root`) over the lazily loaded commands."""
    if os.environ.get("NO_COLOR"):  # typer's own help and usage errors: no styles either
        typer.rich_utils.COLOR_SYSTEM = None
    app = typer.Typer(
        name="tmws",
        help="hestai-tmws: git-native governance and project memory for AI coding agents.",
        no_args_is_help=True,
        rich_markup_mode="rich",
        pretty_exceptions_enable=False,
        cls=LazyCommandGroup,
    )
    app.callback()(root)
    return app


class LazyCommandGroup(TyperGroup):
    """A typer group whose sub-commands are built from their module on first use."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._loaded: dict[str, Any] = {}
        self._listing = False

    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        entry = COMMANDS.get(cmd_name)
        if entry is None:
            return None
        if self._listing:  # the help listing needs a name and a line, not the command
            return typer.core.TyperCommand(cmd_name, help=entry.help)
        if cmd_name not in self._loaded:
            self._loaded[cmd_name] = load_command(entry.module, cmd_name)
        return self._loaded[cmd_name]

    def format_help(self, ctx: Any, formatter: Any) -> None:
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False


def load_command(module_name: str, cmd_name: str) -> Any:
    """The click command `cmd_name` that `cli.<module_name>.register` defines."""
    holder = typer.Typer()
    import_module(f"hestai_tmws.cli.{module_name}").register(holder)
    group = typer.main.get_group(holder)
    command = group.commands.get(cmd_name)
    if command is None:
        raise LookupError(f"cli.{module_name} does not define the command {cmd_name!r}")
    return command
