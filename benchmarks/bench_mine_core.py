"""CPU and peak memory of the mining core alone over an existing corpus, or two n-gram counters.

    python benchmarks/bench_mine_core.py ROOT                 # `mining.mine` once
    python benchmarks/bench_mine_core.py ROOT --ngrams-base SRC [--rounds 3]

ROOT is a repository whose sequence cache is warm (run `tmws learn mine` there first): the
sequences come from the cache, so only the miner is measured (`process_time`, peak RSS) and
a SHA-256 over every mined pattern's JSON shows whether two trees find the same patterns.
`--ngrams-base` loads `learning/core/ngrams.py` of another source tree next to this one and
alternates the two `frequent_ngrams` over the same texts in one process: a before/after
that the machine's load affects alike.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import importlib.util
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from hestai_tmws.config import learning_namespace, load_settings
from hestai_tmws.learning.archive_scan import scan, sessions_of
from hestai_tmws.learning.cache import SequenceCache, mining_input
from hestai_tmws.learning.core import ngrams
from hestai_tmws.learning.core.corpus import encode
from hestai_tmws.learning.core.mining import mine
from hestai_tmws.learning.pipeline import mining_config
from hestai_tmws.project import Project


def rss_mb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("root")
    parser.add_argument("--ngrams-base")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    project = Project.discover(Path(args.root))
    settings = load_settings(project)
    config = mining_config(settings)
    cache = SequenceCache.load(project)
    found = scan(project, cache, trust_inodes=True)
    seqs = mining_input(
        cache, sessions_of(cache, found.archives, learning_namespace(project, settings))
    )
    print(f"sessions {len(seqs)}, RSS before mining {rss_mb()} MB")
    if not args.ngrams_base:
        start = time.process_time()
        patterns = mine(seqs, config)
        cpu = time.process_time() - start
        digest = hashlib.sha256("\n".join(p.model_dump_json() for p in patterns).encode())
        print(f"mine CPU {cpu:.2f} s, peak RSS {rss_mb()} MB, patterns {len(patterns)}")
        print(f"digest {digest.hexdigest()}")
        return
    path = Path(args.ngrams_base) / "hestai_tmws/learning/core/ngrams.py"
    spec = importlib.util.spec_from_file_location("base_ngrams", path)
    assert spec is not None and spec.loader is not None
    base = importlib.util.module_from_spec(spec)
    sys.modules["base_ngrams"] = base
    spec.loader.exec_module(base)
    texts = encode(seqs).texts
    times: dict[str, list[float]] = {"base": [], "new": []}
    gc.disable()
    for _ in range(args.rounds):
        for name, module in (("base", base), ("new", ngrams)):
            start = time.process_time()
            levels = module.frequent_ngrams(texts, config.min_support, config.max_len)
            times[name].append(time.process_time() - start)
            grams = sum(len(level.support) for level in levels)
            print(f"{name} {times[name][-1]:.2f} s CPU, {grams} frequent grams", flush=True)
            del levels
    for name, values in times.items():
        print(
            f"{name} median {statistics.median(values):.2f} s "
            f"[{min(values):.2f}-{max(values):.2f}] n={len(values)}"
        )


if __name__ == "__main__":
    main()
