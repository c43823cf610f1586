"""Building an archive's content from a session, its transcript and its traces."""

from __future__ import annotations

from hestai_tmws.sessions.archive.build import build_archive
from hestai_tmws.sessions.archive.limits import LEVELS
from hestai_tmws.sessions.traces import TraceLog, TraceRecord
from tests.sessions.test_archive import call, inputs, transcript


def test_counts_and_calls_follow_the_transcript() -> None:
    data = build_archive(inputs(transcript([call(0, ok=True), call(1, ok=False)])))
    assert [c.tool for c in data.tool_calls] == ["Bash", "Bash"]
    assert (data.meta.tool_call_count, data.meta.failed_call_count) == (2, 1)
    assert data.meta.duration_s == 42 * 60


def test_the_last_level_keeps_the_first_and_last_traces() -> None:
    log = TraceLog(
        session_id="a1b2c3d4e5f6", records=[TraceRecord(tool=f"t{i}") for i in range(500)]
    )
    data = build_archive(inputs(None, traces=log), LEVELS[-1])
    assert len(data.traces) == 400
    assert data.traces[0].tool == "t0" and data.traces[-1].tool == "t499"
    assert "100 of 500 traces omitted" in data.trace_note


def test_given_summary_wins_over_derived() -> None:
    assert build_archive(inputs(None, summary="done")).summary.source == "arguments"
    assert build_archive(inputs(None)).summary.source == "none"
