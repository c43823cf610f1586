"""Recently changed paths: the last commits' files, memory excluded, cached per HEAD."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import NoReturn

import pytest

from hestai_tmws.learning import recent_paths as recent_paths_module
from hestai_tmws.learning.recent_paths import recent_paths
from hestai_tmws.project import Project
from tests.learning.loop_support import commit_all, init_repo


def test_recent_paths_follow_head(tmp_path: Path) -> None:
    project = init_repo(tmp_path / "repo")
    first = recent_paths(project)
    assert "README.md" in first and not any(p.startswith(".hestai") for p in first)
    (project.root / "src").mkdir()
    (project.root / "src" / "app.py").write_text("x = 1\n", encoding="utf-8")
    commit_all(project, "app")
    assert recent_paths(project)[0] == "src/app.py"
    assert recent_paths(project, commits=1) == ["src/app.py"]


def test_no_commits_yet_means_no_paths_and_no_git_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "fresh"
    root.mkdir()
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    project = Project.discover(root)

    started: list[tuple[object, ...]] = []

    def no_git(*args: object, **kwargs: object) -> NoReturn:
        started.append(args)
        raise OSError("a repository without commits needs no git log")

    monkeypatch.setattr(recent_paths_module, "run_git", no_git)
    assert recent_paths(project) == []
    assert started == []
