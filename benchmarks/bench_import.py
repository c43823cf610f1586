"""Benchmark `tmws import` on real history against json-parsing every line of it.

    .venv/bin/python benchmarks/bench_import.py                       # ../shared/corpus/history
    .venv/bin/python benchmarks/bench_import.py PATH... --repeat 3
    .venv/bin/python benchmarks/bench_import.py --baseline-src /tmp/base/src --repeat 5

The baseline is measured in the same run: `json.loads` of every line of every transcript
(what any reader must at least do). The import is timed into a fresh scratch repository
each run, without and with the final mine. Reports CPU-time medians, spread and the ratio
to the baseline (the goal: import ≤ 4× the baseline), then the suggestion replay of each
history. Prints one JSON object.

With `--baseline-src` (the `src` folder of another revision, e.g. from `git archive`), each
repetition runs two child processes, the other revision's then this one's, alternately;
each child measures its own json-parse baseline and import (no mine), and the report gives
both sides' medians, ratios and the ratio of their import CPU (new ÷ base).
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
from pathlib import Path


def _src_argument() -> Path:
    """`--src` (the code a child process runs), read before hestai_tmws is imported."""
    argv = sys.argv[1:]
    if "--src" in argv:
        return Path(argv[argv.index("--src") + 1]).resolve()
    return Path(__file__).resolve().parents[1] / "src"


sys.path.insert(0, str(_src_argument()))

from hestai_tmws.learning.replay import replay  # noqa: E402
from hestai_tmws.project import Project  # noqa: E402
from hestai_tmws.workflows.import_history import import_history  # noqa: E402
from hestai_tmws.workflows.init import init_project  # noqa: E402

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "history"


def files_of(paths: list[Path]) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        out.extend(sorted(p.rglob("*.jsonl")) if p.is_dir() else [p])
    return out


def parse_all(files: list[Path]) -> int:
    lines = 0
    for f in files:
        with f.open("rb") as fh:
            for raw in fh:
                with contextlib.suppress(ValueError):
                    json.loads(raw)
                lines += 1
    return lines


def scratch(root: Path) -> Project:
    root.mkdir(parents=True)
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True)
    subprocess.run(
        ["git", "-C", str(root), "commit", "-q", "--allow-empty", "-m", "init"], check=True
    )
    project = Project.discover(root)
    init_project(project)
    return Project.discover(root)


def cpu_import(project: Project, folder: Path, *, learn: bool, wall: list[float]) -> float:
    """CPU seconds of one import (wall seconds appended to `wall`: fsyncs show only there)."""
    start, clock = time.process_time(), time.perf_counter()
    import_history(project, [folder], learn=learn)
    wall.append(time.perf_counter() - clock)
    return time.process_time() - start


def stats(xs: list[float]) -> dict[str, float]:
    return {
        "median": round(statistics.median(xs), 3),
        "min": round(min(xs), 3),
        "max": round(max(xs), 3),
    }


def child(folders: list[Path], files: list[Path]) -> None:
    """One repetition (baseline, then import without mine) for `--baseline-src`'s parent."""
    start = time.process_time()
    parse_all(files)
    base = time.process_time() - start
    with tempfile.TemporaryDirectory() as tmp:
        plain = 0.0
        for n, folder in enumerate(folders):
            plain += cpu_import(scratch(Path(tmp) / f"a{n}"), folder, learn=False, wall=[])
    print(json.dumps({"base": base, "import": plain}))


def compare(args: argparse.Namespace) -> None:
    """Alternate child runs of the baseline revision and this one; report both."""
    sides = {
        "base": args.baseline_src.resolve(),
        "new": Path(__file__).resolve().parents[1] / "src",
    }
    runs: dict[str, list[dict[str, float]]] = {"base": [], "new": []}
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    for _ in range(args.repeat):
        for side, src in sides.items():
            argv = [sys.executable, __file__, *map(str, args.paths), "--child", "--src", str(src)]
            out = subprocess.run(argv, check=True, capture_output=True, text=True, env=env)
            runs[side].append(json.loads(out.stdout))
    report: dict[str, object] = {"repeat": args.repeat, "load_average": os.getloadavg()[0]}
    for side, rows in runs.items():
        ratios = [r["import"] / r["base"] for r in rows]
        report[side] = {
            "src": str(sides[side]),
            "json_parse_baseline_cpu_s": stats([r["base"] for r in rows]),
            "import_cpu_s": stats([r["import"] for r in rows]),
            "ratio_to_baseline": stats(ratios),
        }
    new_import = statistics.median(r["import"] for r in runs["new"])
    report["import_cpu_new_over_base"] = round(
        new_import / statistics.median(r["import"] for r in runs["base"]), 3
    )
    print(json.dumps(report, indent=1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, default=[DEFAULT])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--baseline-src", type=Path, help="another revision's src, to compare")
    parser.add_argument("--src", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    folders = [q for p in args.paths for q in (sorted(x for x in p.iterdir() if x.is_dir()) or [p])]
    files = files_of(folders)
    if args.child:
        child(folders, files)
        return
    if args.baseline_src is not None:
        compare(args)
        return
    size = sum(f.stat().st_size for f in files)
    base: list[float] = []
    plain: list[float] = []
    learned: list[float] = []
    walls: list[float] = []
    replays: dict[str, object] = {}
    lines = 0
    for run in range(args.repeat):
        start = time.process_time()
        lines = parse_all(files)
        base.append(time.process_time() - start)
        with tempfile.TemporaryDirectory() as tmp:
            total_plain = total_learn = 0.0
            wall: list[float] = []
            for n, folder in enumerate(folders):
                p1 = scratch(Path(tmp) / f"a{n}")
                total_plain += cpu_import(p1, folder, learn=False, wall=wall)
                p2 = scratch(Path(tmp) / f"b{n}")
                total_learn += cpu_import(p2, folder, learn=True, wall=[])
                if run == 0:
                    r = replay(p2)
                    replays[folder.name] = r.model_dump(exclude={"details"})
            plain.append(total_plain)
            walls.append(sum(wall))
            learned.append(total_learn)
    print(
        json.dumps(
            {
                "files": len(files),
                "mb": round(size / 1e6, 1),
                "lines": lines,
                "cpu_s": {
                    "json_parse_baseline": stats(base),
                    "import": stats(plain),
                    "import_and_mine": stats(learned),
                },
                "wall_s": {"import": stats(walls)},
                "ratio_to_baseline": {
                    "import": round(statistics.median(plain) / statistics.median(base), 2),
                    "import_and_mine": round(
                        statistics.median(learned) / statistics.median(base), 2
                    ),
                },
                "replay": replays,
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
