"""Secret redaction for everything that leaves a transcript: fails closed.

Two detector families run over the same text and their hits are merged:

* explicit patterns for current credential formats (cloud keys, VCS tokens, JWTs, PEM
  blocks, credentials in URLs, `password=` style assignments, auth headers, ...), and
* the plugins of `detect-secrets`, run in-process on the lines that a cheap literal gate
  marks as candidates (running every plugin on every line costs seconds per megabyte).

High-entropy detection is deliberately conservative (≥ 32 characters, assignment or quote
context, mixed letters and digits, never pure hex) so that paths, git SHAs, UUIDs and
archive digests survive. Every hit becomes `[REDACTED:<kind>]`.

Failing closed: `redact` either returns fully redacted text or raises `RedactionError`
(any internal failure is converted to it); it never returns partially redacted text.
It re-scans its own output and raises if anything secret-like is still there.
`assert_clean` is the final check that callers run before anything is written.
"""

from __future__ import annotations

import functools
import itertools
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, TypeVar

from hestai_tmws.errors import TmwsError

__all__ = [
    "Finding",
    "RedactionError",
    "assert_clean",
    "is_clean",
    "marker",
    "redact",
    "redact_many",
    "redact_obj",
    "scan",
    "sensitive_key",
]

_MAX_PASSES = 3
_DS_WINDOW = 4_096  # characters either side of a gate hit that a detect-secrets plugin sees
_BATCH_SEP = "\n\x00\n"  # no detector matches across it (see the PEM rule's look-ahead)
_BATCH_CHARS = 1 << 20


class RedactionError(TmwsError):
    """Redaction failed or secret-like content survived it: nothing may be written."""


@dataclass(frozen=True)
class Finding:
    """A secret-like span of a text (the value itself is never kept)."""

    kind: str
    start: int
    end: int
    detector: str  # "pattern" | "detect-secrets" | "entropy"


def marker(kind: str) -> str:
    return f"[REDACTED:{kind}]"


_MARKER_PREFIX = "[REDACTED"

# --------------------------------------------------------------------------------------
# Value checks shared by the context rules
# --------------------------------------------------------------------------------------
_PLACEHOLDERS = frozenset(
    {
        "null",
        "none",
        "nil",
        "true",
        "false",
        "undefined",
        "required",
        "optional",
        "string",
        "str",
        "bool",
        "int",
        "number",
        "yes",
        "no",
        "empty",
        "redacted",
        "secret",
        "password",
        "token",
        "example",
        "placeholder",
        "value",
        "env",
    }
)
_REFERENCE = re.compile(
    r"^(?:\$|%\(|%[sd]$|\{\{|<[^>]*>$|\*+$|\.{3}|…)|process\.env|os\.environ|getenv|ENV\["
)
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")
_TRAILING_ESCAPES = re.compile(r"(?:\\[nrt\\\"'])+\Z")  # `false\n"` inside a string literal
_DOTTED = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+")
_SUBSCRIPT = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*[\[(].*")
_PATHLIKE = re.compile(r"(?:~|\.{0,2})/[^/\s]+/\S*")
_AUTH_SCHEMES = frozenset({"bearer", "basic", "token", "digest", "bot", "apikey", "sso-key"})
_ASSIGN_OPS = frozenset({"=", ":=", "=>", "=="})


def _is_reference(value: str) -> bool:
    return bool(_REFERENCE.search(value)) or value.startswith(_MARKER_PREFIX)


def _has_digit(value: str) -> bool:
    return any(c.isdigit() for c in value)


def _has_symbol(value: str) -> bool:
    return any(not c.isalnum() and c not in "_.-" for c in value)


def _char_classes(value: str) -> int:
    lower = any(c.islower() for c in value)
    upper = any(c.isupper() for c in value)
    return lower + upper + _has_digit(value) + _has_symbol(value)


def _plausible_value(value: str, *, quoted: bool, op: str, spaced: bool, keyword: str) -> bool:
    """Whether the value of a `keyword <op> value` assignment looks like a real secret.

    Passwords may be anything; tokens, keys and secrets are machine-made, so for those
    a short or single-class value (`token = "tool"`) is a name, not a credential.
    """
    value = _TRAILING_ESCAPES.sub("", value.strip())
    if len(value) < 3 or _is_reference(value) or "(" in value:
        return False
    if value.lower() in _PLACEHOLDERS or len(set(value)) <= 2:
        return False
    if _PATHLIKE.fullmatch(value) or _SUBSCRIPT.fullmatch(value):
        return False  # a path, `pattern.tokens[i]`, `dict[str`
    if not quoted and value[0] in "{[":
        return False  # an object or array literal
    code_style = spaced or op not in _ASSIGN_OPS
    if code_style and _DOTTED.fullmatch(value) and not _has_digit(value):
        return False  # `password = user.password`
    passwordish = keyword.startswith(("pass", "pwd"))
    if value.isdigit() and not passwordish:
        return False  # `max_token=4096`
    if not passwordish and not (
        len(value) >= 16 or (len(value) >= 8 and _char_classes(value) >= 2)
    ):
        return False
    if quoted:
        return True
    if op in _ASSIGN_OPS:
        if not spaced:
            return True  # env / query-string style: KEY=value
        # code: `password = new_password` names a variable, not a value
        return not (_IDENTIFIER.fullmatch(value) and not _has_digit(value))
    # `key: value` (YAML, headers, prose, object literals): demand something secret-looking
    return len(value) >= 6 and (_has_digit(value) or _has_symbol(value))


def _reference_free(value: str) -> bool:
    return not _is_reference(value) and len(set(value)) > 2 and value.lower() not in _AUTH_SCHEMES


# --------------------------------------------------------------------------------------
# Explicit patterns
# --------------------------------------------------------------------------------------
_TOKEN_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
_ALNUM = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
_UPPER_ALNUM = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")

Check = Callable[[re.Match[str]], bool]


@dataclass(frozen=True)
class _Rule:
    """One credential shape.

    `pattern` starts with a literal wherever possible (a leading look-behind makes Python's
    regex engine test every position: ~20x slower), so left boundaries live in `left`:
    the match is dropped when the character before it is in that set. Rules whose pattern
    cannot start with a case-sensitive literal give `anchors`: lower-case literals found in
    the lower-cased text, where `pattern.match` is then tried (also `back` characters
    earlier, for patterns that start just before their anchor).
    """

    kind: str
    pattern: re.Pattern[str]
    group: int | str = 0
    triggers: tuple[str, ...] = ()  # lower-case literals; the rule runs only if one is present
    left: frozenset[str] = frozenset()
    anchors: tuple[str, ...] = ()
    back: int = 0
    check: Check | None = None


def _group_ok(group: str, test: Callable[[str], bool]) -> Check:
    def check(m: re.Match[str]) -> bool:
        return test(m.group(group))

    return check


def _openai_ok(m: re.Match[str]) -> bool:
    body = m.group(0)[3:]
    return not body.startswith("ant-") and not re.fullmatch(r"[a-z-]+", body)


def _bearer_ok(value: str) -> bool:
    return _has_digit(value) and _reference_free(value)


def _basic_ok(value: str) -> bool:
    return _has_digit(value) or value.endswith("=")


# -- `password=...`, `"api_key": "..."`, `export GITHUB_TOKEN=...` ---------------------------
_KEY_PREFIX = re.compile(
    r"(?:api|access|auth|private|secret|client|encryption|master|signing|account|service|"
    r"storage|db|database)[_-]?\Z",
    re.IGNORECASE,
)
_KEYWORD_ASSIGN = re.compile(
    r"(?P<kw>pass(?:w(?:or)?d|phrase)?|pwd|secret|token|key|credentials?|auth)"
    r"(?P<suffix>[_.-][A-Za-z0-9_.-]*)?(?![A-Za-z0-9])"
    r"\\?[\"'`]?\]?(?P<pre>[ \t]*)(?P<op>:=|=>|==|=|:)(?P<post>[ \t]*)"
    r"(?:\\\"(?P<edq>(?:[^\"\\\n]|\\[^\"\n])*)\\\""
    r"|\"(?P<dq>[^\"\n]*)\"|'(?P<sq>[^'\n]*)'|`(?P<bq>[^`\n]*)`"
    r"|(?P<bare>(?:[^\s\"'`,;)}\]<>&]|&(?![A-Za-z_][A-Za-z0-9_]*=))+))",
    re.IGNORECASE,
)
_KEYWORD_ANCHORS = ("pass", "pwd", "secret", "token", "key", "cred", "auth")
_VALUE_GROUPS = ("edq", "dq", "sq", "bq", "bare")


def _value_group(m: re.Match[str]) -> str:
    for name in _VALUE_GROUPS:
        if name in m.re.groupindex and m.group(name) is not None:
            return name
    raise RedactionError("internal: a value rule matched without a value")


def _keyword_ok(m: re.Match[str]) -> bool:
    kw = m.group("kw").lower()
    text, start = m.string, m.start()
    before = text[start - 1] if start else ""
    if kw in ("pass", "auth") and m.group("suffix"):
        return False  # `pass_filenames`, `auth_method`: names that merely start alike
    if kw.startswith(("pass", "pwd")) or kw == "auth":
        if before in _LETTERS:
            return False  # `bypass`, `oauth`, `compass`
    elif kw == "key" and not _KEY_PREFIX.search(text, max(0, start - 16), start):
        return False  # a bare `key:` is too generic
    name = _value_group(m)
    if name == "bare" and text[m.end() : m.end() + 1] in ("(", "["):
        return False  # a call or an index: `token = make_token(...)`
    return _plausible_value(
        m.group(name),
        quoted=name != "bare",
        op=m.group("op"),
        spaced=bool(m.group("pre") or m.group("post")),
        keyword=kw,
    )


def _keyword_kind(m: re.Match[str]) -> str:
    kw = m.group("kw").lower()
    if kw.startswith(("pass", "pwd")):
        return "password"
    if kw == "key":
        return "api_key"
    if kw.startswith("cred"):
        return "credential"
    return kw  # secret / token / auth


_TOKEN_LEFT = _TOKEN_CHARS
_RULES: tuple[_Rule, ...] = (
    _Rule(
        "private_key",
        re.compile(
            r"-----BEGIN[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----.*?"
            r"(?:-----END[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|(?=\n\x00\n)|\Z)",
            re.DOTALL,
        ),
        triggers=("private key",),
    ),
    _Rule(
        "private_key",
        re.compile(r"PuTTY-User-Key-File-\d.*?(?:Private-MAC: *\S+|(?=\n\x00\n)|\Z)", re.DOTALL),
        triggers=("putty-user-key-file",),
    ),
    _Rule(
        "anthropic_key",
        re.compile(r"sk-ant-[A-Za-z0-9_-]{20,}"),
        triggers=("sk-ant-",),
        left=_TOKEN_LEFT,
    ),
    _Rule(
        "openai_key",
        re.compile(r"sk-(?:proj-|svcacct-|admin-|None-)?[A-Za-z0-9_-]{20,}"),
        triggers=("sk-",),
        left=_TOKEN_LEFT,
        check=_openai_ok,
    ),
    _Rule(
        "github_token",
        re.compile(r"gh[pousr]_[A-Za-z0-9]{30,}"),
        triggers=("gh",),
        left=_TOKEN_LEFT,
    ),
    _Rule(
        "github_token",
        re.compile(r"github_pat_[A-Za-z0-9_]{40,}"),
        triggers=("github_pat_",),
        left=_ALNUM,
    ),
    _Rule(
        "gitlab_token",
        re.compile(r"gl(?:pat|dt|ft|soat|rt|cbt|imt|ptt|oas)-[A-Za-z0-9_-]{20,}"),
        triggers=("gl",),
        left=_TOKEN_LEFT,
    ),
    _Rule(
        "slack_webhook",
        re.compile(r"https://hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9/_-]+"),
        triggers=("hooks.slack.com",),
    ),
    _Rule(
        "slack_token",
        re.compile(r"xox[abposre]-[A-Za-z0-9-]{10,}"),
        triggers=("xox",),
        left=_TOKEN_LEFT,
    ),
    _Rule(
        "slack_token",
        re.compile(r"xapp-\d-[A-Za-z0-9-]{10,}"),
        triggers=("xapp-",),
        left=_TOKEN_LEFT,
    ),
    _Rule(
        "google_api_key",
        re.compile(r"AIza[0-9A-Za-z_-]{35}"),
        triggers=("aiza",),
        left=_TOKEN_LEFT,
    ),
    _Rule(
        "google_oauth",
        re.compile(r"GOCSPX-[A-Za-z0-9_-]{20,}"),
        triggers=("gocspx-",),
        left=_TOKEN_LEFT,
    ),
    _Rule(
        "google_oauth",
        re.compile(r"ya29\.[0-9A-Za-z_-]{20,}"),
        triggers=("ya29.",),
        left=_TOKEN_LEFT,
    ),
    _Rule(
        "aws_access_key_id",
        re.compile(r"A(?:KIA|SIA|BIA|CCA|3T[A-Z0-9])[A-Z0-9]{16}(?![A-Z0-9])"),
        triggers=("akia", "asia", "abia", "acca", "a3t"),
        left=_UPPER_ALNUM,
    ),
    _Rule(
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
    _Rule(
        "stripe_key",
        re.compile(r"sk_(?:live|test)_[A-Za-z0-9]{16,}"),
        triggers=("k_live_", "k_test_"),
        left=_TOKEN_LEFT,
    ),
    _Rule(
        "stripe_key",
        re.compile(r"rk_(?:live|test)_[A-Za-z0-9]{16,}"),
        triggers=("k_live_", "k_test_"),
        left=_TOKEN_LEFT,
    ),
    _Rule(
        "stripe_key",
        re.compile(r"whsec_[A-Za-z0-9]{24,}"),
        triggers=("whsec_",),
        left=_TOKEN_LEFT,
    ),
    _Rule(
        "jwt",
        re.compile(r"eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*"),
        triggers=("eyj",),
        left=_TOKEN_LEFT,
    ),
    _Rule("npm_token", re.compile(r"npm_[A-Za-z0-9]{36,}"), triggers=("npm_",), left=_TOKEN_LEFT),
    _Rule(
        "twilio_key",
        re.compile(r"AC[0-9a-f]{32}(?![A-Za-z0-9])"),
        triggers=("ac",),
        left=_ALNUM,
    ),
    _Rule(
        "twilio_key",
        re.compile(r"SK[0-9a-f]{32}(?![A-Za-z0-9])"),
        triggers=("sk",),
        left=_ALNUM,
    ),
    _Rule(
        "sendgrid_key",
        re.compile(r"SG\.[A-Za-z0-9_-]{16,32}\.[A-Za-z0-9_-]{16,64}"),
        triggers=("sg.",),
        left=_TOKEN_LEFT,
    ),
    _Rule(
        "huggingface_token",
        re.compile(r"hf_[A-Za-z0-9]{30,}"),
        triggers=("hf_",),
        left=_ALNUM,
    ),
    _Rule(
        "huggingface_token",
        re.compile(r"api_org_[A-Za-z0-9]{30,}"),
        triggers=("api_org_",),
        left=_ALNUM,
    ),
    _Rule(
        "pypi_token",
        re.compile(r"pypi-AgE[A-Za-z0-9_-]{50,}"),
        triggers=("pypi-",),
        left=_TOKEN_LEFT,
    ),
    _Rule(
        "digitalocean_token",
        re.compile(r"do[opr]_v1_[a-f0-9]{64}"),
        triggers=("_v1_",),
        left=_TOKEN_LEFT,
    ),
    _Rule(
        "shopify_token",
        re.compile(r"shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}"),
        triggers=("shp",),
        left=_TOKEN_LEFT,
    ),
    _Rule(
        "url_password",
        re.compile(r"://[^\s/:@'\"]+:(?P<v>[^\s/@'\"]+)@"),
        group="v",
        triggers=("://",),
        check=_group_ok("v", _reference_free),
    ),
    _Rule(
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
        check=_group_ok("v", _reference_free),
    ),
    _Rule(
        "bearer_token",
        re.compile(r"[Bb]earer\s+(?P<v>[A-Za-z0-9._~+/-]{16,}=*)"),
        group="v",
        triggers=("bearer",),
        anchors=("bearer",),
        left=_LETTERS,
        check=_group_ok("v", _bearer_ok),
    ),
    _Rule(
        "basic_auth",
        re.compile(r"Basic\s+(?P<v>[A-Za-z0-9+/]{12,}={0,2})"),
        group="v",
        triggers=("basic",),
        left=_LETTERS,
        check=_group_ok("v", _basic_ok),
    ),
    _Rule(
        "cli_secret",
        re.compile(
            r"--?(?:password|passwd|pass|token|secret|api-?key|auth-token|access-token)"
            r"(?:=|[ \t]+)(?:\"(?P<dq>[^\"\n]+)\"|'(?P<sq>[^'\n]+)'|"
            r"(?P<bare>[^\s\"'-][^\s\"']*))",
            re.IGNORECASE,
        ),
        group="value",
        triggers=("-pass", "-token", "-secret", "-api", "-auth", "-access"),
        left=frozenset(_ALNUM | {"-"}),
        anchors=("-pass", "-token", "-secret", "-api", "-auth-", "-access-"),
        back=1,
    ),
    _Rule(
        "password",
        re.compile(r"mysql(?:dump|admin)?\b[^\n]*?\s-p(?P<v>[^\s-]\S*)"),
        group="v",
        triggers=("mysql",),
        left=_LETTERS,
        check=_group_ok("v", _reference_free),
    ),
    _Rule(
        "password",
        re.compile(r"curl\b[^\n]*?\s(?:-u|--user)[ \t]+[\"']?[^\s:\"']+:(?P<v>[^\s\"']+)"),
        group="v",
        triggers=("curl",),
        left=_LETTERS,
        check=_group_ok("v", _reference_free),
    ),
    _Rule(
        "keyword",
        _KEYWORD_ASSIGN,
        group="value",
        triggers=("pass", "pwd", "secret", "token", "key", "cred", "auth"),
        anchors=_KEYWORD_ANCHORS,
        check=_keyword_ok,
    ),
)


def _anchor_positions(lower: str, anchors: tuple[str, ...]) -> list[int]:
    positions: list[int] = []
    for anchor in anchors:
        start = lower.find(anchor)
        while start != -1:
            positions.append(start)
            start = lower.find(anchor, start + 1)
    positions.sort()
    return positions


def _rule_spans(rule: _Rule, text: str, lower: str) -> Iterable[tuple[int, int, str]]:
    """(start, end, kind) of every accepted match of `rule` in `text`."""
    if not rule.anchors:
        for m in rule.pattern.finditer(text):
            span = _rule_span(rule, m)
            if span is not None:
                yield span
        return
    last_end = -1
    for pos in _anchor_positions(lower, rule.anchors):
        for start in range(max(0, pos - rule.back), pos + 1):
            if start < last_end:
                continue
            found = rule.pattern.match(text, start)
            span = None if found is None else _rule_span(rule, found)
            if found is not None and span is not None:
                # Only an accepted match hides later anchors inside it: a rejected
                # `AUTH_TOKEN=` at `AUTH` must still be tried at `TOKEN`.
                last_end = found.end()
                yield span
                break


def _rule_span(rule: _Rule, m: re.Match[str]) -> tuple[int, int, str] | None:
    start = m.start()
    if rule.left and start and m.string[start - 1] in rule.left:
        return None
    if rule.check is not None and not rule.check(m):
        return None
    kind = rule.kind
    if rule.group == "value":
        name = _value_group(m)
        if rule.kind == "keyword":
            kind = _keyword_kind(m)
        elif not _reference_free(m.group(name)):
            return None
        start, end = m.span(name)
    else:
        start, end = m.span(rule.group)
    if end <= start:
        return None
    return start, end, kind


# --------------------------------------------------------------------------------------
# Conservative high-entropy strings
# --------------------------------------------------------------------------------------
_ENTROPY_CANDIDATE = re.compile(r"[=:\"'`] ?(?P<v>[A-Za-z0-9+/_-]{32,}={0,2})(?![A-Za-z0-9+/_=-])")
_ID_PREFIX = re.compile(r"(?:[a-z]{2,12}_)+")  # toolu_, msg_, agent_msg_: ids, not secrets
_HEX = re.compile(r"[0-9a-fA-F]+")
_ENTROPY_LIMIT = 4.2


def _shannon(value: str) -> float:
    counts: dict[str, int] = {}
    for char in value:
        counts[char] = counts.get(char, 0) + 1
    n = len(value)
    return -sum(c / n * math.log2(c / n) for c in counts.values())


def _has_run(value: str, length: int = 8) -> bool:
    """Whether `value` holds `length` consecutive ascending characters (an alphabet)."""
    run = 1
    for a, b in itertools.pairwise(value):
        run = run + 1 if ord(b) == ord(a) + 1 else 1
        if run >= length:
            return True
    return False


def _entropy_ok(value: str) -> bool:
    m = _ID_PREFIX.match(value)
    if m is not None:
        value = value[m.end() :]
    for piece in value.split("/"):
        core = piece.rstrip("=")
        if len(core) < 32 or _HEX.fullmatch(core) or _has_run(core):
            continue  # SHAs, digests and alphabets (`ABC...xyz0123...`) stay readable
        has_lower = any(c.islower() for c in core)
        has_upper = any(c.isupper() for c in core)
        if not (has_lower and has_upper and _has_digit(core)):
            continue
        if _shannon(core) >= _ENTROPY_LIMIT:
            return True
    return False


# --------------------------------------------------------------------------------------
# detect-secrets, in process
# --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _DsGate:
    literals: tuple[str, ...] = ()  # lower-case substrings marking candidate positions
    # case-sensitive patterns marking candidate positions; each starts with a literal
    # character so that the regex engine can skip ahead (a leading class costs ~50x)
    regexes: tuple[str, ...] = ()


_DS_GATES: dict[str, _DsGate] = {
    "ArtifactoryDetector": _DsGate(regexes=(r"AKC[a-zA-Z0-9]{10}", r"AP[\dABCDEF][a-zA-Z0-9]{8}")),
    "AWSKeyDetector": _DsGate(literals=("aws", "akia", "asia", "abia", "acca", "a3t")),
    "AzureStorageKeyDetector": _DsGate(literals=("accountkey=",)),
    "BasicAuthDetector": _DsGate(regexes=(r"://[^\s/@]+:[^\s/@]+@",)),
    "CloudantDetector": _DsGate(
        literals=("cloudant", "cl_", "cl-", "clkey", "clpass", "clpw", "clapi", "cltoken")
    ),
    "DiscordBotTokenDetector": _DsGate(regexes=(r"\.[a-zA-Z\d_-]{6}\.[a-zA-Z\d_-]{27}",)),
    "GitHubTokenDetector": _DsGate(literals=("ghp_", "gho_", "ghu_", "ghs_", "ghr_")),
    "GitLabTokenDetector": _DsGate(
        literals=(
            "glpat-",
            "gldt-",
            "glft-",
            "glsoat-",
            "glrt-",
            "gr1348941",
            "glcbt-",
            "glimt-",
            "glptt-",
            "glagent-",
            "gloas-",
        )
    ),
    "IbmCloudIamDetector": _DsGate(literals=("ibm", "iam")),
    "IbmCosHmacDetector": _DsGate(literals=("secret",)),
    "JwtTokenDetector": _DsGate(regexes=(r"eyJ",)),
    "MailchimpDetector": _DsGate(regexes=(r"-us\d",)),
    "NpmDetector": _DsGate(literals=("_authtoken",)),
    "OpenAIDetector": _DsGate(regexes=(r"T3BlbkFJ",)),
    "PrivateKeyDetector": _DsGate(
        literals=("private key", "putty-user-key-file", "begin ssh2 encrypted")
    ),
    "PypiTokenDetector": _DsGate(literals=("pypi-ag",)),
    "SendGridDetector": _DsGate(regexes=(r"SG\.",)),
    "SlackDetector": _DsGate(literals=("xox", "hooks.slack.com")),
    "SoftlayerDetector": _DsGate(
        literals=("softlayer", "sl_", "sl-", "slapi", "slkey", "slpass", "slpwd", "sltoken")
    ),
    "SquareOAuthDetector": _DsGate(literals=("sq0csp-",)),
    "StripeDetector": _DsGate(literals=("k_live_",)),
    "TelegramBotTokenDetector": _DsGate(regexes=(r":[0-9A-Za-z_-]{35}",)),
    "TwilioKeyDetector": _DsGate(regexes=(r"AC[a-z0-9]{32}", r"SK[a-z0-9]{32}")),
    "KeywordDetector": _DsGate(
        literals=(
            "pass",
            "pwd",
            "secret",
            "api_key",
            "apikey",
            "api-key",
            "auth_key",
            "private_key",
            "client_key",
            "contrase",
        )
    ),
}
# Plugins that never run: public IPs are not secrets; entropy plugins are handled above.
_DS_SKIPPED = frozenset({"IPPublicDetector", "Base64HighEntropyString", "HexHighEntropyString"})


@dataclass(frozen=True)
class _DsPlugin:
    kind: str
    plugin: Any
    literals: tuple[str, ...]
    regexes: tuple[re.Pattern[str], ...]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


@lru_cache(maxsize=1)
def _ds_plugins() -> tuple[_DsPlugin, ...]:
    """Instances of every detect-secrets plugin we use, with their gates (loaded lazily)."""
    from detect_secrets.core.plugins.util import get_mapping_from_secret_type_to_class
    from detect_secrets.plugins.base import RegexBasedDetector

    mapping: dict[str, type[Any]] = get_mapping_from_secret_type_to_class()
    out: list[_DsPlugin] = []
    for secret_type, cls in sorted(mapping.items()):
        name = cls.__name__
        if name in _DS_SKIPPED:
            continue
        plugin = cls()
        gate = _DS_GATES.get(name)
        kind = "ds_" + _slug(secret_type)
        if gate is not None:
            regexes = tuple(re.compile(rx) for rx in gate.regexes)
            out.append(_DsPlugin(kind, plugin, gate.literals, regexes))
        elif isinstance(plugin, RegexBasedDetector):
            # A plugin we have no gate for (a newer detect-secrets): gate on its own patterns.
            out.append(_DsPlugin(kind, plugin, (), tuple(plugin.denylist)))
    return tuple(out)


@lru_cache(maxsize=1)
def _ds_filters() -> tuple[Callable[[str], bool], ...]:
    from detect_secrets.filters import heuristic

    return (
        heuristic.is_sequential_string,
        heuristic.is_potential_uuid,
        heuristic.is_templated_secret,
        heuristic.is_prefixed_with_dollar_sign,
        heuristic.is_not_alphanumeric_string,
    )


def _windows(text: str, positions: list[int]) -> list[tuple[int, int]]:
    """The lines around `positions` (bounded when a line is huge), overlapping ones merged."""
    ranges: list[list[int]] = []
    for pos in sorted(set(positions)):
        start = max(text.rfind("\n", 0, pos) + 1, pos - _DS_WINDOW)
        end = text.find("\n", pos)
        end = min(len(text) if end == -1 else end, pos + _DS_WINDOW)
        if ranges and start <= ranges[-1][1]:
            ranges[-1][1] = max(ranges[-1][1], end)
        else:
            ranges.append([start, end])
    return [(start, end) for start, end in ranges]


def _ds_findings(
    text: str, lower: str, present: frozenset[str] | None
) -> list[tuple[int, int, str, str]]:
    hits: list[tuple[int, int, str, str]] = []
    filters = _ds_filters()
    for item in _ds_plugins():
        positions: list[int] = []
        for literal in item.literals:
            if present is None or literal in present:
                start = lower.find(literal)
                while start != -1:
                    positions.append(start)
                    start = lower.find(literal, start + 1)
        for regex in item.regexes:
            if regex.search(text) is not None:
                positions.extend(m.start() for m in regex.finditer(text))
        if not positions:
            continue
        for w_start, w_end in _windows(text, positions):
            # A value found here is redacted wherever it recurs in the same text (in a
            # batch: the same member string, so batching never changes the result).
            seg_start = text.rfind(_BATCH_SEP, 0, w_start)
            seg_start = 0 if seg_start == -1 else seg_start + len(_BATCH_SEP)
            seg_end = text.find(_BATCH_SEP, w_end)
            seg_end = len(text) if seg_end == -1 else seg_end
            for found in item.plugin.analyze_string(text[w_start:w_end]):
                if not isinstance(found, str):
                    continue
                value = found.split("\n", 1)[0]  # some plugin patterns run across lines
                if len(value) < 8:
                    continue  # too short to locate safely (e.g. a bare `ghp` group)
                if value.startswith(_MARKER_PREFIX) or any(f(value) for f in filters):
                    continue
                if item.kind == "ds_secret_keyword" and not _plausible_value(
                    value, quoted=True, op="=", spaced=False, keyword="secret"
                ):
                    continue
                start = text.find(value, seg_start, seg_end)
                while start != -1:
                    hits.append((start, start + len(value), item.kind, "detect-secrets"))
                    start = text.find(value, start + len(value), seg_end)
    return hits


# --------------------------------------------------------------------------------------
# Scanning and replacing
# --------------------------------------------------------------------------------------
_ASCII_LOWER = {c: c + 32 for c in range(ord("A"), ord("Z") + 1)}


def _lower(text: str) -> str:
    """Lower-cased `text` with the same length, so offsets found in it apply to `text`."""
    lower = text.lower()
    if len(lower) != len(text):  # a few non-ASCII letters grow when lower-cased
        lower = text.translate(_ASCII_LOWER)
    return lower


@lru_cache(maxsize=1)
def _all_literals() -> tuple[str, ...]:
    literals = {t for rule in _RULES for t in rule.triggers}
    literals.update(t for item in _ds_plugins() for t in item.literals)
    return tuple(sorted(literals))


_MIN_SECRET_TEXT = 6  # `pwd=ab` is the shortest text any rule could flag
_PRESENCE_CHECK_MAX = 16_384


def _raw_findings(text: str) -> list[tuple[int, int, str, str]]:
    if len(text) < _MIN_SECRET_TEXT:
        return []
    lower = _lower(text)
    # Which trigger literals occur: cheap for short texts, where it lets most rules be
    # skipped; on long texts the checks cost as much as just running every rule.
    present: frozenset[str] | None = None
    if len(text) <= _PRESENCE_CHECK_MAX:
        present = frozenset([t for t in _all_literals() if t in lower])
    hits: list[tuple[int, int, str, str]] = []
    for rule in _RULES:
        if present is not None and rule.triggers and present.isdisjoint(rule.triggers):
            continue
        for start, end, kind in _rule_spans(rule, text, lower):
            hits.append((start, end, kind, "pattern"))
    for m in _ENTROPY_CANDIDATE.finditer(text):
        value = m.group("v")
        if _entropy_ok(value):
            start = m.start("v") + len(value) - len(value.lstrip("/"))  # `://` is not secret
            hits.append((start, m.end("v"), "high_entropy", "entropy"))
    hits.extend(_ds_findings(text, lower, present))
    spans = _marker_spans(text)
    if not spans:
        return hits
    return [h for h in hits if not _inside_marker(spans, h[0], h[1])]


_MARKER_RE = re.compile(r"\[REDACTED:[a-z0-9_]+\]")


def _marker_spans(text: str) -> list[tuple[int, int]]:
    if _MARKER_PREFIX not in text:
        return []
    return [m.span() for m in _MARKER_RE.finditer(text)]


def _inside_marker(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """A hit that lies entirely within a complete `[REDACTED:<kind>]` marker."""
    return any(lo <= start and end <= hi for lo, hi in spans)


_DETECTOR_RANK = {"pattern": 0, "detect-secrets": 1, "entropy": 2}


def _merge(hits: list[tuple[int, int, str, str]]) -> list[Finding]:
    """Overlapping hits become one finding covering them all, named by the most specific
    detector among them (explicit pattern, then detect-secrets, then entropy)."""
    merged: list[Finding] = []
    for start, end, kind, detector in sorted(hits, key=lambda h: (h[0], -h[1])):
        if merged and start < merged[-1].end:
            last = merged[-1]
            if _DETECTOR_RANK[detector] < _DETECTOR_RANK[last.detector]:
                last = Finding(kind, last.start, last.end, detector)
            merged[-1] = Finding(last.kind, last.start, max(end, last.end), last.detector)
            continue
        merged.append(Finding(kind, start, end, detector))
    return merged


_F = TypeVar("_F", bound=Callable[..., Any])


def _fail_closed(fn: _F) -> _F:
    """Any unexpected failure becomes a `RedactionError`: a bug must never look like "clean".

    The message names the exception type only: its text could quote the input.
    """

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except RedactionError:
            raise
        except Exception as exc:
            raise RedactionError(
                f"redaction failed: {type(exc).__name__}",
                hint="nothing was written; report the input shape",
            ) from exc

    return wrapper  # type: ignore[return-value]


@_fail_closed
def scan(text: str) -> list[Finding]:
    """Every secret-like span of `text`, in order (existing redaction markers excluded)."""
    if not text:
        return []
    return _merge(_raw_findings(text))


def _apply(text: str, findings: list[Finding]) -> str:
    parts: list[str] = []
    cursor = 0
    for f in findings:
        parts.append(text[cursor : f.start])
        parts.append(marker(f.kind))
        cursor = f.end
    parts.append(text[cursor:])
    return "".join(parts)


def _redact_text(text: str) -> str:
    """The core of `redact`. The public functions all call this (never each other), so
    replacing one public name, as a test does, does not change what the others do."""
    if not text:
        return text
    out = text
    for _ in range(_MAX_PASSES):
        findings = _merge(_raw_findings(out))
        if not findings:
            return out
        out = _apply(out, findings)
    if _raw_findings(out):
        raise RedactionError(
            "redaction did not converge: secret-like content remains",
            hint="report this input shape; nothing was written",
        )
    return out


@_fail_closed
def redact(text: str) -> str:
    """`text` with every secret replaced by `[REDACTED:<kind>]`.

    Raises `RedactionError` (never returns partially redacted text) when scanning fails
    or when secret-like content survives repeated passes.
    """
    return _redact_text(text)


@_fail_closed
def redact_many(texts: Iterable[str]) -> list[str]:
    """`[redact(t) for t in texts]`, much faster for many small strings.

    Strings are scanned in batches joined by a separator that no detector crosses; if a
    batch does not split back cleanly, its strings are redacted one by one instead.
    Same fail-closed contract as `redact`.
    """
    return _redact_many(texts)


def _redact_many(texts: Iterable[str]) -> list[str]:
    items = list(texts)
    out = list(items)
    batch: list[int] = []
    size = 0

    def flush() -> None:
        nonlocal batch, size
        if batch:
            for index, value in zip(batch, _redact_batch([items[i] for i in batch]), strict=True):
                out[index] = value
        batch, size = [], 0

    for index, text in enumerate(items):
        if not text or _BATCH_SEP in text:
            out[index] = _redact_text(text)
            continue
        batch.append(index)
        size += len(text) + len(_BATCH_SEP)
        if size >= _BATCH_CHARS:
            flush()
    flush()
    return out


def _redact_batch(texts: list[str]) -> list[str]:
    if len(texts) == 1:
        return [_redact_text(texts[0])]
    joined = _BATCH_SEP.join(texts)
    redacted = _redact_text(joined)
    if redacted is joined or redacted == joined:
        return texts
    parts = redacted.split(_BATCH_SEP)
    if len(parts) != len(texts):
        return [_redact_text(t) for t in texts]
    return parts


@_fail_closed
def is_clean(text: str) -> bool:
    return not _raw_findings(text) if text else True


@_fail_closed
def assert_clean(text: str, *, what: str = "text") -> None:
    """Raise `RedactionError` if `text` still contains anything secret-like."""
    findings = _merge(_raw_findings(text)) if text else []
    if findings:
        kinds = sorted({f.kind for f in findings})
        where = ", ".join(str(f.start) for f in findings[:5])
        raise RedactionError(
            f"{len(findings)} secret-like value(s) in {what} ({', '.join(kinds)}) "
            f"at offset {where}",
            hint="redact before writing; nothing was written",
        )


# --------------------------------------------------------------------------------------
# JSON-like data
# --------------------------------------------------------------------------------------
_SENSITIVE_KEY = re.compile(
    r"(?:^|_)(?P<word>password|passwd|pass|pwd|passphrase|secret|token|api_?key|apikey|"
    r"access_?key|secret_?key|private_?key|client_?secret|auth|authorization|"
    r"credentials?|cookie|set_cookie|x_api_key|bearer)$"
)
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


@lru_cache(maxsize=4096)
def _key_kind(key: str) -> str | None:
    """The redaction kind for a sensitive key name (`GITHUB_TOKEN`, `apiKey`...), else None."""
    norm = re.sub(r"[^a-z0-9]+", "_", _CAMEL.sub("_", key).lower()).strip("_")
    m = _SENSITIVE_KEY.search(norm)
    if m is None:
        return None
    word = m.group("word")
    if word.startswith(("pass", "pwd")):
        return "password"
    if "key" in word:
        return "api_key"
    if word in ("auth", "authorization", "bearer"):
        return "auth"
    if word.startswith("cred"):
        return "credential"
    if "cookie" in word:
        return "cookie"
    return "token" if word == "token" else "secret"


def sensitive_key(key: str) -> str | None:
    """The redaction kind when a JSON key names a secret (`password`, `GITHUB_TOKEN`,
    `apiKey`, `Authorization`...), else None. Values of such keys are redacted whole."""
    return _key_kind(key)


def _wholesale(obj: Any, kind: str, keys: list[str]) -> Any:
    if isinstance(obj, str):
        return obj if not obj or obj.startswith(_MARKER_PREFIX) else marker(kind)
    if isinstance(obj, dict):
        out: dict[Any, Any] = {}
        for k, v in obj.items():
            keys.append(str(k))
            out[_Slot(len(keys) - 1)] = _wholesale(v, kind, keys)
        return out
    if isinstance(obj, list | tuple):
        return [_wholesale(v, kind, keys) for v in obj]
    return obj  # numbers, booleans, None: token counts and flags are not secrets


class _Slot(int):
    """Where a string collected for batch redaction goes back (distinct from real ints)."""


def _collect(obj: Any, texts: list[str]) -> Any:
    """`obj` with every string to redact replaced by a `_Slot` into `texts`."""
    if isinstance(obj, str):
        texts.append(obj)
        return _Slot(len(texts) - 1)
    if isinstance(obj, dict):
        out: dict[Any, Any] = {}
        for key, value in obj.items():
            skey = str(key)
            kind = _key_kind(skey)
            texts.append(skey)
            slot = _Slot(len(texts) - 1)
            out[slot] = _wholesale(value, kind, texts) if kind else _collect(value, texts)
        return out
    if isinstance(obj, list | tuple):
        return [_collect(v, texts) for v in obj]
    return obj


def _fill(obj: Any, texts: list[str]) -> Any:
    if isinstance(obj, _Slot):
        return texts[obj]
    if isinstance(obj, dict):
        return {_fill(k, texts): _fill(v, texts) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_fill(v, texts) for v in obj]
    return obj


@_fail_closed
def redact_obj(obj: Any) -> Any:
    """A redacted copy of JSON-like data: values of secret-named keys are replaced wholesale,
    every other string (keys included) goes through `redact`. Tuples come back as lists."""
    texts: list[str] = []
    shape = _collect(obj, texts)
    return _fill(shape, _redact_many(texts))
