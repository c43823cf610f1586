"""Read-only views of the learning loop: status, pattern lists, one pattern, skills, SOPs.

Everything is computed from committed files (records, skills, the two logs); the cache only
adds "when did the last run happen" and is optional.
"""

from __future__ import annotations

import math
import re
from collections import Counter

from pydantic import BaseModel, ConfigDict, Field
from pydantic import ValidationError as PydanticValidationError

from hestai_tmws.config import load_settings
from hestai_tmws.learning.archive_scan import list_archives
from hestai_tmws.learning.cache import SequenceCache
from hestai_tmws.learning.core.sop import draft_sop, render_sop_markdown
from hestai_tmws.learning.core.states import PatternState
from hestai_tmws.learning.core.stats import lift_text
from hestai_tmws.learning.feedback import SkillStats, skill_stats
from hestai_tmws.learning.record_text import parse_record
from hestai_tmws.learning.records import PatternRecord, record_rel
from hestai_tmws.learning.skills import load_skills
from hestai_tmws.learning.store import load_records, resolve_id
from hestai_tmws.project import Project

SOP_STATES = (PatternState.VALIDATED, PatternState.APPROVED, PatternState.PROMOTED)


class PatternSummary(BaseModel):
    id: str
    state: PatternState
    namespace: str
    length: int
    chain: str
    support: int
    days: int
    success_rate: float
    confidence: float
    lift: float | None  # None: chance explains none of it (infinite lift)
    lift_text: str = ""  # "12× more often than chance" (capped at 1000×)
    validation_passed: bool | None
    skill: str | None = None
    since: str


def summarize(record: PatternRecord) -> PatternSummary:
    return PatternSummary(
        id=record.id,
        state=record.state,
        namespace=record.namespace,
        length=len(record.tokens),
        chain=record.chain,
        support=record.stats.support,
        days=len(record.stats.days),
        success_rate=record.stats.success_rate,
        confidence=record.stats.confidence,
        lift=record.stats.lift if math.isfinite(record.stats.lift) else None,
        lift_text=lift_text(record.stats.lift),
        validation_passed=None if record.validation is None else record.validation.passed,
        skill=record.skill,
        since=record.state_since().strftime("%Y-%m-%dT%H:%M:%SZ"),
    )


class PatternList(BaseModel):
    patterns: list[PatternSummary] = Field(default_factory=list)
    broken: dict[str, str] = Field(default_factory=dict)


def list_patterns(project: Project, state: PatternState | None = None) -> PatternList:
    found = load_records(project)
    rows = [summarize(r) for r in found.records.values() if state is None or r.state is state]
    rows.sort(key=lambda p: (-p.support, -p.confidence, p.id))
    return PatternList(patterns=rows, broken=found.broken)


def show_pattern(project: Project, pattern_id: str) -> PatternRecord:
    full = resolve_id(project, pattern_id)
    return parse_record(project.memory_path(record_rel(full)).read_text(encoding="utf-8"))


class SkillSummary(BaseModel):
    skill: str
    name: str
    description: str
    pattern: str | None
    path: str
    stats: SkillStats


class SkillList(BaseModel):
    skills: list[SkillSummary] = Field(default_factory=list)
    broken: dict[str, str] = Field(default_factory=dict)
    flagged: list[str] = Field(default_factory=list)


def list_skills(project: Project) -> SkillList:
    found = load_skills(project)
    stats = skill_stats(project)
    out = SkillList(broken=found.broken)
    for slug, doc in sorted(found.skills.items()):
        entry = stats.get(slug, SkillStats(skill=slug))
        out.skills.append(
            SkillSummary(
                skill=slug,
                name=doc.name,
                description=doc.description,
                pattern=doc.pattern_id,
                path=f".hestai/{doc.rel}",
                stats=entry,
            )
        )
        if entry.flagged:
            out.flagged.append(slug)
    return out


class LastRun(BaseModel):
    """The last mining run as the cache remembers it (`?`/0 where it does not say)."""

    model_config = ConfigDict(extra="ignore")

    mode: str = "?"
    at: str = "?"
    patterns: int = 0
    sessions: int | None = None
    calls: int | None = None
    archives: int | None = None


class LearningStatus(BaseModel):
    archives: int
    patterns: int
    by_state: dict[str, int]
    skills: int
    suggestions: int
    used: int
    feedback: int
    flagged_skills: list[str] = Field(default_factory=list)
    broken_records: dict[str, str] = Field(default_factory=dict)
    broken_skills: dict[str, str] = Field(default_factory=dict)
    auto_approve: bool = False
    last_run: dict[str, object] = Field(default_factory=dict)
    cached_archives: int = 0
    sessions_since_full_mine: int = 0
    notes: list[str] = Field(default_factory=list)

    def last_mine(self) -> LastRun | None:
        """`last_run` as a typed record (None before any run); the JSON keeps the raw map."""
        if not self.last_run:
            return None
        try:
            return LastRun.model_validate(self.last_run)
        except PydanticValidationError:
            return LastRun()


def learning_status(project: Project) -> LearningStatus:
    settings = load_settings(project)
    records = load_records(project)
    states = Counter(r.state.value for r in records.records.values())
    skills = list_skills(project)
    stats = skill_stats(project)
    cache = SequenceCache.load(project)
    since = 0
    if cache.baseline:
        since = int(cache.baseline.get("since_full", 0))
    notes: list[str] = []
    if not cache.loaded_from_disk:
        notes.append("no learning cache here yet: the next mine reads every archive")
    stale = [
        r.id
        for r in records.records.values()
        if r.state is PatternState.VALIDATED
        and r.validation is not None
        and not r.validation.passed
    ]
    if stale:
        notes.append(f"{len(stale)} validated pattern(s) no longer pass their checks")
    return LearningStatus(
        archives=len(list_archives(project)),
        patterns=len(records.records),
        by_state={s.value: states.get(s.value, 0) for s in PatternState},
        skills=len(skills.skills),
        suggestions=sum(s.suggested for s in stats.values()),
        used=sum(s.used for s in stats.values()),
        feedback=sum(s.helpful + s.unhelpful for s in stats.values()),
        flagged_skills=skills.flagged,
        broken_records=records.broken,
        broken_skills=skills.broken,
        auto_approve=settings.learning.auto_approve,
        last_run=dict(cache.last_run),
        cached_archives=len(cache.blobs),
        sessions_since_full_mine=since,
        notes=notes,
    )


# -- SOPs -------------------------------------------------------------------------------------


class Sop(BaseModel):
    pattern_id: str
    state: PatternState
    skill: str | None
    title: str
    description: str
    steps: list[str]
    confidence: float
    support: int
    match: float  # share of the trigger's words found in the pattern (1.0 without a trigger)
    markdown: str


class SopList(BaseModel):
    trigger: str
    sops: list[Sop] = Field(default_factory=list)
    broken: dict[str, str] = Field(default_factory=dict)


_WORDS = re.compile(r"[a-z0-9_]+")


def _words(text: str) -> set[str]:
    return {w for w in _WORDS.findall(text.lower()) if len(w) > 1}


def get_sops(
    project: Project, trigger: str = "", min_confidence: float = 0.0, limit: int = 5
) -> SopList:
    """SOP drafts of validated, approved and promoted patterns matching `trigger`."""
    found = load_records(project)
    wanted = _words(trigger)
    scored: list[tuple[float, PatternRecord]] = []
    for record in found.records.values():
        if record.state not in SOP_STATES or record.stats.confidence < min_confidence:
            continue
        if wanted:
            have = _words(" ".join(record.tokens).replace(":", " ")) | _words(record.chain)
            match = len(wanted & have) / len(wanted)
            if match == 0:
                continue
        else:
            match = 1.0
        scored.append((match, record))
    scored.sort(key=lambda item: (-item[0], -item[1].stats.confidence, item[1].id))
    out = SopList(trigger=trigger, broken=found.broken)
    for match, record in scored[: max(0, limit)]:
        draft = draft_sop(record.to_mined())
        out.sops.append(
            Sop(
                pattern_id=record.id,
                state=record.state,
                skill=record.skill,
                title=draft.title,
                description=draft.description,
                steps=[f"{s.index}. {s.text} ({s.token})" for s in draft.steps],
                confidence=record.stats.confidence,
                support=record.stats.support,
                match=round(match, 4),
                markdown=render_sop_markdown(draft),
            )
        )
    return out
