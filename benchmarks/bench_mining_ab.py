"""Before/after of `run_mine` on one large corpus, alternating two source trees in one session.

    python benchmarks/bench_mining_ab.py ROOT BASE_SRC [--rounds 2] [--seed 5000]

ROOT is a git repository whose `.hestai/sessions/archive/` holds the corpus (e.g. the
`--keep` folder of bench_learning_pipeline.py, copied: this script adds archives to it);
BASE_SRC an older checkout's `src` (`git archive <commit> src | tar -x -C DIR`). Per round and
tree: a cold full mine (cache dropped), a warm full mine (nothing new), a full mine after 100
new archives (a real re-mine), an incremental mine after 100 more. Each runs in its own
process; CPU is user+sys of that process and RSS its peak (`os.wait4`), because the shared
machine makes wall time meaningless. The corpus grows by 200 archives per tree and round.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
PY = sys.executable
CHILD = r"""
import sys, time, resource, json
from pathlib import Path
from hestai_tmws.project import Project
from hestai_tmws.learning.pipeline import run_mine
p = Project.discover(Path(sys.argv[1]))
r = run_mine(p, mode=sys.argv[2])
out = {"patterns": r.patterns, "sessions": r.sessions, "read": r.archives_read}
print(json.dumps(out | {"t": r.timings_ms}))
"""


def run(root: str, src: str, mode: str) -> tuple[float, float, dict[str, Any]]:
    env = {**os.environ, "PYTHONPATH": src}
    proc = subprocess.Popen(
        [PY, "-c", CHILD, root, mode], env=env, stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    text = proc.stdout.read()
    _, status, ru = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    assert proc.returncode == 0, text
    return ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024, json.loads(text.strip().splitlines()[-1])


def drop(root: str) -> None:
    Path(root, ".git/hestai-tmws/cache/learning-sequences.marshal").unlink(missing_ok=True)


def add(root: str, seed: int) -> None:
    """100 new generated archives (the pipeline benchmark's writer)."""
    code = (
        "import sys; from pathlib import Path; from bench_learning_pipeline import write_corpus;"
        "write_corpus(Path(sys.argv[1]), int(sys.argv[2]), 100, 50)"
    )
    env = {**os.environ, "PYTHONPATH": f"{HERE.parent / 'src'}{os.pathsep}{HERE}"}
    subprocess.run([PY, "-c", code, root, str(seed)], env=env, check=True)


STEPS = ("cold", "warm", "+100, full (re-mine)", "+100, incremental")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("root")
    parser.add_argument("base_src")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--seed", type=int, default=5000)
    args = parser.parse_args()
    trees = {"base": args.base_src, "new": str(HERE.parent / "src")}
    rows: dict[tuple[str, str], list[tuple[float, float, dict[str, Any]]]] = {}
    seed = args.seed
    for rnd in range(args.rounds):
        for name, src in trees.items():
            drop(args.root)
            rows.setdefault((name, STEPS[0]), []).append(run(args.root, src, "full"))
            rows.setdefault((name, STEPS[1]), []).append(run(args.root, src, "full"))
            add(args.root, seed)
            rows.setdefault((name, STEPS[2]), []).append(run(args.root, src, "full"))
            add(args.root, seed + 1)
            rows.setdefault((name, STEPS[3]), []).append(run(args.root, src, "incremental"))
            seed += 2
            for step in STEPS:
                cpu, rss, info = rows[(name, step)][-1]
                print(
                    f"round {rnd} {name:4s} {step:22s} CPU {cpu:6.2f} s  RSS {rss:4.0f} MB  "
                    f"patterns {info['patterns']} sessions {info['sessions']} "
                    f"read {info['read']} {info['t']}",
                    flush=True,
                )
    print("summary: CPU seconds, median [min-max], and the peak RSS")
    for (name, step), v in sorted(rows.items()):
        cpus = sorted(x[0] for x in v)
        print(
            f"{name:4s} {step:22s} median {statistics.median(cpus):6.2f} "
            f"[{cpus[0]:.2f}-{cpus[-1]:.2f}] n={len(cpus)}  RSS {max(x[1] for x in v):.0f} MB"
        )


if __name__ == "__main__":
    main()
