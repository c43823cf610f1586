"""Upgrades say what changed: the hub changelog's entries between two versions."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from hestai_tmws.governance.changelog import changes_between
from hestai_tmws.governance.inject import inject
from hestai_tmws.layout import bundled_hub_candidates
from hestai_tmws.project import Project
from hestai_tmws.workflows.status import project_status

LOG = """# changelog

## 1.2.0

- Anchors need a focus line
  restated in your own words

## 1.1.0

- Reports are dated by their end

## 1.0.0

- First hub
"""


def test_entries_after_the_injected_version_up_to_the_hub_version() -> None:
    assert changes_between(LOG, "1.0.0", "1.2.0") == [
        "1.2.0: Anchors need a focus line restated in your own words",
        "1.1.0: Reports are dated by their end",
    ]
    assert changes_between(LOG, "1.1.0", "1.2.0") == [
        "1.2.0: Anchors need a focus line restated in your own words"
    ]
    assert changes_between(LOG, "1.2.0", "1.2.0") == []
    assert changes_between(LOG, None, "1.2.0") == []


@pytest.fixture
def newer_hub(tmp_path: Path) -> Path:
    source = next(p for p in map(Path, bundled_hub_candidates()) if (p / "VERSION").is_file())
    hub = tmp_path / "hub"
    shutil.copytree(source, hub)
    (hub / "VERSION").write_text("1.1.0\n")
    text = (hub / "CHANGELOG.md").read_text()
    marker = "## 1.0.0"
    (hub / "CHANGELOG.md").write_text(
        text.replace(marker, "## 1.1.0\n\n- Decisions need a STATUS\n\n" + marker)
    )
    return hub


def test_status_then_inject_say_what_the_upgrade_changes(
    ready: Project, newer_hub: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TMWS_HUB", str(newer_hub))
    assert project_status(ready).governance.upgrade == ["1.1.0: Decisions need a STATUS"]
    result = inject(ready)
    assert result.action == "updated" and result.changes == ["1.1.0: Decisions need a STATUS"]
    assert project_status(ready).governance.upgrade == []
