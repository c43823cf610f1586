"""How the CLI shows results: rich for people, JSON for machines, one-line errors for both.

Kept apart from the commands so that every command formats errors and `--json` the same way.
"""

from __future__ import annotations

import json
import os
import re
import sys
import traceback
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, nullcontext
from typing import Any, NoReturn, TypeVar

import typer
from pydantic import BaseModel
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from hestai_tmws.errors import ExitCode, TmwsError, environment_fault

T = TypeVar("T")
_BRACKET = re.compile(r"(\\*)\[")  # a bracket and the backslashes before it
_TAG_AHEAD = re.compile(r"\[[a-z#/@][^[]*?]")  # what rich's markup parser reads as a tag

FIXED_CAP = 20  # with `flex`, no other column is wider than this
FLEX_MIN = 6
SHRINK_FLOOR = 12  # a squeezed column keeps this many characters

_state: dict[str, bool] = {"debug": False}


def set_debug(flag: bool) -> None:
    _state["debug"] = flag


def console(stderr: bool = False) -> Any:
    """A rich Console honouring NO_COLOR (no colours, no styles either).

    Lines are not wrapped at the terminal width (tables still fit it): a path or a hash cut
    in two cannot be copied or grepped.
    """

    plain = bool(os.environ.get("NO_COLOR"))
    return Console(
        stderr=stderr,
        no_color=plain,
        color_system=None if plain else "auto",
        highlight=False,
        emoji=False,  # `:a:` in a path or message stays `:a:`
        soft_wrap=True,
    )


def escape(text: object) -> str:
    """`text` for a place inside rich markup: `[all_done]` stays `[all_done]`, not a style tag.

    Exact when what follows is plain text or nothing; a value right before a closing tag
    is better printed as `literal(...)` (a trailing backslash would escape the tag).
    """
    raw = str(text)

    def one(match: re.Match[str]) -> str:
        slashes = match.group(1)
        if _TAG_AHEAD.match(raw, match.end() - 1):  # rich would read a tag: escape it
            return slashes * 2 + "\\["
        return slashes + ("\\[" if slashes else "[")  # rich drops one backslash before [

    return _BRACKET.sub(one, raw)


def assemble(*parts: object | tuple[object, str]) -> Any:
    """A rich Text of plain pieces and `(value, style)` pairs: values are never read as markup,
    not even where one value's end and the next piece would make a tag (`[/` + `, ]`)."""
    pieces = [(str(p[0]), p[1]) if isinstance(p, tuple) else str(p) for p in parts]
    return Text.assemble(*pieces)


def literal(text: object, style: str = "") -> Any:
    """A rich Text that shows `text` exactly as given (never read as markup)."""

    return Text(str(text), style=style)


def _flex_widths(
    columns: Sequence[str],
    rows: Sequence[Sequence[object]],
    flex: str,
    framed: bool,
    whole: Sequence[str],
) -> dict[str, int]:
    """Column widths that fit the terminal: each column up to FIXED_CAP, `flex` the rest."""
    widths = {
        column: min(
            max([len(column)] + [len(str(row[i])) for row in rows if i < len(row)]), FIXED_CAP
        )
        for i, column in enumerate(columns)
        if column != flex
    }
    # a framed table spends a border and a space each side per column; a bare one two spaces
    overhead = 3 * len(columns) + 1 if framed else 2 * (len(columns) - 1) + 1
    room = console().width - overhead
    for column in whole:  # ids that must stay copyable are never cut
        if column in widths:
            index = list(columns).index(column)
            widths[column] = max(len(column), *(len(str(r[index])) for r in rows if index < len(r)))
    shrinkable = [c for c in widths if c not in whole]
    wanted = max(FLEX_MIN, room // 5)  # the flexible column gets a fifth when others can give
    while shrinkable and sum(widths.values()) + wanted > room:
        widest = max(shrinkable, key=lambda c: (widths[c], list(widths).index(c)))
        if widths[widest] <= max(len(widest), SHRINK_FLOOR):
            break
        widths[widest] -= 1
    widths[flex] = max(FLEX_MIN, room - sum(widths.values()))
    return widths


def table(
    columns: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    title: str | None = None,
    justify: Mapping[str, str] | None = None,
    flex: str | None = None,
    whole: Sequence[str] = (),
    break_on: str | None = None,
    **options: Any,
) -> Any:
    """A rich Table whose title and cells are shown literally (user text is never markup).

    `flex` names the column that gives way first on a narrow terminal. With it, every cell
    stays on one line (cut with an ellipsis when it must) and the other columns keep up to
    FIXED_CAP characters, so 80 columns show one row per line, not one word per line; the
    columns in `whole` (ids a user copies) are never cut. With `break_on` (a separator such as
    " → "), a `flex` cell too long for its column is put on several lines, broken only after a
    separator, so each piece stays whole; only a piece wider than the column is cut.
    """

    grid = Table(title=literal(title) if title is not None else None, **options)
    framed = options.get("box", True) is not None or options.get("pad_edge", False)
    widths = _flex_widths(columns, rows, flex, framed, whole) if flex is not None else {}
    for column in columns:
        grid.add_column(
            column,
            justify=(justify or {}).get(column, "left"),  # type: ignore[arg-type]
            no_wrap=flex is not None,
            overflow="ellipsis" if flex is not None else "fold",
            width=widths.get(column),
        )
    at = list(columns).index(flex) if flex is not None and break_on else -1
    for row in rows:
        cells = [str(cell) for cell in row]
        if 0 <= at < len(cells) and break_on:
            cells[at] = break_lines(cells[at], break_on, widths[columns[at]])
        grid.add_row(*(literal(cell) for cell in cells))
    return grid


def break_lines(text: str, separator: str, width: int) -> str:
    """`text` on lines of at most `width`, broken only after a `separator` such as " → ".

    The separator's mark ends the line it breaks (`a →` / `b`), so a reader sees the chain
    goes on; joined with spaces the lines read as `text` again.
    """
    mark = separator.strip()
    pieces = text.split(separator)
    tokens = [f"{piece} {mark}" if mark else piece for piece in pieces[:-1]] + pieces[-1:]
    lines: list[str] = []
    for token in tokens:
        if lines and len(lines[-1]) + 1 + len(token) <= width:
            lines[-1] += " " + token
        else:
            lines.append(token)
    return "\n".join(lines)


def plural(count: int, noun: str, many: str | None = None) -> str:
    """`1 decision`, `2 decisions`: counts read as English (`many` for irregular nouns)."""
    return f"{count} {noun if count == 1 else (many or noun + 's')}"


def progress(message: str, *, enabled: bool = True) -> Any:
    """A spinner with `message` on stderr while a long call runs (a terminal without NO_COLOR).

    A spinner moves the cursor with escape sequences: NO_COLOR asks for none of them.
    """
    err = console(stderr=True)
    if not enabled or not err.is_terminal or os.environ.get("NO_COLOR"):
        return nullcontext()
    return err.status(literal(message))


def _no_progress(done: int, total: int, item: str) -> None:
    return None


@contextmanager
def progress_bar(
    message: str, *, enabled: bool = True, then: str | None = None
) -> Iterator[Callable[[int, int, str], None]]:
    """A bar on stderr that a `(done, total, item)` callback moves (a terminal, no NO_COLOR).

    Elsewhere (a pipe, CI, `--json`) the callback does nothing: a log gets no redraws.
    `then` replaces `message` once every item is done, for work that follows the counted
    part. The bar disappears when the work ends, leaving only the result.
    """
    err = console(stderr=True)
    if not enabled or not err.is_terminal or os.environ.get("NO_COLOR"):
        yield _no_progress
        return
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task(message, total=None)

        def advance(done: int, total: int, item: str) -> None:
            finished = then is not None and done >= total
            bar.update(task, completed=done, total=total, description=then if finished else message)

        yield advance


def emit_json(data: BaseModel | dict[str, Any] | list[Any]) -> None:
    if isinstance(data, BaseModel):
        text = data.model_dump_json(indent=2)
    else:
        text = json.dumps(data, indent=2, default=str)
    sys.stdout.write(text + "\n")


def fail(exc: TmwsError) -> NoReturn:
    """Print one clear line (and a hint) on stderr, then exit with the error's code."""
    err = console(stderr=True)
    err.print(literal("error:", "bold red"), literal(exc.message), soft_wrap=True)
    if exc.hint:
        err.print(literal("hint:", "dim"), literal(exc.hint), soft_wrap=True)
    raise typer.Exit(int(exc.exit_code))


def run(action: Callable[[], T]) -> T:
    """Call a core service; translate expected errors into exit codes, others into one line."""
    try:
        return action()
    except TmwsError as exc:
        if _state["debug"]:  # the traceback, then the usual message and exit code
            traceback.print_exc()
        fail(exc)
    except KeyboardInterrupt:
        raise typer.Exit(130) from None
    except Exception as exc:  # an unexpected failure: one line, traceback only with --debug
        if _state["debug"]:
            raise
        fault = environment_fault(exc) if isinstance(exc, OSError) else None
        if fault is not None:  # disk full, read-only, permissions: the environment, not a bug
            fail(fault)
        fail(
            TmwsError(
                f"unexpected {type(exc).__name__}: {exc}", hint="rerun with --debug for a traceback"
            )
        )
    raise AssertionError("unreachable")


def exit_with(code: ExitCode) -> NoReturn:
    raise typer.Exit(int(code))
