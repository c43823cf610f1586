"""document_submit: put a typed document where the visibility rules say, named by the standard.

Agents hand over a type, a title and text; they never choose a path. The routing table in
the governance hub decides the folder, the naming standard (`naming`) decides the file name,
and the Steward writes it. Decisions are numbered inside the Steward transaction, so two
sessions submitting at once (threads, processes, worktrees) get different numbers and neither
is lost.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

from pydantic import BaseModel, Field

from hestai_tmws.config import load_settings
from hestai_tmws.errors import NotFoundError, PolicyError, UsageError, ValidationError
from hestai_tmws.governance.placement import routing_placement
from hestai_tmws.governance.rules import RoutingRule, load_routing, template_path
from hestai_tmws.layout import DECISIONS
from hestai_tmws.memory.author import writing_session
from hestai_tmws.memory.document_build import build_document, redact_document
from hestai_tmws.memory.history import write_context_document
from hestai_tmws.memory.naming import (
    DECISION_LIMIT,
    FIXED_DOCS,
    FORBIDDEN_CHARS,
    SUBMITTABLE,
    free_report_name,
    next_decision,
    normalise_doc_type,
    safe_slug,
)
from hestai_tmws.memory.rendering import document_limit, render
from hestai_tmws.octave import parse
from hestai_tmws.octave.model import Document
from hestai_tmws.project import Project
from hestai_tmws.steward import Steward, WriteResult

__all__ = ["SUBMITTABLE", "DocumentResult", "submit_document"]

# Types that exist in the routing table but are written by other services.
WRITTEN_BY: dict[str, str] = {
    "history": "`tmws clock-out` and `tmws context update project-history`",
    "session-archive": "`tmws clock-out`",
    "active-session": "`tmws clock-in`",
    "pattern": "`tmws learn`",
    "skill": "`tmws learn promote`",
}
APPROVED_STATES = frozenset({"APPROVED", "ACCEPTED"})


class DocumentResult(BaseModel):
    """Where a submitted document went and what was done to it on the way."""

    doc_type: str
    path: str  # relative to the work tree root, e.g. ".hestai/workflow/decisions/001-x.oct.md"
    rel: str  # relative to `.hestai/`
    title: str
    slug: str | None = None
    number: int | None = None  # decisions only
    source_format: Literal["octave", "text"]
    created: bool
    changed: bool
    sha256: str
    bytes: int
    lines: int
    session_id: str | None = None
    author_role: str | None = None
    redactions: int = 0  # secrets replaced by [REDACTED:<kind>] before writing
    redaction_kinds: list[str] = Field(default_factory=list)
    archived_entries: int = 0  # context docs: entries moved to project-history by the size cap
    notes: list[str] = Field(default_factory=list)


def submit_document(
    project: Project,
    *,
    doc_type: str,
    title: str | None = None,
    content: str,
    session_id: str | None = None,
    base_hash: str | None = None,
    approved_decision: str | None = None,
    now: datetime | None = None,
) -> DocumentResult:
    """Validate, wrap or check, name and write one document; returns where it went.

    `content` is OCTAVE (it starts with `===NAME===`; parsed, and its envelope must be the
    type's) or plain text / Markdown (wrapped into a document of the type, text kept verbatim
    in a literal zone). `base_hash` makes the replacement of a fixed document (context,
    checklist, …) a compare-and-swap. Replacing an existing north star needs
    `approved_decision`, the number of the decision record that approves the change.
    """
    settings = load_settings(project)
    kind = normalise_doc_type(doc_type)
    rule = _submittable_rule(kind, load_routing(project))
    session = writing_session(project, session_id)

    limit = document_limit(rule, settings)
    _check_content(content, kind, limit)
    stamp = now or datetime.now(UTC)
    doc, source_format = build_document(
        content, kind=kind, envelope=_envelope(rule), title=title, session=session, now=stamp
    )
    title_text = str(doc.meta.get("TITLE") or "")
    redactions, kinds = redact_document(doc)

    steward = Steward(
        project,
        lock_timeout=settings.lock_timeout_seconds,
        placement=routing_placement(project),
    )
    notes: list[str] = []
    if redactions:
        notes.append(f"redacted {redactions} secret-like value(s): {', '.join(kinds)}")
    slug = safe_slug(title_text) if kind not in FIXED_DOCS else None
    number: int | None = None
    archived = 0
    with steward.transaction(f"document {kind}", stage=settings.stage_writes):
        if kind == "decision":
            assert slug is not None
            number, rel = next_decision(project, rule, slug)
            doc.meta["NUMBER"] = f"{number:03d}"
            result = _write(steward, rel, doc, limit, only_if_absent=True)
        elif kind not in FIXED_DOCS:  # reports and any type the hub's table adds
            assert slug is not None
            rel = free_report_name(steward, rule, stamp, slug)
            result = _write(steward, rel, doc, limit, only_if_absent=True)
        else:
            rel = rule.path_for(FIXED_DOCS[kind].rsplit("/", 1)[-1])
            if kind == "north-star":
                _north_star_policy(steward, rel, doc, approved_decision, notes)
            if rel.startswith("context/"):
                outcome = write_context_document(
                    project,
                    steward,
                    rel,
                    doc,
                    expect_sha256=base_hash,
                    max_lines=settings.context_max_lines,
                    limit=limit,
                    now=stamp,
                    reason=f"document_submit {kind}",
                )
                result = outcome.write
                archived = outcome.archived
                notes.extend(outcome.notes)
            else:
                result = _write(steward, rel, doc, limit, expect_sha256=base_hash)
        lines = (steward.read_text(rel) or "").count("\n")
    return DocumentResult(
        doc_type=kind,
        path=result.path,
        rel=rel,
        title=title_text,
        slug=slug,
        number=number,
        source_format=source_format,
        created=result.created,
        changed=result.changed,
        sha256=result.sha256 or "",
        bytes=result.bytes,
        lines=lines,
        session_id=session.id if session else None,
        author_role=session.role if session else None,
        redactions=redactions,
        redaction_kinds=kinds,
        archived_entries=archived,
        notes=notes,
    )


def _submittable_types(routing: dict[str, RoutingRule]) -> list[str]:
    """Every routed type a document can be submitted as (the routing table decides)."""
    return [
        kind
        for kind, rule in routing.items()
        if kind not in WRITTEN_BY and rule.format == "octave" and not rule.append_only
    ]


def _submittable_rule(kind: str, routing: dict[str, RoutingRule]) -> RoutingRule:
    rule = routing.get(kind)
    if rule is None:
        raise UsageError(
            f"the governance rules do not route document type {kind!r}",
            hint="document types: " + ", ".join(_submittable_types(routing)),
        )
    # Table-driven: any routed OCTAVE type that no other service owns can be submitted.
    if kind in WRITTEN_BY or rule.format != "octave" or rule.append_only:
        by = WRITTEN_BY.get(kind, "the Steward's own services")
        raise PolicyError(
            f"{kind} documents cannot be submitted; they are written by {by}",
            hint="document types: " + ", ".join(_submittable_types(routing)),
        )
    return rule


def _envelope(rule: RoutingRule) -> str:
    if not rule.envelope:
        raise ValidationError(f"the routing rule of {rule.doc_type} names no OCTAVE envelope")
    return rule.envelope


def _check_content(content: str, kind: str, limit: int) -> None:
    if not isinstance(content, str):
        raise UsageError("content must be text")
    size = len(content.encode("utf-8"))
    if size > limit:
        raise ValidationError(
            f"the {kind} content is {size} bytes; "
            f"the limit for one {kind} document is {limit} bytes",
            hint="shorten it, or split it into several documents",
        )
    if not content.strip():
        raise ValidationError(f"the {kind} content is empty")
    bad = FORBIDDEN_CHARS.search(content)
    if bad:
        line = content.count("\n", 0, bad.start()) + 1
        raise ValidationError(
            f"the {kind} content holds a control character "
            f"(U+{ord(bad.group()):04X}) on line {line}"
        )


def _write(
    steward: Steward,
    rel: str,
    doc: Document,
    limit: int,
    *,
    only_if_absent: bool = False,
    expect_sha256: str | None = None,
) -> WriteResult:
    text = render(doc, rel, limit)
    return steward.write_text(
        rel,
        text,
        only_if_absent=only_if_absent,
        expect_sha256=expect_sha256,
        actor="document_submit",
        reason=f"document_submit {rel}",
    )


def _north_star_policy(
    steward: Steward, rel: str, doc: Document, approved_decision: str | None, notes: list[str]
) -> None:
    """The north star is immutable: a replacement must name the decision that approves it.

    The untouched template that `tmws init` puts in place is the one exception: drafting the
    first real north star needs no decision.
    """
    current = steward.read_text(rel)
    if current is None or _is_template(steward.project, current):
        return
    if approved_decision is None:
        raise PolicyError(
            "the north star already exists and holds immutable requirements",
            hint="record a decision approving the change, then resubmit with "
            "--approved-decision NNN (the decision's number)",
        )
    digits = approved_decision.strip()
    if not digits.isdigit() or not 0 < int(digits) <= DECISION_LIMIT:
        raise UsageError(f"{approved_decision!r} is not a decision number")
    prefix = f"{int(digits):03d}-"
    folder = steward.project.memory_path(DECISIONS)
    found = sorted(p.name for p in folder.glob(f"{prefix}*.oct.md")) if folder.is_dir() else []
    if not found:
        raise PolicyError(
            f"decision {prefix[:-1]} does not exist",
            hint="submit the decision first with `tmws doc submit decision`",
        )
    decision_rel = f"{DECISIONS}/{found[0]}"
    status = parse(steward.read_text(decision_rel) or "").meta.get("STATUS")
    if not isinstance(status, str) or status.upper() not in APPROVED_STATES:
        raise PolicyError(
            f"decision {prefix[:-1]} has STATUS {status or 'missing'}, not APPROVED",
            hint="a north star change needs a decision with STATUS::APPROVED in its META",
        )
    doc.meta["APPROVED_BY"] = decision_rel
    notes.append(f"north star replaced under {decision_rel}")


def _is_template(project: Project, current: str) -> bool:
    """Is `current` still the hub's north-star template, as `tmws init` wrote it?"""
    try:
        template = template_path(project, "north-star").read_text(encoding="utf-8")
    except (NotFoundError, OSError):
        return False
    return template == current
