"""The real OCTAVE files of HestAI-MCP and octave-mcp, read from local git mirrors when present.

Nothing is copied into this repository: the files are read with `git show` from a bare mirror
(`HESTAI_MCP_GIT` / `OCTAVE_MCP_GIT`, else the fetch tool's default place). Tests that use them
skip when no mirror is there.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

MIRRORS = {
    "HestAI-MCP": (
        "HESTAI_MCP_GIT",
        "/work/.mirror/elevanaltd+HestAI-MCP/repo",
        ("src/hestai_mcp/_bundled_hub/", ".hestai/"),
    ),
    "octave-mcp": (
        "OCTAVE_MCP_GIT",
        "/work/.mirror/elevanaltd+octave-mcp/repo",
        ("examples/", "tests/fixtures/", "docs/grammar/test-vectors/"),
    ),
}


def git_dir(project: str) -> Path | None:
    """The bare mirror of `project`, or None when there is none on this machine."""
    env, default, _ = MIRRORS[project]
    path = Path(os.environ.get(env, default))
    return path if (path / "HEAD").is_file() else None


def _git(gd: Path, *args: str) -> bytes:
    return subprocess.run(
        ["git", "--git-dir", str(gd), *args], capture_output=True, check=True
    ).stdout


def files(project: str, rev: str = "HEAD") -> list[tuple[str, bytes]]:
    """(path, bytes) of every ``.oct.md`` file under the project's chosen folders at `rev`."""
    gd = git_dir(project)
    if gd is None:
        return []
    prefixes = MIRRORS[project][2]
    names = _git(gd, "ls-tree", "-r", "--name-only", rev).decode().splitlines()
    return [
        (name, _git(gd, "show", f"{rev}:{name}"))
        for name in names
        if name.endswith(".oct.md") and name.startswith(prefixes)
    ]


def extract(project: str, rev: str, prefix: str, dest: Path) -> int:
    """Write the files under `prefix` at `rev` into `dest` (keeping paths); returns the count."""
    gd = git_dir(project)
    if gd is None:
        return 0
    listing = _git(gd, "ls-tree", "-r", rev, "--", prefix).decode().splitlines()
    count = 0
    for row in listing:
        meta, name = row.split("\t", 1)
        mode, kind, _sha = meta.split(" ")
        if kind != "blob":
            continue
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        data = _git(gd, "show", f"{rev}:{name}")
        if mode == "120000":
            target.symlink_to(data.decode())
        else:
            target.write_bytes(data)
        count += 1
    return count
