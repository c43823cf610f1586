"""The git merge driver `tmws-octave`: git calls it per `.hestai/**/*.oct.md` file it merges.

It runs the structural merge (`octave_merge`), records a clean result in the Steward's ledger
so the merge commit passes the guard, and falls back to git's own line merge for files that are
not OCTAVE. `tmws init` registers it as `merge=tmws-octave`.
"""

from __future__ import annotations

import sys
from pathlib import Path

from hestai_tmws.gitio import blob_id, run_git
from hestai_tmws.guard.octave_merge import merge_octave
from hestai_tmws.layout import HESTAI
from hestai_tmws.project import Project
from hestai_tmws.steward import Steward

DRIVER_NAME = "tmws-octave"
GITATTRIBUTES_LINE = f"{HESTAI}/**/*.oct.md merge={DRIVER_NAME}"


def run_driver(
    project: Project, base_file: str, ours_file: str, theirs_file: str, path: str
) -> int:
    """`git merge` calls this per file: write the result to `ours_file`, 0 clean, 1 conflict.

    A clean result is recorded in the Steward's ledger under `path`, so the merge commit that
    stages it passes the guard; a conflicted one is not (its resolution needs `tmws adopt`).
    """

    def read(p: str) -> str:
        return Path(p).read_bytes().decode("utf-8", "surrogateescape")

    base, ours, theirs = read(base_file), read(ours_file), read(theirs_file)
    outcome = merge_octave(base, ours, theirs, labels=(f"ours ({path})", f"theirs ({path})"))
    if not outcome.structured:  # not OCTAVE: do what git would have done, line by line
        proc = run_git(
            project.root,
            "merge-file",
            "-L",
            "ours",
            "-L",
            "base",
            "-L",
            "theirs",
            ours_file,
            base_file,
            theirs_file,
            check=False,
        )
        return 0 if proc.returncode == 0 else 1
    data = outcome.text.encode("utf-8", "surrogateescape")
    Path(ours_file).write_bytes(data)
    if outcome.conflicts:
        return 1
    if path.startswith(HESTAI + "/"):
        Steward(project).record_adoption(
            path, blob_id(data), actor="tmws merge-driver", reason="clean 3-way OCTAVE merge"
        )
    return 0


def driver_command(python: str | None = None) -> str:
    """The `merge.tmws-octave.driver` value: this interpreter runs the driver."""
    exe = python or sys.executable
    return f'"{exe}" -I -m hestai_tmws.cli.app merge-driver %O %A %B %P'


def register_merge_driver(project: Project, *, python: str | None = None) -> None:
    """Set `merge.tmws-octave.{name,driver}` in the repository's local config (per clone)."""
    project.git.config_set(f"merge.{DRIVER_NAME}.name", "hestai-tmws 3-way OCTAVE merge")
    project.git.config_set(f"merge.{DRIVER_NAME}.driver", driver_command(python))
