"""`tmws demo --json`: the report of a whole life cycle in a throwaway repository."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.cli_support import tmws


def test_demo_json_reports_every_step(tmp_path: Path) -> None:
    result = tmws(tmp_path, "demo", "--dir", str(tmp_path / "demo"), "--json")
    report = json.loads(result.stdout)
    assert result.exit_code == (0 if report["ok"] else 1)
    assert report["steps"][0]["name"] == "init" and report["repo"] == str(tmp_path / "demo")
