"""Recently changed paths: the last commits' files, memory excluded, cached per HEAD."""

from __future__ import annotations

from pathlib import Path

from hestai_tmws.learning.recent_paths import recent_paths
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
