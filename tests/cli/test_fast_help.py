"""`cli.fast_help`: the pre-rendered `tmws --help` equals typer's rendering at every width."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hestai_tmws.cli import fast_help
from hestai_tmws.cli.commands import APP_HELP, COMMANDS, GLOBAL_OPTIONS
from tests.cli.fast_support import COLOUR_TERMINALS, colour_terminal, typer_run


def _typer_help(width: int, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("COLUMNS", str(width))
    out, code = typer_run(["--help"])
    assert code == 0
    return out


@settings(max_examples=25, deadline=None)
@given(st.integers(fast_help.MIN_WIDTH, 260))
def test_the_help_equals_typers(width: int) -> None:
    with pytest.MonkeyPatch.context() as mp:
        assert fast_help.render(width) == _typer_help(width, mp).removesuffix("\n")


@pytest.mark.slow
def test_the_help_equals_typers_at_every_supported_width(monkeypatch: pytest.MonkeyPatch) -> None:
    wrong = [
        w
        for w in range(fast_help.MIN_WIDTH, 400)
        if fast_help.render(w) != _typer_help(w, monkeypatch).removesuffix("\n")
    ]
    assert not wrong


def test_it_lists_every_command_and_global_option() -> None:
    text = fast_help.render(80) or ""
    assert APP_HELP in text
    for name in COMMANDS:
        assert f"│ {name} " in text
    for option in GLOBAL_OPTIONS.values():
        assert f"│ {option.long} " in text


def test_too_narrow_or_too_wide_is_left_to_typer() -> None:
    assert fast_help.render(fast_help.MIN_WIDTH - 1) is None
    assert fast_help.render(fast_help.MAX_WIDTH + 1) is None


def test_every_line_is_the_console_width() -> None:
    lines = (fast_help.render(100) or "").splitlines()
    assert lines and all(len(line) == 100 for line in lines)


@settings(max_examples=25, deadline=None)
@given(st.integers(fast_help.MIN_WIDTH, 260), st.sampled_from(COLOUR_TERMINALS))
def test_the_styled_help_equals_typers_on_a_colour_terminal(
    width: int, terminal: tuple[str, str]
) -> None:
    dumb = terminal[0] == "dumb"  # no escapes there, and rich makes it 80 wide
    with pytest.MonkeyPatch.context() as mp:
        colour_terminal(mp, *terminal)
        expected = _typer_help(width, mp).removesuffix("\n")
        assert fast_help.render(80 if dumb else width, styled=not dumb) == expected


@pytest.mark.slow
def test_the_styled_help_equals_typers_at_every_supported_width() -> None:
    with pytest.MonkeyPatch.context() as mp:
        colour_terminal(mp, "xterm-256color", "truecolor")
        wrong = [
            w
            for w in range(fast_help.MIN_WIDTH, 400)
            if fast_help.render(w, styled=True) != _typer_help(w, mp).removesuffix("\n")
        ]
    assert not wrong


def test_the_styled_help_marks_options_and_dims_borders() -> None:
    text = fast_help.render(80, styled=True) or ""
    assert "\x1b[1;33mUsage: \x1b[0m" in text
    assert "\x1b[1;36m-\x1b[0m\x1b[1;36m-project\x1b[0m" in text and "\x1b[1;32m-C\x1b[0m" in text
    assert text.count("\x1b[2m│\x1b[0m") > 10
