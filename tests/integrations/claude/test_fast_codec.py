"""The fast path's JSON and sha256 are the standard library's, byte for byte."""

from __future__ import annotations

import hashlib
import json
import math
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hestai_tmws.integrations.claude import fast_codec
from hestai_tmws.sessions.trace_text import canonical_json

_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text()
    | st.sampled_from(["é", "\u2028", "\x00", "\ud800", "✓", '"\\'])
)
values = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@given(values)
def test_dumps_and_canonical_are_the_json_modules(value: Any) -> None:
    assert fast_codec.dumps(value) == json.dumps(value, ensure_ascii=False)
    assert fast_codec.canonical(value) == canonical_json(value)


@given(values, st.sampled_from(["", " ", "\n\t\r ", "  \n"]))
def test_loads_reads_what_json_reads(value: Any, space: str) -> None:
    text = space + json.dumps(value) + space
    assert json.dumps(fast_codec.loads(text)) == json.dumps(json.loads(text))


@given(st.text(max_size=40) | st.sampled_from(["{", "[1,]", "{} {}", "\ufeff{}", "NaN", "-", ""]))
def test_loads_refuses_what_json_refuses(text: str) -> None:
    try:
        expected: Any = json.loads(text)
    except ValueError:
        with pytest.raises(ValueError):
            fast_codec.loads(text)
        return
    got = fast_codec.loads(text)
    if isinstance(expected, float) and math.isnan(expected):
        assert math.isnan(got)
    else:
        assert got == expected and type(got) is type(expected)


def test_constants_and_unknown_types_behave_as_in_json() -> None:
    assert fast_codec.loads("[Infinity, -Infinity]") == [math.inf, -math.inf]
    assert fast_codec.dumps([math.inf, 1.5, 10**30]) == json.dumps([math.inf, 1.5, 10**30])
    with pytest.raises(TypeError, match="not JSON serializable"):
        fast_codec.dumps({"a": {1, 2}})
    assert fast_codec.canonical({"b": {1}, "a": 1}) == canonical_json({"b": {1}, "a": 1})


@given(st.binary(max_size=200))
def test_sha256_is_hashlibs(data: bytes) -> None:
    assert fast_codec.sha256(data).hexdigest() == hashlib.sha256(data).hexdigest()
