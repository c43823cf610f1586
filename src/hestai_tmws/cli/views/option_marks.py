"""typer's option highlighter (`rich_utils.OptionHighlighter`) as SGR bytes, without `re`.

typer colours every `-x` (a switch, bold green) and `--name` (an option, bold cyan) in its
help texts. rich splits a text at every edge of those spans and writes each piece with
its own reset, even two neighbours of the same style; `paint` does the same.
"""

from __future__ import annotations

import itertools

from hestai_tmws.cli.views.plain import sgr

OPTION = "1;36"  # typer's STYLE_OPTION, bold cyan; it wins over a switch inside it
SWITCH = "1;32"  # typer's STYLE_SWITCH, bold green


def _word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _starts(text: str, i: int) -> bool:
    """Whether a match may begin at `i`: the start of the text or after a non-word character."""
    return i == 0 or not _word(text[i - 1])


def spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, style) of typer's switch and option matches, switches first (as rich)."""
    out: list[tuple[int, int, str]] = []
    n = len(text)
    for long in (False, True):
        i = 0
        while i < n:
            lead = 2 if long else 1
            if text.startswith("-" * lead, i) and _starts(text, i):
                end = i + lead
                while end < n and (_word(text[end]) or (long and text[end] == "-")):
                    end += 1
                if end > i + lead:
                    out.append((i, end, OPTION if long else SWITCH))
                    i = end
                    continue
            i += 1
    return out


def unsure(text: str) -> bool:
    """Whether typer's other highlights (`<type>`, `Usage: `) could touch `text`."""
    return "<" in text or "Usage: " in text


def paint(text: str, offset: int, marks: list[tuple[int, int, str]]) -> str:
    """`text` (found at `offset` of the highlighted whole) with the marks over it."""
    end = offset + len(text)
    edges = {offset, end}
    for start, stop, _ in marks:
        edges.update(e for e in (start, stop) if offset < e < end)
    cuts = sorted(edges)
    out: list[str] = []
    for a, b in itertools.pairwise(cuts):
        styles = [s for start, stop, s in marks if start <= a and b <= stop]
        code = OPTION if OPTION in styles else (SWITCH if styles else "")
        out.append(sgr(text[a - offset : b - offset], code))
    return "".join(out)
