"""Small helpers shared by the benchmark scripts: timing, percentiles, machine description."""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path


def percentile(values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile (pct in 0..100) of a non-empty sequence."""
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


def time_calls(fn: Callable[[], object], repeat: int) -> list[float]:
    """Wall time of each call, in seconds."""
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def time_command(
    argv: Sequence[str], repeat: int, env: dict[str, str] | None = None
) -> list[float]:
    return time_calls(
        lambda: subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, env=env), repeat
    )


def median_ms(values: Sequence[float]) -> float:
    return statistics.median(values) * 1000


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"


@contextmanager
def temp_repo() -> Iterator[Path]:
    """A fresh, empty git repository in a temporary folder, removed afterwards."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "repo"
        root.mkdir()
        subprocess.run(["git", "init", "-q", str(root)], check=True)
        yield root
