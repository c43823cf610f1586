"""Tool `clock_out`: the archive (with this call in it), the forgotten session, a commit."""

from __future__ import annotations

import subprocess
from typing import Any

import pytest
from mcp import Client

from hestai_tmws.project import Project
from hestai_tmws.sessions.store import list_active
from tests.mcpserver.support import call, call_error, staged

pytestmark = pytest.mark.anyio


async def test_clock_out_archives_and_forgets_the_session(bundle: Any, mproject: Project) -> None:
    async with Client(bundle.mcp, raise_exceptions=True) as client:
        text = await call_error(client, "clock_out", {"summary": "nothing open"})
        assert "no open session" in text and "hint:" in text
        session = await call(client, "clock_in", {"focus": "closing"})
        out = await call(
            client,
            "clock_out",
            {"summary": "done", "decisions": ["keep stdio"], "learnings": ["hooks are fast"]},
        )
        assert bundle.ctx.session_id is None
        again = await call_error(client, "clock_out", {})
    assert out["session_id"] == session["session_id"]
    assert out["decisions"] == 1 and out["learnings"] == 1
    assert (mproject.root / out["archive_path"]).is_file()
    assert out["archive_path"] in staged(mproject)
    assert list_active(mproject) == []
    assert "no open session" in again


async def test_clock_out_commit_makes_a_commit(bundle: Any, mproject: Project) -> None:
    async with Client(bundle.mcp, raise_exceptions=True) as client:
        await call(client, "clock_in", {"focus": "commit"})
        out = await call(client, "clock_out", {"summary": "commit it", "commit": True})
    assert out["commit"]
    log = subprocess.run(
        ["git", "log", "-1", "--name-only", "--format=%s"],
        cwd=mproject.root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out["archive_path"] in log


async def test_clock_out_queues_its_learning_step_until_the_server_stops(
    bundle: Any, mproject: Project
) -> None:
    started: list[list[str]] = []
    learning = bundle.ctx.learning
    learning.quiet_s = learning.max_wait_s = 3600.0  # only the server's end starts it
    learning.spawn = lambda _project, archives: started.append(list(archives))
    async with Client(bundle.mcp, raise_exceptions=True) as client:
        archives = []
        for focus in ("one", "two"):
            await call(client, "clock_in", {"focus": focus})
            out = await call(client, "clock_out", {"summary": focus})
            archives.append(out["archive_path"].removeprefix(".hestai/"))
        assert started == [] and learning.pending == archives
    assert started == [archives]  # one learning step for both, when the server stopped
