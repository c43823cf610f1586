"""`tmws hook claude <event>`: the Claude Code hook handlers (reads the hook's JSON on stdin).

`tmws integrate claude-code` writes these commands into `.claude/settings.json`. Failures of
tmws itself never block the agent: they are reported on stderr and the exit code stays 0.
"""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

from hestai_tmws.cli.state import STATE
from hestai_tmws.integrations.claude.hooks import read_stdin, run


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

        environ = dict(os.environ)
        if STATE.project_dir is not None:
            environ["TMWS_PROJECT"] = str(STATE.project_dir)
        outcome = run(event, read_stdin(), environ)
        if outcome.stdout:
            sys.stdout.write(outcome.stdout)
            sys.stdout.flush()
        if outcome.stderr:
            sys.stderr.write(outcome.stderr)
        raise typer.Exit(outcome.exit_code)

    app.add_typer(sub, name="hook")
