"""`tmws serve` starts lazily: `initialize` loads nothing of the core; the first use does."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from mcp import Client

from hestai_tmws.errors import TmwsError
from hestai_tmws.mcpserver import boot as boot_module
from hestai_tmws.mcpserver.boot import boot
from hestai_tmws.mcpserver.server import build_server
from hestai_tmws.project import Project
from tests.mcpserver.conftest import subprocess_env
from tests.mcpserver.test_stdio import INITIALIZE

pytestmark = pytest.mark.anyio

CORE = ("hestai_tmws.workflows", "hestai_tmws.governance", "hestai_tmws.sessions")


async def test_initialize_populates_nothing_and_the_first_list_everything(
    mproject: Project,
) -> None:
    state = boot(mproject, parent=12345)
    async with Client(state.server) as client:
        assert client.server_info is not None and client.server_info.name == "hestai-tmws"
        assert state.bundle is None  # the handshake alone loaded no tool
        tools = [t.name for t in (await client.list_tools()).tools]
        assert state.bundle is not None and state.bundle.ctx.client_pid == 12345
        watcher = state.bundle.watcher
        assert watcher is not None and watcher.running
        eager = build_server(mproject, watch=False)
        assert tools == [t.name for t in (await eager.mcp.list_tools())]
        assert [p.name for p in (await client.list_prompts()).prompts] == eager.prompts
    assert not watcher.running  # stopped with the server


async def test_a_first_tool_call_populates_too(mproject: Project) -> None:
    state = boot(mproject, parent=1)
    async with Client(state.server) as client:
        result = await client.call_tool("clock_in", {"focus": "lazy"})
        assert not result.is_error, result.content
        assert json.loads(result.content[0].text)["focus"] == "lazy"  # type: ignore[union-attr]
        assert (await client.call_tool("clock_out", {"summary": "done"})).is_error is False


async def test_a_failed_populate_fails_every_request(
    mproject: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []

    def broken(*_args: object, **_kwargs: object) -> None:
        calls.append(1)
        raise TmwsError("the hub is broken")

    monkeypatch.setattr("hestai_tmws.mcpserver.server.populate", broken)
    state = boot(mproject, parent=1)
    async with Client(state.server) as client:
        for _ in range(2):
            result = await client.call_tool("clock_in", {})
            assert result.is_error and "the hub is broken" in str(result.content)
    assert calls == [1] and isinstance(state.failure, TmwsError)


def test_the_stdio_entry_imports_no_core_module() -> None:
    code = (
        "import sys, hestai_tmws.mcpserver.boot, hestai_tmws.mcpserver.__main__\n"
        "print('\\n'.join(sys.modules))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env=subprocess_env(),
    ).stdout.split()
    assert not [m for m in loaded if m.startswith(CORE)]
    assert "mcp.server" in loaded and boot_module.__name__ in loaded


@pytest.mark.slow
def test_serve_ends_with_the_populate_error(mproject: Project, tmp_path: Path) -> None:
    """A broken hub is found at the first request; the server leaves with that error."""
    hub = tmp_path / "hub"
    hub.mkdir()  # no VERSION: not a hub
    proc = subprocess.Popen(
        [sys.executable, "-m", "hestai_tmws.cli.app", "serve", "--project", str(mproject.root)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=subprocess_env(TMWS_HUB=str(hub)),
    )
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write(INITIALIZE)
    proc.stdin.flush()
    assert b'"id":1' in proc.stdout.readline()
    proc.stdin.write(b'{"jsonrpc":"2.0","method":"notifications/initialized"}\n')
    proc.stdin.write(b'{"jsonrpc":"2.0","id":2,"method":"tools/list"}\n')
    proc.stdin.flush()
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode not in (0, None)
    assert b"VERSION" in err or b"hub" in err
