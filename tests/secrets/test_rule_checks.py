"""The checks that confirm a credential rule's match."""

from __future__ import annotations

import re

from hestai_tmws.secrets.rule_checks import (
    KEYWORD_ASSIGN,
    Rule,
    basic_ok,
    bearer_ok,
    group_ok,
    keyword_kind,
    keyword_ok,
    openai_ok,
)


def test_group_ok_tests_the_named_group() -> None:
    check = group_ok("v", lambda value: value.isdigit())
    pattern = re.compile(r"x=(?P<v>\w+)")
    assert check(pattern.match("x=123")) is True  # type: ignore[arg-type]
    assert check(pattern.match("x=abc")) is False  # type: ignore[arg-type]


def test_openai_ok_refuses_word_only_bodies_and_anthropic_keys() -> None:
    pattern = re.compile(r"sk-[A-Za-z0-9-]+")
    assert openai_ok(pattern.match("sk-proj1A2b3C4d5E6f7G8h"))  # type: ignore[arg-type]
    assert not openai_ok(pattern.match("sk-just-words"))  # type: ignore[arg-type]
    assert not openai_ok(pattern.match("sk-ant-api03abc123"))  # type: ignore[arg-type]


def test_auth_header_values() -> None:
    assert bearer_ok("k3J9sLm2Qp8Rt5Vw1Xy4")
    assert not bearer_ok("$TOKEN")
    assert basic_ok("dXNlcjpodW50ZXIy")


def test_keyword_assignment_kind_and_check() -> None:
    m = KEYWORD_ASSIGN.search('password = "hunter2!x"')
    assert m is not None and keyword_ok(m) and keyword_kind(m) == "password"
    m = KEYWORD_ASSIGN.search("api_key=k3J9sLm2Qp8Rt5Vw1Xy4")
    assert m is not None and keyword_kind(m) == "api_key"


def test_a_rule_defaults_to_the_whole_match() -> None:
    rule = Rule("x", re.compile("x"))
    assert rule.group == 0 and rule.check is None and rule.triggers == ()
