"""Session archive speed on the real Claude Code corpus (what `tmws clock-out` pays).

For each large corpus session this measures, as the median (and p95) of N runs:

* read      — `read_transcript(path)` (main file + subagent files)
* compose   — redact → build → redact → render → `assert_clean` (no I/O)
* clock-out — the whole service: find nothing, read, compose, write the archive through the
              Steward, read it back, history, index, `git add`, close (in a fresh git repo,
              after `init_project`; each run clocks in a new session first, untimed)
* read-back — `read_archive(text)`, what the learning miner pays per archive

then, per session, CPU time (this process: git's own children are not counted) against the
floor of `json.loads` over every line of the session's files (main + subagents): read +
compose, and the whole clock-out (median of N, alternating with the floor; goal ≤ 3×),
and, once, the hot path of trace recording: `record_trace` p50/p95 over --traces calls
(`digest_args` timed apart: the caller pays it once per call).

Run: .venv/bin/python benchmarks/bench_archive.py [--runs 5] [--corpus PATH]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "benchmarks"))

from _util import machine, percentile  # noqa: E402

from hestai_tmws.project import Project  # noqa: E402
from hestai_tmws.sessions.archive import ArchiveInputs, compose_archive, read_archive  # noqa: E402
from hestai_tmws.sessions.store import load_session  # noqa: E402
from hestai_tmws.sessions.traces import TraceRecord, digest_args, record_trace  # noqa: E402
from hestai_tmws.sessions.transcripts import read_transcript  # noqa: E402
from hestai_tmws.workflows.clock_in import clock_in  # noqa: E402
from hestai_tmws.workflows.clock_out import clock_out  # noqa: E402
from hestai_tmws.workflows.init import init_project  # noqa: E402

DEFAULT_CORPUS = REPO.parent / "shared" / "corpus" / "claude-code"


def timed(fn: Callable[[], object], runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def fresh_project(base: Path) -> Project:
    repo = base / "repo"
    repo.mkdir(parents=True)
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "b",
        "GIT_AUTHOR_EMAIL": "b@example.invalid",
        "GIT_COMMITTER_NAME": "b",
        "GIT_COMMITTER_EMAIL": "b@example.invalid",
    }
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=repo, check=True)
    (repo / "README.md").write_text("bench\n")
    subprocess.run(["git", "add", "README.md"], cwd=repo, check=True)
    subprocess.run(["git", "commit", "-qm", "init"], cwd=repo, check=True, env=env)
    project = Project.discover(repo)
    init_project(project)
    return project


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--traces", type=int, default=2000)
    args = parser.parse_args()
    sessions = sorted(p for p in args.corpus.glob("*-*-*-*-*.jsonl"))
    if not sessions:
        sys.exit(f"no corpus sessions in {args.corpus}")
    os.environ.setdefault("CLAUDE_CONFIG_DIR", tempfile.mkdtemp(prefix="bench-claude-"))
    print(f"machine: {machine()}; runs per measurement: {args.runs}")
    header = (
        "| session | MB | calls | archive KB | read ms | compose ms | clock-out ms "
        "(p95) | read-back ms | MB/s (clock-out) |"
    )
    print(header)
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory(prefix="bench-archive-") as tmp:
        project = fresh_project(Path(tmp))
        for path in sessions:
            size_mb = path.stat().st_size / 1e6
            read_times = timed(lambda p=path: read_transcript(p), args.runs)
            transcript = read_transcript(path)
            opened = clock_in(project, focus=f"bench {path.stem[:8]}")
            session = load_session(project, opened.session_id)
            inputs = ArchiveInputs(
                session=session,
                ended_at=session.started_at + timedelta(hours=1),
                transcript=transcript,
            )
            compose_times = timed(lambda i=inputs: compose_archive(i), args.runs)
            composed = compose_archive(inputs)
            back_times = timed(lambda t=composed.text: read_archive(t), args.runs)
            clock_out(project, session_id=opened.session_id, summary="warm-up", learn=False)
            out_times: list[float] = []
            calls = 0
            for run in range(args.runs):
                sid = clock_in(project, focus=f"bench {path.stem[:8]} {run}").session_id
                start = time.perf_counter()
                result = clock_out(project, session_id=sid, transcript=path, learn=False)
                out_times.append(time.perf_counter() - start)
                calls = result.tool_calls
            median_out = sorted(out_times)[len(out_times) // 2]
            print(
                f"| {path.stem[:8]} | {size_mb:.2f} | {calls} | {len(composed.text) / 1024:.1f} "
                f"| {percentile(read_times, 50) * 1000:.0f} "
                f"| {percentile(compose_times, 50) * 1000:.0f} "
                f"| {median_out * 1000:.0f} ({percentile(out_times, 95) * 1000:.0f}) "
                f"| {percentile(back_times, 50) * 1000:.1f} "
                f"| {size_mb / median_out:.1f} |"
            )
        bench_cpu_ratio(project, sessions, args.runs)
        bench_traces(project, args.traces)


def json_floor(files: list[Path]) -> None:
    for f in files:
        with f.open("rb") as fh:
            for raw in fh:
                with contextlib.suppress(ValueError):
                    json.loads(raw)


def bench_cpu_ratio(project: Project, sessions: list[Path], runs: int) -> None:
    """CPU of archiving each session as a multiple of json-parsing its files, same run."""
    print()
    print("| session | json.loads CPU ms | read+compose CPU ms (×) | clock-out CPU ms (×) |")
    print("|---|---:|---:|---:|")
    for path in sessions:
        files = [path, *sorted((path.parent / path.stem).rglob("*.jsonl"))]
        floor, pipeline, closing = [], [], []
        for run in range(runs):
            start = time.process_time()
            json_floor(files)
            floor.append(time.process_time() - start)
            opened = clock_in(project, focus=f"cpu {path.stem[:8]} {run}")
            session = load_session(project, opened.session_id)
            start = time.process_time()
            transcript = read_transcript(path)
            compose_archive(
                ArchiveInputs(
                    session=session,
                    ended_at=session.started_at + timedelta(hours=1),
                    transcript=transcript,
                )
            )
            pipeline.append(time.process_time() - start)
            start = time.process_time()
            clock_out(project, session_id=opened.session_id, transcript=path, learn=False)
            closing.append(time.process_time() - start)
        base = statistics.median(floor)
        mid, out = statistics.median(pipeline), statistics.median(closing)
        print(
            f"| {path.stem[:8]} | {base * 1000:.0f} | {mid * 1000:.0f} ({mid / base:.1f}×) "
            f"| {out * 1000:.0f} ({out / base:.1f}×) |"
        )


def bench_traces(project: Project, count: int) -> None:
    sid = clock_in(project, focus="trace bench").session_id
    args = {"command": "pytest -q tests/test_x.py", "description": "run the tests"}
    digests = timed(lambda: digest_args(args), count)
    records = [
        TraceRecord(
            tool="Bash", args_digest=digest_args(args), summary=f"call {n} ok", duration_ms=n
        )
        for n in range(count)
    ]
    times, cpu = [], []
    for rec in records:
        start, start_cpu = time.perf_counter(), time.thread_time()
        record_trace(project, sid, rec)
        cpu.append(time.thread_time() - start_cpu)
        times.append(time.perf_counter() - start)
    print()
    print("| trace hot path | p50 µs | p95 µs | p99 µs |")
    print("|---|---:|---:|---:|")
    rows = (
        ("record_trace, wall", times),
        ("record_trace, CPU of the calling thread", cpu),
        ("digest_args, wall", digests),
    )
    for name, values in rows:
        print(
            f"| {name} ({count} calls) | {percentile(values, 50) * 1e6:.0f} "
            f"| {percentile(values, 95) * 1e6:.0f} | {percentile(values, 99) * 1e6:.0f} |"
        )
    print(f"load average during the run: {os.getloadavg()[0]:.1f}")
    clock_out(project, session_id=sid, learn=False)


if __name__ == "__main__":
    main()
