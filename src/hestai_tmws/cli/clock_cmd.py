"""`tmws clock-in` / `tmws clock-out`: open a session with its primer, archive and close it."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any

import typer

from hestai_tmws.cli import output
from hestai_tmws.cli.state import current_project


def register(app: typer.Typer) -> None:
    @app.command("clock-in")
    def clock_in_command(
        role: Annotated[
            str | None, typer.Option("--role", "-r", help="Agent role (default: the project's).")
        ] = None,
        focus: Annotated[
            str | None,
            typer.Option(
                "--focus", "-f", help="What this session is about (default: from the branch)."
            ),
        ] = None,
        working_dir: Annotated[
            Path | None, typer.Option("--working-dir", help="Folder the session works in.")
        ] = None,
        force: Annotated[
            bool, typer.Option("--force", help="Open even if another live session has this focus.")
        ] = False,
        transcript: Annotated[
            Path | None,
            typer.Option("--transcript", help="Transcript file of this session, if known."),
        ] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    ) -> None:
        """Open a session: heal governance, record it, and print what to read first."""
        from hestai_tmws.workflows.clock_in import clock_in

        result = output.run(
            lambda: clock_in(
                current_project(),
                role=role,
                focus=focus,
                working_dir=working_dir,
                force=force,
                transcript_path=transcript,
                pid=os.getppid(),  # the agent's shell outlives this command
            )
        )
        if as_json:
            output.emit_json(result)
            return
        out = output.console()
        out.print(
            f"session {result.session_id} ({result.role}) — focus: {result.focus} "
            f"({result.focus_source})",
            markup=False,
            soft_wrap=True,
        )
        out.print(
            f"branch {result.branch or '(detached)'} @ {(result.head or 'no commits')[:12]}; "
            f"governance {result.governance_version or '?'}",
            markup=False,
            soft_wrap=True,
        )
        if result.north_star_summary:
            out.print("\n[bold]North star[/]", markup=True)
            out.print(result.north_star_summary, markup=False, soft_wrap=True)
        _section(out, "Read first", result.context_files)
        _section(out, "Open checklist items", result.open_checklist_items)
        _section(
            out,
            "Recent learnings",
            [f"{item.date} {item.session}: {item.text}" for item in result.recent_learnings],
        )
        _section(
            out,
            "Suggested skills",
            [_skill_line(s) for s in result.suggested_skills] or ["(none yet)"],
        )
        _section(out, "Notes", result.notes)
        out.print(f"\nclock out with: tmws clock-out --session {result.id8}", soft_wrap=True)

    @app.command("clock-out")
    def clock_out_command(
        session: Annotated[
            str | None,
            typer.Option("--session", "-s", help="Session id (default: the only open one)."),
        ] = None,
        transcript: Annotated[
            Path | None,
            typer.Option("--transcript", help="Transcript to archive (default: found)."),
        ] = None,
        summary: Annotated[
            str | None, typer.Option("--summary", help="What the session did.")
        ] = None,
        decision: Annotated[
            list[str] | None, typer.Option("--decision", help="A decision (repeatable).")
        ] = None,
        blocker: Annotated[
            list[str] | None, typer.Option("--blocker", help="A blocker (repeatable).")
        ] = None,
        learning: Annotated[
            list[str] | None, typer.Option("--learning", help="A learning (repeatable).")
        ] = None,
        commit: Annotated[
            bool, typer.Option("--commit", help="Commit the archived files.")
        ] = False,
        no_learn: Annotated[
            bool, typer.Option("--no-learn", help="Skip the learning step.")
        ] = False,
        as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    ) -> None:
        """Archive the session (every tool call, redacted), update memory, and close it."""
        from hestai_tmws.workflows.clock_out import clock_out

        result = output.run(
            lambda: clock_out(
                current_project(),
                session_id=session,
                transcript=transcript,
                summary=summary,
                decisions=tuple(decision or ()),
                blockers=tuple(blocker or ()),
                learnings=tuple(learning or ()),
                commit=commit,
                learn=not no_learn,
            )
        )
        if as_json:
            output.emit_json(result)
            return
        out = output.console()
        out.print(
            f"archived session {result.session_id} → {result.archive_path}",
            markup=False,
            soft_wrap=True,
        )
        out.print(
            f"{result.tool_calls} tool calls ({result.failed_calls} failed), "
            f"{result.traces} traces, {result.decisions} decisions, "
            f"{result.blockers} blockers, {result.learnings} learnings; "
            f"transcript: {result.transcript or 'none'} ({result.transcript_source})",
            markup=False,
            soft_wrap=True,
        )
        if result.commit:
            out.print(f"committed {result.commit[:12]}")
        elif result.staged:
            out.print(f"staged {len(result.staged)} file(s); commit them with your change")
        _section(out, "Notes", result.notes)


def _section(out: Any, title: str, lines: list[str]) -> None:
    if not lines:
        return
    out.print(f"\n[bold]{title}[/]", markup=True)
    for line in lines:
        out.print(f"  • {line}", markup=False, soft_wrap=True)


def _skill_line(skill: dict[str, object]) -> str:
    name = skill.get("name") or skill.get("skill") or skill.get("id") or "?"
    why = skill.get("description") or skill.get("reason") or ""
    return f"{name}: {why}" if why else str(name)
