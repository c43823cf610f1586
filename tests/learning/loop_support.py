"""Helpers for the learning-loop tests: real repos, archives written through the Steward.

Archives are rendered with the sessions service's own writer (`render_archive`) and written
through the Steward, exactly where clock-out puts them; the end-to-end tests go through
`clock_in` / `clock_out` instead.
"""

from __future__ import annotations

import hashlib
import subprocess
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from hestai_tmws.project import Project
from hestai_tmws.sessions.model import ActiveSession

Call = tuple[str, str] | tuple[str, str, bool]

DAY0 = date(2025, 3, 3)
# A realistic workflow: run the tests, edit, lint, commit.
WORKFLOW: list[Call] = [
    ("Bash", "pytest -q tests/"),
    ("Edit", ""),
    ("Bash", "ruff check src"),
    ("Bash", "git commit -m wip"),
]
WORKFLOW_TOKENS = ("Bash:pytest", "Edit", "Bash:ruff check", "Bash:git commit")
OTHER_WORKFLOW: list[Call] = [
    ("Bash", "docker compose up -d"),
    ("Bash", "curl -s localhost"),
    ("Bash", "docker compose logs web"),
]


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout


def init_repo(path: Path, *, settings: str | None = None) -> Project:
    """A git repository with `tmws init` done and committed."""
    from hestai_tmws.workflows.init import init_project

    path.mkdir(parents=True, exist_ok=True)
    git(path, "init", "-q", "-b", "main")
    (path / "README.md").write_text("demo\n", encoding="utf-8")
    if settings is not None:
        (path / ".hestai-tmws.yaml").write_text(settings, encoding="utf-8")
    project = Project.discover(path)
    init_project(project)
    git(path, "add", "-A")
    git(path, "commit", "-q", "-m", "init", "--no-verify")
    return Project.discover(path)


def commit_all(project: Project, message: str = "memory") -> None:
    git(project.root, "add", "-A")
    git(project.root, "commit", "-q", "-m", message, "--no-verify")


def session_id(index: int) -> str:
    return hashlib.sha1(f"session-{index}".encode()).hexdigest()[:12]


def noise(index: int, count: int = 3) -> list[Call]:
    """Tools that occur once in the whole corpus: background that never forms a pattern."""
    return [(f"mcp__noise__s{index}n{j}", "") for j in range(count)]


def planted(index: int, workflow: Sequence[Call] = WORKFLOW) -> list[Call]:
    return [*noise(index), *workflow, *noise(index + 10_000)]


def write_archive(
    project: Project,
    index: int,
    calls: Sequence[Call],
    *,
    day: date | int = 0,
    namespace: str = "demo",
    focus: str = "work",
) -> str:
    """Render an archive with the sessions writer and write it through the Steward."""
    from hestai_tmws.sessions.archive import ArchiveData, ArchiveMeta, ToolCallEntry, render_archive
    from hestai_tmws.steward import Steward

    when = DAY0 + timedelta(days=day) if isinstance(day, int) else day
    started = datetime(when.year, when.month, when.day, 9, 0, tzinfo=UTC)
    entries = [
        ToolCallEntry(tool=c[0], digest=c[1], ok=(c[2] if len(c) > 2 else True), duration_ms=120)
        for c in calls
    ]
    sid = session_id(index)
    data = ArchiveData(
        meta=ArchiveMeta(
            session_id=sid,
            role="implementation-lead",
            focus=focus,
            started_at=started,
            ended_at=started + timedelta(minutes=30),
            namespace=namespace,
            tool_call_count=len(entries),
            failed_call_count=sum(1 for e in entries if e.ok is False),
        ),
        tool_calls=entries,
    )
    rel = f"sessions/archive/{when.isoformat()}-{focus}-{sid[:8]}.oct.md"
    Steward(project).write_text(rel, render_archive(data), actor="test", reason="archive")
    return rel


def plant_sessions(
    project: Project,
    count: int,
    *,
    start: int = 0,
    workflow: Sequence[Call] = WORKFLOW,
    days: int = 3,
) -> list[str]:
    """`count` archives holding `workflow`, spread over `days` days."""
    return [
        write_archive(project, i, planted(i, workflow), day=i % days)
        for i in range(start, start + count)
    ]


def plant_weak(
    project: Project, *, start: int = 0, workflow: Sequence[Call] = WORKFLOW, days: int = 3
) -> list[str]:
    """Three sessions of `workflow`, the first of which ended in a failed last step:
    V1 passes, V2 (2 of 3 reached the goal) does not."""
    last = workflow[-1]
    failed = [*workflow[:-1], (last[0], last[1], False)]
    return [
        *plant_sessions(project, 1, start=start, workflow=failed, days=days),
        *plant_sessions(project, 2, start=start + 1, workflow=workflow, days=days),
    ]


def promoted_project(
    path: Path, workflows: Sequence[Sequence[Call]] = (WORKFLOW,), *, settings: str | None = None
) -> Project:
    """A repository whose workflows are mined, approved and promoted to skills."""
    from hestai_tmws.learning.pipeline import run_mine
    from hestai_tmws.learning.promote import promote
    from hestai_tmws.learning.review import approve
    from hestai_tmws.learning.store import load_records

    project = init_repo(path, settings=settings)
    for n, workflow in enumerate(workflows):
        plant_sessions(project, 6, start=100 * n, workflow=workflow)
    run_mine(project)
    for record in load_records(project).records.values():
        if record.state.value == "VALIDATED":
            approve(project, record.id, actor="person:ada")
    promote(project, actor="person:ada")
    return project


def active_session(
    focus: str, *, branch: str | None = "main", sid: str = "0123456789ab"
) -> ActiveSession:
    """An open-session record (not written anywhere) for the suggestion services."""

    return ActiveSession(
        id=sid,
        role="implementation-lead",
        focus=focus,
        focus_source="explicit",
        branch=branch,
        started_at=datetime.now(UTC),
    )


def plain_log(path: Path, commands: Sequence[str], *, failing: Sequence[str] = ()) -> Path:
    """A plain-text session log: each command with its exit code (so outcomes are known)."""
    lines = ["> please do the work", ""]
    for command in commands:
        code = 1 if command in failing else 0
        lines += [f"$ {command}", f"exit code {code}", ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path
