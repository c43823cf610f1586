"""Whole `clock_out` CPU against the json-parse floor, this tree and a baseline alternately.

`bench_archive.py` times one revision per run; on a loaded machine two such runs differ by
more than a 10% change. Here each round starts one child process per side (baseline `src`,
then this tree's, then the other order next round), and each child clocks out every large
Claude Code corpus session --per times into a fresh repository, taking the process CPU of
each clock-out (git's own children are not counted) and of `json.loads` over the session's
files (main + subagents). Reported: per side, the median over all rounds of clock-out CPU
and of its ratio to the floor, with p5–p95, and new ÷ base.

Run: python benchmarks/bench_clockout_cpu.py --baseline-src /tmp/base/src [--rounds 6]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = Path("/work/shared/corpus/claude-code")


def _fresh(base: Path) -> object:
    """A fresh git repository with tmws initialised (as bench_archive's, without importing
    it: that module puts this tree's `src` first on sys.path)."""
    from hestai_tmws.project import Project  # lazy: from the side's own src, in the child
    from hestai_tmws.workflows.init import init_project  # lazy: likewise

    repo = base / "repo"
    repo.mkdir(parents=True)
    ident = {"GIT_AUTHOR_NAME": "b", "GIT_AUTHOR_EMAIL": "b@example.invalid"}
    env = {**os.environ, **ident, "GIT_COMMITTER_NAME": "b", "GIT_COMMITTER_EMAIL": "b@x.invalid"}
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=repo, check=True)
    subprocess.run(
        ["git", "commit", "-q", "--allow-empty", "-m", "i"], cwd=repo, check=True, env=env
    )
    project = Project.discover(repo)
    init_project(project)
    return project


def _floor(files: list[Path]) -> None:
    for f in files:
        with f.open("rb") as fh:
            for raw in fh:
                try:
                    json.loads(raw)
                except ValueError:
                    continue


def _child(per: int) -> None:
    from hestai_tmws.workflows.clock_in import clock_in  # lazy: the side's own src
    from hestai_tmws.workflows.clock_out import clock_out  # lazy: likewise

    os.environ.setdefault("CLAUDE_CONFIG_DIR", tempfile.mkdtemp(prefix="bench-claude-"))
    sessions = sorted(CORPUS.glob("*-*-*-*-*.jsonl"))
    out: list[tuple[float, float]] = []
    with tempfile.TemporaryDirectory(prefix="bench-co-") as tmp:
        project = _fresh(Path(tmp))
        warm = clock_in(project, focus="warm").session_id  # type: ignore[arg-type]
        clock_out(project, session_id=warm, transcript=sessions[0], learn=False)  # type: ignore[arg-type]
        for path in sessions:
            files = [path, *sorted((path.parent / path.stem).rglob("*.jsonl"))]
            for run in range(per):
                start = time.process_time()
                _floor(files)
                floor = time.process_time() - start
                sid = clock_in(project, focus=f"b {path.stem[:8]} {run}").session_id  # type: ignore[arg-type]
                start = time.process_time()
                clock_out(project, session_id=sid, transcript=path, learn=False)  # type: ignore[arg-type]
                out.append((time.process_time() - start, floor))
    print(json.dumps(out))


def _run(src: Path, per: int) -> list[tuple[float, float]]:
    env = {**os.environ, "PYTHONPATH": str(src)}
    code = (
        f"import sys; sys.path.insert(0, {str(src)!r}); "
        f"sys.path.insert(1, {str(REPO / 'benchmarks')!r}); "
        f"import bench_clockout_cpu as b; b._child({per})"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, check=True, capture_output=True, text=True
    )
    return [tuple(x) for x in json.loads(done.stdout.strip().splitlines()[-1])]  # type: ignore[misc]


def _spread(xs: list[float]) -> str:
    qs = statistics.quantiles(xs, n=20)
    return f"{statistics.median(xs):.3f} (p5–p95 {qs[0]:.3f}–{qs[-1]:.3f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline-src", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--per", type=int, default=3)
    args = parser.parse_args()
    sides = {"base": args.baseline_src.resolve(), "new": REPO / "src"}
    got: dict[str, list[tuple[float, float]]] = {"base": [], "new": []}
    for n in range(args.rounds):
        order = ["base", "new"] if n % 2 == 0 else ["new", "base"]
        for side in order:
            got[side].extend(_run(sides[side], args.per))
    print(f"load average {os.getloadavg()[0]:.1f}; n = {len(got['new'])} clock-outs per side")
    for side in ("base", "new"):
        cpu = [c * 1000 for c, _f in got[side]]
        ratio = [c / f for c, f in got[side]]
        print(f"{side}: clock-out CPU ms {_spread(cpu)}; ratio to floor {_spread(ratio)}")
    med = {s: statistics.median(c for c, _f in got[s]) for s in got}
    print(f"new ÷ base clock-out CPU: {med['new'] / med['base']:.3f}")


if __name__ == "__main__":
    main()
