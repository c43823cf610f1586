"""Several clients, one memory, over real stdio servers: each acts only on its own session,
a cancelled call writes nothing, and a dead client does not block its focus (issue 14)."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from typing import IO, Any

import pytest
from mcp import Client

from hestai_tmws.governance.inject import LOCK_NAME
from hestai_tmws.project import Project
from hestai_tmws.steward.lock import StewardLock
from tests.mcpserver.conftest import subprocess_env
from tests.mcpserver.support import call, call_error
from tests.mcpserver.test_stdio import serve_params

pytestmark = [pytest.mark.slow, pytest.mark.anyio]
TIMEOUT = 60.0


def active_ids(project: Project) -> set[str]:
    folder = project.hestai / "sessions" / "active"
    return {p.name for p in folder.iterdir()} if folder.is_dir() else set()


async def test_a_second_client_cannot_touch_the_first_clients_session(mproject: Project) -> None:
    async with (
        Client(serve_params(mproject), read_timeout_seconds=TIMEOUT) as owner,
        Client(serve_params(mproject), read_timeout_seconds=TIMEOUT) as intruder,
    ):
        mine = await call(owner, "clock_in", {"focus": "owned"})
        sid = mine["session_id"]
        doc = {"doc_type": "report", "title": "Hijack", "content": "x", "session_id": sid}
        assert "not opened by this connection" in await call_error(intruder, "document_submit", doc)
        assert "not opened by this connection" in await call_error(
            intruder, "clock_out", {"session_id": sid, "summary": "stolen"}
        )
        assert "no open session" in await call_error(intruder, "clock_out", {"summary": "x"})
        assert "another live client" in await call_error(intruder, "clock_in", {"resume": sid})
        out = await call(owner, "clock_out", {"summary": "mine to close"})
    assert out["session_id"] == sid
    assert not list((mproject.hestai / "reports").glob("*hijack*"))


async def test_a_dead_clients_session_is_resumable_and_does_not_block(mproject: Project) -> None:
    async with Client(serve_params(mproject), read_timeout_seconds=TIMEOUT) as first:
        opened = await call(first, "clock_in", {"focus": "crashy"})
    # the first server is gone with its client; its session stays open with a dead pid
    assert opened["session_id"] in active_ids(mproject)
    async with Client(serve_params(mproject), read_timeout_seconds=TIMEOUT) as second:
        resumed = await call(second, "clock_in", {"resume": opened["session_id"]})
        assert any("gone" in note for note in resumed["notes"])
        await call(second, "clock_out", {"summary": "finished what the first began"})
    async with Client(serve_params(mproject), read_timeout_seconds=TIMEOUT) as first:
        await call(first, "clock_in", {"focus": "crashy"})
    async with Client(serve_params(mproject), read_timeout_seconds=TIMEOUT) as third:
        again = await call(third, "clock_in", {"focus": "crashy"})  # not refused
    assert any("stale" in note for note in again["notes"])


# -- cancellation, spoken as raw JSON-RPC (the SDK client cannot cancel a call on purpose) -----


def _send(stdin: IO[bytes], message: dict[str, Any]) -> None:
    stdin.write((json.dumps({"jsonrpc": "2.0", **message}) + "\n").encode())
    stdin.flush()


def _reply(stdout: IO[bytes], wanted: int) -> dict[str, Any]:
    """Read until the response to request `wanted`; fails on a reply to another request."""
    while True:
        line = stdout.readline()
        assert line, "the server closed its output"
        message = json.loads(line)
        if "id" in message and "method" not in message:
            assert message["id"] == wanted, f"unexpected reply {message}"
            return dict(message)


def _stderr_line(stderr: IO[bytes], needle: str, timeout: float) -> str:
    """The first stderr line containing `needle` (read in a thread, so a hang fails the test)."""
    found: list[str] = []

    def read() -> None:
        for raw in iter(stderr.readline, b""):
            text = raw.decode(errors="replace")
            if needle in text:
                found.append(text)
                return

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(timeout)
    assert found, f"no stderr line with {needle!r}"
    return found[0]


def test_a_call_cancelled_before_it_writes_writes_nothing(mproject: Project) -> None:
    before = active_ids(mproject)
    governance_lock = StewardLock(mproject.state_dir / LOCK_NAME, timeout=TIMEOUT)
    steward_lock = StewardLock(mproject.lock_path, timeout=TIMEOUT)  # clock_in's first write
    proc = subprocess.Popen(
        [sys.executable, "-m", "hestai_tmws.cli.app", "serve", "--project", str(mproject.root)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=subprocess_env(),
        cwd=str(mproject.root),
    )
    assert proc.stdin and proc.stdout and proc.stderr
    try:
        init = {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "t"}}
        _send(proc.stdin, {"id": 1, "method": "initialize", "params": init})
        _reply(proc.stdout, 1)
        _send(proc.stdin, {"method": "notifications/initialized"})
        with (
            governance_lock.hold("test: keep clock_in waiting before its first write"),
            steward_lock.hold("test: the same for the session record"),
        ):
            call_params = {"name": "clock_in", "arguments": {"focus": "cancelled"}}
            _send(proc.stdin, {"id": 2, "method": "tools/call", "params": call_params})
            _send(proc.stdin, {"id": 3, "method": "ping"})
            _reply(proc.stdout, 3)  # the call is in flight
            cancel = {"requestId": 2, "reason": "user pressed stop"}
            _send(proc.stdin, {"method": "notifications/cancelled", "params": cancel})
            _send(proc.stdin, {"id": 4, "method": "ping"})
            _reply(proc.stdout, 4)  # the cancellation has been applied (messages are in order)
        assert "before it wrote anything" in _stderr_line(proc.stderr, "clock_in", TIMEOUT)
        _send(proc.stdin, {"id": 5, "method": "ping"})
        _reply(proc.stdout, 5)  # and no reply to the cancelled request came before this one
    finally:
        proc.stdin.close()
        proc.wait(timeout=TIMEOUT)
    assert active_ids(mproject) == before
