"""document_submit: put a typed document where the visibility rules say, named by the standard.

Agents hand over a type, a title and text; they never choose a path. The routing table in
the governance hub decides the folder, the naming standard decides the file name, and the
Steward writes it. Decisions are numbered inside the Steward transaction, so two sessions
submitting at once (threads, processes, worktrees) get different numbers and neither is lost.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, Field

from hestai_tmws.config import Settings, load_settings
from hestai_tmws.errors import PolicyError, UsageError, ValidationError
from hestai_tmws.layout import DECISIONS, NORTH_STAR
from hestai_tmws.project import Project

if TYPE_CHECKING:
    from hestai_tmws.governance.rules import RoutingRule
    from hestai_tmws.octave.model import Document, Value
    from hestai_tmws.sessions.model import ActiveSession
    from hestai_tmws.steward import Steward, WriteResult

# Document types an agent may submit, and the fixed file of those that have one.
SUBMITTABLE: tuple[str, ...] = (
    "decision",
    "report",
    "context",
    "north-star",
    "checklist",
    "negative",
    "roadmap",
)
FIXED_DOCS: dict[str, str] = {
    "context": "context/project-context.oct.md",
    "checklist": "context/project-checklist.oct.md",
    "negative": "context/context-negatives.oct.md",
    "roadmap": "context/project-roadmap.oct.md",
    "north-star": NORTH_STAR,
}
DEFAULT_TITLES: dict[str, str] = {
    "context": "Project context",
    "checklist": "Project checklist",
    "negative": "Context negatives",
    "roadmap": "Project roadmap",
    "north-star": "Project north star",
}
# Types that exist in the routing table but are written by other services.
WRITTEN_BY: dict[str, str] = {
    "history": "`tmws clock-out` and `tmws context update project-history`",
    "session-archive": "`tmws clock-out`",
    "active-session": "`tmws clock-in`",
    "pattern": "`tmws learn`",
    "skill": "`tmws learn promote`",
}
TITLE_MAX_CHARS = 200
SLUG_MAX = 48
DECISION_LIMIT = 999
APPROVED_STATES = frozenset({"APPROVED", "ACCEPTED"})
_DOC_TYPE_SHAPE = re.compile(r"^[a-z][a-z0-9-]{0,39}$")
_FORBIDDEN_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_DECISION_FILE = re.compile(r"^([0-9]{3})-.*[.]oct[.]md$")
_OCTAVE_START = re.compile(r"^===[A-Za-z_][A-Za-z0-9_]*===[ \t]*$")
_MARKER = re.compile(r"\[REDACTED:[^\]\s]+\]")


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


# -- public service ----------------------------------------------------------------------------


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
    from hestai_tmws.governance.rules import load_routing
    from hestai_tmws.sessions.anchor import require_anchor

    settings = load_settings(project)
    kind = normalise_doc_type(doc_type)
    routing = load_routing(project)
    rule = _submittable_rule(kind, routing)
    session = optional_session(project, session_id)
    require_anchor(project, session.id if session else session_id)

    limit = document_limit(rule, settings)
    _check_content(content, kind, limit)
    stamp = now or datetime.now(UTC)
    doc, source_format = build_document(
        content, kind=kind, envelope=_envelope(rule), title=title, session=session, now=stamp
    )
    title_text = str(doc.meta.get("TITLE") or "")
    redactions, kinds = redact_document(doc)

    from hestai_tmws.steward import Steward

    steward = Steward(project, lock_timeout=settings.lock_timeout_seconds)
    notes: list[str] = []
    if redactions:
        notes.append(f"redacted {redactions} secret-like value(s): {', '.join(kinds)}")
    slug = safe_slug(title_text) if kind in ("decision", "report") else None
    with steward.transaction(f"document {kind}", stage=settings.stage_writes):
        if kind == "decision":
            assert slug is not None
            number, rel = _next_decision(project, rule, slug)
            doc.meta["NUMBER"] = f"{number:03d}"
            result = _write(steward, rel, doc, limit, only_if_absent=True)
            archived = 0
        elif kind == "report":
            assert slug is not None
            number = None
            rel = _free_report_name(steward, rule, stamp, slug)
            result = _write(steward, rel, doc, limit, only_if_absent=True)
            archived = 0
        else:
            number = None
            rel = rule.path_for(FIXED_DOCS[kind].rsplit("/", 1)[-1])
            if kind == "north-star":
                _north_star_policy(steward, rel, doc, approved_decision, notes)
            if rel.startswith("context/"):
                from hestai_tmws.memory.context import write_context_document

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
                archived = 0
        lines = _count_lines(steward.read_text(rel) or "")
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


# -- types, routing, limits --------------------------------------------------------------------


def normalise_doc_type(doc_type: str) -> str:
    """`North_Star` → `north-star`; anything that is not a plain type name is refused."""
    kind = (doc_type or "").strip().lower().replace("_", "-")
    if not _DOC_TYPE_SHAPE.match(kind):
        raise UsageError(
            f"{doc_type!r} is not a document type",
            hint="document types: " + ", ".join(SUBMITTABLE),
        )
    return kind


def _submittable_rule(kind: str, routing: dict[str, RoutingRule]) -> RoutingRule:
    rule = routing.get(kind)
    if rule is None:
        raise UsageError(
            f"the governance rules do not route document type {kind!r}",
            hint="document types: " + ", ".join(t for t in SUBMITTABLE if t in routing),
        )
    if kind not in SUBMITTABLE or rule.format != "octave" or rule.append_only:
        by = WRITTEN_BY.get(kind, "the Steward's own services")
        raise PolicyError(
            f"{kind} documents cannot be submitted; they are written by {by}",
            hint="document types: " + ", ".join(t for t in SUBMITTABLE if t in routing),
        )
    if kind not in FIXED_DOCS and kind not in ("decision", "report"):
        raise PolicyError(f"no naming rule for submitted {kind} documents")
    return rule


def _envelope(rule: RoutingRule) -> str:
    if not rule.envelope:
        raise ValidationError(f"the routing rule of {rule.doc_type} names no OCTAVE envelope")
    return rule.envelope


def document_limit(rule: RoutingRule | None, settings: Settings) -> int:
    """The byte limit of one document: the routing rule's MAX_BYTES and the project setting."""
    limits = [settings.max_document_bytes]
    if rule is not None and rule.max_bytes:
        limits.append(rule.max_bytes)
    return min(limits)


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
    bad = _FORBIDDEN_CHARS.search(content)
    if bad:
        line = content.count("\n", 0, bad.start()) + 1
        raise ValidationError(
            f"the {kind} content holds a control character "
            f"(U+{ord(bad.group()):04X}) on line {line}"
        )


# -- titles and names --------------------------------------------------------------------------


def clean_title(title: str) -> str:
    """One line, no control characters, bounded: titles end up in META and in file names."""
    text = " ".join((title or "").split())
    if _FORBIDDEN_CHARS.search(text):
        raise UsageError("a title cannot hold control characters")
    if len(text) > TITLE_MAX_CHARS:
        raise UsageError(f"the title is {len(text)} characters; the limit is {TITLE_MAX_CHARS}")
    return text


def safe_slug(title: str) -> str:
    """The naming-standard slug of a title; refuses titles with nothing to name a file by.

    Only `a-z0-9` runs survive, so `../../etc/passwd` becomes `etc-passwd`: no separator,
    dot or other path syntax can reach the file name.
    """
    from hestai_tmws.governance.rules import slugify

    text = clean_title(title)
    folded = slugify(text, SLUG_MAX)
    if not text or (folded == "untitled" and "untitled" not in text.lower()):
        raise UsageError(
            f"the title {title!r} has no letters or digits to name the file by",
            hint="give a title with words, e.g. --title 'Use JSONL for logs'",
        )
    return folded


def _next_decision(project: Project, rule: RoutingRule, slug: str) -> tuple[int, str]:
    """The next free decision number; the caller holds the Steward lock."""
    folder = project.memory_path(DECISIONS)
    highest = 0
    if folder.is_dir():
        for entry in folder.iterdir():
            m = _DECISION_FILE.match(entry.name)
            if m:
                highest = max(highest, int(m.group(1)))
    number = highest + 1
    if number > DECISION_LIMIT:
        raise ValidationError(
            f"decision numbers are used up ({DECISION_LIMIT} decisions exist)",
            hint="supersede old decisions instead of adding new ones",
        )
    return number, rule.path_for(f"{number:03d}-{slug}.oct.md")


def _free_report_name(steward: Steward, rule: RoutingRule, stamp: datetime, slug: str) -> str:
    """`YYYY-MM-DD-<slug>.oct.md`, with `-2`, `-3`… when that day already has the name."""
    day = stamp.astimezone(UTC).date().isoformat()
    base = f"{day}-{slug}"
    for n in range(1, 1000):
        name = f"{base}.oct.md" if n == 1 else f"{base}-{n}.oct.md"
        rel = rule.path_for(name)
        if not steward.exists(rel):
            return rel
    raise ValidationError(f"too many reports named {base} on one day")


# -- sessions ----------------------------------------------------------------------------------


def optional_session(project: Project, session_id: str | None) -> ActiveSession | None:
    """The named session (errors if it is not open), else the only open one, else None.

    A person may submit without a session; the document then names no session or role.
    """
    from hestai_tmws.errors import NotFoundError
    from hestai_tmws.sessions.store import resolve_session

    if session_id:
        return resolve_session(project, session_id)
    try:
        return resolve_session(project, None)
    except (NotFoundError, UsageError):
        return None


# -- building the document ---------------------------------------------------------------------


def looks_like_octave(content: str) -> bool:
    first = content.lstrip("\ufeff \t\r\n").split("\n", 1)[0]
    return bool(_OCTAVE_START.match(first.rstrip("\r")))


def build_document(
    content: str,
    *,
    kind: str,
    envelope: str,
    title: str | None,
    session: ActiveSession | None,
    now: datetime,
) -> tuple[Document, Literal["octave", "text"]]:
    """Parse OCTAVE content (checking its envelope) or wrap text; fill the provenance META."""
    from hestai_tmws.octave import parse
    from hestai_tmws.octave.model import Document, Section
    from hestai_tmws.octave.model import Literal as Lit

    meta_title = clean_title(title) if title is not None else ""
    if looks_like_octave(content):
        doc = parse(content.lstrip("\ufeff \t\r\n"))
        if doc.name != envelope:
            raise ValidationError(
                f"a {kind} document has the envelope ==={envelope}===, not ==={doc.name}===",
                hint=f"start the document with ==={envelope}===, "
                "or send plain text to have it wrapped",
            )
        declared = doc.meta.get("TYPE")
        if declared is not None and declared != envelope:
            raise ValidationError(
                f"META TYPE is {declared!r}; a {kind} document has TYPE {envelope}"
            )
        given = doc.meta.get("TITLE")
        if not meta_title:
            meta_title = clean_title(given) if isinstance(given, str) else ""
        fmt: Literal["octave", "text"] = "octave"
    else:
        text = content.replace("\r\n", "\n").replace("\r", "\n")
        doc = Document(
            name=envelope,
            sections=[
                Section(number=1, name="CONTENT", body={"TEXT": Lit(text=text, lang="markdown")})
            ],
        )
        fmt = "text"
    if not meta_title:
        if kind in DEFAULT_TITLES:
            meta_title = DEFAULT_TITLES[kind]
        else:
            raise UsageError(
                f"a {kind} needs a title", hint="pass --title, or META TITLE in OCTAVE"
            )
    _fill_meta(doc, envelope=envelope, title=meta_title, session=session, now=now)
    return doc, fmt


def _fill_meta(
    doc: Document, *, envelope: str, title: str, session: ActiveSession | None, now: datetime
) -> None:
    """TYPE, TITLE, DATE, SESSION, AUTHOR_ROLE first, then whatever META the author gave.

    SESSION and AUTHOR_ROLE come from the session record when there is one: provenance is
    the Steward's to state, not the author's.
    """
    given = dict(doc.meta)
    meta: dict[str, Value] = {
        "TYPE": envelope,
        "TITLE": title,
        "DATE": given.get("DATE", now.astimezone(UTC).date().isoformat()),
        "SESSION": session.id if session else given.get("SESSION"),
        "AUTHOR_ROLE": session.role if session else given.get("AUTHOR_ROLE"),
    }
    for key, value in given.items():
        meta.setdefault(key, value)
    doc.meta = meta


def redact_document(doc: Document) -> tuple[int, list[str]]:
    """Replace secrets in every value (in place); returns (count, kinds).

    Values are redacted one by one after parsing, so a marker can never break the OCTAVE
    syntax around it; values of secret-named keys (`API_KEY::…`) are replaced whole.
    """
    before = _markers(doc)
    doc.meta = _redact_block(doc.meta)
    doc.body = _redact_block(doc.body)
    for sec in doc.sections:
        sec.body = _redact_block(sec.body)
    after = _markers(doc)
    added = [m for m in after if after.count(m) > before.count(m)]
    count = max(0, len(after) - len(before))
    kinds = sorted({m[len("[REDACTED:") : -1] for m in added})
    return count, kinds


def _redact_block(block: dict[str, Value]) -> dict[str, Value]:
    from hestai_tmws.octave.model import Literal as Lit
    from hestai_tmws.secrets.redaction import redact, redact_obj

    out: dict[str, Value] = {}
    for key, value in block.items():
        if isinstance(value, Lit):
            out[key] = Lit(text=redact(value.text), lang=value.lang)
        elif isinstance(value, dict):
            out[key] = _redact_block(value)
        elif isinstance(value, list):
            out[key] = [_redact_item(key, item) for item in value]
        else:
            out[key] = redact_obj({key: value})[key] if isinstance(value, str) else value
    return out


def _redact_item(key: str, item: Value) -> Value:
    from hestai_tmws.octave.model import Literal as Lit
    from hestai_tmws.secrets.redaction import redact

    if isinstance(item, Lit):
        return Lit(text=redact(item.text), lang=item.lang)
    if isinstance(item, dict):
        return _redact_block(item)
    if isinstance(item, list):
        return [_redact_item(key, sub) for sub in item]
    if isinstance(item, str):
        from hestai_tmws.secrets.redaction import redact_obj

        return redact_obj({key: item})[key]
    return item


def _markers(doc: Document) -> list[str]:
    from hestai_tmws.octave import emit

    return _MARKER.findall(emit(doc))


# -- writing -----------------------------------------------------------------------------------


def render(doc: Document, rel: str, limit: int) -> str:
    """Canonical OCTAVE text of `doc`, refused when it is over `limit` bytes."""
    from hestai_tmws.octave import emit

    text = emit(doc)
    size = len(text.encode("utf-8"))
    if size > limit:
        raise ValidationError(
            f"{rel} would be {size} bytes; the limit for this document type is {limit} bytes",
            hint="shorten the content",
        )
    return text


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
    from hestai_tmws.octave import parse

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
    if isinstance(status, str) and status.upper() not in APPROVED_STATES:
        raise PolicyError(
            f"decision {prefix[:-1]} has STATUS {status}, not APPROVED",
            hint="a north star change needs an approved decision",
        )
    doc.meta["APPROVED_BY"] = decision_rel
    notes.append(f"north star replaced under {decision_rel}")


def _is_template(project: Project, current: str) -> bool:
    """Is `current` still the hub's north-star template, as `tmws init` wrote it?"""
    from hestai_tmws.errors import NotFoundError
    from hestai_tmws.governance.rules import template_path

    try:
        template = template_path(project, "north-star").read_text(encoding="utf-8")
    except (NotFoundError, OSError):
        return False
    return template == current


def _count_lines(text: str) -> int:
    return text.count("\n")
