"""Every `tmws` command's help ends with 1-3 examples, and every example parses."""

from __future__ import annotations

import shlex
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from hestai_tmws.cli.app import build_app
from hestai_tmws.cli.commands import COMMANDS
from hestai_tmws.cli.examples import EXAMPLES, WIDTH, epilog, shell_lines
from hestai_tmws.cli.typer_app import load_command


def _walk(command: Any, path: str) -> Iterator[tuple[str, Any]]:
    yield path, command
    for name, sub in getattr(command, "commands", {}).items():
        yield from _walk(sub, f"{path} {name}")


def every_command() -> dict[str, Any]:
    found: dict[str, Any] = {}
    for name, entry in COMMANDS.items():
        found.update(_walk(load_command(entry.module, name), name))
    return found


COMMAND_PATHS = sorted(every_command())


def test_every_command_and_group_has_one_to_three_examples() -> None:
    paths = set(COMMAND_PATHS) | {""}
    assert paths - set(EXAMPLES) == set(), "commands without examples"
    assert set(EXAMPLES) - paths == set(), "examples of commands that do not exist"
    assert all(1 <= len(examples) <= 3 for examples in EXAMPLES.values())


@pytest.mark.parametrize("path", ["", *COMMAND_PATHS])
def test_help_ends_with_the_examples(path: str) -> None:
    result = CliRunner().invoke(build_app(), [*path.split(), "--help"], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    shown = result.output.split("Examples:", 1)
    assert len(shown) == 2, f"`tmws {path} --help` shows no examples"
    first = EXAMPLES[path][0].command
    assert shell_lines(f"$ {first}")[0] in shown[1]
    assert max(len(line) for line in result.output.splitlines()) <= 80


def _invocations(command: str) -> Iterator[list[str]]:
    """Each `tmws …` of an example, as argv without `tmws` and without redirections."""
    for part in command.split("&&"):
        words = shlex.split(part)
        assert words[0] == "tmws", command
        if "<" in words:
            words = words[: words.index("<")]
        yield words[1:]


def _resolve(argv: list[str]) -> tuple[str, Any, list[str]]:
    commands = every_command()
    path = ""
    while argv and (f"{path} {argv[0]}".strip()) in commands:
        path = f"{path} {argv[0]}".strip()
        argv = argv[1:]
    return path, commands.get(path), argv


@pytest.mark.parametrize("path", sorted(EXAMPLES))
def test_every_example_parses_with_its_own_command(path: str) -> None:
    for example in EXAMPLES[path]:
        for argv in _invocations(example.command):
            where, command, rest = _resolve(argv)
            if command is None:  # `tmws` alone: nothing to parse
                continue
            assert path == "" or where.split()[0] == path.split()[0], example
            if hasattr(command, "commands") and not rest:
                continue
            try:
                command.make_context(where, list(rest))
            except Exception as exc:  # typer's vendored click: a usage error, any kind
                pytest.fail(f"`{example.command}` does not parse: {exc}")


def test_the_epilog_lists_what_and_how() -> None:
    text = epilog("search") or ""
    assert text.splitlines()[0] == "Examples:"
    assert '$ tmws search "merge driver"' in text and "# only decisions" in text
    assert epilog("no such command") is None


@given(st.lists(st.from_regex(r"[a-z]{1,12}( [a-z]{1,10})?", fullmatch=True), max_size=10))
def test_long_commands_continue_on_lines_that_paste_back(options: list[str]) -> None:
    command = " ".join(["$ tmws x", *(f"--{o}" for o in options)])
    lines = shell_lines(command)
    pasted = [lines[0].removesuffix(" \\")]
    pasted += [line.removeprefix("    ").removesuffix(" \\") for line in lines[1:]]
    assert " ".join(pasted) == command  # the shell reads the same command
    assert all(line.endswith(" \\") for line in lines[:-1])
    assert all(len(line) <= WIDTH for line in lines[1:])  # a piece is ≤ 27 characters here
