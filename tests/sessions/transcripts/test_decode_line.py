"""`decode_line` is `json.loads` of one JSONL line: same value, malformed exactly when it is."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hestai_tmws.sessions.transcripts.claude_code import decode_line

_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


def _loads(raw: bytes) -> tuple[str, Any]:
    try:
        return "ok", json.loads(raw)
    except (ValueError, RecursionError):
        return "malformed", None


def _decoded(raw: bytes) -> tuple[str, Any]:
    try:
        return "ok", decode_line(raw)
    except (ValueError, RecursionError):
        return "malformed", None


@given(st.dictionaries(st.text(), _json, max_size=5), st.sampled_from(["\n", "", " \r\n", "\t"]))
def test_objects_as_json_loads_reads_them(obj: dict[str, Any], end: str) -> None:
    for ascii_only in (True, False):
        raw = (json.dumps(obj, ensure_ascii=ascii_only) + end).encode("utf-8")
        assert _decoded(raw) == _loads(raw)


@given(st.binary(max_size=40))
def test_any_bytes_as_json_loads(raw: bytes) -> None:
    assert _decoded(raw) == _loads(raw)


@given(st.binary(max_size=30))
def test_any_bytes_after_a_brace(tail: bytes) -> None:
    raw = b"{" + tail
    assert _decoded(raw) == _loads(raw)


@pytest.mark.parametrize(
    "raw",
    [
        b'{"a": 1}\n',
        b'{"a": 1} x\n',  # extra data
        b'{"a": 1}{"b": 2}\n',
        b'{"a": 1}\n\n',
        b'{"a": "\xff"}\n',  # not UTF-8
        b'{"a": "\xed\xa0\x80"}\n',  # a lone surrogate: surrogatepass, like json.loads
        b'{"a": NaN, "b": -Infinity}\n',
        b"{\x00",  # NUL second byte: json.loads reads it as UTF-16
        '{"a": 1}'.encode("utf-16-le"),
        b'\xef\xbb\xbf{"a": 1}\n',  # BOM
        b"  {}\n",
        b"{",
        b"[1, 2]\n",
        b"{" * 100_000,  # recursion
        b'{"a": "' + b"x" * 50_000 + b'"}',
    ],
)
def test_edge_lines(raw: bytes) -> None:
    assert _decoded(raw) == _loads(raw)
