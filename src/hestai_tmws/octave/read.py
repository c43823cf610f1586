"""Read OCTAVE text into a `Document`: everything `emit` writes, plus tidy hand-written files.

Accepted beyond our canonical output: blank lines, ``//`` comments, any consistent indentation,
optional ``---``, ``#N::NAME`` for ``§N::NAME``, ``§ID::`` (name = ID), section annotations
``§N::NAME[a,"b"]``, nested sections, further envelopes after ``===END===``, multi-line lists,
multi-word bare values (joined with one space), ASCII operator spellings (``->`` ``<->`` ``+``
``~`` ``|`` ``&`` ``vs``), ``[k::v,...]`` groups (a dict), one-line ``\"\"\"triple\"\"\"`` strings
and unknown backslash pairs inside quotes (kept verbatim) — each read as octave-mcp reads it.

Rejected with `OctaveError` (and the 1-based line): whatever the reference refuses, and
whatever it would silently drop or rewrite (see docs/octave-subset.md for the list).

Why line-based: every construct except multi-line lists and literal zones lives on one line, so
per-line regexes keep reading linear and fast (no per-character Python loop).
"""

from __future__ import annotations

import re
from itertools import accumulate
from pathlib import Path
from typing import Any

from hestai_tmws.octave import lexical, read_headers
from hestai_tmws.octave.errors import OctaveError
from hestai_tmws.octave.model import Document, Literal, Section
from hestai_tmws.octave.read_headers import envelope_name, not_an_entry, opens_meta, section_header
from hestai_tmws.octave.read_lists import NOT_A_PAIR, finish_list, holds_map
from hestai_tmws.octave.read_quirks import check_nested_section
from hestai_tmws.octave.read_runs import QUOTED, read_blocks, read_run
from hestai_tmws.octave.read_scalars import bare_value, check_strict, constructor
from hestai_tmws.octave.read_zones import find_literal_zones

_ENTRY = re.compile(r"([A-Za-z_][A-Za-z0-9_.\-]*) *(::?)")
_QSTR = re.compile(f'"({QUOTED})"')
_TQSTR = re.compile(r'"""((?:[^"\\\n]|\\.|"(?!""))*)"""')
_PAIR = re.compile(r"([A-Za-z_][A-Za-z0-9_.\-]*|[0-9]+) *::")
_BARE = re.compile(r'(?!//)[^ ,\[\]"]+(?: +(?!//)[^ ,\[\]"]+)*')
_SIMPLE_ENTRY = re.compile(
    rf'([A-Za-z_][A-Za-z0-9_.\-]*)(?<!-)::(?:"({QUOTED})"|([A-Za-z0-9_.\-$]+))\Z'
)
_SIMPLE_ITEM = re.compile(rf'(?:"({QUOTED})"|([A-Za-z0-9_.\-$]+)) *(,|\]|\Z)')
_NOT_KEY_START = frozenset('"[-$')
_KEYWORDS = frozenset({"true", "false", "null", "vs"})
_REST_OK = re.compile(r" *(?://.*)?\Z")
_GAP = re.compile(r" *(?://.*)?")
_SPACES = re.compile(r" *")
#: The reference stops at 100 nested brackets (E_MAX_NESTING_EXCEEDED); we cap blocks too.
MAX_NESTING = 100


class _Reader:
    """One pass over one text; `lines` are split on LF only (never on other line breaks)."""

    def __init__(self, text: str) -> None:
        if text.startswith("\ufeff"):
            raise OctaveError(
                "byte-order mark before the envelope", line=1, hint="save as UTF-8 without BOM"
            )
        self.text = text
        self.lines = text.split("\n")
        self.n = len(self.lines)
        # offset of each line in `text` (lines are split on LF: each is its length + 1 long)
        self.starts = list(accumulate(map((1).__add__, map(len, self.lines)), initial=0))
        # opening fence line index -> (closing fence line index, info tag)
        self.fences = find_literal_zones(text)
        self.depth = 0  # open blocks + lists, capped so hostile input cannot exhaust the stack

    def _skip(self, i: int) -> int:
        """The first line at or after `i` that is neither blank nor a comment."""
        lines, n = self.lines, self.n
        while i < n and (not lines[i].strip(" ") or lines[i].lstrip(" ").startswith("//")):
            i += 1
        return i

    def document(self) -> Document:
        i = self._skip(0)
        if i >= self.n:
            raise OctaveError("empty document (expected ===NAME===)", line=1)
        doc, end = self._envelope(i)
        # Further envelopes (octave-mcp's additional_envelopes) may follow, each with its END.
        while (i := self._skip(end + 1)) < self.n and envelope_name(self.lines[i]) is not None:
            more, end = self._envelope(i)
            doc.envelopes.append(more)
        for j in range(end + 1, self.n):
            if self.lines[j].strip(" "):
                raise OctaveError("content after ===END===", line=j + 1)
        return doc

    def _envelope(self, i: int) -> tuple[Document, int]:
        """The envelope opened on line `i`, and the index of its ``===END===`` line."""
        lines, n = self.lines, self.n
        name = envelope_name(lines[i])
        if name is None:
            raise OctaveError(
                f"expected the envelope ===NAME===, found {lines[i][:40]!r}", line=i + 1
            )
        doc = Document(name=name)
        i += 1
        seen_sep = seen_entry = meta_done = False
        body_lines: dict[str, int] = {}
        while i < n:
            raw = lines[i]
            text = raw.strip(" ")
            if not text or text.startswith("//"):
                i += 1
                continue
            if i in self.fences:
                raise OctaveError("a literal zone must follow KEY:: on the line before", line=i + 1)
            if raw[0] == " ":
                raise OctaveError("unexpected indentation at top level", line=i + 1)
            if text == "===END===":
                return doc, i
            if text.startswith("==="):
                raise OctaveError(f"unexpected envelope marker {text[:40]!r}", line=i + 1)
            if text == "---":
                if seen_sep or seen_entry:
                    raise OctaveError("'---' is only allowed once, right after META", line=i + 1)
                seen_sep = meta_done = True
                i += 1
                continue
            if text[0] in "§#":
                i = self._section(i, 0, doc.sections)
                seen_entry = meta_done = True
                continue
            if not meta_done:
                meta_done = True
                if opens_meta(raw):
                    i = self._block(i + 1, 0, doc.meta)
                    continue
            i = self._entry(i, 0, doc.body, body_lines)
            seen_entry = True
        raise OctaveError("missing ===END===", line=n - 1 if n > 1 and not lines[-1] else n)

    def _section(self, i: int, indent: int, into: list[Section]) -> int:
        sec = section_header(self.lines[i], i + 1)
        into.append(sec)
        j = self._block(i + 1, indent, sec.body, sec.sections)
        empty = not (sec.body or sec.sections)
        check_nested_section(self.lines, i, j, self._skip(j), indent, empty)
        return j

    # -- blocks -------------------------------------------------------------------------------
    def _nest(self, line: int) -> None:
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise OctaveError(f"nesting deeper than {MAX_NESTING} blocks and lists", line=line)

    def _block(
        self, i: int, parent: int, into: dict[str, Any], subs: list[Section] | None = None
    ) -> int:
        """Entries indented deeper than `parent`, all at the first child's indent (and, in a
        section, the sections nested in it)."""
        self._nest(i)
        try:
            return self._block_body(i, parent, into, subs)
        finally:
            self.depth -= 1

    def _block_body(
        self, i: int, parent: int, into: dict[str, Any], subs: list[Section] | None
    ) -> int:
        lines, n, fences, starts = self.lines, self.n, self.fences, self.starts
        child = -1
        key_lines: dict[str, int] = {}
        while i < n:
            raw = lines[i]
            text = raw.lstrip(" ")
            if not text or text.startswith("//"):
                if text and 0 < len(raw) - len(text) < child:
                    read_headers.comment_dedent(lines, i, self._skip(i), child)
                i += 1
                continue
            indent = len(raw) - len(text)
            if indent <= parent:
                break
            if i in fences:
                raise OctaveError("a literal zone must follow KEY:: on the line before", line=i + 1)
            if child < 0:
                child = indent
            elif indent != child:
                raise OctaveError(
                    f"bad indentation: expected {child} spaces, found {indent}", line=i + 1
                )
            # KEY::"text" / KEY::token lines, one after another: most lines of an archive
            done = read_run(self.text, starts[i], indent, i + 1, into, key_lines)
            if not done and raw[-1] == ":" and self.depth < MAX_NESTING:  # KEY: blocks of such
                done = read_blocks(self.text, starts[i], indent, i + 1, into, key_lines)
            if done:
                i += done
                continue
            if subs is not None and text[0] in "§#":
                i = self._section(i, indent, subs)
                continue
            i = self._entry(i, indent, into, key_lines)
        return i

    def _entry(self, i: int, indent: int, into: dict[str, Any], key_lines: dict[str, int]) -> int:
        raw = self.lines[i]
        fast = _SIMPLE_ENTRY.match(raw, indent)
        if fast is not None:  # KEY::"text" or KEY::token alone on its line: the common case
            key = fast.group(1)
            if key in key_lines:
                fast = None  # let the general path report it
            else:
                key_lines[key] = i + 1
                quoted = fast.group(2)
                if quoted is not None:
                    into[key] = lexical.decode_string(lexical.unescape(quoted), i + 1)
                else:
                    into[key] = bare_value(fast.group(3), i + 1)
                return i + 1
        m = _ENTRY.match(raw, indent)
        if m is None:
            raise not_an_entry(raw, i + 1)
        key, op = m.group(1), m.group(2)
        if lexical.KEY_RE.match(key) is None:
            raise OctaveError(f"invalid key {key!r}", line=i + 1)
        if key in key_lines:
            raise OctaveError(f"duplicate key {key!r} (first at line {key_lines[key]})", line=i + 1)
        key_lines[key] = i + 1
        if op == ":":
            if _REST_OK.match(raw, m.end()) is None:
                raise OctaveError(
                    f"single colon after {key!r}: write {key}::value, or put the block's "
                    "children on the following, indented lines",
                    line=i + 1,
                )
            block: dict[str, Any] = {}
            j = self._block(i + 1, indent, block)
            if not block:
                raise OctaveError(f"block {key}: has no indented children", line=i + 1)
            into[key] = block
            return j
        if _REST_OK.match(raw, m.end()):
            zone = self.fences.get(i + 1)
            if zone is None:
                raise OctaveError(f"missing value after {key}::", line=i + 1)
            close, lang = zone
            into[key] = Literal("\n".join(self.lines[i + 2 : close]), lang)
            return close + 1
        value, j, col = self._value(i, m.end())
        if _REST_OK.match(self.lines[j], col) is None:
            raise OctaveError(
                f"unexpected text after the value of {key!r}: {self.lines[j][col:][:40]!r}",
                line=j + 1,
            )
        into[key] = value
        return j + 1

    # -- values --------------------------------------------------------------------------------
    def _value(self, i: int, col: int) -> tuple[Any, int, int]:
        line = self.lines[i]
        if col < len(line) and line[col] == " ":
            col = _SPACES.match(line, col).end()  # type: ignore[union-attr]
        if col >= len(line):
            raise OctaveError("missing value", line=i + 1)
        ch = line[col]
        if ch == '"' and line.startswith('"""', col):  # as octave-mcp: the same escapes
            m = _TQSTR.match(line, col)
            if m is None:
                raise OctaveError("unterminated or multi-line triple-quoted string", line=i + 1)
            return lexical.decode_string(lexical.unescape(m.group(1)), i + 1), i, m.end()
        if ch == '"':
            m = _QSTR.match(line, col)
            if m is None:
                raise OctaveError("unterminated string", line=i + 1)
            return lexical.decode_string(lexical.unescape(m.group(1)), i + 1), i, m.end()
        if ch == "[":
            return self._list(i, col)
        ctor = constructor(line, col, i + 1)
        if ctor is not None:
            return ctor[0], i, ctor[1]
        m = _BARE.match(line, col)
        if m is None:
            raise OctaveError(f"unexpected {line[col:][:20]!r}", line=i + 1)
        check_strict(m.group(), i + 1)
        return bare_value(m.group(), i + 1), i, m.end()

    def _gap(self, i: int, col: int, opened: int) -> tuple[int, int]:
        """Skip spaces, comments and line breaks inside a list."""
        lines, fences = self.lines, self.fences
        while True:
            line = lines[i]
            if col < len(line):
                if line[col] not in " /":
                    return i, col
                col = _GAP.match(line, col).end()  # type: ignore[union-attr]
                if col < len(line):
                    return i, col
            i += 1
            col = 0
            if i >= self.n or ("===END===" in lines[i] and lines[i].strip(" ") == "===END==="):
                raise OctaveError(
                    f"'[' opened at line {opened + 1} is never closed", line=opened + 1
                )
            if i in fences:
                raise OctaveError("literal zones are not allowed inside a list", line=i + 1)

    def _list(self, i: int, col: int) -> tuple[Any, int, int]:
        self._nest(i + 1)
        try:
            return self._list_body(i, col)
        finally:
            self.depth -= 1

    def _list_body(self, i: int, col: int) -> tuple[Any, int, int]:
        opened = i
        col += 1
        keys: list[Any] = []
        values: list[Any] = []
        simple = _SIMPLE_ITEM.match
        while True:
            i, col = self._gap(i, col, opened)
            line = self.lines[i]
            if line[col] == "]":
                col += 1
                break
            fast = simple(line, col)
            if fast is not None:  # "text" or token, then ',' / ']' / end of line
                quoted = fast.group(1)
                if quoted is None:
                    values.append(bare_value(fast.group(2), i + 1))
                elif "\\" in quoted or quoted.startswith("~~"):
                    values.append(lexical.decode_string(lexical.unescape(quoted), i + 1))
                else:
                    values.append(quoted)
                keys.append(NOT_A_PAIR)
                col = fast.end()
                sep = fast.group(3)
                if sep == "]":
                    break
                if sep == ",":
                    continue
            else:
                i, col = self._item(i, col, keys, values)
            i, col = self._gap(i, col, opened)
            ch = self.lines[i][col]
            if ch == ",":
                col += 1
                continue
            if ch == "]":
                col += 1
                break
            raise OctaveError(
                f"expected ',' or ']' in the list opened at line {opened + 1}, "
                f"found {self.lines[i][col:][:20]!r}",
                line=i + 1,
            )
        return finish_list(keys, values), i, col

    def _item(self, i: int, col: int, keys: list[Any], values: list[Any]) -> tuple[int, int]:
        """One list item in full generality (a ``key::value`` pair or any value); returns the
        position just after it."""
        line = self.lines[i]
        pm = None if line[col] in _NOT_KEY_START else _PAIR.match(line, col)
        if pm is not None:
            key = pm.group(1)
            if key in _KEYWORDS or (not key.isdigit() and lexical.KEY_RE.match(key) is None):
                raise OctaveError(f"invalid key {key!r}", line=i + 1)
            keys.append(key)
            col = pm.end()
        else:
            keys.append(NOT_A_PAIR)
        start = i
        value, i, col = self._value(i, col)
        if pm is not None and holds_map(value):
            raise OctaveError(
                f"the pair {pm.group(1)!r} in a list holds pairs: octave-mcp strict refuses "
                "inline maps inside inline maps (E_NESTED_INLINE_MAP)",
                line=start + 1,
                hint="make it a block (KEY: with indented children) instead of a list of pairs",
            )
        values.append(value)
        return i, col


def parse(text: str) -> Document:
    """Read OCTAVE `text` into a `Document`; raise `OctaveError` (with the line) when invalid."""
    if not isinstance(text, str):
        raise OctaveError(f"expected str, got {type(text).__name__}")
    return _Reader(text).document()


def parse_file(path: str | Path) -> Document:
    """Read a UTF-8 ``.oct.md`` file (bytes are read as-is: no newline translation)."""
    data = Path(path).read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise OctaveError(f"{path}: not valid UTF-8 ({exc.reason} at byte {exc.start})") from None
    return parse(text)
