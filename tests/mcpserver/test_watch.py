"""The running server restores tampered governance (no sleeps: wait on the watcher's heal count)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import anyio
import pytest
from mcp import Client

from hestai_tmws.governance.locate import bundled_hub_path
from hestai_tmws.governance.watch import GovernanceWatcher
from hestai_tmws.mcpserver import build_server
from hestai_tmws.project import Project

pytestmark = pytest.mark.anyio

TIMEOUT = 10.0  # generous bound for a loaded CI machine; the heal itself takes milliseconds
AGENT = "agents/implementation-lead.oct.md"


def make_writable(path: Path) -> None:
    os.chmod(path.parent, 0o755)
    os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)


async def wait_heals(watcher: GovernanceWatcher, count: int) -> bool:
    return await anyio.to_thread.run_sync(watcher.wait_for_heal, count, TIMEOUT)


async def test_a_tampered_file_is_restored(mproject: Project) -> None:
    bundle = build_server(mproject, watch=True)
    watcher = bundle.watcher
    assert watcher is not None and not watcher.running
    original = (bundled_hub_path() / AGENT).read_bytes()
    async with Client(bundle.mcp, raise_exceptions=True) as client:
        assert watcher.running
        assert await anyio.to_thread.run_sync(watcher.ready.wait, TIMEOUT)
        target = mproject.hestai_sys / AGENT
        make_writable(target)
        target.write_text("===AGENT_DEFINITION===\nMETA:\n  TYPE::AGENT_DEFINITION\n===END===\n")
        assert await wait_heals(watcher, 1)
        assert (mproject.hestai_sys / AGENT).read_bytes() == original
        # a deleted file comes back too, and the server keeps serving meanwhile
        heals = watcher.heals
        victim = mproject.hestai_sys / "governance/rules/naming-standard.oct.md"
        os.chmod(victim.parent, 0o755)
        victim.unlink()
        assert await wait_heals(watcher, heals + 1)
        assert victim.is_file()
        tools = (await client.list_tools()).tools
        assert tools
    assert not watcher.running  # stopped with the server
    assert "governance/rules/naming-standard.oct.md" in watcher.healed_paths
    assert stat.S_IMODE((mproject.hestai_sys / AGENT).stat().st_mode) == 0o444


async def test_a_removed_governance_folder_is_rebuilt(mproject: Project) -> None:
    import shutil

    bundle = build_server(mproject, watch=True)
    watcher = bundle.watcher
    assert watcher is not None
    async with Client(bundle.mcp, raise_exceptions=True):
        assert await anyio.to_thread.run_sync(watcher.ready.wait, TIMEOUT)
        # Remove it in one step (a rename out of the way), so that the watcher's rebuild
        # cannot race a file-by-file delete; then delete the moved copy at leisure.
        gone = mproject.root / "removed-governance"
        os.rename(mproject.hestai_sys, gone)
        assert await wait_heals(watcher, 1)
        for folder, _dirs, _files in os.walk(gone):
            os.chmod(folder, 0o755)
        shutil.rmtree(gone)
    assert (mproject.hestai_sys / AGENT).is_file()


def test_server_start_heals_governance(mproject: Project) -> None:
    target = mproject.hestai_sys / AGENT
    make_writable(target)
    target.write_text("tampered\n")
    bundle = build_server(mproject, watch=False)
    assert bundle.governance_version
    assert target.read_bytes() == (bundled_hub_path() / AGENT).read_bytes()


def test_stop_is_prompt_and_idempotent(mproject: Project) -> None:
    watcher = GovernanceWatcher(mproject)
    watcher.start()
    assert watcher.ready.wait(TIMEOUT)
    watcher.stop()
    watcher.stop()
    assert not watcher.running
