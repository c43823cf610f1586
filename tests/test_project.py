"""A `Project` finds its repository and names every path of the layout in one place."""

from __future__ import annotations

from pathlib import Path

import pytest

from hestai_tmws.errors import PathRejectedError
from hestai_tmws.layout import CONFIG_FILE, HESTAI, HESTAI_SYS, STATE_DIR_NAME
from hestai_tmws.project import Project


def test_discovery_from_a_subfolder_and_from_the_environment(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sub = repo / "a" / "b"
    sub.mkdir(parents=True)
    assert Project.discover(sub).root == repo.resolve()
    monkeypatch.setenv("TMWS_PROJECT", str(sub))
    assert Project.discover().root == repo.resolve()


def test_every_layout_path(repo: Path) -> None:
    project = Project.discover(repo)
    root = repo.resolve()
    assert project.hestai == root / HESTAI and project.hestai_sys == root / HESTAI_SYS
    assert project.memory_path("x/y.md") == root / HESTAI / "x" / "y.md"
    assert project.governance_path("agents") == root / HESTAI_SYS / "agents"
    assert project.config_file == root / CONFIG_FILE
    assert project.state_dir == root / ".git" / STATE_DIR_NAME
    assert project.ledger_path.parent == project.lock_path.parent == project.state_dir
    assert project.context_doc("project-context") == "context/project-context.oct.md"


def test_relative_paths_stay_inside_the_work_tree(repo: Path, tmp_path: Path) -> None:
    project = Project.discover(repo)
    assert project.relative_to_root(repo / "src" / "x.py") == "src/x.py"
    with pytest.raises(PathRejectedError):
        project.relative_to_root(tmp_path / "elsewhere")
