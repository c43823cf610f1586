"""Runs of simple entries, read with two regex calls instead of a Python loop per line.

Most lines of what `emit` writes (nearly every line of a session archive) are
``KEY::"text"`` or ``KEY::token`` alone on a line, one after another at one indent. The
reader's block loop hands such a run to `read_run`, which finds where the run ends with one
match over the text, then splits it into (key, value) pairs with one `findall`. Each pair is
then read exactly as the block loop reads the line: the same regex (`_SIMPLE_ENTRY`, with the
end of the line spelled as the newline that ends it in the text), the same duplicate rule and
the same value readers, so the result is the general path's (tests/octave/test_read_runs.py
compares both over generated documents). A line the run does not recognise ends it; the
block loop reads that line in full generality.
"""

from __future__ import annotations

import re
from typing import Any

from hestai_tmws.octave import lexical
from hestai_tmws.octave.read_scalars import BARE_SEEN, UNSEEN, bare_value

#: The inside of a one-line quoted string: `(?:[^"\\\n]|\\.)*` unrolled into one character
#: class repeat per run of plain characters (the alternation costs a branch per character;
#: same language, same match: tests/octave/test_read_runs.py).
QUOTED = r'[^"\\\n]*(?:\\.[^"\\\n]*)*'
# `read._SIMPLE_ENTRY` without its groups; a line ends at LF, or at the end of the text.
_KEY = r"[A-Za-z_][A-Za-z0-9_.\-]*(?<!-)"
_VALUE = rf'"{QUOTED}"|[A-Za-z0-9_.\-$]+'
_END = r"(?:\n|\Z)"
_MAX_CACHED = 64  # indents with compiled patterns kept (hand-written files use a few)
_patterns: dict[tuple[bool, int], tuple[re.Pattern[str], re.Pattern[str]]] = {}
_CLOSES = re.compile(r" *[^ /\n]")  # a line that ends the blocks before it, by its indent

#: Off: every line goes through the block loop (the tests compare both ways).
ENABLED = [True]


def _compiled(blocks: bool, indent: int) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(whole batch, one line of it) at exactly `indent` spaces: a run of simple entries, or
    (`blocks`) `KEY:` blocks holding only simple entries at `indent` + 2 (a session archive's
    tool calls and traces)."""
    found = _patterns.get((blocks, indent))
    if found is None:
        pad, inner = " " * indent, " " * (indent + 2)
        if blocks:
            entry = f"{inner}{_KEY}::(?:{_VALUE})\n"
            whole = f"(?:{pad}{_KEY}:\n(?:{entry})+)+"
            one = f"{pad}({_KEY}):\n|{inner}({_KEY})::({_VALUE})\n"
        else:
            whole, one = f"(?:{pad}{_KEY}::(?:{_VALUE}){_END})+", f"{pad}({_KEY})::({_VALUE}){_END}"
        found = (re.compile(whole), re.compile(one))
        if len(_patterns) < _MAX_CACHED:
            _patterns[(blocks, indent)] = found
    return found


def _start(
    blocks: bool, indent: int, text: str, pos: int
) -> tuple[re.Match[str], re.Pattern[str]] | None:
    """The whole batch matched at `pos` and the pattern of one of its lines, or None (no
    batch there, or the fast path switched off)."""
    if not ENABLED[0]:
        return None
    whole, part = _compiled(blocks, indent)
    m = whole.match(text, pos)
    return None if m is None else (m, part)


def read_run(
    text: str, pos: int, indent: int, line: int, into: dict[str, Any], key_lines: dict[str, int]
) -> int:
    """Read the run of simple entries at `indent` that starts at offset `pos` of `text`
    (1-based line `line`) into `into`; returns how many lines it read (0: none).

    A run stops before a key already in `key_lines`: the general path reports it."""
    started = _start(False, indent, text, pos)
    if started is None:
        return 0
    m, one = started
    done = line
    for key, value in one.findall(text, pos, m.end()):
        if key in key_lines:
            break
        key_lines[key] = done
        into[key] = _value(value, done)
        done += 1
    return done - line


def _value(token: str, line: int) -> Any:
    """The value of a `_VALUE` match, as the block loop reads it."""
    if token[0] != '"':
        return bare_value(token, line)
    quoted = token[1:-1]
    if "\\" in quoted or quoted.startswith("~~"):
        return lexical.decode_string(lexical.unescape(quoted), line)
    return quoted


def read_blocks(
    text: str, pos: int, indent: int, line: int, into: dict[str, Any], key_lines: dict[str, int]
) -> int:
    """Read the `KEY:` blocks of simple entries that start at offset `pos` (line `line`),
    each a dict in `into`, as the block loop would; returns how many lines it read.

    Only whole blocks are read: a block with a duplicate key (or a duplicate block key)
    stops the batch before it, and the last block is left to the general path unless the
    line after it plainly closes it (indented at most `indent`, not blank, not a comment).
    The caller checks that one more block fits under the nesting limit."""
    started = _start(True, indent, text, pos)
    if started is None:
        return 0
    m, parts = started
    after = _CLOSES.match(text, m.end())
    closed = after is not None and after.end() - 1 - m.end() <= indent
    done = 0  # lines of the blocks read so far
    head = ""
    block: dict[str, Any] = {}
    inner: dict[str, int] = {}
    for n, (name, key, value) in enumerate(parts.findall(text, pos, m.end())):
        if name:
            if head:
                into[head] = block
                done = n
            if name in key_lines:
                return done
            key_lines[name] = line + n
            head, block, inner = name, {}, {}
        elif key in inner:
            del key_lines[head]
            return done
        else:
            inner[key] = line + n
            # `_value` inlined (a tool call's values: a quoted digest, tokens read before)
            if value[0] != '"':
                known = BARE_SEEN.get(value, UNSEEN)
                block[key] = bare_value(value, line + n) if known is UNSEEN else known
            elif "\\" in value or value.startswith('"~~'):
                block[key] = _value(value, line + n)
            else:
                block[key] = value[1:-1]
    if not closed:
        del key_lines[head]
        return done
    into[head] = block
    return n + 1
