"""Appending to a trace log: one line per write, summaries bounded and masked."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from hestai_tmws.sessions.trace_log import note_recording_failure, stored_summary
from hestai_tmws.sessions.trace_text import MAX_SUMMARY_CHARS, TRACE_ERRORS_FILE
from hestai_tmws.steward.atomic import append_line


@given(st.text())
def test_stored_summaries_are_bounded(summary: str) -> None:
    assert len(stored_summary(summary)) <= max(MAX_SUMMARY_CHARS, 0) or summary == ""


def test_obvious_credentials_are_masked() -> None:
    token = "ghp_" + "k3J9sLm2Qp8Rt5Vw1Xy4Za6Bc7De0Fg2Hi9Jk"
    assert token not in stored_summary(f"git push https://{token}@github.com/x")
    assert stored_summary("") == ""


def test_lines_are_appended_with_one_newline(tmp_path: Path) -> None:
    log = tmp_path / "traces.jsonl"
    append_line(log, '{"a": 1}')
    append_line(log, '{"a": 2}\n')
    assert log.read_text() == '{"a": 1}\n{"a": 2}\n'


def test_a_failure_is_counted_by_its_type(tmp_path: Path) -> None:
    note_recording_failure(tmp_path, OSError("disk full"))
    (line,) = (tmp_path / TRACE_ERRORS_FILE).read_text().splitlines()
    assert json.loads(line)["error"] == "OSError"
