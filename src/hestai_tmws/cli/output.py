"""How the CLI shows results: rich for people, JSON for machines, one-line errors for both.

Kept apart from the commands so that every command formats errors and `--json` the same way.
"""

from __future__ import annotations

import json
import os
import re
import sys
import traceback
from collections.abc import Callable, Mapping, Sequence
from typing import Any, NoReturn, TypeVar

import typer
from pydantic import BaseModel
from rich.console import Console
from rich.table import Table
from rich.text import Text

from hestai_tmws.errors import ExitCode, TmwsError, environment_fault

T = TypeVar("T")
_BRACKET = re.compile(r"(\\*)\[")  # a bracket and the backslashes before it
_TAG_AHEAD = re.compile(r"\[[a-z#/@][^[]*?]")  # what rich's markup parser reads as a tag

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


def literal(text: object, style: str = "") -> Any:
    """A rich Text that shows `text` exactly as given (never read as markup)."""

    return Text(str(text), style=style)


def table(
    columns: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    title: str | None = None,
    justify: Mapping[str, str] | None = None,
    **options: Any,
) -> Any:
    """A rich Table whose title and cells are shown literally (user text is never markup)."""

    grid = Table(title=literal(title) if title is not None else None, **options)
    for column in columns:
        grid.add_column(column, justify=(justify or {}).get(column, "left"))  # type: ignore[arg-type]
    for row in rows:
        grid.add_row(*(literal(cell) for cell in row))
    return grid


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
