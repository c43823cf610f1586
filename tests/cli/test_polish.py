"""CLI polish across every face: --json, exit codes, NO_COLOR, one-line errors, --debug.

These check the promises of the README ("every read command takes --json; exit codes 0/1/2/
3/4; NO_COLOR is honoured; --debug shows tracebacks") command by command, through real
subprocesses where the environment matters (colours, the lock held by another process).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from docsgen import iter_commands
from typer.testing import CliRunner

from hestai_tmws.cli.app import build_app

runner = CliRunner()

# Commands that cannot print JSON by design: the stdio server, git's merge driver, and the
# agents' hook handlers (their stdout is each agent's protocol).
NO_JSON = {
    "tmws serve",
    "tmws merge-driver",
    "tmws hook claude",
    "tmws hook gemini",
    "tmws hook cursor",
}

# (the command's words, extra arguments)
READ_COMMANDS: list[tuple[tuple[str, ...], tuple[str, ...]]] = [
    (("status",), ()),
    (("verify",), ()),
    (("sessions",), ()),
    (("context", "show"), ()),
    (("guard", "pre-commit"), ()),
    (("inject",), ()),
    (("learn", "status"), ()),
    (("learn", "patterns"), ()),
    (("learn", "skills"), ()),
    (("learn", "sops"), ()),
    (("learn", "suggest"), ("run the tests",)),
    (("sessions", "list"), ("--archived",)),
    (("search",), ("anything",)),
]
# Read commands whose exit code is the answer: 1 means "broken", and the JSON still comes.
CHECK_COMMANDS: list[tuple[str, ...]] = [("hooks", "status"), ("doctor",)]

HOLDER = """\
import sys
from hestai_tmws.project import Project
from hestai_tmws.steward import Steward
steward = Steward(Project.discover(sys.argv[1]), lock_timeout=5)
with steward.lock.hold("polish test"):
    print("held", flush=True)
    sys.stdin.read()
"""

BOOM = """\
import sys
import hestai_tmws.workflows.status as status
import hestai_tmws.workflows.status_facts as status_facts
def boom(*args):
    raise RuntimeError("kaboom")
status.project_status = boom
status_facts.collect = boom  # the typer-free path gives up, typer reports the failure
from hestai_tmws.cli.app import main
main(sys.argv[1:])
"""


def command_names() -> set[str]:
    return {doc.name for doc in iter_commands()}


def tmws(repo: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(build_app(), ["-C", str(repo), *args])
    return result.exit_code, result.output


def tmws_process(
    repo: Path, *args: str, env: dict[str, str] | None = None, script: str | None = None
) -> subprocess.CompletedProcess[str]:
    """A real `tmws` process (optionally started through `script` instead of the app)."""
    head = ["-c", script] if script else ["-m", "hestai_tmws.cli.app"]
    return subprocess.run(
        [sys.executable, *head, "-C", str(repo), *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=120,
    )


@pytest.fixture
def ready(repo: Path) -> Path:
    """An initialised repository with one open session."""
    code, out = tmws(repo, "init")
    assert code == 0, out
    code, out = tmws(repo, "clock-in", "--focus", "polish")
    assert code == 0, out
    return repo


# -- --json ------------------------------------------------------------------------------------


def test_every_command_takes_json_except_the_protocol_faces() -> None:
    missing = []
    for doc in iter_commands():
        if doc.is_group and not doc.command.params:
            continue
        if doc.name in NO_JSON or not doc.path:
            continue
        options = {o for p in doc.command.params for o in getattr(p, "opts", [])}
        if "--json" not in options:
            missing.append(doc.name)
    assert not missing, f"commands without --json: {missing}"


@pytest.mark.parametrize(
    ("words", "extra"), READ_COMMANDS, ids=[" ".join(w) for w, _ in READ_COMMANDS]
)
def test_read_commands_print_valid_json(
    ready: Path, words: tuple[str, ...], extra: tuple[str, ...]
) -> None:
    if " ".join(("tmws", *words)) not in command_names():
        pytest.skip(f"tmws {' '.join(words)} is not part of this build")
    code, out = tmws(ready, *words, *extra, "--json")
    assert code == 0, out
    assert isinstance(json.loads(out), dict | list)


@pytest.mark.parametrize("words", CHECK_COMMANDS, ids=[" ".join(w) for w in CHECK_COMMANDS])
def test_check_commands_print_valid_json_and_exit_1_when_broken(
    ready: Path, words: tuple[str, ...]
) -> None:
    code, out = tmws(ready, *words, "--json")
    assert code == 1  # no hook installed in `ready`: the guard cannot run
    assert isinstance(json.loads(out), dict)


def test_json_of_an_error_keeps_stdout_clean(ready: Path) -> None:
    proc = tmws_process(ready, "context", "show", "nope", "--json")
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.startswith("error: 'nope' is not a context document")


# -- exit codes ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["status", "--bogus"],
        ["context", "update"],
        ["context", "update", "context"],
        ["context", "show", "nope"],
        ["clock-in", "--role", "no-such-role", "--focus", "other"],
    ],
    ids=" ".join,
)
def test_usage_errors_exit_2(ready: Path, args: list[str]) -> None:
    code, out = tmws(ready, *args)
    assert code == 2, out
    assert "Traceback" not in out


def test_a_failing_anchor_exits_3(ready: Path) -> None:
    code, out = tmws(
        ready, "anchor", "--role", "implementation-lead", "--governance-version", "1.0.0"
    )
    assert code == 3, out
    assert "anchor failed" in out


def test_editing_the_north_star_as_context_exits_3(ready: Path) -> None:
    code, out = tmws(ready, "context", "update", "north-star", "--op", "add", "--section", "X")
    assert code == 3, out
    assert "north star holds immutable requirements" in out


def test_an_illegal_learn_transition_exits_3(tmp_path: Path) -> None:
    if "tmws learn approve" not in command_names():
        pytest.skip("the learning loop is not part of this build")
    from tests.learning.loop_support import promoted_project

    project = promoted_project(tmp_path / "learn")
    code, out = tmws(project.root, "learn", "patterns", "--json")
    promoted = [p["id"] for p in json.loads(out)["patterns"] if p["state"] == "PROMOTED"]
    assert promoted, out
    code, out = tmws(project.root, "learn", "approve", promoted[0], "--as", "ada")
    assert code == 3, out
    assert "illegal pattern transition PROMOTED -> APPROVED" in out


@pytest.fixture
def held_lock(ready: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process holding the Steward lock until the test ends."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(ready)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    yield holder
    assert holder.stdin is not None
    holder.stdin.close()
    holder.wait(timeout=30)


@pytest.mark.parametrize(
    "args",
    [
        [
            "context",
            "update",
            "context",
            "--op",
            "append",
            "--section",
            "RISKS",
            "--key",
            "OPEN",
            "--value",
            "busy",
        ],
        ["doc", "submit", "report", "--title", "Busy", "--content", "text"],
        ["clock-in", "--focus", "another"],
    ],
    ids=lambda a: " ".join(a[:2]),
)
def test_a_busy_lock_exits_4(
    ready: Path, held_lock: subprocess.Popen[str], args: list[str]
) -> None:
    proc = tmws_process(ready, *args, env={"TMWS_LOCK_TIMEOUT": "0.2"})
    assert proc.returncode == 4, proc.stderr
    first = proc.stderr.splitlines()[0]
    assert first.startswith("error: the Steward lock is busy: held by pid ")
    assert f"pid {held_lock.pid} " in first and "polish test" in first
    assert "Traceback" not in proc.stderr


# -- colours --------------------------------------------------------------------------------

# What a colour terminal looks like to rich and typer, even when the output is a pipe.
TERMINAL = {"FORCE_COLOR": "1", "TERM": "xterm-256color"}

COLOURED = [
    ["status"],
    ["context", "show"],
    ["sessions"],
    ["verify"],
    ["anchor", "--role", "implementation-lead", "--governance-version", "1.0.0"],
    ["status", "--bogus"],
    ["--help"],
    ["context", "--help"],
]


@pytest.mark.parametrize("args", COLOURED, ids=" ".join)
def test_no_color_means_no_escape_sequences(ready: Path, args: list[str]) -> None:
    proc = tmws_process(ready, *args, env={**TERMINAL, "NO_COLOR": "1"})
    assert "\x1b" not in proc.stdout + proc.stderr


def test_the_colour_check_would_see_colours(ready: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    proc = subprocess.run(
        [sys.executable, "-m", "hestai_tmws.cli.app", "-C", str(ready), "status"],
        capture_output=True,
        text=True,
        env={**env, **TERMINAL},
        timeout=120,
    )
    assert "\x1b[" in proc.stdout  # so the NO_COLOR test above is not vacuous


# -- unexpected failures and --debug ---------------------------------------------------------


def test_an_unexpected_exception_is_one_line_without_traceback(ready: Path) -> None:
    proc = tmws_process(ready, "status", script=BOOM)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert proc.stderr.splitlines() == [
        "error: unexpected RuntimeError: kaboom",
        "hint: rerun with --debug for a traceback",
    ]


def test_debug_shows_the_traceback_of_an_unexpected_exception(ready: Path) -> None:
    proc = tmws_process(ready, "--debug", "status", script=BOOM)
    assert proc.returncode == 1
    assert "Traceback (most recent call last)" in proc.stderr
    assert "RuntimeError: kaboom" in proc.stderr


def test_debug_keeps_the_exit_code_of_an_expected_error(ready: Path) -> None:
    proc = tmws_process(
        ready, "--debug", "context", "update", "north-star", "--op", "add", "--section", "X"
    )
    assert proc.returncode == 3, proc.stderr
    assert "Traceback (most recent call last)" in proc.stderr
    assert "error: the north star holds immutable requirements" in proc.stderr
