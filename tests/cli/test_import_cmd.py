"""`tmws import`: text and JSON summaries, --dry-run, a bad --since."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from hestai_tmws.project import Project
from tests.cli.cli_support import tmws
from tests.fixtures import clock_transcripts as ct


def _history(tmp_path: Path) -> Path:
    folder = tmp_path / "history"
    folder.mkdir()
    sid = "aaaaaaaa-0000-4000-8000-000000000001"
    start = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
    ct.write(folder / f"{sid}.jsonl", ct.basic_spec("/w/demo", start=start, session_id=sid))
    return folder


def test_import_text_then_json(ready: Project, tmp_path: Path) -> None:
    history = _history(tmp_path)
    dry = tmws(ready.root, "import", str(history), "--dry-run")
    assert dry.exit_code == 0 and "would archive 1 new" in dry.stdout
    done = tmws(ready.root, "import", str(history), "--no-learn")
    assert done.exit_code == 0 and "archived 1 new" in done.stdout
    again = json.loads(tmws(ready.root, "import", str(history), "--json").stdout)
    assert (again["archived"], again["unchanged"]) == (0, 1)


def test_bad_since_is_a_usage_error(ready: Project, tmp_path: Path) -> None:
    result = tmws(ready.root, "import", str(_history(tmp_path)), "--since", "yesterday")
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.output
