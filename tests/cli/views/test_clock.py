"""The clock views: the full primer with its sections, and the archive line of a clock-out."""

from __future__ import annotations

import pytest

from hestai_tmws.cli.views import clock
from hestai_tmws.project import Project
from hestai_tmws.workflows.clock_in import clock_in
from hestai_tmws.workflows.clock_out import clock_out


def test_the_primer_then_the_archive(ready: Project, capsys: pytest.CaptureFixture[str]) -> None:
    opened = clock_in(ready, role="implementation-lead", focus="fix [all_done] flag")
    clock.clock_in_result(opened)
    out = capsys.readouterr().out
    assert f"session {opened.session_id} (implementation-lead) — focus: fix [all_done] flag" in out
    for title in ("Read first", "Suggested skills"):
        assert f"\n{title}\n" in out
    assert "  • (none yet)" in out
    assert f"clock out with: tmws clock-out --session {opened.id8}" in out
    closed = clock_out(ready, session_id=opened.session_id, summary="done", learn=False)
    clock.clock_out_result(closed)
    out = capsys.readouterr().out
    assert f"archived session {closed.session_id} → {closed.archive_path}" in out
    assert "tool calls (0 failed)" in out
    assert "0 decisions, 0 blockers, 0 learnings" in out  # plurals, as English has them


def test_a_section_without_lines_prints_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    from hestai_tmws.cli import output

    clock.section(output.console(), "Empty", [])
    clock.section(output.console(), "[b]", ["one [x]"])
    assert capsys.readouterr().out == "\n[b]\n  • one [x]\n"
