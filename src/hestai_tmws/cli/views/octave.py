"""How `tmws octave check` reads: one line per file, then one line per problem with its line."""

from __future__ import annotations

from hestai_tmws.cli import output
from hestai_tmws.octave.check import CheckReport


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
