"""How `tmws context update|show` read: what changed, with the new hash; the documents."""

from __future__ import annotations

from hestai_tmws.cli import output
from hestai_tmws.memory.context import ContextUpdateResult
from hestai_tmws.memory.views import ContextView

esc = output.escape


def update_result(result: ContextUpdateResult) -> None:
    out = output.console()
    state = "created" if result.created else ("updated" if result.changed else "unchanged")
    out.print(f"{state} {esc(result.path)} ({result.lines}/{result.max_lines} lines)")
    for line in result.applied:
        out.print(f"  {esc(line)}")
    for note in result.notes:
        out.print(f"note: {esc(note)}")
    out.print(f"hash: {esc(result.sha256)}")


def context_view(view: ContextView, *, content: bool) -> None:
    out = output.console()
    rows = []
    for doc in view.documents:
        lines = f"{doc.lines}/{view.max_lines}" if doc.exists else "absent"
        rows.append(
            [doc.name, lines + (" (over cap)" if doc.over_cap else ""), doc.sha256[:12] or "-"]
        )
    if view.documents:
        out.print(output.table(("document", "lines", "sha256"), rows, title="context documents"))
    for doc in view.documents:
        if doc.error:
            out.print(output.literal(f"{doc.rel}: {doc.error}", "red"))
        if content and doc.exists:
            out.print(f"--- {doc.path}", markup=False)
            out.print(doc.content, markup=False, end="")
    _north_star(view)
    if view.open_items:
        items = [[i.key, i.status or "", i.owner or "", i.text] for i in view.open_items]
        title = f"open checklist items: {len(view.open_items)}"
        out.print(output.table(("key", "status", "owner", "task"), items, title=title))


def _north_star(view: ContextView) -> None:
    ns = view.north_star
    if ns is None:
        return
    out = output.console()
    if not ns.exists:
        out.print("north star: absent")
        return
    out.print(f"north star ({esc(ns.status or '-')}): {esc(ns.statement or ns.title or '')}")
    for req in ns.requirements:
        out.print(f"  - {req}", markup=False)
