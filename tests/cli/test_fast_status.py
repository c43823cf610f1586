"""`cli.fast_status`: the usual project answered without typer, everything else declined."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hestai_tmws.cli import fast_status
from hestai_tmws.project import Project
from hestai_tmws.workflows.status import project_status


def test_the_json_is_pydantics(ready: Project, capsys: pytest.CaptureFixture[str]) -> None:
    assert fast_status.answer(str(ready.root), as_json=True)
    assert capsys.readouterr().out == project_status(ready).model_dump_json(indent=2) + "\n"


@pytest.mark.parametrize(
    ("variable", "value"),
    [("GIT_DIR", "/x"), ("TMWS_ROLE", "lead"), ("TMWS_STALE_AFTER_HOURS", "bad")],
)
def test_what_changes_the_answer_is_declined(
    variable: str, value: str, ready: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(variable, value)
    assert fast_status.status_facts(str(ready.root)) is None


def test_a_settings_file_or_no_repository_is_declined(ready: Project, tmp_path: Path) -> None:
    assert fast_status.status_facts(str(tmp_path / "missing")) is None
    assert fast_status.status_facts(str(tmp_path)) is None
    (ready.root / ".hestai-tmws.yaml").write_text("hub: elsewhere\n")
    assert fast_status.status_facts(str(ready.root)) is None


def test_the_project_comes_from_the_variable_when_not_given(
    ready: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TMWS_PROJECT", str(ready.root / ".hestai"))
    facts = fast_status.status_facts(None)
    assert facts is not None and facts["project"] == str(ready.root)
    assert json.loads(json.dumps(facts)) == facts
