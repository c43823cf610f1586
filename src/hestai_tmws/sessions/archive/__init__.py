"""The session archive: a deterministic OCTAVE record of one closed session, and its reader.

Compression is mechanical (no model): every tool call is kept, in order, as one `C001:` block
with the same five fields, because the learning miner reads TOOL_CALLS of every archive.
Free text is bounded and redacted; building never writes anything, so a failure here leaves
the session open. The jobs live apart: `model` (what an archive holds), `limits`, `build`,
`redact`, `render` (OCTAVE), `compose` (the pipeline), `index` (name, index line), `read`.
"""

from __future__ import annotations

from hestai_tmws.sessions.archive.build import ArchiveInputs, build_archive
from hestai_tmws.sessions.archive.compose import ComposedArchive, compose_archive, read_back
from hestai_tmws.sessions.archive.index import archive_rel, holds_more, index_record
from hestai_tmws.sessions.archive.limits import ELLIPSIS, LEVELS, Limits, shorten
from hestai_tmws.sessions.archive.model import (
    ENVELOPE,
    FORMAT_VERSION,
    MAX_ARCHIVE_BYTES,
    ArchiveData,
    ArchiveMeta,
    ArchiveStatus,
    ArchiveSummary,
    SummarySource,
    ToolCallEntry,
    TraceEntry,
)
from hestai_tmws.sessions.archive.read import archive_from_document, read_archive
from hestai_tmws.sessions.archive.redact import redact_archive, redact_inputs
from hestai_tmws.sessions.archive.render import render_archive, to_document

__all__ = [
    "ELLIPSIS",
    "ENVELOPE",
    "FORMAT_VERSION",
    "LEVELS",
    "MAX_ARCHIVE_BYTES",
    "ArchiveData",
    "ArchiveInputs",
    "ArchiveMeta",
    "ArchiveStatus",
    "ArchiveSummary",
    "ComposedArchive",
    "Limits",
    "SummarySource",
    "ToolCallEntry",
    "TraceEntry",
    "archive_from_document",
    "archive_rel",
    "build_archive",
    "compose_archive",
    "holds_more",
    "index_record",
    "read_archive",
    "read_back",
    "redact_archive",
    "redact_inputs",
    "render_archive",
    "shorten",
    "to_document",
]
