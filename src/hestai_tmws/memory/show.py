"""`tmws show ID|PATH`: find one memory record and turn it into readable fields and sections.

A person should not have to read 50 KB of OCTAVE to learn what a session did: sessions are
summarised (what was asked, decided, changed; the tool mix), and every other record (decision,
report, pattern, context document) is flattened key by key. Skills are Markdown and kept as is.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Literal as TypingLiteral

from pydantic import BaseModel, Field

from hestai_tmws.errors import NotFoundError, UsageError, ValidationError
from hestai_tmws.layout import (
    CONTEXT,
    DECISIONS,
    HESTAI,
    NORTH_STAR,
    PATTERNS,
    REPORTS,
    SESSIONS_ARCHIVE,
    SKILLS,
)
from hestai_tmws.octave import Literal, Value, parse
from hestai_tmws.project import Project
from hestai_tmws.sessions.archive import read_archive
from hestai_tmws.sessions.archive.read import archive_files

RecordKind = TypingLiteral["session", "decision", "report", "pattern", "skill", "context", "other"]
SUFFIX = ".oct.md"
SKILL_FILE = "SKILL.md"
MIN_ID_PREFIX = 6  # a shorter session id prefix names too many sessions
MAX_ITEMS = 25  # list items shown per field; the rest is counted
_NUMBER = re.compile(r"^\d{1,4}$")
_FRONT = re.compile(r"\A---\n(.*?)\n---\n?", re.S)


class ShownField(BaseModel):
    """One `key: value` line (a list is several lines of `value`)."""

    key: str
    value: str


class ShownSection(BaseModel):
    title: str
    fields: list[ShownField] = Field(default_factory=list)


class ShownRecord(BaseModel):
    """A record made readable: what it is, where it lives, its metadata and its sections."""

    kind: RecordKind
    id: str
    path: str  # repository-relative
    title: str
    meta: list[ShownField] = Field(default_factory=list)
    sections: list[ShownSection] = Field(default_factory=list)
    text: str = ""  # Markdown body (skills)


def kind_of(rel: str) -> RecordKind:
    """The record kind of a path inside `.hestai/`, from its folder."""
    for prefix, kind in (
        (SESSIONS_ARCHIVE, "session"),
        (DECISIONS, "decision"),
        (REPORTS, "report"),
        (PATTERNS, "pattern"),
        (SKILLS, "skill"),
        (CONTEXT, "context"),
    ):
        if rel.startswith(prefix + "/"):
            return kind  # type: ignore[return-value]
    return "context" if rel == NORTH_STAR else "other"


def _glob_one(folder: Path, pattern: str) -> Path | None:
    found = sorted(folder.glob(pattern)) if folder.is_dir() else []
    return found[0] if found else None


def _by_path(project: Project, ref: str) -> Path | None:
    for base in (Path.cwd(), project.root, project.hestai):
        candidate = (base / ref).resolve()
        if candidate.is_file() and candidate.is_relative_to(project.hestai.resolve()):
            return candidate
    return None


def _by_id(project: Project, ref: str) -> Path | None:
    """A session id (or its first 8+ characters), decision number, pattern, skill or doc name."""
    memory = project.hestai
    if _NUMBER.match(ref):
        return _glob_one(memory / DECISIONS, f"{int(ref):03d}-*{SUFFIX}")
    if len(ref) >= MIN_ID_PREFIX:
        for rel in archive_files(project):
            id8 = rel.removesuffix(SUFFIX).rsplit("-", 1)[-1]  # names end in -<first 8 of id>
            if id8.startswith(ref[:8].lower()):
                return project.root / rel
    for candidate in (
        memory / PATTERNS / f"{ref}{SUFFIX}",
        memory / SKILLS / ref / SKILL_FILE,
        memory / CONTEXT / f"{ref}{SUFFIX}",
        memory / NORTH_STAR if ref == "north-star" else None,
    ):
        if candidate is not None and candidate.is_file():
            return candidate
    return _glob_one(memory / REPORTS, f"*{ref}*{SUFFIX}") or _glob_one(
        memory / PATTERNS, f"{ref}*{SUFFIX}"
    )


def resolve(project: Project, ref: str) -> Path:
    """The file `ref` names; NotFoundError (with what to try) when there is none."""
    ref = ref.strip()
    if not ref:
        raise UsageError("nothing to show", hint="pass a session id, decision number or path")
    found = _by_path(project, ref) or _by_id(project, ref)
    if found is None:
        raise NotFoundError(
            f"no memory record {ref!r}",
            hint="try `tmws sessions list --archived`, `tmws search TEXT`, or a path in .hestai/",
        )
    return found


def _text(value: Value) -> str:
    if isinstance(value, Literal):
        return value.text
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _flatten(prefix: str, value: Value, out: list[ShownField]) -> None:
    if isinstance(value, dict):
        for key, inner in value.items():
            _flatten(f"{prefix}.{key}" if prefix else key, inner, out)
        return
    if isinstance(value, list):
        items = [
            _text(v)
            if not isinstance(v, dict)
            else ", ".join(f"{k}={_text(x)}" for k, x in v.items())
            for v in value
        ]
        shown = items[:MAX_ITEMS]
        if len(items) > MAX_ITEMS:
            shown.append(f"… and {len(items) - MAX_ITEMS} more")
        out.append(ShownField(key=prefix, value="\n".join(shown)))
        return
    out.append(ShownField(key=prefix, value=_text(value)))


def _fields(body: dict[str, Value]) -> list[ShownField]:
    out: list[ShownField] = []
    for key, value in body.items():
        _flatten(key, value, out)
    return out


def _items(title: str, values: list[str]) -> ShownSection | None:
    if not values:
        return None
    shown = values[:MAX_ITEMS] + (
        [f"… and {len(values) - MAX_ITEMS} more"] if len(values) > MAX_ITEMS else []
    )
    return ShownSection(title=title, fields=[ShownField(key="", value=v) for v in shown])


def _session(rel: str, text: str) -> ShownRecord:
    data = read_archive(text)
    m = data.meta
    meta = [
        ShownField(key=k, value=v)
        for k, v in (
            ("role", m.role),
            ("focus", m.focus),
            ("status", m.status),
            ("started", f"{m.started_at:%Y-%m-%d %H:%M} UTC"),
            ("duration", f"{m.duration_s // 60} min {m.duration_s % 60} s"),
            ("branch", m.branch or ""),
            ("tool calls", f"{m.tool_call_count} ({m.failed_call_count} failed)"),
        )
        if v
    ]
    mix = Counter(c.tool for c in data.tool_calls) + Counter(t.tool for t in data.traces)
    summary = [
        ShownField(key=k, value=v)
        for k, v in (
            ("summary", data.summary.text),
            ("request", data.summary.request),
            ("conclusion", data.summary.conclusion),
        )
        if v
    ]
    sections = [ShownSection(title="Summary", fields=summary)] if summary else []
    for title, values in (
        ("Decisions", data.decisions),
        ("Learnings", data.learnings),
        ("Blockers", data.blockers),
        ("Errors", data.errors),
        ("Files changed", data.files_changed),
        ("Commands", data.commands),
        ("Tool mix", [f"{tool}: {n}" for tool, n in mix.most_common()]),
    ):
        section = _items(title, values)
        if section is not None:
            sections.append(section)
    title = data.summary.text.split(";")[0][:100] if data.summary.text else m.focus
    return ShownRecord(
        kind="session", id=m.session_id, path=rel, title=title, meta=meta, sections=sections
    )


def _skill(rel: str, text: str) -> ShownRecord:
    match = _FRONT.match(text)
    meta: list[ShownField] = []
    if match:
        for line in match.group(1).splitlines():
            key, sep, value = line.partition(":")
            if sep and not line.startswith(" "):
                meta.append(ShownField(key=key.strip(), value=value.strip().strip("\"'")))
    name = next((f.value for f in meta if f.key == "name"), rel.split("/")[-2])
    body = text[match.end() :] if match else text
    return ShownRecord(kind="skill", id=name, path=rel, title=name, meta=meta, text=body.strip())


def _octave(rel: str, text: str, kind: RecordKind) -> ShownRecord:
    doc = parse(text)
    meta = _fields(doc.meta)
    sections = [ShownSection(title=sec.name, fields=_fields(sec.body)) for sec in doc.sections]
    if doc.body:
        sections.insert(0, ShownSection(title=doc.name, fields=_fields(doc.body)))
    title = next((f.value for f in meta if f.key == "TITLE"), "") or doc.name
    ident = next((f.value for f in meta if f.key in ("NUMBER", "ID")), "")
    return ShownRecord(
        kind=kind,
        id=ident or rel.rsplit("/", 1)[-1].removesuffix(SUFFIX),
        path=rel,
        title=title,
        meta=meta,
        sections=sections,
    )


def show_record(project: Project, ref: str) -> ShownRecord:
    """The record `ref` names (id, number, name or path), made readable."""
    path = resolve(project, ref)
    rel_memory = path.resolve().relative_to(project.hestai.resolve()).as_posix()
    rel = f"{HESTAI}/{rel_memory}"
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValidationError(f"{rel} cannot be read: {exc}") from exc
    kind = kind_of(rel_memory)
    if kind == "skill" or path.name == SKILL_FILE:
        return _skill(rel, text)
    if kind == "session":
        return _session(rel, text)
    return _octave(rel, text, kind)
