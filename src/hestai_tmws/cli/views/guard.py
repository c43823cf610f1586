"""How the guard's commands read: `tmws adopt`, `tmws hooks …` and the events of `tmws watch`."""

from __future__ import annotations

import json
import sys

from hestai_tmws.cli import output
from hestai_tmws.guard.adopt import AdoptResult
from hestai_tmws.guard.hooks_install import HookInstallResult, HookStatus, HookUninstallResult
from hestai_tmws.guard.watch import WatchEvent

esc = output.escape
WARNINGS = ("hand-edit", "hand-delete", "heal-failed")


def adopt_result(result: AdoptResult) -> None:
    out = output.console()
    for item in result.adopted:
        what = "deletion of" if item.op == "delete" else "adopted"
        blob = f" ({item.blob[:10]})" if item.blob else ""
        out.print(f"[green]{what}[/] {esc(item.path)}{blob}")
    out.print(f"logged in {result.log} as {result.actor} <{result.email}>", markup=False)
    if not result.staged:
        out.print("not staged: `git add` the files before committing")


def hook_installed(result: HookInstallResult) -> None:
    out = output.console()
    out.print(f"pre-commit hook {result.action}: {result.hook_path}", markup=False)
    out.print(f"  runs the guard with {result.python}", markup=False)
    if result.chained:
        out.print(f"  runs the earlier hook first: {result.chained}", markup=False)


def hook_uninstalled(result: HookUninstallResult) -> None:
    out = output.console()
    if result.action == "not-installed":
        out.print(f"no tmws hook at {result.hook_path}; nothing changed", markup=False)
    elif result.action == "restored":
        out.print(
            f"removed the tmws hook; restored the earlier hook at {result.restored}", markup=False
        )
    else:
        out.print(f"removed the tmws hook {result.hook_path}", markup=False)


def show_hook_status(status: HookStatus) -> None:
    out = output.console()
    if not status.installed:
        other = " (another tool's hook is there)" if status.foreign_hook else ""
        out.print(
            f"[red]not installed[/]: {esc(status.hook_path)}{other}; run `tmws hooks install`"
        )
        return
    state = "[green]current[/]" if status.current else "[yellow]outdated[/]"
    out.print(f"installed, {state}: {esc(status.hook_path)}")
    ok = "[green]ok[/]" if status.python_ok else "[red]cannot run the guard[/]"
    out.print(f"  interpreter {esc(status.python)}: {ok}")
    if status.chained:
        out.print(f"  chained hook: {status.chained}", markup=False)


def watch_event(event: WatchEvent, *, as_json: bool) -> None:
    """One event of the watch: a JSON line, or a line on stdout (stderr for warnings)."""
    if as_json:
        record = {"kind": event.kind, "path": event.path, "message": event.message}
        sys.stdout.write(json.dumps(record) + "\n")
        sys.stdout.flush()
    elif event.kind == "ready":
        output.console().print(output.literal(event.message, "dim"))
    elif event.kind in WARNINGS:
        output.console(stderr=True).print(
            f"[bold red]warning:[/] {esc(event.message)}", soft_wrap=True
        )
    else:
        output.console().print(f"[green]healed[/] {esc(event.message)}", soft_wrap=True)
