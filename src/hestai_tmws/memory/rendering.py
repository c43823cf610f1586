"""Turning a memory document into text for the Steward, and back: the steps every write shares.

One byte limit per document type (routing rule and project setting), one canonical render that
refuses oversize text, and one way to start a document that does not exist yet (the hub's
template, else a bare envelope).
"""

from __future__ import annotations

from hestai_tmws.config import Settings
from hestai_tmws.errors import NotFoundError, ValidationError
from hestai_tmws.governance.rules import RoutingRule, template_path
from hestai_tmws.octave import emit, parse
from hestai_tmws.octave.model import Document
from hestai_tmws.project import Project


def document_limit(rule: RoutingRule | None, settings: Settings) -> int:
    """The byte limit of one document: the routing rule's MAX_BYTES and the project setting."""
    limits = [settings.max_document_bytes]
    if rule is not None and rule.max_bytes:
        limits.append(rule.max_bytes)
    return min(limits)


def render(doc: Document, rel: str, limit: int) -> str:
    """Canonical OCTAVE text of `doc`, refused when it is over `limit` bytes."""
    text = emit(doc)
    size = len(text.encode("utf-8"))
    if size > limit:
        raise ValidationError(
            f"{rel} would be {size} bytes; the limit for this document type is {limit} bytes",
            hint="shorten the content",
        )
    return text


def line_count(doc: Document) -> int:
    """Lines of the canonical text of `doc` (what the context size cap counts)."""
    return emit(doc).count("\n")


def load_or_new(project: Project, current: str | None, name: str, envelope: str) -> Document:
    """The parsed document, or a fresh one from the hub's template (bare if there is none)."""
    if current is not None:
        return parse(current)
    try:
        return parse(template_path(project, name).read_text(encoding="utf-8"))
    except (NotFoundError, ValidationError, OSError):
        return Document(name=envelope, meta={"TYPE": envelope, "VERSION": "1.0"})
