"""`tmws init`: creates memory the first time, keeps it the second."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.cli_support import tmws


def test_init_twice(repo: Path) -> None:
    first = json.loads(tmws(repo, "init", "--json").stdout)
    assert first["created"] and not first["kept"]
    again = tmws(repo, "init")
    assert again.exit_code == 0 and "kept" in again.stdout and "created" not in again.stdout
