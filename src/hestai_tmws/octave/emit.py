"""Write a `Document` as canonical OCTAVE: the exact bytes octave-mcp 1.16.0 re-emits.

Layout (2-space indent, no blank lines, trailing newline)::

    ===NAME===
    META:            (omitted when meta is empty)
      KEY::value
    ---
    KEY::value       (top-level body, in dict order)
    BLOCK:
      CHILD::value
    §1::NAME         (sections, in list order)
      KEY::value
    ===END===

Values: ``null``, ``true``/``false``, ints as ``str(int)``, floats as ``repr`` (NaN and infinities
are refused), strings per `lexical` (bare, quoted or ``"~~s:"``-tagged), lists ``[a,b]`` on one
line when they hold at most two scalars, otherwise one item a line; a dict that is the value of a
key is a block, a dict inside a list is a bracketed group of ``key::value`` pairs ``[k::v,...]``;
a `Literal` is a fenced zone on the lines after ``KEY::`` (fence one backtick longer than any
backtick run that starts a content line, minimum three). Whatever the reference cannot hold at a
position is written as ``"~~json:..."`` (see `lexical`).
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from typing import Any

from hestai_tmws.octave import emitted, lexical
from hestai_tmws.octave.errors import OctaveError
from hestai_tmws.octave.model import Document, Literal, Section

#: The reference parser warns from five nested brackets on (W_DEEP_NESTING).
MAX_BRACKET_DEPTH = 4
#: Deeper blocks are refused (the reader caps blocks + lists at 100 as well).
MAX_BLOCK_LEVEL = 90

_FENCE_LINE = re.compile(r"^ *(`{3,})[^\n`]*$", re.MULTILINE)
_SCALAR_TYPES = (str, int, float, type(None))
_PLAIN = frozenset({str, int, float, bool, type(None)})  # exact types `_scalar` writes

_key_cache: set[str] = set()
_CACHED_STR_MAX = 256  # short strings recur (tool names, outcomes, paths); long ones rarely


@lru_cache(maxsize=8192)
def _encoded_short(text: str, force_quote: bool, in_list: bool) -> str:
    """`lexical.encode_str` (a pure function of its arguments) for a short str, remembered."""
    return lexical.encode_str(text, force_quote=force_quote, in_list=in_list)


def _key(key: object, what: str = "key") -> str:
    if isinstance(key, str) and key in _key_cache:
        return key
    valid = lexical.validate_key(key, what)
    if len(_key_cache) < 4096:
        _key_cache.add(valid)
    return valid


def _scalar(value: Any, force_quote: bool = False, in_list: bool = False) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        text = str.__str__(value)
        if len(text) <= _CACHED_STR_MAX:
            return _encoded_short(text, force_quote, in_list)
        return lexical.encode_str(text, force_quote=force_quote, in_list=in_list)
    if isinstance(value, int):
        try:
            return int.__repr__(int(value))
        except ValueError:  # beyond sys.get_int_max_str_digits(): could not be read back either
            raise OctaveError("integer too large to write", hint="store it as a string") from None
    if isinstance(value, float):
        if not math.isfinite(value):
            raise OctaveError(
                f"cannot write non-finite float {value!r}",
                hint='store it as a string, e.g. "nan"',
            )
        return float.__repr__(float(value))
    raise OctaveError(f"cannot write a value of type {type(value).__name__}")


def _plain(value: Any, force_quote: bool) -> str:
    """`_scalar(value, force_quote)` for a value whose exact type is in `_PLAIN`."""
    cls = value.__class__
    if cls is bool:
        return "true" if value else "false"
    if value is None:
        return "null"
    if cls is str and len(value) <= _CACHED_STR_MAX:
        return _encoded_short(value, force_quote, False)
    return _scalar(value, force_quote)


def _contains_dict(value: Any) -> bool:
    if isinstance(value, dict):
        return True
    if isinstance(value, (list, tuple)):
        return any(_contains_dict(v) for v in value)
    return False


def _group_ok(item: dict[str, Any], depth: int) -> bool:
    """Can this list-item dict be a ``[k::v,...]`` group at bracket `depth`, warning-free?

    The reference warns when an inline-map value holds another inline map (at any depth), and
    when a constructor-named key (TYPE, PATTERN, ...) holds a quoted string.
    """
    if not item or depth > MAX_BRACKET_DEPTH:
        return False
    for key, val in item.items():
        if not (isinstance(key, str) and lexical.NUMERIC_KEY_RE.match(key)):
            _key(key)
        if isinstance(val, Literal):
            raise OctaveError(
                f"cannot write a literal zone inside a list item (key {key!r})",
                hint="literal zones are only allowed as the direct value of a key",
            )
        if _contains_dict(val):
            return False
        if key in lexical.CONSTRUCTOR_KEYS:
            if isinstance(val, str) and (
                key in lexical.ALWAYS_QUOTE_KEYS
                or lexical.encode_str(val, in_list=True).startswith('"')
            ):
                return False  # quoted -> W_CONSTRUCTOR_MISUSE, bare -> W_PATTERN_AUTOQUOTE
            if isinstance(val, (list, tuple)) and depth + 1 > MAX_BRACKET_DEPTH:
                return False  # the list would fall back to a quoted ~~json: string
    return True


def _value(value: Any, indent: int, depth: int, force_quote: bool = False) -> str:
    """Inline text of a value at list nesting `depth` (0 = value of a key)."""
    if isinstance(value, _SCALAR_TYPES):
        return _scalar(value, force_quote, depth > 0)
    if isinstance(value, (list, tuple)):
        if depth + 1 > MAX_BRACKET_DEPTH:
            return lexical.tagged_json(list(value))
        return _list(value, indent, depth + 1)
    if isinstance(value, dict):
        # A dict reached here is a list item, or a value that cannot be a block.
        if depth > 0 and _group_ok(value, depth + 1):
            return _group(value, indent, depth + 1)
        return lexical.tagged_json(value)
    if isinstance(value, Literal):
        raise OctaveError(
            "cannot write a literal zone inside a list",
            hint="literal zones are only allowed as the direct value of a key",
        )
    return _scalar(value)


def _multiline(parts: list[str], indent: int) -> str:
    pad = "  " * (indent + 1)
    return "[\n" + pad + (",\n" + pad).join(parts) + "\n" + "  " * indent + "]"


def _list(items: list[Any] | tuple[Any, ...], indent: int, depth: int) -> str:
    if not items:
        return "[]"
    if _repeated_pairs(items, depth):
        return _multiline([_pair(item, indent, depth) for item in items], indent)
    parts = [_value(item, indent + 1, depth) for item in items]
    # Like the reference: 3+ items, a nested list or a NAME<q> item go one item a line.
    if len(parts) >= 3 or any(p.startswith("[") or p.endswith(">") for p in parts):
        return _multiline(parts, indent)
    return "[" + ",".join(parts) + "]"


def _repeated_pairs(items: list[Any] | tuple[Any, ...], depth: int) -> bool:
    """One-pair dicts whose keys repeat: written as the pair list they were read from."""
    if not all(isinstance(i, dict) and len(i) == 1 for i in items):
        return False
    keys = [next(iter(i)) for i in items]
    return len(set(keys)) < len(keys) and all(_group_ok(i, depth + 1) for i in items)


def _pair(item: dict[str, Any], indent: int, depth: int) -> str:
    ((key, val),) = item.items()
    return f"{key}::{_value(val, indent + 1, depth)}"


def _group(item: dict[str, Any], indent: int, depth: int) -> str:
    parts = [f"{key}::{_value(val, indent + 1, depth)}" for key, val in item.items()]
    return _multiline(parts, indent)


def _fence(text: str) -> str:
    longest = max((len(m.group(1)) for m in _FENCE_LINE.finditer(text)), default=0)
    return "`" * max(3, longest + 1)


def _literal(out: list[str], pad: str, key: str, lit: Literal) -> None:
    lang = lit.lang
    if not isinstance(lang, str) or lexical.LANG_RE.match(lang) is None:
        raise OctaveError(f"invalid literal language {lang!r} for key {key!r}")
    if not isinstance(lit.text, str):
        raise OctaveError(f"literal text for key {key!r} must be a str")
    fence = _fence(lit.text)
    out.append(f"{pad}{key}::")
    out.append(f"{pad}{fence}{lang}")
    if lit.text:
        out.append(lit.text)
    out.append(f"{pad}{fence}")


def _has_numeric_key(value: dict[Any, Any]) -> bool:
    """Whether a key of `value` is all digits (a key in `_key_cache` passed `KEY_RE`, which
    starts with a letter or `_`, so it never is)."""
    for k in value:
        if k.__class__ is str and k in _key_cache:
            continue
        if isinstance(k, str) and lexical.NUMERIC_KEY_RE.match(k):
            return True
    return False


def _entry(out: list[str], key: str, value: Any, level: int, block_levels: int, meta: bool) -> None:
    """One ``KEY::value`` or ``KEY:`` block at indent `level`.

    `block_levels` is how many more block levels the position allows: the reference META parser
    only understands one level of nested block. Outside META the reference always quotes the
    str value of PATTERN/REGEX (GH#310), so we must too.
    """
    _key(key)
    pad = "  " * level
    if isinstance(value, dict) and _has_numeric_key(value):
        # A block line `1::x` is dropped by the reference: numeric keys live in a pair list.
        ok = _group_ok(value, 1)
        out.append(
            f"{pad}{key}::" + (_group(value, level, 1) if ok else lexical.tagged_json(value))
        )
        return
    if isinstance(value, dict):
        if level >= MAX_BLOCK_LEVEL:
            raise OctaveError(f"blocks nested deeper than {MAX_BLOCK_LEVEL} levels (key {key!r})")
        if value and block_levels > 0:
            out.append(f"{pad}{key}:")
            child_pad = pad + "  "
            for child_key, child in value.items():
                if (
                    child.__class__ in _PLAIN
                    and child_key.__class__ is str
                    and child_key in _key_cache
                ):
                    # What `_entry` writes for a scalar under a known key, without the detour.
                    force = not meta and child_key in lexical.ALWAYS_QUOTE_KEYS
                    out.append(f"{child_pad}{child_key}::{_plain(child, force)}")
                else:
                    _entry(out, child_key, child, level + 1, block_levels - 1, meta)
            return
        out.append(f"{pad}{key}::{lexical.tagged_json(value)}")
        return
    if isinstance(value, Literal):
        _literal(out, pad, key, value)
        return
    force = not meta and key in lexical.ALWAYS_QUOTE_KEYS
    out.append(f"{pad}{key}::{_value(value, level, 0, force)}")


_BODY_LEVELS = 10_000  # blocks nest freely outside META


def _section_header(sec: Section) -> str:
    if not isinstance(sec, Section):
        raise OctaveError(f"sections must be Section objects, not {type(sec).__name__}")
    number = sec.number
    if isinstance(number, bool) or not isinstance(number, (int, str)):
        raise OctaveError(f"invalid section number {number!r}")
    if isinstance(number, int):
        if number < 0:
            raise OctaveError(f"invalid section number {number!r} (must be >= 0)")
        ident = int.__repr__(int(number))
    else:
        if lexical.SECTION_ID_RE.match(number) is None or (
            not number[0].isdigit() and not lexical.is_bare_safe(number)
        ):
            raise OctaveError(
                f"invalid section number {number!r}",
                hint="use an int, digits plus one letter ('2b') or an identifier",
            )
        ident = number
    _key(sec.name, "section name")
    if sec.annotation is None:
        return f"§{ident}::{sec.name}"
    if not lexical.annotation_ok(sec.annotation):
        raise OctaveError(
            f"section annotation {sec.annotation!r} would not read back unchanged",
            hint='use comma-separated bare words or quoted strings without escapes: a,"b c"',
        )
    return f"§{ident}::{sec.name}[{sec.annotation}]"


def _section(out: list[str], sec: Section, level: int) -> None:
    """A section at indent `level`: header, assignments, then its nested sections."""
    out.append("  " * level + _section_header(sec))
    for key, value in sec.body.items():
        _entry(out, key, value, level + 1, _BODY_LEVELS, False)
    for sub in sec.sections:
        _section(out, sub, level + 1)


def _check_empty_nested(sec: Section, last: bool = True) -> None:
    """The reference nests the next indented line inside an empty nested section, so one may
    only end its top-level section."""
    for n, sub in enumerate(sec.sections, 1):
        sub_last = last and n == len(sec.sections)
        if not (sub.body or sub.sections) and not sub_last:
            raise OctaveError(
                f"nested section {sub.name!r} is empty and not last",
                hint="give it an entry, or move it to the end of its top-level section",
            )
        _check_empty_nested(sub, sub_last)


def emit(doc: Document) -> str:
    """Render `doc` as canonical OCTAVE text (ends with a newline)."""
    if (
        not isinstance(doc.name, str)
        or lexical.ENVELOPE_RE.match(doc.name) is None
        or (doc.name == "END")
    ):
        raise OctaveError(
            f"invalid envelope name {doc.name!r}",
            hint="use [A-Za-z_][A-Za-z0-9_]* (not END), optionally joined by ':' (PATTERN:NAME)",
        )
    out: list[str] = [f"==={doc.name}==="]
    if doc.meta:
        out.append("META:")
        for key, value in doc.meta.items():
            _entry(out, key, value, 1, 1, True)
    out.append("---")
    for key, value in doc.body.items():
        _entry(out, key, value, 0, _BODY_LEVELS, False)
    for sec in doc.sections:
        _check_empty_nested(sec)
        _section(out, sec, 0)
    out.append("===END===")
    text = "\n".join(out) + "\n"
    for more in doc.envelopes:  # the reference separates envelopes with one blank line
        if not isinstance(more, Document) or more.envelopes:
            raise OctaveError("a further envelope must be a Document without envelopes of its own")
        text += "\n" + emit(more)
    emitted.remember(text, doc.name)
    return text
