"""`tmws --help` laid out from the command table (`cli.commands`) the way typer and rich do.

typer and rich cost about ten Python start-ups; the top-level help is the page a new user
(or an agent) asks for first, so it is drawn here for plain output (a pipe, or NO_COLOR),
with rich's rules for column widths and word wrapping. Anything this module cannot match
exactly (a very narrow console, an over-long word) returns None and typer renders it;
tests/cli/test_fast_help.py compares the two at many widths.
"""

from __future__ import annotations

from collections.abc import Sequence
from math import ceil

from hestai_tmws.cli.commands import APP_HELP, COMMANDS, GLOBAL_OPTIONS
from hestai_tmws.cli.examples import epilog
from hestai_tmws.cli.views.plain import collapse, safe, wrap

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


def _grid(rows: Sequence[Sequence[str]], widths: list[int]) -> list[str]:
    """The lines of a borderless rich table whose columns are `widths` wide (padding included)."""
    pads = _pads(len(widths))
    out: list[str] = []
    for row in rows:
        cells: list[list[str]] = []
        for text, width, (left, right) in zip(row, widths, pads, strict=True):
            lines = wrap(text, width - left - right) if text else [""]
            cells.append(
                [" " * left + line.ljust(width - left - right) + " " * right for line in lines]
            )
        for i in range(max(len(c) for c in cells)):
            out.append(
                "".join(c[i] if i < len(c) else " " * w for c, w in zip(cells, widths, strict=True))
            )
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


def _panel(title: str, lines: list[str], width: int) -> list[str]:
    head = f"╭─ {title} " + "─" * (width - len(title) - 5) + "╮"
    return [head, *(f"│ {line} │" for line in lines), "╰" + "─" * (width - 2) + "╯"]


def render(width: int) -> str | None:
    """The text of `tmws --help` on a plain console `width` wide, or None to let typer draw it."""
    examples = epilog("") or ""
    texts = [APP_HELP, examples, *(e.help for e in COMMANDS.values())]
    texts += [o.help for o in GLOBAL_OPTIONS.values()] + [h for _, h in TYPER_OPTIONS]
    if not MIN_WIDTH <= width <= MAX_WIDTH or not all(safe(t.replace("\n", " ")) for t in texts):
        return None
    if any(markup(t) for t in texts):  # typer reads every help text as rich markup
        return None
    room = width - 4  # the panel's border and padding
    options = [[o.long, o.short, "", "", o.metavar, o.help] for o in GLOBAL_OPTIONS.values()]
    options += [[name, "", "", "", "", text] for name, text in TYPER_OPTIONS]
    option_lines = _grid(options, _options_widths(options, room))
    name_width = max(len(name) for name in COMMANDS) + 1
    command_lines = _grid(
        [[name, entry.help] for name, entry in COMMANDS.items()], [name_width, room - name_width]
    )
    prose = [wrap(text, width - 2) for text in (USAGE, APP_HELP, examples)]
    usage, about, example_lines = prose
    blank = " " * width

    def padded(lines: list[str]) -> list[str]:
        return [f" {line.ljust(width - 2)} " for line in lines]

    out = [blank, *padded(usage), blank, *padded(about), blank]
    out += _panel("Options", option_lines, width) + _panel("Commands", command_lines, width)
    out += [blank, *padded(example_lines), blank]
    return "\n".join(out) + "\n"
