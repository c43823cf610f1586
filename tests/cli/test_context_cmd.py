"""`tmws context`: a change from options, a refused compare-and-swap, the show table."""

from __future__ import annotations

import json

from hestai_tmws.project import Project
from tests.cli.cli_support import tmws
from tests.memory.support import open_session


def test_update_then_a_stale_hash_is_a_conflict(ready: Project) -> None:
    open_session(ready)
    args = ("context", "update", "checklist", "--op", "add", "--section", "NOTES")
    first = tmws(ready.root, *args, "--key", "A", "--value", "[all_done]", "--json")
    assert first.exit_code == 0, first.output
    conflict = tmws(ready.root, *args, "--key", "B", "--value", "x", "--base-hash", "0" * 64)
    assert conflict.exit_code != 0
    assert f"current hash: {json.loads(first.stdout)['sha256']}" in conflict.stderr


def test_show_lists_the_documents(ready: Project) -> None:
    result = tmws(ready.root, "context", "show")
    assert result.exit_code == 0, result.output
    assert "project-checklist" in result.stdout and "north star" in result.stdout
