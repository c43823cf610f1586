"""Reading project memory: the context documents, the north star summary and open tasks.

What a session reads at the start. Read-only: takes no lock; each document is read once, so
its hash matches its content.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, Field

from hestai_tmws.config import load_settings
from hestai_tmws.errors import ValidationError
from hestai_tmws.layout import CONTEXT_DOCS, HESTAI, NORTH_STAR
from hestai_tmws.memory.context_cap import DONE_STATES
from hestai_tmws.memory.naming import HISTORY_NAME, NORTH_STAR_NAME, resolve_context_doc
from hestai_tmws.octave import parse
from hestai_tmws.octave.model import Document
from hestai_tmws.project import Project
from hestai_tmws.steward.paths import normalise_rel, resolve_target
from hestai_tmws.steward.steward import content_hash

_OPEN_LIST = re.compile(r"(OPEN|TODO|TASK|ITEM|PENDING|BLOCKED|NEXT|BACKLOG)", re.IGNORECASE)
_DONE_NAME = re.compile(r"(DONE|COMPLETED|CLOSED|ARCHIVE|RESOLVED)", re.IGNORECASE)
_REQUIREMENTS = re.compile(r"(IMMUTABLE|REQUIREMENT|CONSTRAINT|PRINCIPLE)", re.IGNORECASE)
_TEXT_KEYS = ("WHAT", "TITLE", "TASK", "RULE", "GOAL", "NAME", "TEXT", "SUMMARY", "DESCRIPTION")
_CHECKED = re.compile(r"^\s*\[[xX]\]")
SUMMARY_ITEMS = 30


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


def show_context(project: Project, documents: list[str] | None = None) -> ContextView:
    """The context documents (content + hash), the north star summary and open checklist items."""
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
    target = resolve_target(project, normalise_rel(rel))  # refuses links on the way
    try:
        return target.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None


def _read_view(
    project: Project, name: str, doc_type: str, rel: str, max_lines: int
) -> tuple[ContextDocumentView, Document | None]:
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
                item = _open_block(sec.name, key, value, task_section)
                if item is not None:
                    items.append(item)
            elif (
                isinstance(value, list)
                and (task_section or _OPEN_LIST.search(key))
                and not _DONE_NAME.search(key)
            ):
                items.extend(_open_list_items(sec.name, key, value))
    return items


def _open_block(
    section: str, key: str, value: dict[str, Any], task_section: bool
) -> ChecklistItem | None:
    status = value.get("STATUS")
    if isinstance(status, str) and status.upper() in DONE_STATES:
        return None
    if status is None and not task_section:
        return None
    return ChecklistItem(
        section=section,
        key=key,
        text=_text_of(value) or key,
        status=str(status) if status is not None else None,
        owner=str(value["OWNER"]) if isinstance(value.get("OWNER"), str) else None,
    )


def _open_list_items(section: str, key: str, value: list[Any]) -> list[ChecklistItem]:
    items: list[ChecklistItem] = []
    for n, item in enumerate(value, 1):
        text = _text_of(item) if isinstance(item, dict) else str(item)
        if isinstance(item, dict) and str(item.get("STATUS", "")).upper() in DONE_STATES:
            continue
        if _CHECKED.match(text):
            continue
        items.append(ChecklistItem(section=section, key=f"{key}[{n}]", text=text))
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
            view.requirements.extend(_requirement_lines(key, value))
    view.requirements = view.requirements[:SUMMARY_ITEMS]
    return view


def _requirement_lines(key: str, value: Any) -> list[str]:
    if isinstance(value, dict):
        label = value.get("NAME")
        head = f"{key} {label}" if isinstance(label, str) else key
        return [f"{head}: {_text_of({k: v for k, v in value.items() if k != 'NAME'})}"]
    if isinstance(value, list):
        return [str(v) for v in value]
    if isinstance(value, str):
        return [f"{key}: {value}"]
    return []
