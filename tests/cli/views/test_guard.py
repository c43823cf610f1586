"""The guard views: adoptions, the git hook's install/uninstall/status, watch events."""

from __future__ import annotations

import json

import pytest

from hestai_tmws.cli.views import guard
from hestai_tmws.guard.hooks_install import hook_status, install_hook, uninstall_hook
from hestai_tmws.guard.watch import WatchEvent
from hestai_tmws.project import Project


def test_the_hook_life_cycle_reads_plainly(
    ready: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    guard.show_hook_status(hook_status(ready))
    assert "not installed" in capsys.readouterr().out
    guard.hook_installed(install_hook(ready))
    assert capsys.readouterr().out.startswith("pre-commit hook ")
    guard.show_hook_status(hook_status(ready))
    out = capsys.readouterr().out
    assert out.startswith("installed, current: ") and ": ok" in out
    guard.hook_uninstalled(uninstall_hook(ready))
    assert capsys.readouterr().out.startswith("removed the tmws hook")


def test_watch_events_as_lines_and_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    guard.watch_event(WatchEvent("ready", None, "watching [x]"), as_json=False)
    guard.watch_event(WatchEvent("hand-edit", "a.md", "a.md [edited]"), as_json=False)
    guard.watch_event(WatchEvent("healed", None, "governance"), as_json=False)
    guard.watch_event(WatchEvent("hand-edit", "a.md", "m"), as_json=True)
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert lines[:2] == ["watching [x]", "healed governance"]
    assert json.loads(lines[2]) == {"kind": "hand-edit", "path": "a.md", "message": "m"}
    assert captured.err == "warning: a.md [edited]\n"
