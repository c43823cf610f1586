"""`tmws anchor`: restate your role's identity for the session; exit 3 when it does not match."""

from __future__ import annotations

from typing import Annotated

import typer

from hestai_tmws.cli import output
from hestai_tmws.cli.state import current_project
from hestai_tmws.cli.views import records as view
from hestai_tmws.errors import ExitCode
from hestai_tmws.sessions.anchor import submit_anchor


def register(app: typer.Typer) -> None:
    @app.command("anchor")
    def anchor_command(
        role: Annotated[str, typer.Option("--role", "-r", help="The role you work in.")],
        governance_version: Annotated[
            str,
            typer.Option("--governance-version", help="Version of the governance you read."),
        ],
        must_always: Annotated[
            list[str] | None,
            typer.Option("--must-always", help="A MUST_ALWAYS commitment in your words (repeat)."),
        ] = None,
        must_never: Annotated[
            list[str] | None,
            typer.Option("--must-never", help="A MUST_NEVER commitment in your words (repeat)."),
        ] = None,
        focus: Annotated[
            str | None, typer.Option("--focus", help="The goal of this session.")
        ] = None,
        session: Annotated[
            str | None, typer.Option("--session", help="Session id (default: the open one).")
        ] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    ) -> None:
        """Check your restated identity against the role definition and record it."""

        result = output.run(
            lambda: submit_anchor(
                current_project(),
                session_id=session,
                role=role,
                governance_version=governance_version,
                must_always=must_always or [],
                must_never=must_never or [],
                focus=focus,
            )
        )
        if as_json:
            output.emit_json(result)
        else:
            view.anchor_result(result)
        if not result.passed:
            output.exit_with(ExitCode.POLICY)
