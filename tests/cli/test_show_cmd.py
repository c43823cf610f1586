"""`tmws show` through the command line: text, JSON, and a clear miss."""

from __future__ import annotations

import json

from hestai_tmws.project import Project
from tests.cli.cli_support import tmws
from tests.memory.archive_support import write_archive


def test_show_a_session_as_text_and_json(ready: Project) -> None:
    write_archive(ready, "abcd1234ef56", summary="fixed the retry loop")
    text = tmws(ready.root, "show", "abcd1234")
    assert text.exit_code == 0 and "fixed the retry loop" in text.stdout
    data = json.loads(tmws(ready.root, "show", "abcd1234", "--json").stdout)
    assert data["kind"] == "session"


def test_a_miss_exits_non_zero_with_a_hint(ready: Project) -> None:
    result = tmws(ready.root, "show", "nothing-here")
    assert result.exit_code != 0 and "hint:" in result.stderr
