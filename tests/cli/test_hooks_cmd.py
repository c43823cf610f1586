"""`tmws hooks install|status|uninstall` through the command line."""

from __future__ import annotations

import json

from hestai_tmws.project import Project
from tests.cli.cli_support import tmws


def test_install_status_uninstall(ready: Project) -> None:
    assert tmws(ready.root, "hooks", "install").exit_code == 0
    status = json.loads(tmws(ready.root, "hooks", "status", "--json").stdout)
    assert status["installed"] is True and status["current"] is True
    assert "removed the tmws hook" in tmws(ready.root, "hooks", "uninstall").stdout
    assert "not installed" in tmws(ready.root, "hooks", "status").stdout
