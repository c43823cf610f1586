"""`tmws learn …`: mine patterns, review them, promote skills, suggest and take feedback.

Each command parses its options, calls one learning service and renders the result
(`cli.views.learn`, or the model itself with `--json`). The services are imported when the
command runs, so that `tmws` itself starts fast.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any

import typer

from hestai_tmws.cli import output
from hestai_tmws.cli.state import current_project
from hestai_tmws.cli.views import learn as views
from hestai_tmws.errors import UsageError
from hestai_tmws.learning.core.states import parse_state
from hestai_tmws.learning.export import export_skills, export_target
from hestai_tmws.learning.feedback import record_feedback
from hestai_tmws.learning.pipeline import run_mine
from hestai_tmws.learning.promote import promote_as
from hestai_tmws.learning.prune import prune
from hestai_tmws.learning.review import decide
from hestai_tmws.learning.status import (
    get_sops,
    learning_status,
    list_patterns,
    list_skills,
    show_pattern,
)
from hestai_tmws.learning.suggest import suggest_skills

if TYPE_CHECKING:
    from hestai_tmws.learning.export import ExportResult
    from hestai_tmws.learning.pipeline import Mode
    from hestai_tmws.learning.review import Decision

JsonOpt = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]
ActorOpt = Annotated[str | None, typer.Option("--as", help="Who decides (default: git user.name).")]
PatternArg = Annotated[str, typer.Argument(help="Pattern id, id prefix or skill name.")]
ReasonOpt = Annotated[str, typer.Option("--reason", help="Why (kept in history).")]


def _show(result: Any, as_json: bool, render: Callable[[Any], None]) -> None:
    """`--json`: the result model as it is; otherwise its text rendering."""
    if as_json:
        output.emit_json(result)
    else:
        render(result)


def mine_command(
    incremental: Annotated[
        bool,
        typer.Option("--incremental", help="Only fold new archives into known patterns."),
    ] = False,
    explain: Annotated[
        bool,
        typer.Option("--explain", help="Show the nearest candidates and the check each failed."),
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Mine every session archive for recurring tool sequences; update pattern records."""

    bar = views.ProgressBar(enabled=not as_json)
    mode: Mode = "incremental" if incremental else "full"
    try:
        report = output.run(
            lambda: run_mine(current_project(), mode=mode, progress=bar.update, explain=explain)
        )
    finally:
        bar.close()
    _show(report, as_json, views.mine_report)


def status_command(as_json: JsonOpt = False) -> None:
    """Patterns by state, skills, suggestions, feedback and the last run."""

    _show(output.run(lambda: learning_status(current_project())), as_json, views.learning_status)


def patterns_command(
    state: Annotated[
        str | None, typer.Option("--state", help="Only this state (e.g. VALIDATED).")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """List pattern records, best supported first."""

    try:
        wanted = parse_state(state) if state else None
    except UsageError as exc:
        output.fail(exc)
    result = output.run(lambda: list_patterns(current_project(), wanted))
    _show(result, as_json, views.pattern_list)


def show_command(pattern_id: PatternArg, as_json: JsonOpt = False) -> None:
    """One pattern: state, statistics, evidence, checks and history."""

    record = output.run(lambda: show_pattern(current_project(), pattern_id))
    _show(record, as_json, views.pattern_record)


def approve_command(
    pattern_id: PatternArg,
    reason: ReasonOpt = "",
    actor: ActorOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Approve a VALIDATED pattern (a person's decision)."""
    _review("approve", pattern_id, actor, reason, as_json)


def reject_command(
    pattern_id: PatternArg,
    reason: ReasonOpt = "",
    actor: ActorOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Reject a pattern (only where the life cycle allows it)."""
    _review("reject", pattern_id, actor, reason, as_json)


def deprecate_command(
    pattern_id: PatternArg,
    reason: ReasonOpt = "",
    actor: ActorOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Deprecate a PROMOTED pattern and remove its skill file."""
    _review("deprecate", pattern_id, actor, reason, as_json)


def _review(verb: Decision, pattern_id: str, actor: str | None, reason: str, as_json: bool) -> None:
    """Run one person's review decision (approve, reject, deprecate) and show the result."""

    result = output.run(
        lambda: decide(current_project(), verb, pattern_id, person=actor, reason=reason)
    )
    _show(result, as_json, views.transition)


def promote_command(
    pattern_id: Annotated[
        str | None, typer.Argument(help="One approved pattern (default: every approved).")
    ] = None,
    actor: ActorOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Turn APPROVED patterns into skills (.hestai/learning/skills/<name>/SKILL.md)."""

    result = output.run(lambda: promote_as(current_project(), pattern_id, person=actor))
    _show(result, as_json, views.promoted)


def skills_command(as_json: JsonOpt = False) -> None:
    """Promoted skills with their suggestion, use and feedback numbers."""

    _show(output.run(lambda: list_skills(current_project())), as_json, views.skill_list)


def suggest_command(
    task: Annotated[str, typer.Argument(help="What you are about to do.")],
    limit: Annotated[int, typer.Option("--limit", min=1, max=10)] = 3,
    record: Annotated[
        bool, typer.Option("--record", help="Record the suggestions as events.")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Suggest skills for a task (BM25 over the skills, weighted by feedback)."""

    batch = output.run(
        lambda: suggest_skills(current_project(), task, limit, record=record, source="cli")
    )
    _show(batch, as_json, views.suggestions)


def feedback_command(
    suggestion_id: Annotated[str, typer.Argument(help="A suggestion id (sg-…).")],
    helpful: Annotated[bool, typer.Option("--helpful/--not-helpful", help="Did the skill help?")],
    notes: Annotated[str | None, typer.Option("--notes", help="Why, briefly.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Record whether a suggested skill helped."""

    result = output.run(lambda: record_feedback(current_project(), suggestion_id, helpful, notes))
    _show(result, as_json, views.feedback)


def export_command(
    claude: Annotated[
        bool, typer.Option("--claude", help="Copy skills to .claude/skills/.")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Export promoted skills for an agent (`--claude`: Claude Code's .claude/skills/)."""

    def action() -> ExportResult:
        target = export_target(claude=claude)  # a usage error comes before the project
        return export_skills(current_project(), target)

    result = output.run(action)
    _show(result, as_json, views.exported)


def prune_command(
    older_than_days: Annotated[
        int, typer.Option("--older-than-days", min=0, help="Age of a rejection to prune.")
    ] = 30,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Only list them.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Remove rejected pattern records older than 30 days (git history keeps them)."""

    result = output.run(
        lambda: prune(current_project(), older_than_days=older_than_days, dry_run=dry_run)
    )
    _show(result, as_json, views.pruned)


def sops_command(
    trigger: Annotated[str, typer.Argument(help="Words naming the work.")] = "",
    min_confidence: Annotated[float, typer.Option("--min-confidence")] = 0.0,
    limit: Annotated[int, typer.Option("--limit", min=1)] = 5,
    as_json: JsonOpt = False,
) -> None:
    """SOP drafts of validated, approved and promoted patterns."""

    result = output.run(lambda: get_sops(current_project(), trigger, min_confidence, limit))
    _show(result, as_json, views.sops)


# The order is the order of `tmws learn --help` and of the CLI reference.
COMMANDS: tuple[tuple[str, Callable[..., None]], ...] = (
    ("mine", mine_command),
    ("status", status_command),
    ("patterns", patterns_command),
    ("show", show_command),
    ("approve", approve_command),
    ("reject", reject_command),
    ("deprecate", deprecate_command),
    ("promote", promote_command),
    ("skills", skills_command),
    ("suggest", suggest_command),
    ("feedback", feedback_command),
    ("export", export_command),
    ("prune", prune_command),
    ("sops", sops_command),
)


def register(app: typer.Typer) -> None:
    sub = typer.Typer(
        help="The learning loop: mined workflow patterns, skills and suggestions.",
        no_args_is_help=True,
    )
    app.add_typer(sub, name="learn")
    for name, command in COMMANDS:
        sub.command(name)(command)
