"""`tmws migrate hestai-mcp`: take over a HestAI-MCP project's `.hestai/`, losing nothing.

The plan comes from `hestai_layout` (which file goes where, and why). Applying it: governance is
injected first (so the routing table places every write), every old file is read, then deleted
and written at its new name in one Steward transaction — so all of it is in the ledger as
Steward-written and the guard lets the commit through — and `tmws init` fills in what tmws
needs and HestAI-MCP did not have. `--dry-run` prints the plan and writes nothing.
"""

from __future__ import annotations

import re
import time

from pydantic import BaseModel, Field

from hestai_tmws.config import load_settings
from hestai_tmws.errors import PathRejectedError, UsageError
from hestai_tmws.governance.inject import inject
from hestai_tmws.governance.placement import routing_placement
from hestai_tmws.governance.rules import load_routing
from hestai_tmws.layout import HESTAI
from hestai_tmws.octave import Document, Literal, OctaveError, Section, Value, emit, parse
from hestai_tmws.project import Project
from hestai_tmws.secrets.redaction import is_clean, redact
from hestai_tmws.steward import Steward
from hestai_tmws.steward.ledger import LedgerEntry
from hestai_tmws.workflows import hestai_layout as layout
from hestai_tmws.workflows.hestai_layout import Move
from hestai_tmws.workflows.init import init_project

_PURPOSE = re.compile(r'^\s*PURPOSE::"?([^"\n]+)"?', re.MULTILINE)
_STATUS = re.compile(r"^\s*STATUS::([A-Z_]+)\s*$", re.MULTILINE)
_IMMUTABLE = re.compile(r"^(I[0-9]+)::([A-Za-z0-9_]+)", re.MULTILINE)


class MigrationResult(BaseModel):
    """What the migration did (or, with `dry_run`, would do)."""

    layout: str
    dry_run: bool
    moves: list[Move] = Field(default_factory=list)
    verbatim: int = 0
    wrapped: int = 0
    legacy: int = 0
    redacted: list[str] = Field(default_factory=list)  # sources with secret-like values
    initialised: list[str] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)


def _read(project: Project, rels: list[str]) -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for rel in rels:
        data = (project.hestai / rel).read_bytes()
        try:
            out[rel] = data.decode("utf-8")
        except UnicodeDecodeError:
            out[rel] = None
    return out


def _envelopes(project: Project, texts: dict[str, str | None]) -> dict[str, bool]:
    """Source → whether tmws reads it with the envelope of its canonical type."""
    routing = load_routing(project)
    ok: dict[str, bool] = {}
    for rel, text in texts.items():
        canonical = layout.canonical_for(rel)
        if canonical is None or text is None or canonical[0] not in routing:
            continue
        try:
            ok[rel] = parse(text).name == routing[canonical[0]].envelope
        except OctaveError:
            ok[rel] = False
    return ok


def wrap(move: Move, text: str, envelope: str) -> str:
    """A tmws document of the canonical type that carries the old text verbatim."""
    meta: dict[str, Value] = {
        "TYPE": envelope,
        "STATUS": (m.group(1) if (m := _STATUS.search(text)) else "MIGRATED"),
        "TITLE": f"Migrated from HestAI-MCP {HESTAI}/{move.source}",
        "SOURCE": f"{HESTAI}/{layout.LEGACY_ROOT}/{move.source}",
    }
    sections: list[Section] = []
    purpose = _PURPOSE.search(text)
    if purpose:
        sections.append(Section(1, "MISSION", {"STATEMENT": purpose.group(1).strip()}))
    immutables: list[Value] = [f"{m.group(1)} {m.group(2)}" for m in _IMMUTABLE.finditer(text)]
    if immutables:
        sections.append(Section(len(sections) + 1, "IMMUTABLES", {"LIST": immutables}))
    sections.append(Section(len(sections) + 1, "ORIGINAL", {"TEXT": Literal(text, "octave")}))
    return emit(Document(envelope, meta=meta, sections=sections))


def _record_delete(steward: Steward, rel: str, reason: str) -> None:
    """The ledger line that tells the guard this deletion is the Steward's."""
    steward.ledger.append(
        [LedgerEntry(f"{HESTAI}/{rel}", None, "delete", time.time(), "steward", reason)]
    )


def _delete(project: Project, steward: Steward, rel: str, reason: str) -> None:
    """Delete an old file through the Steward; a name outside tmws's naming standard
    (`README.md`) the Steward cannot take is unlinked here and recorded in its ledger."""
    try:
        steward.delete(rel, reason=reason)
        return
    except PathRejectedError:
        pass
    target = project.hestai / rel
    if target.is_symlink() or not target.is_file():
        raise PathRejectedError(f"{HESTAI}/{rel} is not a plain file; move it by hand")
    target.unlink()
    _record_delete(steward, rel, reason)
    folder = target.parent
    while folder != project.hestai and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def plan(project: Project) -> tuple[str, list[Move], dict[str, str | None]]:
    """The layout, the moves and the old texts; refuses a `.hestai/` that is not HestAI-MCP's."""
    found = layout.detect(project.hestai)
    if found is None:
        raise UsageError(
            f"{HESTAI}/ does not look like a HestAI-MCP project",
            hint="nothing to migrate; `tmws init` sets up a new project",
        )
    texts = _read(project, layout.source_files(project.hestai))
    return found, layout.plan_moves(project.hestai, texts, _envelopes(project, texts)), texts


def migrate_hestai_mcp(project: Project, *, dry_run: bool = False) -> MigrationResult:
    """Migrate (or with `dry_run` only plan) a HestAI-MCP `.hestai/`."""
    if not dry_run:
        inject(project)  # the routing table must be there to place every write
    found, moves, texts = plan(project)
    result = MigrationResult(layout=found, dry_run=dry_run, moves=moves)
    for move in moves:
        setattr(result, move.kind, getattr(result, move.kind) + 1)
    for rel, text in texts.items():
        if text is not None and not is_clean(text):
            result.redacted.append(rel)
            texts[rel] = redact(text)  # memory never holds secrets; git history keeps the original
    if result.redacted:
        result.notes.append(
            f"{len(result.redacted)} file(s) hold secret-like values, written redacted "
            "(the originals stay in git history): " + ", ".join(result.redacted)
        )
    binary = [f"{HESTAI}/{rel}" for rel, text in texts.items() if text is None]
    if binary:
        result.notes.append("not UTF-8 text (the Steward writes text only): " + ", ".join(binary))
    if dry_run:
        return result
    if binary:
        raise UsageError(
            f"{len(binary)} file(s) in {HESTAI}/ are not UTF-8 text: {', '.join(binary[:5])}",
            hint="move them out of .hestai/ (they are kept nowhere else), then migrate again",
        )
    _apply(project, moves, texts, result)
    return result


def _apply(
    project: Project, moves: list[Move], texts: dict[str, str | None], result: MigrationResult
) -> None:
    settings = load_settings(project)
    routing = load_routing(project)
    steward = Steward(
        project, lock_timeout=settings.lock_timeout_seconds, placement=routing_placement(project)
    )
    sources = sorted({m.source for m in moves})
    tracked = set(project.git.git("ls-files", "--", HESTAI).splitlines())
    reason = "tmws migrate hestai-mcp"
    with steward.transaction("migrate hestai-mcp", stage=settings.stage_writes):
        # The legacy copies first: if one is refused, nothing has been deleted yet.
        for move in moves:
            if move.kind == "legacy":
                steward.write_text(move.target, texts[move.source] or "", reason=reason)
        for rel in sources:  # then every delete: a case-insensitive disk has one file per name
            if not rel.startswith(f"{layout.STATE_LINK}/"):
                _delete(project, steward, rel, reason)
        state_link = project.hestai / layout.STATE_LINK
        if state_link.is_symlink():
            state_link.unlink()
            _record_delete(steward, layout.STATE_LINK, reason)
            result.notes.append(
                f"removed the link {HESTAI}/{layout.STATE_LINK}; the folder it pointed to "
                "is left as it was (its files are copied): delete it when you are satisfied"
            )
        for move in moves:  # last the canonical documents (each original is in legacy or here)
            text = texts[move.source] or ""
            if move.kind == "wrapped":
                envelope = routing[move.doc_type or ""].envelope or ""
                steward.write_text(move.target, wrap(move, text, envelope), reason=reason)
            elif move.kind == "verbatim":
                steward.write_text(move.target, text, reason=reason)
    gone = [f"{HESTAI}/{r}" for r in [*sources, layout.STATE_LINK] if f"{HESTAI}/{r}" in tracked]
    if settings.stage_writes and gone:
        project.git.git("rm", "--cached", "-q", "--ignore-unmatch", "--", *gone)
    initialised = init_project(project, stage=settings.stage_writes)
    result.initialised = initialised.created + initialised.folders
