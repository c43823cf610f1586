"""Skill suggestions: BM25 over the promoted skills (`skill_index`), weighted by helpfulness.

Suggestions are advice: `suggest_for_clock_in` never raises and never holds clock-in
back; a missing, corrupt or slow store gives no suggestions and a note saying why. Every
suggestion made is recorded as a `suggested` event, which feedback and "used" refer to.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field

from hestai_tmws.config import load_settings
from hestai_tmws.errors import TmwsError
from hestai_tmws.governance.placement import routing_placement
from hestai_tmws.layout import SUGGESTIONS_LOG
from hestai_tmws.learning.core.search_terms import path_words, query_terms
from hestai_tmws.learning.feedback import helpfulness_weights, iso_now, new_event_id
from hestai_tmws.learning.recent_paths import recent_paths
from hestai_tmws.learning.skill_index import IndexTooSlow, load_index
from hestai_tmws.learning.skills import skill_rel
from hestai_tmws.project import Project
from hestai_tmws.sessions.model import Suggestion
from hestai_tmws.sessions.store import load_session, save_session
from hestai_tmws.steward import Steward

if TYPE_CHECKING:
    from hestai_tmws.sessions.model import ActiveSession

DEFAULT_LIMIT = 3
BUILD_BUDGET_S = 0.5
_TRUNK = frozenset({"main", "master", "develop", "development", "trunk", "head"})


class SuggestionBatch(BaseModel):
    suggestions: list[Suggestion] = Field(default_factory=list)
    note: str | None = None
    terms: list[str] = Field(default_factory=list)
    recorded: bool = False


def _broken_note(broken: dict[str, str]) -> str:
    shown = "; ".join(f"{slug}: {why}" for slug, why in sorted(broken.items())[:3])
    more = f" (+{len(broken) - 3} more)" if len(broken) > 3 else ""
    return f"skipped {len(broken)} unreadable skill file(s): {shown}{more}"


def suggest(
    project: Project,
    terms: Sequence[str],
    *,
    limit: int = DEFAULT_LIMIT,
    threshold: float | None = None,
    deadline: float | None = None,
) -> SuggestionBatch:
    """Rank the skills for these search words (nothing is recorded)."""
    if threshold is None:
        threshold = load_settings(project).learning.suggest_threshold
    batch = SuggestionBatch(terms=list(terms))
    index = load_index(project, deadline=deadline)
    notes: list[str] = []
    if index.broken:
        notes.append(_broken_note(index.broken))
    if not index.count:
        if not index.broken:
            notes.append("no promoted skills yet")
        batch.note = "; ".join(notes)
        return batch
    weights = helpfulness_weights(project)
    for row, score in index.search(terms, weights, max(0, limit), threshold):
        batch.suggestions.append(
            Suggestion(
                id=new_event_id("sg"),
                skill=row.slug,
                name=row.name,
                description=row.description,
                score=score,
                path=f".hestai/{skill_rel(row.slug)}",
                pattern=row.pattern,
            )
        )
    batch.note = "; ".join(notes) or None
    return batch


def record_suggestions(
    project: Project,
    batch: SuggestionBatch,
    *,
    session_id: str | None,
    source: str,
    lock_timeout: float = 1.0,
) -> None:
    """Append one `suggested` event per suggestion to `learning/suggestions.jsonl`."""
    if not batch.suggestions:
        return
    at = iso_now()
    events: list[dict[str, Any]] = [
        {
            "event": "suggested",
            "id": s.id,
            "skill": s.skill,
            "pattern": s.pattern,
            "score": s.score,
            "session": session_id,
            "source": source,
            "at": at,
        }
        for s in batch.suggestions
    ]
    settings = load_settings(project)
    steward = Steward(project, lock_timeout=lock_timeout, placement=routing_placement(project))
    with steward.transaction("learning: suggestions", stage=settings.stage_writes):
        steward.append_jsonl(SUGGESTIONS_LOG, events)
    batch.recorded = True


def _degraded(exc: BaseException) -> str:
    """Why there are no suggestions (the caller prefixes "skill suggestions: ")."""
    if isinstance(exc, IndexTooSlow):
        return (
            f"none, the learning store was too slow "
            f"({exc.done} of {exc.total} skills read within {BUILD_BUDGET_S:.1f} s)"
        )
    if isinstance(exc, sqlite3.Error):
        return f"none, the skill index failed ({exc})"
    if isinstance(exc, TmwsError):
        return f"none, {exc.message}"
    return f"none, {type(exc).__name__}: {exc}"


def suggest_for_clock_in(project: Project, session: ActiveSession) -> SuggestionBatch:
    """Suggestions for a new session (focus, branch, recently changed paths). Never raises."""
    try:
        deadline = time.perf_counter() + BUILD_BUDGET_S
        texts: list[str | None] = []
        if session.focus_source != "default":
            texts.append(session.focus)
        if session.branch and session.branch.lower() not in _TRUNK:
            texts.append(session.branch.replace("/", " "))
        texts.extend(path_words(recent_paths(project)))
        terms = query_terms(texts)
        if not terms:
            return SuggestionBatch(note=None)
        batch = suggest(project, terms, deadline=deadline)
    except Exception as exc:
        return SuggestionBatch(note=_degraded(exc))
    try:
        record_suggestions(project, batch, session_id=session.id, source="clock-in")
    except Exception as exc:
        extra = f"suggestions were not recorded ({type(exc).__name__})"
        batch.note = f"{batch.note}; {extra}" if batch.note else extra
    return batch


def suggest_skills(
    project: Project,
    task: str,
    limit: int = DEFAULT_LIMIT,
    *,
    session_id: str | None = None,
    record: bool = True,
    source: str = "mcp",
) -> SuggestionBatch:
    """Suggestions for a task description; recorded as events (and in the open session)."""
    terms = query_terms([task])
    if not terms:
        return SuggestionBatch(note="the task gives no search words")
    try:
        batch = suggest(project, terms, limit=limit)
    except Exception as exc:
        return SuggestionBatch(terms=terms, note=_degraded(exc))
    if record and batch.suggestions:
        record_suggestions(project, batch, session_id=session_id, source=source)
        if session_id:
            _remember_in_session(project, session_id, batch)
    return batch


def _remember_in_session(project: Project, session_id: str, batch: SuggestionBatch) -> None:
    """Add the suggestions to the open session's record (session.json `suggestions`)."""
    settings = load_settings(project)
    steward = Steward(
        project, lock_timeout=settings.lock_timeout_seconds, placement=routing_placement(project)
    )
    with steward.transaction("learning: session suggestions"):
        try:
            session = load_session(project, session_id)
        except TmwsError:
            return
        items = [*session.suggestions, *batch.suggestions]
        save_session(project, steward, session.model_copy(update={"suggestions": items}))
