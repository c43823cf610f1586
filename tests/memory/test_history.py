"""Project history: capped context entries move there, clock-out records go on the timeline."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from hestai_tmws.errors import ConflictError
from hestai_tmws.memory.history import (
    ARCHIVE_SECTION,
    HISTORY_PERIODS,
    TIMELINE_KEY,
    TIMELINE_SECTION,
    append_history,
    stale_base,
    write_context_document,
)
from hestai_tmws.memory.naming import HISTORY_REL
from hestai_tmws.octave import Document, Section, parse
from hestai_tmws.project import Project
from hestai_tmws.steward import Steward
from tests.memory.support import doc_of, memory_text, write_settings

NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


def test_overflow_goes_to_history_before_the_document_is_written(ready: Project) -> None:
    rel = "context/context-negatives.oct.md"
    doc = Document(
        name="CONTEXT_NEGATIVES",
        meta={"TYPE": "CONTEXT_NEGATIVES"},
        sections=[Section(1, "NEGATIVES", {"ENTRIES": [f"old {n}" for n in range(30)]})],
    )
    steward = Steward(ready)
    outcome = write_context_document(
        ready,
        steward,
        rel,
        doc,
        expect_sha256=None,
        max_lines=12,
        limit=50_000,
        now=NOW,
        reason="test",
    )
    assert outcome.archived > 0 and outcome.history is not None and not outcome.over_cap
    history = parse(steward.read_text(HISTORY_REL) or "")
    archived = history.section(ARCHIVE_SECTION)
    assert archived is not None and len(archived.body) == outcome.archived


def test_a_stale_base_hash_is_a_conflict_carrying_the_current_text(ready: Project) -> None:
    steward = Steward(ready)
    rel = "context/project-roadmap.oct.md"
    doc = parse(steward.read_text(rel) or "")
    with pytest.raises(ConflictError) as info:
        write_context_document(
            ready,
            steward,
            rel,
            doc,
            expect_sha256="0" * 64,
            max_lines=200,
            limit=50_000,
            now=NOW,
            reason="test",
        )
    assert "stale" in info.value.message
    assert "stale" in stale_base(rel, None, "").message


def test_history_records_are_flattened_and_newest_first(ready: Project) -> None:
    steward = Steward(ready)
    append_history(ready, steward, {"event": "first", "items": ["a", "b"], "at": NOW})
    append_history(ready, steward, {"event": "second", "extra": {"k": 1}})
    timeline = parse(steward.read_text(HISTORY_REL) or "").section(TIMELINE_SECTION)
    assert timeline is not None
    entries = timeline.body[TIMELINE_KEY]
    assert isinstance(entries, list)
    assert [e["EVENT"] for e in entries[:2]] == ["second", "first"]
    assert entries[1]["ITEMS"] == "a; b" and entries[1]["AT"] == "2026-01-02T03:04:05Z"
    assert entries[0]["EXTRA"] == '{"k": 1}'


def test_append_history_adds_newest_first_and_replaces_retries(ready: Project) -> None:
    steward = Steward(ready)
    append_history(
        ready,
        steward,
        {
            "id": "a" * 12,
            "date": "2026-09-01",
            "event": "first",
            "source": "sessions/archive/x.oct.md",
            "decisions": ["d1", "d2"],
        },
    )
    append_history(
        ready,
        steward,
        {
            "id": "b" * 12,
            "date": "2026-09-02",
            "event": "second",
            "source": "sessions/archive/y.oct.md",
        },
    )
    append_history(
        ready,
        steward,
        {
            "id": "a" * 12,
            "date": "2026-09-01",
            "event": "first again",
            "source": "sessions/archive/x.oct.md",
        },
    )
    entries = doc_of(ready, HISTORY_REL).section("TIMELINE").body["ENTRIES"]  # type: ignore[union-attr]
    assert [e["EVENT"] for e in entries] == ["first again", "second"]  # type: ignore[index]
    assert list(entries[0])[:4] == ["DATE", "EVENT", "SOURCE", "SESSION"]  # type: ignore[arg-type]


def test_append_history_inside_a_transaction(ready: Project) -> None:
    steward = Steward(ready)
    with steward.transaction("clock-out", stage=True):
        append_history(ready, steward, {"event": "inside", "date": "2026-09-03"})
        steward.write_text(
            "reports/2026-09-03-x.oct.md", "===REPORT===\nMETA:\n  TYPE::REPORT\n---\n===END===\n"
        )
    entries = doc_of(ready, HISTORY_REL).section("TIMELINE").body["ENTRIES"]  # type: ignore[union-attr]
    assert entries[0]["EVENT"] == "inside"  # type: ignore[index]


def test_append_history_redacts_secrets(ready: Project) -> None:
    token = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"
    append_history(
        ready, Steward(ready), {"event": f"leaked {token}", "password": "hunter2hunter2"}
    )
    text = memory_text(ready, HISTORY_REL)
    assert token not in text and "hunter2hunter2" not in text


def test_append_history_drops_oldest_archived_sessions_when_full(ready: Project) -> None:
    write_settings(ready, max_document_bytes=4000)
    steward = Steward(ready)
    for n in range(40):
        append_history(
            ready,
            steward,
            {
                "id": f"{n:012x}",
                "event": f"session {n} " + "x" * 40,
                "source": f"sessions/archive/s{n}.oct.md",
            },
        )
    text = memory_text(ready, HISTORY_REL)
    assert len(text.encode()) <= 4000
    entries = parse(text).section("TIMELINE").body["ENTRIES"]  # type: ignore[union-attr]
    assert entries[0]["SESSION"] == f"{39:012x}"  # type: ignore[index]
    assert 1 < len(entries) < 40  # type: ignore[arg-type]


def test_archived_context_rolls_over_and_never_wedges(ready: Project) -> None:
    """With small limits, 200 capped updates used to wedge after 46; now history rolls over."""
    write_settings(ready, max_document_bytes=4000)
    rel = "context/context-negatives.oct.md"
    steward = Steward(ready)
    total = 0
    for n in range(200):
        entries = [f"u{n} e{k} {'y' * 30}" for k in range(8)]
        doc = Document(
            name="CONTEXT_NEGATIVES",
            meta={"TYPE": "CONTEXT_NEGATIVES"},
            sections=[Section(1, "NEGATIVES", {"ENTRIES": list(entries)})],
        )
        outcome = write_context_document(
            ready,
            steward,
            rel,
            doc,
            expect_sha256=None,
            max_lines=6,
            limit=4000,
            now=NOW,
            reason="t",
        )
        total += outcome.archived
    assert len(memory_text(ready, HISTORY_REL).encode()) <= 4000
    periods = sorted((ready.hestai / HISTORY_PERIODS).glob("project-history-*.oct.md"))
    assert periods and all(len(p.read_bytes()) <= 4000 for p in periods)
    kept = 0
    for text in [memory_text(ready, HISTORY_REL), *(p.read_text() for p in periods)]:
        section = parse(text).section(ARCHIVE_SECTION)
        kept += len(section.body) if section is not None else 0
    assert kept == total  # every archived entry is still somewhere: nothing dropped
