"""`tmws octave check FILE... [--json]`: exit 0 when all parse, every problem otherwise."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.cli_support import tmws


def test_check_ok_and_failed(tmp_path: Path) -> None:
    good = tmp_path / "good.oct.md"
    good.write_text("===G===\nGATES::NEVER<A,B>\n===END===\n")
    bad = tmp_path / "bad.oct.md"
    bad.write_text("===X===\nA::foo(bar)\nB::2025-01-01\n===END===\n")
    ok = tmws(tmp_path, "octave", "check", str(good))
    assert ok.exit_code == 0 and "1 of 1 files parse" in ok.stdout
    failed = tmws(tmp_path, "octave", "check", str(good), str(bad))
    assert failed.exit_code == 1
    assert "line 2:" in failed.stdout and "line 3:" in failed.stdout
    as_json = tmws(tmp_path, "octave", "check", "--json", str(bad))
    data = json.loads(as_json.stdout)
    assert data["ok"] is False
    assert [p["line"] for p in data["files"][0]["problems"]] == [2, 3]
