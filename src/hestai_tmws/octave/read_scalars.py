"""Bare values as the reader turns them into Python: words, numbers, normalised operator text.

Shared by every place the reader meets an unquoted value (block entries, lists, fast paths),
so a bare ``true``, ``1e3`` or ``a -> b`` reads the same wherever it stands. Also where the
reader is exactly as strict as octave-mcp: a bare run the reference refuses (unquoted ISO dates,
``foo(bar)``) or would change (a constructor followed by more words) is refused with its line.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from hestai_tmws.octave import lexical
from hestai_tmws.octave.errors import OctaveError

_NUMBER = re.compile(r"-?[0-9]+\.?[0-9]*(?:[eE][+-]?[0-9]+)?\Z")
_NEEDS_NORM = re.compile(r"[→⊕⧺⇌∧∨@+~|&#]|->|\Avs\Z")
_BARE_PIECE = re.compile(r"( +)|(<->|->|[→⊕⧺⇌∧∨@+~|&])|((?:[^ →⊕⧺⇌∧∨@+~|&<\-]|<(?!->)|-(?!>))+)")
_ASCII_OPS = {"->": "→", "<->": "⇌", "+": "⊕", "~": "⧺", "|": "∨", "&": "∧"}
_WORDS = {"true": True, "false": False, "null": None}
_INF = float("inf")
_KEYWORDS = frozenset({"true", "false", "null", "vs"})
_ASCII_DIGITS = frozenset("0123456789")
#: The reference refuses an unquoted ISO 8601 date or timestamp (E_UNQUOTED_TIMESTAMP).
_TIMESTAMP = re.compile(r"(?<![0-9A-Za-z_])[0-9]{4}-[0-9]{2}-[0-9]{2}")
#: ASCII characters the reference lexer takes in bare text; `<`/`>` only inside `->`, `<->`.
_ASCII_OK = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-/:$")
#: Unicode categories the reference lexer takes in identifiers (letters, symbols, numbers,
#: marks, "other" punctuation).
_UNICODE_OK = ("L", "So", "Sm", "Sk", "Po", "N", "M")
_IDENT = r"[A-Za-z_][A-Za-z0-9_.\-]*(?<!-)"
#: `NAME<q,q>` constructors and `NAME[annotation]` (read as `NAME<annotation>`, as the reference).
CONSTRUCTOR = re.compile(
    rf"({_IDENT})(<{_IDENT}(?:,{_IDENT})*>)?(?:\[([A-Za-z0-9_.\-]+(?:,[A-Za-z0-9_.\-]+)*)\])?"
)


def normalize_bare(run: str) -> str:
    """Bare text as the reference reads it: Unicode operators, words joined by one space."""
    out: list[str] = []
    last_word = False
    for m in _BARE_PIECE.finditer(run):
        if m.group(1):
            continue
        op = m.group(2)
        if op is None and m.group(3) == "vs":
            op = "⇌"
        if op is not None:
            out.append(_ASCII_OPS.get(op, op))
            last_word = False
            continue
        word = m.group(3)
        if word.startswith("#"):
            word = "§" + word[1:]
        if last_word:
            out.append(" ")
        out.append(word)
        last_word = True
    return "".join(out)


_PIECES = re.compile(
    r"( +)|(<->|->|[→⊕⧺⇌∧∨@+~|&]|(?<![^ ])vs(?![^ ]))|((?:[^ →⊕⧺⇌∧∨@+~|&<\-]|<(?!->)|-(?!>))+)"
)
#: A token the fast paths may take without the full check: an identifier or a plain number.
SAFE_TOKEN = re.compile(
    r"(?:(?!(?:true|false|null|vs)[.\-])[A-Za-z_][A-Za-z0-9_.\-]*(?<!-)|-?[0-9][0-9.]*)\Z"
)
#: A word that starts with a digit the reference reads as one token: ``3rd``, ``1.2.3``.
_DIGIT_WORD = re.compile(r"[0-9]+(?:[A-Za-z_][A-Za-z0-9_]*|(?:\.[0-9]+)*)\Z")
_KEYWORD_INSIDE = re.compile(r"\b(?:true|false|null|vs)\b")
_SECTION_REF = re.compile(r"[§#](?!(?:true|false|null|vs)\Z)[A-Za-z0-9_]+\Z")
_VARIABLE = re.compile(r"\$[A-Za-z0-9_:]+\Z")


def _refuse(what: str, run: str, line: int, hint: str) -> OctaveError:
    return OctaveError(f"{what} in the unquoted value {run[:40]!r}", line=line, hint=hint)


def _check_word(word: str, run: str, line: int, in_expression: bool = False) -> None:
    """Refuse a word of a bare run the reference refuses or reads differently. In a one-word
    expression (``A→B<final>``) a part may be a ``NAME<a>`` constructor, kept as written."""
    quote_it = "octave-mcp refuses or changes it: put the value in double quotes"
    if _VARIABLE.match(word):
        return
    if word[:1] in _ASCII_DIGITS and _DIGIT_WORD.match(word) is None:
        raise _refuse("a word starting with a digit", run, line, quote_it)
    if "$" in word and _VARIABLE.match(word) is None:
        raise _refuse("'$' outside a $VARIABLE", run, line, quote_it)
    if word.endswith("-") or (word.startswith("-") and _NUMBER.match(word) is None):
        raise _refuse("'-' at the edge of a word", run, line, quote_it)
    if "//" in word.replace("://", ""):
        raise _refuse("'//' (a comment to octave-mcp)", run, line, quote_it)
    if "::" in word or word.startswith(":") or word.endswith(":"):
        raise _refuse("':' at the edge of a word or '::'", run, line, quote_it)
    if "#" in word or "§" in word:
        raise _refuse("'#' or '§'", run, line, quote_it)
    if word not in ("true", "false", "null") and _KEYWORD_INSIDE.search(word):
        raise _refuse("true/false/null/vs inside a word", run, line, quote_it)
    if in_expression and lexical.bare_constructor_ok(word):
        return
    rest = word.replace("<->", "").replace("->", "") if ">" in word else word
    for ch in rest:
        if ch in _ASCII_OK:
            continue
        if not ch.isascii() and unicodedata.category(ch).startswith(_UNICODE_OK):
            continue
        raise _refuse(f"character {ch!r} is not allowed", run, line, quote_it)


def _joins_badly(word: str) -> bool:
    """Words the reference splits off when an operator touches them (numbers, keywords, URLs)."""
    return (
        word[:1] in _ASCII_DIGITS
        or _NUMBER.match(word) is not None
        or word in ("true", "false", "null")
        or "://" in word
    )


def check_strict(run: str, line: int) -> None:
    """Refuse a bare run octave-mcp strict refuses or reads differently, with the fix.

    Accepted: words joined by spaces or by one operator between two words (``a→b``,
    ``user@host``). Refused: unquoted ISO dates, characters the reference lexer rejects
    (``foo(bar)``), an operator at either end or next to another (the reference drops text
    there), ``::`` inside a value, ``$`` outside ``$VAR``, ``#``/``§`` and keywords inside words.
    """
    if _NUMBER.match(run) or _SECTION_REF.match(run):
        return
    if _TIMESTAMP.search(run):
        raise OctaveError(
            f"unquoted date or timestamp in {run[:40]!r}",
            line=line,
            hint='octave-mcp refuses it (E_UNQUOTED_TIMESTAMP): write it quoted, "2025-12-01"',
        )
    last_op = True  # a run may not start with an operator
    prev = ""
    number_next_to_op = False
    pieces = 0
    seen_op = False
    one_expression = " " not in run
    for m in _PIECES.finditer(run):
        if m.group(1):
            continue
        pieces += 1
        if m.group(2):
            number_next_to_op = number_next_to_op or _joins_badly(prev)
            if last_op:
                raise _refuse("an operator without a word before it", run, line, _OP_HINT)
            last_op = seen_op = True
            continue
        if seen_op and not last_op:
            raise _refuse("a word after an A→B expression", run, line, _OP_HINT)
        prev = m.group(3)
        _check_word(prev, run, line, one_expression and (seen_op or m.end() < len(run)))
        if last_op and m.start() > 0 and _joins_badly(prev):
            number_next_to_op = True
        last_op = False
    if pieces > 1 and (":" in run or "$" in run):
        raise _refuse("a word with ':' or '$' next to other words", run, line, _OP_HINT)
    if number_next_to_op:
        raise _refuse("a number, keyword or URL joined by an operator", run, line, _OP_HINT)
    if last_op:
        raise _refuse("an operator without a word after it", run, line, _OP_HINT)


_OP_HINT = "write operators between two words (A→B), or quote the value"


def constructor(line: str, col: int, lineno: int) -> tuple[str, int] | None:
    """A `NAME<q,...>` or `NAME[annotation]` token at `col` as the reference reads it, or None.

    Refused (never changed): an annotation whose content the reference would alter
    (`X[a b]` → `X<ab>`), a second annotation (dropped by the reference), and a constructor
    followed by more words (the reference turns the value into a list).
    """
    m = CONSTRUCTOR.match(line, col)
    if m is None or m.group(1) in _KEYWORDS or SAFE_TOKEN.match(m.group(1)) is None:
        return None
    end = m.end()
    following = line[end] if end < len(line) else ""
    if m.group(2) is None and m.group(3) is None and following != "[":
        return None
    if following == "[":
        raise OctaveError(
            f"annotation after {line[col:end][:40]!r} cannot be read without a change "
            "(octave-mcp drops or rewrites it)",
            line=lineno,
            hint="write NAME[word] or NAME[a,b] with no spaces, or quote the whole value",
        )
    tail = line[end:].lstrip(" ")
    if tail and tail[0] not in ",]" and not tail.startswith("//"):
        raise OctaveError(
            f"{line[col:end][:40]!r} is followed by more words; octave-mcp would read the "
            "value as a list",
            line=lineno,
            hint="quote the whole value, or write a list: [A<b>, more]",
        )
    ann = m.group(3)
    return m.group(1) + (m.group(2) or "") + (f"<{ann}>" if ann is not None else ""), end


BARE_SEEN: dict[str, Any] = {}  # token -> its value (immutable), for tokens read before
BARE_SEEN_MAX = 4096
UNSEEN = object()


def bare_value(run: str, line: int) -> Any:
    """An unquoted value: true/false/null, a number, or text (normalised when needed).

    The same few tokens (`true`, `null`, tool names, counts) fill most lines of an archive:
    a token read once without error gives the same value again, so it is remembered."""
    value = BARE_SEEN.get(run, UNSEEN)
    if value is not UNSEEN:
        return value
    value = _bare_value(run, line)
    if len(BARE_SEEN) < BARE_SEEN_MAX:
        BARE_SEEN[run] = value
    return value


def _bare_value(run: str, line: int) -> Any:
    if " " not in run:
        if run in _WORDS:
            return _WORDS[run]
        if _NUMBER.match(run):
            if "." in run or "e" in run or "E" in run:
                number = float(run)
                if number in (_INF, -_INF):
                    raise OctaveError(f"number {run[:20]!r} is out of range", line=line)
                return number
            try:
                return int(run)
            except ValueError:  # more digits than sys.get_int_max_str_digits()
                raise OctaveError("integer too long to read", line=line) from None
        if SAFE_TOKEN.match(run) is None:
            check_strict(run, line)
        if _NEEDS_NORM.search(run) is None:
            return run
    return normalize_bare(run)
