"""Trace recording: one JSON line per call, never raising, failures counted for the archive."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hestai_tmws.project import Project
from hestai_tmws.sessions import traces
from hestai_tmws.sessions.traces import (
    TraceRecord,
    digest_args,
    quick_redact,
    read_traces,
    record_trace,
)

SESSION = "0123456789ab"


@pytest.fixture
def open_session(project: Project) -> str:
    folder = project.memory_path(f"sessions/active/{SESSION}")
    folder.mkdir(parents=True)
    (folder / "session.json").write_text("{}", encoding="utf-8")
    return SESSION


def test_record_and_read_back_in_order(project: Project, open_session: str) -> None:
    for n in range(5):
        rec = TraceRecord(
            tool=f"tool_{n}", args_digest="ab" * 32, summary=f"call {n}", duration_ms=n
        )
        assert record_trace(project, open_session, rec) is True
    log = read_traces(project, open_session)
    assert [r.tool for r in log.records] == [f"tool_{n}" for n in range(5)]
    assert all(r.session_id == open_session for r in log.records)
    assert log.recording_errors == 0 and log.malformed_lines == 0
    lines = project.memory_path(f"sessions/active/{SESSION}/traces.jsonl").read_text().splitlines()
    assert len(lines) == 5 and all(json.loads(line)["tool"] for line in lines)


def test_summary_is_quick_redacted_and_bounded(project: Project, open_session: str) -> None:
    key = "AKIA" + "ABCDEFGHIJKLMNOP"
    rec = TraceRecord(tool="Bash", summary=f"export AWS={key} " + "x" * 500)
    assert record_trace(project, open_session, rec)
    stored = read_traces(project, open_session).records[0]
    assert key not in stored.summary
    assert len(stored.summary) <= traces.MAX_SUMMARY_CHARS


@pytest.mark.parametrize("bad_id", ["", "nope", "0123456789AB", "../../etc", "0123456789abc"])
def test_invalid_session_id_is_refused_without_raising(project: Project, bad_id: str) -> None:
    assert record_trace(project, bad_id, TraceRecord(tool="x")) is False
    assert not (project.hestai / "sessions" / "active").exists()


def test_unknown_session_is_not_created(project: Project) -> None:
    assert record_trace(project, "aaaaaaaaaaaa", TraceRecord(tool="x")) is False
    assert not project.memory_path("sessions/active/aaaaaaaaaaaa").exists()


def test_failure_returns_false_and_is_counted(
    project: Project, open_session: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(self: object, rel: str, line: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("hestai_tmws.steward.steward.Steward.append_private", boom)
    assert record_trace(project, open_session, TraceRecord(tool="x")) is False
    assert record_trace(project, open_session, TraceRecord(tool="y")) is False
    log = read_traces(project, open_session)
    assert log.records == []
    assert log.recording_errors == 2
    assert log.error_kinds == ["OSError"]


def test_malformed_lines_are_counted_not_fatal(project: Project, open_session: str) -> None:
    assert record_trace(project, open_session, TraceRecord(tool="ok"))
    path = project.memory_path(f"sessions/active/{SESSION}/traces.jsonl")
    with path.open("a", encoding="utf-8") as fh:
        fh.write('{"tool": \n')  # a torn line
    assert record_trace(project, open_session, TraceRecord(tool="after"))
    log = read_traces(project, open_session)
    assert [r.tool for r in log.records] == ["ok", "after"]
    assert log.malformed_lines == 1


def test_read_traces_of_missing_session_is_empty(project: Project) -> None:
    log = read_traces(project, "bbbbbbbbbbbb")
    assert log.records == [] and log.recording_errors == 0


def test_digest_args_is_canonical_and_redacted() -> None:
    a = digest_args({"b": 1, "a": [1, 2], "c": {"y": 2, "x": 1}})
    b = digest_args({"c": {"x": 1, "y": 2}, "a": [1, 2], "b": 1})
    assert a == b and len(a) == 64
    token = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"
    other = "ghp_" + "Z9y8X7w6V5u4T3s2R1q0P9o8N7m6L5k4J3i2"
    # the secret is redacted before hashing: two different tokens give the same digest
    assert digest_args({"cmd": f"curl -H 'Authorization: token {token}'"}) == digest_args(
        {"cmd": f"curl -H 'Authorization: token {other}'"}
    )


@pytest.mark.parametrize(
    "secret",
    [
        "AKIA" + "Z" * 16,
        "ghp_" + "a" * 36,
        "sk-" + "proj-" + "b" * 30,
        "xoxb-" + "1234567890-abcdefghij",
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlc2lnbmF0dXJl",
    ],
)
def test_quick_redact_masks_common_credentials(secret: str) -> None:
    assert secret not in quick_redact(f"before {secret} after")


def test_quick_redact_masks_assignments_and_urls() -> None:
    text = "password=hunter2hunter2 and https://bob:s3cr3tpw@example.com/x"
    out = quick_redact(text)
    assert "hunter2hunter2" not in out and "s3cr3tpw" not in out
    assert "example.com/x" in out


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300))
def test_quick_redact_never_raises(text: str) -> None:
    assert isinstance(quick_redact(text), str)


def test_record_is_one_line_even_with_newlines(project: Project, open_session: str) -> None:
    assert record_trace(project, open_session, TraceRecord(tool="t", summary="a\nb\r\nc"))
    path: Path = project.memory_path(f"sessions/active/{SESSION}/traces.jsonl")
    assert len(path.read_text().splitlines()) == 1
