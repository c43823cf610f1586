"""`tmws serve` against bare SDK 2.x servers, measured in the same run (issue 16).

Run: python benchmarks/bench_serve.py [--starts 15] [--calls 200] [--archives 2000] [--open 50]
(with src/ on PYTHONPATH, or the package installed). Three measurements, each against a
baseline written here and run alternately with it:

1. initialize CPU: user+sys of the child (`os.wait4`) from spawn until it has answered
   `initialize`, then SIGKILL. `python -m hestai_tmws.mcpserver` vs a bare `MCPServer` with no
   tools. Goal ≤ 1.3×.
2. clock_in over stdio, warm server (force, a new session each time; clock_out untimed) vs a
   trivial tool (`echo`) on a bare SDK server, calls interleaved one by one. Goal: clock_in p95
   ≤ 2.5× the trivial call's p95.
3. history: the same clock_in against a repository with --archives session archives (and as
   many learnings-index lines) plus --open open sessions, vs an empty repository, interleaved.
   Goal: p50 ratio ≤ 1.1×.

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
from bench_mcp import env, make_project
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


def spread(values: list[float]) -> str:
    return (
        f"{percentile(values, 50):.2f} (IQR {percentile(values, 25):.2f}–"
        f"{percentile(values, 75):.2f}, p95 {percentile(values, 95):.2f}, n {len(values)})"
    )


# -- 1. initialize CPU ---------------------------------------------------------------------------


def initialize_cpu(argv: list[str], cwd: Path) -> float:
    """CPU seconds (user+sys) the child spent until its answer to `initialize` arrived."""
    child = subprocess.Popen(
        argv,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env(),
        cwd=cwd,
    )
    assert child.stdin is not None and child.stdout is not None
    child.stdin.write((json.dumps(INITIALIZE) + "\n").encode())
    child.stdin.flush()
    answer = json.loads(child.stdout.readline())
    assert answer.get("id") == 1 and "result" in answer, answer
    os.kill(child.pid, signal.SIGKILL)
    _pid, _status, usage = os.wait4(child.pid, 0)
    child.returncode = -9  # reaped here: keep Popen from waiting again
    child.stdin.close()
    child.stdout.close()
    return usage.ru_utime + usage.ru_stime


def initialize_runs(project: Any, bare: Path, starts: int) -> dict[str, list[float]]:
    tmws = [sys.executable, "-m", "hestai_tmws.mcpserver", str(project.root)]
    base = [sys.executable, str(bare)]
    out: dict[str, list[float]] = {"tmws": [], "bare": []}
    for i in range(starts):
        order = (("tmws", tmws), ("bare", base)) if i % 2 == 0 else (("bare", base), ("tmws", tmws))
        for name, argv in order:
            out[name].append(initialize_cpu(argv, project.root) * 1000)
    return out


# -- 2. and 3. warm calls over stdio -------------------------------------------------------------


def server_params(argv: list[str], cwd: Path) -> Any:
    from mcp import StdioServerParameters

    return StdioServerParameters(command=sys.executable, args=argv, env=env(), cwd=str(cwd))


async def timed_call(client: Any, name: str, args: dict[str, Any]) -> float:
    begin = time.perf_counter()
    result = await client.call_tool(name, args)
    elapsed = time.perf_counter() - begin
    assert not result.is_error, result.content
    return elapsed * 1000


async def clock_in_once(client: Any, i: int) -> float:
    elapsed = await timed_call(client, "clock_in", {"focus": f"bench {i % 7}", "force": True})
    await timed_call(client, "clock_out", {"summary": "bench"})
    return elapsed


async def versus_trivial(project: Any, trivial: Path, calls: int) -> dict[str, list[float]]:
    from mcp import Client

    tmws = server_params(["-m", "hestai_tmws.mcpserver", str(project.root)], project.root)
    out: dict[str, list[float]] = {"clock_in": [], "trivial": []}
    async with (
        Client(tmws, read_timeout_seconds=60) as server,
        Client(server_params([str(trivial)], project.root), read_timeout_seconds=60) as bare,
    ):
        for i in range(10):  # warm imports and caches on both sides
            await clock_in_once(server, i)
            await timed_call(bare, "echo", {"text": "warm"})
        for i in range(calls):
            if i % 2:
                out["trivial"].append(await timed_call(bare, "echo", {"text": f"call {i}"}))
                out["clock_in"].append(await clock_in_once(server, i))
            else:
                out["clock_in"].append(await clock_in_once(server, i))
                out["trivial"].append(await timed_call(bare, "echo", {"text": f"call {i}"}))
    return out


async def versus_history(empty: Any, full: Any, calls: int) -> dict[str, list[float]]:
    from mcp import Client

    def params(project: Any) -> Any:
        return server_params(["-m", "hestai_tmws.mcpserver", str(project.root)], project.root)

    out: dict[str, list[float]] = {"empty": [], "history": []}
    async with (
        Client(params(empty), read_timeout_seconds=60) as small,
        Client(params(full), read_timeout_seconds=60) as large,
    ):
        for i in range(10):
            await clock_in_once(small, i)
            await clock_in_once(large, i)
        for i in range(calls):
            pair = (("empty", small), ("history", large))
            for name, client in pair if i % 2 == 0 else reversed(pair):
                out[name].append(await clock_in_once(client, i))
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--starts", type=int, default=15)
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--archives", type=int, default=2000)
    parser.add_argument("--open", type=int, default=50)
    parser.add_argument("--skip", default="", help="comma list of: init,trivial,history")
    args = parser.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    print(f"Machine: {machine()}")
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        bare, trivial = base / "bare_server.py", base / "trivial_server.py"
        bare.write_text(BARE_SERVER)
        trivial.write_text(TRIVIAL_SERVER)
        (base / "a").mkdir()
        (base / "b").mkdir()
        empty, full = make_project(base / "a"), make_project(base / "b")
        if "init" not in skip:
            cpu = initialize_runs(empty, bare, args.starts)
            ratio = percentile(cpu["tmws"], 50) / percentile(cpu["bare"], 50)
            print(f"initialize CPU ms, tmws serve: {spread(cpu['tmws'])}")
            print(f"initialize CPU ms, bare SDK server: {spread(cpu['bare'])}")
            print(f"  ratio of medians {ratio:.2f}× (goal ≤ 1.3×)")
        if "trivial" not in skip:
            trips = anyio.run(versus_trivial, empty, trivial, args.calls)
            ratio = percentile(trips["clock_in"], 95) / percentile(trips["trivial"], 95)
            print(f"clock_in round trip ms: {spread(trips['clock_in'])}")
            print(f"trivial tool round trip ms: {spread(trips['trivial'])}")
            print(f"  ratio of p95 {ratio:.2f}× (goal ≤ 2.5×)")
        if "history" not in skip:
            begin = time.perf_counter()
            add_history(full, args.archives, args.open)
            print(
                f"history: {args.archives} archives + {args.open} open sessions, "
                f"setup {time.perf_counter() - begin:.1f} s"
            )
            trips = anyio.run(versus_history, empty, full, args.calls)
            ratio = percentile(trips["history"], 50) / percentile(trips["empty"], 50)
            ratio95 = percentile(trips["history"], 95) / percentile(trips["empty"], 95)
            print(f"clock_in ms, empty repository: {spread(trips['empty'])}")
            print(f"clock_in ms, with history: {spread(trips['history'])}")
            print(f"  ratio of medians {ratio:.2f}×, of p95 {ratio95:.2f}× (goal ≤ 1.1×)")
        for project in (empty, full):
            for folder, _dirs, _files in os.walk(project.hestai_sys):
                os.chmod(folder, 0o755)  # let the temporary folder be removed


if __name__ == "__main__":
    main()
