"""The README's quick start works on a fresh clone: only committed files, nothing else.

Command 1 (venv, `pip install .`, `tmws demo`) runs for real in a `git clone` of this
repository, so a module that exists only in someone's working tree fails here. Command 2 runs
the whole suite, this test included; running it here would recurse, so the test checks that
it is exactly what CI (`.ci/run`) runs instead. Measured on 2 cores: 58-76 s with a cold pip
cache, 21-32 s warm; pip's cache is the user's, so repeat runs reuse it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT
from tests.e2e.readme import DEMO_SUFFIX, TEST_COMMAND, quick_start_commands

# Captured at import, before the suite's fixtures point HOME at a temporary folder: the
# README command runs as the user would run it (their pip configuration, their pip cache).
USER_HOME = str(Path.home())
PIP_CACHE = os.environ.get("PIP_CACHE_DIR") or str(Path(USER_HOME) / ".cache" / "pip")
INSTALL_TIMEOUT_S = 900
_LEAKY_ENV = ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "PIP_REQUIRE_VIRTUALENV")


@pytest.fixture(scope="module")
def clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh clone of this repository's committed HEAD."""
    if not (REPO_ROOT / ".git").exists():
        pytest.skip("not a git checkout: nothing to clone")
    dest = tmp_path_factory.mktemp("readme") / "hestai-tmws"
    subprocess.run(
        ["git", "clone", "--quiet", "--no-hardlinks", str(REPO_ROOT), str(dest)],
        check=True,
        capture_output=True,
        text=True,
    )
    return dest


def _clean_env(tmp: Path) -> dict[str, str]:
    """The environment of a newcomer's shell: no virtualenv of this suite leaking in."""
    env = {k: v for k, v in os.environ.items() if k not in _LEAKY_ENV}
    tmp.mkdir(exist_ok=True)
    env["TMPDIR"] = str(tmp)  # the demo's throwaway repository goes away with the test
    venv_bin = os.path.join(sys.prefix, "bin") if sys.prefix != sys.base_prefix else None
    env["PATH"] = os.pathsep.join(
        p for p in env.get("PATH", "").split(os.pathsep) if p and p != venv_bin
    )
    env["HOME"] = USER_HOME
    env["PIP_CACHE_DIR"] = PIP_CACHE
    env["NO_COLOR"] = "1"
    return env


def test_quick_start_has_the_two_commands(clone: Path) -> None:
    commands = quick_start_commands((clone / "README.md").read_text(encoding="utf-8"))
    assert len(commands) == 2, commands
    assert commands[0].endswith(DEMO_SUFFIX), commands[0]
    assert commands[1] == TEST_COMMAND


def test_command_2_is_what_ci_runs(clone: Path) -> None:
    command = quick_start_commands((clone / "README.md").read_text(encoding="utf-8"))[1]
    assert command == TEST_COMMAND
    assert (clone / "scripts" / "test.sh").is_file(), "scripts/test.sh is not committed"
    ci = clone / ".ci" / "run"
    assert ci.is_file(), ".ci/run is not committed"
    steps = [
        line.strip()
        for line in ci.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.strip().startswith("#")
    ]
    assert TEST_COMMAND in steps, f".ci/run does not run `{TEST_COMMAND}`: {steps}"


@pytest.mark.slow
def test_command_1_installs_and_runs_the_demo(clone: Path) -> None:
    command = quick_start_commands((clone / "README.md").read_text(encoding="utf-8"))[0]
    if "python3.11" in command and shutil.which("python3.11") is None:
        pytest.skip("python3.11 is not on PATH (the README asks for it)")
    try:
        proc = subprocess.run(
            ["bash", "-c", command],
            cwd=clone,
            env=_clean_env(clone.parent / "tmp"),
            capture_output=True,
            text=True,
            timeout=INSTALL_TIMEOUT_S,
        )
    except subprocess.TimeoutExpired as exc:  # pragma: no cover - reported, not expected
        pytest.fail(f"`{command}` took longer than {INSTALL_TIMEOUT_S} s: {exc}")
    report = f"$ {command}\n--- stdout\n{proc.stdout}\n--- stderr\n{proc.stderr[-4000:]}"
    assert proc.returncode == 0, report
    lines = proc.stdout.splitlines()
    assert any(line.startswith("done in ") for line in lines), report
    steps = [line for line in lines if line[:1] in ("✔", "✘")]
    assert steps and all(line.startswith("✔") for line in steps), report
