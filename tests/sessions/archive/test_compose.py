"""The whole pipeline: smaller until it fits, or an error that writes nothing."""

from __future__ import annotations

import pytest

from hestai_tmws.errors import ValidationError
from hestai_tmws.sessions.archive.compose import compose_archive
from tests.sessions.test_archive import call, inputs, transcript


def test_a_small_session_fits_at_level_zero() -> None:
    composed = compose_archive(inputs(transcript([call(0)])))
    assert composed.level == 0 and composed.data.meta.tool_call_count == 1


def test_a_failing_redactor_fails_closed() -> None:
    def broken(data: object) -> object:
        raise RuntimeError("x")

    with pytest.raises(ValidationError, match="redaction failed"):
        compose_archive(inputs(transcript([call(0)])), redactor=broken)  # type: ignore[arg-type]
