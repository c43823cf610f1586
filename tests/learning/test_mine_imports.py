"""numpy is the full mine's: an incremental mine in a fresh process never imports it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from hestai_tmws.learning.pipeline import run_mine
from tests.learning.loop_support import init_repo, plant_sessions

CHILD = """
import sys
from pathlib import Path
from hestai_tmws.learning.pipeline import run_mine
from hestai_tmws.project import Project
report = run_mine(Project.discover(Path(sys.argv[1])), mode=sys.argv[2])
print(report.mode, report.new_sessions, "numpy" in sys.modules)
"""


def _mine_in_a_fresh_process(root: Path, mode: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(root), mode], capture_output=True, text=True, check=True
    )
    return done.stdout.split()


def test_an_incremental_mine_does_not_import_numpy_and_a_full_one_does(tmp_path: Path) -> None:
    project = init_repo(tmp_path / "repo")
    plant_sessions(project, 3)
    run_mine(project)
    plant_sessions(project, 1, start=3)
    assert _mine_in_a_fresh_process(project.root, "incremental") == ["incremental", "1", "False"]
    plant_sessions(project, 1, start=4)
    assert _mine_in_a_fresh_process(project.root, "full") == ["full", "0", "True"]
