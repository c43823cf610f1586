"""Text renderings of the learning loop's results for `tmws learn …` (the `--json` is the model).

Each function takes the typed result of one learning service and prints it; no decisions
are made here beyond how a value reads.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import rich.progress as bar
from rich.table import Table

from hestai_tmws.cli import output
from hestai_tmws.learning.core.stats import lift_text

if TYPE_CHECKING:
    from hestai_tmws.learning.export import ExportResult
    from hestai_tmws.learning.feedback import FeedbackResult
    from hestai_tmws.learning.pipeline import MineReport
    from hestai_tmws.learning.promote import PromoteResult
    from hestai_tmws.learning.prune import PruneResult
    from hestai_tmws.learning.records import PatternRecord
    from hestai_tmws.learning.review import TransitionResult
    from hestai_tmws.learning.status import LearningStatus, PatternList, SkillList, SopList
    from hestai_tmws.learning.suggest import SuggestionBatch

PROGRESS_FROM = 50  # archives to parse before a progress bar is worth showing


def _line(text: str) -> None:
    output.console().print(text, markup=False, soft_wrap=True)


def mine_report(report: MineReport) -> None:
    _line(
        f"{report.mode} mine: {report.archives} archives ({report.archives_read} read, "
        f"{report.archives_cached} cached), {report.sessions} sessions, "
        f"{report.calls} tool calls → {report.patterns} patterns "
        f"({len(report.created)} new, {len(report.updated)} updated) "
        f"in {report.elapsed_ms / 1000:.2f} s"
    )
    for move in report.transitions:
        _line(f"  {move.pattern_id}: {move.arrow}  {move.reason}")
    for rel, why in report.unreadable.items():
        _line(f"  unreadable {rel}: {why}")
    for note in report.notes:
        _line(f"  note: {note}")
    if report.explain:
        _line("nearest candidates (and what stopped them):")
    for c in report.explain:
        _line(f"  {c.support} sessions, {c.days} days: {c.chain}")
        for reason in c.reasons:
            _line(f"      {reason}")


def learning_status(status: LearningStatus) -> None:
    states = ", ".join(f"{k.lower()} {v}" for k, v in status.by_state.items() if v)
    _line(
        f"{status.archives} archives; {status.patterns} patterns ({states or 'none'}); "
        f"{status.skills} skills; {status.suggestions} suggestions, {status.used} used, "
        f"{status.feedback} rated"
    )
    run = status.last_mine()
    if run is not None:
        output.console().print(
            f"last run: {run.mode} at {run.at} ({run.patterns} patterns)", markup=False
        )
    for slug in status.flagged_skills:
        output.console().print(f"flagged for deprecation: {slug}", markup=False)
    for rel, why in {**status.broken_records, **status.broken_skills}.items():
        _line(f"unreadable {rel}: {why}")
    for note in status.notes:
        _line(f"note: {note}")


def pattern_list(result: PatternList) -> None:

    rows = [
        [
            p.id,
            p.state.value,
            str(p.support),
            str(p.days),
            f"{p.success_rate:.0%}",
            f"{p.confidence:.2f}",
            p.chain,
        ]
        for p in result.patterns
    ]
    columns = ("id", "state", "support", "days", "success", "conf.", "steps")
    # at 80 columns the steps take the room left and break between steps, never inside one;
    # a bare table (no borders) leaves them twice the room of a framed one
    table = output.table(
        columns,
        rows,
        title="Patterns",
        flex="steps",
        whole=("id",),
        break_on=" → ",
        box=None,
        pad_edge=False,
    )
    out = output.console()
    if result.patterns:
        out.print(table)
    else:
        out.print("no pattern records yet (`tmws learn mine` looks for them)")
    for rel, why in result.broken.items():
        _line(f"unreadable {rel}: {why}")


def pattern_record(record: PatternRecord) -> None:
    s = record.stats
    output.console().print(f"{record.id} — {record.state.value}", markup=False)
    _line(f"steps: {record.chain}")
    _line(
        f"support {output.plural(s.support, 'session')} on {output.plural(len(s.days), 'day')} "
        f"({s.first_seen} → {s.last_seen}); success {s.successes}/{s.outcomes_known}; "
        f"confidence {s.confidence:.2f}; {lift_text(s.lift)}; stability {s.stability:.2f}"
    )
    if record.skill:
        output.console().print(f"skill: .hestai/{record.skill}", markup=False)
    if record.validation is not None:
        for check in record.validation.checks:
            mark = "pass" if check.passed else "FAIL"
            _line(f"  {check.code} {mark}: {check.reason}")
    _line("evidence: " + ", ".join(record.evidence))
    for h in record.history:
        why = f": {h.reason}" if h.reason else ""
        _line(f"  {h.at:%Y-%m-%d %H:%M} {h.arrow} by {h.actor}{why}")


def transition(result: TransitionResult) -> None:
    _line(f"{result.pattern_id}: {result.arrow} by {result.actor}")
    for rel in result.removed:
        output.console().print(f"removed {rel}", markup=False)


def promoted(result: PromoteResult) -> None:
    out = output.console()
    for item in result.promoted:
        _line(f"promoted {item.pattern_id} → {item.path}")
    if result.deferred:
        out.print(f"{len(result.deferred)} approved pattern(s) left for the next run")
    for note in result.notes:
        out.print(note, markup=False)


def skill_list(result: SkillList) -> None:

    table = Table(title="Skills")
    for col in ("skill", "suggested", "used", "activation", "helpful", "flag"):
        table.add_column(col)
    for s in result.skills:
        st = s.stats
        table.add_row(
            s.skill,
            str(st.suggested),
            str(st.used),
            _share(st.activation),
            _share(st.helpfulness),
            "deprecate?" if st.flagged else "",
        )
    out = output.console()
    if result.skills:
        out.print(table)
    else:
        out.print("no promoted skills yet")
    for slug, why in result.broken.items():
        _line(f"unreadable skill {slug}: {why}")


def _share(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def suggestions(batch: SuggestionBatch) -> None:
    for s in batch.suggestions:
        _line(f"{s.score:.2f}  {s.skill} ({s.id}): {s.description}")
    if batch.suggestions:
        _line("feedback: tmws learn feedback SG-ID --helpful (or --not-helpful)")
    else:
        output.console().print("no matching skills")
    if batch.note:
        _line(f"note: {batch.note}")


def feedback(result: FeedbackResult) -> None:
    st = result.stats
    verdict = "helped" if result.helpful else "did not help"
    output.console().print(
        f"recorded {result.id}: {result.skill} {verdict} "
        f"(helpful {st.helpful}, not {st.unhelpful})",
        markup=False,
    )


def exported(result: ExportResult) -> None:
    out = output.console()
    out.print(
        f"{len(result.written)} written, {len(result.unchanged)} unchanged in {result.target}/"
    )
    for slug, why in result.skipped.items():
        _line(f"skipped {slug}: {why}")


def pruned(result: PruneResult) -> None:
    out = output.console()
    verb = "would remove" if result.dry_run else "removed"
    out.print(f"{verb} {len(result.removed)} rejected pattern(s)")
    for rel in result.removed:
        out.print(f"  {rel}", markup=False)


def sops(result: SopList) -> None:
    if not result.sops:
        output.console().print("no matching SOPs")
    for sop in result.sops:
        _line(sop.markdown)


class ProgressBar:
    """A rich progress bar on stderr, shown only for long cold runs."""

    def __init__(
        self, enabled: bool, label: str = "reading archives", show_from: int = PROGRESS_FROM
    ) -> None:
        self.enabled = enabled
        self.label = label
        self.show_from = show_from
        self._progress: Any = None
        self._task: Any = None

    def update(self, done: int, total: int) -> None:
        if not self.enabled or total < self.show_from:
            return
        if self._progress is None:
            self._start(total)
        self._progress.update(self._task, completed=done)

    def _start(self, total: int) -> None:

        self._progress = bar.Progress(
            bar.TextColumn(self.label),
            bar.BarColumn(),
            bar.MofNCompleteColumn(),
            console=output.console(stderr=True),
            transient=True,
        )
        self._progress.start()
        self._task = self._progress.add_task("archives", total=total)

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None
