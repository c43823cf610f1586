"""Clock-out: compress the session into an archive, fold it into project memory, close it.

Everything that can fail without side effects (finding and reading the transcript, building,
redacting, rendering) happens before the Steward lock is taken. Inside one Steward
transaction the archive is written and read back, history, context and the index are
updated, and only then is the active session removed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from hestai_tmws.config import Settings, learning_namespace, load_settings
from hestai_tmws.errors import ConflictError, TmwsError, UsageError, ValidationError
from hestai_tmws.governance.placement import routing_placement
from hestai_tmws.layout import HESTAI, LEARNINGS_INDEX, SESSIONS_ARCHIVE
from hestai_tmws.learning.auto import AutoMineResult, after_clock_out
from hestai_tmws.project import Project
from hestai_tmws.sessions.archive import (
    ArchiveData,
    ArchiveInputs,
    ArchiveStatus,
    ComposedArchive,
    archive_rel,
    compose_archive,
    holds_more,
    index_record,
    read_archive,
    read_back,
)
from hestai_tmws.sessions.closing import read_closing, write_closing
from hestai_tmws.sessions.model import ActiveSession, utc_now
from hestai_tmws.sessions.store import resolve_session, session_dir_rel
from hestai_tmws.sessions.traces import read_traces
from hestai_tmws.sessions.transcripts import read_transcript
from hestai_tmws.sessions.transcripts.confine import TranscriptPolicy, confine_transcript
from hestai_tmws.sessions.transcripts.locate import find_transcript
from hestai_tmws.sessions.transcripts.model import Transcript
from hestai_tmws.sessions.transcripts.sniff import require_calls
from hestai_tmws.steward import Steward
from hestai_tmws.steward.steward import content_hash
from hestai_tmws.workflows.session_memory import append_history, history_entry, merge_learnings

TranscriptSource = Literal["explicit", "recorded", "located", "none"]


class ClockOutResult(BaseModel):
    """What clock-out (or reaping) wrote."""

    session_id: str
    id8: str
    role: str
    focus: str
    status: ArchiveStatus
    archive_path: str  # relative to the project root
    archive_bytes: int
    compact_level: int = 0
    duration_s: int = 0
    tool_calls: int
    failed_calls: int = 0
    traces: int = 0
    trace_recording_errors: int = 0
    transcript: str | None = None
    transcript_source: TranscriptSource = "none"
    decisions: int = 0
    blockers: int = 0
    learnings: int = 0
    staged: list[str] = Field(default_factory=list)
    commit: str | None = None
    learning: AutoMineResult | None = None
    notes: list[str] = Field(default_factory=list)


def clock_out(
    project: Project,
    *,
    session_id: str | None = None,
    transcript: str | Path | None = None,
    summary: str | None = None,
    decisions: tuple[str, ...] | list[str] = (),
    blockers: tuple[str, ...] | list[str] = (),
    learnings: tuple[str, ...] | list[str] = (),
    commit: bool = False,
    learn: bool = True,
    allow_empty: bool = False,
    transcript_policy: TranscriptPolicy = "person",
) -> ClockOutResult:
    """Archive and close a session; on any failure before the archive is safe it stays open.

    A transcript with content but no tool call is refused unless `allow_empty`.
    `transcript_policy` "agent" (MCP) reads a transcript only from the agents' folders, the
    repository or `transcript_folders`; every policy refuses what is not a transcript."""
    settings = load_settings(project)
    session = resolve_session(project, session_id)
    notes: list[str] = []
    path, source = find_session_transcript(project, session, transcript, notes)
    result = close_session(
        project,
        session,
        settings=settings,
        status="completed",
        transcript_path=path,
        transcript_source=source,
        summary=summary,
        decisions=decisions,
        blockers=blockers,
        learnings=learnings,
        stage=settings.stage_writes or commit,
        notes=notes,
        allow_empty=allow_empty,
        transcript_policy=transcript_policy,
    )
    if commit:
        message = f"chore(hestai): archive session {result.id8} ({result.focus})"
        steward = Steward(
            project,
            lock_timeout=settings.lock_timeout_seconds,
            placement=routing_placement(project),
        )
        with steward.transaction(f"commit {result.id8}"):  # no other writer stages meanwhile
            # "the archive and staged memory files": a decision staged earlier goes in too.
            result.staged = _staged_memory(project, result.staged)
            result.commit = project.git.commit(message, paths=result.staged)
    if learn:
        result.learning = _learning_hook(project, result)
    return result


def _staged_memory(project: Project, written: list[str]) -> list[str]:
    """What the commit holds: the files clock-out wrote plus everything staged under .hestai/."""
    paths = set(written)
    for change in project.git.staged_changes():
        for path in (change.path, change.old_path):
            if path and path.startswith(f"{HESTAI}/"):
                paths.add(path)
    return sorted(paths)


# -- finding the transcript ---------------------------------------------------------------------


def find_session_transcript(
    project: Project, session: ActiveSession, explicit: str | Path | None, notes: list[str]
) -> tuple[Path | None, TranscriptSource]:
    """Explicit path → the path recorded at clock-in → a search of Claude Code's folder."""
    if explicit is not None and str(explicit):
        path = Path(explicit).expanduser()
        if not path.is_file():
            raise UsageError(f"transcript {explicit} does not exist")
        return path.resolve(), "explicit"
    if session.transcript_path:
        recorded = Path(session.transcript_path)
        if recorded.is_file():
            return recorded, "recorded"
        notes.append(f"the transcript recorded at clock-in is gone: {session.transcript_path}")
    try:
        found = _locate(project, session)
    except Exception as exc:  # searching is best effort: archive without a transcript
        notes.append(f"transcript search failed: {type(exc).__name__}")
        found = None
    if found is not None:
        return found, "located"
    notes.append("no transcript found; archived from the session record and traces only")
    return None, "none"


def _locate(project: Project, session: ActiveSession) -> Path | None:
    """Search Claude Code's projects folder (honours $CLAUDE_CONFIG_DIR)."""
    return find_transcript(
        explicit=None,
        recorded=None,
        claude_session_id=session.claude_session_id,
        session_id=session.id,
        cwd=project.root,  # Claude Code runs at the root or below it; both are searched
        started_at=session.started_at,
        ended_at=utc_now(),
    )


def _read(path: Path | None) -> Transcript | None:
    """Read (and redact the digests of) the transcript; any failure keeps the session open."""
    if path is None:
        return None
    try:
        return read_transcript(path)
    except TmwsError:
        raise
    except Exception as exc:
        raise ValidationError(
            f"cannot read the transcript {path} ({type(exc).__name__}); nothing was archived "
            "and the session stays open",
            hint="pass another file with --transcript, or fix the problem and retry",
        ) from exc


# -- closing ------------------------------------------------------------------------------------


def close_session(
    project: Project,
    session: ActiveSession,
    *,
    settings: Settings,
    status: ArchiveStatus,
    transcript_path: Path | None,
    transcript_source: TranscriptSource,
    summary: str | None = None,
    decisions: tuple[str, ...] | list[str] = (),
    blockers: tuple[str, ...] | list[str] = (),
    learnings: tuple[str, ...] | list[str] = (),
    stage: bool = True,
    notes: list[str] | None = None,
    allow_empty: bool = True,
    transcript_policy: TranscriptPolicy = "person",
) -> ClockOutResult:
    """Archive `session` and fold it into memory in one Steward transaction (shared with reap)."""
    notes = list(notes or [])
    try:
        if transcript_path is not None:  # only an agent's transcript, from where it may be
            transcript_path = confine_transcript(
                transcript_path,
                root=project.root,
                policy=transcript_policy,
                allowed=settings.transcript_folders,
                allow_empty=allow_empty,
            )
        transcript = _read(transcript_path)
    except TmwsError as exc:
        if transcript_source == "explicit":
            raise  # the caller named this file: do not silently archive without it
        notes.append(f"the {transcript_source} transcript could not be read ({exc.message})")
        transcript, transcript_path = None, None
    if transcript is not None and transcript_path is not None and not allow_empty:
        require_calls(transcript, transcript_path)
    traces = read_traces(project, session.id)
    inputs = ArchiveInputs(
        session=session,
        ended_at=utc_now(),
        status=status,
        transcript=transcript,
        traces=traces,
        summary=summary,
        decisions=list(decisions),
        blockers=list(blockers),
        learnings=list(learnings),
        namespace=learning_namespace(project, settings),
        notes=list(notes),
        root=str(project.root),
    )
    composed = compose_archive(inputs)  # raises before anything is written
    data = composed.data
    # notes the archive added (a transcript from another folder): the person must see them now
    notes.extend(n for n in data.summary.notes if n.startswith("warning:") and n not in notes)
    # named by the day the work started (the transcript's date when there is one)
    dated = session.model_copy(update={"started_at": data.meta.started_at})
    earlier = read_closing(project, session.id)  # a retry writes the archive it began
    found = earlier.archive if earlier is not None else _existing_archive(project, session)
    rel = found or archive_rel(dated, focus=data.meta.focus)
    steward = Steward(
        project, lock_timeout=settings.lock_timeout_seconds, placement=routing_placement(project)
    )
    staged: list[str] = []
    # one explicit `git add` below covers every file, including those the context service wrote
    with steward.transaction(f"clock-out {session.id8}", stage=False):
        steward.sweep_temp_files()  # leftovers of an interrupted earlier attempt
        if earlier is None:
            write_closing(steward, session.id, rel, status, transcript_path)
        created, data = _write_archive(steward, rel, composed.text, data)
        try:
            back = _verify_archive(steward, rel, data, composed)
            staged.append(_root_rel(rel))
            staged.append(append_history(project, steward, history_entry(back, rel)))
            if back.learnings:
                staged.append(merge_learnings(project, back, session.id))
            # the index line comes from what was read back, so `tmws verify` rebuilds it equal
            staged.append(_append_index(steward, back, rel))
        except BaseException:
            if created:  # never roll back an archive an earlier attempt wrote
                _rollback(steward, rel)
            raise
        staged.extend(steward.written_in_transaction())  # provenance, files services wrote
        if stage:
            project.git.add(sorted(set(staged)))
        steward.delete_tree(session_dir_rel(session.id))
    if composed.level:
        notes.append(f"text was shortened (level {composed.level}) to fit the archive size limit")
    m = data.meta
    return ClockOutResult(
        session_id=session.id,
        id8=session.id8,
        role=m.role,
        focus=m.focus,
        status=status,
        archive_path=_root_rel(rel),
        archive_bytes=len(composed.text.encode("utf-8")),
        compact_level=composed.level,
        duration_s=m.duration_s,
        tool_calls=m.tool_call_count,
        failed_calls=m.failed_call_count,
        traces=m.trace_count,
        trace_recording_errors=data.trace_recording_errors,
        transcript=m.transcript,
        transcript_source=transcript_source if transcript is not None else "none",
        decisions=m.decision_count,
        blockers=m.blocker_count,
        learnings=m.learning_count,
        staged=sorted(set(staged)) if stage else [],
        notes=notes,
    )


def _existing_archive(project: Project, session: ActiveSession) -> str | None:
    """The archive an earlier clock-out of `session` wrote, whatever day named it."""
    folder = project.memory_path(SESSIONS_ARCHIVE)
    for path in sorted(folder.glob(f"*-{session.id8}.oct.md")):
        try:
            if read_archive(path.read_text(encoding="utf-8")).meta.session_id == session.id:
                return f"{SESSIONS_ARCHIVE}/{path.name}"
        except (OSError, TmwsError):
            continue
    return None


def _root_rel(rel: str) -> str:
    return f"{HESTAI}/{rel}"


def _write_archive(
    steward: Steward, rel: str, text: str, data: ArchiveData
) -> tuple[bool, ArchiveData]:
    """Write the archive: (created, what it holds now).

    A retried clock-out of the same session replaces its earlier archive only when the new one
    holds at least as much: a retry without the transcript never turns 183 calls into 0.
    """
    session_id = data.meta.session_id
    current = steward.read_text(rel)
    if current is None:
        steward.write_text(
            rel, text, only_if_absent=True, actor="clock-out", reason="session archive"
        )
        return True, data
    try:
        old: ArchiveData | None = read_archive(current)
    except TmwsError:
        old = None
    if (old.meta.session_id if old is not None else "") != session_id:
        raise ConflictError(f"{rel} already exists and belongs to another session")
    if old is not None and holds_more(old, data):
        return False, old
    steward.write_text(
        rel, text, expect_sha256=content_hash(current), actor="clock-out", reason="session archive"
    )
    return False, data


def _verify_archive(
    steward: Steward, rel: str, data: ArchiveData, composed: ComposedArchive
) -> ArchiveData:
    """Read the archive back from disk: it must parse (`read_back`) and hold every call."""
    text = steward.read_text(rel)
    if text is None:
        raise ValidationError(f"{rel} vanished right after it was written")
    back = read_back(text, composed)
    got, want = len(back.tool_calls), len(data.tool_calls)
    if back.meta.session_id != data.meta.session_id or got != want:
        raise ValidationError(f"{rel} did not read back intact ({got} of {want} tool calls)")
    return back


def _rollback(steward: Steward, rel: str) -> None:
    try:
        steward.delete(rel, reason="clock-out failed; session stays open")
    except Exception:
        return


def _append_index(steward: Steward, data: ArchiveData, rel: str) -> str:
    """One line per session in learnings-index.jsonl (skipped when a retry already wrote it)."""
    current = steward.read_text(LEARNINGS_INDEX) or ""
    marker = f'"id": "{data.meta.session_id}"'
    if marker not in current:
        steward.append_jsonl(LEARNINGS_INDEX, [index_record(data, rel)])
    return _root_rel(LEARNINGS_INDEX)


# -- the learning hook --------------------------------------------------------------------------


def _learning_hook(project: Project, result: ClockOutResult) -> AutoMineResult | None:
    """Let the learning core look at the new archive; never fail the clock-out over it."""
    rel = result.archive_path[len(HESTAI) + 1 :]
    try:
        return after_clock_out(project, rel, budget_s=1.0)
    except Exception as exc:
        result.notes.append(f"learning skipped: {type(exc).__name__}")
        return None
