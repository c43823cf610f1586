"""What rich prints for plain output (a pipe, or NO_COLOR), without importing rich.

On a colour terminal the same layout carries rich's SGR codes (`console_style`, `sgr`).
The typer-free paths (`tmws status`, `tmws --help`) print through this module. It answers
only what it can reproduce exactly: `None` means "let rich do it", so an unusual terminal,
text or width falls back to the typer path instead of printing something different.
tests/cli/views/test_plain.py compares it with rich itself.
"""

from __future__ import annotations

import itertools
import os
import sys
from collections.abc import Iterator, Mapping, Sequence

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (~7 ms)
if TYPE_CHECKING:
    from typing import TextIO

# Box of rich's default table (HEAVY_HEAD): top, header, header rule, body, bottom.
_TOP = ("┏", "━", "┳", "┓")
_HEAD = ("┃", "┃", "┃")
_RULE = ("┡", "━", "╇", "┩")
_BODY = ("│", "│", "│")
_BOTTOM = ("└", "─", "┴", "┘")


# Characters one cell wide that rich prints as they are: ASCII, Latin, general punctuation
# (… – ‘ ’), arrows (→) and box lines. tests/cli/views/test_plain.py checks each with rich.
SAFE_RANGES = (
    (" ", "\x7e"),
    ("\xa0", "\u02ff"),
    ("\u2010", "\u2027"),
    ("\u2030", "\u205e"),
    ("\u2190", "\u21ff"),
    ("\u2500", "\u257f"),
)


def safe(text: str) -> bool:
    """Whether every character takes one cell and is shown as is by rich.

    Control characters (rich drops or expands some), wide characters and combining marks
    (rich measures them by its own tables) are left to rich.
    """
    return all(any(low <= ch <= high for low, high in SAFE_RANGES) for ch in text)


def is_terminal(stream: TextIO, environ: Mapping[str, str] = os.environ) -> bool:
    """rich's answer to "does this stream understand escape sequences?"."""
    compatible = environ.get("TTY_COMPATIBLE", "")
    if compatible in ("0", "1"):
        return compatible == "1"
    force = environ.get("FORCE_COLOR")
    if force is not None:
        return force != ""
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def console_width(terminal: bool, environ: Mapping[str, str] = os.environ) -> int:
    """The width rich gives its console (`Console.size`), read the way rich reads it.

    COLUMNS wins, but on a dumb terminal only when LINES is set too (else it is 80 wide);
    without COLUMNS, the first terminal among fds 0, 1, 2, and 80 when none says.
    """
    columns = environ.get("COLUMNS")
    given = int(columns) if columns is not None and columns.isdigit() else None
    lines = environ.get("LINES")
    if given is not None and lines is not None and lines.isdigit():
        return given
    if terminal and environ.get("TERM", "").lower() in ("dumb", "unknown"):
        return 80
    if given is not None:
        return given
    width = 0
    for fd in (0, 1, 2):
        try:
            width = os.get_terminal_size(fd).columns
        except (AttributeError, ValueError, OSError):
            continue
        break
    return width or 80


def console_style(
    stream: TextIO | None = None, environ: Mapping[str, str] = os.environ
) -> tuple[int, bool] | None:
    """(console width, whether rich styles it) for `stream`, or None when only rich knows.

    rich styles a terminal (or FORCE_COLOR / TTY_COMPATIBLE=1) unless NO_COLOR is set (tmws
    then turns rich's colours off) or TERM is dumb. The styles tmws and typer use are bold,
    dim and the eight standard colours, which every colour system (standard, 256, truecolor)
    writes with the same SGR codes, so the colour system itself need not be known. None on
    Windows, an encoding without the box characters, or a dumb terminal.
    """
    out = sys.stdout if stream is None else stream
    if sys.platform == "win32" or "utf" not in (getattr(out, "encoding", "") or "").lower():
        return None
    terminal = is_terminal(out, environ)
    if terminal and environ.get("TERM", "").lower() in ("dumb", "unknown"):
        return None  # rich sizes dumb terminals by rules of its own: rare, so left to rich
    styled = terminal and not environ.get("NO_COLOR")
    return console_width(terminal, environ), styled


def plain_width(
    stream: TextIO | None = None, environ: Mapping[str, str] = os.environ
) -> int | None:
    """The console width when rich would print `stream` without any escape sequence, else None."""
    style = console_style(stream, environ)
    return style[0] if style is not None and not style[1] else None


def sgr(text: str, code: str) -> str:
    """`text` in the SGR style `code` (e.g. "1;36") as rich writes a styled segment.

    rich resets after every segment and writes an empty one as nothing.
    """
    return f"\x1b[{code}m{text}\x1b[0m" if code and text else text


def words(text: str) -> Iterator[tuple[int, str]]:
    """(offset, word with the spaces around it) as rich's `\\s*\\S+\\s*` finds them.

    Written out rather than a regular expression: `re` costs the fast paths an import.
    """
    i, n = 0, len(text)
    while i < n:
        start = i
        while i < n and text[i].isspace():
            i += 1
        if i == n:
            return  # only spaces left: no word
        while i < n and not text[i].isspace():
            i += 1
        while i < n and text[i].isspace():
            i += 1
        yield start, text[start:i]


def wrap(text: str, width: int) -> list[str]:
    """Lines of `text` at most `width` wide, broken as rich's `divide_line` breaks them.

    Lines break before a word that does not fit; a word wider than `width` is cut into
    pieces of `width` (rich's "fold" overflow). Trailing spaces are dropped (a cell pads).
    """
    lines: list[str] = []
    for paragraph in text.split("\n"):
        breaks: list[int] = []
        offset = 0
        for start, word in words(paragraph):
            size = len(word.rstrip())
            if width - offset >= size:
                offset += len(word)
            elif size > width:
                pieces = [word[i : i + width] for i in range(0, len(word), width)]
                for index, piece in enumerate(pieces):
                    if start:
                        breaks.append(start)
                    if index == len(pieces) - 1:
                        offset = len(piece)
                    else:
                        start += len(piece)
            elif offset and start:
                breaks.append(start)
                offset = len(word)
        edges = [0, *breaks, len(paragraph)]
        lines += [paragraph[a:b][:width].rstrip() for a, b in itertools.pairwise(edges)]
    return lines


def ratio_reduce(
    total: int, ratios: list[int], maximums: list[int], values: list[int]
) -> list[int]:
    """rich's `ratio_reduce`: take `total` off `values` in proportion, each at most its maximum."""
    ratios = [r if m else 0 for r, m in zip(ratios, maximums, strict=True)]
    total_ratio = sum(ratios)
    if not total_ratio:
        return values[:]
    out: list[int] = []
    for ratio, maximum, value in zip(ratios, maximums, values, strict=True):
        if ratio and total_ratio > 0:
            cut = min(maximum, round(ratio * total / total_ratio))
            out.append(value - cut)
            total -= cut
            total_ratio -= ratio
        else:
            out.append(value)
    return out


def collapse(widths: list[int], room: int) -> list[int]:
    """rich's `Table._collapse_widths` (every column may wrap): narrow the widest first."""
    excess = sum(widths) - room
    while sum(widths) and excess > 0:
        widest = max(widths)
        second = max((w for w in widths if w != widest), default=0)
        ratios = [1 if w == widest else 0 for w in widths]
        if not widest - second:
            break
        widths = ratio_reduce(excess, ratios, [min(excess, widest - second)] * len(widths), widths)
        excess = sum(widths) - room
    return widths


def fit(natural: list[int], room: int) -> list[int]:
    """Column widths of a rich table whose columns want `natural` and may share `room`."""
    natural = [min(n, room) for n in natural]  # rich measures no column wider than the table
    widths = natural[:]
    if sum(widths) > room:
        widths = collapse(widths, room)
        if sum(widths) > room:  # rich's last resort: narrow every column evenly
            widths = ratio_reduce(sum(widths) - room, [1] * len(widths), widths, widths)
        widths = [min(n, w) for n, w in zip(natural, widths, strict=True)]
    return widths


def _cells(text: str, width: int, justify: str) -> list[str]:
    lines = wrap(text, width) if text else [""]
    return [
        " " + (ln.rjust(width) if justify == "right" else ln.ljust(width)) + " " for ln in lines
    ]


def _row(
    cells: list[list[str]], widths: Sequence[int], edge: tuple[str, str, str], *, bottom: bool
) -> list[str]:
    """The lines of one table row; a short cell is padded below (body) or above (header)."""
    height = max(len(c) for c in cells)
    blank = [[" " * (w + 2)] * (height - len(c)) for c, w in zip(cells, widths, strict=True)]
    columns = [b + c if bottom else c + b for c, b in zip(cells, blank, strict=True)]
    return [edge[0] + edge[1].join(line) + edge[2] for line in zip(*columns, strict=True)]


def _rule(parts: tuple[str, str, str, str], widths: Sequence[int]) -> str:
    left, line, cross, right = parts
    return left + cross.join(line * (w + 2) for w in widths) + right


def table(
    columns: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    title: str | None,
    width: int,
    justify: Mapping[str, str] | None = None,
    styled: bool = False,
) -> list[str] | None:
    """The lines of `output.table(columns, rows, title=...)` as rich prints it; None when unsure.

    A table wider than the console is narrowed and its cells wrapped by rich's rules.
    `styled`: on a terminal, where rich writes the headers bold (then a header must fit
    on one line: how rich styles the blank lines of a wrapped header is not repeated here).
    """
    texts = [*columns, *(cell for row in rows for cell in row), title or ""]
    if not all(safe(t) for t in texts) or any(len(row) != len(columns) for row in rows):
        return None
    natural = [max([len(c)] + [len(row[i]) for row in rows]) + 2 for i, c in enumerate(columns)]
    widths = [w - 2 for w in fit(natural, width - len(columns) - 1)]
    narrow = any(w < len(c) for w, c in zip(widths, columns, strict=True))
    if min(widths) < 1 or (styled and narrow):
        return None
    aligns = [(justify or {}).get(c, "left") for c in columns]
    lines = [title] if title else []  # rich shows no line for an empty title
    lines.append(_rule(_TOP, widths))
    head = [_cells(c, w, a) for c, w, a in zip(columns, widths, aligns, strict=True)]
    if styled:  # the padding and the text of each header cell, each bold
        head = [[sgr(" ", "1") + sgr(c[0][1:-1], "1") + sgr(" ", "1")] for c in head]
    lines += _row(head, widths, _HEAD, bottom=True)  # rich aligns headers at the bottom
    lines.append(_rule(_RULE, widths))
    for row in rows:
        cells = [_cells(t, w, a) for t, w, a in zip(row, widths, aligns, strict=True)]
        lines += _row(cells, widths, _BODY, bottom=False)
    lines.append(_rule(_BOTTOM, widths))
    return lines
