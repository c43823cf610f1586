"""Vendor prefixes: a prefix plus a machine-made body is a token; a prefix plus words is not."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from hestai_tmws.secrets.prefixes import PREFIX_RULE, PREFIXES
from hestai_tmws.secrets.redaction import redact
from hestai_tmws.secrets.rules import rule_spans

_BODY = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


def spans(text: str) -> list[tuple[int, int, str]]:
    return list(rule_spans(PREFIX_RULE, text, text.lower()))


@settings(max_examples=200, deadline=None)
@given(prefix=st.sampled_from(sorted(PREFIXES)), seed=st.integers(0, 10**6), n=st.integers(20, 60))
def test_every_prefix_with_a_generated_body_is_redacted(prefix: str, seed: int, n: int) -> None:
    rng = random.Random(seed)
    body = "".join(rng.choice(_BODY) for _ in range(n - 1)) + rng.choice("0123456789")
    token = prefix + body
    out = redact(f"use {token} now")
    assert body[:12] not in out and out.startswith("use [REDACTED:")


def test_kind_names_the_vendor() -> None:
    text = "x glsa_" + "a1B2" * 8 + "_deadbeef y"
    [(start, end, kind)] = spans(text)
    assert kind == "grafana_token" and (start, end) == (2, len(text) - 2)


def test_words_after_a_prefix_and_glued_prefixes_are_not_tokens() -> None:
    assert spans("secret_sauce_recipe_for_the_whole_team") == []
    assert spans("pul-request-handler-for-everything") == []
    assert spans("the store_re_" + "a1" * 10) == []  # `re_` inside a word is no prefix
