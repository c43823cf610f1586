"""The mining pipeline over a generated corpus: 10,000 archived sessions, 500,000 tool calls.

Measures, each phase in a fresh process (as a `tmws learn mine` would run):
- baseline: only reading + parsing every archive (`read_archive`, the strict OCTAVE parse),
  and reading with the pipeline's own line-exact reader (`read_sequence`);
- cold full mine (no cache), warm full mine (cache warm), incremental mine (+100 sessions),
  the automatic step after one clock-out (budget 1 s);
- peak memory (max RSS of the phase's process).

Setup writes the archives straight into `.hestai/sessions/archive/` (not through the Steward:
setup speed only). Run: python benchmarks/bench_learning_pipeline.py [--sessions N]
[--calls-per-session M] [--repeat R] [--keep DIR] [--no-parse] [--src DIR]

Each phase reports wall and CPU seconds (user+sys of its own process: the machine is shared,
CPU is what to compare) and max RSS; medians with the min-max spread over `--repeat` runs.
`--no-parse` skips the two parse-only baselines (minutes at 50,000 archives); `--src` runs
the phases against another source tree (an older checkout: before/after in one session).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from _util import machine

HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "src"
SRC_USED = SRC  # `--src` points the phase processes at another source tree


def calibrate() -> float:
    """Seconds for a fixed pure-Python loop: how busy the machine is (≈0.3 s when idle)."""
    start = time.perf_counter()
    total = 0
    for i in range(5_000_000):
        total += i
    return time.perf_counter() - start


def session_id(seed: int, index: int) -> str:
    return hashlib.sha1(f"{seed}-{index}".encode()).hexdigest()[:12]


def write_corpus(root: Path, seed: int, sessions: int, mean_calls: int, start: int = 0) -> int:
    """Generate sessions and write them as archive files; returns the number of calls."""
    from hestai_tmws.learning.core.generator import generate_corpus
    from hestai_tmws.sessions.archive import ArchiveData, ArchiveMeta, ToolCallEntry, render_archive

    corpus = generate_corpus(seed, sessions=sessions, mean_calls=mean_calls)
    folder = root / ".hestai" / "sessions" / "archive"
    folder.mkdir(parents=True, exist_ok=True)
    for index, seq in enumerate(corpus.sessions, start):
        started = datetime(seq.day.year, seq.day.month, seq.day.day, 9, tzinfo=UTC)
        calls = [
            ToolCallEntry(
                tool=step.tool,
                digest=step.action or "",
                ok=step.ok,
                duration_ms=None if step.duration_ms is None else int(step.duration_ms),
            )
            for step in seq.steps
        ]
        sid = session_id(seed, index)
        data = ArchiveData(
            meta=ArchiveMeta(
                session_id=sid,
                role="implementation-lead",
                focus="bench",
                started_at=started,
                ended_at=started + timedelta(minutes=30),
                namespace=seq.namespace,
                tool_call_count=len(calls),
            ),
            tool_calls=calls,
        )
        name = f"{seq.day.isoformat()}-bench-{sid[:8]}.oct.md"
        (folder / name).write_text(render_archive(data), encoding="utf-8")
    return corpus.calls


def age_files(root: Path) -> None:
    """Give every archive an mtime in the past (as files checked out a while ago have)."""
    old = time.time() - 3600
    for path in (root / ".hestai" / "sessions" / "archive").iterdir():
        os.utime(path, (old, old))


# -- phases (each runs in its own process) -----------------------------------------------------


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def phase(name: str, root: Path) -> dict[str, Any]:
    t0 = time.perf_counter()
    import hestai_tmws.learning.auto
    import hestai_tmws.learning.pipeline
    import hestai_tmws.sessions.archive  # noqa: F401  (imports are timed apart)
    from hestai_tmws.project import Project

    project = Project.discover(root)
    out: dict[str, Any] = {"import_s": time.perf_counter() - t0}
    start = time.perf_counter()
    cpu0 = _cpu()
    if name == "parse-strict":
        from hestai_tmws.sessions.archive import read_archive

        calls = 0
        for path in sorted((root / ".hestai/sessions/archive").iterdir()):
            calls += len(read_archive(path.read_text(encoding="utf-8")).tool_calls)
        out["calls"] = calls
    elif name == "parse-fast":
        from hestai_tmws.learning.sequences import read_sequence

        calls = 0
        for path in sorted((root / ".hestai/sessions/archive").iterdir()):
            calls += len(read_sequence(path.read_text(encoding="utf-8")).calls)
        out["calls"] = calls
    elif name in ("full", "incremental"):
        from hestai_tmws.learning.pipeline import run_mine

        report = run_mine(project, mode=name)  # type: ignore[arg-type]
        out.update(
            mode=report.mode,
            archives=report.archives,
            read=report.archives_read,
            hashed=report.archives_hashed,
            sessions=report.sessions,
            calls=report.calls,
            patterns=report.patterns,
            timings_ms=report.timings_ms,
        )
    elif name == "auto":
        from hestai_tmws.learning.auto import after_clock_out

        newest = max((root / ".hestai/sessions/archive").iterdir(), key=lambda p: p.stat().st_mtime)
        result = after_clock_out(project, f"sessions/archive/{newest.name}", budget_s=1.0)
        out.update(mode=result.mode, read=result.archives_read, note=result.note)
    else:
        raise SystemExit(f"unknown phase {name}")
    out["seconds"] = time.perf_counter() - start
    out["cpu"] = _cpu() - cpu0
    out["max_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def run_phase(name: str, root: Path) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": f"{SRC_USED}{os.pathsep}{HERE}"}
    proc = subprocess.run(
        [sys.executable, __file__, "--phase", name, "--root", str(root)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if proc.returncode != 0:
        raise SystemExit(f"phase {name} failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def drop_cache(root: Path) -> None:
    cache = root / ".git" / "hestai-tmws" / "cache" / "learning-sequences.marshal"
    cache.unlink(missing_ok=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, default=10_000)
    parser.add_argument("--calls-per-session", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, default=None, help="reuse/keep the corpus here")
    parser.add_argument("--phase", default=None)
    parser.add_argument("--root", type=Path, default=None)
    parser.add_argument("--no-parse", action="store_true", help="skip the parse-only phases")
    parser.add_argument("--src", type=Path, default=SRC, help="source tree the phases run")
    args = parser.parse_args()
    global SRC_USED
    SRC_USED = args.src.resolve()
    if args.phase:
        print(json.dumps(phase(args.phase, args.root)))
        return

    tmp = Path(tempfile.mkdtemp(prefix="tmws-bench-learn-"))
    base = args.keep or tmp / "base"
    root = tmp / "repo"
    try:
        if not (base / ".hestai" / "sessions" / "archive").is_dir():
            base.mkdir(parents=True, exist_ok=True)
            subprocess.run(["git", "init", "-q", str(base)], check=True)
            t0 = time.perf_counter()
            calls = write_corpus(base, 1, args.sessions, args.calls_per_session)
            spent = time.perf_counter() - t0
            print(f"setup: {args.sessions} archives, {calls} calls in {spent:.1f} s")
        shutil.copytree(base, root, symlinks=True)  # a fresh work copy: --keep keeps the base
        extra_seed = 1000
        shutil.rmtree(root / ".hestai" / "learning", ignore_errors=True)
        drop_cache(root)
        age_files(root)
        print(f"machine: {machine()}; calibration loop {calibrate():.2f} s (idle ≈ 0.3 s)")

        print(f"phases run against {SRC_USED}")
        parse_runs = 0 if args.no_parse else args.repeat
        strict = [run_phase("parse-strict", root) for _ in range(parse_runs)]
        fast = [run_phase("parse-fast", root) for _ in range(parse_runs)]
        cold: list[dict[str, Any]] = []
        for _ in range(args.repeat):
            drop_cache(root)
            cold.append(run_phase("full", root))
        warm = [run_phase("full", root) for _ in range(args.repeat)]
        incremental: list[dict[str, Any]] = []
        for r in range(args.repeat):
            write_corpus(root, extra_seed + r, 100, args.calls_per_session, start=0)
            incremental.append(run_phase("incremental", root))
        remine: list[dict[str, Any]] = []  # warm cache, one new archive: a real full mine
        for r in range(args.repeat):
            write_corpus(root, extra_seed + 50 + r, 1, args.calls_per_session, start=0)
            remine.append(run_phase("full", root))
        write_corpus(root, extra_seed + 99, 1, args.calls_per_session, start=0)
        auto = run_phase("auto", root)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    def med(rows: list[dict[str, Any]], key: str = "seconds") -> float:
        return statistics.median(float(r[key]) for r in rows)

    def line(label: str, rows: list[dict[str, Any]]) -> None:
        cpu = sorted(float(r["cpu"]) for r in rows)
        rss = max(r["max_rss_mb"] for r in rows)
        print(
            f"{label:34s} wall median {med(rows):6.2f} s   CPU median {med(rows, 'cpu'):6.2f} s "
            f"(min {cpu[0]:.2f}, max {cpu[-1]:.2f}, n={len(rows)})   peak RSS {rss:.0f} MB"
        )
        print(f"   phases (ms): {rows[0].get('timings_ms', {})}")

    if strict:
        calls = strict[0]["calls"]
        print(f"read + parse (read_archive):   median {med(strict):.2f} s ({calls} calls)")
        print(f"read + parse (read_sequence):  median {med(fast):.2f} s")
    line("full mine, cold cache", cold)
    line("full mine, warm, nothing new", warm)
    line("full mine, warm, 1 new archive", remine)
    line("incremental (+100 sessions)", incremental)
    print(f"   read {[r['read'] for r in incremental]}")
    print(
        f"after_clock_out (budget 1 s):  {auto['seconds']:.2f} s  mode {auto['mode']}  "
        f"read {auto['read']}  note: {auto['note']}"
    )
    w = warm[0]
    print(f"patterns: {w['patterns']}; sessions {w['sessions']}; calls {w['calls']}")
    imports = statistics.median(r["import_s"] for r in warm)
    print(f"imports per process: {imports:.2f} s (not counted above)")
    print(f"calibration loop at the end: {calibrate():.2f} s")


if __name__ == "__main__":
    main()
