"""The explicit credential rules (cloud keys, VCS tokens, JWTs, PEM, URLs, assignments, headers) and
where in a text they match."""

from __future__ import annotations

import re
from collections.abc import Iterable

from hestai_tmws.secrets.literals import LiteralHits, find_literals
from hestai_tmws.secrets.plausibility import reference_free
from hestai_tmws.secrets.rule_checks import (
    ALNUM,
    KEYWORD_ANCHORS,
    KEYWORD_ASSIGN,
    LETTERS,
    TOKEN_CHARS,
    UPPER_ALNUM,
    Rule,
    basic_ok,
    bearer_ok,
    group_ok,
    keyword_kind,
    keyword_ok,
    openai_ok,
    value_group,
)

_TOKEN_LEFT = TOKEN_CHARS
RULES: tuple[Rule, ...] = (
    Rule(
        "private_key",
        re.compile(
            r"-----BEGIN[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----.*?"
            r"(?:-----END[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|(?=\n\x00\n)|\Z)",
            re.DOTALL,
        ),
        triggers=("private key",),
    ),
    Rule(
        "private_key",
        re.compile(r"PuTTY-User-Key-File-\d.*?(?:Private-MAC: *\S+|(?=\n\x00\n)|\Z)", re.DOTALL),
        triggers=("putty-user-key-file",),
    ),
    Rule(
        "anthropic_key",
        re.compile(r"sk-ant-[A-Za-z0-9_-]{20,}"),
        triggers=("sk-ant-",),
        left=_TOKEN_LEFT,
    ),
    Rule(
        "openai_key",
        re.compile(r"sk-(?:proj-|svcacct-|admin-|None-)?[A-Za-z0-9_-]{20,}"),
        triggers=("sk-",),
        left=_TOKEN_LEFT,
        check=openai_ok,
    ),
    Rule(
        "github_token",
        re.compile(r"gh[pousr]_[A-Za-z0-9]{30,}"),
        triggers=("gh",),
        left=_TOKEN_LEFT,
    ),
    Rule(
        "github_token",
        re.compile(r"github_pat_[A-Za-z0-9_]{40,}"),
        triggers=("github_pat_",),
        left=ALNUM,
    ),
    Rule(
        "gitlab_token",
        re.compile(r"gl(?:pat|dt|ft|soat|rt|cbt|imt|ptt|oas)-[A-Za-z0-9_-]{20,}"),
        triggers=("gl",),
        left=_TOKEN_LEFT,
    ),
    Rule(
        "slack_webhook",
        re.compile(r"https://hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9/_-]+"),
        triggers=("hooks.slack.com",),
    ),
    Rule(
        "slack_token",
        re.compile(r"xox[abposre]-[A-Za-z0-9-]{10,}"),
        triggers=("xox",),
        left=_TOKEN_LEFT,
    ),
    Rule(
        "slack_token",
        re.compile(r"xapp-\d-[A-Za-z0-9-]{10,}"),
        triggers=("xapp-",),
        left=_TOKEN_LEFT,
    ),
    Rule(
        "google_api_key",
        re.compile(r"AIza[0-9A-Za-z_-]{35}"),
        triggers=("aiza",),
        left=_TOKEN_LEFT,
    ),
    Rule(
        "google_oauth",
        re.compile(r"GOCSPX-[A-Za-z0-9_-]{20,}"),
        triggers=("gocspx-",),
        left=_TOKEN_LEFT,
    ),
    Rule(
        "google_oauth",
        re.compile(r"ya29\.[0-9A-Za-z_-]{20,}"),
        triggers=("ya29.",),
        left=_TOKEN_LEFT,
    ),
    Rule(
        "aws_access_key_id",
        re.compile(r"A(?:KIA|SIA|BIA|CCA|3T[A-Z0-9])[A-Z0-9]{16}(?![A-Z0-9])"),
        triggers=("akia", "asia", "abia", "acca", "a3t"),
        left=UPPER_ALNUM,
    ),
    Rule(
        "aws_secret_key",
        re.compile(
            r"(?:aws.{0,20}?(?:secret|key)|secret_?access_?key)[A-Za-z0-9_.-]*\\?[\"'`]?\]?"
            r"\s*(?::=|=>|=|:)\s*\\?[\"'`]?(?P<v>[A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])",
            re.IGNORECASE,
        ),
        group="v",
        triggers=("aws", "secret"),
        anchors=("aws", "secret"),
    ),
    Rule(
        "stripe_key",
        re.compile(r"sk_(?:live|test)_[A-Za-z0-9]{16,}"),
        triggers=("k_live_", "k_test_"),
        left=_TOKEN_LEFT,
    ),
    Rule(
        "stripe_key",
        re.compile(r"rk_(?:live|test)_[A-Za-z0-9]{16,}"),
        triggers=("k_live_", "k_test_"),
        left=_TOKEN_LEFT,
    ),
    Rule(
        "stripe_key",
        re.compile(r"whsec_[A-Za-z0-9]{24,}"),
        triggers=("whsec_",),
        left=_TOKEN_LEFT,
    ),
    Rule(
        "jwt",
        re.compile(r"eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*"),
        triggers=("eyj",),
        left=_TOKEN_LEFT,
    ),
    Rule("npm_token", re.compile(r"npm_[A-Za-z0-9]{36,}"), triggers=("npm_",), left=_TOKEN_LEFT),
    Rule(
        "twilio_key",
        re.compile(r"AC[0-9a-f]{32}(?![A-Za-z0-9])"),
        triggers=("ac",),
        left=ALNUM,
    ),
    Rule(
        "twilio_key",
        re.compile(r"SK[0-9a-fA-F]{32}(?![A-Za-z0-9])"),
        triggers=("sk",),
        left=ALNUM,
    ),
    Rule(
        "sendgrid_key",
        re.compile(r"SG\.[A-Za-z0-9_-]{16,32}\.[A-Za-z0-9_-]{16,64}"),
        triggers=("sg.",),
        left=_TOKEN_LEFT,
    ),
    Rule(
        "huggingface_token",
        re.compile(r"hf_[A-Za-z0-9]{30,}"),
        triggers=("hf_",),
        left=ALNUM,
    ),
    Rule(
        "huggingface_token",
        re.compile(r"api_org_[A-Za-z0-9]{30,}"),
        triggers=("api_org_",),
        left=ALNUM,
    ),
    Rule(
        "pypi_token",
        re.compile(r"pypi-AgE[A-Za-z0-9_-]{50,}"),
        triggers=("pypi-",),
        left=_TOKEN_LEFT,
    ),
    Rule(
        "digitalocean_token",
        re.compile(r"do[opr]_v1_[a-f0-9]{64}"),
        triggers=("_v1_",),
        left=_TOKEN_LEFT,
    ),
    Rule(
        "shopify_token",
        re.compile(r"shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}"),
        triggers=("shp",),
        left=_TOKEN_LEFT,
    ),
    Rule(
        "url_password",
        re.compile(r"://[^\s/:@'\"]+:(?P<v>[^\s/@'\"]+)@"),
        group="v",
        triggers=("://",),
        check=group_ok("v", reference_free),
    ),
    Rule(
        "auth_header",
        re.compile(
            r"authorization\\?[\"']?\]?\s*[:=]\s*\\?[\"']?"
            r"(?:(?:bearer|basic|token|digest|bot|apikey|sso-key)\s+)?"
            r"(?P<v>[A-Za-z0-9._~+/=:-]{6,})",
            re.IGNORECASE,
        ),
        group="v",
        triggers=("authorization",),
        anchors=("authorization",),
        check=group_ok("v", reference_free),
    ),
    Rule(
        "bearer_token",
        re.compile(r"[Bb]earer\s+(?P<v>[A-Za-z0-9._~+/-]{16,}=*)"),
        group="v",
        triggers=("bearer",),
        anchors=("bearer",),
        left=LETTERS,
        check=group_ok("v", bearer_ok),
    ),
    Rule(
        "basic_auth",
        re.compile(r"Basic\s+(?P<v>[A-Za-z0-9+/]{12,}={0,2})"),
        group="v",
        triggers=("basic",),
        left=LETTERS,
        check=group_ok("v", basic_ok),
    ),
    Rule(
        "cli_secret",
        re.compile(
            r"--?(?:password|passwd|pass|token|secret|api-?key|auth-token|access-token)"
            r"(?:=|[ \t]+)(?:\"(?P<dq>[^\"\n]+)\"|'(?P<sq>[^'\n]+)'|"
            r"(?P<bare>(?!--?[A-Za-z][A-Za-z-]*(?:\s|=|$))[^\s\"']+))",
            re.IGNORECASE,
        ),
        group="value",
        triggers=("-pass", "-token", "-secret", "-api", "-auth", "-access"),
        left=frozenset(ALNUM | {"-"}),
        anchors=("-pass", "-token", "-secret", "-api", "-auth-", "-access-"),
        back=1,
    ),
    Rule(
        "password",
        re.compile(r"mysql(?:dump|admin)?\b[^\n]*?\s-p(?P<v>[^\s-]\S*)"),
        group="v",
        triggers=("mysql",),
        left=LETTERS,
        check=group_ok("v", reference_free),
    ),
    Rule(
        "password",
        re.compile(r"curl\b[^\n]*?\s(?:-u|--user)[ \t]+[\"']?[^\s:\"']+:(?P<v>[^\s\"']+)"),
        group="v",
        triggers=("curl",),
        left=LETTERS,
        check=group_ok("v", reference_free),
    ),
    Rule(
        "keyword",
        KEYWORD_ASSIGN,
        group="value",
        triggers=("pass", "pwd", "secret", "token", "key", "cred", "auth"),
        anchors=KEYWORD_ANCHORS,
        check=keyword_ok,
    ),
)


def rule_spans(
    rule: Rule, text: str, lower: str, where: LiteralHits | None = None
) -> Iterable[tuple[int, int, str]]:
    """(start, end, kind) of every accepted match of `rule` in `text`; `where` holds where
    the anchors occur in `lower` (looked up here when not given)."""
    if not rule.anchors:
        for m in rule.pattern.finditer(text):
            span = _rule_span(rule, m)
            if span is not None:
                yield span
        return
    if where is None:
        where = find_literals(lower, rule.anchors)
    last_end = -1
    for pos in where.positions(rule.anchors):
        for start in range(max(0, pos - rule.back), pos + 1):
            if start < last_end or (rule.left and start and text[start - 1] in rule.left):
                continue  # inside an accepted match, or not at a left boundary
            found = rule.pattern.match(text, start)
            span = None if found is None else _rule_span(rule, found)
            if found is not None and span is not None:
                # Only an accepted match hides later anchors inside it: a rejected
                # `AUTH_TOKEN=` at `AUTH` must still be tried at `TOKEN`.
                last_end = found.end()
                yield span
                break


def _rule_span(rule: Rule, m: re.Match[str]) -> tuple[int, int, str] | None:
    start = m.start()
    if rule.left and start and m.string[start - 1] in rule.left:
        return None
    if rule.check is not None and not rule.check(m):
        return None
    kind = rule.kind if rule.namer is None else rule.namer(m)
    if rule.group == "value":
        name = value_group(m)
        if rule.kind == "keyword":
            kind = keyword_kind(m)
        elif not reference_free(m.group(name)):
            return None
        start, end = m.span(name)
    else:
        start, end = m.span(rule.group)
    if end <= start:
        return None
    return start, end, kind
