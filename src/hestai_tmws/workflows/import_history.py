"""`tmws import`: archive existing agent history as if each session had clocked out.

Each transcript becomes one session archive, built and redacted exactly like a clock-out's
(`compose_archive`) and dated by its own records. Archives are written in batches, one
Steward transaction each, so a kill loses at most the batch in flight and the next run goes
on from there. A session is known by its agent's session id: the same transcript again is
skipped (content hash), a transcript that grew since is re-archived in place. Learning
runs once, after the last batch.
"""

from __future__ import annotations

import hashlib
import re
import time
import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from pathlib import Path, PurePath
from typing import Literal

from pydantic import BaseModel, Field

from hestai_tmws.config import Settings, learning_namespace, load_settings
from hestai_tmws.errors import TmwsError
from hestai_tmws.governance.placement import routing_placement
from hestai_tmws.layout import HESTAI, LEARNINGS_INDEX, SESSIONS_ARCHIVE
from hestai_tmws.learning.pipeline import MineReport, run_mine
from hestai_tmws.memory.history import append_history
from hestai_tmws.project import Project
from hestai_tmws.sessions.archive import (
    ArchiveInputs,
    ComposedArchive,
    archive_rel,
    compose_archive,
    index_record,
    read_archive,
)
from hestai_tmws.sessions.focus import resolve_focus
from hestai_tmws.sessions.model import ActiveSession
from hestai_tmws.sessions.transcripts import read_transcript
from hestai_tmws.sessions.transcripts.model import Transcript
from hestai_tmws.steward import Steward
from hestai_tmws.steward.atomic import deferred_dir_fsync
from hestai_tmws.workflows.import_sources import Source, discover

ItemStatus = Literal["archived", "updated", "unchanged", "too-old", "empty", "failed"]
IMPORT_FOCUS = "imported session"
BATCH_SIZE = 25
_HEADER_FIELD = re.compile(
    r'^\s*(SESSION_ID|CLAUDE_SESSION_ID|TRANSCRIPT_SHA256|TRANSCRIPT)::"?([^"\n]*)"?$'
)
_ID_NAMESPACE = uuid.UUID("6f1c2b1e-8d55-4a43-9b0e-2f7d3c1a9e40")

Progress = Callable[[int, int], None]


class ImportItem(BaseModel):
    """What happened to one transcript."""

    path: str
    agent: str
    agent_session_id: str
    status: ItemStatus
    session_id: str | None = None
    archive: str | None = None  # relative to the project root
    started: str | None = None
    tool_calls: int = 0
    note: str = ""


class ImportResult(BaseModel):
    """The summary of one `tmws import` run (`--json` prints it as it is)."""

    dry_run: bool
    found: int = 0
    archived: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0  # older than --since, or no tool calls and no prompts
    failed: int = 0
    tool_calls: int = 0
    first_day: str | None = None
    last_day: str | None = None
    items: list[ImportItem] = Field(default_factory=list)
    learning: MineReport | None = None
    notes: list[str] = Field(default_factory=list)
    elapsed_s: float = 0.0


def import_session_id(agent: str, agent_session_id: str) -> str:
    """The tmws session id of an imported session: stable, so a rerun finds its archive."""
    return uuid.uuid5(_ID_NAMESPACE, f"{agent}:{agent_session_id}").hex[:12]


def import_history(
    project: Project,
    paths: Sequence[str | Path] = (),
    *,
    since: date | None = None,
    dry_run: bool = False,
    learn: bool = True,
    progress: Progress | None = None,
    batch_size: int = BATCH_SIZE,
) -> ImportResult:
    """Archive every transcript found (or given) that is not archived yet; then mine once."""
    clock = time.perf_counter()
    settings = load_settings(project)
    sources = discover(project, paths)
    known = known_archives(project)
    namespace = learning_namespace(project, settings)  # asks git: once, not per session
    folder = project.memory_path(SESSIONS_ARCHIVE)
    taken = {p.name for p in folder.glob("*.oct.md")} if folder.is_dir() else set()
    result = ImportResult(dry_run=dry_run, found=len(sources))
    batch: list[tuple[ImportItem, ComposedArchive, ActiveSession]] = []
    for done, src in enumerate(sources, start=1):
        item, prepared = _prepare(settings, namespace, src, known, since, taken)
        result.items.append(item)
        if prepared is not None and not dry_run:
            batch.append((item, *prepared))
        if len(batch) >= batch_size:
            _write_batch(project, settings, batch)
            batch = []
        if progress is not None:
            progress(done, len(sources))
    if batch:
        _write_batch(project, settings, batch)
    if not dry_run:
        _index_stragglers(project, settings, result.items)
    _tally(result)
    if not dry_run and (result.archived or result.updated):
        _record_history(project, settings, result)
        if learn:
            result.learning = run_mine(project, mode="full", settings=settings)
    result.elapsed_s = round(time.perf_counter() - clock, 3)
    return result


# -- what is archived already -------------------------------------------------------------------


class KnownArchive(BaseModel):
    rel: str  # relative to .hestai/
    session_id: str
    transcript_sha256: str | None


def known_archives(project: Project) -> dict[str, KnownArchive]:
    """Archives by agent session id, read from their headers only (fast for thousands)."""
    folder = project.memory_path(SESSIONS_ARCHIVE)
    known: dict[str, KnownArchive] = {}
    if not folder.is_dir():
        return known
    for path in sorted(folder.glob("*.oct.md")):
        fields = _header(path)
        if "SESSION_ID" not in fields:
            continue
        sha = fields.get("TRANSCRIPT_SHA256")
        entry = KnownArchive(
            rel=f"{SESSIONS_ARCHIVE}/{path.name}",
            session_id=fields["SESSION_ID"],
            transcript_sha256=None if sha in (None, "null") else sha,
        )
        # by the agent's session id, and by the transcript's file name (what discovery sees)
        for key in (fields.get("CLAUDE_SESSION_ID"), _stem(fields.get("TRANSCRIPT"))):
            if key and key != "null":
                known.setdefault(key, entry)
    return known


def _stem(path: str | None) -> str | None:
    if not path or path == "null":
        return None
    return PurePath(path.replace("\\", "/")).stem


def _header(path: Path) -> dict[str, str]:
    fields: dict[str, str] = {}
    try:
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("---"):
                    break
                match = _HEADER_FIELD.match(line)
                if match:
                    fields[match.group(1)] = match.group(2)
    except (OSError, UnicodeDecodeError):
        return {}
    return fields


# -- one transcript -------------------------------------------------------------------------------


def _prepare(
    settings: Settings,
    namespace: str,
    src: Source,
    known: dict[str, KnownArchive],
    since: date | None,
    taken: set[str],
) -> tuple[ImportItem, tuple[ComposedArchive, ActiveSession] | None]:
    """Read, date, build and redact one transcript (nothing is written here)."""
    item = ImportItem(
        path=str(src.path), agent=src.agent, agent_session_id=src.agent_session_id, status="failed"
    )
    try:
        if since is not None and _modified_before(src.path, since):
            item.status = "too-old"
            return item, None
        previous = known.get(src.agent_session_id)
        if previous is not None and _settled(src, previous):
            item.status, item.session_id = "unchanged", previous.session_id
            item.archive = f"{HESTAI}/{previous.rel}"
            return item, None
        transcript = read_transcript(src.path)
        if transcript.started_at is None or not (transcript.tool_calls or transcript.user_prompts):
            item.status, item.note = "empty", "no dated records, tool calls or prompts"
            return item, None
        if since is not None and transcript.started_at.astimezone(UTC).date() < since:
            item.status = "too-old"
            return item, None
        session = _session_for(src, transcript, settings, previous)
        composed = compose_archive(_inputs(namespace, session, transcript))
    except (TmwsError, OSError, ValueError) as exc:
        item.note = getattr(exc, "message", None) or f"{type(exc).__name__}: {exc}"
        return item, None
    item.status = "updated" if previous is not None else "archived"
    item.session_id = session.id
    item.started = composed.data.meta.started_at.date().isoformat()
    item.tool_calls = composed.data.meta.tool_call_count
    dated = session.model_copy(update={"started_at": composed.data.meta.started_at})
    rel = previous.rel if previous is not None else archive_rel(dated, composed.data.meta.focus)
    if previous is None and rel.rsplit("/", 1)[-1] in taken:
        item.status, item.note = "failed", f"{rel} already holds another session's archive"
        return item, None
    item.archive = f"{HESTAI}/{rel}"
    return item, (composed, dated)


def _settled(src: Source, previous: KnownArchive) -> bool:
    """Nothing to do: the same transcript, or a session a clock-out archived (its summary and
    markers are a person's; a later import must not replace them)."""
    if previous.session_id != import_session_id(src.agent, src.agent_session_id):
        return True
    return previous.transcript_sha256 == _sha256(src.path)


def _modified_before(path: Path, since: date) -> bool:
    """Last written before `since`: it cannot hold a session that started on or after it."""
    mtime = datetime.fromtimestamp(path.stat().st_mtime, UTC).date()
    return mtime < since


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _session_for(
    src: Source, tr: Transcript, settings: Settings, previous: KnownArchive | None
) -> ActiveSession:
    """The session record an import stands for: dated, focused by its branch."""
    assert tr.started_at is not None
    focus, focus_source = resolve_focus(None, tr.git_branch)
    if focus_source == "default":
        focus = IMPORT_FOCUS
    return ActiveSession(
        id=previous.session_id if previous else import_session_id(src.agent, src.agent_session_id),
        role=settings.default_role,
        focus=focus,
        focus_source=focus_source,
        branch=tr.git_branch,
        started_at=tr.started_at,
        cwd=tr.cwd,
        transcript_path=str(src.path),
        claude_session_id=tr.session_id or src.agent_session_id,
        notes=[f"imported from {src.agent} history"],
    )


def _inputs(namespace: str, session: ActiveSession, tr: Transcript) -> ArchiveInputs:
    assert tr.started_at is not None
    return ArchiveInputs(
        session=session,
        ended_at=tr.ended_at or tr.started_at,
        status="completed",
        transcript=tr,
        namespace=namespace,
        notes=["imported by `tmws import`"],
    )


# -- writing ------------------------------------------------------------------------------------


def _write_batch(
    project: Project,
    settings: Settings,
    batch: list[tuple[ImportItem, ComposedArchive, ActiveSession]],
) -> None:
    """Write one batch of archives and their index lines in a single Steward transaction."""
    steward = Steward(
        project, lock_timeout=settings.lock_timeout_seconds, placement=routing_placement(project)
    )
    index_lines: list[dict[str, object]] = []
    name = f"import {len(batch)} session(s)"
    with steward.transaction(name, stage=settings.stage_writes), deferred_dir_fsync():
        for item, composed, _session in batch:
            assert item.archive is not None
            rel = item.archive[len(HESTAI) + 1 :]
            absent = steward.read_text(rel) is None
            steward.write_text(
                rel, composed.text, only_if_absent=absent, actor="import", reason="session archive"
            )
            index_lines.append(index_record(composed.data, rel))
        indexed = steward.read_text(LEARNINGS_INDEX) or ""
        fresh = [r for r in index_lines if f'"id": "{r["id"]}"' not in indexed]
        if fresh:
            steward.append_jsonl(LEARNINGS_INDEX, fresh)


def _index_stragglers(project: Project, settings: Settings, items: list[ImportItem]) -> None:
    """Index lines for archives a killed run wrote but did not index (resuming repairs it)."""
    steward = Steward(
        project, lock_timeout=settings.lock_timeout_seconds, placement=routing_placement(project)
    )
    indexed = steward.read_text(LEARNINGS_INDEX) or ""
    missing = [
        i
        for i in items
        if i.status == "unchanged" and i.archive and f'"id": "{i.session_id}"' not in indexed
    ]
    if not missing:
        return
    lines: list[dict[str, object]] = []
    for item in missing:
        assert item.archive is not None
        rel = item.archive[len(HESTAI) + 1 :]
        text = steward.read_text(rel)
        if text is not None:
            lines.append(index_record(read_archive(text), rel))
    if not lines:
        return
    with steward.transaction("import: index", stage=settings.stage_writes):
        steward.append_jsonl(LEARNINGS_INDEX, lines)


def _record_history(project: Project, settings: Settings, result: ImportResult) -> None:
    """One history line for the whole import: the archives themselves hold the sessions."""
    steward = Steward(
        project, lock_timeout=settings.lock_timeout_seconds, placement=routing_placement(project)
    )
    with steward.transaction("import history", stage=settings.stage_writes):
        append_history(
            project,
            steward,
            {
                "date": datetime.now(UTC).strftime("%Y-%m-%d"),
                "event": (
                    f"imported {result.archived + result.updated} session(s) of agent history, "
                    f"{result.first_day} to {result.last_day}, {result.tool_calls} tool calls"
                ),
                "source": f"{HESTAI}/{SESSIONS_ARCHIVE}",
            },
        )


def _tally(result: ImportResult) -> None:
    days: list[str] = []
    for item in result.items:
        if item.status == "archived":
            result.archived += 1
        elif item.status == "updated":
            result.updated += 1
        elif item.status == "unchanged":
            result.unchanged += 1
        elif item.status == "failed":
            result.failed += 1
        else:
            result.skipped += 1
        if item.status in ("archived", "updated"):
            result.tool_calls += item.tool_calls
            if item.started:
                days.append(item.started)
    if days:
        result.first_day, result.last_day = min(days), max(days)
