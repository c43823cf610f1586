"""`tmws serve` against bare SDK 2.x servers, measured in the same run (issue 16).

Run: python benchmarks/bench_serve.py [--starts 15] [--calls 200] [--archives 2000] [--open 50]
[--baseline-src OLD/src] (with src/ on PYTHONPATH, or the package installed). Three
measurements, each against a baseline written here and run alternately with it; with
--baseline-src, the same measurements of that (older) checkout's server run in the same loop,
alternating too, for before/after figures:

1. initialize CPU: user+sys of the child (`os.wait4`) from spawn until it has answered
   `initialize`, then SIGKILL. `python -m hestai_tmws.mcpserver` vs a bare `MCPServer` with no
   tools. Goal ≤ 1.3×. Also until the first `tools/list` is answered (the core loads there).
2. clock_in over stdio, warm server (force, a new session each time; clock_out untimed) vs a
   trivial tool (`echo`) on a bare SDK server, calls interleaved one by one. Goal: clock_in p95
   ≤ 2.5× the trivial call's p95.
3. history: the same clock_in against a repository with --archives session archives (and as
   many learnings-index lines) plus --open open sessions, vs an empty repository, interleaved.
   Goal: p50 ratio ≤ 1.1×.
   Besides the round trip: the server's CPU per clock_in (its threads' `schedstat`, ns), and
   the CPU of the background learning steps each server started (reaped children's
   user+sys at the end). `--mine off` starts the servers through a wrapper with no background
   mine, `--mine both` runs both kinds interleaved. An A/A run (`--baseline-src src`, the same
   code twice) shows the noise floor of the ratios.
4. the lock's holder record, truncating rewrite vs overwrite in place, alternating.

Figures are medians with the interquartile range (p25–p75) and n.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import anyio
from _util import machine, percentile
from bench_mcp import make_project
from bench_search import START, write_archives

BARE_SERVER = """\
from mcp.server import MCPServer
MCPServer("bare").run()
"""
TRIVIAL_SERVER = """\
from mcp.server import MCPServer
server = MCPServer("trivial")


@server.tool()
def echo(text: str) -> str:
    \"\"\"Return the text.\"\"\"
    return text


server.run()
"""
NO_MINE_SERVER = """\
import subprocess
import sys

import hestai_tmws.learning.auto as auto

auto.spawn_background = lambda *args, **kwargs: subprocess.Popen(["true"])
from hestai_tmws.mcpserver.boot import serve

serve(sys.argv[1])
"""
INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {
        "protocolVersion": "2025-06-18",
        "capabilities": {},
        "clientInfo": {"name": "bench", "version": "0"},
    },
}


SRC = Path(__file__).resolve().parents[1] / "src"


def env(src: Path = SRC) -> dict[str, str]:
    out = dict(os.environ)
    out["PYTHONPATH"] = os.pathsep.join(p for p in (str(src), out.get("PYTHONPATH", "")) if p)
    return out


INITIALIZED = {"jsonrpc": "2.0", "method": "notifications/initialized"}
LIST_TOOLS = {"jsonrpc": "2.0", "id": 2, "method": "tools/list"}


def spread(values: list[float]) -> str:
    return (
        f"{percentile(values, 50):.2f} (IQR {percentile(values, 25):.2f}–"
        f"{percentile(values, 75):.2f}, p95 {percentile(values, 95):.2f}, n {len(values)})"
    )


# -- 1. initialize CPU ---------------------------------------------------------------------------


def initialize_cpu(argv: list[str], cwd: Path, src: Path = SRC, list_tools: bool = False) -> float:
    """CPU seconds (user+sys) the child spent until its answer to `initialize` arrived (with
    `list_tools`, until its answer to the `tools/list` that follows)."""
    child = subprocess.Popen(
        argv,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env(src),
        cwd=cwd,
    )
    assert child.stdin is not None and child.stdout is not None
    child.stdin.write((json.dumps(INITIALIZE) + "\n").encode())
    child.stdin.flush()
    answer = json.loads(child.stdout.readline())
    assert answer.get("id") == 1 and "result" in answer, answer
    if list_tools:
        child.stdin.write((json.dumps(INITIALIZED) + "\n" + json.dumps(LIST_TOOLS) + "\n").encode())
        child.stdin.flush()
        answer = json.loads(child.stdout.readline())
        assert answer.get("id") == 2 and "result" in answer, answer
    os.kill(child.pid, signal.SIGKILL)
    _pid, _status, usage = os.wait4(child.pid, 0)
    child.returncode = -9  # reaped here: keep Popen from waiting again
    child.stdin.close()
    child.stdout.close()
    return usage.ru_utime + usage.ru_stime


def initialize_runs(
    project: Any, bare: Path, starts: int, sources: dict[str, Path]
) -> dict[str, list[float]]:
    """Initialize CPU (ms) of each tmws source and of the bare server, in rotating order,
    and (labels ending in "+ tools/list") until the first tools/list is answered."""
    tmws = [sys.executable, "-m", "hestai_tmws.mcpserver", str(project.root)]
    runs = [(label, tmws, src, False) for label, src in sources.items()]
    runs.append(("bare", [sys.executable, str(bare)], SRC, False))
    runs += [(f"{label} + tools/list", tmws, src, True) for label, src in sources.items()]
    runs.append(("bare + tools/list", [sys.executable, str(bare)], SRC, True))
    out: dict[str, list[float]] = {label: [] for label, *_rest in runs}
    for i in range(starts):
        for label, argv, src, listing in runs[i % len(runs) :] + runs[: i % len(runs)]:
            out[label].append(initialize_cpu(argv, project.root, src, listing) * 1000)
    return out


def server_params(argv: list[str], cwd: Path, src: Path = SRC) -> Any:
    from mcp import StdioServerParameters

    return StdioServerParameters(command=sys.executable, args=argv, env=env(src), cwd=str(cwd))


def child_pids() -> set[int]:
    """This process's children (every thread's list)."""
    out: set[int] = set()
    for task in Path("/proc/self/task").iterdir():
        with open(task / "children") as fh:
            out.update(int(pid) for pid in fh.read().split())
    return out


def server_cpu_ns(pid: int | None) -> int:
    """CPU time (ns) the server process's live threads have run (`/proc/PID/task/*/schedstat`,
    nanosecond resolution; a thread that ended meanwhile takes its time with it, and the
    SDK's worker threads stay alive between calls)."""
    total = 0
    if pid is None:
        return 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            with open(task / "schedstat") as fh:
                total += int(fh.read().split()[0])
        except (OSError, ValueError, IndexError):
            continue
    return total


def reaped_children_cpu_ms(pid: int) -> float:
    """CPU (ms) of the server's children it has waited for: its background learning steps."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[13]) + int(fields[14])) * 1000 / ticks  # cutime, cstime


async def timed_call(client: Any, name: str, args: dict[str, Any]) -> float:
    begin = time.perf_counter()
    result = await client.call_tool(name, args)
    elapsed = time.perf_counter() - begin
    assert not result.is_error, result.content
    return elapsed * 1000


async def clock_in_once(client: Any, i: int, pid: int | None = None) -> tuple[float, float]:
    """Round trip (ms) of one clock_in and the server's CPU (ms) for it; clock_out untimed."""
    cpu = server_cpu_ns(pid)
    elapsed = await timed_call(client, "clock_in", {"focus": f"bench {i % 7}", "force": True})
    cpu = server_cpu_ns(pid) - cpu
    await timed_call(client, "clock_out", {"summary": "bench"})
    return elapsed, cpu / 1e6


def tmws_params(project: Any, src: Path, wrapper: Path | None = None) -> Any:
    """The server over stdio; `wrapper` (NO_MINE_SERVER) starts it with no background mine."""
    module = [str(wrapper)] if wrapper else ["-m", "hestai_tmws.mcpserver"]
    return server_params([*module, str(project.root)], project.root, src)


async def interleaved(
    servers: dict[str, Any], calls: int, trivial: Path | None, cwd: Path
) -> dict[str, list[float]]:
    """clock_in round trips (ms) on each (label → server parameters), interleaved call by
    call in rotating order, with the trivial tool's round trip as one more entry if given.
    Also "<label> CPU": the server's CPU per clock_in (ms), and "<label> mine CPU": one
    value, the CPU (ms) of the background learning steps the server had reaped at the end."""
    from contextlib import AsyncExitStack

    from mcp import Client

    out: dict[str, list[float]] = {label: [] for label in servers}
    cpu: dict[str, list[float]] = {f"{label} CPU": [] for label in servers}
    async with AsyncExitStack() as stack:
        clients, pids = {}, {}
        for label, p in servers.items():
            before = child_pids()
            clients[label] = await stack.enter_async_context(Client(p, read_timeout_seconds=60))
            started = child_pids() - before
            pids[label] = started.pop() if len(started) == 1 else None
        if trivial is not None:
            bare = await stack.enter_async_context(
                Client(server_params([str(trivial)], cwd), read_timeout_seconds=60)
            )
            out["trivial"] = []
        labels = list(out)
        for i in range(10 + calls):  # ten rounds to warm imports and caches, untimed
            for label in labels[i % len(labels) :] + labels[: i % len(labels)]:
                if label == "trivial":
                    ms = await timed_call(bare, "echo", {"text": f"call {i}"})
                else:
                    ms, used = await clock_in_once(clients[label], i, pids[label])
                    if i >= 10:
                        cpu[f"{label} CPU"].append(used)
                if i >= 10:
                    out[label].append(ms)
        for label, pid in pids.items():
            if pid is not None:
                out[f"{label} mine CPU"] = [reaped_children_cpu_ms(pid)]
    out.update(cpu if any(pids.values()) else {})
    return out


def add_history(project: Any, archives: int, open_sessions: int) -> None:
    """`archives` archives with their learnings-index lines, and `open_sessions` open sessions."""
    from hestai_tmws.layout import LEARNINGS_INDEX
    from hestai_tmws.workflows.clock_in import clock_in

    write_archives(project, archives)
    lines = [
        json.dumps(
            {
                "id": f"{i:012x}",
                "date": (START + timedelta(hours=i)).date().isoformat(),
                "focus": f"focus {i}",
                "archive": f"sessions/archive/a-{i:012x}.oct.md",
                "learnings": [f"learning {i}: keep the cache keyed by the file's stat"],
            }
        )
        for i in range(archives)
    ]
    index = project.memory_path(LEARNINGS_INDEX)
    index.parent.mkdir(parents=True, exist_ok=True)
    with index.open("a", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")
    for i in range(open_sessions):
        clock_in(project, focus=f"open work {i}")


def holder_writes(folder: Path, rounds: int = 2000) -> dict[str, list[float]]:
    """The Steward lock's holder record written as before (truncating `write_text`) and as
    now (`write_in_place`), alternating, in ms: what every transaction pays for it."""
    from hestai_tmws.steward.lock import write_in_place

    old, new = folder / "old.holder", folder / "new.holder"
    info = json.dumps({"pid": 1, "host": "h", "command": "tmws serve", "purpose": "clock-in"})
    out: dict[str, list[float]] = {"truncating write_text": [], "write_in_place": []}
    for i in range(rounds):
        for label in list(out)[::-1] if i % 2 else list(out):
            begin = time.perf_counter()
            if label == "write_in_place":
                write_in_place(new, info.encode())
            else:
                old.write_text(info, encoding="utf-8")
            out[label].append((time.perf_counter() - begin) * 1000)
    return out


def report_initialize(cpu: dict[str, list[float]]) -> None:
    for label, values in cpu.items():
        print(f"CPU ms, {label}: {spread(values)}")
    for suffix in ("", " + tools/list"):
        bare = percentile(cpu["bare" + suffix], 50)
        for label in (k for k in cpu if k.endswith(suffix) and not k.startswith("bare")):
            if suffix or "+" not in label:
                ratio = percentile(cpu[label], 50) / bare
                print(f"  {label}: ratio of medians to bare{suffix} {ratio:.2f}×")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--starts", type=int, default=15)
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--archives", type=int, default=2000)
    parser.add_argument("--open", type=int, default=50)
    parser.add_argument("--baseline-src", type=Path, help="an older checkout's src/ to compare")
    parser.add_argument("--skip", default="", help="comma list of: init,trivial,history,holder")
    parser.add_argument(
        "--mine",
        choices=("on", "off", "both"),
        default="on",
        help="history phase: servers with the background mine, without it (a wrapper that "
        "replaces `learning.auto.spawn_background`), or both interleaved",
    )
    args = parser.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    sources = {"tmws serve": SRC}
    if args.baseline_src:
        sources["tmws serve (baseline)"] = args.baseline_src.resolve()
    print(f"Machine: {machine()}")
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        bare, trivial = base / "bare_server.py", base / "trivial_server.py"
        bare.write_text(BARE_SERVER)
        trivial.write_text(TRIVIAL_SERVER)
        no_mine = base / "no_mine_server.py"
        no_mine.write_text(NO_MINE_SERVER)
        for name in "abc":
            (base / name).mkdir()
        # `empty` gathers the trivial phase's archives: the history phase gets a fresh one
        empty, fresh, full = (make_project(base / name) for name in "abc")
        if "holder" not in skip:
            for label, values in holder_writes(base).items():
                print(f"lock holder record, {label}, ms: {spread(values)}")
        if "init" not in skip:
            report_initialize(initialize_runs(empty, bare, args.starts, sources))
        if "trivial" not in skip:
            servers = {label: tmws_params(empty, src) for label, src in sources.items()}
            trips = anyio.run(interleaved, servers, args.calls, trivial, empty.root)
            for label, values in trips.items():
                print(f"round trip ms, {label}: {spread(values)}")
            for label in sources:
                ratio = percentile(trips[label], 95) / percentile(trips["trivial"], 95)
                print(
                    f"  {label} clock_in: ratio of p95 to the trivial tool's {ratio:.2f}× "
                    "(goal ≤ 2.5×)"
                )
        if "history" not in skip:
            begin = time.perf_counter()
            add_history(full, args.archives, args.open)
            print(
                f"history: {args.archives} archives + {args.open} open sessions, "
                f"setup {time.perf_counter() - begin:.1f} s"
            )
            servers = {}
            variants = {"on": [None], "off": [no_mine], "both": [None, no_mine]}[args.mine]
            labels = []
            for name, src in sources.items():
                for wrapper in variants:
                    label = f"{name}{', no mine' if wrapper else ''}"
                    labels.append(label)
                    servers[f"{label}, empty"] = tmws_params(fresh, src, wrapper)
                    servers[f"{label}, history"] = tmws_params(full, src, wrapper)
            trips = anyio.run(interleaved, servers, args.calls, None, empty.root)
            for label, values in trips.items():
                what = "background mine CPU ms" if label.endswith("mine CPU") else "clock_in ms"
                print(f"{what}, {label}: {spread(values)}")
            for label in labels:
                for kind, suffix in (("round trip", ""), ("server CPU", " CPU")):
                    small = trips.get(f"{label}, empty{suffix}")
                    large = trips.get(f"{label}, history{suffix}")
                    if not small or not large:
                        continue
                    r50 = percentile(large, 50) / percentile(small, 50)
                    r95 = percentile(large, 95) / percentile(small, 95)
                    print(
                        f"  {label}, {kind}: history / empty, medians {r50:.2f}×, "
                        f"p95 {r95:.2f}× (goal ≤ 1.1×)"
                    )
        for project in (empty, fresh, full):
            for folder, _dirs, _files in os.walk(project.hestai_sys):
                os.chmod(folder, 0o755)  # let the temporary folder be removed


if __name__ == "__main__":
    main()
