"""The Steward's shortcut for folders that already exist refuses all the full check refused.

`_ensure_parent` skips its realpaths when the target's folder is a real folder that
`resolve_target` has just walked; these cases must still be refused, the shortcut or not.
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest

from hestai_tmws.errors import EnvironmentFault, PathRejectedError
from hestai_tmws.project import Project
from hestai_tmws.steward import Steward
from hestai_tmws.steward.paths import folder_ready, is_checked_folder

TRACES = "sessions/active/abcabcabcabc/traces.jsonl"


def steward_for(project: Project) -> Steward:
    return Steward(project, validate_secrets=False)


def test_checked_folder_only_for_existing_real_folders(project: Project) -> None:
    folder = project.hestai / "sessions" / "active"
    assert not is_checked_folder(project, folder)  # missing
    folder.mkdir(parents=True)
    assert is_checked_folder(project, folder)
    (folder / "file").write_text("x")
    assert not is_checked_folder(project, folder / "file")  # not a folder
    os.symlink(folder, folder.parent / "linked")
    assert not is_checked_folder(project, folder.parent / "linked")  # a link, not followed


def test_append_refuses_a_linked_session_folder(project: Project, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (project.hestai / "sessions" / "active").mkdir(parents=True)
    os.symlink(outside, project.hestai / "sessions" / "active" / "abcabcabcabc")
    with pytest.raises(PathRejectedError, match="symbolic link"):
        steward_for(project).append_private(TRACES, "{}")
    assert list(outside.iterdir()) == []


def test_append_refuses_a_linked_active_folder(project: Project, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    (outside / "abcabcabcabc").mkdir(parents=True)
    (project.hestai / "sessions").mkdir(parents=True)
    os.symlink(outside, project.hestai / "sessions" / "active")
    with pytest.raises(PathRejectedError, match="symbolic link"):
        steward_for(project).append_private(TRACES, "{}")
    assert list((outside / "abcabcabcabc").iterdir()) == []


def test_write_refuses_a_linked_hestai_with_existing_folders(
    project: Project, tmp_path: Path
) -> None:
    outside = tmp_path / "elsewhere"
    (outside / "reports").mkdir(parents=True)
    os.symlink(outside, project.hestai)
    with pytest.raises(PathRejectedError, match="symbolic link"):
        steward_for(project).write_text("reports/x.json", "{}")
    assert list((outside / "reports").iterdir()) == []


def test_existing_folder_under_a_root_reached_through_a_link_is_refused(
    project: Project, tmp_path: Path
) -> None:
    """A root that is no longer its own real path: the full check runs and refuses."""
    (project.hestai / "sessions" / "active" / "abcabcabcabc").mkdir(parents=True)
    link = tmp_path / "linked-root"
    os.symlink(project.root, link)
    moved = dataclasses.replace(project, root=link, _git=None)
    assert not is_checked_folder(moved, moved.hestai / "sessions" / "active")
    with pytest.raises(PathRejectedError, match="outside the project"):
        steward_for(moved).append_private(TRACES, "{}")


def test_a_file_where_the_folder_belongs_still_fails(project: Project) -> None:
    (project.hestai / "sessions" / "active").mkdir(parents=True)
    (project.hestai / "sessions" / "active" / "abcabcabcabc").write_text("not a folder")
    with pytest.raises((EnvironmentFault, OSError)):
        steward_for(project).append_private(TRACES, "{}")


def test_existing_folder_appends_land_inside(project: Project) -> None:
    folder = project.hestai / "sessions" / "active" / "abcabcabcabc"
    folder.mkdir(parents=True)
    steward_for(project).append_private(TRACES, '{"t": 1}')
    assert (folder / "traces.jsonl").read_text() == '{"t": 1}\n'


def test_folder_ready_makes_a_folder_only_inside_a_checked_one(project: Project) -> None:
    active = project.hestai / "sessions" / "active"
    assert not folder_ready(project, active / "abcabcabcabc")
    assert not (active / "abcabcabcabc").exists()  # no checked parent: left to the full check
    active.mkdir(parents=True)
    assert folder_ready(project, active / "abcabcabcabc")
    assert (active / "abcabcabcabc").is_dir()
    assert folder_ready(project, active / "abcabcabcabc")  # there now: checked
    (active / "file").write_text("x")
    assert not folder_ready(project, active / "file")


def test_new_folder_under_a_root_reached_through_a_link_is_refused(
    project: Project, tmp_path: Path
) -> None:
    (project.hestai / "sessions" / "active").mkdir(parents=True)
    link = tmp_path / "linked-root"
    os.symlink(project.root, link)
    moved = dataclasses.replace(project, root=link, _git=None)
    with pytest.raises(PathRejectedError, match="outside the project"):
        steward_for(moved).append_private(TRACES, "{}")
    assert not (project.hestai / "sessions" / "active" / "abcabcabcabc").exists()


def test_session_write_makes_its_new_folder(project: Project) -> None:
    (project.hestai / "sessions" / "active").mkdir(parents=True)
    steward_for(project).append_private(TRACES, '{"t": 2}')
    target = project.hestai / TRACES
    assert target.read_text() == '{"t": 2}\n' and not target.parent.is_symlink()
