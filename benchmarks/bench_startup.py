"""`tmws --version` wall time as a ratio to `python -c pass` (goal ≤ 3×).

Run: python benchmarks/bench_startup.py [--repeat N]
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from _util import machine, median_ms, time_command


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    tmws = shutil.which("tmws", path=str(Path(sys.executable).parent)) or "tmws"
    baseline = time_command([sys.executable, "-c", "pass"], args.repeat)
    version = time_command([tmws, "--version"], args.repeat)
    help_ = time_command([tmws, "--help"], max(5, args.repeat // 3))
    base_ms, ver_ms = median_ms(baseline), median_ms(version)
    print(f"machine: {machine()}")
    print(f"python -c pass     median {base_ms:7.1f} ms  (n={args.repeat})")
    print(f"tmws --version     median {ver_ms:7.1f} ms  ratio {ver_ms / base_ms:.2f}x (goal <= 3x)")
    print(f"tmws --help        median {median_ms(help_):7.1f} ms  (loads typer + every command)")


if __name__ == "__main__":
    main()
