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
    after = tmws(ready.root, "hooks", "status")
    assert "not installed" in after.stdout and after.exit_code == 1


def test_status_exits_non_zero_when_the_guard_cannot_run(ready: Project) -> None:
    assert tmws(ready.root, "hooks", "install").exit_code == 0
    hook = ready.git_dir / "hooks" / "pre-commit"
    text = hook.read_text()
    python = text.split("TMWS_PYTHON='", 1)[1].split("'", 1)[0]
    hook.write_text(text.replace(python, "/nonexistent/python3"))
    result = tmws(ready.root, "hooks", "status")
    assert result.exit_code == 1 and "cannot run the guard" in result.stdout
