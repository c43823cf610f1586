"""The shape of one credential rule and the checks that confirm a match."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from hestai_tmws.secrets.model import RedactionError
from hestai_tmws.secrets.plausibility import has_digit, plausible_value, reference_free

TOKEN_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
ALNUM = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
UPPER_ALNUM = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")

Check = Callable[[re.Match[str]], bool]


@dataclass(frozen=True)
class Rule:
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
    namer: Callable[[re.Match[str]], str] | None = None  # a kind per match (prefix formats)


def group_ok(group: str, test: Callable[[str], bool]) -> Check:
    def check(m: re.Match[str]) -> bool:
        return test(m.group(group))

    return check


def openai_ok(m: re.Match[str]) -> bool:
    body = m.group(0)[3:]
    return not body.startswith("ant-") and not re.fullmatch(r"[a-z-]+", body)


def bearer_ok(value: str) -> bool:
    return has_digit(value) and reference_free(value)


def basic_ok(value: str) -> bool:
    return has_digit(value) or value.endswith("=")


# -- `password=...`, `"api_key": "..."`, `export GITHUB_TOKEN=...` ---------------------------
_KEY_PREFIX = re.compile(
    r"(?:api|access|auth|private|secret|client|encryption|master|signing|account|service|"
    r"storage|db|database)[_-]?\Z",
    re.IGNORECASE,
)
KEYWORD_ASSIGN = re.compile(
    r"(?P<kw>pass(?:w(?:or)?d|phrase)?|pwd|secret|token|key|credentials?|auth)"
    r"(?P<suffix>[_.-][A-Za-z0-9_.-]*)?(?![A-Za-z0-9])"
    r"\\?[\"'`]?\]?(?P<pre>[ \t]*)(?P<op>:=|=>|==|=|:)(?P<post>[ \t]*)"
    r"(?:\\\"(?P<edq>(?:[^\"\\\n]|\\[^\"\n])*)\\\""
    r"|\"(?P<dq>[^\"\n]*)\"|'(?P<sq>[^'\n]*)'|`(?P<bq>[^`\n]*)`"
    r"|(?P<bare>(?:[^\s\"'`,;)}\]<>&]|&(?![A-Za-z_][A-Za-z0-9_]*=))+))",
    re.IGNORECASE,
)
KEYWORD_ANCHORS = ("pass", "pwd", "secret", "token", "key", "cred", "auth")
_VALUE_GROUPS = ("edq", "dq", "sq", "bq", "bare")


def value_group(m: re.Match[str]) -> str:
    for name in _VALUE_GROUPS:
        if name in m.re.groupindex and m.group(name) is not None:
            return name
    raise RedactionError("internal: a value rule matched without a value")


def keyword_ok(m: re.Match[str]) -> bool:
    kw = m.group("kw").lower()
    text, start = m.string, m.start()
    before = text[start - 1] if start else ""
    if kw in ("pass", "auth") and m.group("suffix"):
        return False  # `pass_filenames`, `auth_method`: names that merely start alike
    if kw.startswith(("pass", "pwd")) or kw == "auth":
        if before in LETTERS:
            return False  # `bypass`, `oauth`, `compass`
    elif kw == "key" and not _KEY_PREFIX.search(text, max(0, start - 16), start):
        return False  # a bare `key:` is too generic
    name = value_group(m)
    if name == "bare" and text[m.end() : m.end() + 1] in ("(", "["):
        return False  # a call or an index: `token = make_token(...)`
    return plausible_value(
        m.group(name),
        quoted=name != "bare",
        op=m.group("op"),
        spaced=bool(m.group("pre") or m.group("post")),
        keyword=kw,
    )


def keyword_kind(m: re.Match[str]) -> str:
    kw = m.group("kw").lower()
    if kw.startswith(("pass", "pwd")):
        return "password"
    if kw == "key":
        return "api_key"
    if kw.startswith("cred"):
        return "credential"
    return kw  # secret / token / auth
