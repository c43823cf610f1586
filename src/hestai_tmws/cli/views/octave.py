"""How `tmws octave check`, `tmws migrate` and `tmws hub import` read: a line per item."""

from __future__ import annotations

from hestai_tmws.cli import output
from hestai_tmws.governance.hub_import import HubImportResult
from hestai_tmws.octave.check import CheckReport
from hestai_tmws.workflows.migrate_hestai import MigrationResult


def check_report(report: CheckReport) -> None:
    out = output.console()
    for item in report.files:
        if item.ok:
            out.print(f"ok      {item.path}", markup=False)
            continue
        out.print(f"invalid {item.path}", markup=False)
        for problem in item.problems:
            where = f"line {problem.line}" if problem.line is not None else "file"
            out.print(f"  {where}: {problem.message}", markup=False)
            if problem.hint:
                out.print(f"    hint: {problem.hint}", markup=False)
    bad = sum(not f.ok for f in report.files)
    out.print(f"{len(report.files) - bad} of {len(report.files)} files parse", markup=False)


def migration(result: MigrationResult) -> None:
    out = output.console()
    verb = "would move" if result.dry_run else "moved"
    out.print(
        f"HestAI-MCP layout {result.layout}: {verb} {len(result.moves)} file(s)", markup=False
    )
    for move in result.moves:
        why = f"  ({move.reason})" if move.reason else ""
        out.print(f"  {move.kind:8} {move.source} -> {move.target}{why}", markup=False)
    out.print(
        f"{result.verbatim} verbatim, {result.wrapped} wrapped in a literal zone, "
        f"{result.legacy} kept in .hestai/legacy/hestai-mcp/",
        markup=False,
    )
    for note in result.notes:
        out.print(f"note: {note}", markup=False)
    if result.dry_run:
        out.print("nothing written: run without --dry-run to migrate", markup=False)
    else:
        out.print("review with `git status`, run `tmws verify`, then commit", markup=False)


def hub_import(result: HubImportResult) -> None:
    out = output.console()
    out.print(f"tmws hub {result.version} written to {result.dest} (validated)", markup=False)
    out.print(
        f"  converted {len(result.agents)} agent(s): {', '.join(result.agents)}", markup=False
    )
    out.print(
        f"  kept {len(result.kept)} file(s) verbatim and {len(result.wrapped)} in a literal "
        "zone under library/hestai-mcp/",
        markup=False,
    )
    for item in result.dropped:
        out.print(f"  dropped {item.path}: {item.reason}", markup=False)
    for note in result.notes:
        out.print(f"  note: {note}", markup=False)
    out.print(f"use it with: export TMWS_HUB={result.dest}  (or the hub setting)", markup=False)
