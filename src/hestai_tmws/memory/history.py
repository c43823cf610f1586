"""Project history: where old context entries and closed sessions go, so nothing is dropped.

A context document over its line cap gives its oldest entries to `project-history` (section
ARCHIVED_CONTEXT) before it is written; clock-out adds a dated record to the TIMELINE. Both
happen inside the caller's Steward transaction. When history reaches its size limit its oldest
archived context rolls over into period files (`context/history/`), so the cap holds forever.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from hestai_tmws.config import load_settings
from hestai_tmws.errors import ConflictError, UsageError, ValidationError
from hestai_tmws.governance.rules import load_routing
from hestai_tmws.memory.context_cap import MovedEntry, cap_document
from hestai_tmws.memory.context_merge import find_section
from hestai_tmws.memory.naming import HISTORY_NAME, HISTORY_REL
from hestai_tmws.memory.rendering import document_limit, line_count, load_or_new, render
from hestai_tmws.octave import emit
from hestai_tmws.octave.model import Document, Section, Value
from hestai_tmws.project import Project
from hestai_tmws.secrets.redaction import assert_clean, redact_obj
from hestai_tmws.steward import Steward, WriteResult
from hestai_tmws.steward.steward import content_hash

ARCHIVE_SECTION = "ARCHIVED_CONTEXT"
TIMELINE_SECTION = "TIMELINE"
TIMELINE_KEY = "ENTRIES"
_HISTORY_ENVELOPE = "PROJECT_HISTORY"
_HISTORY_FIRST = ("DATE", "EVENT", "SOURCE", "SESSION")
HISTORY_PERIODS = "context/history"  # older periods, `project-history-NNNN.oct.md`
_PERIOD = re.compile(r"^project-history-([0-9]{4,})[.]oct[.]md$")


@dataclass
class ContextWrite:
    write: WriteResult
    lines: int
    over_cap: bool
    archived: int = 0
    history: WriteResult | None = None
    notes: list[str] = field(default_factory=list)


def stale_base(rel: str, current: str | None, current_hash: str) -> ConflictError:
    """The error for a compare-and-swap whose base hash is no longer the document's."""
    return ConflictError(
        f"{rel} changed since it was read (base hash is stale)",
        current=current or "",
        current_hash=current_hash,
        hint="apply your change to the current content and retry with its hash "
        f"({current_hash[:12] or 'empty: the document does not exist'})",
    )


def write_context_document(
    project: Project,
    steward: Steward,
    rel: str,
    doc: Document,
    *,
    expect_sha256: str | None,
    max_lines: int,
    limit: int,
    now: datetime,
    reason: str,
    actor: str = "context_update",
) -> ContextWrite:
    """Cap, archive the overflow into project history, then write `doc` (one transaction).

    History is written before the document: a crash in between leaves an entry in both
    places, never in neither.
    """
    with steward.transaction(f"write {rel}"):
        current = steward.read_text(rel)
        current_hash = content_hash(current) if current is not None else ""
        if expect_sha256 is not None and expect_sha256 != current_hash:
            raise stale_base(rel, current, current_hash)
        notes: list[str] = []
        moved: list[MovedEntry] = []
        if rel == HISTORY_REL:
            lines = line_count(doc)
        else:
            moved, lines = cap_document(doc, max_lines, line_count)
        text = render(doc, rel, limit)
        history = None
        if moved:
            assert_clean(text, what=rel)  # refuse now, before history is touched
            history = _archive(project, steward, rel, moved, now)
            notes.append(
                f"moved {len(moved)} old entr{'y' if len(moved) == 1 else 'ies'} to {HISTORY_REL}"
            )
        over_cap = rel != HISTORY_REL and lines > max_lines
        if over_cap:
            notes.append(
                f"{rel} has {lines} lines, over the {max_lines}-line cap, "
                "and nothing is left to move"
            )
        write = steward.write_text(
            rel, text, expect_sha256=current_hash, actor=actor, reason=reason
        )
    return ContextWrite(write, lines, over_cap, len(moved), history, notes)


def _history_limit(project: Project) -> int:
    return document_limit(load_routing(project).get("history"), load_settings(project))


def _load_history(project: Project, steward: Steward) -> Document:
    return load_or_new(project, steward.read_text(HISTORY_REL), HISTORY_NAME, _HISTORY_ENVELOPE)


def _archive(
    project: Project, steward: Steward, source: str, moved: list[MovedEntry], now: datetime
) -> WriteResult:
    """Put moved entries at the top of ARCHIVED_CONTEXT in project history (newest first)."""
    doc = _load_history(project, steward)
    sec = find_section(doc, ARCHIVE_SECTION) or doc.ensure_section(ARCHIVE_SECTION)
    stamp = now.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    fresh: dict[str, Value] = {}
    for entry in reversed(moved):  # the last moved is the newest
        key, block = entry.record(source, stamp)
        n = 2
        unique = key
        while unique in fresh or unique in sec.body:
            unique = f"{key}_{n}"
            n += 1
        fresh[unique] = block
    sec.body = {**fresh, **sec.body}
    limit = _history_limit(project)
    roll_over(steward, doc, limit)
    text = render(doc, HISTORY_REL, limit)
    return steward.write_text(
        HISTORY_REL,
        text,
        actor="context_update",
        reason=f"archived {len(moved)} entries of {source}",
    )


def append_history(project: Project, steward: Steward, entry: dict[str, Any]) -> WriteResult:
    """Add a dated record (a closed session, a milestone) at the top of the history timeline.

    Safe inside a caller's Steward transaction (the lock is re-entrant per thread). Values are
    flattened to one line each and redacted; keys become upper-case OCTAVE keys, with DATE,
    EVENT and SOURCE first (the template's entry shape). A record for a session already in the
    timeline replaces it (a retried clock-out). When history reaches its size limit the oldest
    session records give way: each still lives in its session archive, which SOURCE names.
    """
    item = _history_item(entry)
    limit = _history_limit(project)
    with steward.transaction("history"):
        doc = _load_history(project, steward)
        sec = find_section(doc, TIMELINE_SECTION) or doc.ensure_section(TIMELINE_SECTION)
        entries = sec.body.get(TIMELINE_KEY)
        if entries is None:
            entries = []
            sec.body[TIMELINE_KEY] = entries
        if not isinstance(entries, list):
            raise ValidationError(f"{HISTORY_REL}: {TIMELINE_SECTION}.{TIMELINE_KEY} is not a list")
        session = item.get("SESSION")
        if session is not None:
            entries[:] = [
                e for e in entries if not (isinstance(e, dict) and e.get("SESSION") == session)
            ]
        entries.insert(0, item)
        _fit_timeline(doc, entries, limit)
        roll_over(steward, doc, limit)
        text = render(doc, HISTORY_REL, limit)
        return steward.write_text(HISTORY_REL, text, actor="clock-out", reason="project history")


def roll_over(steward: Steward, doc: Document, limit: int) -> list[str]:
    """Move the oldest archived context into period files until history is back under 3/4 of
    its limit, so its size cap holds forever (never a wedge, never a drop). The caller holds
    the Steward transaction; returns the period files written, relative to `.hestai/`."""
    sec = find_section(doc, ARCHIVE_SECTION)
    if sec is None or len(emit(doc).encode("utf-8")) <= limit:
        return []
    target = limit * 3 // 4
    moved: dict[str, Value] = {}
    while sec.body and len(emit(doc).encode("utf-8")) > target:
        key = next(reversed(sec.body))  # newest first: the last key is the oldest
        moved = {key: sec.body.pop(key), **moved}
    written: list[str] = []
    chunk: dict[str, Value] = {}
    for key, value in moved.items():  # newest first, each period file under the limit
        if chunk and _period_size({**chunk, key: value}) > target:
            written.append(_write_period(steward, chunk, limit))
            chunk = {}
        chunk[key] = value
    if chunk:
        written.append(_write_period(steward, chunk, limit))
    return written


def _period_doc(entries: dict[str, Value]) -> Document:
    meta: dict[str, Value] = {"TYPE": _HISTORY_ENVELOPE, "VERSION": "1.0", "PERIOD": "older"}
    return Document(_HISTORY_ENVELOPE, meta, sections=[Section(1, ARCHIVE_SECTION, entries)])


def _period_size(entries: dict[str, Value]) -> int:
    return len(emit(_period_doc(entries)).encode("utf-8"))


def _write_period(steward: Steward, entries: dict[str, Value], limit: int) -> str:
    folder = steward.path_of(f"{HISTORY_PERIODS}/x.oct.md").parent
    taken = [int(m.group(1)) for p in folder.glob("*.oct.md") if (m := _PERIOD.match(p.name))]
    rel = f"{HISTORY_PERIODS}/project-history-{max(taken, default=0) + 1:04d}.oct.md"
    text = render(_period_doc(entries), rel, limit)
    steward.write_text(rel, text, only_if_absent=True, actor="history", reason="rollover")
    return rel


def _archived(entry: Value) -> bool:
    """A session record whose full story lives in its session archive (SOURCE)."""
    return (
        isinstance(entry, dict)
        and isinstance(entry.get("SOURCE"), str)
        and bool(entry.get("SESSION"))
    )


def _fit_timeline(doc: Document, entries: list[Value], limit: int) -> None:
    """Drop the oldest session records (recoverable from their archives) until `doc` fits."""
    while len(emit(doc).encode("utf-8")) > limit:
        oldest = next((i for i in range(len(entries) - 1, 0, -1) if _archived(entries[i])), None)
        if oldest is None:
            return  # nothing safe to drop: render() reports the limit
        del entries[oldest]


def _history_item(entry: dict[str, Any]) -> dict[str, Value]:
    if not isinstance(entry, dict) or not entry:
        raise UsageError("a history entry is a non-empty mapping")
    flat: dict[str, Value] = {}
    for raw_key, raw_value in entry.items():
        key = re.sub(r"[^A-Za-z0-9_]+", "_", str(raw_key)).strip("_").upper()
        if not key or not key[0].isalpha():
            key = f"K_{key}"
        flat[key] = _flat_value(raw_value)
    if "ID" in flat and "SESSION" not in flat:
        flat["SESSION"] = flat.pop("ID")
    flat.pop("ID8", None)  # the first 8 digits of SESSION
    flat.setdefault("DATE", datetime.now(UTC).date().isoformat())
    ordered = {k: flat[k] for k in _HISTORY_FIRST if k in flat}
    ordered.update({k: v for k, v in flat.items() if k not in ordered})
    redacted = redact_obj(ordered)
    return {str(k): v for k, v in redacted.items()}


def _flat_value(value: Any) -> Value:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    if isinstance(value, list | tuple | set):
        items = list(value)
        if all(isinstance(v, str | int | float | bool) for v in items):
            return "; ".join(str(v) for v in items)
        return json.dumps(items, default=str, ensure_ascii=False)
    if isinstance(value, dict):
        return json.dumps(value, default=str, ensure_ascii=False, sort_keys=True)
    return str(value)
