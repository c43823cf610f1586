"""`tmws watch`: every event of the watch service becomes a line (JSON with --json)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from hestai_tmws.cli import watch_cmd
from hestai_tmws.guard.watch import WatchEvent
from hestai_tmws.project import Project
from tests.cli.cli_support import tmws

EVENTS = [
    WatchEvent("ready", None, "watching .hestai/"),
    WatchEvent("hand-edit", ".hestai/x.md", "hand edit of .hestai/x.md [all_done]"),
]


def fake_watch(project: Project, *, on_event: Callable[[WatchEvent], None], heal: bool) -> Any:
    for event in EVENTS:
        on_event(event)
    return None


def test_events_as_json_lines_and_as_text(ready: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(watch_cmd, "watch", fake_watch)
    as_json = tmws(ready.root, "watch", "--json")
    assert as_json.exit_code == 0, as_json.output
    lines = [json.loads(line) for line in as_json.stdout.splitlines()]
    assert [e["kind"] for e in lines] == ["ready", "hand-edit"]
    text = tmws(ready.root, "watch", "--no-heal")
    assert text.stdout == "watching .hestai/\n"
    assert text.stderr == "warning: hand edit of .hestai/x.md [all_done]\n"
