"""Building a submitted document: OCTAVE checked or text wrapped, META filled, secrets redacted."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from hestai_tmws.errors import UsageError, ValidationError
from hestai_tmws.memory.document_build import build_document, looks_like_octave, redact_document
from hestai_tmws.octave import Literal

NOW = datetime(2026, 1, 2, tzinfo=UTC)


def test_octave_is_recognised_by_its_first_line() -> None:
    assert looks_like_octave("\ufeff\n===DECISION===\n")
    assert not looks_like_octave("# a heading\n===DECISION===\n")


def test_text_is_wrapped_verbatim_with_provenance_meta() -> None:
    doc, fmt = build_document(
        "line one\r\nline two",
        kind="report",
        envelope="REPORT",
        title="A title",
        session=None,
        now=NOW,
    )
    assert fmt == "text" and doc.name == "REPORT"
    assert list(doc.meta)[:3] == ["TYPE", "TITLE", "DATE"] and doc.meta["DATE"] == "2026-01-02"
    assert doc.sections[0].body["TEXT"] == Literal(text="line one\nline two", lang="markdown")


def test_octave_with_another_envelope_or_no_title_is_refused() -> None:
    with pytest.raises(ValidationError, match="envelope"):
        build_document(
            "===REPORT===\n===END===\n",
            kind="decision",
            envelope="DECISION",
            title="t",
            session=None,
            now=NOW,
        )
    with pytest.raises(UsageError, match="needs a title"):
        build_document(
            "text", kind="decision", envelope="DECISION", title=None, session=None, now=NOW
        )


def test_redaction_counts_what_it_replaced() -> None:
    doc, _ = build_document(
        "text", kind="report", envelope="REPORT", title="t", session=None, now=NOW
    )
    doc.sections[0].body["API_KEY"] = "sk-live-abcdefghijklmnopqrstuvwx"
    count, kinds = redact_document(doc)
    assert count >= 1 and kinds
    assert "sk-live-abcdefghijklmnopqrstuvwx" not in str(doc.sections[0].body)
