"""Redaction of an archive's inputs and content."""

from __future__ import annotations

from hestai_tmws.sessions.archive.build import build_archive
from hestai_tmws.sessions.archive.redact import redact_archive, redact_inputs
from tests.sessions.test_archive import call, inputs, session, transcript

KEY = "AKIA" + "QWERTYUIOPASDFGH"


def test_inputs_lose_their_secrets_before_shortening() -> None:
    raw = inputs(transcript([call(0, digest=f"export AWS_KEY={KEY}")]), summary=f"key {KEY}")
    clean = redact_inputs(raw)
    assert clean.transcript is not None
    assert KEY not in clean.transcript.tool_calls[0].input_digest
    assert clean.summary is not None and KEY not in clean.summary


def test_archive_content_is_redacted_and_ids_stay() -> None:
    data = build_archive(inputs(None, session=session(focus=f"leak {KEY}")))
    clean = redact_archive(data)
    assert KEY not in clean.meta.focus
    assert clean.meta.session_id == data.meta.session_id
