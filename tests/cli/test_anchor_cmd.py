"""`tmws anchor`: a wrong governance version fails with exit code 3 and the points to fix."""

from __future__ import annotations

from hestai_tmws.project import Project
from tests.cli.cli_support import tmws
from tests.memory.support import open_session


def test_a_wrong_version_fails_with_policy_exit(ready: Project) -> None:
    open_session(ready)
    result = tmws(
        ready.root, "anchor", "--role", "implementation-lead", "--governance-version", "0.0.0"
    )
    assert result.exit_code == 3
    assert result.stdout.startswith("anchor failed: ")
