"""`tmws sessions` and `tmws sessions reap` through the command line."""

from __future__ import annotations

import json

from hestai_tmws.project import Project
from tests.cli.cli_support import tmws
from tests.memory.support import open_session


def test_list_then_reap_nothing_live(ready: Project) -> None:
    session = open_session(ready)
    listed = json.loads(tmws(ready.root, "sessions", "--json").stdout)
    assert [s["id"] for s in listed["sessions"]] == [session.id]
    reaped = tmws(ready.root, "sessions", "reap", "--older-than", "1000")
    assert reaped.exit_code == 0 and "0 reaped, 1 kept, 0 failed" in reaped.stdout
    assert tmws(ready.root, "sessions", "reap", "--older-than", "-1").exit_code == 2
