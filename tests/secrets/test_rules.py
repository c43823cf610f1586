"""The explicit credential rules, and where in a text they match."""

from __future__ import annotations

from hestai_tmws.secrets.rules import RULES, rule_spans

KEY = "AKIA" + "QWERTYUIOPASDFGH"


def spans(text: str) -> list[tuple[int, int, str]]:
    return [span for rule in RULES for span in rule_spans(rule, text, text.lower())]


def test_every_rule_has_a_kind_and_lower_case_triggers() -> None:
    assert RULES
    for rule in RULES:
        assert rule.kind
        assert all(t == t.lower() for t in rule.triggers)


def test_an_aws_key_is_found_at_its_offset() -> None:
    text = f"key {KEY} here"
    found = spans(text)
    assert any(text[start:end] == KEY for start, end, _ in found)


def test_a_github_token_is_named_as_one() -> None:
    token = "ghp_" + "k3J9sLm2Qp8Rt5Vw1Xy4Za6Bc7De0Fg2Hi9Jk"
    kinds = {kind for start, end, kind in spans(f"use {token} now") if end - start >= len(token)}
    assert any("github" in kind for kind in kinds), kinds


def test_plain_prose_matches_nothing() -> None:
    assert spans("the quick brown fox jumps over the lazy dog") == []
