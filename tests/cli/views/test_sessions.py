"""The sessions views: the table of open sessions, and a reap's tally."""

from __future__ import annotations

import pytest

from hestai_tmws.cli.views import sessions
from hestai_tmws.project import Project
from hestai_tmws.workflows.reap import ReapedSession, ReapResult, list_sessions
from tests.memory.support import open_session


def test_no_sessions_then_a_table(
    ready: Project, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")  # one line a row
    sessions.session_list(list_sessions(ready))
    assert capsys.readouterr().out == "no open sessions\n"
    opened = open_session(ready, focus="[all_done]")
    sessions.session_list(list_sessions(ready))
    out = capsys.readouterr().out
    assert opened.id in out and "[all_done]" in out and "started (UTC)" in out
    assert "`tmws sessions reap` archives stale sessions as abandoned" in out


def test_a_reap_prints_each_session_and_the_counts(capsys: pytest.CaptureFixture[str]) -> None:
    result = ReapResult(
        older_than_hours=1,
        reaped=[ReapedSession(id="a" * 12, archive_path="x.oct.md", traces=2)],
        kept=["b" * 12],
        failed=[ReapedSession(id="c" * 12, error="[locked]")],
    )
    sessions.reap_result(result)
    assert capsys.readouterr().out.splitlines() == [
        f"reaped {'a' * 12} → x.oct.md (2 traces)",
        f"could not reap {'c' * 12}: [locked]",
        "1 reaped, 1 kept, 1 failed",
    ]
