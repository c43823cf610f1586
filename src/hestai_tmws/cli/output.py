"""How the CLI shows results: rich for people, JSON for machines, one-line errors for both.

Kept apart from the commands so that every command formats errors and `--json` the same way.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from typing import Any, NoReturn, TypeVar

from pydantic import BaseModel

from hestai_tmws.errors import ExitCode, TmwsError

T = TypeVar("T")

_state: dict[str, bool] = {"debug": False}


def set_debug(flag: bool) -> None:
    _state["debug"] = flag


def console(stderr: bool = False) -> Any:
    """A rich Console honouring NO_COLOR (no colours, no styles either).

    Lines are not wrapped at the terminal width (tables still fit it): a path or a hash cut
    in two cannot be copied or grepped.
    """
    from rich.console import Console

    plain = bool(os.environ.get("NO_COLOR"))
    return Console(
        stderr=stderr,
        no_color=plain,
        color_system=None if plain else "auto",
        highlight=False,
        soft_wrap=True,
    )


def emit_json(data: BaseModel | dict[str, Any] | list[Any]) -> None:
    if isinstance(data, BaseModel):
        text = data.model_dump_json(indent=2)
    else:
        text = json.dumps(data, indent=2, default=str)
    sys.stdout.write(text + "\n")


def fail(exc: TmwsError) -> NoReturn:
    """Print one clear line (and a hint) on stderr, then exit with the error's code."""
    import typer

    err = console(stderr=True)
    err.print(f"[bold red]error:[/] {exc.message}", markup=True, soft_wrap=True)
    if exc.hint:
        err.print(f"[dim]hint:[/] {exc.hint}", markup=True, soft_wrap=True)
    raise typer.Exit(int(exc.exit_code))


def run(action: Callable[[], T]) -> T:
    """Call a core service; translate expected errors into exit codes, others into one line."""
    try:
        return action()
    except TmwsError as exc:
        if _state["debug"]:  # the traceback, then the usual message and exit code
            import traceback

            traceback.print_exc()
        fail(exc)
    except KeyboardInterrupt:
        import typer

        raise typer.Exit(130) from None
    except Exception as exc:  # an unexpected failure: one line, traceback only with --debug
        if _state["debug"]:
            raise
        fail(
            TmwsError(
                f"unexpected {type(exc).__name__}: {exc}", hint="rerun with --debug for a traceback"
            )
        )
    raise AssertionError("unreachable")


def exit_with(code: ExitCode) -> NoReturn:
    import typer

    raise typer.Exit(int(code))
