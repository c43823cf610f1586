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
from typer.core import TyperArgument, TyperGroup, TyperOption

from hestai_tmws.cli.commands import APP_HELP, COMMANDS
from hestai_tmws.cli.examples import epilog
from hestai_tmws.cli.root import root


def typer_app() -> typer.Typer:
    """The application: global options (`cli.root`) over the lazily loaded commands."""
    if os.environ.get("NO_COLOR"):  # typer's own help and usage errors: no styles either
        typer.rich_utils.COLOR_SYSTEM = None
    app = typer.Typer(
        name="tmws",
        help=APP_HELP,
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
        plain_metavars(self)  # the global options (the commands are done when loaded)
        self.epilog = epilog("")
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
        plain_params(self.get_params(ctx))  # typer adds the completion options late
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
    plain_metavars(command)
    add_examples(command, cmd_name)
    return command


def add_examples(command: Any, path: str) -> None:
    """End the help of `command` (and of its sub-commands) with its examples (`cli.examples`)."""
    command.epilog = epilog(path) or command.epilog
    for name, sub in getattr(command, "commands", {}).items():
        add_examples(sub, f"{path} {name}")


# Python types as typer names them → what `--help` shows for a value (as `gh` and `uv` do)
METAVARS = {
    "str": "TEXT",
    "int": "N",
    "int range": "N",  # the range itself is in the help text (`[1<=x<=10]`)
    "float": "NUMBER",
    "float range": "NUMBER",
    "path": "PATH",
    "Path": "PATH",
}


def _metavar(param: TyperOption) -> str:
    try:
        shown = str(param.display_type(None))  # type: ignore[arg-type]
    except Exception:  # a type typer cannot name without a context: say "value"
        return "VALUE"
    shown = shown.strip("<>")
    if shown.startswith("list[") and shown.endswith("]"):
        shown = shown[5:-1]  # a repeatable option: one value per use
    if "|" in shown:
        return shown  # choices, as typed
    return METAVARS.get(shown.lower() if shown.lower().endswith(" range") else shown, shown.upper())


def _flag_help(original: Any) -> Any:
    def get_help_option(ctx: Any) -> Any:
        option = original(ctx)
        if option is not None and option.metavar is None:
            option.metavar = ""
        return option

    return get_help_option


def _no_type(ctx: Any) -> None:
    return None


def plain_metavars(command: Any) -> None:
    """Give every option and argument of `command` (and its sub-commands) a real metavar.

    Typer shows Python types (`<bool>`, `<str>`, `<list[str]>`) where an option has none; a
    flag takes no value, so it shows nothing, and a value shows what to type. An argument's
    type column is dropped: its name (the metavar) already says what it is.
    """
    if hasattr(command, "get_help_option"):
        command.get_help_option = _flag_help(command.get_help_option)
    plain_params(getattr(command, "params", ()))
    for sub in getattr(command, "commands", {}).values():
        plain_metavars(sub)


def plain_params(params: Any) -> None:
    for param in params:
        if isinstance(param, TyperOption):
            if param.metavar is None:
                param.metavar = "" if param.is_flag else _metavar(param)
        elif isinstance(param, TyperArgument):
            param.display_type_rich = _no_type  # type: ignore[method-assign]
            if param.metavar is None and param.name:  # `suggestion_id` → SUGGESTION_ID, as usage
                param.metavar = param.name.upper()
