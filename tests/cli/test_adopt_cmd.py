"""`tmws adopt`: a hand edit is taken in with a reason; without one it is a usage error."""

from __future__ import annotations

import json

from hestai_tmws.project import Project
from tests.cli.cli_support import tmws


def test_adopt_a_hand_edit(ready: Project) -> None:
    target = ready.memory_path("context/project-roadmap.oct.md")
    target.write_text(target.read_text().replace("===END===", "// hand\n===END==="))
    result = tmws(ready.root, "adopt", str(target), "--reason", "typo [fix]", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [a["path"] for a in data["adopted"]] == [".hestai/context/project-roadmap.oct.md"]
    assert data["reason"] == "typo [fix]"
    assert tmws(ready.root, "adopt", str(target)).exit_code == 2  # --reason is required
