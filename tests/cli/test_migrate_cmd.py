"""`tmws migrate hestai-mcp [--dry-run]`: the plan, then the migration."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.cli_support import tmws
from tests.workflows.clock_support import git
from tests.workflows.test_migrate_hestai import _repo


def test_dry_run_then_migrate(tmp_path: Path) -> None:
    project = _repo(tmp_path)
    plan = tmws(project.root, "migrate", "hestai-mcp", "--dry-run")
    assert plan.exit_code == 0, plan.output
    assert "would move" in plan.stdout and "nothing written" in plan.stdout
    assert (project.hestai / "context" / "PROJECT-CONTEXT.oct.md").is_file()
    done = tmws(project.root, "migrate", "hestai-mcp", "--json")
    assert done.exit_code == 0, done.output
    data = json.loads(done.stdout)
    assert data["dry_run"] is False and data["verbatim"] == 1
    git(project.root, "add", "-A", ".hestai")
    git(project.root, "commit", "-q", "-m", "migrate from hestai-mcp")  # the guard hook runs
    verified = tmws(project.root, "verify")
    assert verified.exit_code == 0, verified.output
    again = tmws(project.root, "migrate", "hestai-mcp")
    assert again.exit_code != 0 and "does not look like a HestAI-MCP project" in again.output
