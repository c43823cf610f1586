"""The whole pipeline: smaller until it fits, or an error that writes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from hestai_tmws.errors import ValidationError
from hestai_tmws.sessions.archive.compose import compose_archive, read_back
from hestai_tmws.sessions.archive.read import read_archive
from hestai_tmws.sessions.transcripts import read_transcript
from tests.sessions.test_archive import call, inputs, transcript


def test_a_small_session_fits_at_level_zero() -> None:
    composed = compose_archive(inputs(transcript([call(0)])))
    assert composed.level == 0 and composed.data.meta.tool_call_count == 1


def test_a_failing_redactor_fails_closed() -> None:
    def broken(data: object) -> object:
        raise RuntimeError("x")

    with pytest.raises(ValidationError, match="redaction failed"):
        compose_archive(inputs(transcript([call(0)])), redactor=broken)  # type: ignore[arg-type]


def test_read_back_of_the_rendered_text_is_its_reading() -> None:
    composed = compose_archive(inputs(transcript([call(0), call(1, ok=False)]), summary="s"))
    assert composed.rendered
    known = read_back(composed.text, composed)
    assert known == read_archive(composed.text)
    assert known.model_dump_json() == read_archive(composed.text).model_dump_json()


def test_read_back_parses_any_other_text() -> None:
    """A file that differs by one byte from what was rendered is parsed as it is."""
    composed = compose_archive(inputs(transcript([call(0)]), summary="first"))
    other = compose_archive(inputs(transcript([call(0), call(1)]), summary="second"))
    assert read_back(other.text, composed) == read_archive(other.text)
    torn = composed.text[: len(composed.text) // 2]
    with pytest.raises(ValidationError):
        read_back(torn, composed)
    widened = composed.model_copy(update={"rendered": False})
    assert read_back(composed.text, widened) == read_archive(composed.text)


_CORPUS = Path("/work/shared/corpus/claude-code")


@pytest.mark.slow
@pytest.mark.skipif(not _CORPUS.is_dir(), reason="the real Claude Code corpus is not here")
def test_read_back_equals_the_parse_on_real_sessions() -> None:
    for path in sorted(_CORPUS.glob("*-*-*-*-*.jsonl")):
        composed = compose_archive(inputs(read_transcript(path), summary=path.stem))
        parsed = read_archive(composed.text)
        known = read_back(composed.text, composed)
        assert known == parsed and known.model_dump_json() == parsed.model_dump_json()
