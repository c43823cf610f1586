"""Suggestion events, feedback, "used" detection and the per-skill numbers built from them.

Two append-only JSON Lines logs (`merge=union`, so branches merge without conflicts):

- `learning/suggestions.jsonl`: one `suggested` event per suggestion made (id `sg-…`);
- `learning/feedback.jsonl`: `feedback` events (helpful or not, by suggestion id) and `used`
  events, written at clock-out when the session's tool sequence covers at least 60 % of the
  suggested skill's steps.

activation = used / suggested; helpfulness = helpful / (helpful + unhelpful). A skill
suggested at least 5 times with activation below 0.2 is flagged for deprecation. Everything
here is recomputed from the two logs, so nothing else needs to be kept in sync.
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, Field
from rapidfuzz.distance import LCSseq

from hestai_tmws.config import load_settings
from hestai_tmws.errors import NotFoundError, UsageError
from hestai_tmws.governance.placement import routing_placement
from hestai_tmws.layout import FEEDBACK_LOG, SUGGESTIONS_LOG
from hestai_tmws.learning.core.steps import collapse, plain_tokens
from hestai_tmws.learning.core.tokens import tokenize
from hestai_tmws.learning.record_text import parse_record
from hestai_tmws.learning.records import record_rel
from hestai_tmws.learning.sequences import read_sequence
from hestai_tmws.learning.skills import skill_rel
from hestai_tmws.project import Project
from hestai_tmws.secrets.redaction import redact
from hestai_tmws.steward import Steward

USED_COVERAGE = 0.6
FLAG_MIN_SUGGESTED = 5
FLAG_MAX_ACTIVATION = 0.2
MAX_NOTES = 500
_STEP_LINE = re.compile(r"^\d+\. .* — `([^`]*)`$", re.MULTILINE)


def new_event_id(prefix: str) -> str:
    return f"{prefix}-{secrets.token_hex(6)}"


def iso_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def read_log(project: Project, rel: str, *, event: str | None = None) -> list[dict[str, Any]]:
    """Every well-formed record of a JSONL log (a torn or foreign line is skipped)."""
    try:
        text = project.memory_path(rel).read_text(encoding="utf-8")
    except (FileNotFoundError, NotADirectoryError):
        return []
    marker = f'"event": "{event}"' if event else None
    out: list[dict[str, Any]] = []
    for line in text.splitlines():
        if not line.strip() or (marker is not None and marker not in line):
            continue
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if isinstance(record, dict) and (event is None or record.get("event") == event):
            out.append(record)
    return out


# -- statistics ------------------------------------------------------------------------------


class SkillStats(BaseModel):
    skill: str
    suggested: int = 0
    used: int = 0
    helpful: int = 0
    unhelpful: int = 0
    activation: float | None = None
    helpfulness: float | None = None
    flagged: bool = False
    flag_reason: str | None = None


def compute_stats(
    suggested: Iterable[dict[str, Any]], feedback: Iterable[dict[str, Any]]
) -> dict[str, SkillStats]:
    """Per-skill numbers from the raw events (the latest verdict per suggestion counts)."""
    stats: dict[str, SkillStats] = {}
    owner: dict[str, str] = {}
    for ev in suggested:
        skill, sid = ev.get("skill"), ev.get("id")
        if not isinstance(skill, str) or not isinstance(sid, str):
            continue
        owner[sid] = skill
        stats.setdefault(skill, SkillStats(skill=skill)).suggested += 1
    used: dict[str, set[str]] = {}
    verdicts: dict[str, tuple[str, bool]] = {}
    for ev in feedback:
        sid = ev.get("suggestion")
        if not isinstance(sid, str):
            continue
        skill = owner.get(sid) or ev.get("skill")
        if not isinstance(skill, str):
            continue
        if ev.get("event") == "used":
            used.setdefault(skill, set()).add(sid)
        elif ev.get("event") == "feedback" and isinstance(ev.get("helpful"), bool):
            verdicts[sid] = (skill, bool(ev["helpful"]))
    for skill, ids in used.items():
        stats.setdefault(skill, SkillStats(skill=skill)).used = len(ids)
    for skill, helpful in verdicts.values():
        entry = stats.setdefault(skill, SkillStats(skill=skill))
        if helpful:
            entry.helpful += 1
        else:
            entry.unhelpful += 1
    for entry in stats.values():
        if entry.suggested:
            entry.activation = round(min(entry.used, entry.suggested) / entry.suggested, 4)
        rated = entry.helpful + entry.unhelpful
        if rated:
            entry.helpfulness = round(entry.helpful / rated, 4)
        if (
            entry.suggested >= FLAG_MIN_SUGGESTED
            and entry.activation is not None
            and entry.activation < FLAG_MAX_ACTIVATION
        ):
            entry.flagged = True
            entry.flag_reason = (
                f"activation {entry.activation:.2f} over {entry.suggested} suggestions "
                f"(below {FLAG_MAX_ACTIVATION} after at least {FLAG_MIN_SUGGESTED}): "
                "consider `tmws learn deprecate`"
            )
    return stats


def skill_stats(project: Project) -> dict[str, SkillStats]:
    return compute_stats(
        read_log(project, SUGGESTIONS_LOG, event="suggested"), read_log(project, FEEDBACK_LOG)
    )


def helpfulness_weights(project: Project) -> dict[str, float]:
    """Score multiplier per skill: 0.5 + Laplace-smoothed helpfulness (1.0 when unrated)."""
    verdicts: dict[str, tuple[str, bool]] = {}
    for ev in read_log(project, FEEDBACK_LOG, event="feedback"):
        sid, skill, helpful = ev.get("suggestion"), ev.get("skill"), ev.get("helpful")
        if isinstance(sid, str) and isinstance(skill, str) and isinstance(helpful, bool):
            verdicts[sid] = (skill, helpful)
    counts: dict[str, list[int]] = {}
    for skill, helpful in verdicts.values():
        pair = counts.setdefault(skill, [0, 0])
        pair[0 if helpful else 1] += 1
    return {skill: 0.5 + (h + 1) / (h + u + 2) for skill, (h, u) in counts.items()}


# -- feedback ---------------------------------------------------------------------------------


class FeedbackResult(BaseModel):
    id: str
    suggestion_id: str
    skill: str
    helpful: bool
    notes: str = ""
    recorded_at: str
    stats: SkillStats


def record_feedback(
    project: Project,
    suggestion_id: str,
    helpful: bool,
    notes: str | None = None,
    *,
    session_id: str | None = None,
) -> FeedbackResult:
    """Record whether a suggestion helped (a later verdict on the same one replaces it)."""
    wanted = suggestion_id.strip()
    if not re.fullmatch(r"sg-[0-9a-f]{12}", wanted):
        raise UsageError(
            f"{suggestion_id!r} is not a suggestion id",
            hint="suggestion ids look like sg-0123456789ab (clock-in and suggest_skills list them)",
        )
    events = read_log(project, SUGGESTIONS_LOG, event="suggested")
    match = next((e for e in events if e.get("id") == wanted), None)
    if match is None:
        raise NotFoundError(
            f"no suggestion {wanted}", hint="feedback refers to a suggestion made in this project"
        )
    skill = str(match.get("skill"))
    clean = redact(" ".join((notes or "").split()))[:MAX_NOTES]
    event_id, at = new_event_id("fb"), iso_now()
    record: dict[str, Any] = {
        "event": "feedback",
        "id": event_id,
        "suggestion": wanted,
        "skill": skill,
        "helpful": bool(helpful),
        "notes": clean,
        "session": session_id or match.get("session"),
        "at": at,
    }
    settings = load_settings(project)
    steward = Steward(
        project, lock_timeout=settings.lock_timeout_seconds, placement=routing_placement(project)
    )
    with steward.transaction("learning: feedback", stage=settings.stage_writes):
        steward.append_jsonl(FEEDBACK_LOG, [record])
    stats = skill_stats(project).get(skill, SkillStats(skill=skill))
    return FeedbackResult(
        id=event_id,
        suggestion_id=wanted,
        skill=skill,
        helpful=bool(helpful),
        notes=clean,
        recorded_at=at,
        stats=stats,
    )


# -- "used" detection at clock-out ------------------------------------------------------------


def coverage(session: Sequence[str], skill: Sequence[str]) -> float:
    """Share of the skill's steps found in order within a window of the session.

    Both sides are compared as plain steps, loops opened up (as the checks read them): a
    session that ran `(Edit → bun run test)+ → bun run lint` ran `Edit → bun run test →
    bun run lint`, though its collapsed form holds one loop token where the skill has two
    steps. The window is twice the skill's length (as many foreign calls as steps may
    interleave); the best window's longest common subsequence counts. Starting windows
    only where a skill step occurs keeps this linear in the session for short skills.
    """
    session, skill = plain_tokens(session), plain_tokens(skill)
    n = len(skill)
    if n == 0 or not session:
        return 0.0
    window = 2 * n
    if len(session) <= window:
        return min(1.0, LCSseq.similarity(list(session), list(skill)) / n)
    wanted = set(skill)
    best = 0
    seq = list(session)
    target = list(skill)
    for start in range(len(seq) - window + 1):
        if seq[start] not in wanted:
            continue
        found = LCSseq.similarity(seq[start : start + window], target)
        if found > best:
            best = found
            if best == n:
                break
    tail = seq[-window:]  # windows that end the session
    best = max(best, LCSseq.similarity(tail, target))
    return best / n


class UsedEvent(BaseModel):
    suggestion_id: str
    skill: str
    coverage: float


class UsageReport(BaseModel):
    session_id: str | None = None
    checked: int = 0
    used: list[UsedEvent] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)


def skill_tokens(project: Project, skill: str, pattern_id: str | None) -> list[str]:
    """The steps of a skill: from its pattern record, else from the SKILL.md step list."""
    if pattern_id:
        try:
            text = project.memory_path(record_rel(pattern_id)).read_text(encoding="utf-8")
            return list(parse_record(text).tokens)
        except Exception:
            pass
    try:
        body = project.memory_path(skill_rel(skill)).read_text(encoding="utf-8")
    except OSError:
        return []
    return _STEP_LINE.findall(body)


def detect_usage(project: Project, archive_rel: str, *, lock_timeout: float = 1.0) -> UsageReport:
    """Record a `used` event for every suggestion of this session whose skill it followed."""
    report = UsageReport()
    text = project.memory_path(archive_rel).read_text(encoding="utf-8")
    seq = read_sequence(text)
    report.session_id = seq.session_id
    mine = [
        e
        for e in read_log(project, SUGGESTIONS_LOG, event="suggested")
        if e.get("session") == seq.session_id and isinstance(e.get("id"), str)
    ]
    if not mine:
        return report
    done = {e.get("suggestion") for e in read_log(project, FEEDBACK_LOG, event="used")}
    # the steps as mining sees them (runs merged, fix loops one step), like the skill's
    raw = [(tokenize(c.tool, c.digest), c.ok, c.duration_ms) for c in seq.calls]
    calls = [token for token, _, _ in collapse(raw)]
    steps_of: dict[str, list[str]] = {}
    events: list[dict[str, Any]] = []
    for ev in mine:
        sid, skill = str(ev["id"]), str(ev.get("skill", ""))
        if sid in done or not skill:
            continue
        report.checked += 1
        if skill not in steps_of:
            steps_of[skill] = skill_tokens(project, skill, ev.get("pattern"))
        share = coverage(calls, steps_of[skill])
        if share >= USED_COVERAGE:
            report.used.append(UsedEvent(suggestion_id=sid, skill=skill, coverage=round(share, 3)))
            events.append(
                {
                    "event": "used",
                    "id": new_event_id("us"),
                    "suggestion": sid,
                    "skill": skill,
                    "session": seq.session_id,
                    "coverage": round(share, 3),
                    "at": iso_now(),
                }
            )
    if events:
        settings = load_settings(project)
        steward = Steward(project, lock_timeout=lock_timeout, placement=routing_placement(project))
        with steward.transaction("learning: used", stage=settings.stage_writes):
            steward.append_jsonl(FEEDBACK_LOG, events)
    return report
