"""An archive's learnings-index record straight from its parsed document, for verify.

`index_record(archive_from_document(doc), rel)` builds and validates a pydantic model for
every tool call and trace of the archive (~0.2 ms per archive), yet the record holds only
the metadata, three lists and the number of tool calls. Every value `archive_from_document`
gives a model comes from its converters (`_as_str`, `_as_int`, ...), whose types the models
accept by construction, so validation cannot fail there: the only ways that function refuses
a document are the three `ValidationError`s it raises itself (not an archive, no session id,
a tool-call count that disagrees). This module checks those three and reads the record's
fields with the same converters, into `index_record`'s shape (no models: pydantic's
`model_construct` inspects default factories on every call and costs more than validating).
tests/workflows/test_verify_record.py compares both over generated documents, well-formed
and not.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from hestai_tmws.octave import Document
from hestai_tmws.sessions.archive.model import ENVELOPE, iso, parse_iso
from hestai_tmws.sessions.archive.read import _CALL_KEY, _as_int, _as_list, _as_str, _opt_str

_EPOCH = datetime.fromtimestamp(0, UTC)


def archive_record(doc: Document, rel: str) -> dict[str, Any] | None:
    """`index_record(archive_from_document(doc), rel)`, or None where that raises
    `ValidationError` (verify's index check then reads the file again and says why)."""
    if doc.name != ENVELOPE:
        return None
    meta = doc.meta
    session_id = _as_str(meta.get("SESSION_ID"))
    if not session_id:
        return None
    sections = {sec.name: sec.body for sec in doc.sections}
    calls_body = sections.get("TOOL_CALLS", {})
    calls = sum(
        1 for key, body in calls_body.items() if _CALL_KEY.match(key) and isinstance(body, dict)
    )
    declared = _as_int(meta.get("TOOL_CALL_COUNT"), None)
    if declared is not None and declared != calls:
        return None
    started = parse_iso(meta.get("STARTED"), _EPOCH)
    status = _as_str(meta.get("STATUS"), "completed")
    return {  # index_record's keys, in its order
        "id": session_id,
        "archive": rel,
        "date": started.astimezone(UTC).strftime("%Y-%m-%d"),
        "ended": iso(parse_iso(meta.get("ENDED"), started)),
        "status": "abandoned" if status == "abandoned" else "completed",
        "role": _as_str(meta.get("ROLE"), "unknown"),
        "focus": _as_str(meta.get("FOCUS"), "general"),
        "branch": _opt_str(meta.get("BRANCH")),
        "namespace": _opt_str(meta.get("NAMESPACE")),
        "learnings": _as_list(sections.get("LEARNINGS", {}).get("ITEMS")),
        "decisions": _as_list(sections.get("DECISIONS", {}).get("ITEMS")),
        "blockers": _as_list(sections.get("BLOCKERS", {}).get("ITEMS")),
        "tool_calls": calls,
    }
