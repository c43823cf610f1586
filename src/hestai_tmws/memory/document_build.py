"""Building a submitted document: parse OCTAVE or wrap text, fill provenance META, redact.

Pure (no files, no locks): what comes out is a `Document` ready to render, with every secret
replaced value by value so that a redaction marker can never break the OCTAVE around it.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Literal

from hestai_tmws.errors import UsageError, ValidationError
from hestai_tmws.memory.naming import clean_title
from hestai_tmws.memory.north_star_text import north_star_from_text
from hestai_tmws.octave import emit, parse
from hestai_tmws.octave.model import Document, Section, Value
from hestai_tmws.octave.model import Literal as Lit
from hestai_tmws.secrets.redaction import redact, redact_obj
from hestai_tmws.sessions.model import ActiveSession

DEFAULT_TITLES: dict[str, str] = {
    "context": "Project context",
    "checklist": "Project checklist",
    "negative": "Context negatives",
    "roadmap": "Project roadmap",
    "north-star": "Project north star",
}
_OCTAVE_START = re.compile(r"^===[A-Za-z_][A-Za-z0-9_]*===[ \t]*$")
_MARKER = re.compile(r"\[REDACTED:[^\]\s]+\]")


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
    meta_title = clean_title(title) if title is not None else ""
    fmt: Literal["octave", "text"]
    if looks_like_octave(content):
        doc = _parse_checked(content, kind=kind, envelope=envelope)
        given = doc.meta.get("TITLE")
        if not meta_title:
            meta_title = clean_title(given) if isinstance(given, str) else ""
        fmt = "octave"
    elif kind == "north-star":  # its shape matters to every agent: keep it, or refuse
        doc, fmt = north_star_from_text(content, envelope), "text"
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


def _parse_checked(content: str, *, kind: str, envelope: str) -> Document:
    doc = parse(content.lstrip("\ufeff \t\r\n"))
    if doc.name != envelope:
        raise ValidationError(
            f"a {kind} document has the envelope ==={envelope}===, not ==={doc.name}===",
            hint=f"start the document with ==={envelope}===, or send plain text to have it wrapped",
        )
    declared = doc.meta.get("TYPE")
    if declared is not None and declared != envelope:
        raise ValidationError(f"META TYPE is {declared!r}; a {kind} document has TYPE {envelope}")
    return doc


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
    if isinstance(item, Lit):
        return Lit(text=redact(item.text), lang=item.lang)
    if isinstance(item, dict):
        return _redact_block(item)
    if isinstance(item, list):
        return [_redact_item(key, sub) for sub in item]
    if isinstance(item, str):
        redacted: Value = redact_obj({key: item})[key]
        return redacted
    return item


def _markers(doc: Document) -> list[str]:
    return _MARKER.findall(emit(doc))
