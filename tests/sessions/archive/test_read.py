"""Reading an archive back: round trip, and refusal of torn or foreign files."""

from __future__ import annotations

import pytest

from hestai_tmws.errors import ValidationError
from hestai_tmws.sessions.archive.compose import compose_archive
from hestai_tmws.sessions.archive.read import read_archive
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
