"""Suggestion replay: would the skills learnt so far have helped the sessions that came next?

Sessions are taken in the order they started. The first half only teaches; the rest is
held back in a few folds. For each fold, patterns are mined and validated from every
earlier session only, rendered as the skills promotion would write, and indexed in a
scratch project; each held-back session then asks for three suggestions with its own
first request. A hit is a session that went on to run a suggested procedure (the same
coverage rule as "used" detection). Nothing of the project is written.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, Field

from hestai_tmws.config import learning_namespace, load_settings
from hestai_tmws.learning.archive_scan import scan, sessions_of
from hestai_tmws.learning.cache import SequenceCache, mining_input
from hestai_tmws.learning.core.checks import validate
from hestai_tmws.learning.core.mining import mine
from hestai_tmws.learning.core.model import MinedPattern, MiningConfig, SessionSeq
from hestai_tmws.learning.core.search_terms import query_terms
from hestai_tmws.learning.core.sop import draft_sop
from hestai_tmws.learning.feedback import USED_COVERAGE, coverage
from hestai_tmws.learning.pipeline import mining_config
from hestai_tmws.learning.skill_index import forget
from hestai_tmws.learning.skills import (
    EVIDENCE_TASK_CHARS,
    render_skill,
    skill_rel,
    skill_slug,
)
from hestai_tmws.learning.suggest import suggest
from hestai_tmws.octave.lexical import decode_string, unescape
from hestai_tmws.project import Project
from hestai_tmws.sessions.task_text import clip_words, strip_wrappers

TOP = 3
FOLDS = 5
TRAIN_SHARE = 0.5
QUERY_CHARS = 400  # what a suggestion may read of the task (clock-in reads the focus too)
_STARTED = re.compile(r'^  STARTED::"([^"]*)"$', re.MULTILINE)
_REQUEST = re.compile(r'^  REQUEST::"(.*)"$', re.MULTILINE)


class ReplaySession(BaseModel):
    session_id: str
    task: str
    suggested: list[str] = Field(default_factory=list)  # skill names, best first
    ran: list[str] = Field(default_factory=list)  # learnt skills the session ran
    hit: bool = False


class ReplayResult(BaseModel):
    """Top-3 hit rate of suggestions replayed over a project's own history."""

    sessions: int = 0
    held_back: int = 0
    skills_last_fold: int = 0
    hits: int = 0
    hit_rate: float = 0.0  # hits / held-back sessions
    applicable: int = 0  # held-back sessions that ran at least one learnt skill
    hit_rate_applicable: float = 0.0
    details: list[ReplaySession] = Field(default_factory=list)


@dataclass
class _Session:
    seq: SessionSeq
    started: str
    task: str


def replay(project: Project, *, folds: int = FOLDS, top: int = TOP) -> ReplayResult:
    """Replay suggestions over the archived sessions of `project` (read only)."""
    sessions = _sessions(project)
    result = ReplayResult(sessions=len(sessions))
    first = max(1, int(len(sessions) * TRAIN_SHARE))
    held = sessions[first:]
    if not held:
        return result
    size = -(-len(held) // folds)
    config = mining_config(load_settings(project))
    with tempfile.TemporaryDirectory(prefix="tmws-replay-") as tmp:
        scratch = _scratch_project(Path(tmp))
        for start in range(0, len(held), size):
            train = sessions[: first + start]
            skills = _learn(scratch, train, config)
            result.skills_last_fold = len(skills)
            for item in held[start : start + size]:
                result.details.append(_ask(scratch, item, skills, top))
    result.held_back = len(result.details)
    result.hits = sum(d.hit for d in result.details)
    result.applicable = sum(1 for d in result.details if d.ran)
    result.hit_rate = round(result.hits / result.held_back, 3) if result.held_back else 0.0
    if result.applicable:
        result.hit_rate_applicable = round(result.hits / result.applicable, 3)
    return result


def _sessions(project: Project) -> list[_Session]:
    cache = SequenceCache.load(project)
    scanned = scan(project, cache)
    namespace = learning_namespace(project, load_settings(project))
    by_blob = {a.blob: a.rel for a in scanned.archives}
    data = sessions_of(cache, scanned.archives, namespace)
    seqs = {s.session_id: s for s in mining_input(cache, data)}
    out: list[_Session] = []
    for blob, rel in by_blob.items():
        entry = cache.blobs.get(blob)
        if entry is None or entry[0] not in seqs:
            continue
        head = project.memory_path(rel).read_text(encoding="utf-8")[:20_000]
        started = _STARTED.search(head)
        request = _REQUEST.search(head)
        out.append(
            _Session(
                seq=seqs.pop(entry[0]),
                started=started.group(1) if started else "",
                task=_task(request.group(1)) if request else "",
            )
        )
    out.sort(key=lambda s: (s.started, s.seq.session_id))
    return out


def _task(raw: str) -> str:
    """The held-back session's first request as the next session would state it."""
    try:
        text = str(decode_string(unescape(raw)))
    except Exception:  # an unusual encoding: use it as it is
        text = raw
    return clip_words(strip_wrappers(text), QUERY_CHARS)


def _scratch_project(path: Path) -> Project:
    subprocess.run(["git", "init", "-q", str(path)], check=True, capture_output=True)
    return Project.discover(path)


def _learn(
    scratch: Project, train: list[_Session], config: MiningConfig
) -> dict[str, tuple[str, ...]]:
    """Write the skills learnt from `train` into the scratch project; slug -> steps."""
    found = mine([s.seq for s in train], config)
    known = {step.tool for s in train for step in s.seq.steps}
    tasks = {s.seq.session_id: s.task for s in train}
    root = scratch.memory_path("learning/skills")
    for old in root.glob("*/SKILL.md") if root.is_dir() else []:
        old.unlink()
    skills: dict[str, tuple[str, ...]] = {}
    for pattern in found:
        if not validate(pattern, known_tools=known, config=config).passed:
            continue
        skills.update(_write_skill(scratch, pattern, tasks))
    forget(scratch, rebuild=True)
    return skills


def _write_skill(
    scratch: Project, pattern: MinedPattern, tasks: dict[str, str]
) -> dict[str, tuple[str, ...]]:
    # as promotion does it (`skills.evidence_tasks`): up to five requests, 240 characters
    asked = (clip_words(t, EVIDENCE_TASK_CHARS) for s in pattern.session_ids if (t := tasks.get(s)))
    evidence = tuple(dict.fromkeys(asked))[:5]
    draft = draft_sop(pattern, tasks=evidence)
    slug = skill_slug(draft, pattern)
    path = scratch.memory_path(skill_rel(slug))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_skill(draft, pattern, slug), encoding="utf-8")
    return {slug: pattern.tokens}


def _ask(
    scratch: Project, item: _Session, skills: dict[str, tuple[str, ...]], top: int
) -> ReplaySession:
    steps = [step.token for step in item.seq.steps]
    ran = [slug for slug, tokens in skills.items() if coverage(steps, tokens) >= USED_COVERAGE]
    out = ReplaySession(session_id=item.seq.session_id, task=item.task, ran=sorted(ran))
    terms = query_terms([item.task])
    if skills and terms:
        batch = suggest(scratch, terms, limit=top)
        out.suggested = [s.skill for s in batch.suggestions]
    out.hit = any(slug in ran for slug in out.suggested)
    return out
