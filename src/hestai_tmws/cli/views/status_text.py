"""`tmws status` as plain text from its facts (`workflows.status_facts`), without rich.

Line for line what `views.project.status_report` prints through rich on a pipe, with
NO_COLOR, or (`styled`) on a colour terminal; tests/cli/views/test_status_text.py holds the
two together.
"""

from __future__ import annotations

from hestai_tmws.cli.views import plain

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (~7 ms)
if TYPE_CHECKING:
    from typing import Any


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (*_strings(k), *_strings(v))]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return []


def printable(facts: dict[str, Any]) -> bool:
    """Whether every text of the facts is shown by rich exactly as it is (see `plain.safe`)."""
    pids = (s.get("pid") for s in facts["active_sessions"])
    return all(plain.safe(s) for s in _strings(facts)) and all(
        pid is None or type(pid) is int for pid in pids
    )


def render(facts: dict[str, Any], width: int, *, styled: bool = False) -> str | None:
    """The text of `tmws status`, or None when only rich can lay it out (a too narrow console).

    `styled`: with the escape sequences rich writes on a terminal (bold, green, yellow, red).
    """
    if not printable(facts):
        return None

    def style(text: str, code: str) -> str:
        return plain.sgr(text, code) if styled else text

    gov = facts["governance"]
    if gov["intact"]:
        state = style("intact", "32")
    elif gov["outdated"]:
        hub = gov["hub_version"]
        state = style("update available", "33") + f" (hub {hub}; run `tmws inject`)"
    else:
        state = style("TAMPERED or missing", "31")
    lines = [style(facts["project"], "1"), f"governance: {gov['version'] or '-'} {state}"]
    if gov["hub"]:
        lines.append(f"hub: {gov['hub']} ({gov['hub_source'] or '?'}, {gov['hub_version']})")
    lines += [f"  {style('-', '31')} {problem}" for problem in gov["problems"]]
    if gov["upgrade"]:
        lines.append("  the package's hub differs; `tmws inject` applies these changes:")
        lines += [f"    {line}" for line in gov["upgrade"]]
    if not facts["initialised"]:
        lines.append("memory: not initialised (run `tmws init`)")
    folders = [[folder, str(count)] for folder, count in facts["memory_by_folder"].items()]
    title = f"memory: {facts['memory_files']} files, {facts['memory_bytes']} bytes"
    right = {"files": "right"}
    memory = plain.table(
        ("folder", "files"), folders, title=title, width=width, justify=right, styled=styled
    )
    sessions = [
        [s["id"], s["role"], s["focus"], s["started_at"], str(s["pid"] or "")]
        for s in facts["active_sessions"]
    ]
    title = f"active sessions: {len(sessions)}"
    active = plain.table(
        ("id", "role", "focus", "started", "pid"), sessions, title=title, width=width, styled=styled
    )
    if memory is None or active is None:
        return None
    return "\n".join([*lines, *memory, *active]) + "\n"
