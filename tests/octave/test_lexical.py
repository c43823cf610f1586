"""The lexical rules emitter and reader share: quoting, keys, bare words, tagged strings."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hestai_tmws.octave import OctaveError
from hestai_tmws.octave.lexical import (
    decode_string,
    encode_str,
    has_internal_vs,
    is_bare_safe,
    quote,
    unescape,
    validate_key,
)


@given(st.text())
def test_unescape_undoes_quote(text: str) -> None:
    quoted = quote(text)
    assert quoted.startswith('"') and quoted.endswith('"')
    assert "\n" not in quoted and "\t" not in quoted
    assert unescape(quoted[1:-1]) == text


@given(st.text())
def test_every_str_token_decodes_to_the_same_str(text: str) -> None:
    token = encode_str(text)
    body = token[1:-1] if token.startswith('"') else token
    value = decode_string(unescape(body)) if token.startswith('"') else token
    assert value == text


@pytest.mark.parametrize("key", ["A", "_x", "src.main", "a-b", "KEY_1"])
def test_identifier_keys_are_accepted(key: str) -> None:
    assert validate_key(key) == key


@pytest.mark.parametrize("key", ["", "1a", "a-", "true", "NULL", "advsb", "a b", 3])
def test_other_keys_are_refused_with_the_rule(key: object) -> None:
    with pytest.raises(OctaveError, match="invalid key") as info:
        validate_key(key)
    assert info.value.hint and "keys must match" in info.value.hint


def test_internal_vs_is_only_inside_a_word() -> None:
    assert has_internal_vs("advsb")
    assert not has_internal_vs("vsync") and not has_internal_vs("envs")
    assert is_bare_safe("vsync") and not is_bare_safe("advsb") and not is_bare_safe("True")
