"""`views.plain`: tables, wrapping and console facts exactly as rich prints them."""

from __future__ import annotations

import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from hestai_tmws.cli import output
from hestai_tmws.cli.views import plain

TEXT = st.text(st.sampled_from("ab -/:.T0[]\\é…→"), max_size=40)
HEADER = st.text(st.sampled_from("abc -"), min_size=1, max_size=12)


def _rich(renderable: object, width: int) -> str:
    buf = io.StringIO()
    console = Console(
        file=buf, width=width, color_system=None, highlight=False, emoji=False, soft_wrap=True
    )
    console.print(renderable)
    return buf.getvalue()


def test_every_safe_character_is_one_cell_and_printed_as_is() -> None:
    for low, high in plain.SAFE_RANGES:
        for code in range(ord(low), ord(high) + 1):
            ch = chr(code)
            assert plain.safe(ch) and cell_len(ch) == 1, hex(code)
            assert _rich(Text(ch), 10) == ch + "\n", hex(code)


def test_control_wide_and_combining_characters_are_left_to_rich() -> None:
    assert not any(plain.safe(ch) for ch in ("\t", "\n", "\x1b", "\u0301", "界", "😀", "\u200b"))


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.integers(1, 5), st.data(), st.integers(10, 120))
def test_a_table_is_what_rich_prints(n: int, data: st.DataObject, width: int) -> None:
    columns = tuple(data.draw(st.lists(HEADER, min_size=n, max_size=n, unique=True)))
    rows = data.draw(st.lists(st.lists(TEXT, min_size=n, max_size=n), max_size=4))
    title = data.draw(TEXT)
    justify = {columns[-1]: "right"} if data.draw(st.booleans()) else None
    mine = plain.table(columns, rows, title=title, width=width, justify=justify)
    if mine is None:  # a column narrower than one cell: rich's business
        assert width < 3 * n + 1 + n
        return
    theirs = _rich(output.table(columns, rows, title=title, justify=justify), width)
    assert "\n".join(mine) + "\n" == theirs


@settings(max_examples=300, deadline=None)
@given(TEXT, st.integers(1, 30))
def test_wrap_breaks_where_rich_does(text: str, width: int) -> None:
    theirs = Text(text).wrap(Console(width=200), width, justify="left", overflow="fold")
    assert plain.wrap(text, width) == [line.plain.rstrip() for line in theirs]


def test_unsafe_text_is_left_to_rich() -> None:
    assert plain.table(("a",), [["tab\there"]], title=None, width=80) is None


@pytest.mark.parametrize(
    ("environ", "isatty", "expected"),
    [
        ({}, False, False),
        ({}, True, True),
        ({"TTY_COMPATIBLE": "0"}, True, False),
        ({"TTY_COMPATIBLE": "1"}, False, True),
        ({"FORCE_COLOR": ""}, True, False),
        ({"FORCE_COLOR": "1"}, False, True),
    ],
)
def test_is_terminal_follows_rich(environ: dict[str, str], isatty: bool, expected: bool) -> None:
    stream = io.StringIO()
    stream.isatty = lambda: isatty  # type: ignore[method-assign]
    assert plain.is_terminal(stream, environ) is expected
    assert Console(file=stream, _environ=environ).is_terminal is expected


@pytest.mark.parametrize(
    "environ",
    [
        {"COLUMNS": "123"},
        {"COLUMNS": "x"},
        {"TERM": "dumb"},
        {"COLUMNS": "0"},
        {"TERM": "dumb", "COLUMNS": "50", "FORCE_COLOR": "1"},
        {"TERM": "dumb", "COLUMNS": "50", "LINES": "9", "FORCE_COLOR": "1"},
    ],
)
def test_console_width_follows_rich(environ: dict[str, str]) -> None:
    stream = io.StringIO()
    console = Console(file=stream, _environ=environ)
    assert plain.console_width(console.is_terminal, environ) == console.width


def test_plain_width_only_without_escape_sequences() -> None:
    tty = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    tty.isatty = lambda: True  # type: ignore[method-assign]
    assert plain.plain_width(tty, {"COLUMNS": "90"}) is None
    assert plain.plain_width(tty, {"COLUMNS": "90", "NO_COLOR": "1"}) == 90
    assert plain.plain_width(io.TextIOWrapper(io.BytesIO(), encoding="latin-1"), {}) is None
