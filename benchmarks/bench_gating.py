"""Trigger gating on long texts: `raw_findings` of each raw Claude Code corpus session (one
text per file) with the proven rules gated and with every rule run, alternately, in CPU.

Checks that both give the same findings; prints median, min–max and n of each and the
ratio. Run: python benchmarks/bench_gating.py [--rounds 6]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from hestai_tmws.secrets import scanner  # noqa: E402

CORPUS = Path("/work/shared/corpus/claude-code")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=6)
    args = parser.parse_args()
    texts = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*-*-*-*-*.jsonl"))]
    proven = scanner._long_gated

    def every_rule() -> tuple[bool, ...]:
        return (False,) * len(scanner.ALL_RULES)

    sides = {"gated": proven, "every rule": every_rule}
    cpu: dict[str, list[float]] = {name: [] for name in sides}
    for n in range(args.rounds):
        found = {}
        for name in sides if n % 2 == 0 else reversed(list(sides)):
            scanner._long_gated = sides[name]  # type: ignore[assignment]
            start = time.process_time()
            found[name] = [sorted(scanner.raw_findings(t)) for t in texts]
            cpu[name].append(time.process_time() - start)
        assert found["gated"] == found["every rule"], "gating changed a finding"
    scanner._long_gated = proven
    chars = sum(map(len, texts)) / 1e6
    print(f"{len(texts)} texts, {chars:.1f} M characters; findings identical")
    for name, xs in cpu.items():
        print(f"{name}: {statistics.median(xs):.3f} s ({min(xs):.3f}–{max(xs):.3f}), n={len(xs)}")
    ratio = statistics.median(cpu["gated"]) / statistics.median(cpu["every rule"])
    print(f"gated ÷ every rule: {ratio:.2f}")


if __name__ == "__main__":
    main()
