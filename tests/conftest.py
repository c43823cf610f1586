"""Fixtures shared by the whole suite: real git repositories in temporary folders."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

# The memory fixtures (`ready`, `initialised_template`) serve several test packages; the
# OCTAVE oracle reports, at the end of a run, when its tests could not run; pytester lets the
# suite test its own tooling.
pytest_plugins = ["tests.octave_oracle", "tests.memory.support", "pytester"]

REPO_ROOT = Path(__file__).resolve().parents[1]
# scripts/ holds the docs generators (`docsgen`, `docs_architecture`), which tests import.
sys.path.insert(0, str(REPO_ROOT / "scripts"))
CORPUS = REPO_ROOT.parent / "shared" / "corpus" / "claude-code"

OWN_ACTIVE = REPO_ROOT / ".hestai" / "sessions" / "active"
_OWN_SESSIONS_BEFORE: set[str] = set()


def _own_sessions() -> set[str]:
    return {p.name for p in OWN_ACTIVE.iterdir()} if OWN_ACTIVE.is_dir() else set()


def pytest_sessionstart(session: pytest.Session) -> None:
    _OWN_SESSIONS_BEFORE.update(_own_sessions())


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Fail the run when a test opened a session in this repository's own memory."""
    if hasattr(session.config, "workerinput"):
        return  # xdist workers: the controller checks once, after all of them
    leaked = sorted(_own_sessions() - _OWN_SESSIONS_BEFORE)
    if leaked:
        print(f"\ntests opened sessions in {OWN_ACTIVE}: {', '.join(leaked)}", file=sys.stderr)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test Author",
    "GIT_AUTHOR_EMAIL": "author@example.invalid",
    "GIT_COMMITTER_NAME": "Test Author",
    "GIT_COMMITTER_EMAIL": "author@example.invalid",
    "GIT_CONFIG_NOSYSTEM": "1",
}


@pytest.fixture(autouse=True)
def _isolated_env(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No test reads the developer's git config, Claude folder or tmws environment."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("CLAUDE_CONFIG_DIR", str(home / ".claude"))
    for key, value in GIT_ENV.items():
        monkeypatch.setenv(key, value)
    for key in list(os.environ):
        if key.startswith("TMWS_"):
            monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("NO_COLOR", "1")


def git(cwd: Path, *args: str) -> str:
    """Run git in `cwd` and return stdout (raises on failure)."""
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout


def make_repo(path: Path, *, commit: bool = True) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    git(path, "init", "-q", "-b", "main")
    if commit:
        (path / "README.md").write_text("demo\n")
        git(path, "add", "README.md")
        git(path, "commit", "-q", "-m", "initial")
    return path


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A real git repository with one commit."""
    return make_repo(tmp_path / "repo")


@pytest.fixture
def project(repo: Path) -> Iterator[object]:
    from hestai_tmws.project import Project

    yield Project.discover(repo)


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip("the shared Claude Code corpus is not present")
    return CORPUS
