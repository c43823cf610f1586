"""Pattern records (render/parse), the fast archive reader, and the sequence cache."""

from __future__ import annotations

import math
import os
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hestai_tmws.errors import ValidationError
from hestai_tmws.learning.cache import SequenceCache, cache_path, scan
from hestai_tmws.learning.core.checks import CheckResult, ValidationReport
from hestai_tmws.learning.core.model import Variant
from hestai_tmws.learning.core.states import PatternState
from hestai_tmws.learning.pipeline import run_mine
from hestai_tmws.learning.records import (
    HistoryEntry,
    PatternRecord,
    PatternStats,
    parse_record,
    render_record,
)
from hestai_tmws.learning.sequences import read_sequence
from hestai_tmws.sessions.archive import (
    ArchiveData,
    ArchiveMeta,
    ToolCallEntry,
    read_archive,
    render_archive,
)
from tests.learning.loop_support import init_repo, plant_sessions, write_archive
from tests.octave_oracle import assert_oracle_clean

AT = datetime(2025, 3, 4, 10, 0, tzinfo=UTC)


def sample_record(**changes: object) -> PatternRecord:
    record = PatternRecord(
        id="pat-0123456789abcdef",
        state=PatternState.VALIDATED,
        namespace="demo",
        tokens=["Bash:pytest", "Edit", "mcp__tmws__clock_out", 'Bash:echo "x"'],
        variants=[Variant(id="pat-00000000000000aa", tokens=("Bash:pytest", "Read"), support=3)],
        stats=PatternStats(
            support=6,
            days=[date(2025, 3, 3), date(2025, 3, 5)],
            first_seen=date(2025, 3, 3),
            last_seen=date(2025, 3, 5),
            occurrences=7,
            successes=6,
            outcomes_known=7,
            success_rate=0.857143,
            wilson_lower=0.487,
            mean_duration_ms=None,
            stability=0.125,
            confidence=0.2922,
            lift=math.inf,
            expected_support=1.2e-09,
            failed_steps=[0, 1, 0, 0],
        ),
        evidence=["000000000001", "abcdefabcdef"],
        validation=ValidationReport(
            pattern_id="pat-0123456789abcdef",
            checks=[
                CheckResult(code="V1", passed=True, reason="support 6 (needs >= 3)"),
                CheckResult(code="V2", passed=False, reason='"quoted" → reason'),
            ],
            passed=False,
        ),
        history=[
            HistoryEntry(
                from_state=None, to_state=PatternState.DETECTED, at=AT, actor="system", support=6
            ),
            HistoryEntry(
                from_state=PatternState.DETECTED,
                to_state=PatternState.VALIDATED,
                at=AT + timedelta(seconds=1),
                actor="system",
                support=6,
                reason="all six checks passed",
            ),
        ],
        skill=None,
        created_at=AT,
    )
    return record.model_copy(update=changes)


def test_record_round_trips_and_is_canonical_octave() -> None:
    record = sample_record()
    text = render_record(record)
    assert_oracle_clean(text)
    back = parse_record(text)
    assert back == record
    assert render_record(back) == text
    assert back.support_at_rejection() is None
    assert back.state_since() == AT + timedelta(seconds=1)


def test_record_keeps_the_latest_rejection_support() -> None:
    history = [
        HistoryEntry(from_state=None, to_state=PatternState.DETECTED, at=AT, actor="s", support=3),
        HistoryEntry(
            from_state=PatternState.DETECTED,
            to_state=PatternState.REJECTED,
            at=AT,
            actor="s",
            support=3,
        ),
        HistoryEntry(
            from_state=PatternState.REJECTED,
            to_state=PatternState.DETECTED,
            at=AT,
            actor="s",
            support=6,
        ),
        HistoryEntry(
            from_state=PatternState.DETECTED,
            to_state=PatternState.REJECTED,
            at=AT,
            actor="s",
            support=6,
        ),
    ]
    record = sample_record(state=PatternState.REJECTED, history=history)
    assert parse_record(render_record(record)).support_at_rejection() == 6


@pytest.mark.parametrize(
    "text, message",
    [
        ("===OTHER===\n---\n===END===\n", "not a pattern record"),
        ("===PATTERN===\nMETA:\n  ID::pat-1\n---\n===END===\n", "section SEQUENCE is missing"),
    ],
)
def test_parse_record_rejects_other_documents(text: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        parse_record(text)


# -- the fast archive reader -----------------------------------------------------------------

_text = st.text(alphabet=st.characters(codec="utf-8"), min_size=0, max_size=40)


def _archive(calls: list[ToolCallEntry], *, namespace: str | None = "demo") -> str:
    started = datetime(2025, 5, 6, 23, 59, tzinfo=UTC)
    return render_archive(
        ArchiveData(
            meta=ArchiveMeta(
                session_id="0123456789ab",
                role="implementation-lead",
                focus="x",
                started_at=started,
                ended_at=started + timedelta(minutes=5),
                namespace=namespace,
                tool_call_count=len(calls),
            ),
            tool_calls=calls,
        )
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.builds(
            ToolCallEntry,
            tool=st.one_of(st.sampled_from(["Bash", "Read", "mcp__a__b", "true", "1"]), _text),
            digest=_text,
            ok=st.one_of(st.none(), st.booleans()),
            duration_ms=st.one_of(st.none(), st.integers(min_value=0, max_value=10**7)),
            sidechain=st.booleans(),
        ),
        max_size=8,
    ),
    st.one_of(st.none(), st.sampled_from(["demo", "my-project", "12"])),
)
def test_fast_reader_agrees_with_the_strict_reader(
    calls: list[ToolCallEntry], namespace: str | None
) -> None:
    text = _archive(calls, namespace=namespace)
    fast = read_sequence(text)
    strict = read_archive(text)
    expected = [
        (c.tool, c.digest, c.ok, c.duration_ms) for c in strict.tool_calls if not c.sidechain
    ]
    assert [(c.tool, c.digest, c.ok, c.duration_ms) for c in fast.calls] == expected
    assert fast.session_id == strict.meta.session_id
    assert fast.day == date(2025, 5, 6)
    assert fast.namespace == strict.meta.namespace


def test_reader_falls_back_to_the_strict_parser_for_unusual_layouts() -> None:
    text = _archive([ToolCallEntry(tool="Read", digest="a", ok=True, duration_ms=3)])
    assert read_sequence(text).fast is True
    reordered = text.replace("    DIGEST::a\n    OK::true\n", "    OK::true\n    DIGEST::a\n", 1)
    assert reordered != text
    back = read_sequence(reordered)
    assert back.fast is False
    assert [c.tool for c in back.calls] == ["Read"]


def test_reader_refuses_what_is_not_an_archive() -> None:
    with pytest.raises(ValidationError):
        read_sequence("===REPORT===\n---\n===END===\n")
    torn = _archive([ToolCallEntry(tool="Read", ok=True)]).replace(
        "TOOL_CALL_COUNT::1", "TOOL_CALL_COUNT::2"
    )
    with pytest.raises(ValidationError, match="META says 2 tool calls"):
        read_sequence(torn)


# -- the cache --------------------------------------------------------------------------------


def test_second_mine_reads_no_archive_and_a_new_one_reads_one(tmp_path: Path) -> None:
    project = init_repo(tmp_path / "repo")
    plant_sessions(project, 4)
    first = run_mine(project)
    assert (first.archives, first.archives_read, first.archives_cached) == (4, 4, 0)
    second = run_mine(project)
    assert (second.archives, second.archives_read, second.archives_cached) == (4, 0, 4)
    write_archive(project, 99, [("Read", ""), ("Edit", "")], day=1)
    third = run_mine(project)
    assert (third.archives, third.archives_read, third.archives_cached) == (5, 1, 4)


def test_touched_archives_are_hashed_but_not_parsed_again(tmp_path: Path) -> None:
    project = init_repo(tmp_path / "repo")
    rels = plant_sessions(project, 3)
    run_mine(project)
    old = datetime(2024, 1, 1).timestamp()
    for rel in rels:  # an old mtime: stat keys are trusted from now on
        os.utime(project.memory_path(rel), (old, old))
    first = run_mine(project)
    assert first.archives_hashed == 3 and first.archives_read == 0
    again = run_mine(project)
    assert again.archives_hashed == 0 and again.archives_read == 0
    path = project.memory_path(rels[0])
    os.utime(path, (old + 60, old + 60))  # same content, new mtime: hash, no parse
    touched = run_mine(project)
    assert (touched.archives_hashed, touched.archives_read) == (1, 0)


def test_the_automatic_run_trusts_unchanged_inodes(tmp_path: Path) -> None:
    project = init_repo(tmp_path / "repo")
    rels = plant_sessions(project, 3)
    old = datetime(2024, 1, 1).timestamp()
    for rel in rels:
        os.utime(project.memory_path(rel), (old, old))
    run_mine(project)
    os.utime(project.memory_path(rels[0]), (old + 9, old + 9))  # same inode: not replaced
    trusted = run_mine(project, mode="auto")
    assert (trusted.archives, trusted.archives_hashed, trusted.archives_read) == (3, 0, 0)
    checked = run_mine(project)
    assert (checked.archives_hashed, checked.archives_read) == (1, 0)
    write_archive(project, 7, [("Read", "")], day=1)
    added = run_mine(project, mode="auto")
    assert (added.archives, added.archives_hashed, added.archives_read) == (4, 1, 1)
    text = project.memory_path(rels[1]).read_text()
    from hestai_tmws.steward import Steward

    Steward(project).write_text(rels[1], text.replace("FOCUS::work", "FOCUS::other"))
    replaced = run_mine(project, mode="auto")  # a rename: new inode, read again
    assert (replaced.archives_hashed, replaced.archives_read) == (2, 1)


def test_a_damaged_cache_only_means_a_cold_run(tmp_path: Path) -> None:
    project = init_repo(tmp_path / "repo")
    plant_sessions(project, 3)
    run_mine(project)
    cache_path(project).write_bytes(b"\x00garbage")
    report = run_mine(project)
    assert report.archives_read == 3
    assert "damaged" in " ".join(report.notes)
    assert run_mine(project).archives_read == 0


def test_unreadable_archives_are_reported_not_fatal(tmp_path: Path) -> None:
    from hestai_tmws.steward.atomic import atomic_write_bytes

    project = init_repo(tmp_path / "repo")
    plant_sessions(project, 3)
    bad = project.memory_path("sessions/archive/2025-03-03-bad-0000aaaa.oct.md")
    atomic_write_bytes(bad, b"===SESSION_ARCHIVE===\nMETA:\n  TOOL_CALL_COUNT::1\n---\n===END===\n")
    report = run_mine(project)
    assert list(report.unreadable) == ["sessions/archive/2025-03-03-bad-0000aaaa.oct.md"]
    assert report.sessions == 3
    assert run_mine(project).unreadable == report.unreadable  # remembered, not re-parsed


def test_scan_stops_at_the_deadline_and_continues_next_time(tmp_path: Path) -> None:
    project = init_repo(tmp_path / "repo")
    plant_sessions(project, 3)
    cache = SequenceCache.load(project)
    stopped = scan(project, cache, deadline=0.0)
    assert (stopped.complete, stopped.parsed, stopped.pending) == (False, 0, 3)
    resumed = scan(project, cache)
    assert (resumed.complete, resumed.parsed) == (True, 3)
