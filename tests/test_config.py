"""Settings and the learning namespace."""

from __future__ import annotations

from pathlib import Path
from types import UnionType
from typing import Any, Union, get_args, get_origin

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hestai_tmws import config
from hestai_tmws.config import Settings, learning_namespace, load_settings
from hestai_tmws.errors import ValidationError
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


# -- settings are parsed once per command, and edits are still seen ---------------------------


def count_parses(monkeypatch: Any) -> list[int]:
    """Wrap the one parse-and-validate step; the list grows by one per parse."""
    calls: list[int] = []
    real = config._parse

    def counting(*args: Any, **kwargs: Any) -> Settings:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(config, "_parse", counting)
    return calls


def test_one_clock_out_parses_the_settings_once(repo: Path, monkeypatch: Any) -> None:
    from hestai_tmws.workflows.clock_in import clock_in
    from hestai_tmws.workflows.clock_out import clock_out
    from tests.workflows.clock_support import setup_project

    project = setup_project(repo, settings=f"stale_after_hours: 7.25  # {repo.name}\n")
    opened = clock_in(project, focus="count the settings reads")
    calls = count_parses(monkeypatch)
    (repo / ".hestai-tmws.yaml").write_text(
        f"stale_after_hours: 7.5  # {repo.name}\n", encoding="utf-8"
    )
    closed = clock_out(
        project, session_id=opened.session_id, summary="one read", learnings=("a learning",)
    )
    assert closed.status == "completed"
    assert len(calls) == 1


def test_an_edit_of_the_file_is_seen_at_the_next_call(repo: Path) -> None:
    project = Project.discover(repo)
    settings_file = repo / ".hestai-tmws.yaml"
    settings_file.write_text("stale_after_hours: 3\n", encoding="utf-8")
    assert load_settings(project).stale_after_hours == 3
    settings_file.write_text("stale_after_hours: 4\n", encoding="utf-8")  # same size, same tick
    assert load_settings(project).stale_after_hours == 4
    settings_file.unlink()
    assert load_settings(project).stale_after_hours == Settings().stale_after_hours


def test_an_environment_override_is_seen_without_an_edit(repo: Path, monkeypatch: Any) -> None:
    project = Project.discover(repo)
    (repo / ".hestai-tmws.yaml").write_text("default_role: from-file\n", encoding="utf-8")
    assert load_settings(project).default_role == "from-file"
    monkeypatch.setenv("TMWS_ROLE", "from-env")
    assert load_settings(project).default_role == "from-env"
    monkeypatch.delenv("TMWS_ROLE")
    assert load_settings(project).default_role == "from-file"


def test_a_caller_changing_its_settings_does_not_change_the_next_callers(repo: Path) -> None:
    project = Project.discover(repo)
    first = load_settings(project)
    first.stale_after_hours = 99.0
    first.learning.deny_list.append("something")
    first.learning.min_support = 99
    first.transcript_folders.append(Path("/elsewhere"))
    again = load_settings(project)
    assert again.stale_after_hours == Settings().stale_after_hours
    assert "something" not in again.learning.deny_list
    assert again.learning.min_support == Settings().learning.min_support
    assert again.transcript_folders == []


IMMUTABLE_FIELD_TYPES = {str, int, float, bool, Path, type(None)}


def is_mutable(annotation: Any) -> bool:
    """Whether a field of this type could be changed in place (unknown types count as so)."""
    if get_origin(annotation) in (Union, UnionType):
        return any(is_mutable(arg) for arg in get_args(annotation))
    return annotation not in IMMUTABLE_FIELD_TYPES


def test_every_mutable_settings_field_is_copied_for_each_caller() -> None:
    """`own_copy` shares immutable fields and copies the rest by name: a new list, dict or
    model field must be added there, or callers would change each other's settings."""
    handled = {"transcript_folders", "learning", "learning.deny_list"}
    found = set()
    for prefix, model in (("", Settings), ("learning.", config.LearningSettings)):
        for name, field in model.model_fields.items():
            if is_mutable(field.annotation):
                found.add(prefix + name)
    assert found == handled


def test_invalid_settings_fail_every_time(repo: Path, monkeypatch: Any) -> None:
    project = Project.discover(repo)
    (repo / ".hestai-tmws.yaml").write_text("stale_after_hours: [not a number]\n")
    for _ in range(2):
        with pytest.raises(ValidationError, match="invalid settings"):
            load_settings(project)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(hours=st.floats(min_value=0, max_value=1e6, allow_nan=False))
def test_the_value_read_is_the_value_written(repo: Path, hours: float) -> None:
    project = Project.discover(repo)
    (repo / ".hestai-tmws.yaml").write_text(f"stale_after_hours: {hours!r}\n", encoding="utf-8")
    assert load_settings(project).stale_after_hours == hours
