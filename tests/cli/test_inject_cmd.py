"""`tmws inject`: heals a tampered governance file."""

from __future__ import annotations

import json

from hestai_tmws.project import Project
from tests.cli.cli_support import tmws


def test_inject_heals(ready: Project) -> None:
    assert json.loads(tmws(ready.root, "inject", "--json").stdout)["action"] == "unchanged"
    agent = next(ready.governance_path("agents").glob("*.oct.md"))
    agent.chmod(0o644)
    agent.write_text("tampered")
    result = tmws(ready.root, "inject")
    assert result.exit_code == 0 and result.stdout.startswith("governance ")
    assert agent.read_text() != "tampered"
