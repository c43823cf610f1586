"""`tmws learn …`: mine patterns, review them, promote skills, suggest and take feedback."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from hestai_tmws.cli import output
from hestai_tmws.cli.state import current_project

JsonOpt = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]
ActorOpt = Annotated[str | None, typer.Option("--as", help="Who decides (default: git user.name).")]
PROGRESS_FROM = 50  # archives to parse before a progress bar is worth showing


def register(app: typer.Typer) -> None:
    sub = typer.Typer(
        help="The learning loop: mined workflow patterns, skills and suggestions.",
        no_args_is_help=True,
    )
    app.add_typer(sub, name="learn")

    @sub.command("mine")
    def mine_command(
        incremental: Annotated[
            bool,
            typer.Option("--incremental", help="Only fold new archives into known patterns."),
        ] = False,
        as_json: JsonOpt = False,
    ) -> None:
        """Mine every session archive for recurring tool sequences; update pattern records."""
        from hestai_tmws.learning.pipeline import run_mine

        bar = _ProgressBar(enabled=not as_json)
        try:
            report = output.run(
                lambda: run_mine(
                    current_project(),
                    mode="incremental" if incremental else "full",
                    progress=bar.update,
                )
            )
        finally:
            bar.close()
        if as_json:
            output.emit_json(report)
            return
        out = output.console()
        out.print(
            f"{report.mode} mine: {report.archives} archives ({report.archives_read} read, "
            f"{report.archives_cached} cached), {report.sessions} sessions, "
            f"{report.calls} tool calls → {report.patterns} patterns "
            f"({len(report.created)} new, {len(report.updated)} updated) "
            f"in {report.elapsed_ms / 1000:.2f} s",
            markup=False,
            soft_wrap=True,
        )
        for move in report.transitions:
            origin = move.from_state.value if move.from_state else "NEW"
            out.print(
                f"  {move.pattern_id}: {origin} → {move.to_state.value}  {move.reason}",
                markup=False,
                soft_wrap=True,
            )
        for rel, why in report.unreadable.items():
            out.print(f"  unreadable {rel}: {why}", markup=False, soft_wrap=True)
        for note in report.notes:
            out.print(f"  note: {note}", markup=False, soft_wrap=True)

    @sub.command("status")
    def status_command(as_json: JsonOpt = False) -> None:
        """Patterns by state, skills, suggestions, feedback and the last run."""
        from hestai_tmws.learning.status import learning_status

        status = output.run(lambda: learning_status(current_project()))
        if as_json:
            output.emit_json(status)
            return
        out = output.console()
        states = ", ".join(f"{k.lower()} {v}" for k, v in status.by_state.items() if v)
        out.print(
            f"{status.archives} archives; {status.patterns} patterns ({states or 'none'}); "
            f"{status.skills} skills; {status.suggestions} suggestions, {status.used} used, "
            f"{status.feedback} rated",
            markup=False,
            soft_wrap=True,
        )
        if status.last_run:
            run = status.last_run
            out.print(
                f"last run: {run.get('mode', '?')} at {run.get('at', '?')} "
                f"({run.get('patterns', 0)} patterns)",
                markup=False,
            )
        for slug in status.flagged_skills:
            out.print(f"flagged for deprecation: {slug}", markup=False)
        for rel, why in {**status.broken_records, **status.broken_skills}.items():
            out.print(f"unreadable {rel}: {why}", markup=False, soft_wrap=True)
        for note in status.notes:
            out.print(f"note: {note}", markup=False, soft_wrap=True)

    @sub.command("patterns")
    def patterns_command(
        state: Annotated[
            str | None, typer.Option("--state", help="Only this state (e.g. VALIDATED).")
        ] = None,
        as_json: JsonOpt = False,
    ) -> None:
        """List pattern records, best supported first."""
        from hestai_tmws.learning.core.states import PatternState
        from hestai_tmws.learning.status import list_patterns

        wanted = _state(state, PatternState) if state else None
        result = output.run(lambda: list_patterns(current_project(), wanted))
        if as_json:
            output.emit_json(result)
            return
        from rich.table import Table

        table = Table(title="Patterns", show_lines=False)
        for col in ("id", "state", "support", "days", "success", "conf.", "steps"):
            table.add_column(col)
        for p in result.patterns:
            table.add_row(
                p.id,
                p.state.value,
                str(p.support),
                str(p.days),
                f"{p.success_rate:.0%}",
                f"{p.confidence:.2f}",
                p.chain,
            )
        out = output.console()
        if result.patterns:
            out.print(table)
        else:
            out.print("no pattern records yet (`tmws learn mine` looks for them)")
        for rel, why in result.broken.items():
            out.print(f"unreadable {rel}: {why}", markup=False, soft_wrap=True)

    @sub.command("show")
    def show_command(
        pattern_id: Annotated[str, typer.Argument(help="Pattern id, id prefix or skill name.")],
        as_json: JsonOpt = False,
    ) -> None:
        """One pattern: state, statistics, evidence, checks and history."""
        from hestai_tmws.learning.status import show_pattern

        record = output.run(lambda: show_pattern(current_project(), pattern_id))
        if as_json:
            output.emit_json(record)
            return
        out = output.console()
        s = record.stats
        out.print(f"{record.id} — {record.state.value}", markup=False)
        out.print(f"steps: {record.chain}", markup=False, soft_wrap=True)
        out.print(
            f"support {s.support} sessions on {len(s.days)} days "
            f"({s.first_seen} → {s.last_seen}); success {s.successes}/{s.outcomes_known}; "
            f"confidence {s.confidence:.2f}; lift {s.lift:.1f}; stability {s.stability:.2f}",
            markup=False,
            soft_wrap=True,
        )
        if record.skill:
            out.print(f"skill: .hestai/{record.skill}", markup=False)
        if record.validation is not None:
            for check in record.validation.checks:
                mark = "pass" if check.passed else "FAIL"
                out.print(f"  {check.code} {mark}: {check.reason}", markup=False, soft_wrap=True)
        out.print("evidence: " + ", ".join(record.evidence), markup=False, soft_wrap=True)
        for h in record.history:
            origin = h.from_state.value if h.from_state else "NEW"
            out.print(
                f"  {h.at:%Y-%m-%d %H:%M} {origin} → {h.to_state.value} by {h.actor}"
                + (f": {h.reason}" if h.reason else ""),
                markup=False,
                soft_wrap=True,
            )

    @sub.command("approve")
    def approve_command(
        pattern_id: Annotated[str, typer.Argument(help="Pattern id, id prefix or skill name.")],
        reason: Annotated[str, typer.Option("--reason", help="Why (kept in history).")] = "",
        actor: ActorOpt = None,
        as_json: JsonOpt = False,
    ) -> None:
        """Approve a VALIDATED pattern (a person's decision)."""
        _review("approve", pattern_id, actor, reason, as_json)

    @sub.command("reject")
    def reject_command(
        pattern_id: Annotated[str, typer.Argument(help="Pattern id, id prefix or skill name.")],
        reason: Annotated[str, typer.Option("--reason", help="Why (kept in history).")] = "",
        actor: ActorOpt = None,
        as_json: JsonOpt = False,
    ) -> None:
        """Reject a pattern (only where the life cycle allows it)."""
        _review("reject", pattern_id, actor, reason, as_json)

    @sub.command("deprecate")
    def deprecate_command(
        pattern_id: Annotated[str, typer.Argument(help="Pattern id, id prefix or skill name.")],
        reason: Annotated[str, typer.Option("--reason", help="Why (kept in history).")] = "",
        actor: ActorOpt = None,
        as_json: JsonOpt = False,
    ) -> None:
        """Deprecate a PROMOTED pattern and remove its skill file."""
        _review("deprecate", pattern_id, actor, reason, as_json)

    @sub.command("promote")
    def promote_command(
        pattern_id: Annotated[
            str | None, typer.Argument(help="One approved pattern (default: every approved).")
        ] = None,
        actor: ActorOpt = None,
        as_json: JsonOpt = False,
    ) -> None:
        """Turn APPROVED patterns into skills (.hestai/learning/skills/<name>/SKILL.md)."""
        from hestai_tmws.learning.promote import promote
        from hestai_tmws.learning.review import person_actor

        def action() -> Any:
            project = current_project()
            return promote(project, pattern_id, actor=person_actor(project, actor))

        result = output.run(action)
        if as_json:
            output.emit_json(result)
            return
        out = output.console()
        for item in result.promoted:
            out.print(f"promoted {item.pattern_id} → {item.path}", markup=False, soft_wrap=True)
        if result.deferred:
            out.print(f"{len(result.deferred)} approved pattern(s) left for the next run")
        for note in result.notes:
            out.print(note, markup=False)

    @sub.command("skills")
    def skills_command(as_json: JsonOpt = False) -> None:
        """Promoted skills with their suggestion, use and feedback numbers."""
        from hestai_tmws.learning.status import list_skills

        result = output.run(lambda: list_skills(current_project()))
        if as_json:
            output.emit_json(result)
            return
        from rich.table import Table

        table = Table(title="Skills")
        for col in ("skill", "suggested", "used", "activation", "helpful", "flag"):
            table.add_column(col)
        for s in result.skills:
            st = s.stats
            table.add_row(
                s.skill,
                str(st.suggested),
                str(st.used),
                "-" if st.activation is None else f"{st.activation:.0%}",
                "-" if st.helpfulness is None else f"{st.helpfulness:.0%}",
                "deprecate?" if st.flagged else "",
            )
        out = output.console()
        if result.skills:
            out.print(table)
        else:
            out.print("no promoted skills yet")
        for slug, why in result.broken.items():
            out.print(f"unreadable skill {slug}: {why}", markup=False, soft_wrap=True)

    @sub.command("suggest")
    def suggest_command(
        task: Annotated[str, typer.Argument(help="What you are about to do.")],
        limit: Annotated[int, typer.Option("--limit", min=1, max=10)] = 3,
        record: Annotated[
            bool, typer.Option("--record", help="Record the suggestions as events.")
        ] = False,
        as_json: JsonOpt = False,
    ) -> None:
        """Suggest skills for a task (BM25 over the skills, weighted by feedback)."""
        from hestai_tmws.learning.suggest import suggest_skills

        batch = output.run(
            lambda: suggest_skills(current_project(), task, limit, record=record, source="cli")
        )
        if as_json:
            output.emit_json(batch)
            return
        out = output.console()
        for s in batch.suggestions:
            out.print(
                f"{s.score:.2f}  {s.skill} ({s.id}): {s.description}", markup=False, soft_wrap=True
            )
        if not batch.suggestions:
            out.print("no matching skills")
        if batch.note:
            out.print(f"note: {batch.note}", markup=False, soft_wrap=True)

    @sub.command("feedback")
    def feedback_command(
        suggestion_id: Annotated[str, typer.Argument(help="A suggestion id (sg-…).")],
        helpful: Annotated[
            bool, typer.Option("--helpful/--not-helpful", help="Did the skill help?")
        ],
        notes: Annotated[str | None, typer.Option("--notes", help="Why, briefly.")] = None,
        as_json: JsonOpt = False,
    ) -> None:
        """Record whether a suggested skill helped."""
        from hestai_tmws.learning.feedback import record_feedback

        result = output.run(
            lambda: record_feedback(current_project(), suggestion_id, helpful, notes)
        )
        if as_json:
            output.emit_json(result)
            return
        st = result.stats
        output.console().print(
            f"recorded {result.id}: {result.skill} {'helped' if helpful else 'did not help'} "
            f"(helpful {st.helpful}, not {st.unhelpful})",
            markup=False,
        )

    @sub.command("export")
    def export_command(
        claude: Annotated[
            bool, typer.Option("--claude", help="Copy skills to .claude/skills/.")
        ] = False,
        as_json: JsonOpt = False,
    ) -> None:
        """Export promoted skills for an agent (`--claude`: Claude Code's .claude/skills/)."""
        from hestai_tmws.errors import UsageError
        from hestai_tmws.learning.promote import export_claude

        def action() -> Any:
            if not claude:
                raise UsageError("choose a target", hint="`tmws learn export --claude`")
            return export_claude(current_project())

        result = output.run(action)
        if as_json:
            output.emit_json(result)
            return
        out = output.console()
        out.print(
            f"{len(result.written)} written, {len(result.unchanged)} unchanged in {result.target}/"
        )
        for slug, why in result.skipped.items():
            out.print(f"skipped {slug}: {why}", markup=False, soft_wrap=True)

    @sub.command("prune")
    def prune_command(
        older_than_days: Annotated[
            int, typer.Option("--older-than-days", min=0, help="Age of a rejection to prune.")
        ] = 30,
        dry_run: Annotated[bool, typer.Option("--dry-run", help="Only list them.")] = False,
        as_json: JsonOpt = False,
    ) -> None:
        """Remove rejected pattern records older than 30 days (git history keeps them)."""
        from hestai_tmws.learning.prune import prune

        result = output.run(
            lambda: prune(current_project(), older_than_days=older_than_days, dry_run=dry_run)
        )
        if as_json:
            output.emit_json(result)
            return
        out = output.console()
        verb = "would remove" if dry_run else "removed"
        out.print(f"{verb} {len(result.removed)} rejected pattern(s)")
        for rel in result.removed:
            out.print(f"  {rel}", markup=False)

    @sub.command("sops")
    def sops_command(
        trigger: Annotated[str, typer.Argument(help="Words naming the work.")] = "",
        min_confidence: Annotated[float, typer.Option("--min-confidence")] = 0.0,
        limit: Annotated[int, typer.Option("--limit", min=1)] = 5,
        as_json: JsonOpt = False,
    ) -> None:
        """SOP drafts of validated, approved and promoted patterns."""
        from hestai_tmws.learning.status import get_sops

        result = output.run(lambda: get_sops(current_project(), trigger, min_confidence, limit))
        if as_json:
            output.emit_json(result)
            return
        out = output.console()
        if not result.sops:
            out.print("no matching SOPs")
        for sop in result.sops:
            out.print(sop.markdown, markup=False, soft_wrap=True)


def _state(value: str, enum: Any) -> Any:
    from hestai_tmws.errors import UsageError

    try:
        return enum(value.upper())
    except ValueError:
        output.fail(
            UsageError(
                f"unknown state {value!r}", hint="one of: " + ", ".join(s.value for s in enum)
            )
        )


def _review(verb: str, pattern_id: str, actor: str | None, reason: str, as_json: bool) -> None:
    """Run one person's review decision (approve, reject, deprecate) and show the result."""
    from hestai_tmws.learning import review

    def action() -> Any:
        project = current_project()
        decide = getattr(review, verb)
        return decide(project, pattern_id, actor=review.person_actor(project, actor), reason=reason)

    _transition_output(output.run(action), as_json)


def _transition_output(result: Any, as_json: bool) -> None:
    if as_json:
        output.emit_json(result)
        return
    out = output.console()
    out.print(
        f"{result.pattern_id}: {result.from_state.value} → {result.to_state.value} "
        f"by {result.actor}",
        markup=False,
        soft_wrap=True,
    )
    for rel in result.removed:
        out.print(f"removed {rel}", markup=False)


class _ProgressBar:
    """A rich progress bar on stderr, shown only for long cold runs."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self._progress: Any = None
        self._task: Any = None

    def update(self, done: int, total: int) -> None:
        if not self.enabled or total < PROGRESS_FROM:
            return
        if self._progress is None:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

            self._progress = Progress(
                TextColumn("reading archives"),
                BarColumn(),
                MofNCompleteColumn(),
                console=output.console(stderr=True),
                transient=True,
            )
            self._progress.start()
            self._task = self._progress.add_task("archives", total=total)
        self._progress.update(self._task, completed=done)

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None
