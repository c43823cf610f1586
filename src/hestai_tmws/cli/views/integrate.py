"""How `tmws integrate …` reads: the diff of a dry run, or what was written or removed."""

from __future__ import annotations

import sys

from hestai_tmws.cli import output
from hestai_tmws.integrations.files import IntegrationResult


def integration_result(result: IntegrationResult, *, dry_run: bool) -> None:
    if dry_run:
        diff = result.diff()
        sys.stdout.write(diff if diff else "nothing to change\n")
        return
    out = output.console()
    for change in result.files:
        verb = "unchanged"
        if change.changed:
            verb = "removed" if change.removed else ("created" if change.created else "updated")
        out.print(f"{verb:9} {change.path}", markup=False)
    for note in result.notes:
        out.print(note, markup=False)
