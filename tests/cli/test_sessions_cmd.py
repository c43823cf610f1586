"""`tmws sessions` and `tmws sessions reap` through the command line."""

from __future__ import annotations

import json

from hestai_tmws.project import Project
from tests.cli.cli_support import tmws
from tests.memory.archive_support import write_archive
from tests.memory.support import open_session


def test_list_then_reap_nothing_live(ready: Project) -> None:
    session = open_session(ready)
    listed = json.loads(tmws(ready.root, "sessions", "--json").stdout)
    assert [s["id"] for s in listed["sessions"]] == [session.id]
    reaped = tmws(ready.root, "sessions", "reap", "--older-than", "1000")
    assert reaped.exit_code == 0 and "0 reaped, 1 kept, 0 failed" in reaped.stdout
    assert tmws(ready.root, "sessions", "reap", "--older-than", "-1").exit_code == 2


def test_archived_sessions_list_as_text_and_json(ready: Project) -> None:
    write_archive(ready, "abcd1234ef56", summary="fixed the retry loop")
    text = tmws(ready.root, "sessions", "list", "--archived")
    assert text.exit_code == 0 and "abcd1234" in text.stdout
    assert "1 archived session;" in text.stdout
    data = json.loads(tmws(ready.root, "sessions", "list", "--archived", "--json").stdout)
    assert data["sessions"][0]["summary"] == "fixed the retry loop"
