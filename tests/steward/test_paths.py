"""The Steward refuses every path that is not a well-named file inside `.hestai/`."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hestai_tmws.errors import PathRejectedError
from hestai_tmws.project import Project
from hestai_tmws.steward import Steward
from hestai_tmws.steward.paths import normalise_rel


@pytest.mark.parametrize(
    "rel",
    [
        "../outside.json",
        "context/../../outside.json",
        "/etc/passwd.json",
        "~/x.json",
        "Context/x.json",
        "context/UPPER.oct.md",
        "context/x.txt",
        "context\\x.json",
        "context/x\x00.json",
        "",
        "./x.json",
        "a/b/c/d/e/f/g/x.json",
        "context/.hidden.json",
        "context/sp ace.json",
    ],
)
def test_rejected_paths(rel: str) -> None:
    with pytest.raises(PathRejectedError):
        normalise_rel(rel)


@pytest.mark.parametrize(
    "rel",
    [
        "context/project-context.oct.md",
        ".hestai/context/project-context.oct.md",
        "learning/skills/run-tests/SKILL.md",
        "learnings-index.jsonl",
        "sessions/active/0123456789ab/session.json",
    ],
)
def test_accepted_paths(rel: str) -> None:
    assert not normalise_rel(rel).is_absolute()


@given(st.text(max_size=60))
def test_no_accepted_path_escapes(text: str) -> None:
    """Whatever the input, an accepted path stays below `.hestai/`."""
    try:
        rel = normalise_rel(text)
    except PathRejectedError:
        return
    resolved = (Path("/base/.hestai") / rel).resolve()
    assert resolved.is_relative_to(Path("/base/.hestai"))


def test_hestai_symlink_refused(project: Project, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    os.symlink(outside, project.hestai)
    steward = Steward(project, validate_secrets=False)
    with pytest.raises(PathRejectedError, match="symbolic link"):
        steward.write_text("context/x.json", "{}")
    assert list(outside.iterdir()) == []


def test_symlinked_subfolder_refused(project: Project, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    project.hestai.mkdir()
    os.symlink(outside, project.hestai / "reports")
    steward = Steward(project, validate_secrets=False)
    with pytest.raises(PathRejectedError, match="symbolic link"):
        steward.write_text("reports/x.json", "{}")
    assert list(outside.iterdir()) == []
