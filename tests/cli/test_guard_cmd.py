"""`tmws guard pre-commit`: nothing staged passes; a staged hand edit is refused (exit 3)."""

from __future__ import annotations

import json

from hestai_tmws.project import Project
from tests.cli.cli_support import tmws
from tests.conftest import git


def test_a_staged_hand_edit_is_refused(ready: Project) -> None:
    git(ready.root, "add", "-A")
    git(ready.root, "commit", "-q", "-m", "init", "--no-verify")
    assert json.loads(tmws(ready.root, "guard", "pre-commit", "--json").stdout)["ok"] is True
    target = ready.memory_path("context/project-roadmap.oct.md")
    target.write_text(target.read_text() + "\n")
    git(ready.root, "add", str(target))
    result = tmws(ready.root, "guard", "pre-commit")
    assert result.exit_code == 3
