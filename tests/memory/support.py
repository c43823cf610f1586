"""Shared set-up for the document, context and anchor tests: an initialised project and sessions."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from hestai_tmws.memory.context import update_context
from hestai_tmws.octave import Document, parse
from hestai_tmws.project import Project
from hestai_tmws.sessions.model import ActiveSession, new_session_id, utc_now
from hestai_tmws.sessions.store import save_session
from hestai_tmws.steward import Steward

ROLE = "implementation-lead"

# implementation-lead's commitments, restated in other words (every one must still pass).
PARAPHRASED_ALWAYS = [
    "I write or update a failing test first, before I change any behaviour",
    "Before calling any task done, I run the relevant tests suite and the linters",
    "Keep every change small, focused on a single checklist task",
    "Record hard to reverse implementation decisions using document_submit",
    "At clock out, update the checklist and the project context with what is done and what is left",
]
PARAPHRASED_NEVER = [
    "Claim that a task is complete without showing the passing test output",
    "Skip, weaken or delete failing tests just to make the suite pass",
    "Change architecture or north star unless a decision approved it",
    "Commit secrets, credentials, or large generated files",
    "Edit .hestai or .hestai-sys files by hand",
]


def init(project: Project) -> Project:
    """Governance injected and the context documents created, as `tmws init` does."""
    from hestai_tmws.workflows.init import init_project

    init_project(project)
    return project


@pytest.fixture(scope="session", name="initialised_template")
def initialised_template_fixture(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One repository initialised once per test run; `ready` copies it (init costs ~0.25 s)."""
    from tests.conftest import GIT_ENV, make_repo

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HOME", str(tmp_path_factory.mktemp("template-home")))
        mp.setenv("NO_COLOR", "1")
        for key, value in GIT_ENV.items():
            mp.setenv(key, value)
        root = make_repo(tmp_path_factory.mktemp("template") / "repo")
        init(Project.discover(root))
    yield root


@pytest.fixture(name="ready")
def ready_fixture(initialised_template: Path, tmp_path: Path) -> Project:
    """A fresh copy of an initialised project (governance injected, context documents made)."""
    target = tmp_path / "repo"
    shutil.copytree(initialised_template, target, symlinks=True)
    return Project.discover(target)


def open_session(project: Project, role: str = ROLE, focus: str = "tests") -> ActiveSession:
    """An open session record, written the way clock-in writes it."""
    session = ActiveSession(id=new_session_id(), role=role, focus=focus, started_at=utc_now())
    save_session(project, Steward(project), session)
    return session


def write_settings(project: Project, **settings: Any) -> None:
    """`.hestai-tmws.yaml` with the given settings (the user's file, outside `.hestai/`)."""
    lines = []
    for key, value in settings.items():
        text = str(value).lower() if isinstance(value, bool) else str(value)
        lines.append(f"{key}: {text}")
    (project.root / ".hestai-tmws.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def governance_version(project: Project) -> str:
    return (project.hestai_sys / ".version").read_text(encoding="utf-8").strip()


def memory_text(project: Project, rel: str) -> str:
    return (project.hestai / rel).read_text(encoding="utf-8")


def files_under(project: Project, rel_dir: str) -> list[str]:
    folder: Path = project.hestai / rel_dir
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if p.is_file())


CTX = "context/project-context.oct.md"


def doc_of(project: Project, rel: str = CTX) -> Document:
    """The parsed memory document, checked against the reference parser first."""
    # lazy: a plugin listed after this one; importing it here first would skip its assert rewrite
    from tests.octave_oracle import assert_oracle_clean

    text = memory_text(project, rel)
    assert_oracle_clean(text)
    return parse(text)


def update(
    project: Project, *changes: dict[str, Any], document: str = "project-context", **kw: Any
) -> Any:
    return update_context(project, document=document, changes=list(changes), **kw)
