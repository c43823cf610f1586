"""Run one argv through `main()` (which may take the fast path) and through typer alone."""

from __future__ import annotations

import pytest
import typer.rich_utils
from typer.testing import CliRunner

from hestai_tmws.cli import fast
from hestai_tmws.cli.app import build_app


def typer_run(args: list[str]) -> tuple[str, int]:
    """stdout and exit code of `tmws <args>` as typer alone answers it."""
    result = CliRunner().invoke(build_app(), args, prog_name="tmws")
    return result.stdout, result.exit_code


def fast_run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[str, int] | None:
    """stdout and exit code of the fast path, None when it leaves `args` to typer."""
    capsys.readouterr()
    try:
        answered = fast.answer(args)
    except SystemExit as exc:
        return capsys.readouterr().out, int(exc.code or 0)
    out = capsys.readouterr().out
    if not answered:
        assert out == "", "a declined call must print nothing"
        return None
    return out, 0


# (TERM, COLORTERM) for rich's colour systems: truecolor twice, 256, standard twice, dumb.
COLOUR_TERMINALS = [
    ("xterm-256color", "truecolor"),
    ("xterm", "24bit"),
    ("xterm-256color", ""),
    ("xterm-16color", ""),
    ("vt100", ""),
]


def colour_terminal(mp: pytest.MonkeyPatch, term: str, colorterm: str) -> None:
    """Make rich and typer (already imported) see a colour terminal, as a person's shell is.

    FORCE_COLOR stands for the terminal (pytest captures stdout); typer read it at import,
    and a NO_COLOR run of `typer_app()` earlier in the process turned its colours off.
    """
    mp.delenv("NO_COLOR", raising=False)
    mp.setenv("FORCE_COLOR", "1")
    mp.setenv("TERM", term)
    mp.setenv("COLORTERM", colorterm)
    mp.setattr(typer.rich_utils, "FORCE_TERMINAL", True)
    mp.setattr(typer.rich_utils, "COLOR_SYSTEM", "auto")
