"""Reading an archive back: round trip, and refusal of torn or foreign files."""

from __future__ import annotations

from datetime import timedelta

import pytest

from hestai_tmws.errors import ValidationError
from hestai_tmws.project import Project
from hestai_tmws.sessions.archive.compose import compose_archive
from hestai_tmws.sessions.archive.read import list_archived, read_archive
from tests.memory.archive_support import START, write_archive
from tests.sessions.test_archive import call, inputs, transcript


def test_round_trip_keeps_the_calls() -> None:
    composed = compose_archive(inputs(transcript([call(0), call(1, "Read")])))
    assert read_archive(composed.text).tool_calls == composed.data.tool_calls


def test_a_torn_archive_is_refused() -> None:
    text = compose_archive(inputs(transcript([call(0), call(1)]))).text
    torn = text.replace("TOOL_CALL_COUNT::2", "TOOL_CALL_COUNT::3")
    with pytest.raises(ValidationError, match="META says 3 tool calls"):
        read_archive(torn)


def test_another_document_is_not_an_archive() -> None:
    with pytest.raises(ValidationError, match="not a session archive"):
        read_archive("===OTHER===\nMETA:\n  TYPE::OTHER\n===END===\n")


def test_archived_sessions_are_listed_newest_first_and_broken_ones_named(
    ready: Project,
) -> None:
    write_archive(ready, "aaaa1111bbbb", summary="older work", started=START)
    write_archive(ready, "cccc2222dddd", summary="newer work", started=START + timedelta(days=1))
    broken = ready.memory_path("sessions/archive/2026-01-01-torn-eeee3333.oct.md")
    broken.write_text("===SESSION_ARCHIVE===\n", encoding="utf-8")
    listed = list_archived(ready)
    assert [s.id for s in listed.sessions] == ["cccc2222dddd", "aaaa1111bbbb"]
    assert listed.sessions[0].summary == "newer work"
    assert listed.sessions[0].path.startswith(".hestai/sessions/archive/")
    assert list(listed.unreadable) == [".hestai/sessions/archive/2026-01-01-torn-eeee3333.oct.md"]


def test_no_archive_folder_lists_nothing(project: Project) -> None:
    assert list_archived(project).sessions == []
