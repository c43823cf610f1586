"""The context views: an update's outcome, and the documents with the north star."""

from __future__ import annotations

import pytest

from hestai_tmws.cli.views import context
from hestai_tmws.memory.context import ContextChange, update_context
from hestai_tmws.memory.views import show_context
from hestai_tmws.project import Project
from tests.memory.support import open_session


def test_an_update_shows_its_state_changes_and_hash(
    ready: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    session = open_session(ready)
    change = ContextChange(op="add", section="NOTES", key="FLAG", value="[all_done] set")
    result = update_context(
        ready, document="project-checklist", changes=[change], session_id=session.id
    )
    context.update_result(result)
    out = capsys.readouterr().out
    assert out.startswith(f"updated {result.path} (")
    assert f"hash: {result.sha256}" in out
    assert all(line in out for line in result.applied)


def test_the_show_view_lists_documents_and_keeps_brackets(
    ready: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    context.context_view(show_context(ready), content=False)
    out = capsys.readouterr().out
    assert "context documents" in out and "project-context" in out
    assert "north star" in out
    context.context_view(show_context(ready, ["project-checklist"]), content=True)
    assert "--- " in capsys.readouterr().out
