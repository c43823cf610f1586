"""Transcript reading and redaction speed on the real Claude Code corpus.

For each large corpus session (main file + subagent files) this measures, as the median
of 5 runs:

* read     — `read_claude_code(path)` (parse, pair, digest — digests are redacted here)
* redact   — `Transcript.redacted()`: every kept free-text field and every tool input
* pipeline — read + redact, what clock-out pays
* all-text — `redact_many()` over every string value of every record (the worst case:
             even tool outputs and progress records that the reader never keeps)

and prints MB/s against the main file's size plus the ratio to a bare `json.loads` pass.

Run: .venv/bin/python benchmarks/bench_transcripts.py [--runs 5] [--cpu] [--corpus PATH]
(`--cpu` measures process CPU time instead of wall time: steadier on a busy machine.)
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from hestai_tmws.secrets.redaction import redact, redact_many  # noqa: E402
from hestai_tmws.sessions.transcripts import read_claude_code  # noqa: E402

DEFAULT_CORPUS = REPO.parent / "shared" / "corpus" / "claude-code"


CLOCK: Callable[[], float] = time.perf_counter


def median_seconds(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = CLOCK()
        fn()
        times.append(CLOCK() - start)
    return statistics.median(times)


def strings(obj: Any) -> Iterator[str]:
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, dict):
        for value in obj.values():
            yield from strings(value)
    elif isinstance(obj, list):
        for value in obj:
            yield from strings(value)


def session_files(path: Path) -> list[Path]:
    return [path, *sorted((path.parent / path.stem / "subagents").glob("agent-*.jsonl"))]


def json_pass(files: list[Path]) -> None:
    for file in files:
        with file.open("rb") as fh:
            for line in fh:
                if line.strip():
                    json.loads(line)


def all_text(files: list[Path]) -> list[str]:
    out: list[str] = []
    for file in files:
        for line in file.read_text(encoding="utf-8").splitlines():
            if line.strip():
                out.extend(strings(json.loads(line)))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--cpu", action="store_true", help="process CPU time, not wall time")
    args = parser.parse_args()
    global CLOCK
    CLOCK = time.process_time if args.cpu else time.perf_counter
    sessions = sorted(p for p in args.corpus.glob("*.jsonl") if "-" in p.stem)
    if not sessions:
        print(f"no corpus at {args.corpus}", file=sys.stderr)
        return 1
    redact("warm up: load detect-secrets DB_PASSWORD=hunter2")
    header = (
        "| session | MB (main+sub) | calls | json.loads ms | read ms | redact ms | pipeline ms "
        "| pipeline MB/s | ×json | all-text redact ms (MB) |"
    )
    print(header)
    print("|---" * (header.count("|") - 1) + "|")
    totals: list[float] = []
    for path in sessions:
        files = session_files(path)
        megabytes = sum(f.stat().st_size for f in files) / 1e6
        transcript = read_claude_code(path)
        t_json = median_seconds(lambda files=files: json_pass(files), args.runs)
        t_read = median_seconds(lambda path=path: read_claude_code(path), args.runs)
        t_redact = median_seconds(lambda t=transcript: t.redacted(), args.runs)
        t_pipe = median_seconds(lambda path=path: read_claude_code(path).redacted(), args.runs)
        texts = all_text(files)
        text_mb = sum(len(s) for s in texts) / 1e6
        t_all = median_seconds(lambda texts=texts: redact_many(texts), args.runs)
        totals.append(t_pipe)
        cells = [
            path.stem[:8],
            f"{megabytes:.2f}",
            str(len(transcript.tool_calls)),
            f"{t_json * 1e3:.0f}",
            f"{t_read * 1e3:.0f}",
            f"{t_redact * 1e3:.0f}",
            f"{t_pipe * 1e3:.0f}",
            f"{megabytes / t_pipe:.1f}",
            f"{t_pipe / t_json:.1f}",
            f"{t_all * 1e3:.0f} ({text_mb:.1f})",
        ]
        print("| " + " | ".join(cells) + " |")
    worst, middle = max(totals) * 1e3, statistics.median(totals) * 1e3
    print(f"\nworst pipeline: {worst:.0f} ms; median {middle:.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
