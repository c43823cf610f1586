"""A cold `tmws verify --json`, with the parent's CPU and its workers' CPU apart, trees alternated.

    python benchmarks/bench_verify_split.py ROOT OLD/src NEW/src [--rounds 3]

ROOT is a tree built by `bench_verify.py --keep DIR` (DIR/repo-10000). Each run is a fresh
process with every verify cache dropped. The parent's CPU is the serial part of a run (what
the workers cannot take over); the workers' CPU divided by the cores is the parallel part.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
from pathlib import Path

CHILD = r"""
import resource, sys, time
start = time.perf_counter()
from hestai_tmws.cli.app import main
try:
    main(["verify", "--json"])
except SystemExit:
    pass
me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
print("SPLIT", me.ru_utime + me.ru_stime, kids.ru_utime + kids.ru_stime,
      time.perf_counter() - start, file=sys.stderr)
"""


def one_run(root: Path, src: str) -> tuple[float, float, float]:
    cache = root / ".git" / "hestai-tmws" / "cache"
    for path in cache.glob("verify-*") if cache.is_dir() else []:
        path.unlink()
    env = {**os.environ, "PYTHONPATH": src}
    proc = subprocess.run(
        [sys.executable, "-c", CHILD], cwd=root, env=env, capture_output=True, text=True
    )
    line = [x for x in proc.stderr.splitlines() if x.startswith("SPLIT")][-1].split()
    parent, workers, wall = (float(x) for x in line[1:])
    return parent, workers, wall


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("root", type=Path)
    parser.add_argument("trees", nargs="+")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    trees = [str(Path(tree).resolve()) for tree in args.trees]  # the child runs in ROOT
    rows: dict[str, list[tuple[float, float, float]]] = {src: [] for src in trees}
    for _ in range(args.rounds):
        for src in trees:
            rows[src].append(one_run(args.root, src))
    for src, runs in rows.items():
        parent, workers, wall = (statistics.median(r[i] for r in runs) for i in range(3))
        walls = sorted(r[2] for r in runs)
        print(
            f"{src}: parent CPU {parent:.2f} s, workers CPU {workers:.2f} s, "
            f"wall {wall:.2f} s [{walls[0]:.2f}-{walls[-1]:.2f}] n={len(runs)}"
        )
    print("load average", os.getloadavg())


if __name__ == "__main__":
    main()
