"""Text rendering of `tmws import` (the `--json` is the model itself)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from hestai_tmws.cli import output
from hestai_tmws.cli.views.learn import mine_report

if TYPE_CHECKING:
    from hestai_tmws.workflows.import_history import ImportResult


def _line(text: str) -> None:
    output.console().print(text, markup=False, soft_wrap=True)


def import_result(result: ImportResult) -> None:
    verb = "would archive" if result.dry_run else "archived"
    span = f", {result.first_day} to {result.last_day}" if result.first_day else ""
    _line(
        f"{result.found} transcript(s) found: {verb} {result.archived} new and "
        f"{result.updated} grown session(s){span} ({result.tool_calls} tool calls); "
        f"{result.unchanged} already archived, {result.skipped} skipped, "
        f"{result.failed} failed, in {result.elapsed_s:.1f} s"
    )
    for item in result.items:
        if item.status == "failed" or (result.dry_run and item.status in ("archived", "updated")):
            detail = f": {item.note}" if item.note else ""
            _line(f"  {item.status} {item.path} → {item.archive or '-'}{detail}")
    for note in result.notes:
        _line(f"  note: {note}")
    if result.learning is not None:
        mine_report(result.learning)
