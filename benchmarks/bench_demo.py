"""`tmws demo` end to end (goal: under 30 s), median of N runs in fresh temp repositories.

Run: python benchmarks/bench_demo.py [--repeat N]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from _util import machine, median_ms, time_command


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    tmws = shutil.which("tmws", path=str(Path(sys.executable).parent)) or "tmws"
    times = []
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as tmp:
            times += time_command([tmws, "demo", "--dir", str(Path(tmp) / "demo")], 1)
    print(f"machine: {machine()}")
    print(
        f"tmws demo  median {median_ms(times) / 1000:.2f} s  max {max(times):.2f} s  "
        f"(n={args.repeat}, goal < 30 s)"
    )


if __name__ == "__main__":
    main()
