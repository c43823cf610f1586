"""Run one argv through `main()` (which may take the fast path) and through typer alone."""

from __future__ import annotations

import pytest
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
