"""The transitions a person (or a policy) makes: approve, reject, deprecate.

Each one re-reads the record under the Steward lock, asks `states.transition` whether the
move is legal (PolicyError, exit code 3, with the rule otherwise), appends the history entry
and writes the record back with compare-and-swap.
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Callable
from typing import Literal

from pydantic import Field

from hestai_tmws.config import load_settings
from hestai_tmws.errors import PolicyError
from hestai_tmws.governance.placement import routing_placement
from hestai_tmws.learning.core.states import PatternState, PatternTransition, transition
from hestai_tmws.learning.export import remove_exported
from hestai_tmws.learning.record_text import parse_record
from hestai_tmws.learning.records import PatternRecord, now_utc, record_rel
from hestai_tmws.learning.skill_index import forget
from hestai_tmws.learning.store import resolve_id, write_record
from hestai_tmws.project import Project
from hestai_tmws.steward import Steward

REVIEW_ACTOR = "learning-review"
Decision = Literal["approve", "reject", "deprecate"]


class TransitionResult(PatternTransition):
    """A person's (or a policy's) move of one pattern, and what it changed on disk."""

    path: str  # record path relative to the project root
    removed: list[str] = Field(default_factory=list)  # files the move removed (a skill)


def person_actor(project: Project, name: str | None = None) -> str:
    """`person:<name>`: the given name, else git's user.name, else the login name."""
    who = (name or "").strip()
    if not who:
        who = project.git.config_get("user.name") or ""
    if not who:
        try:
            who = getpass.getuser()
        except Exception:
            who = os.environ.get("USER", "") or "unknown"
    return "person:" + " ".join(who.split())[:80]


def apply_transition(
    project: Project,
    pattern_id: str,
    target: PatternState,
    *,
    actor: str,
    reason: str = "",
    before_write: Callable[[Steward, PatternRecord], list[str]] | None = None,
) -> TransitionResult:
    """Move one record to `target` (legal moves only), atomically under the lock."""
    settings = load_settings(project)
    full_id = resolve_id(project, pattern_id)
    steward = Steward(
        project, lock_timeout=settings.lock_timeout_seconds, placement=routing_placement(project)
    )
    with steward.transaction(f"learning: {target.value.lower()}", stage=settings.stage_writes):
        rel = record_rel(full_id)
        current = steward.read_text(rel)
        if current is None:
            raise PolicyError(f"pattern {full_id} disappeared while it was being changed")
        record = parse_record(current)
        change = transition(
            record.state,
            target,
            support=record.stats.support,
            support_at_rejection=record.support_at_rejection(),
            actor=actor,
            reason=reason,
            at=now_utc(),
        )
        removed = before_write(steward, record) if before_write else []
        record.state = target
        record.history.append(change)
        write_record(steward, record, current=current, actor=REVIEW_ACTOR, reason=target.value)
    moved = PatternTransition.of(full_id, change)
    return TransitionResult(**moved.model_dump(), path=f".hestai/{rel}", removed=removed)


def approve(project: Project, pattern_id: str, *, actor: str, reason: str = "") -> TransitionResult:
    """VALIDATED → APPROVED, only while its latest validation still passes."""

    def check(_steward: Steward, record: PatternRecord) -> list[str]:
        if record.validation is not None and not record.validation.passed:
            failed = ", ".join(record.validation.failed_codes)
            raise PolicyError(
                f"pattern {record.id} no longer passes validation ({failed})",
                hint="`tmws learn show` gives the reasons; it can be approved once it passes",
            )
        return []

    return apply_transition(
        project,
        pattern_id,
        PatternState.APPROVED,
        actor=actor,
        reason=reason or "approved",
        before_write=check,
    )


def reject(project: Project, pattern_id: str, *, actor: str, reason: str = "") -> TransitionResult:
    """→ REJECTED where the life cycle allows it (from DETECTED)."""
    return apply_transition(
        project, pattern_id, PatternState.REJECTED, actor=actor, reason=reason or "rejected"
    )


def deprecate(
    project: Project, pattern_id: str, *, actor: str, reason: str = ""
) -> TransitionResult:
    """PROMOTED → DEPRECATED; the skill file goes (git history keeps it), and so does its
    exported copy in `.claude/skills/`."""

    def drop_skill(steward: Steward, record: PatternRecord) -> list[str]:
        removed: list[str] = []
        if record.skill:
            slug = record.skill.rstrip("/").split("/")[-2]
            removed.extend(remove_exported(steward.project, slug, record.id))
        if record.skill and steward.delete(record.skill, reason=f"deprecated {record.id}"):
            removed.append(f".hestai/{record.skill}")
        record.skill = None
        return removed

    try:
        return apply_transition(
            project,
            pattern_id,
            PatternState.DEPRECATED,
            actor=actor,
            reason=reason or "deprecated",
            before_write=drop_skill,
        )
    finally:
        forget(project, rebuild=True)


def decide(
    project: Project,
    decision: Decision,
    pattern_id: str,
    *,
    person: str | None = None,
    reason: str = "",
) -> TransitionResult:
    """One person's review decision; `person` defaults to git's user.name (`person_actor`)."""
    actor = person_actor(project, person)
    if decision == "approve":
        return approve(project, pattern_id, actor=actor, reason=reason)
    if decision == "reject":
        return reject(project, pattern_id, actor=actor, reason=reason)
    return deprecate(project, pattern_id, actor=actor, reason=reason)
