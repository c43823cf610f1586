"""The mining pipeline over a generated corpus: 10,000 archived sessions, 500,000 tool calls.

Measures, each phase in a fresh process (as a `tmws learn mine` would run):
- baseline: only reading + parsing every archive (`read_archive`, the strict OCTAVE parse),
  and reading with the pipeline's own line-exact reader (`read_sequence`);
- cold full mine (no cache), warm full mine (cache warm), incremental mine (+100 sessions),
  the automatic step after one clock-out (budget 1 s);
- peak memory (max RSS of the phase's process).

Setup writes the archives straight into `.hestai/sessions/archive/` (not through the Steward:
setup speed only). Run: python benchmarks/bench_learning_pipeline.py [--sessions N]
[--calls-per-session M] [--repeat R] [--keep DIR]
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


def phase(name: str, root: Path) -> dict[str, Any]:
    t0 = time.perf_counter()
    import hestai_tmws.learning.auto
    import hestai_tmws.learning.pipeline
    import hestai_tmws.sessions.archive  # noqa: F401  (imports are timed apart)
    from hestai_tmws.project import Project

    project = Project.discover(root)
    out: dict[str, Any] = {"import_s": time.perf_counter() - t0}
    start = time.perf_counter()
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
    out["max_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def run_phase(name: str, root: Path) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
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
    args = parser.parse_args()
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

        strict = [run_phase("parse-strict", root) for _ in range(args.repeat)]
        fast = [run_phase("parse-fast", root) for _ in range(args.repeat)]
        cold: list[dict[str, Any]] = []
        for _ in range(args.repeat):
            drop_cache(root)
            cold.append(run_phase("full", root))
        warm = [run_phase("full", root) for _ in range(args.repeat)]
        incremental: list[dict[str, Any]] = []
        for r in range(args.repeat):
            write_corpus(root, extra_seed + r, 100, args.calls_per_session, start=0)
            incremental.append(run_phase("incremental", root))
        write_corpus(root, extra_seed + 99, 1, args.calls_per_session, start=0)
        auto = run_phase("auto", root)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    def med(rows: list[dict[str, Any]], key: str = "seconds") -> float:
        return statistics.median(float(r[key]) for r in rows)

    base = med(strict)
    print(f"read + parse (read_archive):   median {base:.2f} s  ({strict[0]['calls']} calls)")
    print(f"read + parse (read_sequence):  median {med(fast):.2f} s")
    print(
        f"full mine, cold cache:         median {med(cold):.2f} s  "
        f"(ratio to read+parse {med(cold) / base:.2f}x; to fast read {med(cold) / med(fast):.2f}x)"
        f"  peak RSS {max(r['max_rss_mb'] for r in cold):.0f} MB"
    )
    print(f"   phases (ms): {cold[0]['timings_ms']}")
    print(
        f"full mine, warm cache:         median {med(warm):.2f} s  "
        f"peak RSS {max(r['max_rss_mb'] for r in warm):.0f} MB"
    )
    print(f"   phases (ms): {warm[0]['timings_ms']}")
    print(
        f"incremental (+100 sessions):   median {med(incremental):.2f} s  "
        f"read {[r['read'] for r in incremental]}  peak RSS "
        f"{max(r['max_rss_mb'] for r in incremental):.0f} MB"
    )
    print(f"   phases (ms): {incremental[0]['timings_ms']}")
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
