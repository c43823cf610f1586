"""Cold full mine, old tree vs new, alternated: wall time, CPU and peak RSS of each run.

    python benchmarks/bench_mine_cold.py ROOT BASE_SRC [--rounds 3]

ROOT is a git repository whose `.hestai/sessions/archive/` holds the corpus (a copy: the
cache in its git directory is dropped before every run); BASE_SRC an older checkout's `src`.
Each run is a fresh process (`run_mine(mode="full")`, cache dropped). The goal figure is
wall time, since the scan now parses on every core: CPU (user+sys, `os.wait4`) counts the
mine process and its worker processes together, and RSS is the largest peak among them.
Wall time is only comparable within one run of this script (the machine is shared), which
is why the trees alternate.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
PY = sys.executable
CHILD = r"""
import sys, json
from pathlib import Path
from hestai_tmws.project import Project
from hestai_tmws.learning.pipeline import run_mine
r = run_mine(Project.discover(Path(sys.argv[1])), mode="full")
print(json.dumps({"patterns": r.patterns, "sessions": r.sessions, "t": r.timings_ms}))
"""


def drop(root: str) -> None:
    Path(root, ".git/hestai-tmws/cache/learning-sequences.marshal").unlink(missing_ok=True)


def run(root: str, src: str) -> tuple[float, float, float, dict[str, Any]]:
    """(wall s, CPU s, peak RSS MB, the child's report) of one cold full mine."""
    drop(root)
    env = {**os.environ, "PYTHONPATH": src}
    start = time.perf_counter()
    proc = subprocess.Popen([PY, "-c", CHILD, root], env=env, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    text = proc.stdout.read()
    _, status, ru = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    assert os.waitstatus_to_exitcode(status) == 0, text
    info = json.loads(text.strip().splitlines()[-1])
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024, info


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("root")
    parser.add_argument("base_src")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    trees = {"base": args.base_src, "new": str(HERE.parent / "src")}
    rows: dict[str, list[tuple[float, float, float, dict[str, Any]]]] = {}
    for rnd in range(args.rounds):
        for name, src in trees.items():
            wall, cpu, rss, info = run(args.root, src)
            rows.setdefault(name, []).append((wall, cpu, rss, info))
            print(
                f"round {rnd} {name:4s} wall {wall:6.2f} s  CPU {cpu:6.2f} s  RSS {rss:4.0f} MB  "
                f"load {os.getloadavg()[0]:.2f}  patterns {info['patterns']} "
                f"sessions {info['sessions']} {info['t']}",
                flush=True,
            )
    print("summary: median [min-max], n; RSS the largest peak")
    for name, v in rows.items():
        walls, cpus = sorted(x[0] for x in v), sorted(x[1] for x in v)
        print(
            f"{name:4s} wall {statistics.median(walls):6.2f} [{walls[0]:.2f}-{walls[-1]:.2f}]  "
            f"CPU {statistics.median(cpus):6.2f} [{cpus[0]:.2f}-{cpus[-1]:.2f}]  n={len(v)}  "
            f"RSS {max(x[2] for x in v):.0f} MB"
        )


if __name__ == "__main__":
    main()
