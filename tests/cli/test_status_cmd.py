"""`tmws status`: the dashboard, as text and as JSON."""

from __future__ import annotations

import json

from hestai_tmws.project import Project
from tests.cli.cli_support import tmws


def test_status(ready: Project) -> None:
    data = json.loads(tmws(ready.root, "status", "--json").stdout)
    assert data["initialised"] is True and data["governance"]["intact"] is True
    text = tmws(ready.root, "status").stdout
    assert "governance:" in text and "intact" in text
