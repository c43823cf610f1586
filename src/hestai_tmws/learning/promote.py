"""Promotion: an APPROVED pattern becomes a SKILL.md (`export` hands skills to agents).

A promotion writes the skill and the record (APPROVED → PROMOTED, with the skill's path)
in one Steward transaction, at most `learning.max_promotions_per_run` at a time.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from hestai_tmws.config import load_settings
from hestai_tmws.errors import PolicyError
from hestai_tmws.governance.placement import routing_placement
from hestai_tmws.learning.core.sop import draft_sop
from hestai_tmws.learning.core.states import PatternState, transition
from hestai_tmws.learning.record_text import parse_record
from hestai_tmws.learning.records import PatternRecord, now_utc, record_rel
from hestai_tmws.learning.review import person_actor
from hestai_tmws.learning.skill_index import forget
from hestai_tmws.learning.skills import (
    evidence_contexts,
    evidence_tasks,
    parse_skill,
    render_skill,
    skill_rel,
    skill_slug,
)
from hestai_tmws.learning.store import load_records, resolve_id, write_record
from hestai_tmws.project import Project
from hestai_tmws.steward import Steward

PROMOTE_ACTOR = "learning-promote"


class PromotedSkill(BaseModel):
    pattern_id: str
    skill: str  # the slug (= the skill's `name`)
    path: str  # relative to the project root
    description: str


class PromoteResult(BaseModel):
    promoted: list[PromotedSkill] = Field(default_factory=list)
    deferred: list[str] = Field(default_factory=list)  # approved, left for the next run
    notes: list[str] = Field(default_factory=list)


def promote(project: Project, pattern_id: str | None = None, *, actor: str) -> PromoteResult:
    """Promote one approved pattern, or every approved one (up to the per-run limit)."""
    settings = load_settings(project)
    limit = max(0, settings.learning.max_promotions_per_run)
    result = PromoteResult()
    if pattern_id is not None:
        wanted = [resolve_id(project, pattern_id)]
    else:
        approved = [
            r for r in load_records(project).records.values() if r.state is PatternState.APPROVED
        ]
        approved.sort(key=lambda r: (-r.stats.confidence, -r.stats.support, r.id))
        wanted = [r.id for r in approved[:limit]]
        result.deferred = [r.id for r in approved[limit:]]
        if not approved:
            result.notes.append("no approved patterns to promote")
    steward = Steward(
        project, lock_timeout=settings.lock_timeout_seconds, placement=routing_placement(project)
    )
    with steward.transaction("learning: promote", stage=settings.stage_writes):
        for full_id in wanted:
            rel = record_rel(full_id)
            current = steward.read_text(rel)
            if current is None:
                raise PolicyError(f"pattern {full_id} disappeared while it was being promoted")
            record = parse_record(current)
            result.promoted.append(_promote_one(steward, record, current, actor))
    if result.promoted:
        forget(project, rebuild=True)
    return result


def promote_as(
    project: Project, pattern_id: str | None = None, *, person: str | None
) -> PromoteResult:
    """`promote` decided by a person (`person_actor`: default git's user.name)."""
    return promote(project, pattern_id, actor=person_actor(project, person))


def _promote_one(
    steward: Steward, record: PatternRecord, current: str, actor: str
) -> PromotedSkill:
    tasks = tuple(evidence_tasks(steward.project, record.evidence))
    draft = draft_sop(record.to_mined(), tasks=tasks)
    slug = skill_slug(draft, record)
    rel = skill_rel(slug)
    existing = steward.read_text(rel)
    if existing is not None:
        try:
            owner = parse_skill(existing, slug).pattern_id
        except Exception:
            owner = None
        if owner != record.id:
            slug = f"{slug[:57]}-{record.id[-6:]}".replace("--", "-")
            rel = skill_rel(slug)
    change = transition(  # refuses anything but APPROVED, before any write
        record.state,
        PatternState.PROMOTED,
        support=record.stats.support,
        actor=actor,
        reason=f"promoted to a skill: {slug}",
        at=now_utc(),
    )
    contexts = evidence_contexts(steward.project, record.evidence)
    text = render_skill(draft, record, slug, contexts)
    steward.write_text(rel, text, actor=PROMOTE_ACTOR, reason=f"skill of {record.id}")
    record.state = PatternState.PROMOTED
    record.skill = rel
    record.history.append(change)
    write_record(steward, record, current=current, actor=PROMOTE_ACTOR, reason="promoted")
    return PromotedSkill(
        pattern_id=record.id, skill=slug, path=f".hestai/{rel}", description=draft.description
    )
