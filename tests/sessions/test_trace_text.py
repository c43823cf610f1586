"""The text side of traces: quick redaction, clipping, argument digests."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from hestai_tmws.sessions.trace_text import canonical_json, clip_line, digest_args, quick_redact


@given(st.text(), st.integers(min_value=1, max_value=200))
def test_clip_line_is_one_line_within_the_limit(text: str, limit: int) -> None:
    out = clip_line(text, limit)
    assert len(out) <= limit and "\n" not in out


def test_quick_redact_masks_keys_and_assignments() -> None:
    key = "AKIA" + "QWERTYUIOPASDFGH"
    assert key not in quick_redact(f"aws {key}")
    assert "hunter2" not in quick_redact("password=hunter2")


def test_digests_ignore_key_order_and_hide_secrets() -> None:
    assert canonical_json({"b": 1, "a": 2}) == '{"a":2,"b":1}'
    assert digest_args({"a": 1, "b": 2}) == digest_args({"b": 2, "a": 1})
    # a secret-named key's value is redacted whole before hashing: it cannot be recovered
    assert digest_args({"password": "hunter2x"}) == digest_args({"password": "other-pw"})
