"""The clock-in primer, in one place: what it holds, how it is gathered, and its texts.

Clock-in gathers it (read-only), the CLI prints it in full, the MCP tool returns it as
structured content, and the agent hooks print its compact text into the agent's context.
Keeping the gathering and both texts here means the faces cannot drift apart.
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from hestai_tmws.errors import TmwsError
from hestai_tmws.layout import (
    CONTEXT_DOCS,
    HESTAI,
    HESTAI_SYS,
    LEARNINGS_INDEX,
    LEGACY,
    NORTH_STAR,
)
from hestai_tmws.memory.views import north_star_summary, open_checklist_items
from hestai_tmws.octave import parse
from hestai_tmws.project import Project
from hestai_tmws.sessions.archive import shorten
from hestai_tmws.sessions.model import Suggestion
from hestai_tmws.sessions.trace_text import clip_line
from hestai_tmws.steward.paths import normalise_rel, resolve_target

PRIMER_CONTEXT_DOCS = (
    "project-context",
    "project-checklist",
    "project-roadmap",
    "context-negatives",
)
RESUMED_CONTEXT_DOCS = CONTEXT_DOCS[:1]  # a resumed agent has read the rest already
RECENT_LEARNINGS = 8
NORTH_STAR_CHARS = 600
PRIMER_MAX_BYTES = 2000
MCP_TOOL_PREFIX = "mcp__tmws__"

SkillItem = Suggestion | Mapping[str, Any]


class RecentLearning(BaseModel):
    """A learning recorded by an earlier session."""

    model_config = ConfigDict(frozen=True)  # clock-ins share the cached ones

    text: str
    session: str  # id8
    date: str
    focus: str = ""


class PrimerContent(BaseModel):
    """The read-only part of a primer: what to read, the mission, open tasks, learnings."""

    context_files: list[str] = Field(default_factory=list)
    north_star_summary: str = ""
    open_checklist_items: list[str] = Field(default_factory=list)
    recent_learnings: list[RecentLearning] = Field(default_factory=list)


def gather_primer(project: Project, role: str) -> PrimerContent:
    """Everything a primer shows that is read from the project (nothing is written)."""
    return PrimerContent(
        context_files=context_files(project, role),
        north_star_summary=north_star_paragraph(project),
        open_checklist_items=open_checklist(project),
        recent_learnings=recent_learnings(project),
    )


# -- gathering ----------------------------------------------------------------------------------


def context_files(
    project: Project, role: str, docs: Sequence[str] = PRIMER_CONTEXT_DOCS
) -> list[str]:
    """What the agent should read, in order, relative to the project root (existing files only)."""
    candidates = [
        f"{HESTAI_SYS}/agents/{role}.oct.md",
        f"{HESTAI}/{NORTH_STAR}",
        *(f"{HESTAI}/{project.context_doc(name)}" for name in docs),
    ]
    found = [rel for rel in candidates if (project.root / rel).is_file()]
    legacy = f"{HESTAI}/{LEGACY}"
    if any((project.root / legacy).glob("*/*")):  # a migrated tool's files, kept read-only
        found.append(f"{legacy}/")
    return found


def north_star_paragraph(project: Project) -> str:
    """The mission statement and the immutables, in one short paragraph (kept until the file
    changes: a server's clock-ins re-parse nothing while the north star is unchanged)."""
    target = resolve_target(project, normalise_rel(NORTH_STAR))  # refuses links, as the view
    stamp = _identity(target)
    return _north_star_paragraph(project) if stamp is None else _kept_north_star(project, stamp)


@functools.lru_cache(maxsize=16)
def _kept_north_star(project: Project, stamp: tuple[int, int, int, int]) -> str:
    del stamp  # cache key only (the file's identity, taken before the read)
    return _north_star_paragraph(project)


def _north_star_paragraph(project: Project) -> str:
    view = north_star_summary(project)
    if not view.exists:
        return ""
    statement = (view.statement or view.title or "").strip()
    if statement and statement[-1] not in ".!?":
        statement += "."
    parts = [statement]
    if view.requirements:
        parts.append("Immutables: " + "; ".join(view.requirements) + ".")
    if view.status and view.status.upper() == "DRAFT":
        parts.append("(the north star is a DRAFT)")
    return shorten(" ".join(p for p in parts if p), NORTH_STAR_CHARS)


def open_checklist(project: Project) -> list[str]:
    """Checklist tasks not marked done, as `T1: what (owner)` (kept until the file changes)."""
    path = project.memory_path(project.context_doc("project-checklist"))
    stamp = _identity(path)
    return _open_checklist(path) if stamp is None else list(_kept_checklist(path, stamp))


@functools.lru_cache(maxsize=16)
def _kept_checklist(path: Path, stamp: tuple[int, int, int, int]) -> tuple[str, ...]:
    del stamp  # cache key only
    return tuple(_open_checklist(path))


def _open_checklist(path: Path) -> list[str]:
    try:
        doc = parse(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, TmwsError):
        return []
    return [
        f"{item.key}: {item.text}" + (f" ({item.owner})" if item.owner else "")
        for item in open_checklist_items(doc)
    ]


def _identity(path: Path) -> tuple[int, int, int, int] | None:
    """(inode, size, mtime, ctime) of a file, the key its parsed answer is kept by (stat'ed
    before the read: a change while reading shows at the next call); None when missing."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def recent_learnings(project: Project, limit: int = RECENT_LEARNINGS) -> list[RecentLearning]:
    """The newest learnings recorded in `learnings-index.jsonl`, newest first.

    The index grows by a line per session; it is read from its end, block by block, until
    `limit` learnings are found, so a clock-in costs the same with 10 or 10,000 archives.
    Lines whose learnings are empty are skipped unparsed (most sessions record none, and a
    history without any would otherwise be parsed whole), and the answer is kept per file
    identity (inode, size, mtime): the index is appended to or replaced, never edited in place.
    """
    path = project.memory_path(LEARNINGS_INDEX)
    try:
        st = path.stat()
    except OSError:
        return []
    return list(_read_recent_learnings(str(path), st.st_ino, st.st_size, st.st_mtime_ns, limit))


# How json.dumps (the index writer) spells a record without learnings; other spellings are
# simply parsed.
_NO_LEARNINGS = '"learnings": []'


@functools.lru_cache(maxsize=64)
def _read_recent_learnings(
    path: str, inode: int, size: int, mtime_ns: int, limit: int
) -> tuple[RecentLearning, ...]:
    """Keyed by the file's identity as well as its name: a long-lived MCP server's clock-ins
    re-read nothing while the index is unchanged."""
    del inode, size, mtime_ns  # cache key only
    out: list[RecentLearning] = []
    try:
        for line in lines_from_end(Path(path)):
            if '"learnings"' not in line or _NO_LEARNINGS in line:
                continue
            for learning in _line_learnings(line):
                if len(out) >= limit:
                    return tuple(out)
                out.append(learning)
    except (FileNotFoundError, NotADirectoryError, UnicodeDecodeError):
        return ()
    return tuple(out)


@functools.lru_cache(maxsize=256)
def _line_learnings(line: str) -> tuple[RecentLearning, ...]:
    """The learnings of one index line (a pure function of its text, so kept by it: every
    clock-out rewrites the index, and the next clock-in reads the same newest lines again)."""
    record = _json_object(line)
    return tuple(
        RecentLearning(
            text=str(text),
            session=str(record.get("id", ""))[:8],
            date=str(record.get("date", "")),
            focus=str(record.get("focus", "")),
        )
        for text in record.get("learnings") or []
    )


def lines_from_end(path: Path, block: int = 1 << 16) -> Iterator[str]:
    """The lines of a UTF-8 file, last first, read in blocks from its end."""
    with path.open("rb") as fh:
        end = fh.seek(0, os.SEEK_END)
        rest = b""
        while end > 0:
            start = max(0, end - block)
            fh.seek(start)
            lines = (fh.read(end - start) + rest).split(b"\n")
            end = start
            rest = lines.pop(0) if start > 0 else b""  # may be the tail of a longer line
            for raw in reversed(lines):
                yield raw.decode("utf-8")


def _json_object(line: str) -> dict[str, Any]:
    try:
        record = json.loads(line)
    except ValueError:
        return {}
    return record if isinstance(record, dict) else {}


# -- the texts ----------------------------------------------------------------------------------


def skill_label(item: SkillItem) -> tuple[str, str]:
    """(name, why) of a suggested skill: a learning `Suggestion`, or a mapping of one."""
    if isinstance(item, Suggestion):
        return item.name or item.skill or item.id or "?", item.description
    name = item.get("name") or item.get("skill") or item.get("title") or item.get("id") or "?"
    why = item.get("reason") or item.get("description") or ""
    return str(name), str(why)


def learning_line(item: RecentLearning) -> str:
    return f"{item.date} {item.session}: {item.text}"


def full_sections(
    content: PrimerContent, skills: Sequence[SkillItem], notes: Sequence[str]
) -> list[tuple[str, list[str]]]:
    """The titled lists of the full primer a person reads (`tmws clock-in`); empty ones too."""
    skill_lines = [f"{n}: {why}" if why else n for n, why in map(skill_label, skills)]
    return [
        ("Read first", list(content.context_files)),
        ("Open checklist items", list(content.open_checklist_items)),
        ("Recent learnings", [learning_line(item) for item in content.recent_learnings]),
        ("Suggested skills", skill_lines or ["(none yet)"]),
        ("Notes", list(notes)),
    ]


def render_compact(
    *,
    session_id: str,
    role: str,
    focus: str,
    governance_version: str | None,
    read_first: Sequence[str],
    north_star: str = "",
    checklist: Sequence[str] | None = None,
    skills: Sequence[SkillItem] | None = None,
    resumed: bool = False,
    notes: Sequence[str] | None = None,
) -> str:
    """The compact primer an agent hook prints into the agent's context (< PRIMER_MAX_BYTES)."""
    verb = "continues" if resumed else "clocked in"
    lines = [
        f"hestai-tmws: session {session_id[:8]} {verb} as {role} on focus {focus!r}"
        + (f" (governance {governance_version})." if governance_version else "."),
        *_compact_body(read_first, north_star, list(checklist or []), list(skills or [])),
    ]
    if not skills and not resumed:
        lines.append("Suggested skills: none yet for this focus.")
    lines += ["Note: " + clip_line(note, 160) for note in list(notes or [])[:2]]
    if not resumed:
        lines.append(
            f"Anchor first: {MCP_TOOL_PREFIX}anchor_submit with your role, the governance version "
            "and your agent definition's MUST_ALWAYS / MUST_NEVER lines in your own words."
        )
    lines.append(
        ".hestai/ (project memory) and .hestai-sys/ (governance) are written only through tmws: "
        f"use {MCP_TOOL_PREFIX}document_submit and {MCP_TOOL_PREFIX}context_update "
        f"(read with {MCP_TOOL_PREFIX}get_context). "
        "The session is clocked out when Claude Code ends."
    )
    return _fit("\n".join(lines) + "\n", PRIMER_MAX_BYTES)


def _compact_body(
    read_first: Sequence[str], north_star: str, checklist: list[str], skills: list[SkillItem]
) -> list[str]:
    lines: list[str] = []
    if read_first:
        lines.append("Read first: " + ", ".join(read_first) + ".")
    if north_star:
        lines.append("North star: " + clip_line(north_star, 300))
    if checklist:
        shown = [clip_line(item, 100) for item in checklist[:5]]
        more = f" (+{len(checklist) - 5} more)" if len(checklist) > 5 else ""
        lines.append("Open checklist: " + "; ".join(shown) + more)
    if skills:
        labels = [skill_label(s) for s in skills[:3]]
        shown = [clip_line(n + (f" — {why}" if why else ""), 120) for n, why in labels]
        lines.append("Suggested skills: " + "; ".join(shown))
    return lines


def _fit(text: str, max_bytes: int) -> str:
    data = text.encode("utf-8")
    if len(data) <= max_bytes:
        return text
    return data[: max_bytes - 4].decode("utf-8", "ignore").rstrip() + "…\n"
