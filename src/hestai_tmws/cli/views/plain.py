"""What rich prints for plain output (a pipe, or NO_COLOR), without importing rich.

The typer-free paths (`tmws status`, `tmws --help`) print through this module. It answers
only what it can reproduce exactly: `None` means "let rich do it", so an unusual terminal,
text or width falls back to the typer path instead of printing something different.
tests/cli/views/test_plain.py compares it with rich itself.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
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
    """The width rich gives its console: COLUMNS, else the first terminal among 0, 1, 2, else 80."""
    columns = environ.get("COLUMNS")
    if columns is not None and columns.isdigit():
        return int(columns)
    if terminal and environ.get("TERM", "").lower() in ("dumb", "unknown"):
        return 80
    width = 0
    for fd in (0, 1, 2):
        try:
            width = os.get_terminal_size(fd).columns
        except (AttributeError, ValueError, OSError):
            continue
        break
    return width or 80


def plain_width(
    stream: TextIO | None = None, environ: Mapping[str, str] = os.environ
) -> int | None:
    """The console width when rich would print `stream` without any escape sequence, else None.

    That is a stream that is no terminal, or NO_COLOR (tmws then turns rich's colours off),
    on an encoding that has the box characters.
    """
    out = sys.stdout if stream is None else stream
    if sys.platform == "win32" or "utf" not in (getattr(out, "encoding", "") or "").lower():
        return None
    terminal = is_terminal(out, environ)
    if terminal and not environ.get("NO_COLOR"):
        return None
    return console_width(terminal, environ)


def _cell(text: str, width: int, justify: str) -> str:
    return " " + (text.rjust(width) if justify == "right" else text.ljust(width)) + " "


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
) -> list[str] | None:
    """The lines of `output.table(columns, rows, title=...)` as rich prints it; None when unsure.

    Only a table that fits the console at its natural width is drawn here: rich wraps
    cells of a wider one by rules this module does not repeat.
    """
    texts = [*columns, *(cell for row in rows for cell in row), title or ""]
    if not all(safe(t) for t in texts) or any(len(row) != len(columns) for row in rows):
        return None
    widths = [max([len(c)] + [len(row[i]) for row in rows]) for i, c in enumerate(columns)]
    if sum(widths) + 3 * len(widths) + 1 > width:
        return None
    aligns = [(justify or {}).get(c, "left") for c in columns]
    lines = [title] if title else []  # rich shows no line for an empty title
    lines.append(_rule(_TOP, widths))
    head_cells = (_cell(c, w, "left") for c, w in zip(columns, widths, strict=True))
    lines.append(_HEAD[0] + _HEAD[1].join(head_cells) + _HEAD[2])
    lines.append(_rule(_RULE, widths))
    for row in rows:
        cells = (_cell(t, w, a) for t, w, a in zip(row, widths, aligns, strict=True))
        lines.append(_BODY[0] + _BODY[1].join(cells) + _BODY[2])
    lines.append(_rule(_BOTTOM, widths))
    return lines
