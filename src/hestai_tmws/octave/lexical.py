"""Lexical rules shared by the emitter and the reader: keys, bare words, quoting, tags.

Why a module of its own: the emitter must predict exactly how octave-mcp 1.16.0 will lex and
re-emit every token, and the reader must undo every encoding the emitter applies. Keeping both
directions next to each other is what makes `parse(emit(d)) == d` hold by construction.

String encoding, in order of preference:

1. **bare** — identifier-shaped text that the reference lexer reads back as one IDENTIFIER with
   no warning: ``^[A-Za-z_][A-Za-z0-9_.-]*$``, not ending in ``-``, not ``true/false/null/vs``,
   not starting with one of those words followed by ``.`` or ``-`` (``true.x`` lexes as a
   boolean), not ``True/TRUE/False/FALSE/Null/NULL`` (W_WRONG_CASE) and without ``vs`` strictly
   inside (``DevSecOps`` → W_BOUNDARY_MISSING). Also bare: ``$VAR`` placeholders, and
   expressions such as ``read→plan`` or ``user@example.com`` (bare-safe identifiers joined by
   ``⊕ ⧺ ⇌ ∨ → @``; ``→`` only inside a list, at most one ``⇌``, never ``∧``).
2. **quoted** — ``"..."`` with exactly the reference escapes ``\\\\ \\" \\n \\t``; used when the
   reference emitter would keep the quotes too (it drops them for identifier, ``NAME<q>``,
   ``$VAR`` and ``A→B`` shaped text), the text has no control character other than newline and
   tab, no U+2028/U+2029, the quoted token is NFC (the reference NFC-normalises every line outside
   literal zones; note ``\\n`` + U+0301 would compose into ``ń``) and it does not start with ``~~``.
3. **tagged** — ``"~~s:<payload>"``: the text with ``%``, control characters (except newline and
   tab), U+2028/U+2029, combining marks and NFC-unstable characters written as ``%{HEX}`` (the
   code point in upper-case hex, at least two digits); if the result is still not NFC every
   non-ASCII character is escaped. Our reader decodes it back to the original text.

Values the reference cannot hold at a position are written as ``"~~json:<compact ASCII JSON>"``:
an empty dict anywhere; a dict below the one block level META allows; a list-item dict that
holds a dict at any depth, or whose TYPE/ENUM/NEVER/ALWAYS value would need quotes, or that has a
PATTERN/REGEX string; a list that would be the fifth nested bracket (W_DEEP_NESTING).
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from typing import Any

from hestai_tmws.octave.errors import OctaveError
from hestai_tmws.octave.model import Literal

TAG = "~~"
STR_TAG = "~~s:"
JSON_TAG = "~~json:"

KEY_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*(?<!-)\Z")
ENVELOPE_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?::[A-Za-z_][A-Za-z0-9_]*)*\Z")
#: Keys only a ``[k::v]`` pair can hold: the reference drops ``1::x`` as a line of a block.
NUMERIC_KEY_RE = re.compile(r"[0-9]+\Z")
LANG_RE = re.compile(r"[A-Za-z0-9_.+#\-]*\Z")
SECTION_ID_RE = re.compile(r"(?:[0-9]+[A-Za-z]|[A-Za-z_][A-Za-z0-9_]*)\Z")

RESERVED_WORDS = frozenset({"true", "false", "null", "vs"})
WRONG_CASE = frozenset({"True", "TRUE", "False", "FALSE", "Null", "NULL"})
#: Keys the reference parser treats as constructor names inside inline maps (§2c).
CONSTRUCTOR_KEYS = frozenset({"REGEX", "ENUM", "TYPE", "PATTERN", "NEVER", "ALWAYS"})
#: Keys whose string values the reference emitter always quotes in assignments (GH#310).
ALWAYS_QUOTE_KEYS = frozenset({"PATTERN", "REGEX"})

# Shapes the reference emitter writes without quotes (mirrors octave-mcp's visitor predicates).
_IDENT_SHAPE = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*(?<!-)\Z")
_ANNOTATION_SHAPE = re.compile(
    r"[A-Za-z_][A-Za-z0-9_.\-]*(?<!-)<(?:[A-Za-z_](?:[A-Za-z0-9_,]*[A-Za-z0-9_])?)?>\Z"
)
_EXPRESSION_SHAPE = re.compile(
    r"[A-Za-z_][A-Za-z0-9_.\-]*(?<!-)(?:[⊕⧺⇌∧∨→@][A-Za-z_][A-Za-z0-9_.\-]*(?<!-))+\Z"
)
_CONSTRUCTOR_SPLIT = re.compile(r"[<>,]")
_EXPRESSION_SPLIT = re.compile(r"([⊕⧺⇌∧∨→@])")
_VARIABLE_SHAPE = re.compile(r"\$[A-Za-z0-9_:]+\Z")
_KEYWORD_PREFIX = re.compile(r"(?:true|false|null|vs)\b")

# Characters that never go raw into a quoted token: C0/C1 controls except \t and \n, and the
# Unicode line/paragraph separators (editors and splitlines() treat them as line breaks).
_UNSAFE_CHARS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
_ESCAPES = {"\\\\": "\\", '\\"': '"', "\\n": "\n", "\\t": "\t"}
_ESCAPE_RE = re.compile(r"\\[\\\"nt]")
_PCT_RE = re.compile(r"%(?:\{([0-9A-F]{2,6})\})?")


def has_internal_vs(text: str) -> bool:
    """True when the reference lexer would flag ``vs`` inside this identifier."""
    pos = text.lower().find("vs")
    return pos > 0 and pos + 2 < len(text)


def is_bare_safe(text: str) -> bool:
    """True when `text` can be written without quotes and reads back unchanged, warning-free."""
    return (
        _IDENT_SHAPE.match(text) is not None
        and text not in RESERVED_WORDS
        and text not in WRONG_CASE
        and _KEYWORD_PREFIX.match(text) is None
        and not has_internal_vs(text)
    )


_ANNOTATION_PART = re.compile(r' *("[^"\[\]\\\x00-\x1f\x7f-\x9f\u2028\u2029]*"|[^ ,"\\]+) *(,?)')


def annotation_ok(text: object) -> bool:
    """Whether ``§N::NAME[text]`` reads back in octave-mcp as exactly `text`, warning-free.

    The reference keeps a section annotation as its tokens joined without spaces, so only
    comma-separated bare-safe words and plain quoted strings (no escapes) survive unchanged.
    """
    if not isinstance(text, str) or not text or not unicodedata.is_normalized("NFC", text):
        return False
    return read_annotation(text) == text


def read_annotation(inner: str) -> str | None:
    """The annotation octave-mcp reads from ``[inner]``, or None when it would change the text."""
    parts: list[str] = []
    pos, more = 0, True
    while more:
        m = _ANNOTATION_PART.match(inner, pos)
        if m is None or not (m.group(1)[0] == '"' or is_bare_safe(m.group(1))):
            return None
        parts.append(m.group(1))
        pos, more = m.end(), bool(m.group(2))
    text = ",".join(parts)
    if pos != len(inner) or not unicodedata.is_normalized("NFC", text):
        return None
    return text


def reference_keeps_quotes(text: str) -> bool:
    """Mirror of octave-mcp's `needs_quotes`: would it re-emit this string quoted?"""
    if not text or "\n" in text or "\t" in text or "\r" in text:
        return True
    if text in RESERVED_WORDS:
        return True
    if _VARIABLE_SHAPE.match(text) or _ANNOTATION_SHAPE.match(text):
        return False
    if _EXPRESSION_SHAPE.match(text):
        return False
    return _IDENT_SHAPE.match(text) is None


def validate_key(key: object, what: str = "key") -> str:
    """Return `key` if it is a key we can write (identifier-shaped, warning-free), else raise."""
    if not isinstance(key, str) or KEY_RE.match(key) is None or not is_bare_safe(key):
        raise OctaveError(
            f"invalid {what} {key!r}",
            hint="keys must match [A-Za-z_][A-Za-z0-9_.-]* (not ending in '-'), must not be "
            "true/false/null/vs or their capitalised forms, and must not contain 'vs' inside",
        )
    return key


def quote(text: str) -> str:
    """Quote with exactly the escapes the reference lexer undoes (and its emitter writes)."""
    return (
        '"'
        + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
        + '"'
    )


def unescape(body: str) -> str:
    """Undo `quote` (single pass; other backslash pairs stay verbatim, as in the reference)."""
    if "\\" not in body:
        return body
    return _ESCAPE_RE.sub(lambda m: _ESCAPES[m.group(0)], body)


def _pct_char(ch: str) -> str:
    return "%{" + format(ord(ch), "02X") + "}"


def _needs_pct(ch: str) -> bool:
    if ch == "%" or _UNSAFE_CHARS.match(ch):
        return True
    if ch.isascii():
        return False
    return unicodedata.combining(ch) != 0 or unicodedata.normalize("NFC", ch) != ch


def tagged_str(text: str) -> str:
    """The quoted ``"~~s:..."`` token that carries any str through the reference unchanged."""
    payload = "".join(_pct_char(c) if _needs_pct(c) else c for c in text)
    token = quote(STR_TAG + payload)
    if not unicodedata.is_normalized("NFC", token):
        payload = "".join(_pct_char(c) if (not c.isascii() or _needs_pct(c)) else c for c in text)
        token = quote(STR_TAG + payload)
    return token


def bare_expression_ok(text: str, *, in_list: bool) -> bool:
    """True when an ``A→B``-shaped string can be written bare and reads back unchanged.

    The reference lexes it as identifiers joined by operators: every part must itself be
    bare-safe; ``→`` outside brackets warns (W_BARE_FLOW), more than one ``⇌`` warns
    (W_CHAINED_TENSION), and ``∧`` can turn a list into a "holographic pattern", so we never
    leave ``∧`` bare.
    """
    if _EXPRESSION_SHAPE.match(text) is None:
        return False
    parts = _EXPRESSION_SPLIT.split(text)
    ops = parts[1::2]
    if "∧" in ops or ops.count("⇌") > 1 or (not in_list and "→" in ops):
        return False
    return all(is_bare_safe(part) for part in parts[0::2])


def bare_constructor_ok(text: str) -> bool:
    """True for ``NAME<a,b>`` whose parts are bare-safe: both readers take it as this str."""
    if _ANNOTATION_SHAPE.match(text) is None or text.endswith("<>"):
        return False
    return all(is_bare_safe(part) for part in _CONSTRUCTOR_SPLIT.split(text[:-1]))


def encode_str(text: str, *, force_quote: bool = False, in_list: bool = False) -> str:
    """The token for a str value (see the module docstring for the forms)."""
    if not force_quote:
        if is_bare_safe(text) or _VARIABLE_SHAPE.match(text):
            return text
        if bare_expression_ok(text, in_list=in_list) or bare_constructor_ok(text):
            return text
    if not force_quote and not reference_keeps_quotes(text):
        return tagged_str(text)
    if text.startswith(TAG) or _UNSAFE_CHARS.search(text):
        return tagged_str(text)
    token = quote(text)
    if text.isascii() or unicodedata.is_normalized("NFC", token):
        return token
    return tagged_str(text)


def _check_json(value: Any) -> None:
    """Reject what JSON fallback cannot carry faithfully (Literal, non-finite floats, bad keys)."""
    if value is None or isinstance(value, (bool, int, str)):
        return
    if isinstance(value, float):
        if not math.isfinite(value):
            raise OctaveError(f"cannot write non-finite float {value!r}")
        return
    if isinstance(value, (list, tuple)):
        for item in value:
            _check_json(item)
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not (isinstance(key, str) and NUMERIC_KEY_RE.match(key)):
                validate_key(key)
            _check_json(item)
        return
    if isinstance(value, Literal):
        raise OctaveError(
            "cannot write a literal zone here",
            hint="literal zones are only allowed as the direct value of a key",
        )
    raise OctaveError(f"cannot write a value of type {type(value).__name__}")


def tagged_json(value: Any) -> str:
    """The quoted ``"~~json:..."`` token for a value the reference cannot hold at its position."""
    _check_json(value)
    payload = json.dumps(value, ensure_ascii=True, separators=(",", ":"), allow_nan=False)
    return quote(JSON_TAG + payload.replace("\x7f", "\\u007f"))


def _reject_constant(name: str) -> Any:
    raise ValueError(f"non-finite number {name}")


def _finite_float(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise ValueError(f"number {text[:20]} is out of range")
    return number


def _pct_decode(payload: str, line: int | None) -> str:
    if "%" not in payload:
        return payload

    def one(m: re.Match[str]) -> str:
        hexa = m.group(1)
        if hexa is None:
            raise OctaveError("bad %-escape in a ~~s: string (use %{HEX})", line=line)
        code = int(hexa, 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            raise OctaveError(f"bad code point %{{{hexa}}} in a ~~s: string", line=line)
        return chr(code)

    return _PCT_RE.sub(one, payload)


def decode_string(text: str, line: int | None = None) -> Any:
    """Turn the value of a quoted token back into our value, undoing a ``~~`` tag if present."""
    if not text.startswith(TAG):
        return text
    if text.startswith(STR_TAG):
        return _pct_decode(text[len(STR_TAG) :], line)
    if text.startswith(JSON_TAG):
        try:
            return json.loads(
                text[len(JSON_TAG) :], parse_constant=_reject_constant, parse_float=_finite_float
            )
        except ValueError as exc:
            raise OctaveError(f"bad ~~json: value ({exc})", line=line) from None
    raise OctaveError(
        f"unknown tagged string {text[:20]!r}",
        line=line,
        hint='strings starting with "~~" are reserved: "~~s:" (escaped text) or "~~json:"',
    )
