"""`tmws doc submit`: content from --content, or one clear usage error without any."""

from __future__ import annotations

import json

from hestai_tmws.project import Project
from tests.cli.cli_support import tmws
from tests.memory.support import open_session


def test_submit_a_report(ready: Project) -> None:
    open_session(ready)
    result = tmws(
        ready.root, "doc", "submit", "report", "-t", "Week", "--content", "done", "--json"
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["path"].startswith(".hestai/reports/")
    both = tmws(ready.root, "doc", "submit", "report", "--content", "x", "--file", "f")
    assert both.exit_code == 2 and "not both" in both.stderr
