"""Start-up CPU of the most frequent `tmws` calls, as ratios to `python -c pass`.

Goals: `tmws --version` ≤ 3×, `tmws --help`, `tmws status` and `tmws status --json` ≤ 5×
the CPU time (user + sys of the child) of `python -c pass`, measured in the same run.

Every command runs through the `tmws` console script beside this Python, in a project that
`tmws init` prepared (or `--project DIR`), stdout to a pipe, rounds alternating between the
commands so that machine noise hits them alike. Python's bytecode cache is warm: a private
PYTHONPYCACHEPREFIX is filled by one run of each command first, so the figures are the steady
state, not the first call after an install. `--baseline-src DIR` runs the same commands a
second time with PYTHONPATH=DIR (another checkout's `src`, e.g. /work/main/src), interleaved,
to give before/after ratios in one run.

The "on a terminal" rows run `tmws --help` and `tmws status` with the child's stdout a
pseudo-terminal 100 columns wide, TERM=xterm-256color and COLORTERM=truecolor: what a person
at a colour terminal gets (rich's escape sequences), read and discarded by this process.

Run: python benchmarks/bench_startup.py [--repeat N] [--project DIR] [--baseline-src DIR]
"""

from __future__ import annotations

import argparse
import fcntl
import os
import resource
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
from collections.abc import Sequence
from pathlib import Path

from _util import machine, percentile

COMMANDS: dict[str, list[str]] = {
    "tmws --version": ["--version"],
    "tmws --help": ["--help"],
    "tmws status": ["status"],
    "tmws status --json": ["status", "--json"],
}
TERMINAL_COMMANDS: dict[str, list[str]] = {
    "tmws --help on a terminal": ["--help"],
    "tmws status on a terminal": ["status"],
}
GOALS = {"tmws --version": 3.0, "tmws --help": 5.0, "tmws status": 5.0, "tmws status --json": 5.0}
GOALS |= dict.fromkeys(TERMINAL_COMMANDS, 5.0)
TERMINAL_ENV = {"TERM": "xterm-256color", "COLORTERM": "truecolor", "PTY": "1"}


def on_a_terminal(argv: Sequence[str], env: dict[str, str], cwd: Path) -> None:
    """Run `argv` with stdout a pty 100 columns wide, reading (and dropping) what it writes."""
    leader, follower = os.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 100, 0, 0))
    child = subprocess.Popen(argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=follower)
    os.close(follower)
    try:
        while os.read(leader, 65536):
            pass
    except OSError:  # EIO: the child closed its end
        pass
    finally:
        os.close(leader)
    if child.wait() != 0:
        raise subprocess.CalledProcessError(child.returncode, argv)


def cpu_of(argv: Sequence[str], env: dict[str, str], cwd: Path) -> float:
    """User + system CPU seconds of one run of `argv` (the child alone, via RUSAGE_CHILDREN)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    if env.get("PTY"):
        on_a_terminal(argv, {k: v for k, v in env.items() if k != "PTY"}, cwd)
    else:
        subprocess.run(
            argv, check=True, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL
        )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def summary(values: Sequence[float]) -> str:
    ms = [v * 1000 for v in values]
    return (
        f"median {statistics.median(ms):6.1f} ms  IQR {percentile(ms, 25):6.1f}–"
        f"{percentile(ms, 75):6.1f}  p5–p95 {percentile(ms, 5):6.1f}–{percentile(ms, 95):6.1f}"
    )


def prepared_project(tmws: str, env: dict[str, str], folder: Path) -> Path:
    root = folder / "repo"
    root.mkdir()
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run([tmws, "-C", str(root), "init"], check=True, env=env, stdout=subprocess.DEVNULL)
    return root


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--project", type=Path, help="project to run in (default: a fresh one)")
    parser.add_argument("--baseline-src", type=Path, help="also run with PYTHONPATH=DIR")
    args = parser.parse_args()
    tmws = shutil.which("tmws", path=str(Path(sys.executable).parent)) or "tmws"
    with tempfile.TemporaryDirectory() as tmp:
        # PYTHONDONTWRITEBYTECODE would leave the cache cold: every run compiling every module
        dropped = ("PYTHONPATH", "NO_COLOR", "PYTHONDONTWRITEBYTECODE", "COLUMNS", "LINES")
        dropped += ("FORCE_COLOR", "TTY_COMPATIBLE")
        env = {k: v for k, v in os.environ.items() if k not in dropped}
        env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")  # warm after the first run
        variants: dict[str, dict[str, str]] = {"": env}
        if args.baseline_src:
            variants["baseline "] = {**env, "PYTHONPATH": str(args.baseline_src.resolve())}
        root = args.project.resolve() if args.project else prepared_project(tmws, env, Path(tmp))
        runs: list[tuple[str, list[str], dict[str, str]]] = [
            ("python -c pass", [sys.executable, "-c", "pass"], env)
        ]
        for prefix, variant_env in variants.items():
            runs += [(prefix + name, [tmws, *argv], variant_env) for name, argv in COMMANDS.items()]
            on_tty = {**variant_env, **TERMINAL_ENV}
            runs += [
                (prefix + name, [tmws, *argv], on_tty) for name, argv in TERMINAL_COMMANDS.items()
            ]
        for _, argv, run_env in runs:  # fill the bytecode cache
            cpu_of(argv, run_env, root)
        samples: dict[str, list[float]] = {name: [] for name, _, _ in runs}
        for _ in range(args.repeat):  # alternating: one of each per round
            for name, argv, run_env in runs:
                samples[name].append(cpu_of(argv, run_env, root))
    base = statistics.median(samples["python -c pass"])
    print(f"machine: {machine()}; CPU time (user+sys) of each child, n={args.repeat} each")
    print(f"project: {root if args.project else 'a fresh `tmws init` repository'}")
    for name, values in samples.items():
        ratio = statistics.median(values) / base
        goal = GOALS.get(name)
        verdict = f" (goal <= {goal:g}x: {'met' if ratio <= goal else 'NOT met'})" if goal else ""
        print(f"{name:37} {summary(values)}  ratio {ratio:5.2f}x{verdict}")


if __name__ == "__main__":
    main()
