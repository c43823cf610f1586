"""`tmws integrate claude-code`: write or merge `.claude/settings.json` hooks and `.mcp.json`."""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import Annotated

import typer

from hestai_tmws.cli import output
from hestai_tmws.cli.state import current_project
from hestai_tmws.cli.views import integrate as view
from hestai_tmws.integrations.claude.settings import Launcher, integrate_claude_code


class LauncherChoice(StrEnum):
    auto = "auto"
    tmws = "tmws"
    python = "python"


def register(app: typer.Typer) -> None:
    sub = typer.Typer(help="Connect tmws to agent tools.", no_args_is_help=True)

    @sub.command("claude-code")
    def claude_code_command(
        dry_run: Annotated[
            bool,
            typer.Option("--dry-run", help="Show the change as a unified diff; write nothing."),
        ] = False,
        launcher: Annotated[
            LauncherChoice,
            typer.Option(
                "--launcher",
                help="How Claude Code starts tmws: `tmws …` (needs tmws on PATH), this Python "
                "with `-m`, or auto (tmws when it is on PATH).",
            ),
        ] = LauncherChoice.auto,
        as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    ) -> None:
        """Add the tmws hooks and MCP server for Claude Code, keeping what is there (idempotent)."""

        chosen = {
            LauncherChoice.auto: None,
            LauncherChoice.tmws: Launcher(
                hook_prefix=["tmws", "hook", "claude"], server_command="tmws", server_args=["serve"]
            ),
            LauncherChoice.python: Launcher.python(sys.executable),
        }[launcher]
        result = output.run(
            lambda: integrate_claude_code(current_project().root, dry_run=dry_run, launcher=chosen)
        )
        if as_json:
            output.emit_json(result)
            return
        view.integration_result(result, dry_run=dry_run)

    app.add_typer(sub, name="integrate")
