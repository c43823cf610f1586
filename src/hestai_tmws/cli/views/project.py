"""How the project-wide commands read: `tmws status`, `tmws init`, `tmws inject`, `tmws verify`."""

from __future__ import annotations

from typing import Any

from hestai_tmws.cli import output
from hestai_tmws.governance.inject import InjectResult
from hestai_tmws.workflows.init import InitResult
from hestai_tmws.workflows.status import StatusReport
from hestai_tmws.workflows.verify import VerifyReport

esc = output.escape


def status_report(report: StatusReport) -> None:
    out = output.console()
    gov = report.governance
    state: tuple[object, ...]
    if gov.intact:
        state = (("intact", "green"),)
    elif gov.outdated:
        state = (("update available", "yellow"), f" (hub {gov.hub_version}; run `tmws inject`)")
    else:
        state = (("TAMPERED or missing", "red"),)
    out.print(output.literal(report.project, "bold"))
    out.print(output.assemble(f"governance: {gov.version or '-'} ", *state))
    if gov.hub:
        out.print(output.literal(f"hub: {gov.hub} ({gov.hub_source or '?'}, {gov.hub_version})"))
    for problem in gov.problems:
        out.print(output.assemble("  ", ("-", "red"), f" {problem}"))
    if gov.upgrade:
        out.print("  the package's hub differs; `tmws inject` applies these changes:")
        for line in gov.upgrade:
            out.print(output.literal(f"    {line}"))
    if not report.initialised:
        out.print("memory: not initialised (run `tmws init`)")
    folders = [[folder, str(count)] for folder, count in report.memory_by_folder.items()]
    title = f"memory: {report.memory_files} files, {report.memory_bytes} bytes"
    out.print(output.table(("folder", "files"), folders, title=title, justify={"files": "right"}))
    sessions = [
        [s.id, s.role, s.focus, s.started_at, str(s.pid or "")] for s in report.active_sessions
    ]
    title = f"active sessions: {len(report.active_sessions)}"
    out.print(output.table(("id", "role", "focus", "started", "pid"), sessions, title=title))


def init_result(result: InitResult) -> None:
    out = output.console()
    out.print(f"[bold]hestai-tmws[/] initialised {esc(result.project)}")
    out.print(
        f"  governance {esc(result.governance_version)} injected into .hestai-sys/ (read-only)"
    )
    for path in [*result.created, *result.folders]:
        out.print(f"  [green]created[/] {esc(path)}")
    for path in result.kept:
        out.print(f"  [yellow]kept[/]    {esc(path)} (already there, not overwritten)")
    if result.gitignore_added:
        out.print(f"  .gitignore += {esc(', '.join(result.gitignore_added))}")
    if result.gitattributes_added:
        out.print(f"  .gitattributes += {esc(', '.join(result.gitattributes_added))}")
    if result.merge_driver:
        out.print("  registered the OCTAVE merge driver in .git/config")
    if result.hook_launcher:
        out.print(f"  {esc(result.hook_launcher)}")


def inject_result(result: InjectResult) -> None:
    output.console().print(f"governance {result.version}: {result.summary()}", markup=False)


# What `tmws verify --fix` repairs (governance re-injected, indexes rebuilt, index entries reset).
FIXABLE = frozenset(
    {"GOV_TAMPERED", "GOV_NOT_INJECTED", "SYS_TRACKED", "ACTIVE_TRACKED", "TRACKED_MODE"}
)
SHOWN_PER_CODE = 5  # a broken index can give thousands of findings of one code


def _fixable(code: str) -> bool:
    return code in FIXABLE or code.startswith("INDEX_")


def verify_report(report: VerifyReport, out: Any = None) -> None:
    """Findings grouped by code, a few of each; the `--fix` hint when it would help.

    `out` is a console to print on (the warm-run cache renders into a string); default stdout.
    """
    out = out if out is not None else output.console()
    shown: dict[str, int] = {}
    for f in report.findings:
        shown[f.code] = shown.get(f.code, 0) + 1
        if shown[f.code] > SHOWN_PER_CODE:
            continue
        if f.fixed:
            tag = "[green]fixed[/]"
        else:
            tag = "[red]error[/]" if f.severity == "error" else "[yellow]warn[/]"
        out.print(f"{tag} {esc(f.code)} {esc(f.path or '')}: {esc(f.message)}", soft_wrap=True)
    for code, count in shown.items():
        if count > SHOWN_PER_CODE:
            more = output.plural(count - SHOWN_PER_CODE, f"more {code} finding")
            out.print(f"  … and {esc(more)} (`tmws verify --json` lists every one)")
    verdict = "[green]ok[/]" if report.ok else "[red]FAILED[/]"
    files = output.plural(report.checked_files, "memory file")
    out.print(f"verify {verdict}: {files} checked, {output.plural(len(report.errors), 'error')}")
    fixable = sorted({f.code for f in report.errors if _fixable(f.code)})
    if fixable:
        out.print(
            f"hint: `tmws verify --fix` repairs {esc(', '.join(fixable))} here "
            "(run it locally and commit, never in CI)"
        )
