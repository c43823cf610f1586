"""docs/install.md's commands, run as written in a fresh clone and a throwaway home folder.

The pipx and uv cases skip when the tool is not installed; every case needs the package
index (PyPI) for the dependencies, so they are slow and skip when it cannot be reached.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT

INSTALL_MD = REPO_ROOT / "docs" / "install.md"
CLONE = "~/src/hestai-tmws"  # where the doc clones to; every command below uses it
TIMEOUT_S = 600
_FENCE = re.compile(r"^```(\w*)\s*$")


def bash_blocks(text: str) -> list[list[tuple[str, str]]]:
    """Each ```bash block as (command, comment) pairs; comment-only lines are left out."""
    blocks: list[list[tuple[str, str]]] = []
    current: list[tuple[str, str]] | None = None
    for line in text.splitlines():
        fence = _FENCE.match(line.strip())
        if fence:
            if current is not None:
                blocks.append(current)
                current = None
            elif fence.group(1) == "bash":
                current = []
            continue
        if current is not None and line.strip() and not line.strip().startswith("#"):
            command, _, comment = line.partition(" #")
            current.append((command.strip(), comment.strip()))
    return blocks


def block_with(prefix: str) -> list[tuple[str, str]]:
    for block in bash_blocks(INSTALL_MD.read_text(encoding="utf-8")):
        if any(command.startswith(prefix) for command, _ in block):
            return block
    raise AssertionError(f"docs/install.md has no ```bash block with `{prefix}`")


def test_the_doc_clones_to_the_folder_every_command_uses() -> None:
    clone = block_with("git clone")
    assert clone[0][0].endswith(CLONE)
    tools = [c for c, _ in block_with("pipx install")]
    assert f"pipx install {CLONE}" in tools and f"uv tool install {CLONE}" in tools
    assert "tmws --version" in tools


def _index_reachable() -> bool:
    try:
        with socket.create_connection(("pypi.org", 443), timeout=5):
            return True
    except OSError:
        return False


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A home folder with a clone of this repository at the doc's place."""
    if not _index_reachable():
        pytest.skip("the package index (pypi.org) cannot be reached")
    home = tmp_path / "home"
    (home / "src").mkdir(parents=True)
    subprocess.run(
        ["git", "clone", "-q", str(REPO_ROOT), str(home / "src" / "hestai-tmws")], check=True
    )
    return home


def _run(command: str, home: Path, path: str, cwd: Path | None = None) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTHON"))}
    env.update(HOME=str(home), PATH=path)
    proc = subprocess.run(
        ["bash", "-c", command],
        cwd=cwd or home,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
    )
    assert proc.returncode == 0, f"$ {command}\n{proc.stdout}\n{proc.stderr[-3000:]}"
    return proc.stdout


@pytest.mark.slow
@pytest.mark.parametrize("tool", ["pipx", "uv"])
def test_the_path_install_works_as_written(tool: str, home: Path) -> None:
    found = shutil.which(tool)
    if found is None:
        pytest.skip(f"{tool} is not installed")
    block = block_with("pipx install")
    install = next(c for c, _ in block if c.startswith(f"{tool} "))
    version, expected = next((c, why) for c, why in block if c == "tmws --version")
    path = f"{home / '.local' / 'bin'}:{Path(found).parent}:/usr/bin:/bin"
    _run(install, home, path)
    assert _run(version, home, path).strip() == expected  # the version the doc shows


@pytest.mark.slow
def test_the_venv_install_works_as_written(home: Path) -> None:
    path = os.environ.get("PATH", "/usr/bin:/bin")
    probe = "import sys; print(sys.version_info >= (3, 11))"
    if _run(f'python3 -c "{probe}"', home, path).strip() != "True":
        pytest.skip("python3 is older than 3.11 (the doc then says to use python3.11)")
    out = _run(" && ".join(c for c, _ in block_with("python3 -m venv")), home, path)
    assert out.strip().splitlines()[-1].startswith("tmws ")
