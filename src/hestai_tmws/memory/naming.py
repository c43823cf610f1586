"""How memory documents are named: context-document names, types, titles, slugs and numbers.

Agents never choose a path: a context document is named by one of a few fixed names (with
aliases), a decision or report by a slug of its title plus a number or a date. Keeping all of
it here means no other module builds a memory file name by hand.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from hestai_tmws.errors import PolicyError, UsageError, ValidationError
from hestai_tmws.governance.rules import RoutingRule, slugify
from hestai_tmws.layout import CONTEXT, CONTEXT_DOCS, DECISIONS, HESTAI, NORTH_STAR
from hestai_tmws.project import Project
from hestai_tmws.secrets.redaction import redact

if TYPE_CHECKING:
    from hestai_tmws.steward import Steward

HISTORY_NAME = "project-history"
HISTORY_REL = f"{CONTEXT}/{HISTORY_NAME}.oct.md"
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
_NORTH_STAR_NAMES = (
    NORTH_STAR_NAME,
    "north_star",
    "000-project-north-star",
    "workflow/000-project-north-star",
)

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
TITLE_MAX_CHARS = 200
SLUG_MAX = 48
DECISION_LIMIT = 999
_DOC_TYPE_SHAPE = re.compile(r"^[a-z][a-z0-9-]{0,39}$")
FORBIDDEN_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_DECISION_FILE = re.compile(r"^([0-9]{3})-.*[.]oct[.]md$")


def resolve_context_doc(name: str, *, allow_north_star: bool = False) -> tuple[str, str, str]:
    """`checklist`, `project-checklist`, `context/project-checklist.oct.md` → (name, type, rel)."""
    text = (name or "").strip().lower()
    for prefix in (f"{HESTAI}/", f"{CONTEXT}/"):
        if text.startswith(prefix):
            text = text[len(prefix) :]
    if text.endswith(".oct.md"):
        text = text[: -len(".oct.md")]
    text = text.replace("_", "-")
    if text in _NORTH_STAR_NAMES:
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


def normalise_doc_type(doc_type: str) -> str:
    """`North_Star` → `north-star`; anything that is not a plain type name is refused."""
    kind = (doc_type or "").strip().lower().replace("_", "-")
    if not _DOC_TYPE_SHAPE.match(kind):
        raise UsageError(
            f"{doc_type!r} is not a document type",
            hint="document types: " + ", ".join(SUBMITTABLE),
        )
    return kind


def clean_title(title: str) -> str:
    """One line, no control characters, bounded: titles end up in META and in file names."""
    text = " ".join((title or "").split())
    if FORBIDDEN_CHARS.search(text):
        raise UsageError("a title cannot hold control characters")
    if len(text) > TITLE_MAX_CHARS:
        raise UsageError(f"the title is {len(text)} characters; the limit is {TITLE_MAX_CHARS}")
    return text


def safe_slug(title: str) -> str:
    """The naming-standard slug of a title; refuses titles with nothing to name a file by.

    Only `a-z0-9` runs survive, so `../../etc/passwd` becomes `etc-passwd`: no separator,
    dot or other path syntax can reach the file name.
    """
    text = clean_title(title)
    folded = slugify(redact(text), SLUG_MAX)  # a file name never carries a secret
    if not text or (folded == "untitled" and "untitled" not in text.lower()):
        raise UsageError(
            f"the title {title!r} has no letters or digits to name the file by",
            hint="give a title with words, e.g. --title 'Use JSONL for logs'",
        )
    return folded


def next_decision(project: Project, rule: RoutingRule, slug: str) -> tuple[int, str]:
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


def free_report_name(steward: Steward, rule: RoutingRule, stamp: datetime, slug: str) -> str:
    """`YYYY-MM-DD-<slug>.oct.md`, with `-2`, `-3`… when that day already has the name."""
    day = stamp.astimezone(UTC).date().isoformat()
    base = f"{day}-{slug}"
    for n in range(1, 1000):
        name = f"{base}.oct.md" if n == 1 else f"{base}-{n}.oct.md"
        rel = rule.path_for(name)
        if not steward.exists(rel):
            return rel
    raise ValidationError(f"too many reports named {base} on one day")
