"""How `tmws clock-in` and `tmws clock-out` read: the full primer, then what was archived.

The primer's sections come from `workflows.primer` (the one place that builds the primer);
this module only lays them out for a person.
"""

from __future__ import annotations

from typing import Any

from hestai_tmws.cli import output
from hestai_tmws.workflows.clock_in import ClockInResult
from hestai_tmws.workflows.clock_out import ClockOutResult
from hestai_tmws.workflows.primer import full_sections


def section(out: Any, title: str, lines: list[str]) -> None:
    """A bold title and one bullet a line (nothing at all when there are no lines)."""
    if not lines:
        return
    out.print(f"\n[bold]{output.escape(title)}[/]", markup=True)
    for line in lines:
        out.print(f"  • {line}", markup=False, soft_wrap=True)


def clock_in_result(result: ClockInResult) -> None:
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
    for title, lines in full_sections(result.primer(), result.suggested_skills, result.notes):
        section(out, title, lines)
    out.print(f"\nclock out with: tmws clock-out --session {result.id8}", markup=False)


def clock_out_result(result: ClockOutResult) -> None:
    out = output.console()
    out.print(
        f"archived session {result.session_id} → {result.archive_path}",
        markup=False,
        soft_wrap=True,
    )
    out.print(
        f"{output.plural(result.tool_calls, 'tool call')} ({result.failed_calls} failed), "
        f"{output.plural(result.traces, 'trace')}, {output.plural(result.decisions, 'decision')}, "
        f"{output.plural(result.blockers, 'blocker')}, "
        f"{output.plural(result.learnings, 'learning')}; "
        f"transcript: {result.transcript or 'none'} ({result.transcript_source})",
        markup=False,
        soft_wrap=True,
    )
    if result.commit:
        out.print(f"committed {result.commit[:12]}", markup=False)
    elif result.staged:
        out.print(f"staged {len(result.staged)} file(s); commit them with your change")
    warnings = [n for n in result.notes if n.startswith("warning:")]
    for line in warnings:  # before the commit, where the person looks: not buried in Notes
        out.print(output.literal(line, "bold yellow"), soft_wrap=True)
    section(out, "Notes", [n for n in result.notes if n not in warnings])
