"""An archive's file name and its index line."""

from __future__ import annotations

from hestai_tmws.sessions.archive.build import build_archive
from hestai_tmws.sessions.archive.index import archive_rel, index_record
from tests.sessions.test_archive import inputs, session


def test_the_name_uses_the_given_redacted_focus() -> None:
    assert archive_rel(session(), "other focus").endswith("-other-focus-a1b2c3d4.oct.md")


def test_the_index_line_comes_from_the_archive_alone() -> None:
    data = build_archive(inputs(None, learnings=["retry with backoff"]))
    record = index_record(data, "sessions/archive/x.oct.md")
    assert record["id"] == "a1b2c3d4e5f6" and record["learnings"] == ["retry with backoff"]
    assert record["ended"].endswith("Z") and record["tool_calls"] == 0
