"""Fixtures for governance tests: a writable copy of the bundled hub and a fresh rules cache."""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT

BUNDLED = REPO_ROOT / "_bundled_hub"


@pytest.fixture(autouse=True)
def _fresh_caches() -> Iterator[None]:
    from hestai_tmws.governance.rules import clear_caches

    clear_caches()
    yield
    clear_caches()


@pytest.fixture
def hub_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled hub that a test may change."""
    target = tmp_path / "hub"
    shutil.copytree(BUNDLED, target)
    return target


def tree_bytes(root: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under `root` with its content and permission bits (links recorded as such)."""
    out: dict[str, tuple[bytes, int]] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        for name in [*dirnames, *filenames]:
            path = here / name
            rel = path.relative_to(root).as_posix()
            mode = path.lstat().st_mode
            if stat.S_ISLNK(mode):
                out[rel] = (os.readlink(path).encode(), -1)
            elif stat.S_ISDIR(mode):
                out[rel + "/"] = (b"", stat.S_IMODE(mode))
            else:
                out[rel] = (path.read_bytes(), stat.S_IMODE(mode))
    return out


def hub_files(root: Path) -> dict[str, bytes]:
    """Files of a hub as inject copies them (dot-files skipped)."""
    out: dict[str, bytes] = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if path.is_file() and not any(p.startswith(".") for p in rel.parts):
            out[rel.as_posix()] = path.read_bytes()
    return out


def make_writable(root: Path) -> None:
    """Undo the read-only sealing so that tests can tamper like a careless agent would."""
    for dirpath, _dirs, _files in os.walk(root):
        os.chmod(dirpath, 0o755)
