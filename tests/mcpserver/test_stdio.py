"""The real thing: `tmws serve` as a child process over stdio, and how it ends."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from mcp import Client, StdioServerParameters

from hestai_tmws.project import Project
from tests.mcpserver.conftest import subprocess_env
from tests.mcpserver.support import archive_traces, call, staged

pytestmark = pytest.mark.slow

EXIT_TIMEOUT = 30.0


def serve_params(project: Project, *extra: str) -> StdioServerParameters:
    return StdioServerParameters(
        command=sys.executable,
        args=["-m", "hestai_tmws.cli.app", "serve", "--project", str(project.root), *extra],
        env=subprocess_env(),
        cwd=str(project.root),
    )


@pytest.mark.anyio
async def test_a_whole_session_over_stdio(mproject: Project) -> None:
    async with Client(serve_params(mproject), read_timeout_seconds=60) as client:
        assert client.server_info is not None and client.server_info.name == "hestai-tmws"
        session = await call(client, "clock_in", {"role": "implementation-lead", "focus": "stdio"})
        doc = await call(
            client,
            "document_submit",
            {"doc_type": "decision", "title": "Talk stdio", "content": "One process per client."},
        )
        update = await call(
            client,
            "context_update",
            {
                "document": "project-checklist",
                "changes": [{"op": "add", "section": "NOTES", "key": "STDIO", "value": "works"}],
            },
        )
        out = await call(client, "clock_out", {"summary": "stdio round trip"})
    assert doc["session_id"] == update["session_id"] == out["session_id"] == session["session_id"]
    in_index = staged(mproject)
    assert {doc["path"], update["path"], out["archive_path"]} <= in_index
    entries = archive_traces(mproject, out["archive_path"])
    assert [e["TOOL"] for e in entries] == [
        "clock_in",
        "document_submit",
        "context_update",
        "clock_out",
    ]
    assert all(e["OK"] is True and e["SOURCE"] == "mcp" for e in entries)


def _wait_gone(proc: subprocess.Popen[bytes], timeout: float) -> int | None:
    try:
        return proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        return None


def test_exits_cleanly_when_stdin_closes(mproject: Project) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "hestai_tmws.mcpserver", str(mproject.root)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=subprocess_env(),
    )
    assert proc.stdin is not None
    proc.stdin.close()
    code = _wait_gone(proc, EXIT_TIMEOUT)
    assert code == 0, proc.stderr.read().decode() if proc.stderr else ""
    assert proc.stdout is not None and proc.stdout.read() == b""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie waiting for its reaper is gone for our purpose
        with open(f"/proc/{pid}/stat", encoding="utf-8") as fh:
            return fh.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


LAUNCHER = """
import os, subprocess, sys
stdin_fd, stdout_fd = int(sys.argv[1]), int(sys.argv[2])
proc = subprocess.Popen(
    [sys.executable, "-m", "hestai_tmws.mcpserver", sys.argv[3]],
    stdin=stdin_fd, stdout=stdout_fd, stderr=subprocess.DEVNULL, pass_fds=(stdin_fd, stdout_fd),
)
os.close(stdin_fd)  # the server holds the only copies: its crash ends our reads
os.close(stdout_fd)
print(proc.pid, flush=True)
sys.stdin.readline()  # wait until told to die, leaving the server orphaned
"""
INITIALIZE = (
    b'{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18",'
    b'"capabilities":{},"clientInfo":{"name":"test","version":"0"}}}\n'
)


def test_exits_when_its_parent_is_gone(mproject: Project) -> None:
    """The client vanishes without closing the server's stdin (we hold the pipe open)."""
    in_read, in_write = os.pipe()
    out_read, out_write = os.pipe()
    launcher = subprocess.Popen(
        [sys.executable, "-c", LAUNCHER, str(in_read), str(out_write), str(mproject.root)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        pass_fds=(in_read, out_write),
        env=subprocess_env(),
    )
    os.close(in_read)
    os.close(out_write)
    server_pid = -1
    try:
        assert launcher.stdout is not None and launcher.stdin is not None
        server_pid = int(launcher.stdout.readline())
        os.write(in_write, INITIALIZE)
        with os.fdopen(out_read, "rb", closefd=False) as replies:
            assert b'"id":1' in replies.readline()  # the server is up and serving
        launcher.stdin.write(b"die\n")
        launcher.stdin.close()
        launcher.wait(timeout=EXIT_TIMEOUT)
        deadline = time.monotonic() + EXIT_TIMEOUT
        while time.monotonic() < deadline and _alive(server_pid):
            time.sleep(0.05)
        assert not _alive(server_pid), "the orphaned server did not exit"
    finally:
        if server_pid > 0 and _alive(server_pid):
            os.kill(server_pid, 9)
        os.close(in_write)
        os.close(out_read)


def test_serve_outside_a_repository_is_one_clear_error(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "hestai_tmws.cli.app", "serve", "--project", str(tmp_path)],
        capture_output=True,
        text=True,
        env=subprocess_env(),
        timeout=EXIT_TIMEOUT,
        stdin=subprocess.DEVNULL,
    )
    assert proc.returncode == 1
    assert "not inside a git repository" in proc.stderr
    assert proc.stdout == ""
