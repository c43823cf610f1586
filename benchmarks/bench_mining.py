"""Benchmark the pattern-mining core on a generated corpus.

    .venv/bin/python benchmarks/bench_mining.py                 # 10,000 sessions, 500,000 calls
    .venv/bin/python benchmarks/bench_mining.py --sessions 2000 --repeat 5

Generates a seeded corpus (planted workflows in Zipf noise), then times `mine()` from the
already-built SessionSeq list: median and spread of `--repeat` runs (wall and CPU time),
the peak memory of one run under tracemalloc, the process's max RSS, and how well the
planted workflows were recovered. `--cache` also times a pickle round trip of the
sequences, as a stand-in for reading cached sequences. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import pickle
import platform
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from hestai_tmws.learning.core.generator import generate_corpus, score_against_planted
from hestai_tmws.learning.core.mining import mine
from hestai_tmws.learning.core.model import MiningConfig


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=10_000)
    parser.add_argument("--calls-per-session", type=int, default=50)
    parser.add_argument("--workflows", type=int, default=8)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cache", action="store_true", help="also time a pickle round trip")
    args = parser.parse_args()

    started = time.perf_counter()
    corpus = generate_corpus(
        args.seed,
        sessions=args.sessions,
        mean_calls=args.calls_per_session,
        workflows=args.workflows,
    )
    generate_s = time.perf_counter() - started
    config = MiningConfig()

    walls: list[float] = []
    cpus: list[float] = []
    patterns = []
    for _ in range(args.repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        patterns = mine(corpus.sessions, config)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)

    tracemalloc.start()
    mine(corpus.sessions, config)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    result: dict[str, object] = {
        "python": platform.python_version(),
        "sessions": len(corpus.sessions),
        "calls": corpus.calls,
        "generate_s": round(generate_s, 3),
        "mine_wall_median_s": round(statistics.median(walls), 3),
        "mine_wall_runs_s": [round(w, 3) for w in walls],
        "mine_cpu_median_s": round(statistics.median(cpus), 3),
        "mine_peak_tracemalloc_mb": round(peak / 2**20, 1),
        "process_max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "patterns": len(patterns),
        "variants": sum(len(p.variants) for p in patterns),
        "planted": len(corpus.planted),
    }
    score = score_against_planted([p.tokens for p in patterns], corpus.planted)
    result["precision"] = score.precision
    result["recall"] = score.recall
    result["min_lift_reported"] = round(min((p.lift for p in patterns), default=0.0), 2)

    if args.cache:
        blob = pickle.dumps(corpus.sessions, protocol=pickle.HIGHEST_PROTOCOL)
        loads: list[float] = []
        for _ in range(args.repeat):
            wall = time.perf_counter()
            sessions = pickle.loads(blob)
            mine(sessions, config)
            loads.append(time.perf_counter() - wall)
        result["cache_mb"] = round(len(blob) / 2**20, 1)
        result["unpickle_and_mine_median_s"] = round(statistics.median(loads), 3)

    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
