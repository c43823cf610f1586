"""The command table matches the command modules: every command listed, with its own help line."""

from __future__ import annotations

from importlib import import_module

import typer

from hestai_tmws.cli.app import command_modules
from hestai_tmws.cli.commands import COMMANDS


def _defined_commands() -> dict[str, tuple[str, str]]:
    """Each top-level command a `*_cmd` module registers: name → (module, first help line)."""
    found: dict[str, tuple[str, str]] = {}
    for module in command_modules():
        holder = typer.Typer()
        import_module(f"hestai_tmws.cli.{module}").register(holder)
        for name, command in typer.main.get_group(holder).commands.items():
            first_line = (command.help or "").strip().splitlines()[0]
            found[name] = (module, first_line)
    return found


def test_every_command_is_in_the_table_with_its_own_module_and_help() -> None:
    defined = _defined_commands()
    assert set(COMMANDS) == set(defined)
    for name, entry in COMMANDS.items():
        assert (entry.module, entry.help) == defined[name], name


def test_single_commands_are_listed_before_groups() -> None:
    kinds = []
    for name, entry in COMMANDS.items():
        holder = typer.Typer()
        import_module(f"hestai_tmws.cli.{entry.module}").register(holder)
        command = typer.main.get_group(holder).commands[name]
        kinds.append(isinstance(command, typer.core.TyperGroup))
    assert kinds == sorted(kinds)
