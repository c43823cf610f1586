"""Benchmark: the Claude Code hooks, as `tmws integrate claude-code` writes them (CPU per call).

Claude Code runs PreToolUse and PostToolUse around every tool call and SessionStart at each
start and resume. In a fresh `tmws init` repository with an open Claude session and this
machine's hook launcher (`<git common dir>/hestai-tmws/bin/claude-hook`) this runs,
alternating one of each per round: `python -c pass` (the floor), post-tool-use, pre-tool-use
(an allowed edit) and session-start (resume), each as Claude Code runs it, `sh -c <the
committed settings' command>` with `$CLAUDE_PROJECT_DIR` set, and session-start (startup, a
new Claude session each time) in a second repository so that the first keeps one open
session. "abs-path" rows run the line the previous release committed (this interpreter by
absolute path, no launcher) on the same code. CPU is user+sys of the child and what it waits
for (`os.wait4`); medians, IQR, p5-p95 and the ratio to `python -c pass`.

    PYTHONPATH=src .venv/bin/python benchmarks/bench_hooks.py [--runs 41] [--python PY]
        [--baseline-src /path/to/old/src]

`--python` must have this checkout installed (the fast entry runs it with `-I`, which ignores
PYTHONPATH); `--baseline-src` adds the same hooks as earlier releases wrote them
(`PY -m hestai_tmws.integrations.claude_hooks <event>`) running the code in that `src/`.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _util import machine, percentile

from hestai_tmws.integrations.claude.settings import Launcher, fast_hook_python, merge_hooks
from hestai_tmws.project import Project
from hestai_tmws.workflows.hook_launcher import FAST_HOOK_MODULE, SKIPPED, write_launcher
from hestai_tmws.workflows.init import init_project
from hestai_tmws.workflows.reprime_cache import RACY_SECONDS

CLAUDE_ID = "bench-claude-session"
EVENTS = {"post": "PostToolUse", "pre": "PreToolUse", "start": "SessionStart"}


def _env(root: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TMWS_", "PYTHON"))}
    env.update(
        GIT_AUTHOR_NAME="bench",
        GIT_AUTHOR_EMAIL="bench@example.invalid",
        GIT_COMMITTER_NAME="bench",
        GIT_COMMITTER_EMAIL="bench@example.invalid",
        GIT_CONFIG_NOSYSTEM="1",
        CLAUDE_PROJECT_DIR=str(root),
        PATH=os.pathsep.join(("/usr/bin", "/bin")),  # no tmws: only the launcher can trace
    )
    env.update(extra or {})
    return env


def cpu_ms(argv: list[str], stdin: bytes, env: dict[str, str], cwd: Path) -> float:
    """User+sys CPU of one child process (and what it waits for), in milliseconds."""
    proc = subprocess.Popen(
        argv,
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
        cwd=cwd,
    )
    assert proc.stdin is not None and proc.stderr is not None
    proc.stdin.write(stdin)
    proc.stdin.close()
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:  # stderr may hold a note (clocked in alongside another session)
        raise SystemExit(f"{argv[-1][:80]}… exited {proc.returncode}: {err.decode()[:400]}")
    return (usage.ru_utime + usage.ru_stime) * 1000


def project(root: Path) -> Path:
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True, env=_env(root))
    (root / "README.md").write_text("bench\n")
    subprocess.run(["git", "-C", str(root), "add", "README.md"], check=True, env=_env(root))
    subprocess.run(
        ["git", "-C", str(root), "commit", "-q", "-m", "init"], check=True, env=_env(root)
    )
    init_project(Project.discover(root))
    return root


def commands(launcher: Launcher) -> dict[str, str]:
    """The shell line the settings hold for each event we measure."""
    hooks = merge_hooks({}, launcher)["hooks"]
    return {key: hooks[event][0]["hooks"][0]["command"] for key, event in EVENTS.items()}


def absolute_line(python: str, event: str) -> str:
    """The line the previous release committed: this machine's interpreter by absolute path."""
    code = f"import sys; from {FAST_HOOK_MODULE} import main; sys.exit(main())"
    fast = shlex.join([python, "-I", "-c", code, event])
    return (
        f"if [ -x {shlex.quote(python)} ]; then exec {fast}; "
        f"elif command -v tmws >/dev/null 2>&1; then exec tmws hook claude {event}; "
        f"else {SKIPPED}; fi"
    )


def payloads(root: Path, claude_id: str, source: str) -> dict[str, bytes]:
    common = {"session_id": claude_id, "cwd": str(root), "permission_mode": "default"}
    post = {
        **common,
        "hook_event_name": "PostToolUse",
        "tool_name": "Bash",
        "tool_input": {"command": "pytest -q tests/cli", "description": "Run the CLI tests"},
        "tool_response": {"stdout": "12 passed", "stderr": "", "interrupted": False},
        "tool_use_id": "toolu_01",
    }
    pre = {
        **common,
        "hook_event_name": "PreToolUse",
        "tool_name": "Edit",
        "tool_input": {"file_path": str(root / "README.md"), "old_string": "a", "new_string": "b"},
    }
    start = {**common, "hook_event_name": "SessionStart", "source": source}
    return {k: json.dumps(v).encode() for k, v in (("post", post), ("pre", pre), ("start", start))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=41)
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--baseline-src", type=Path, default=None)
    args = parser.parse_args()
    python = fast_hook_python(args.python)
    if python is None:
        raise SystemExit(f"{args.python} -I cannot import the fast hook: pip install -e . into it")
    fast = commands(Launcher.python(python))
    old = commands(Launcher.python(python).model_copy(update={"fast_python": None}))
    with tempfile.TemporaryDirectory(prefix="tmws-bench-hooks-") as tmp:
        root = project(Path(tmp) / "open")
        fresh = project(Path(tmp) / "starts")
        for repo in (root, fresh):  # what `tmws integrate claude-code` leaves on this machine
            write_launcher(repo, python, probe=lambda found: found)
        env, fresh_env = _env(root), _env(fresh)
        data = payloads(root, CLAUDE_ID, "resume")
        time.sleep(RACY_SECONDS + 0.1)  # files younger than this are never remembered
        cpu_ms(
            ["sh", "-c", fast["start"]], payloads(root, CLAUDE_ID, "startup")["start"], env, root
        )
        cases: dict[str, tuple[list[str], bytes, dict[str, str], Path]] = {
            "python -c pass": ([python, "-c", "pass"], b"", env, root),
            "post-tool-use": (["sh", "-c", fast["post"]], data["post"], env, root),
            "pre-tool-use": (["sh", "-c", fast["pre"]], data["pre"], env, root),
            "session-start (resume)": (["sh", "-c", fast["start"]], data["start"], env, root),
        }
        for key, name in (("post", "post-tool-use"), ("pre", "pre-tool-use")):
            line = absolute_line(python, name)
            cases[f"abs-path: {name}"] = (["sh", "-c", line], data[key], env, root)
        if args.baseline_src is not None:
            old_env = _env(root, {"PYTHONPATH": str(args.baseline_src.resolve())})
            cases["before: post-tool-use"] = (
                ["sh", "-c", old["post"]],
                data["post"],
                old_env,
                root,
            )
            cases["before: pre-tool-use"] = (["sh", "-c", old["pre"]], data["pre"], old_env, root)
            cases["before: session-start (resume)"] = (
                ["sh", "-c", old["start"]],
                data["start"],
                old_env,
                root,
            )
        samples: dict[str, list[float]] = {name: [] for name in cases}
        samples["session-start (startup)"] = []
        for argv, stdin, case_env, cwd in cases.values():
            cpu_ms(argv, stdin, case_env, cwd)  # warm caches and bytecode
        for run in range(args.runs):
            for name, (argv, stdin, case_env, cwd) in cases.items():
                samples[name].append(cpu_ms(argv, stdin, case_env, cwd))
            start = payloads(fresh, f"{CLAUDE_ID}-{run}", "startup")["start"]
            samples["session-start (startup)"].append(
                cpu_ms(["sh", "-c", fast["start"]], start, fresh_env, fresh)
            )
        traced = sum(
            len(p.read_text().splitlines())
            for p in (root / ".hestai" / "sessions" / "active").glob("*/traces.jsonl")
        )
    floor = statistics.median(samples["python -c pass"])
    print(f"{machine()}, load {os.getloadavg()[0]:.1f}; {args.runs} alternating runs each\n")
    print("| hook | CPU median ms | IQR ms | p5-p95 ms | n | / python -c pass |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, values in samples.items():
        med = statistics.median(values)
        q1, q3 = percentile(values, 25), percentile(values, 75)
        p5, p95 = percentile(values, 5), percentile(values, 95)
        print(
            f"| {name} | {med:.1f} | {q1:.1f}-{q3:.1f} | {p5:.1f}-{p95:.1f} | {len(values)} "
            f"| {med / floor:.2f}x |"
        )
    print(f"\ntraces recorded in the open session: {traced} (one per post-tool-use run)")


if __name__ == "__main__":
    main()
