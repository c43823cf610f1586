"""How `tmws show` and `tmws search` read: a record as headed sections, hits with snippets."""

from __future__ import annotations

from hestai_tmws.cli import output
from hestai_tmws.memory.search import SearchResult
from hestai_tmws.memory.show import ShownField, ShownRecord
from hestai_tmws.sessions.archive.limits import shorten

TITLE_WIDTH = 60


def _field_lines(field: ShownField) -> list[str]:
    lines = field.value.splitlines() or [""]
    if not field.key:
        return [f"  - {line}" for line in lines]
    if len(lines) == 1:
        return [f"  {field.key}: {lines[0]}"]
    return [f"  {field.key}:"] + [f"    - {line}" for line in lines]


def shown_record(record: ShownRecord) -> None:
    out = output.console()
    out.print(output.literal(f"{record.kind} {record.id}: {record.title}", "bold"))
    out.print(output.literal(record.path, "dim"))
    for field in record.meta:
        for line in _field_lines(field):
            out.print(output.literal(line))
    for section in record.sections:
        out.print()
        out.print(output.literal(section.title, "bold"))
        for field in section.fields:
            for line in _field_lines(field):
                out.print(output.literal(line))
    if record.text:
        out.print()
        out.print(output.literal(record.text))


def search_hits(result: SearchResult) -> None:
    out = output.console()
    if not result.hits:
        out.print(
            output.literal(
                f"no match for {result.query!r} in {output.plural(result.indexed_files, 'file')}"
            )
        )
        return
    for hit in result.hits:
        title = shorten(hit.title, TITLE_WIDTH)
        out.print(output.literal(f"{hit.kind} {hit.id}  {hit.date}  {title}", "bold"))
        out.print(output.literal(f"  {hit.snippet}"))
        out.print(output.literal(f"  {hit.path}", "dim"))
    shown = output.plural(len(result.hits), "hit")
    out.print(f"{shown}; `tmws show ID` opens one")
