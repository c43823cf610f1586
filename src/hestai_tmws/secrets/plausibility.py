"""Value checks shared by the context rules: is this a real value or a placeholder/reference?"""

from __future__ import annotations

import re

from hestai_tmws.secrets.model import MARKER_PREFIX

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
_REL_PATH = re.compile(r"[\w-]+(?:/[\w.-]+)*/[\w-]+\.[A-Za-z]{1,8}")  # `cmd/a.go` in `rev:path`
_AUTH_SCHEMES = frozenset({"bearer", "basic", "token", "digest", "bot", "apikey", "sso-key"})
_ASSIGN_OPS = frozenset({"=", ":=", "=>", "=="})


def _is_reference(value: str) -> bool:
    return bool(_REFERENCE.search(value)) or value.startswith(MARKER_PREFIX)


def has_digit(value: str) -> bool:
    return any(c.isdigit() for c in value)


def _has_symbol(value: str) -> bool:
    return any(not c.isalnum() and c not in "_.-" for c in value)


def _char_classes(value: str) -> int:
    lower = any(c.islower() for c in value)
    upper = any(c.isupper() for c in value)
    return lower + upper + has_digit(value) + _has_symbol(value)


def plausible_value(value: str, *, quoted: bool, op: str, spaced: bool, keyword: str) -> bool:
    """Whether the value of a `keyword <op> value` assignment looks like a real secret.

    Passwords may be anything; tokens, keys and secrets are machine-made, so for those
    a short or single-class value (`token = "tool"`) is a name, not a credential.
    """
    value = _TRAILING_ESCAPES.sub("", value.strip())
    if len(value) < 3 or _is_reference(value) or "(" in value:
        return False
    if value.lower() in _PLACEHOLDERS or len(set(value)) <= 2:
        return False
    if _PATHLIKE.fullmatch(value) or _SUBSCRIPT.fullmatch(value) or _REL_PATH.fullmatch(value):
        return False  # a path, `pattern.tokens[i]`, `dict[str`
    if not quoted and value[0] in "{[":
        return False  # an object or array literal
    code_style = spaced or op not in _ASSIGN_OPS
    if code_style and _DOTTED.fullmatch(value) and not has_digit(value):
        return False  # `password = user.password`
    passwordish = keyword.startswith(("pass", "pwd"))
    if value.isdigit() and not passwordish and len(value) < 16:
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
        return not (_IDENTIFIER.fullmatch(value) and not has_digit(value))
    # `key: value` (YAML, headers, prose, object literals): demand something secret-looking
    return len(value) >= 6 and (has_digit(value) or _has_symbol(value))


def reference_free(value: str) -> bool:
    return not _is_reference(value) and len(set(value)) > 2 and value.lower() not in _AUTH_SCHEMES
