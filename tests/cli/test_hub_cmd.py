"""`tmws hub import SRC DEST`: the CLI face of `governance.hub_import`."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.cli_support import tmws
from tests.governance.test_hub_import import _hub


def test_import_prints_what_was_converted_kept_and_dropped(tmp_path: Path) -> None:
    src = _hub(tmp_path / "src")
    shown = tmws(tmp_path, "hub", "import", str(src), str(tmp_path / "dest"))
    assert shown.exit_code == 0, shown.output
    assert "converted 1 agent(s): code-warden" in shown.stdout
    assert "dropped tools/validator.py" in shown.stdout
    again = tmws(tmp_path, "hub", "import", str(src), str(tmp_path / "dest2"), "--json")
    assert json.loads(again.stdout)["agents"] == ["code-warden"]
