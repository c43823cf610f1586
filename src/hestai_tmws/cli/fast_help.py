"""`tmws --help` laid out from the command table (`cli.commands`) the way typer and rich do.

typer and rich cost about ten Python start-ups; the top-level help is the page a new user
(or an agent) asks for first, so it is drawn here, plain (a pipe, NO_COLOR) or with the
escape sequences typer's rich console writes on a colour terminal, with rich's rules for
column widths and word wrapping. Anything this module cannot match
exactly (a very narrow console, an over-long word) returns None and typer renders it;
tests/cli/test_fast_help.py compares the two at many widths.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from math import ceil

from hestai_tmws.cli.commands import APP_HELP, COMMANDS, GLOBAL_OPTIONS
from hestai_tmws.cli.examples import epilog
from hestai_tmws.cli.views.option_marks import OPTION, paint, spans, unsure
from hestai_tmws.cli.views.plain import collapse, safe, sgr, wrap

# How one line of a cell is written: (line number, text, width, left pad, right pad) -> cell.
Painter = Callable[[int, str, int, int, int], str]

USAGE = "Usage: tmws [OPTIONS] COMMAND [ARGS]..."
# The options typer adds to every app (shell completion and help), after the app's own.
TYPER_OPTIONS = (
    ("--install-completion", "Install completion for the current shell."),
    (
        "--show-completion",
        "Show completion for the current shell, to copy it or customize the installation.",
    ),
    ("--help", "Show this message and exit."),
)
MIN_WIDTH = 59  # narrower, rich folds words in the option columns by rules not repeated here
MAX_WIDTH = 1000


def markup(text: str) -> bool:
    """Whether rich would read part of `text` as markup (`[...]`) or an emoji code (`:name:`)."""
    if "[" in text:
        return True
    pieces = text.split(":")[1:-1]  # what lies between two colons
    return any(p and all(c.isascii() and (c.isalnum() or c in "_+-") for c in p) for p in pieces)


def _ratio_distribute(total: int, ratios: list[int]) -> list[int]:
    total_ratio = sum(ratios)
    out: list[int] = []
    for ratio in ratios:
        share = ceil(ratio * total / total_ratio) if total_ratio > 0 else total
        out.append(share)
        total_ratio -= ratio
        total -= share
    return out


def _pads(count: int) -> list[tuple[int, int]]:
    """(left, right) padding of each column: one space between columns, none at the edges."""
    return [(0 if i == 0 else 1, 0 if i == count - 1 else 1) for i in range(count)]


def plain_cell(index: int, line: str, width: int, left: int, right: int) -> str:
    return " " * left + line.ljust(width) + " " * right


def marked_cell(index: int, line: str, width: int, left: int, right: int) -> str:
    """A cell whose text typer runs through its option highlighter; the padding is plain."""
    fill = " " * (width - len(line))
    return " " * left + paint(line, 0, spans(line)) + fill + " " * right


def styled_cell(code: str, *, pads: bool) -> Painter:
    """A cell in one style: the first line's text (and the pads, for a column style)."""

    def cell(index: int, line: str, width: int, left: int, right: int) -> str:
        if pads and index:  # rich writes a column's blank line as one segment
            return sgr(" " * (left + width + right), code)
        if pads:
            return sgr(" " * left, code) + sgr(line.ljust(width), code) + sgr(" " * right, code)
        text = sgr(line.ljust(width), code) if index == 0 else " " * width
        return " " * left + text + " " * right

    return cell


def _grid(
    rows: Sequence[Sequence[str]], widths: list[int], painters: Sequence[Painter] | None = None
) -> list[str]:
    """The lines of a borderless rich table whose columns are `widths` wide (padding included)."""
    pads = _pads(len(widths))
    paint_with = painters or [plain_cell] * len(widths)
    out: list[str] = []
    for row in rows:
        columns = zip(row, widths, pads, paint_with, strict=True)
        texts = [
            wrap(text, w - left - right) if text else [""] for text, w, (left, right), _ in columns
        ]
        height = max(len(lines) for lines in texts)
        cells: list[list[str]] = []
        for lines, width, (left, right), painter in zip(
            texts, widths, pads, paint_with, strict=True
        ):
            lines += [""] * (height - len(lines))  # a short cell is padded below
            room = width - left - right
            cells.append([painter(i, line, room, left, right) for i, line in enumerate(lines)])
        out += ["".join(parts) for parts in zip(*cells, strict=True)]
    return out


def _options_widths(rows: Sequence[Sequence[str]], room: int) -> list[int]:
    pads = [left + right for left, right in _pads(len(rows[0]))]
    natural = [
        min(max(len(row[i]) for row in rows), room - pad) + pad for i, pad in enumerate(pads)
    ]
    natural[-1] = room  # typer's help cell measures as wide as the table may be
    widths = [min(w, room) or 1 for w in natural]
    if sum(widths) > room:
        widths = collapse(widths, room)
        widths = [min(n, w) for n, w in zip(natural, widths, strict=True)]
    if sum(widths) < room:
        widths = [
            w + extra
            for w, extra in zip(widths, _ratio_distribute(room - sum(widths), widths), strict=True)
        ]
    return widths


def _panel(title: str, lines: list[str], width: int, styled: bool) -> list[str]:
    if not styled:
        head = f"╭─ {title} " + "─" * (width - len(title) - 5) + "╮"
        return [head, *(f"│ {line} │" for line in lines), "╰" + "─" * (width - 2) + "╯"]
    dim = "2"  # typer's panel border style
    rule = "─" * (width - len(title) - 6)
    head = sgr("╭─", dim) + sgr(f" {title} ", dim) + sgr(rule, dim) + sgr("─╮", dim)
    side = sgr("│", dim)
    body = [f"{side} {line} {side}" for line in lines]
    return [head, *body, sgr("╰" + "─" * (width - 2) + "╯", dim)]


def _fits(texts: Sequence[str], width: int) -> bool:
    return all(len(word) <= width for text in texts for word in text.split())


def render(width: int, *, styled: bool = False) -> str | None:
    """The text of `tmws --help` on a console `width` wide, or None to let typer draw it.

    `styled`: with the escape sequences typer's rich help writes on a terminal.
    """
    examples = epilog("") or ""
    texts = [APP_HELP, examples, *(e.help for e in COMMANDS.values())]
    texts += [o.help for o in GLOBAL_OPTIONS.values()] + [h for _, h in TYPER_OPTIONS]
    if not MIN_WIDTH <= width <= MAX_WIDTH or not all(safe(t.replace("\n", " ")) for t in texts):
        return None
    if any(markup(t) for t in texts):  # typer reads every help text as rich markup
        return None
    if styled and (any(unsure(t) for t in texts) or "\n\n" in APP_HELP):
        return None
    room = width - 4  # the panel's border and padding
    options = [[o.long, o.short, "", "", o.metavar, o.help] for o in GLOBAL_OPTIONS.values()]
    options += [[name, "", "", "", "", text] for name, text in TYPER_OPTIONS]
    option_widths = _options_widths(options, room)
    name_width = max(len(name) for name in COMMANDS) + 1
    command_widths = [name_width, room - name_width]
    metavar = styled_cell("1;33", pads=False)  # bold yellow
    option_painters: list[Painter] = [marked_cell, marked_cell, plain_cell, plain_cell]
    option_painters += [metavar, marked_cell]
    command_painters = [styled_cell(OPTION, pads=True), marked_cell]  # names: bold cyan
    if styled and not (  # a cut word or option would break a highlight in two
        _fits([row[0] for row in options], option_widths[0] - 1)
        and _fits([n for n in COMMANDS], name_width - 1)
        and _fits(texts, min(option_widths[-1] - 1, command_widths[1] - 1, width - 2))
    ):
        return None
    option_lines = _grid(options, option_widths, option_painters if styled else None)
    command_lines = _grid(
        [[name, entry.help] for name, entry in COMMANDS.items()],
        command_widths,
        command_painters if styled else None,
    )
    prose = [wrap(text, width - 2) for text in (USAGE, APP_HELP, examples)]
    usage, about, example_lines = prose
    blank = " " * width

    def padded(lines: list[str]) -> list[str]:
        if styled:
            return [f" {marked_cell(0, line, width - 2, 0, 0)} " for line in lines]
        return [f" {line.ljust(width - 2)} " for line in lines]

    if styled:
        bold = "1"
        fill = " " * (width - 2 - len(USAGE))
        command = USAGE.removeprefix("Usage: ")
        head = [sgr(blank, bold), sgr(" ", bold) + sgr("Usage: ", "1;33") + sgr(command, bold)]
        head[1] += sgr(fill, bold) + sgr(" ", bold)
        out = [*head, sgr(blank, bold), *padded(about), blank]
    else:
        out = [blank, *padded(usage), blank, *padded(about), blank]
    out += _panel("Options", option_lines, width, styled)
    out += _panel("Commands", command_lines, width, styled)
    out += [blank, *padded(example_lines), blank]
    return "\n".join(out) + "\n"
