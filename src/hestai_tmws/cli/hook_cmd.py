"""`tmws hook claude|gemini|cursor <event>`: the agents' hook handlers (the hook's JSON on stdin).

`tmws integrate claude-code|gemini|cursor` writes these commands into each agent's settings.
Failures of tmws itself never block the agent: they are reported on stderr and the exit code
stays 0; Gemini's and Cursor's stdout is always one JSON object, as those agents require.
"""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

from hestai_tmws.cli.state import STATE
from hestai_tmws.integrations import agent_hooks
from hestai_tmws.integrations.claude.hooks import read_stdin, run
from hestai_tmws.integrations.claude.payload import HookOutcome


def _environ() -> dict[str, str]:
    environ = dict(os.environ)
    if STATE.project_dir is not None:
        environ["TMWS_PROJECT"] = str(STATE.project_dir)
    return environ


def _emit(outcome: HookOutcome) -> None:
    if outcome.stdout:
        sys.stdout.write(outcome.stdout)
        sys.stdout.flush()
    if outcome.stderr:
        sys.stderr.write(outcome.stderr)
    raise typer.Exit(outcome.exit_code)


def register(app: typer.Typer) -> None:
    sub = typer.Typer(
        help="Hook handlers for agent tools (read the hook's JSON on stdin).", no_args_is_help=True
    )

    @sub.command("claude")
    def claude_command(
        event: Annotated[
            str,
            typer.Argument(help="session-start, pre-tool-use, post-tool-use or session-end."),
        ],
    ) -> None:
        """Handle one Claude Code hook event."""

        _emit(run(event, read_stdin(), _environ()))

    @sub.command("gemini")
    def gemini_command(
        event: Annotated[
            str, typer.Argument(help="session-start, before-tool, after-tool or session-end.")
        ],
    ) -> None:
        """Handle one Gemini CLI hook event (prints one JSON object)."""

        _emit(agent_hooks.run("gemini", event, read_stdin(), _environ()))

    @sub.command("cursor")
    def cursor_command(
        event: Annotated[str, typer.Argument(help="after-shell-execution or after-file-edit.")],
    ) -> None:
        """Handle one Cursor hook event (prints one JSON object)."""

        _emit(agent_hooks.run("cursor", event, read_stdin(), _environ()))

    app.add_typer(sub, name="hook")
