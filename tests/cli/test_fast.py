"""`cli.fast`: which argv it answers, that it answers them as typer does, and what it imports."""

from __future__ import annotations

import fcntl
import json
import os
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hestai_tmws.cli import fast
from hestai_tmws.governance.tree import MANIFEST_FILE
from hestai_tmws.project import Project
from tests.cli.fast_support import COLOUR_TERMINALS, colour_terminal, fast_run, typer_run
from tests.conftest import make_repo
from tests.governance.conftest import make_writable
from tests.memory.support import open_session
from tests.paths import SRC

ANSWERED = [
    ["status"],
    ["status", "--json"],
    ["--help"],
    ["-C", "{root}", "status"],
    ["--project", "{root}", "status", "--json"],
    ["--project={root}", "--debug", "status"],
    ["--debug", "-C", "{root}", "--help"],
]
DECLINED = [
    ["-h"],
    ["status", "--help"],
    ["status", "--json", "--json"],
    ["verify"],
    ["-C"],
    ["-C", "--help"],
    ["--debug", "--debug", "status"],
    ["--bogus", "status"],
    ["-C", "x", "-C", "y", "status"],
    ["--version", "status"],
]


def test_split_globals() -> None:
    assert fast.split_globals(["-C", "a", "status"]) == ("a", ["status"])
    assert fast.split_globals(["--project=a", "--debug", "status"]) == ("a", ["status"])
    assert fast.split_globals(["--help"]) == (None, ["--help"])
    assert fast.split_globals(["--debug=1", "status"]) is None
    assert fast.split_globals(["--project="]) is None


@given(st.lists(st.sampled_from(["-C", "x", "--debug", "--json", "status", "-", "--help", "="])))
def test_split_globals_keeps_the_command_and_never_raises(args: list[str]) -> None:
    split = fast.split_globals(args)
    if split is not None:
        assert args[len(args) - len(split[1]) :] == split[1]


def _argv(template: list[str], root: Path) -> list[str]:
    return [part.format(root=root) for part in template]


@pytest.mark.parametrize("template", DECLINED)
def test_what_it_does_not_know_goes_to_typer(
    template: list[str], ready: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    assert fast_run(_argv(template, ready.root), capsys) is None


def _tampered(project: Project) -> Project:
    make_writable(project.hestai_sys)
    (project.hestai_sys / MANIFEST_FILE).unlink()
    (project.hestai_sys / "extra.txt").write_text("planted\n")
    return project


def _with_sessions(project: Project) -> Project:
    open_session(project, focus="a long focus " * 6)
    open_session(project, focus="short")
    return project


@pytest.mark.parametrize("shape", ["ready", "bare_repo", "tampered", "sessions", "not_injected"])
@pytest.mark.parametrize("template", ANSWERED)
@pytest.mark.parametrize("columns", ["80", "61", "140"])
def test_the_fast_answer_is_typers_byte_for_byte(
    shape: str,
    template: list[str],
    columns: str,
    ready: Project,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    if shape == "bare_repo":
        project = Project.discover(make_repo(tmp_path / "plain"))
    elif shape == "tampered":
        project = _tampered(ready)
    elif shape == "sessions":
        project = _with_sessions(ready)
    elif shape == "not_injected":
        make_writable(ready.hestai_sys)
        subprocess.run(["rm", "-rf", str(ready.hestai_sys)], check=True)
        project = ready
    else:
        project = ready
    monkeypatch.chdir(project.root)
    args = _argv(template, project.root)
    answered = fast_run(args, capsys)
    assert answered is not None, f"{args} should be answered without typer"
    assert answered == typer_run(args)


def test_no_arguments_show_the_help_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    answered = fast_run([], capsys)
    assert answered is not None and answered[1] == 2
    assert answered == typer_run([])


def test_a_settings_file_or_variable_goes_to_typer(
    ready: Project, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(ready.root)
    monkeypatch.setenv("TMWS_HUB", str(ready.root))
    assert fast_run(["status"], capsys) is None
    monkeypatch.delenv("TMWS_HUB")
    (ready.root / ".hestai-tmws.yaml").write_text("default_role: x\n")
    assert fast_run(["status", "--json"], capsys) is None


@pytest.mark.parametrize("shape", ["ready", "tampered", "sessions"])
@pytest.mark.parametrize("template", [["status"], ["--help"], ["-C", "{root}", "status"]])
@pytest.mark.parametrize("columns", ["80", "61", "140"])
@pytest.mark.parametrize("terminal", COLOUR_TERMINALS)
def test_on_a_colour_terminal_the_fast_answer_is_typers_byte_for_byte(
    shape: str,
    template: list[str],
    columns: str,
    terminal: tuple[str, str],
    ready: Project,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    monkeypatch.setenv("LINES", "40")  # with LINES, rich takes COLUMNS even on a dumb terminal
    colour_terminal(monkeypatch, *terminal)
    project = {"tampered": _tampered, "sessions": _with_sessions}.get(shape, lambda p: p)(ready)
    monkeypatch.chdir(project.root)
    args = _argv(template, project.root)
    answered = fast_run(args, capsys)
    assert answered is not None, f"{args} should be answered without typer"
    assert answered == typer_run(args)
    assert ("\x1b[" in answered[0]) == (terminal[0] != "dumb")


def test_json_has_no_colours_on_a_terminal(
    ready: Project, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(ready.root)
    colour_terminal(monkeypatch, "xterm-256color", "truecolor")
    json_answer = fast_run(["status", "--json"], capsys)
    assert json_answer is not None and json.loads(json_answer[0])["initialised"] is True


def test_typers_own_terminal_switches_go_to_typer(
    ready: Project, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(ready.root)
    for name in ("PY_COLORS", "TTY_COMPATIBLE", "GITHUB_ACTIONS"):
        with monkeypatch.context() as mp:
            mp.setenv(name, "1")
            assert fast_run(["--help"], capsys) is None


def test_outside_a_repository_typer_reports_the_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert fast_run(["status"], capsys) is None


def test_the_fast_path_imports_no_typer_rich_pydantic_or_gitpython(ready: Project) -> None:
    code = (
        "import sys; from hestai_tmws.cli.app import main\n"
        "for args in (['status'], ['status', '--json'], ['--help']):\n"
        "    main(args)\n"
        "heavy = ('typer', 'click', 'rich', 'pydantic', 'git', 'ruamel', 'octave_mcp')\n"
        "print(sorted(m for m in heavy if m in sys.modules), file=sys.stderr)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(SRC), "NO_COLOR": "1"}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ready.root, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip() == "[]"
    assert "governance: " in done.stdout and '"initialised": true' in done.stdout


def _on_a_pty(code: str, cwd: Path, columns: int) -> tuple[str, str]:
    """stdout (read from the pty's other end) and stderr of `python -c code` on a terminal."""
    leader, follower = os.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 30, columns, 0, 0))
    dropped = ("NO_COLOR", "COLUMNS", "LINES", "FORCE_COLOR")
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(PYTHONPATH=str(SRC), TERM="xterm-256color", COLORTERM="truecolor")
    child = subprocess.Popen(
        [sys.executable, "-c", code],
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=follower,
        stderr=subprocess.PIPE,
        text=True,
    )
    os.close(follower)
    chunks: list[bytes] = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the child closed the terminal (EIO on Linux)
            break
        if not chunk:
            break
        chunks.append(chunk)
    _, err = child.communicate()
    os.close(leader)
    return b"".join(chunks).decode().replace("\r\n", "\n"), err


@pytest.mark.slow
def test_on_a_real_terminal_the_entry_answers_without_typer_or_rich(
    ready: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    code = (
        "import sys; from hestai_tmws.cli.app import main\n"
        "for args in (['status'], ['--help']):\n"
        "    main(args)\n"
        "heavy = ('typer', 'click', 'rich', 'pydantic', 'git')\n"
        "print(sorted(m for m in heavy if m in sys.modules), file=sys.stderr)\n"
    )
    out, err = _on_a_pty(code, ready.root, 90)
    assert err.strip() == "[]"
    monkeypatch.setenv("COLUMNS", "90")  # what the pty said its width was
    colour_terminal(monkeypatch, "xterm-256color", "truecolor")
    monkeypatch.chdir(ready.root)
    assert out == typer_run(["status"])[0] + typer_run(["--help"])[0]
