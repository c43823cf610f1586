"""Suggestion replay and validated patterns of each real history, imported once.

    .venv/bin/python benchmarks/bench_replay.py                 # ../shared/corpus/history
    .venv/bin/python benchmarks/bench_replay.py --keep /tmp/rp  # reuse imports between runs
    .venv/bin/python benchmarks/bench_replay.py --details       # every held-back session

Each history is imported into a scratch repository (with `--keep`, once: a later run
reuses the folder), then mined in full with default settings as `tmws learn mine` does,
then replayed (`learning/replay.py`). Prints one JSON object per history: its validated
patterns (chain, sessions, days), the replay's hits and rates, and CPU seconds of each
stage. Quality and hit rate are what this measures; speed is `bench_import.py`'s.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _util import machine

from hestai_tmws.learning.core.states import PatternState
from hestai_tmws.learning.pipeline import run_mine
from hestai_tmws.learning.replay import replay
from hestai_tmws.learning.store import load_records
from hestai_tmws.project import Project
from hestai_tmws.workflows.import_history import import_history
from hestai_tmws.workflows.init import init_project

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "history"


def imported(root: Path, folder: Path) -> Project:
    """The history in `folder` imported into the repository at `root` (once)."""
    if (root / ".git").is_dir():
        return Project.discover(root)
    root.mkdir(parents=True)
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True)
    subprocess.run(
        ["git", "-C", str(root), "commit", "-q", "--allow-empty", "-m", "init"], check=True
    )
    init_project(Project.discover(root))
    project = Project.discover(root)
    import_history(project, [folder], learn=False)
    return project


def measure(project: Project, *, details: bool) -> dict[str, object]:
    start = time.process_time()
    run_mine(project, mode="full")
    mined = time.process_time()
    records = load_records(project).records.values()
    chains = sorted(
        (
            {"chain": " → ".join(r.tokens), "support": r.stats.support, "days": len(r.stats.days)}
            for r in records
            if r.state is PatternState.VALIDATED
        ),
        key=lambda c: (-int(str(c["support"])), str(c["chain"])),
    )
    result = replay(project)
    done = time.process_time()
    out: dict[str, object] = {
        "validated": len(chains),
        "patterns": chains,
        "replay": result.model_dump(exclude={"details"}),
        "cpu_s": {"mine": round(mined - start, 2), "replay": round(done - mined, 2)},
    }
    if details:
        out["details"] = [
            {"task": d.task[:90], "suggested": d.suggested, "ran": d.ran, "hit": d.hit}
            for d in result.details
        ]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, default=[DEFAULT])
    parser.add_argument("--keep", type=Path, help="folder for the imports, reused if present")
    parser.add_argument("--details", action="store_true", help="list every held-back session")
    args = parser.parse_args()
    folders = [q for p in args.paths for q in (sorted(x for x in p.iterdir() if x.is_dir()) or [p])]
    with tempfile.TemporaryDirectory() as tmp:
        base = args.keep or Path(tmp)
        out: dict[str, object] = {"machine": machine()}
        for folder in folders:
            pristine = imported(base / folder.name, folder)
            # each run mines a copy, so no record of an earlier run is carried over
            work = Path(tmp) / "work" / folder.name
            shutil.copytree(pristine.root, work, symlinks=True)
            out[folder.name] = measure(Project.discover(work), details=args.details)
        print(json.dumps(out, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
