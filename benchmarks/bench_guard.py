"""Benchmark: the pre-commit hook on a commit that stages 500 `.hestai/` files.

The goal is a hook that costs at most twice what git and Python cost anyway: the baseline is
`git diff --cached --raw` plus a bare Python start-up (`python -c pass`). Prints medians, p95
and the ratio; `--markdown` prints a section for docs/benchmarks.md.

    .venv/bin/python benchmarks/bench_guard.py [--files 500] [--runs 21] [--markdown]
    .venv/bin/python benchmarks/bench_guard.py --ages 0,10000,100000 [--files 500]

`--ages` commits that many provenance records of earlier days first, and appends as many
Steward ledger entries of those days: the hook's cost must not grow with the age of the
provenance or of the ledger (it reads only the index and the ledger, never history; the
ledger drops what is old when it compacts, and the fast path verifies only new lines).
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "bench",
    "GIT_AUTHOR_EMAIL": "bench@example.invalid",
    "GIT_COMMITTER_NAME": "bench",
    "GIT_COMMITTER_EMAIL": "bench@example.invalid",
    "GIT_CONFIG_NOSYSTEM": "1",
}


def sh(cwd: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(list(args), cwd=cwd, env=ENV, capture_output=True, check=False)


def timed(
    commands: dict[str, Callable[[], object]], runs: int
) -> dict[str, tuple[list[float], list[float]]]:
    """Wall-clock and CPU (user+sys of child processes) seconds per run of each command.

    The commands run interleaved (one of each per round) so that a shared machine's changing
    load hits all of them alike; CPU time is reported too because load inflates wall time.
    """
    for fn in commands.values():
        fn()  # warm the page cache and the bytecode cache
    out: dict[str, tuple[list[float], list[float]]] = {k: ([], []) for k in commands}
    for _ in range(runs):
        for name, fn in commands.items():
            r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            fn()
            wall = time.perf_counter() - start
            r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
            out[name][0].append(wall)
            out[name][1].append(r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime)
    return out


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def setup(root: Path, files: int) -> Path:
    """A repository with the hook installed and `files` Steward-written files staged."""
    from hestai_tmws.guard.hooks_install import install_hook
    from hestai_tmws.octave import Document, Section, emit
    from hestai_tmws.project import Project
    from hestai_tmws.steward import Steward

    sh(root, "git", "init", "-q", "-b", "main")
    (root / "README.md").write_text("bench\n")
    sh(root, "git", "add", "README.md")
    sh(root, "git", "commit", "-q", "-m", "init")
    project = Project.discover(root)
    install_hook(project)
    steward = Steward(project, validate_secrets=False)
    with steward.transaction("bench", stage=True):
        for i in range(files):
            doc = Document(
                name="PATTERN",
                meta={"TYPE": "PATTERN", "VERSION": "1.0"},
                sections=[Section(1, "PATTERN", {"ID": f"p-{i:04d}", "SUPPORT": i % 7})],
            )
            steward.write_text(f"learning/patterns/p-{i:04d}.oct.md", emit(doc))
    staged = sh(root, "git", "diff", "--cached", "--name-only").stdout.decode().split()
    memory = [p for p in staged if not p.startswith(".hestai/provenance/")]
    assert len(memory) == files, f"expected {files} staged files, got {len(memory)}"
    return project.git.git_path("hooks") / "pre-commit"


def age_history(root: Path, records: int, per_file: int = 50) -> None:
    """Commit `records` provenance lines in day files before today: an old project's history."""
    folder = root / ".hestai" / "provenance"
    folder.mkdir(parents=True, exist_ok=True)
    day0 = time.mktime((2000, 1, 1, 12, 0, 0, 0, 0, 0))
    for f in range(0, records, per_file):
        day = time.strftime("%Y-%m-%d", time.gmtime(day0 + 86400 * (f // per_file)))
        lines = "".join(
            f'{{"actor":"steward","blob":"{i:040x}","kind":"write","path":'
            f'".hestai/reports/r{i}.json","session":"","tool":"0.1.0","ts":"{day}T00:00:00Z"}}\n'
            for i in range(f, min(records, f + per_file))
        )
        (folder / f"{day}.jsonl").write_text(lines)
    sh(root, "git", "add", ".hestai/provenance")
    sh(root, "git", "commit", "-q", "--no-verify", "-m", f"{records} provenance records")
    from hestai_tmws.project import Project
    from hestai_tmws.steward.ledger import Ledger, LedgerEntry

    project = Project.discover(root)
    Ledger(project.ledger_path, project.ledger_key_path).append(
        LedgerEntry(
            f".hestai/reports/r{i}.json", f"{i:040x}", "write", day0 + 86400 * (i // per_file)
        )
        for i in range(records)
    )


def _runner(root: Path, hook: Path) -> Callable[[], object]:
    def run() -> None:
        if sh(root, str(hook)).returncode != 0:
            raise SystemExit(f"the hook refused a clean commit in {root}")

    return run


def age_main(ages: list[int], files: int, runs: int) -> None:
    """The hook's cost on the same commit, in projects whose provenance has different ages."""
    with tempfile.TemporaryDirectory(prefix="tmws-bench-age-") as tmp:
        hooks: dict[str, Callable[[], object]] = {}
        for age in ages:
            root = Path(tmp) / f"age-{age}"
            root.mkdir()
            sh(root, "git", "init", "-q", "-b", "main")
            if age:
                age_history(root, age)
            hooks[f"hook, provenance of {age} records"] = _runner(root, setup(root, files))
        results = timed(hooks, runs)
    base = statistics.median(results[f"hook, provenance of {ages[0]} records"][1])
    print("| provenance age | wall median ms | wall p95 ms | CPU median ms | CPU / age 0 |")
    print("|---:|---:|---:|---:|---:|")
    for age in ages:
        wall, cpu = results[f"hook, provenance of {age} records"]
        c = statistics.median(cpu)
        print(
            f"| {age} records | {statistics.median(wall) * 1000:.1f} | {p95(wall) * 1000:.1f} "
            f"| {c * 1000:.1f} | {c / base:.2f}x |"
        )
    print(f"\n{files} staged files, {runs} interleaved runs, load {os.getloadavg()[0]:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=500)
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--markdown", action="store_true")
    parser.add_argument(
        "--ages", help="comma-separated provenance ages (records): cost against age instead"
    )
    args = parser.parse_args()
    if args.ages:
        age_main([int(a) for a in args.ages.split(",")], args.files, args.runs)
        return
    py = sys.executable
    with tempfile.TemporaryDirectory(prefix="tmws-bench-guard-") as tmp:
        root = Path(tmp)
        t0 = time.perf_counter()
        hook = setup(root, args.files)
        setup_s = time.perf_counter() - t0

        def check(proc: subprocess.CompletedProcess[bytes]) -> None:
            if proc.returncode != 0:
                raise SystemExit(f"unexpected failure: {proc.stderr.decode()}")

        results = timed(
            {
                "git diff --cached --raw": lambda: check(
                    sh(root, "git", "diff", "--cached", "--raw")
                ),
                "python -c pass": lambda: check(sh(root, py, "-c", "pass")),
                "hook (.git/hooks/pre-commit)": lambda: check(sh(root, str(hook))),
                "python -I -m hestai_tmws.guard pre-commit": lambda: check(
                    sh(root, py, "-I", "-m", "hestai_tmws.guard", "pre-commit")
                ),
            },
            args.runs,
        )
        results |= timed(
            {
                "tmws guard pre-commit (typer CLI)": lambda: check(
                    sh(root, py, "-m", "hestai_tmws.cli.app", "guard", "pre-commit")
                )
            },
            max(5, args.runs // 4),
        )
        # one hand edit among the staged files: the fast path says "look closer", the full
        # check runs and explains the refusal
        edited = root / ".hestai/learning/patterns/p-0000.oct.md"
        edited.write_text(edited.read_text().replace("SUPPORT::0", "SUPPORT::9"))
        sh(root, "git", "add", str(edited))

        def blocked() -> None:
            if sh(root, str(hook)).returncode == 0:
                raise SystemExit("the hand edit was not refused")

        results |= timed({"hook, 1 hand edit among them (refused)": blocked}, args.runs)
    med = {k: statistics.median(v[0]) for k, v in results.items()}
    cpu = {k: statistics.median(v[1]) for k, v in results.items()}
    hook_key, diff_key, py_key = (
        "hook (.git/hooks/pre-commit)",
        "git diff --cached --raw",
        "python -c pass",
    )
    baseline = med[diff_key] + med[py_key]
    ratio = med[hook_key] / baseline
    cpu_baseline = cpu[diff_key] + cpu[py_key]
    cpu_ratio = cpu[hook_key] / cpu_baseline
    rows = [(k, med[k] * 1000, p95(v[0]) * 1000, cpu[k] * 1000) for k, v in results.items()]
    load = os.getloadavg()[0]
    if args.markdown:
        print("## Guard: pre-commit hook (bench_guard.py)\n")
        print(
            f"{args.files} staged Steward-written `.hestai/` files, {args.runs} runs, "
            f"{platform.python_implementation()} {platform.python_version()}, "
            f"{os.cpu_count()} CPUs, load average {load:.1f} while measuring. "
            "Command: `.venv/bin/python benchmarks/bench_guard.py --markdown`.\n"
        )
        print("| command | wall median ms | wall p95 ms | CPU median ms |\n|---|---:|---:|---:|")
        for name, m, p, c in rows:
            print(f"| {name} | {m:.1f} | {p:.1f} | {c:.1f} |")
        print(
            f"\nBaseline = `git diff --cached --raw` + bare Python start-up: "
            f"{baseline * 1000:.1f} ms wall, {cpu_baseline * 1000:.1f} ms CPU. "
            f"Hook / baseline: **{ratio:.2f}x wall, {cpu_ratio:.2f}x CPU** (goal <= 2x). "
            f"Setup ({args.files} Steward writes, each fsynced): {setup_s:.1f} s.\n"
        )
    else:
        for name, m, p, c in rows:
            print(f"{name:45s} wall median {m:7.1f} ms  p95 {p:7.1f} ms   cpu {c:7.1f} ms")
        print(
            f"baseline {baseline * 1000:.1f} ms wall / {cpu_baseline * 1000:.1f} ms cpu   "
            f"hook/baseline {ratio:.2f}x wall, {cpu_ratio:.2f}x cpu (goal <= 2)   load {load:.1f}"
        )
        print(f"setup {setup_s:.1f} s")


if __name__ == "__main__":
    main()
