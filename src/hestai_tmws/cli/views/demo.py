"""How `tmws demo` reads: one line per step as it finishes, then the verdict."""

from __future__ import annotations

from hestai_tmws.cli import output
from hestai_tmws.demo.run import DemoReport, DemoStep

esc = output.escape
FILES_SHOWN = 8


def banner() -> None:
    output.console().print("[bold]hestai-tmws demo[/]: a throwaway repository, the real services")


def demo_step(step: DemoStep) -> None:
    out = output.console()
    mark = "✔" if step.ok else "✘"
    line = output.literal(mark, "green" if step.ok else "red")
    line.append(" ")
    line.append(step.name, "bold")
    line.append(f" ({step.seconds:.2f}s): {step.detail}")
    out.print(line, soft_wrap=True)
    for path in step.files[:FILES_SHOWN]:
        out.print(f"    {path}", markup=False)
    if len(step.files) > FILES_SHOWN:
        out.print(f"    … and {len(step.files) - FILES_SHOWN} more")


def demo_report(report: DemoReport) -> None:
    verdict = "[green]done[/]" if report.ok else "[red]failed[/]"
    output.console().print(
        f"{verdict} in {report.seconds:.1f}s — look around: cd {esc(report.repo)}"
    )
