"""Locating the hub: the `hub` setting or TMWS_HUB, else the bundled one."""

from __future__ import annotations

from pathlib import Path

import pytest

from hestai_tmws.errors import NotFoundError
from hestai_tmws.governance.locate import ENV_HUB, bundled_hub_path, locate_hub
from hestai_tmws.project import Project
from tests.governance.conftest import BUNDLED


def test_without_settings_the_bundled_hub_is_used(project: Project) -> None:
    found = locate_hub(project)
    assert found.source == "bundled" and found.path == bundled_hub_path() == BUNDLED.resolve()


def test_the_environment_names_another_hub(
    project: Project, hub_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_HUB, str(hub_copy))
    found = locate_hub(project)
    assert found.source == "env" and found.path == hub_copy.resolve()
    monkeypatch.setenv(ENV_HUB, str(hub_copy / "missing"))
    with pytest.raises(NotFoundError, match="is not a folder"):
        locate_hub(project)
