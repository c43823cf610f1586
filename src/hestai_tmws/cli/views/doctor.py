"""How `tmws doctor` reads: one line per check, its fix under it, a verdict at the end."""

from __future__ import annotations

from hestai_tmws.cli import output
from hestai_tmws.workflows.doctor import DoctorReport

MARKS = {
    "ok": ("ok  ", "green"),
    "warn": ("warn", "yellow"),
    "fail": ("FAIL", "bold red"),
    "skip": ("skip", "dim"),
}


def doctor_report(report: DoctorReport) -> None:
    out = output.console()
    for check in report.checks:
        mark, style = MARKS[check.state]
        out.print(output.literal(mark, style), output.literal(f"{check.name}: {check.detail}"))
        if check.fix and check.state != "ok":
            out.print(output.literal(f"      fix: {check.fix}", "dim"))
    failed = sum(c.state == "fail" for c in report.checks)
    warned = sum(c.state == "warn" for c in report.checks)
    if failed:
        out.print(f"{output.plural(failed, 'check')} failed, {output.plural(warned, 'warning')}")
    else:
        out.print(f"tmws {report.version}: all checks pass ({output.plural(warned, 'warning')})")
