"""Settings and the learning namespace."""

from __future__ import annotations

from pathlib import Path

from hestai_tmws.config import learning_namespace, load_settings
from hestai_tmws.project import Project
from tests.conftest import git, make_repo


def namespace_of(root: Path) -> str:
    project = Project.discover(root)
    return learning_namespace(project, load_settings(project))


def test_namespace_is_the_same_in_clones_with_other_folder_names(
    repo: Path, tmp_path: Path
) -> None:
    clone = tmp_path / "a-different-folder-name"
    git(tmp_path, "clone", "-q", str(repo), str(clone))
    git(clone, "remote", "remove", "origin")
    root = git(repo, "rev-list", "--max-parents=0", "HEAD").strip()
    assert namespace_of(repo) == namespace_of(clone) == f"repo-{root[:12]}"


def test_namespace_prefers_setting_then_origin_name(repo: Path) -> None:
    git(repo, "remote", "add", "origin", "git@example.invalid:team/widget-service.git")
    assert namespace_of(repo) == "widget-service"
    (repo / ".hestai-tmws.yaml").write_text("learning:\n  namespace: shared-ns\n")
    assert namespace_of(repo) == "shared-ns"


def test_namespace_before_the_first_commit_is_the_folder(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "fresh-project", commit=False)
    assert namespace_of(root) == "fresh-project"
