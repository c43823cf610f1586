"""What every detector reports and how a removed value is marked."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from hestai_tmws.errors import TmwsError
from hestai_tmws.secrets.model import BATCH_SEP, MARKER_PREFIX, Finding, RedactionError, marker


@given(st.from_regex(r"[a-z0-9_]{1,20}", fullmatch=True))
def test_a_marker_names_its_kind_and_starts_with_the_prefix(kind: str) -> None:
    assert marker(kind) == f"[REDACTED:{kind}]"
    assert marker(kind).startswith(MARKER_PREFIX)


def test_redaction_error_is_a_tmws_error() -> None:
    assert issubclass(RedactionError, TmwsError)


def test_a_finding_keeps_the_span_not_the_value() -> None:
    found = Finding("aws_access_key", 3, 23, "pattern")
    assert (found.start, found.end, found.kind) == (3, 23, "aws_access_key")
    assert not hasattr(found, "value")


def test_the_batch_separator_breaks_lines() -> None:
    assert "\n" in BATCH_SEP and "\x00" in BATCH_SEP
