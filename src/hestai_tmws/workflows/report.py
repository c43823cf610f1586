"""The data of `tmws report --html`: one read-only picture of the project's memory.

Layer 8 because it is the lowest layer that sees every part at once: sessions (layer 6),
memory and learning (layer 7, which may not import each other) and the doctor's health
checks (this layer). It returns a typed model; the CLI's view turns it into a static page.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta

from pydantic import BaseModel, Field

from hestai_tmws.errors import TmwsError
from hestai_tmws.layout import DECISIONS
from hestai_tmws.learning.status import list_patterns, list_skills
from hestai_tmws.octave import parse
from hestai_tmws.project import Project
from hestai_tmws.sessions.archive import read_archive
from hestai_tmws.sessions.archive.read import list_archived
from hestai_tmws.workflows.doctor import DoctorCheck, run_doctor

CHECKLIST = "context/project-checklist.oct.md"
MAX_DAYS = 366  # the day chart shows at most the last year of sessions
OPEN_STATES = frozenset({"OPEN", "TODO", "IN_PROGRESS", "BLOCKED", "PENDING"})


class Count(BaseModel):
    label: str
    value: int


class SkillUse(BaseModel):
    name: str
    suggested: int
    used: int
    helpful: int
    unhelpful: int


class DecisionEntry(BaseModel):
    number: str
    title: str
    date: str
    status: str


class ChecklistItem(BaseModel):
    key: str
    what: str
    owner: str
    status: str


class MemoryReport(BaseModel):
    """Everything the page shows, computed from `.hestai/` and the set-up checks."""

    project: str
    generated_at: datetime
    sessions: int = 0
    sessions_per_day: list[Count] = Field(default_factory=list)
    sessions_per_role: list[Count] = Field(default_factory=list)
    tool_mix: list[Count] = Field(default_factory=list)
    patterns_by_state: list[Count] = Field(default_factory=list)
    skills: list[SkillUse] = Field(default_factory=list)
    decisions: list[DecisionEntry] = Field(default_factory=list)
    open_checklist: list[ChecklistItem] = Field(default_factory=list)
    health: list[DoctorCheck] = Field(default_factory=list)
    unreadable: list[str] = Field(default_factory=list)


def _counts(counter: Counter[str], *, by_label: bool = False) -> list[Count]:
    items = sorted(counter.items()) if by_label else counter.most_common()
    return [Count(label=k, value=v) for k, v in items]


def _every_day(days: Counter[str]) -> list[Count]:
    """One count per day from the first to the last session (quiet days show as zero)."""
    if not days:
        return []
    first, last = date.fromisoformat(min(days)), date.fromisoformat(max(days))
    span = min((last - first).days, MAX_DAYS - 1)
    start = last - timedelta(days=span)
    return [
        Count(label=d.isoformat(), value=days.get(d.isoformat(), 0))
        for d in (start + timedelta(days=i) for i in range(span + 1))
    ]


def _sessions(project: Project, report: MemoryReport) -> None:
    listed = list_archived(project)
    report.unreadable.extend(listed.unreadable)
    days: Counter[str] = Counter()
    roles: Counter[str] = Counter()
    tools: Counter[str] = Counter()
    for s in listed.sessions:
        days[f"{s.started_at.astimezone(UTC):%Y-%m-%d}"] += 1
        roles[s.role] += 1
        try:
            data = read_archive((project.root / s.path).read_text(encoding="utf-8"))
        except (OSError, TmwsError):
            continue
        tools.update(c.tool for c in data.tool_calls)
        tools.update(t.tool for t in data.traces)
    report.sessions = len(listed.sessions)
    report.sessions_per_day = _every_day(days)
    report.sessions_per_role = _counts(roles)
    report.tool_mix = _counts(tools)[:12]


def _decisions(project: Project) -> list[DecisionEntry]:
    folder = project.memory_path(DECISIONS)
    out: list[DecisionEntry] = []
    for path in sorted(folder.glob("*.oct.md")) if folder.is_dir() else []:
        try:
            meta = parse(path.read_text(encoding="utf-8")).meta
        except (OSError, TmwsError):
            continue
        out.append(
            DecisionEntry(
                number=str(meta.get("NUMBER") or path.name.split("-", 1)[0]),
                title=str(meta.get("TITLE") or path.name),
                date=str(meta.get("DATE") or ""),
                status=str(meta.get("STATUS") or "missing"),
            )
        )
    return out


def _checklist(project: Project) -> list[ChecklistItem]:
    try:
        doc = parse(project.memory_path(CHECKLIST).read_text(encoding="utf-8"))
    except (OSError, TmwsError):
        return []
    tasks = doc.section("TASKS")
    out: list[ChecklistItem] = []
    for key, body in tasks.body.items() if tasks else []:
        if isinstance(body, dict) and str(body.get("STATUS", "OPEN")).upper() in OPEN_STATES:
            out.append(
                ChecklistItem(
                    key=key,
                    what=str(body.get("WHAT", "")),
                    owner=str(body.get("OWNER", "")),
                    status=str(body.get("STATUS", "OPEN")),
                )
            )
    return out


def memory_report(project: Project, *, now: datetime | None = None) -> MemoryReport:
    """Collect the picture: read-only, every part independent of the others."""
    report = MemoryReport(project=project.root.name, generated_at=now or datetime.now(UTC))
    _sessions(project, report)
    patterns = list_patterns(project)
    report.patterns_by_state = _counts(Counter(p.state.value for p in patterns.patterns))
    report.skills = [
        SkillUse(
            name=s.name,
            suggested=s.stats.suggested,
            used=s.stats.used,
            helpful=s.stats.helpful,
            unhelpful=s.stats.unhelpful,
        )
        for s in list_skills(project).skills
    ]
    report.decisions = _decisions(project)
    report.open_checklist = _checklist(project)
    report.health = run_doctor(project).checks
    return report
