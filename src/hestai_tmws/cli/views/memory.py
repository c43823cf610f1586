"""How `tmws show` and `tmws search` read: a record as headed sections, hits with snippets."""

from __future__ import annotations

from hestai_tmws.cli import output
from hestai_tmws.memory.show import ShownField, ShownRecord


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
