"""Fixtures shared by the suggestion and skill-index tests: a fresh index memo, two skills."""

from __future__ import annotations

from pathlib import Path

import pytest

from hestai_tmws.learning import skill_index as index_mod
from hestai_tmws.project import Project
from tests.learning.loop_support import OTHER_WORKFLOW, WORKFLOW, promoted_project


@pytest.fixture(name="_fresh_memo", autouse=True)
def fresh_memo_fixture(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts with no memoised index and re-checks the skill files on every call."""
    index_mod._MEMO.clear()
    monkeypatch.setattr(index_mod, "RECHECK_S", 0.0)


@pytest.fixture(name="two_skills")
def two_skills_fixture(tmp_path: Path) -> Project:
    return promoted_project(tmp_path / "repo", [WORKFLOW, OTHER_WORKFLOW])


def skill_named(project: Project, word: str) -> str:
    """The slug of the one promoted skill whose name contains `word`."""
    slugs = [p.name for p in (project.hestai / "learning" / "skills").iterdir()]
    [slug] = [s for s in slugs if word in s]
    return slug
