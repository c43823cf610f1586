"""What the search index stores of one record: its id, title, date and plain searchable text.

OCTAVE syntax (`KEY::`, quotes, brackets) is not searchable content: values are taken from
the parsed document. A file that does not parse is still indexed, as its raw text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from hestai_tmws.errors import TmwsError
from hestai_tmws.memory.show import RecordKind
from hestai_tmws.octave import Literal, Value, parse

SUFFIX = ".oct.md"
_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})")
_SESSION_ID = re.compile(r"-([0-9a-f]{8})\.oct\.md$")
_FRONT_NAME = re.compile(r"^name:\s*(.+)$", re.M)
_DATE_KEYS = ("DATE", "STARTED", "CREATED", "UPDATED")
_TITLE_KEYS = ("TITLE", "FOCUS", "NAME")
_SKIPPED_SECTIONS = frozenset({"TRACE"})  # the trace repeats the tool calls
_SKIPPED_KEYS = frozenset({"SOURCE", "COUNT", "DIGEST_ALGO"})  # bookkeeping, not content


@dataclass(frozen=True)
class IndexText:
    record_id: str
    title: str
    date: str  # YYYY-MM-DD
    body: str


def _values(value: Value, out: list[str]) -> None:
    if isinstance(value, dict):
        for key, inner in value.items():
            if key not in _SKIPPED_KEYS:
                _values(inner, out)
    elif isinstance(value, list):
        for inner in value:
            _values(inner, out)
    elif isinstance(value, Literal):
        out.append(value.text)
    elif isinstance(value, str) and value:
        out.append(value)


def _record_id(kind: RecordKind, rel: str, name: str) -> str:
    stem = name.removesuffix(SUFFIX)
    if kind == "session":
        match = _SESSION_ID.search(name)
        return match.group(1) if match else stem
    if kind == "decision":
        return stem.split("-", 1)[0]
    if kind == "skill":
        return rel.rsplit("/", 2)[-2]
    return "north-star" if stem == "000-project-north-star" else stem


def _fallback_date(mtime: float) -> str:
    return datetime.fromtimestamp(mtime, UTC).strftime("%Y-%m-%d")


def extract(kind: RecordKind, rel: str, text: str, mtime: float) -> IndexText:
    """The indexable parts of the file `rel` (inside .hestai/) holding `text`."""
    name = rel.rsplit("/", 1)[-1]
    ident = _record_id(kind, rel, name)
    date_match = _DATE.match(name)
    date = date_match.group(1) if date_match else ""
    if kind == "skill" or not name.endswith(SUFFIX):
        found = _FRONT_NAME.search(text)
        title = found.group(1).strip().strip("\"'") if found else ident
        return IndexText(ident, title, date or _fallback_date(mtime), text)
    try:
        doc = parse(text)
    except TmwsError:
        return IndexText(ident, ident, date or _fallback_date(mtime), text)
    parts: list[str] = []
    for key, value in doc.meta.items():
        if key in _TITLE_KEYS:
            _values(value, parts)
    _values(doc.body, parts)
    for section in doc.sections:
        if section.name not in _SKIPPED_SECTIONS:
            _values(section.body, parts)
    summary = doc.section("SUMMARY")
    title = ""
    if summary is not None and isinstance(summary.body.get("TEXT"), str):
        title = str(summary.body["TEXT"])[:160]
    title = title or next((str(doc.meta[k]) for k in _TITLE_KEYS if doc.meta.get(k)), ident)
    if not date:
        raw = next((doc.meta[k] for k in _DATE_KEYS if isinstance(doc.meta.get(k), str)), "")
        found_date = _DATE.search(str(raw))
        date = found_date.group(1) if found_date else _fallback_date(mtime)
    return IndexText(ident, title, date, "\n".join(parts))
