"""`memory_report`: the numbers behind the page, from archives, decisions, checklist, health."""

from __future__ import annotations

from datetime import timedelta

from hestai_tmws.memory.documents import submit_document
from hestai_tmws.project import Project
from hestai_tmws.workflows.report import memory_report
from tests.memory.archive_support import START, write_archive


def test_sessions_per_day_and_role_decisions_and_health(ready: Project) -> None:
    write_archive(ready, "aaaa1111bbbb", summary="one", started=START)
    write_archive(ready, "cccc2222dddd", summary="two", started=START, role="technical-architect")
    write_archive(ready, "eeee3333ffff", summary="three", started=START + timedelta(days=1))
    submit_document(ready, doc_type="decision", title="Use SQLite", content="FTS5.")
    report = memory_report(ready)
    assert report.sessions == 3
    assert [(c.label, c.value) for c in report.sessions_per_day] == [
        ("2026-03-02", 2),
        ("2026-03-03", 1),
    ]
    assert report.sessions_per_role[0].label == "implementation-lead"
    assert [d.number for d in report.decisions] == ["001"]
    assert {c.name for c in report.health} >= {"git hook", "ledger"}


def test_an_empty_project_still_reports(ready: Project) -> None:
    report = memory_report(ready)
    assert report.sessions == 0 and report.tool_mix == [] and report.skills == []
