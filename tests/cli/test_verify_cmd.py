"""`tmws verify`: ok on a fresh project, exit 1 on a broken memory file."""

from __future__ import annotations

from hestai_tmws.project import Project
from tests.cli.cli_support import tmws


def test_verify_ok_then_failed(ready: Project) -> None:
    assert "verify ok" in tmws(ready.root, "verify").stdout
    ready.memory_path("context/project-roadmap.oct.md").write_text("not octave [x]")
    result = tmws(ready.root, "verify")
    assert result.exit_code == 1 and "verify FAILED" in result.stdout
