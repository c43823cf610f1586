"""`tmws hooks install|uninstall|status`: the git pre-commit hook that runs the guard."""

from __future__ import annotations

from typing import Annotated

import typer

from hestai_tmws.cli import output
from hestai_tmws.cli.state import current_project
from hestai_tmws.cli.views import guard as view
from hestai_tmws.errors import ExitCode
from hestai_tmws.guard.hooks_install import hook_status, install_hook, uninstall_hook


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

        result = output.run(lambda: install_hook(current_project(), python=python))
        if as_json:
            output.emit_json(result)
            return
        view.hook_installed(result)

    @sub.command("uninstall")
    def uninstall_command(
        as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    ) -> None:
        """Remove the hook and put back the hook it chained, if any."""

        result = output.run(lambda: uninstall_hook(current_project()))
        if as_json:
            output.emit_json(result)
            return
        view.hook_uninstalled(result)

    @sub.command("status")
    def status_command(
        as_json: Annotated[bool, typer.Option("--json", help="Print the status as JSON.")] = False,
    ) -> None:
        """Is the hook installed, current, and able to find its interpreter?

        Exits 1 when the guard would not run at commit time (no hook, or its interpreter
        cannot import hestai_tmws), so scripts and CI can rely on the exit code.
        """

        status = output.run(lambda: hook_status(current_project()))
        if as_json:
            output.emit_json(status)
        else:
            view.show_hook_status(status)
        if not (status.installed and status.python_ok):
            output.exit_with(ExitCode.ERROR)
