"""Promotion: an APPROVED pattern becomes a SKILL.md; export hands skills to Claude Code.

A promotion writes the skill and the record (APPROVED → PROMOTED, with the skill's path)
in one Steward transaction, at most `learning.max_promotions_per_run` at a time.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, Field

from hestai_tmws.config import load_settings
from hestai_tmws.errors import PolicyError, UsageError
from hestai_tmws.learning.core.sop import draft_sop
from hestai_tmws.learning.core.states import PatternState, transition
from hestai_tmws.learning.pipeline import now_utc
from hestai_tmws.learning.records import HistoryEntry, PatternRecord, parse_record, record_rel
from hestai_tmws.learning.skills import (
    evidence_contexts,
    parse_skill,
    render_skill,
    skill_rel,
    skill_slug,
    skill_slugs,
)
from hestai_tmws.learning.store import load_records, resolve_id, write_record
from hestai_tmws.project import Project
from hestai_tmws.steward import Steward

PROMOTE_ACTOR = "learning-promote"
CLAUDE_SKILLS = Path(".claude") / "skills"


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
    steward = Steward(project, lock_timeout=settings.lock_timeout_seconds)
    with steward.transaction("learning: promote", stage=settings.stage_writes):
        for full_id in wanted:
            rel = record_rel(full_id)
            current = steward.read_text(rel)
            if current is None:
                raise PolicyError(f"pattern {full_id} disappeared while it was being promoted")
            record = parse_record(current)
            result.promoted.append(_promote_one(steward, record, current, actor))
    if result.promoted:
        from hestai_tmws.learning.suggest import forget

        forget(project, rebuild=True)
    return result


def _promote_one(
    steward: Steward, record: PatternRecord, current: str, actor: str
) -> PromotedSkill:
    change = transition(
        record.state,
        PatternState.PROMOTED,
        support=record.stats.support,
        actor=actor,
        reason="promoted to a skill",
        at=now_utc(),
    )
    draft = draft_sop(record.to_mined())
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
    contexts = evidence_contexts(steward.project, record.evidence)
    text = render_skill(draft, record, slug, contexts)
    steward.write_text(rel, text, actor=PROMOTE_ACTOR, reason=f"skill of {record.id}")
    record.state = PatternState.PROMOTED
    record.skill = rel
    record.history.append(HistoryEntry.from_change(change, reason=f"{change.reason}: {slug}"))
    write_record(steward, record, current=current, actor=PROMOTE_ACTOR, reason="promoted")
    return PromotedSkill(
        pattern_id=record.id, skill=slug, path=f".hestai/{rel}", description=draft.description
    )


# -- export -----------------------------------------------------------------------------------


class ExportResult(BaseModel):
    target: str  # relative to the project root
    written: list[str] = Field(default_factory=list)
    unchanged: list[str] = Field(default_factory=list)
    skipped: dict[str, str] = Field(default_factory=dict)


def export_claude(project: Project) -> ExportResult:
    """Copy every promoted skill to `.claude/skills/<slug>/SKILL.md` (atomic plain writes).

    `.claude/` is outside project memory, so the Steward does not own it; the copy refuses
    to write through a symbolic link that leaves the project.
    """
    from hestai_tmws.steward.atomic import atomic_write_bytes

    target_root = project.root / CLAUDE_SKILLS
    result = ExportResult(target=CLAUDE_SKILLS.as_posix())
    root_real = project.root.resolve()
    for slug in skill_slugs(project):
        source = project.memory_path(skill_rel(slug))
        try:
            data = source.read_bytes()
            parse_skill(data.decode("utf-8"), slug)
        except Exception as exc:
            result.skipped[slug] = str(getattr(exc, "message", exc))
            continue
        dest = target_root / slug / "SKILL.md"
        dest.parent.mkdir(parents=True, exist_ok=True)
        if not dest.parent.resolve().is_relative_to(root_real):
            raise UsageError(f"{dest.parent} leads outside the project; not exporting through it")
        shown = (CLAUDE_SKILLS / slug / "SKILL.md").as_posix()
        try:
            if dest.read_bytes() == data:
                result.unchanged.append(shown)
                continue
        except FileNotFoundError:
            pass
        atomic_write_bytes(dest, data)
        result.written.append(shown)
    return result
