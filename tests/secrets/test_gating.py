"""Trigger gating: a rule is skipped on a text without its triggers only where that is
proven not to drop a match, and the scanner's answers on long texts do not change."""

from __future__ import annotations

import re
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hestai_tmws.secrets import scanner
from hestai_tmws.secrets.gating import CASE_ESCAPES, trigger_sound
from hestai_tmws.secrets.rule_checks import Rule
from hestai_tmws.secrets.rules import rule_spans
from tests.secrets.corpus import build_benign, build_secrets

RULES = scanner.ALL_RULES
SOUND = [rule for rule in RULES if trigger_sound(rule)]


def _has_trigger(rule: Rule, text: str) -> bool:
    lower = scanner._lower(text)
    return any(t in lower for t in rule.triggers)


def test_case_escapes_are_every_letter_a_non_ascii_character_matches() -> None:
    """Derived from every code point: which ASCII letters IGNORECASE also matches with a
    character outside ASCII (those cannot be relied on in a lower-cased text)."""
    others = "".join(chr(c) for c in range(128, sys.maxunicode + 1) if not 0xD800 <= c < 0xE000)
    escapes = {
        letter
        for letter in "abcdefghijklmnopqrstuvwxyz"
        if re.search(f"[{letter}]", others, re.IGNORECASE)
    }
    assert escapes == set(CASE_ESCAPES)


def test_every_current_rule_is_proven_sound() -> None:
    """A rule added with triggers its regex does not force fails here (fix its triggers)."""
    assert [r.kind for r in RULES if not trigger_sound(r)] == []


def _rule(pattern: str, *triggers: str, flags: int = 0, anchors: tuple[str, ...] = ()) -> Rule:
    return Rule("x", re.compile(pattern, flags), triggers=triggers, anchors=anchors)


@pytest.mark.parametrize(
    "rule",
    [
        _rule(r"(?:sshpass|mongosh?)\b -p \S+", "sshpass"),  # one alternative lacks it
        _rule(r"(?:sk-)?[a-z0-9]{20}", "sk-"),  # optional
        _rule(r"s[a-z]-[a-z]{20}", "sk-"),  # a class wider than the trigger
        _rule(r"[^x]k-[a-z]{20}", "sk-"),  # a negated class
        _rule(r"secret=\S+", "secret", flags=re.IGNORECASE),  # `ſecret` matches
        _rule(r"(?i:key)=\S+", "key"),  # `Key` (Kelvin sign) matches
        _rule(r"\d+(?=token)", "token"),  # the trigger is only looked at
        _rule(r"(?:tok)en", "token", anchors=("tok",)),  # an anchor without the trigger
        _rule(r"ab\w{20}", ""),  # no triggers at all
        _rule(r"(?:ab){0,2}c", "abab"),  # the repeat may be shorter
        _rule("é-[a-z]{9}", "é-"),  # a non-ASCII literal
    ],
    ids=lambda r: r.pattern.pattern,
)
def test_unproven_rules_keep_running(rule: Rule) -> None:
    assert not trigger_sound(rule)


@pytest.mark.parametrize(
    "rule",
    [
        _rule(r"(?:ab|cd)(?:ef|gh)\d", "be", "bg", "de", "dg"),  # across two alternations
        _rule(r"x(?:pat|dt)-[a-z]{3}", "pat-", "dt-"),
        _rule(r"do[opr]_v1_[a-f]{6}", "_v1_"),
        _rule(r"(?P<k>TOKEN)=\S+", "token"),
        _rule(r"\s(?:tok){2}\s", "toktok"),
        _rule(r"AUTH\S*", "auth", flags=re.IGNORECASE),
        _rule(r"(?:secret|passwd)=\S+", "secret", "passwd", anchors=("secret", "passwd")),
    ],
    ids=lambda r: r.pattern.pattern,
)
def test_forced_triggers_are_proven(rule: Rule) -> None:
    assert trigger_sound(rule)


@pytest.mark.parametrize("rule", SOUND, ids=lambda r: f"{r.kind}:{r.pattern.pattern[:30]}")
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_generated_matches_contain_a_trigger(rule: Rule, data: st.DataObject) -> None:
    text = data.draw(st.from_regex(rule.pattern))
    matched = (
        any(True for _ in rule_spans(rule, text, scanner._lower(text)))
        if rule.anchors
        else rule.pattern.search(text) is not None
    )
    if matched:
        assert _has_trigger(rule, text)


@pytest.mark.slow
def test_corpus_matches_contain_a_trigger() -> None:
    """Every match any proven rule finds in the secrets corpus (and its benign look-alikes)
    is in a text holding one of its triggers."""
    texts = [s.text for s in build_secrets()] + [t for _kind, t in build_benign()]
    for text in texts:
        lower = scanner._lower(text)
        for rule in SOUND:
            if rule.anchors:
                matched = any(True for _ in rule_spans(rule, text, lower))
            else:
                matched = rule.pattern.search(text) is not None
            if matched:
                assert _has_trigger(rule, text), (rule.kind, text[:80])


def _ungated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scanner, "_long_gated", lambda: (False,) * len(RULES))


def test_long_texts_give_the_same_findings_with_and_without_gating(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    samples = build_secrets()
    filler = "ordinary words, paths /src/app.py and numbers 12345 " * 400
    long_texts = [filler + s.text + filler for s in samples[::7]]
    long_texts.append("\n".join(s.text for s in samples))
    long_texts.append(filler * 2)
    assert all(len(t) > scanner._PRESENCE_CHECK_MAX for t in long_texts)
    gated = [sorted(scanner.raw_findings(t)) for t in long_texts]
    _ungated(monkeypatch)
    assert [sorted(scanner.raw_findings(t)) for t in long_texts] == gated
