"""How the commands that hand records to the Steward read: `tmws doc submit`, `tmws anchor`."""

from __future__ import annotations

from hestai_tmws.cli import output
from hestai_tmws.memory.documents import DocumentResult
from hestai_tmws.sessions.anchor import AnchorResult

esc = output.escape


def document_result(result: DocumentResult) -> None:
    out = output.console()
    verb = "created" if result.created else ("updated" if result.changed else "unchanged")
    out.print(f"{verb} {result.path} ({result.bytes} bytes, {result.source_format})", markup=False)
    for note in result.notes:
        out.print(f"note: {note}", markup=False)


def anchor_result(result: AnchorResult) -> None:
    out = output.console()
    if result.passed:
        out.print(
            f"[green]anchor passed[/]: {esc(result.role)} on governance "
            f"{esc(result.governance_version)} (session {result.session_id[:8]})"
        )
        return
    out.print(f"[red]anchor failed[/]: {len(result.failures)} point(s) to fix")
    for failure in result.failures:
        out.print(f"  - {failure.message}", markup=False)
