"""How `tmws integrate claude-code` reads: the diff of a dry run, or what was written."""

from __future__ import annotations

import sys

from hestai_tmws.cli import output
from hestai_tmws.integrations.claude.settings import IntegrationResult


def integration_result(result: IntegrationResult, *, dry_run: bool) -> None:
    if dry_run:
        diff = result.diff()
        sys.stdout.write(diff if diff else "nothing to change\n")
        return
    out = output.console()
    for change in result.files:
        verb = "created" if change.created else ("updated" if change.changed else "unchanged")
        out.print(f"{verb:9} {change.path}", markup=False)
