"""What a HestAI-MCP `.hestai/` looks like, and where each of its files goes in tmws's layout.

Pure planning, no writes: `detect` names the layout, `plan_moves` maps every file to a target.
Two layouts are known:

- **2025-12**: `context/PROJECT-CONTEXT.oct.md` (upper-case names), `workflow/000-…-NORTH-STAR…`,
  `sessions/archive/*-octave.oct.md` and raw JSONL, `reports/`, `rules/`, `schemas/`, `research/`;
- **state link**: the same, with the mutable part behind a `.hestai/state` → `.hestai-state` link.

A context document or the north star goes to its canonical tmws name: verbatim when tmws (and
so octave-mcp strict) reads it with the envelope tmws expects; otherwise as a tmws document
that carries the original text in a literal zone, the original itself kept in the legacy area.
Everything else goes, byte for byte, to `legacy/hestai-mcp/<its path>`, which the routing table
accepts as it is. Names follow tmws's naming standard (lower case; a `.md` name for a file whose
name promises a format its content does not have, so `tmws verify` stays green), and lower-cased
targets never collide: no case-only twins.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Literal

from pydantic import BaseModel

from hestai_tmws.layout import HESTAI, LEGACY, NORTH_STAR
from hestai_tmws.steward.validate import check_content

LayoutName = Literal["2025-12", "state-link"]
Kind = Literal["verbatim", "wrapped", "legacy"]
LEGACY_ROOT = f"{LEGACY}/hestai-mcp"
STATE_LINK = "state"

#: HestAI-MCP context file names (any case) → tmws document type and canonical path.
CONTEXT_NAMES: dict[str, tuple[str, str]] = {
    "project-context.oct.md": ("context", "context/project-context.oct.md"),
    "project-checklist.oct.md": ("checklist", "context/project-checklist.oct.md"),
    "project-roadmap.oct.md": ("roadmap", "context/project-roadmap.oct.md"),
    "project-history.oct.md": ("history", "context/project-history.oct.md"),
    "context-negatives.oct.md": ("negative", "context/context-negatives.oct.md"),
}
_NORTH_STAR_SUMMARY = re.compile(r"workflow/000-[A-Za-z0-9-]*NORTH-STAR-SUMMARY\.oct\.md\Z")
_NOT_NAME = re.compile(r"[^a-z0-9._-]")
_NORTH_STAR_FULL = re.compile(r"workflow/000-[A-Za-z0-9-]*NORTH-STAR\.(?:oct\.)?md\Z")


class Move(BaseModel):
    """One file of the old layout and where it goes."""

    source: str  # relative to .hestai/ (through the state link when there is one)
    target: str  # relative to .hestai/
    kind: Kind
    doc_type: str | None = None  # the tmws type of a canonical target
    reason: str = ""


def detect(hestai: Path) -> LayoutName | None:
    """The HestAI-MCP layout of this `.hestai/` folder, or None when it is not one."""
    state = hestai / STATE_LINK
    if state.is_symlink():
        return "state-link"
    context = hestai / "context"
    names = set(os.listdir(context)) if context.is_dir() else set()
    if {"PROJECT-CONTEXT.oct.md", "PROJECT-CHECKLIST.oct.md", "PROJECT-ROADMAP.oct.md"} & names:
        return "2025-12"
    workflow = hestai / "workflow"
    if workflow.is_dir() and any(
        _NORTH_STAR_FULL.match(f"workflow/{n}") for n in os.listdir(workflow)
    ):
        return "2025-12"
    return None


def source_files(hestai: Path) -> list[str]:
    """Every file of the old layout, relative to `.hestai/`, following the state link once."""
    out: list[str] = []
    for dirpath, dirnames, filenames in os.walk(hestai, followlinks=False):
        base = Path(dirpath)
        for name in list(dirnames):
            if (base / name).is_symlink() and base == hestai and name == STATE_LINK:
                for sub in source_files_under(base / name):
                    out.append(f"{STATE_LINK}/{sub}")
                dirnames.remove(name)
        for name in filenames:
            path = base / name
            if not path.is_symlink():
                out.append(path.relative_to(hestai).as_posix())
    return sorted(out)


def source_files_under(root: Path) -> list[str]:
    """Files under a real folder (the target of the state link), relative to it."""
    resolved = root.resolve()
    return sorted(
        (Path(d) / n).relative_to(resolved).as_posix()
        for d, _dirs, files in os.walk(resolved)
        for n in files
    )


def _logical(rel: str) -> str:
    """The path as if the state link were not there."""
    return rel[len(STATE_LINK) + 1 :] if rel.startswith(f"{STATE_LINK}/") else rel


def canonical_for(rel: str) -> tuple[str, str] | None:
    """(doc type, canonical path) for a context document or the north star, else None."""
    logical = _logical(rel)
    if logical.startswith("context/") and logical.count("/") == 1:
        return CONTEXT_NAMES.get(logical.split("/", 1)[1].lower())
    if _NORTH_STAR_SUMMARY.match(logical):
        return "north-star", NORTH_STAR
    return None


def _segment(part: str) -> str:
    """One path segment in the naming standard: lower case, other characters as '-'."""
    text = _NOT_NAME.sub("-", part.lower()).lstrip("._-") or "file"
    return text[:120]


def legacy_target(rel: str, text: str | None) -> tuple[str, str]:
    """(target, reason) in the legacy area, named by the naming standard.

    Names are lower-cased; a file whose name promises a format its content does not have
    (or no format tmws knows) gets a `.md` name, so `tmws verify` reads it as plain text.
    """
    parts = [_segment(p) for p in rel.split("/")]
    name = parts[-1]
    reason = "no tmws home: kept read-only in the legacy area"
    if text is None:
        name, reason = name + ".md", "not UTF-8 text"
    elif name.endswith(".oct.md") or name.endswith(".jsonl") or name.endswith(".json"):
        issues = check_content(name, text, None, strict=False)
        if issues:
            base = name[: -len(".oct.md")] if name.endswith(".oct.md") else name
            name = base + ".legacy.md"
            reason = f"kept as plain text ({issues[0].message})"
    elif not name.endswith(".md"):
        name = name + ".md"
    target = "/".join([LEGACY_ROOT, *parts[:-1], name])
    if target != f"{LEGACY_ROOT}/{rel}" and "renamed" not in reason:
        reason += "; renamed to the naming standard"
    return target, reason


def plan_moves(
    hestai: Path, readable: dict[str, str | None], envelope_ok: dict[str, bool]
) -> list[Move]:
    """Where every file goes. `readable`: source → text (None when not UTF-8); `envelope_ok`:
    source → whether tmws reads it with the envelope its canonical type needs."""
    moves: list[Move] = []
    taken: set[str] = set()
    north_star_done = False
    for rel in sorted(readable):
        text = readable[rel]
        canonical = canonical_for(rel)
        if canonical is not None and canonical[0] == "north-star" and north_star_done:
            canonical = None  # a second summary: the first one is the north star
        if canonical is not None and canonical[1].lower() not in taken:
            doc_type, target = canonical
            taken.add(target.lower())
            north_star_done = north_star_done or doc_type == "north-star"
            if text is not None and envelope_ok.get(rel, False):
                moves.append(Move(source=rel, target=target, kind="verbatim", doc_type=doc_type))
                continue
            moves.append(
                Move(
                    source=rel,
                    target=target,
                    kind="wrapped",
                    doc_type=doc_type,
                    reason="not readable as a tmws document: its text is carried in a literal zone",
                )
            )
        target, reason = legacy_target(rel, text)
        while target.lower() in taken:  # never two names that differ only by case
            target = target[: -len(".md")] + "-2.md" if target.endswith(".md") else target + "-2"
        taken.add(target.lower())
        moves.append(Move(source=rel, target=target, kind="legacy", reason=reason))
    return moves


def shown(rel: str) -> str:
    return f"{HESTAI}/{rel}"
