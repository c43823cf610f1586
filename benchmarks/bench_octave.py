"""OCTAVE emit + parse of session-archive-shaped documents: median/p95, throughput, scaling.

Builds archives of N tool-call entries (each a block with strings that need quoting or tags,
a list, a list of maps and a literal zone), then times `emit` and `parse`; checks linearity
(CPU time per entry at N vs 4N) and, for one small archive, compares with the reference parser.

Run: python benchmarks/bench_octave.py [--entries 2000] [--repeat 15]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from _util import machine, percentile, time_calls

from hestai_tmws.octave import Document, Literal, Section, emit, parse


def archive(entries: int) -> Document:
    calls = {}
    for i in range(entries):
        calls[f"T{i:05d}"] = {
            "TOOL": "Bash" if i % 3 else "Edit",
            "AT": f"2026-09-14T10:{i % 60:02d}:00Z",
            "INPUT": f'grep -rn "retry {i}" src/ | head -20 && echo "done → next"',
            "FILES": [f"src/sync/client_{i}.py", "tests/test_client.py", "README.md"],
            "HITS": [{"PATH": f"src/m{i}.py", "LINE": i, "OK": True}],
            "STATUS": "OK" if i % 7 else "True",
            "OUT": Literal(f"src/m{i}.py:12:    retry()\n\tindented\t{i}\n```not a fence\n"),
        }
    return Document(
        "SESSION_ARCHIVE",
        meta={"TYPE": "SESSION_ARCHIVE", "VERSION": "1.0", "SESSION_ID": "2026-09-14-a1b2c3"},
        sections=[
            Section(1, "CONTEXT", {"GOAL": "Add retry logic", "ROLE": "implementation-lead"}),
            Section(2, "TRACES", {"CALLS": calls}),
        ],
    )


def cpu_times(fn: Callable[[], object], repeat: int) -> list[float]:
    """CPU seconds of each call: steadier than wall time on a shared machine."""
    out = []
    for _ in range(repeat):
        start = time.process_time()
        fn()
        out.append(time.process_time() - start)
    return out


def stats(label: str, seconds: list[float], cpu: list[float], size: int | None = None) -> str:
    ms = [s * 1000 for s in seconds]
    line = (
        f"{label:<32} wall median {statistics.median(ms):8.2f} ms  p95 {percentile(ms, 95):8.2f} ms"
        f"  cpu median {statistics.median(cpu) * 1000:8.2f} ms"
    )
    if size is not None:
        line += f"  {size / statistics.median(cpu) / 1e6:5.1f} MB/s (cpu)"
    return line


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    print(f"machine: {machine()}")

    results: dict[int, tuple[float, float]] = {}
    for n in (args.entries, args.entries * 4):
        doc = archive(n)
        text = emit(doc)
        assert parse(text) == doc
        size = len(text.encode("utf-8"))
        repeat = args.repeat if n == args.entries else max(3, args.repeat // 3)
        t_emit = time_calls(lambda doc=doc: emit(doc), repeat)
        t_parse = time_calls(lambda text=text: parse(text), repeat)
        c_emit = cpu_times(lambda doc=doc: emit(doc), repeat)
        c_parse = cpu_times(lambda text=text: parse(text), repeat)
        results[n] = (statistics.median(c_emit), statistics.median(c_parse))
        print(f"-- {n} entries: {size / 1e6:.2f} MB, {text.count(chr(10))} lines")
        print(stats("emit", t_emit, c_emit, size))
        print(stats("parse", t_parse, c_parse, size))

    small, big = args.entries, args.entries * 4
    for i, name in enumerate(("emit", "parse")):
        ratio = (results[big][i] / big) / (results[small][i] / small)
        print(f"{name} time per entry, {big} vs {small} entries: {ratio:.2f}x (1.00 = linear)")

    try:
        import octave_mcp
    except ImportError:
        print("reference parser not installed: skipping the comparison")
        return
    sample = emit(archive(100))
    ours = cpu_times(lambda: parse(sample), 5)
    ref = cpu_times(lambda: octave_mcp.parse(sample), 3)
    print(stats("parse 100 entries, ours", ours, ours))
    print(stats("parse 100 entries, octave-mcp", ref, ref))
    print(f"octave-mcp / ours (cpu): {statistics.median(ref) / statistics.median(ours):.0f}x")


if __name__ == "__main__":
    main()
