"""The same commands, timed on two revisions of hestai-tmws in one run: is the new one slower?

A change of structure (moved modules, new import graph) shows first in process start-up, which
every hook and CLI call pays. This script clones a base revision into a temporary folder and
runs each command alternately on the base code and on this working tree (`PYTHONPATH` selects
the code; the interpreter and the installed dependencies are the same), in a fresh git
repository initialised by each side's own `tmws init`. It reports the CPU time (user + system
of the child process, steadier than wall time on a shared machine) as medians with the
interquartile range, and the ratio new ÷ base. `python -c pass` is the floor of both.

Run: python benchmarks/bench_revisions.py [--base REV] [--repeat N] [--markdown]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from _util import machine

ROOT = Path(__file__).resolve().parents[1]
CLAUDE_ID = "7b0c6c4e-6a55-4e55-9f1e-6f9a8e0d1c2b"


def child_cpu(argv: Sequence[str], env: dict[str, str], cwd: Path, stdin: bytes) -> float:
    """CPU seconds (user + system) of one child process run to completion."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(
        list(argv),
        input=stdin,
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def side_env(src: Path, home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TMWS_")}
    env.update(PYTHONPATH=str(src), HOME=str(home), NO_COLOR="1", GIT_CONFIG_NOSYSTEM="1")
    env.update(GIT_AUTHOR_NAME="b", GIT_AUTHOR_EMAIL="b@example.invalid")
    env.update(GIT_COMMITTER_NAME="b", GIT_COMMITTER_EMAIL="b@example.invalid")
    return env


def make_repo(parent: Path, env: dict[str, str]) -> Path:
    """A git repository with one commit, initialised by this side's `tmws init`."""
    repo = parent / "repo"
    repo.mkdir(parents=True)
    run = {"cwd": repo, "env": env, "check": True, "capture_output": True}
    subprocess.run(["git", "init", "-q"], **run)  # type: ignore[call-overload]
    (repo / "README.md").write_text("bench\n", encoding="utf-8")
    subprocess.run(["git", "add", "README.md"], **run)  # type: ignore[call-overload]
    subprocess.run(["git", "commit", "-qm", "start"], **run)  # type: ignore[call-overload]
    tmws = [sys.executable, "-m", "hestai_tmws.cli.app"]
    subprocess.run([*tmws, "init"], **run)  # type: ignore[call-overload]
    hook = [sys.executable, "-m", "hestai_tmws.integrations.claude_hooks", "session-start"]
    opened = hook_payload("SessionStart", repo)
    subprocess.run(hook, input=opened, cwd=repo, env=env, check=True, capture_output=True)
    (repo / "README.md").write_text("bench, staged\n", encoding="utf-8")
    subprocess.run(["git", "add", "README.md"], **run)  # type: ignore[call-overload]
    return repo


def hook_payload(event: str, repo: Path) -> bytes:
    payload = {
        "session_id": CLAUDE_ID,
        "cwd": str(repo),
        "hook_event_name": event,
        "tool_name": "Read",
        "tool_input": {"file_path": str(repo / "README.md")},
        "tool_response": {"type": "text", "file": {"content": "bench"}},
        "transcript_path": str(repo / "t.jsonl"),
    }
    if event == "SessionStart":
        payload["source"] = "startup"
    return json.dumps(payload).encode()


def commands(repo: Path) -> list[tuple[str, list[str], bytes]]:
    py = sys.executable
    tmws = [py, "-m", "hestai_tmws.cli.app"]
    hook = [py, "-m", "hestai_tmws.integrations.claude_hooks"]
    return [
        ("python -c pass", [py, "-c", "pass"], b""),
        ("tmws --version", [*tmws, "--version"], b""),
        ("tmws --help", [*tmws, "--help"], b""),
        ("tmws status", [*tmws, "status"], b""),
        ("tmws verify", [*tmws, "verify"], b""),
        ("hook post-tool-use", [*hook, "post-tool-use"], hook_payload("PostToolUse", repo)),
        ("hook pre-tool-use", [*hook, "pre-tool-use"], hook_payload("PreToolUse", repo)),
        ("git hook (clean commit)", [py, "-I", "-m", "hestai_tmws.guard", "pre-commit"], b""),
    ]


def quartiles(values: list[float]) -> tuple[float, float, float]:
    q = statistics.quantiles(values, n=4)
    return q[0], statistics.median(values), q[2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="7938ca8", help="base revision (default: 7938ca8)")
    parser.add_argument("--repeat", type=int, default=21)
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        base = tmp / "base"
        subprocess.run(["git", "clone", "-q", str(ROOT), str(base)], check=True)
        subprocess.run(["git", "-C", str(base), "checkout", "-q", args.base], check=True)
        sides = {}
        for name, src in (("base", base / "src"), ("new", ROOT / "src")):
            env = side_env(src, tmp / f"home-{name}")
            (tmp / f"home-{name}").mkdir()
            repo = make_repo(tmp / name, env)
            sides[name] = (env, repo)
        results: dict[str, dict[str, list[float]]] = {}
        labels = [label for label, _, _ in commands(sides["new"][1])]
        for _ in range(args.repeat):
            for name, (env, repo) in sides.items():
                for label, argv, stdin in commands(repo):
                    cpu = child_cpu(argv, env, repo, stdin)
                    results.setdefault(label, {}).setdefault(name, []).append(cpu)
    print(f"machine: {machine()}; load {os.getloadavg()[0]:.2f}; {args.repeat} runs, alternating")
    if args.markdown:
        print("| command | base CPU ms (IQR) | new CPU ms (IQR) | new ÷ base |")
        print("|---|---|---|---|")
    for label in labels:
        b = quartiles(results[label]["base"])
        n = quartiles(results[label]["new"])
        ratio = n[1] / b[1] if b[1] else float("nan")
        cells = [
            f"{b[1] * 1000:.1f} ({b[0] * 1000:.1f}–{b[2] * 1000:.1f})",
            f"{n[1] * 1000:.1f} ({n[0] * 1000:.1f}–{n[2] * 1000:.1f})",
            f"{ratio:.2f}×",
        ]
        if args.markdown:
            print(f"| `{label}` | " + " | ".join(cells) + " |")
        else:
            print(f"{label:26} base {cells[0]:>22}  new {cells[1]:>22}  {cells[2]}")


if __name__ == "__main__":
    main()
