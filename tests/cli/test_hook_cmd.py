"""`tmws hook claude <event>`: garbage on stdin never blocks the agent (exit 0)."""

from __future__ import annotations

from hestai_tmws.project import Project
from tests.cli.cli_support import tmws


def test_an_unknown_event_and_garbage_are_ignored(ready: Project) -> None:
    result = tmws(ready.root, "hook", "claude", "no-such-event", stdin="{not json")
    assert result.exit_code == 0
    assert "unknown hook event" in result.stderr
