"""`tmws hooks install|uninstall|status`: the git pre-commit hook that runs the guard."""

from __future__ import annotations

from typing import Annotated

import typer

from hestai_tmws.cli import output
from hestai_tmws.cli.state import current_project


def register(app: typer.Typer) -> None:
    sub = typer.Typer(
        help="Install or remove the guard's git pre-commit hook.", no_args_is_help=True
    )
    app.add_typer(sub, name="hooks")

    @sub.command("install")
    def install_command(
        python: Annotated[
            str | None,
            typer.Option("--python", help="Interpreter the hook runs (default: this one)."),
        ] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    ) -> None:
        """Install the hook; an existing hook is kept and run first (chained)."""
        from hestai_tmws.guard.hooks_install import install_hook

        result = output.run(lambda: install_hook(current_project(), python=python))
        if as_json:
            output.emit_json(result)
            return
        out = output.console()
        out.print(f"pre-commit hook {result.action}: {result.hook_path}")
        out.print(f"  runs the guard with {result.python}")
        if result.chained:
            out.print(f"  runs the earlier hook first: {result.chained}")

    @sub.command("uninstall")
    def uninstall_command(
        as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    ) -> None:
        """Remove the hook and put back the hook it chained, if any."""
        from hestai_tmws.guard.hooks_install import uninstall_hook

        result = output.run(lambda: uninstall_hook(current_project()))
        if as_json:
            output.emit_json(result)
            return
        out = output.console()
        if result.action == "not-installed":
            out.print(f"no tmws hook at {result.hook_path}; nothing changed")
        elif result.action == "restored":
            out.print(f"removed the tmws hook; restored the earlier hook at {result.restored}")
        else:
            out.print(f"removed the tmws hook {result.hook_path}")

    @sub.command("status")
    def status_command(
        as_json: Annotated[bool, typer.Option("--json", help="Print the status as JSON.")] = False,
    ) -> None:
        """Is the hook installed, current, and able to find its interpreter?"""
        from hestai_tmws.guard.hooks_install import hook_status

        status = output.run(lambda: hook_status(current_project()))
        if as_json:
            output.emit_json(status)
            return
        out = output.console()
        if not status.installed:
            other = " (another tool's hook is there)" if status.foreign_hook else ""
            out.print(f"[red]not installed[/]: {status.hook_path}{other}; run `tmws hooks install`")
            return
        state = "[green]current[/]" if status.current else "[yellow]outdated[/]"
        out.print(f"installed, {state}: {status.hook_path}")
        ok = "[green]ok[/]" if status.python_ok else "[red]cannot run the guard[/]"
        out.print(f"  interpreter {status.python}: {ok}")
        if status.chained:
            out.print(f"  chained hook: {status.chained}")
