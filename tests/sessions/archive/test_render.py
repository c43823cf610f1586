"""The archive as OCTAVE: fixed sections, zero-padded call keys."""

from __future__ import annotations

from hestai_tmws.sessions.archive.build import build_archive
from hestai_tmws.sessions.archive.render import render_archive, to_document
from tests.sessions.test_archive import call, inputs, transcript


def test_sections_are_numbered_in_a_fixed_order() -> None:
    doc = to_document(build_archive(inputs(transcript([call(0)]))))
    assert [s.name for s in doc.sections][:3] == ["SUMMARY", "TOOL_CALLS", "FILES"]
    assert doc.meta["TYPE"] == "SESSION_ARCHIVE"


def test_call_keys_widen_with_the_count() -> None:
    text = render_archive(build_archive(inputs(transcript([call(i) for i in range(1000)]))))
    assert "C0001:" in text and "C1000:" in text
