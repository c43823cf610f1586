"""The CLI's output helpers: user text is shown literally, errors are one line with a hint."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
import typer
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.progress import Progress, TaskID
from typer.testing import CliRunner

from hestai_tmws.cli import output
from hestai_tmws.cli.app import build_app
from hestai_tmws.errors import ExitCode, UsageError
from hestai_tmws.project import Project
from tests.memory.support import open_session

BRACKETED = "[all_done]"


def rendered(renderable: object) -> str:
    console = Console(width=200, no_color=True, highlight=False, record=True)
    with console.capture() as capture:
        console.print(renderable)
    return capture.get()


@settings(max_examples=300)
@given(st.text(alphabet="ab[]/\\ =#:", max_size=30))
def test_escaped_text_inside_markup_prints_exactly_as_given(text: str) -> None:
    console = output.console()
    for template in ("[bold]x[/] {} end", "{}", "{} [bold]x[/]"):
        with console.capture() as capture:
            console.print(template.format(output.escape(text)), end="")
        assert capture.get() == template.format(text).replace("[bold]x[/]", "x")


@given(st.text(alphabet="ab[]/\\ =#:", max_size=30))
def test_literal_text_prints_exactly_as_given(text: str) -> None:
    console = Console(width=500, no_color=True, highlight=False, emoji=False, soft_wrap=True)
    with console.capture() as capture:
        console.print(output.literal(text, "bold"), end="")
    assert capture.get() == text


def test_a_table_keeps_bracketed_words_in_cells_and_title() -> None:
    table = output.table(
        ("name", "count"), [[BRACKETED, 3]], title=f"title {BRACKETED}", justify={"count": "right"}
    )
    text = rendered(table)
    assert text.count(BRACKETED) == 2
    assert "3" in text


def test_an_error_keeps_bracketed_words(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(typer.Exit) as exited:
        output.fail(UsageError(f"the step {BRACKETED} is unknown", hint=f"try {BRACKETED}"))
    assert exited.value.exit_code == int(ExitCode.USAGE)
    err = capsys.readouterr().err
    assert f"error: the step {BRACKETED} is unknown" in err
    assert f"hint: try {BRACKETED}" in err


def test_run_turns_an_unexpected_exception_into_one_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    def boom() -> None:
        raise KeyError(BRACKETED)

    with pytest.raises(typer.Exit):
        output.run(boom)
    err = capsys.readouterr().err
    assert "unexpected KeyError" in err and BRACKETED in err and "Traceback" not in err


def test_emit_json_of_a_model_and_of_plain_data(capsys: pytest.CaptureFixture[str]) -> None:
    output.emit_json({"path": Path("a/b")})
    assert json.loads(capsys.readouterr().out) == {"path": "a/b"}


def test_the_cli_error_of_an_unknown_role_keeps_its_brackets(ready: Project) -> None:
    result = CliRunner().invoke(
        build_app(), ["-C", str(ready.root), "clock-in", "--role", BRACKETED]
    )
    assert result.exit_code == int(ExitCode.USAGE)
    assert f"unknown role '{BRACKETED}'" in result.stderr


def test_the_sessions_table_keeps_a_bracketed_focus(ready: Project) -> None:
    open_session(ready, focus=BRACKETED)
    result = CliRunner().invoke(build_app(), ["-C", str(ready.root), "sessions"])
    assert result.exit_code == 0, result.output
    assert BRACKETED in result.stdout


def test_the_status_table_keeps_a_bracketed_focus(ready: Project) -> None:
    open_session(ready, focus=BRACKETED)
    result = CliRunner().invoke(build_app(), ["-C", str(ready.root), "status"])
    assert result.exit_code == 0, result.output
    assert BRACKETED in result.stdout


@pytest.mark.parametrize(
    ("count", "expected"), [(0, "0 decisions"), (1, "1 decision"), (2, "2 decisions")]
)
def test_plural_reads_as_english(count: int, expected: str) -> None:
    assert output.plural(count, "decision") == expected


def test_a_flex_table_keeps_one_row_per_line_at_80_columns(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    rows = [["fe0c2b12", "2026-12-02 14:28", "technical-architect", "layered-package", "x " * 80]]
    output.console().print(
        output.table(("id", "started", "role", "focus", "summary"), rows, box=None, flex="summary")
    )
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and all(len(line) <= 80 for line in lines)
    assert "2026-12-02 14:28" in lines[1]


def test_progress_bar_is_silent_off_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    with output.progress_bar("checking", enabled=True) as advance:
        advance(1, 2, "a")
        advance(2, 2, "b")
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""


def test_progress_bar_draws_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    real = output.console
    seen: list[tuple[str, float | None, float | None]] = []

    class Recording(Progress):
        def update(self, task_id: TaskID, **fields: Any) -> None:
            super().update(task_id, **fields)
            task = self.tasks[0]
            seen.append((str(task.description), task.completed, task.total))

    def terminal(stderr: bool = False) -> Any:
        con = real(stderr)
        con.file = io.StringIO()
        con._force_terminal = True
        return con

    monkeypatch.setattr(output, "console", terminal)
    monkeypatch.setattr(output, "Progress", Recording)
    with output.progress_bar("checking .hestai/", then="proving") as advance:
        advance(3, 7, "x")
        advance(7, 7, "y")
    assert seen == [("checking .hestai/", 3, 7), ("proving", 7, 7)]
    with output.progress_bar("checking", enabled=False) as quiet:  # --json: no bar at all
        quiet(1, 1, "x")
    assert len(seen) == 2


@given(
    st.lists(st.text(alphabet="abcXYZ:_ ", min_size=1, max_size=14), min_size=1, max_size=8),
    st.integers(min_value=6, max_value=40),
)
def test_break_lines_keeps_pieces_whole_and_lines_short(pieces: list[str], width: int) -> None:
    pieces = [p.strip() or "x" for p in pieces]
    text = " → ".join(pieces)
    lines = output.break_lines(text, " → ", width).split("\n")
    assert " ".join(lines) == text  # nothing lost or reordered
    for line in lines:  # a line only exceeds the width when one piece alone does
        assert len(line) <= width or " → " not in line.rstrip(" →")
