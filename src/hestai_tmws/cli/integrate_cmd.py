"""`tmws integrate claude-code|codex|gemini|cursor`: register tmws in each agent's own config
(merge, never clobber; --dry-run shows the diff; a second run changes nothing; --remove)."""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import Annotated

import typer

from hestai_tmws.cli import output
from hestai_tmws.cli.state import current_project
from hestai_tmws.cli.views import integrate as view
from hestai_tmws.integrations.agents import integrate_agent
from hestai_tmws.integrations.claude.settings import Launcher, integrate_claude_code


class LauncherChoice(StrEnum):
    auto = "auto"
    tmws = "tmws"
    python = "python"


DryRun = Annotated[
    bool, typer.Option("--dry-run", help="Show the change as a unified diff; write nothing.")
]
Remove = Annotated[bool, typer.Option("--remove", help="Take every tmws entry out again.")]
AsJson = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]
LauncherOption = Annotated[
    LauncherChoice,
    typer.Option(
        "--launcher",
        help="How the agent starts tmws: `tmws …` (needs tmws on PATH), this Python with `-m`, "
        "or auto (tmws when it is on PATH).",
    ),
]


def _launcher(choice: LauncherChoice) -> Launcher | None:
    return {
        LauncherChoice.auto: None,
        LauncherChoice.tmws: Launcher(
            hook_prefix=["tmws", "hook", "claude"], server_command="tmws", server_args=["serve"]
        ),
        LauncherChoice.python: Launcher.python(sys.executable),
    }[choice]


NoHooks = Annotated[
    bool,
    typer.Option("--no-hooks", help="Only the MCP server and AGENTS.md; no hook entries."),
]


def _agent_command(app: typer.Typer, agent: str, summary: str) -> None:
    def command(
        dry_run: DryRun = False,
        remove: Remove = False,
        launcher: LauncherOption = LauncherChoice.auto,
        no_hooks: NoHooks = False,
        as_json: AsJson = False,
    ) -> None:
        result = output.run(
            lambda: integrate_agent(
                agent,
                current_project().root,
                dry_run=dry_run,
                remove=remove,
                launcher=_launcher(launcher),
                hooks=not no_hooks,
            )
        )
        if as_json:
            output.emit_json(result)
            return
        view.integration_result(result, dry_run=dry_run)

    command.__doc__ = summary
    app.command(agent)(command)


def register(app: typer.Typer) -> None:
    sub = typer.Typer(help="Connect tmws to agent tools.", no_args_is_help=True)

    @sub.command("claude-code")
    def claude_code_command(
        dry_run: DryRun = False,
        launcher: LauncherOption = LauncherChoice.auto,
        local: Annotated[
            bool,
            typer.Option("--local", help="Write .claude/settings.local.json (yours, uncommitted)."),
        ] = False,
        allow_tools: Annotated[
            bool,
            typer.Option("--allow-tools", help="Pre-approve every tmws tool (mcp__tmws__*)."),
        ] = False,
        remove: Remove = False,
        as_json: AsJson = False,
    ) -> None:
        """Add the tmws hooks and MCP server for Claude Code, keeping what is there (idempotent)."""

        result = output.run(
            lambda: integrate_claude_code(
                current_project().root,
                dry_run=dry_run,
                launcher=_launcher(launcher),
                local=local,
                allow_tools=allow_tools,
                remove=remove,
            )
        )
        if as_json:
            output.emit_json(result)
            return
        view.integration_result(result, dry_run=dry_run)

    _agent_command(
        sub, "codex", "Register tmws in .codex/config.toml and AGENTS.md for OpenAI Codex CLI."
    )
    _agent_command(
        sub,
        "gemini",
        "Register tmws and its hooks in .gemini/settings.json, and AGENTS.md, for Gemini CLI.",
    )
    _agent_command(
        sub,
        "cursor",
        "Register tmws in .cursor/mcp.json, its hooks in .cursor/hooks.json, and AGENTS.md.",
    )
    app.add_typer(sub, name="integrate")
