"""`tmws verify` at 271 / 2,000 / 10,000 session archives: cold (no cache) and warm (nothing
changed since the last run), CPU of the child process, against `python -c pass` in the same run.

Setup: `tmws init`, then archives composed as clock-out composes them (bench_search's
generator) and written straight into `.hestai/sessions/archive/`, with their learnings-index
lines and one provenance record per file (what the Steward would have appended), committed.
That is the state CI sees: every check of verify has real work to do. `--keep DIR` builds each
size once under DIR and reuses it on later runs (10,000 archives take a while to build).

Run: python benchmarks/bench_verify.py [--sizes 271,2000,10000] [--runs 7] [--keep DIR]

`--baseline-src OLD/src` (a `git archive` of the commit before a change) measures cold runs
only, alternating the old code and this tree's in one run, and prints their ratio.
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
from pathlib import Path

from _util import machine, percentile
from bench_search import write_archives

from hestai_tmws.layout import LEARNINGS_INDEX, SESSIONS_ARCHIVE
from hestai_tmws.project import Project
from hestai_tmws.sessions.archive import index_record, read_archive
from hestai_tmws.steward.provenance import ProvenanceRecord, is_provenance, utc_stamp
from hestai_tmws.workflows.init import init_project

# BENCH_SRC: measure another tree's code (a `git archive` of the commit before a change)
SRC = Path(os.environ.get("BENCH_SRC") or Path(__file__).resolve().parent.parent / "src")
ENV = {
    **os.environ,
    "PYTHONPATH": str(SRC),
    "GIT_AUTHOR_NAME": "bench",
    "GIT_AUTHOR_EMAIL": "bench@example.invalid",
    "GIT_COMMITTER_NAME": "bench",
    "GIT_COMMITTER_EMAIL": "bench@example.invalid",
    "GIT_CONFIG_NOSYSTEM": "1",
    "NO_COLOR": "1",
}
VERIFY = [sys.executable, "-c", "from hestai_tmws.cli.app import main; main(['verify'])"]
BASELINE = [sys.executable, "-c", "pass"]


def git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=root, env=ENV, check=True, capture_output=True, text=True
    ).stdout


def blob_id(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def build(root: Path, archives: int) -> None:
    """A committed repository whose `.hestai/` verifies clean, with `archives` archives."""
    root.mkdir(parents=True)
    git(root, "init", "-q")
    project = Project.discover(root)
    init_project(project)
    write_archives(project, archives)
    records = []
    for path in sorted(project.memory_path(SESSIONS_ARCHIVE).glob("*.oct.md")):
        rel = f"{SESSIONS_ARCHIVE}/{path.name}"
        records.append(index_record(read_archive(path.read_text(encoding="utf-8")), rel))
    records.sort(key=lambda r: (str(r.get("ended", "")), r["archive"]))
    index = project.memory_path(LEARNINGS_INDEX)
    index.write_text(
        "".join(json.dumps(r, sort_keys=True, ensure_ascii=False) + "\n" for r in records),
        encoding="utf-8",
    )
    lines = []
    for path in sorted(project.hestai.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if path.is_file() and not is_provenance(rel) and "/sessions/active/" not in rel:
            blob = blob_id(path.read_bytes())
            lines.append(ProvenanceRecord(rel, blob, "write", utc_stamp()).to_line())
    prov = project.hestai / "provenance" / "2025-01-01.jsonl"
    prov.write_text("".join(lines), encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-q", "--no-verify", "-m", "bench")


def cache_files(root: Path) -> list[Path]:
    state = root / ".git" / "hestai-tmws" / "cache"
    return sorted(state.glob("verify-*")) if state.is_dir() else []


def drop_cache(root: Path, only: str = "verify-") -> None:
    for path in cache_files(root):
        if path.name.startswith(only):
            path.unlink()


def cpu_of(
    argv: list[str], cwd: Path, env: dict[str, str] | None = None
) -> tuple[float, float, int]:
    """(CPU seconds of the child and its children, wall seconds, exit code)."""
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(argv, cwd=cwd, env=env or ENV, stdout=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - start
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
    return cpu, wall, proc.returncode


def spread(values: list[float]) -> str:
    return (
        f"median {statistics.median(values) * 1000:.0f} ms "
        f"(p5 {percentile(values, 5) * 1000:.0f}, p95 {percentile(values, 95) * 1000:.0f})"
    )


def measure(root: Path, runs: int, cold_runs: int) -> dict[str, list[float]]:
    """Interleaved rounds: baseline, warm verify, and a run whose report is gone but whose
    per-file memo is kept (what a run after one change costs, less that file); cold runs
    (every cache dropped) separately."""
    names = ("pass", "warm", "warm_wall", "memo", "memo_wall", "cold", "cold_wall")
    out: dict[str, list[float]] = {name: [] for name in names}
    for _ in range(cold_runs):
        drop_cache(root)
        cpu, wall, code = cpu_of(VERIFY, root)
        assert code == 0, f"verify failed in {root}"
        out["cold"].append(cpu)
        out["cold_wall"].append(wall)
    cpu_of(VERIFY, root)  # the cache is written by a run that found everything clean
    for _ in range(runs):
        out["pass"].append(cpu_of(BASELINE, root)[0])
        cpu, wall, code = cpu_of(VERIFY, root)
        assert code == 0
        out["warm"].append(cpu)
        out["warm_wall"].append(wall)
        drop_cache(root, only="verify-report")
        cpu, wall, code = cpu_of(VERIFY, root)
        assert code == 0
        out["memo"].append(cpu)
        out["memo_wall"].append(wall)
    return out


def compare(root: Path, old_src: Path, rounds: int) -> dict[str, list[float]]:
    """Cold runs, old code and new alternating (old first, then new first, ...)."""
    envs = {"old": {**ENV, "PYTHONPATH": str(old_src)}, "new": ENV}
    out: dict[str, list[float]] = {f"{n}_{m}": [] for n in envs for m in ("cpu", "wall")}
    for i in range(rounds):
        for name in ("old", "new") if i % 2 == 0 else ("new", "old"):
            drop_cache(root)
            cpu, wall, code = cpu_of(VERIFY, root, envs[name])
            assert code == 0, f"{name} verify failed in {root}"
            out[f"{name}_cpu"].append(cpu)
            out[f"{name}_wall"].append(wall)
    return out


def print_compare(size: int, res: dict[str, list[float]]) -> None:
    print(f"{size} archives, cold, {len(res['new_cpu'])} runs each, alternating:")
    for measure in ("cpu", "wall"):
        old, new = res[f"old_{measure}"], res[f"new_{measure}"]
        ratio = statistics.median(new) / statistics.median(old)
        print(f"  old {measure:4} {spread(old)}")
        print(f"  new {measure:4} {spread(new)}  = {ratio:.2f}x old")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="271,2000,10000")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--cold-runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, default=None, help="build once here, reuse later")
    parser.add_argument("--baseline-src", type=Path, default=None, help="cold: old vs new")
    args = parser.parse_args()
    base = args.keep or Path(tempfile.mkdtemp(prefix="bench-verify-"))
    print(f"machine: {machine()}")
    try:
        for size in (int(s) for s in args.sizes.split(",")):
            root = base / f"repo-{size}"
            if not (root / ".git").is_dir():
                t0 = time.perf_counter()
                build(root, size)
                print(f"built {size} archives in {time.perf_counter() - t0:.1f} s")
            if args.baseline_src is not None:
                print_compare(size, compare(root, args.baseline_src, args.cold_runs))
                continue
            res = measure(root, args.runs, args.cold_runs)
            p = statistics.median(res["pass"])
            warm, cold = statistics.median(res["warm"]), statistics.median(res["cold"])
            print(f"{size} archives, {args.runs} warm / {args.cold_runs} cold runs:")
            print(f"  python -c pass CPU  {spread(res['pass'])}")
            print(f"  warm verify CPU     {spread(res['warm'])}  = {warm / p:.1f}x pass")
            print(f"  warm verify wall    {spread(res['warm_wall'])}")
            if res["memo"]:
                print(f"  memo verify CPU     {spread(res['memo'])}")
                print(f"  memo verify wall    {spread(res['memo_wall'])}")
            print(f"  cold verify CPU     {spread(res['cold'])}  = {cold / p:.1f}x pass")
            print(f"  cold verify wall    {spread(res['cold_wall'])}")
    finally:
        if args.keep is None:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
