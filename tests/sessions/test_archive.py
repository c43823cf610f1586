"""The archive: deterministic, complete (every tool call), bounded, redacted, machine-readable."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hestai_tmws.errors import ValidationError
from hestai_tmws.sessions import archive as archive_mod
from hestai_tmws.sessions.archive import (
    MAX_ARCHIVE_BYTES,
    ArchiveInputs,
    archive_rel,
    build_archive,
    compose_archive,
    index_record,
    read_archive,
    render_archive,
)
from hestai_tmws.sessions.model import ActiveSession
from hestai_tmws.sessions.traces import TraceLog, TraceRecord
from hestai_tmws.sessions.transcripts.model import Markers, ToolCall, Transcript
from tests.workflows.clock_support import oracle_check

START = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def session(**kw: object) -> ActiveSession:
    base: dict[str, object] = {
        "id": "a1b2c3d4e5f6",
        "role": "implementation-lead",
        "focus": "feat: retry → backoff",
        "focus_source": "branch",
        "branch": "feat/retry",
        "head": "0" * 40,
        "started_at": START,
        "governance_version": "1.0.0",
    }
    base.update(kw)
    return ActiveSession.model_validate(base)


def transcript(calls: list[ToolCall], **kw: object) -> Transcript:
    base: dict[str, object] = {
        "source": Path("/tmp/t.jsonl"),
        "sha256": "f" * 64,
        "format": "claude-code",
        "tool_calls": calls,
    }
    base.update(kw)
    return Transcript.model_validate(base)


def call(i: int, name: str = "Bash", digest: str = "", **kw: object) -> ToolCall:
    return ToolCall(
        index=i, name=name, tool_use_id=f"t{i}", input_digest=digest or f"cmd {i}", **kw
    )


def inputs(tr: Transcript | None = None, **kw: object) -> ArchiveInputs:
    return ArchiveInputs(
        session=kw.pop("session", None) or session(),  # type: ignore[arg-type]
        ended_at=START + timedelta(minutes=42),
        transcript=tr,
        **kw,  # type: ignore[arg-type]
    )


def test_every_tool_call_kept_in_order_with_its_fields() -> None:
    calls = [
        call(0, "Bash", "git status", ok=True, duration_ms=120.4),
        call(1, "Read", "src/a.py", ok=None),
        call(2, "Edit", "src/a.py", ok=False, error_text="boom"),
        call(3, "Task", "review → report", ok=True, sidechain=True),
        call(4, "mcp__tmws__clock_in", 'x "q" [a::b] // c', ok=True, duration_ms=3),
    ]
    composed = compose_archive(inputs(transcript(calls)))
    oracle_check(composed.text)
    back = read_archive(composed.text)
    assert [(c.tool, c.digest, c.ok, c.duration_ms, c.sidechain) for c in back.tool_calls] == [
        ("Bash", "git status", True, 120, False),
        ("Read", "src/a.py", None, None, False),
        ("Edit", "src/a.py", False, None, False),
        ("Task", "review → report", True, None, True),
        ("mcp__tmws__clock_in", 'x "q" [a::b] // c', True, 3, False),
    ]
    m = back.meta
    assert (m.tool_call_count, m.failed_call_count, m.sidechain_call_count) == (5, 1, 1)
    assert m.session_id == "a1b2c3d4e5f6" and m.focus == "feat: retry → backoff"
    assert m.duration_s == 42 * 60 and m.transcript_sha256 == "f" * 64
    assert m.started_at == START and m.status == "completed"


def test_rendering_is_deterministic() -> None:
    calls = [call(i) for i in range(20)]
    a = compose_archive(inputs(transcript(calls), summary="same")).text
    b = compose_archive(inputs(transcript(calls), summary="same")).text
    assert a == b


def test_sections_and_meta_shape() -> None:
    text = compose_archive(inputs(transcript([call(0)]))).text
    assert text.startswith("===SESSION_ARCHIVE===\nMETA:\n  TYPE::SESSION_ARCHIVE\n")
    for n, name in enumerate(
        [
            "SUMMARY",
            "TOOL_CALLS",
            "FILES",
            "COMMANDS",
            "ERRORS",
            "DECISIONS",
            "BLOCKERS",
            "LEARNINGS",
            "PROMPTS",
            "TRACE",
        ],
        1,
    ):
        assert f"\n§{n}::{name}\n" in text
    assert "  C001:\n    TOOL::Bash\n" in text
    assert text.endswith("===END===\n")


def test_no_transcript_still_archives() -> None:
    composed = compose_archive(inputs(None, summary="did nothing"))
    oracle_check(composed.text)
    back = read_archive(composed.text)
    assert back.tool_calls == [] and back.meta.transcript is None
    assert back.summary.text == "did nothing" and back.summary.source == "arguments"


def test_summary_derived_from_first_request_and_last_conclusion() -> None:
    tr = transcript(
        [call(0)],
        user_prompts=["", "Please fix the login bug", "also the tests"],
        assistant_texts=["Looking.", "Fixed: login now retries.", "  "],
    )
    back = read_archive(compose_archive(inputs(tr)).text)
    assert back.summary.source == "derived"
    assert back.summary.request == "Please fix the login bug"
    assert back.summary.conclusion == "Fixed: login now retries."
    assert back.prompts == ["Please fix the login bug", "also the tests"]


def test_markers_and_arguments_are_merged_without_duplicates() -> None:
    tr = transcript(
        [call(0)],
        markers=Markers(
            decisions=["use sqlite", "drop redis"], blockers=["ci down"], learnings=["a"]
        ),
    )
    data = read_archive(
        compose_archive(
            inputs(tr, decisions=["drop redis", "ship friday"], learnings=["b"], blockers=[])
        ).text
    )
    assert data.decisions == ["drop redis", "ship friday", "use sqlite"]
    assert data.blockers == ["ci down"] and data.learnings == ["b", "a"]
    assert data.meta.decision_count == 3


def test_traces_are_folded_with_a_note_on_recording_errors() -> None:
    log = TraceLog(
        session_id="a1b2c3d4e5f6",
        records=[
            TraceRecord(tool="clock_in", summary="ok", args_digest="c" * 64, ts=START.timestamp()),
            TraceRecord(
                tool="context_update", ok=False, error_class="ConflictError", duration_ms=4.6
            ),
        ],
        recording_errors=2,
        error_kinds=["OSError"],
    )
    composed = compose_archive(inputs(None, traces=log))
    oracle_check(composed.text)
    back = read_archive(composed.text)
    assert [t.tool for t in back.traces] == ["clock_in", "context_update"]
    assert back.traces[0].args == "c" * 12 and back.traces[0].at == "2026-03-02T09:30:00Z"
    assert back.traces[1].ok is False and back.traces[1].error_class == "ConflictError"
    assert back.traces[1].duration_ms == 5
    assert back.trace_recording_errors == 2
    assert "trace recording failed 2 time(s)" in back.trace_note


@pytest.mark.slow
def test_thousands_of_traces_are_trimmed_with_a_note_not_a_failure() -> None:
    """A long MCP session still archives: calls complete, traces first/last 200 plus counts."""
    records = [
        TraceRecord(
            tool=("context_update", "get_context")[i % 2],
            summary="s" * 40,
            args_digest=f"{i:064x}",
            ts=START.timestamp() + i,
        )
        for i in range(4000)
    ]
    log = TraceLog(session_id="a1b2c3d4e5f6", records=records)
    composed = compose_archive(inputs(transcript([call(i) for i in range(300)]), traces=log))
    assert composed.level == len(archive_mod.LEVELS) - 1
    assert len(composed.text.encode()) <= MAX_ARCHIVE_BYTES
    oracle_check(composed.text)
    back = read_archive(composed.text)
    assert len(back.tool_calls) == 300
    assert len(back.traces) == 400
    assert back.traces[0].args == f"{0:064x}"[:12] and back.traces[-1].args == f"{3999:064x}"[:12]
    assert "3600 of 4000 traces omitted" in back.trace_note
    assert "context_update 1800, get_context 1800" in back.trace_note


def test_archive_of_240_calls_is_small_and_complete() -> None:
    calls = [
        call(
            i,
            ("Bash", "Read", "Edit", "Grep")[i % 4],
            f"step {i} → x::y [{i}]",
            ok=i % 9 != 0,
            duration_ms=float(i),
        )
        for i in range(240)
    ]
    composed = compose_archive(inputs(transcript(calls)))
    assert composed.level == 0
    assert len(composed.text.encode()) < 64 * 1024
    oracle_check(composed.text)
    back = read_archive(composed.text)
    assert len(back.tool_calls) == 240
    assert back.tool_calls[239].digest == "step 239 → x::y [239]"
    assert "  C240:\n" in composed.text


def test_call_keys_widen_past_999() -> None:
    composed = compose_archive(inputs(transcript([call(i, digest="d") for i in range(1001)])))
    assert "  C0001:\n" in composed.text and "  C1001:\n" in composed.text
    assert len(read_archive(composed.text).tool_calls) == 1001


def test_oversized_text_is_shortened_until_it_fits_but_no_call_dropped() -> None:
    big = "word " * 200
    tr = transcript(
        [call(i, digest=big) for i in range(2500)],
        user_prompts=[big] * 200,
        commands=[big] * 300,
        files_read=[f"src/{i}/{'d' * 150}.py" for i in range(400)],
        errors=[big] * 50,
    )
    composed = compose_archive(inputs(tr), max_bytes=MAX_ARCHIVE_BYTES)
    assert composed.level > 0
    assert len(composed.text.encode()) <= MAX_ARCHIVE_BYTES
    back = read_archive(composed.text)
    assert len(back.tool_calls) == 2500 and back.meta.prompt_count == 200
    assert back.prompts_omitted > 0


def test_too_big_even_when_compact_is_an_error() -> None:
    with pytest.raises(ValidationError, match="most compact"):
        compose_archive(inputs(transcript([call(i) for i in range(50)])), max_bytes=200)


def test_redaction_failure_fails_closed(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(obj: object) -> object:
        raise RuntimeError("detector crashed")

    monkeypatch.setattr("hestai_tmws.secrets.redaction.redact_obj", broken)
    with pytest.raises(ValidationError, match="redaction failed"):
        compose_archive(inputs(transcript([call(0)])))


def test_secrets_in_free_text_are_redacted() -> None:
    key = "AKIA" + "QWERTYUIOPASDFGH"
    token = "ghp_" + "k3J9sLm2Qp8Rt5Vw1Xy4Za6Bc7De0Fg2Hi9Jk"
    tr = transcript(
        [call(0, digest=f"export AWS_ACCESS_KEY_ID={key}")],
        user_prompts=[f"use token {token} please"],
        commands=[f"curl -H 'Authorization: token {token}' https://api.example.com"],
    )
    composed = compose_archive(
        inputs(tr, summary=f"rotated {key}", learnings=[f"never paste {token}"])
    )
    assert key not in composed.text and token not in composed.text
    assert "[REDACTED" in composed.text
    # structural fields survive redaction
    assert "f" * 64 in composed.text and "0" * 40 in composed.text


def test_read_archive_rejects_other_documents_and_count_mismatch() -> None:
    with pytest.raises(ValidationError):
        read_archive("===NOT_AN_ARCHIVE===\nMETA:\n  TYPE::X\n---\n===END===\n")
    text = compose_archive(inputs(transcript([call(0), call(1)]))).text
    tampered = text.replace("TOOL_CALL_COUNT::2", "TOOL_CALL_COUNT::3")
    with pytest.raises(ValidationError, match="3 tool calls"):
        read_archive(tampered)


def test_read_archive_rejects_a_torn_file() -> None:
    text = compose_archive(inputs(transcript([call(i) for i in range(10)]))).text
    with pytest.raises(ValidationError):
        read_archive(text[: len(text) // 2])


def test_archive_name_and_index_record() -> None:
    s = session()
    rel = archive_rel(s)
    assert rel == "sessions/archive/2026-03-02-feat-retry-backoff-a1b2c3d4.oct.md"
    data = build_archive(inputs(transcript([call(0)]), learnings=["x"], decisions=["y"]))
    record = index_record(data, rel)
    assert record["id"] == s.id and record["archive"] == rel and record["date"] == "2026-03-02"
    assert (
        record["tool_calls"] == 1 and record["learnings"] == ["x"] and record["decisions"] == ["y"]
    )
    assert record["role"] == "implementation-lead" and record["focus"] == s.focus


digest_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    max_size=80,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(digest_text, min_size=1, max_size=6), digest_text)
def test_any_digest_and_focus_round_trip(digests: list[str], focus: str) -> None:
    focus = focus.strip() or "general"
    calls = [call(i, digest=d or "-") for i, d in enumerate(digests)]
    data = build_archive(inputs(transcript(calls), session=session(focus=focus)))
    text = render_archive(data)  # no redaction: this checks the codec path only
    oracle_check(text)
    back = read_archive(text)
    assert [c.digest for c in back.tool_calls] == [c.digest for c in data.tool_calls]
    assert back.meta.focus == focus


def test_module_has_no_print() -> None:
    assert "print(" not in Path(archive_mod.__file__).read_text()
