"""Helpers shared by the session life-cycle tests (clock-in/out, archive, reap, concurrency)."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

from hestai_tmws.project import Project

SECRET_WORDS = ("password", "secret", "token")


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout


def init_repo(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    git(path, "init", "-q", "-b", "main")
    (path / "README.md").write_text("demo\n", encoding="utf-8")
    git(path, "add", "README.md")
    git(path, "commit", "-q", "-m", "initial")
    return path


def setup_project(repo: Path, *, commit: bool = True, settings: str | None = None) -> Project:
    """`tmws init` on a repository (the integrator's init_project), committed when asked."""
    from hestai_tmws.workflows.init import init_project

    if settings is not None:
        (repo / ".hestai-tmws.yaml").write_text(settings, encoding="utf-8")
    project = Project.discover(repo)
    init_project(project)
    if commit:
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", "tmws init", "--no-verify")
    return Project.discover(repo)


def staged(repo: Path) -> list[str]:
    return [p for p in git(repo, "diff", "--cached", "--name-only").splitlines() if p]


def hestai_files(project: Project) -> list[Path]:
    return sorted(p for p in project.hestai.rglob("*") if p.is_file())


def archives(project: Project) -> list[Path]:
    return sorted(project.memory_path("sessions/archive").glob("*.oct.md"))


def index_records(project: Project) -> list[dict[str, Any]]:
    import json

    path = project.memory_path("sessions/archive/learnings-index.jsonl")
    if not path.exists():
        return []
    return [
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]


def oracle_check(text: str) -> None:
    """The OCTAVE helper's oracle (octave-mcp strict, canonical, values equal)."""
    from tests.octave_oracle import assert_oracle_clean

    assert_oracle_clean(text)
