"""The shared CLI state: the project comes from --project, else the current folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from hestai_tmws.cli.state import STATE, current_project


def test_current_project_follows_the_option_then_the_folder(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(STATE, "project_dir", repo)
    assert current_project().root == repo.resolve()
    monkeypatch.setattr(STATE, "project_dir", None)
    monkeypatch.chdir(repo)
    assert current_project().root == repo.resolve()
