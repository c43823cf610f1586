"""`tmws search` through the command line: hits as text and JSON, bad input exits 2."""

from __future__ import annotations

import json

from hestai_tmws.project import Project
from tests.cli.cli_support import tmws
from tests.memory.archive_support import write_archive


def test_search_prints_hits_and_json(ready: Project) -> None:
    write_archive(ready, "abcd1234ef56", summary="the okapi decision")
    text = tmws(ready.root, "search", "okapi")
    assert text.exit_code == 0 and "session abcd1234" in text.stdout and "1 hit;" in text.stdout
    data = json.loads(tmws(ready.root, "search", "okapi", "--json").stdout)
    assert data["hits"][0]["id"] == "abcd1234"


def test_a_bad_date_is_a_usage_error(ready: Project) -> None:
    result = tmws(ready.root, "search", "x", "--since", "soon")
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.stderr
