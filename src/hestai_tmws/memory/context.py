"""context_update: small, merged edits of the living context documents.

Agents change one key or one list at a time instead of rewriting whole files, so two sessions
editing different parts of `project-context` both win. Every update reads, applies and writes
inside one Steward transaction (no update can lose another's), and a caller that read the
document earlier can pass its hash: a stale hash is a ConflictError carrying the current text.

Context documents stay short (`context_max_lines`): when one grows past the cap, its oldest
entries move into `project-history` (see `history`) before the document is written, so nothing
is ever dropped. Reading the documents is `views`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, Field

from hestai_tmws.config import load_settings
from hestai_tmws.governance.placement import routing_placement
from hestai_tmws.governance.rules import load_routing
from hestai_tmws.memory.author import writing_session
from hestai_tmws.memory.context_merge import ContextChange, apply_change, parse_changes
from hestai_tmws.memory.history import stale_base, write_context_document
from hestai_tmws.memory.naming import resolve_context_doc
from hestai_tmws.memory.rendering import document_limit, load_or_new
from hestai_tmws.octave import emit
from hestai_tmws.project import Project
from hestai_tmws.steward import Steward
from hestai_tmws.steward.steward import content_hash

__all__ = ["ContextChange", "ContextUpdateResult", "update_context"]


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


SHORT_HASH = 12  # what `tmws context show` prints; a shorter prefix is too easy to collide


def hash_matches(given: str, current: str) -> bool:
    """`given` names `current`: equal, or the printed prefix (at least SHORT_HASH hex digits)."""
    given = given.strip().lower()
    if given == current:
        return True
    return len(given) >= SHORT_HASH and bool(current) and current.startswith(given)


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

    With `base_hash` (the sha256 the caller read, or its first 12 hex digits as `context show`
    prints them; "" for "must not exist yet") the update is a
    compare-and-swap: if the document changed since, ConflictError carries `current` and
    `current_hash` so the caller can merge and retry. Without it the changes are applied to
    whatever is current, inside the Steward lock, so concurrent updates never lose each other.
    `enforce_anchor=False` is for the Steward's own bookkeeping (clock-out folding learnings in),
    which must not be blocked by the anchor requirement meant for agents.
    """
    name, doc_type, rel = resolve_context_doc(document)
    parsed = parse_changes(changes)
    settings = load_settings(project)
    session = writing_session(project, session_id, enforce_anchor=enforce_anchor)
    rule = load_routing(project).get(doc_type)
    limit = document_limit(rule, settings)
    envelope = rule.envelope if rule and rule.envelope else name.upper().replace("-", "_")
    stamp = now or datetime.now(UTC)

    steward = Steward(
        project,
        lock_timeout=settings.lock_timeout_seconds,
        placement=routing_placement(project),
    )
    with steward.transaction(f"context update {name}", stage=settings.stage_writes):
        current = steward.read_text(rel)
        current_hash = content_hash(current) if current is not None else ""
        if base_hash is not None and not hash_matches(base_hash, current_hash):
            raise stale_base(rel, current, current_hash)
        doc = load_or_new(project, current, name, envelope)
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
