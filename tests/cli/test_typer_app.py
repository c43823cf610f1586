"""The app loads only the command that runs: `--help` imports no command module at all."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.core import TyperArgument
from typer.testing import CliRunner

from hestai_tmws.cli.app import build_app
from hestai_tmws.cli.commands import COMMANDS
from hestai_tmws.cli.typer_app import LazyCommandGroup, load_command, typer_app
from tests.paths import SRC


def _loaded_after(args: list[str], cwd: Path) -> set[str]:
    code = (
        "import json, sys\n"
        "from hestai_tmws.cli.app import main\n"
        "try:\n"
        f"    main({args!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        "sys.stderr.write(json.dumps(sorted(sys.modules)))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={"PYTHONPATH": str(SRC), "NO_COLOR": "1", "HOME": str(cwd)},
    )
    return set(json.loads(proc.stderr.strip().splitlines()[-1]))


def test_help_imports_no_command_module(tmp_path: Path) -> None:
    loaded = _loaded_after(["--help"], tmp_path)
    assert not {m for m in loaded if m.startswith("hestai_tmws.cli.") and m.endswith("_cmd")}
    assert not {
        m for m in loaded if m.startswith(("hestai_tmws.learning", "hestai_tmws.workflows"))
    }


def test_a_command_imports_its_own_module_only(repo: Path) -> None:
    # `status --help`: plain `status` is answered before typer loads (cli/fast.py)
    loaded = _loaded_after(["status", "--help"], repo)
    commands = {m for m in loaded if m.startswith("hestai_tmws.cli.") and m.endswith("_cmd")}
    assert commands == {"hestai_tmws.cli.status_cmd"}
    assert not {m for m in loaded if m.startswith("hestai_tmws.learning")}


def test_help_lists_every_command_and_unknown_commands_fail() -> None:
    runner = CliRunner()
    listing = runner.invoke(typer_app(), ["--help"], env={"NO_COLOR": "1", "COLUMNS": "120"})
    assert listing.exit_code == 0
    for name in ("adopt", "clock-in", "learn", "sessions", "watch"):
        assert name in listing.stdout
    unknown = runner.invoke(typer_app(), ["no-such-command"])
    assert unknown.exit_code == 2


def test_a_table_entry_naming_a_missing_command_is_a_clear_error() -> None:
    with pytest.raises(LookupError, match="does not define the command 'nope'"):
        load_command("status_cmd", "nope")


def test_the_group_builds_each_command_once() -> None:
    group = LazyCommandGroup(name="tmws")
    first = group.get_command(None, "status")
    assert first is group.get_command(None, "status")
    assert group.get_command(None, "no-such-command") is None


def _helps(path: list[str], command: Any) -> list[tuple[str, str]]:
    out = [(" ".join(path), CliRunner().invoke(build_app(), [*path, "--help"]).stdout)]
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        out += _helps([*path, name], sub)
    return out


PYTHON_TYPES = re.compile(r"<(?:bool|str|int|float|path|list\[\w+\])>")


@pytest.mark.slow  # loads every command and renders about 60 help pages
def test_no_help_shows_python_types_as_metavars() -> None:
    """Flags show no metavar, values show what to type (TEXT, N, PATH), never `<bool>`."""
    helps = [("", CliRunner().invoke(build_app(), ["--help"]).stdout)]
    for name, entry in COMMANDS.items():
        helps += _helps([name], load_command(entry.module, name))
    leaks = [(path, m) for path, text in helps for m in PYTHON_TYPES.findall(text)]
    assert leaks == []


def _params(command: Any) -> list[Any]:
    found = list(getattr(command, "params", []))
    for sub in getattr(command, "commands", {}).values():
        found += _params(sub)
    return found


def test_every_metavar_is_a_capitalised_word_like_gh_and_uv_show() -> None:
    """`SUGGESTION_ID`, not `suggestion_id`; `N`, not `INT RANGE` (the range is in the help)."""
    params = [p for n, e in COMMANDS.items() for p in _params(load_command(e.module, n))]
    shown = {p.metavar for p in params if p.metavar and "|" not in p.metavar}  # choices as typed
    word = re.compile(r"\[?[A-Z][A-Z0-9_-]*]?(\.\.\.)?")  # `[DOC]...`: optional, repeatable
    assert all(word.fullmatch(m) for m in shown), sorted(shown)
    unnamed = [p.name for p in params if isinstance(p, TyperArgument) and not p.metavar]
    assert unnamed == []  # typer would show the Python name, lower case
