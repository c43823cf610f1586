"""context_update and context reading: small, merged edits of the living context documents.

Agents change one key or one list at a time instead of rewriting whole files, so two sessions
editing different parts of `project-context` both win. Every update reads, applies and writes
inside one Steward transaction (no update can lose another's), and a caller that read the
document earlier can pass its hash: a stale hash is a ConflictError carrying the current text.

Context documents stay short (`context_max_lines`): when one grows past the cap, its oldest
entries move into `project-history` (section ARCHIVED_CONTEXT) before the document is written,
so nothing is ever dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field

from hestai_tmws.config import load_settings
from hestai_tmws.errors import (
    ConflictError,
    NotFoundError,
    PolicyError,
    UsageError,
    ValidationError,
)
from hestai_tmws.layout import CONTEXT, CONTEXT_DOCS, HESTAI, NORTH_STAR
from hestai_tmws.memory.context_merge import (
    DONE_STATES,
    ContextChange,
    MovedEntry,
    apply_change,
    cap_document,
    find_section,
    parse_changes,
)
from hestai_tmws.project import Project
from hestai_tmws.steward.steward import content_hash

if TYPE_CHECKING:
    from hestai_tmws.octave.model import Document, Value
    from hestai_tmws.steward import Steward, WriteResult

__all__ = [
    "ContextChange",
    "ContextDocumentView",
    "ContextUpdateResult",
    "ContextView",
    "append_history",
    "resolve_context_doc",
    "show_context",
    "update_context",
]

HISTORY_NAME = "project-history"
HISTORY_REL = f"{CONTEXT}/{HISTORY_NAME}.oct.md"
ARCHIVE_SECTION = "ARCHIVED_CONTEXT"
TIMELINE_SECTION = "TIMELINE"
TIMELINE_KEY = "ENTRIES"
NORTH_STAR_NAME = "north-star"

DOC_TYPE_OF: dict[str, str] = {
    "project-context": "context",
    "project-history": "history",
    "project-roadmap": "roadmap",
    "project-checklist": "checklist",
    "context-negatives": "negative",
}
ALIASES: dict[str, str] = {
    **{doc_type: name for name, doc_type in DOC_TYPE_OF.items()},
    "negatives": "context-negatives",
}
_OPEN_LIST = re.compile(r"(OPEN|TODO|TASK|ITEM|PENDING|BLOCKED|NEXT|BACKLOG)", re.IGNORECASE)
_DONE_NAME = re.compile(r"(DONE|COMPLETED|CLOSED|ARCHIVE|RESOLVED)", re.IGNORECASE)
_REQUIREMENTS = re.compile(r"(IMMUTABLE|REQUIREMENT|CONSTRAINT|PRINCIPLE)", re.IGNORECASE)
_TEXT_KEYS = ("WHAT", "TITLE", "TASK", "RULE", "GOAL", "NAME", "TEXT", "SUMMARY", "DESCRIPTION")
_CHECKED = re.compile(r"^\s*\[[xX]\]")
SUMMARY_ITEMS = 30


# -- results -----------------------------------------------------------------------------------


class ContextUpdateResult(BaseModel):
    """The outcome of one context_update: the new hash to pass as the next base hash."""

    document: str  # e.g. "project-context"
    doc_type: str
    rel: str  # relative to `.hestai/`
    path: str  # relative to the work tree root
    base_hash: str | None = None
    previous_hash: str  # "" when the document did not exist
    sha256: str
    created: bool
    changed: bool
    applied: list[str] = Field(default_factory=list)
    archived_entries: int = 0
    history_path: str | None = None
    lines: int
    max_lines: int
    over_cap: bool = False
    session_id: str | None = None
    notes: list[str] = Field(default_factory=list)


class ContextDocumentView(BaseModel):
    name: str
    doc_type: str
    rel: str
    path: str
    exists: bool
    content: str = ""
    sha256: str = ""  # "" when absent: pass it as base hash to create the document
    lines: int = 0
    bytes: int = 0
    over_cap: bool = False
    error: str | None = None  # the document exists but does not parse


class NorthStarView(BaseModel):
    rel: str
    exists: bool
    sha256: str = ""
    title: str | None = None
    status: str | None = None
    statement: str | None = None
    requirements: list[str] = Field(default_factory=list)


class ChecklistItem(BaseModel):
    section: str
    key: str
    text: str
    status: str | None = None
    owner: str | None = None


class ContextView(BaseModel):
    """What a session reads at the start: the context documents, the north star, open tasks."""

    documents: list[ContextDocumentView] = Field(default_factory=list)
    north_star: NorthStarView | None = None
    open_items: list[ChecklistItem] = Field(default_factory=list)
    max_lines: int


# -- naming ------------------------------------------------------------------------------------


def resolve_context_doc(name: str, *, allow_north_star: bool = False) -> tuple[str, str, str]:
    """`checklist`, `project-checklist`, `context/project-checklist.oct.md` → (name, type, rel)."""
    text = (name or "").strip().lower()
    for prefix in (f"{HESTAI}/", f"{CONTEXT}/"):
        if text.startswith(prefix):
            text = text[len(prefix) :]
    if text.endswith(".oct.md"):
        text = text[: -len(".oct.md")]
    text = text.replace("_", "-")
    if text in (
        NORTH_STAR_NAME,
        "north_star",
        "000-project-north-star",
        "workflow/000-project-north-star",
    ):
        if not allow_north_star:
            raise PolicyError(
                "the north star holds immutable requirements and is not a context document",
                hint="change it with `tmws doc submit north-star --approved-decision NNN`",
            )
        return NORTH_STAR_NAME, NORTH_STAR_NAME, NORTH_STAR
    text = ALIASES.get(text, text)
    if text not in CONTEXT_DOCS:
        raise UsageError(
            f"{name!r} is not a context document",
            hint="context documents: " + ", ".join(CONTEXT_DOCS),
        )
    return text, DOC_TYPE_OF[text], f"{CONTEXT}/{text}.oct.md"


# -- update ------------------------------------------------------------------------------------


def update_context(
    project: Project,
    *,
    document: str,
    changes: list[ContextChange] | list[dict[str, Any]] | ContextChange | dict[str, Any],
    base_hash: str | None = None,
    session_id: str | None = None,
    now: datetime | None = None,
    enforce_anchor: bool = True,
) -> ContextUpdateResult:
    """Apply `changes` to a context document and write it; all or nothing.

    With `base_hash` (the sha256 the caller read; "" for "must not exist yet") the update is a
    compare-and-swap: if the document changed since, ConflictError carries `current` and
    `current_hash` so the caller can merge and retry. Without it the changes are applied to
    whatever is current, inside the Steward lock, so concurrent updates never lose each other.
    `enforce_anchor=False` is for the Steward's own bookkeeping (clock-out folding learnings in),
    which must not be blocked by the anchor requirement meant for agents.
    """
    from hestai_tmws.governance.rules import load_routing
    from hestai_tmws.memory.documents import document_limit, optional_session
    from hestai_tmws.octave import emit
    from hestai_tmws.sessions.anchor import require_anchor
    from hestai_tmws.steward import Steward

    name, doc_type, rel = resolve_context_doc(document)
    parsed = parse_changes(changes)
    settings = load_settings(project)
    session = optional_session(project, session_id)
    if enforce_anchor:
        require_anchor(project, session.id if session else session_id)
    rule = load_routing(project).get(doc_type)
    limit = document_limit(rule, settings)
    envelope = rule.envelope if rule and rule.envelope else name.upper().replace("-", "_")
    stamp = now or datetime.now(UTC)

    steward = Steward(project, lock_timeout=settings.lock_timeout_seconds)
    with steward.transaction(f"context update {name}", stage=settings.stage_writes):
        current = steward.read_text(rel)
        current_hash = content_hash(current) if current is not None else ""
        if base_hash is not None and base_hash != current_hash:
            raise _conflict(rel, current, current_hash)
        doc = _load_or_new(project, current, rel, name, envelope)
        before = emit(doc)
        applied = [apply_change(doc, change) for change in parsed]
        if emit(doc) != before:
            doc.meta["UPDATED"] = stamp.astimezone(UTC).date().isoformat()
        outcome = write_context_document(
            project,
            steward,
            rel,
            doc,
            expect_sha256=current_hash,
            max_lines=settings.context_max_lines,
            limit=limit,
            now=stamp,
            reason="context_update: " + "; ".join(c.describe() for c in parsed)[:200],
        )
    return ContextUpdateResult(
        document=name,
        doc_type=doc_type,
        rel=rel,
        path=outcome.write.path,
        base_hash=base_hash,
        previous_hash=current_hash,
        sha256=outcome.write.sha256 or "",
        created=current is None,
        changed=outcome.write.changed,
        applied=applied,
        archived_entries=outcome.archived,
        history_path=outcome.history.path if outcome.history else None,
        lines=outcome.lines,
        max_lines=settings.context_max_lines,
        over_cap=outcome.over_cap,
        session_id=session.id if session else None,
        notes=outcome.notes,
    )


def _conflict(rel: str, current: str | None, current_hash: str) -> ConflictError:
    return ConflictError(
        f"{rel} changed since it was read (base hash is stale)",
        current=current or "",
        current_hash=current_hash,
        hint="apply your change to the current content and retry with its hash "
        f"({current_hash[:12] or 'empty: the document does not exist'})",
    )


def _load_or_new(
    project: Project, current: str | None, rel: str, name: str, envelope: str
) -> Document:
    """The parsed document, or a fresh one from the hub's template (bare if there is none)."""
    from hestai_tmws.octave import parse
    from hestai_tmws.octave.model import Document

    if current is not None:
        return parse(current)
    try:
        from hestai_tmws.governance.rules import template_path

        return parse(template_path(project, name).read_text(encoding="utf-8"))
    except (NotFoundError, ValidationError, OSError):
        return Document(name=envelope, meta={"TYPE": envelope, "VERSION": "1.0"})


# -- writing with the size cap -----------------------------------------------------------------


@dataclass
class ContextWrite:
    write: WriteResult
    lines: int
    over_cap: bool
    archived: int = 0
    history: WriteResult | None = None
    notes: list[str] = field(default_factory=list)


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
    from hestai_tmws.memory.documents import render
    from hestai_tmws.secrets.redaction import assert_clean

    with steward.transaction(f"write {rel}"):
        current = steward.read_text(rel)
        current_hash = content_hash(current) if current is not None else ""
        if expect_sha256 is not None and expect_sha256 != current_hash:
            raise _conflict(rel, current, current_hash)
        notes: list[str] = []
        moved: list[MovedEntry] = []
        if rel == HISTORY_REL:
            lines = _line_count(doc)
        else:
            moved, lines = cap_document(doc, max_lines, _line_count)
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


def _line_count(doc: Document) -> int:
    from hestai_tmws.octave import emit

    return emit(doc).count("\n")


def _history_limit(project: Project) -> int:
    from hestai_tmws.governance.rules import load_routing
    from hestai_tmws.memory.documents import document_limit

    return document_limit(load_routing(project).get("history"), load_settings(project))


def _load_history(project: Project, steward: Steward) -> Document:
    rule_envelope = "PROJECT_HISTORY"
    return _load_or_new(
        project, steward.read_text(HISTORY_REL), HISTORY_REL, HISTORY_NAME, rule_envelope
    )


def _archive(
    project: Project, steward: Steward, source: str, moved: list[MovedEntry], now: datetime
) -> WriteResult:
    """Put moved entries at the top of ARCHIVED_CONTEXT in project history (newest first)."""
    from hestai_tmws.memory.documents import render

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
    text = render(doc, HISTORY_REL, _history_limit(project))
    return steward.write_text(
        HISTORY_REL,
        text,
        actor="context_update",
        reason=f"archived {len(moved)} entries of {source}",
    )


# -- project history ---------------------------------------------------------------------------


def append_history(project: Project, steward: Steward, entry: dict[str, Any]) -> WriteResult:
    """Add a dated record (a closed session, a milestone) at the top of the history timeline.

    Safe inside a caller's Steward transaction (the lock is re-entrant per thread). Values are
    flattened to one line each and redacted; keys become upper-case OCTAVE keys, with DATE,
    EVENT and SOURCE first (the template's entry shape). A record for a session already in the
    timeline replaces it (a retried clock-out). When history reaches its size limit the oldest
    session records give way: each still lives in its session archive, which SOURCE names.
    """
    from hestai_tmws.memory.documents import render

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
        text = render(doc, HISTORY_REL, limit)
        return steward.write_text(HISTORY_REL, text, actor="clock-out", reason="project history")


def _fit_timeline(doc: Document, entries: list[Value], limit: int) -> None:
    """Drop the oldest session records (recoverable from their archives) until `doc` fits."""
    from hestai_tmws.octave import emit

    def archived(e: Value) -> bool:
        return isinstance(e, dict) and isinstance(e.get("SOURCE"), str) and bool(e.get("SESSION"))

    while len(emit(doc).encode("utf-8")) > limit:
        oldest = next((i for i in range(len(entries) - 1, 0, -1) if archived(entries[i])), None)
        if oldest is None:
            return  # nothing safe to drop: render() reports the limit
        del entries[oldest]


_HISTORY_FIRST = ("DATE", "EVENT", "SOURCE", "SESSION")


def _history_item(entry: dict[str, Any]) -> dict[str, Value]:
    from hestai_tmws.secrets.redaction import redact_obj

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
    import json

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


# -- reading -----------------------------------------------------------------------------------


def show_context(project: Project, documents: list[str] | None = None) -> ContextView:
    """The context documents (content + hash), the north star summary and open checklist items.

    Read-only: takes no lock; each document is read once, so its hash matches its content.
    """
    settings = load_settings(project)
    names = documents if documents else [*CONTEXT_DOCS]
    view = ContextView(max_lines=settings.context_max_lines)
    wanted_north_star = not documents
    for raw in names:
        name, doc_type, rel = resolve_context_doc(raw, allow_north_star=True)
        if name == NORTH_STAR_NAME:
            wanted_north_star = True
            continue
        doc_view, doc = _read_view(project, name, doc_type, rel, settings.context_max_lines)
        view.documents.append(doc_view)
        if name == "project-checklist" and doc is not None:
            view.open_items = open_checklist_items(doc)
    if wanted_north_star:
        view.north_star = north_star_summary(project)
    return view


def _read_text(project: Project, rel: str) -> str | None:
    from hestai_tmws.steward.paths import normalise_rel, resolve_target

    target = resolve_target(project, normalise_rel(rel))  # refuses links on the way
    try:
        return target.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None


def _read_view(
    project: Project, name: str, doc_type: str, rel: str, max_lines: int
) -> tuple[ContextDocumentView, Document | None]:
    from hestai_tmws.octave import parse

    text = _read_text(project, rel)
    view = ContextDocumentView(
        name=name, doc_type=doc_type, rel=rel, path=f"{HESTAI}/{rel}", exists=text is not None
    )
    if text is None:
        return view, None
    view.content = text
    view.sha256 = content_hash(text)
    view.lines = text.count("\n")
    view.bytes = len(text.encode("utf-8"))
    view.over_cap = name != HISTORY_NAME and view.lines > max_lines
    try:
        return view, parse(text)
    except ValidationError as exc:
        view.error = exc.message
        return view, None


def open_checklist_items(doc: Document) -> list[ChecklistItem]:
    """Tasks not marked done: blocks with a STATUS, and items of OPEN/TODO-like lists."""
    items: list[ChecklistItem] = []
    for sec in doc.sections:
        if _DONE_NAME.search(sec.name):
            continue
        task_section = bool(_OPEN_LIST.search(sec.name))
        for key, value in sec.body.items():
            if isinstance(value, dict):
                status = value.get("STATUS")
                if isinstance(status, str) and status.upper() in DONE_STATES:
                    continue
                if status is None and not task_section:
                    continue
                items.append(
                    ChecklistItem(
                        section=sec.name,
                        key=key,
                        text=_text_of(value) or key,
                        status=str(status) if status is not None else None,
                        owner=str(value["OWNER"]) if isinstance(value.get("OWNER"), str) else None,
                    )
                )
            elif isinstance(value, list) and (task_section or _OPEN_LIST.search(key)):
                if _DONE_NAME.search(key):
                    continue
                for n, item in enumerate(value, 1):
                    text = _text_of(item) if isinstance(item, dict) else str(item)
                    if (
                        isinstance(item, dict)
                        and str(item.get("STATUS", "")).upper() in DONE_STATES
                    ):
                        continue
                    if _CHECKED.match(text):
                        continue
                    items.append(ChecklistItem(section=sec.name, key=f"{key}[{n}]", text=text))
    return items


def _text_of(value: Any) -> str:
    if isinstance(value, dict):
        for k in _TEXT_KEYS:
            if isinstance(value.get(k), str):
                return str(value[k])
        for v in value.values():
            if isinstance(v, str):
                return v
        return ""
    return str(value)


def north_star_summary(project: Project) -> NorthStarView:
    """Title, status, mission statement and the immutable requirements, one line each."""
    from hestai_tmws.octave import parse

    text = _read_text(project, NORTH_STAR)
    view = NorthStarView(rel=NORTH_STAR, exists=text is not None)
    if text is None:
        return view
    view.sha256 = content_hash(text)
    try:
        doc = parse(text)
    except ValidationError:
        return view
    title = doc.meta.get("TITLE") or doc.meta.get("PURPOSE")
    view.title = str(title) if title is not None else None
    view.status = str(doc.meta["STATUS"]) if doc.meta.get("STATUS") is not None else None
    for sec in doc.sections:
        statement = sec.body.get("STATEMENT")
        if isinstance(statement, str) and view.statement is None:
            view.statement = statement
    sections = [s for s in doc.sections if _REQUIREMENTS.search(s.name)] or doc.sections
    for sec in sections:
        for key, value in sec.body.items():
            if isinstance(value, dict):
                label = value.get("NAME")
                head = f"{key} {label}" if isinstance(label, str) else key
                view.requirements.append(
                    f"{head}: {_text_of({k: v for k, v in value.items() if k != 'NAME'})}"
                )
            elif isinstance(value, list):
                view.requirements.extend(str(v) for v in value)
            elif isinstance(value, str):
                view.requirements.append(f"{key}: {value}")
    view.requirements = view.requirements[:SUMMARY_ITEMS]
    return view
