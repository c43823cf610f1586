"""Fixtures of the MCP tests: an initialised project and an in-process server for it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from hestai_tmws.project import Project
from tests.paths import SRC


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def mproject(repo: Path) -> Project:
    """A git repository with `tmws init` done (memory from templates, governance injected)."""
    from hestai_tmws.workflows.init import init_project

    project = Project.discover(repo)
    init_project(project)
    return project


@pytest.fixture
def bundle(mproject: Project) -> Iterator[Any]:
    """The hestai-tmws MCP server for `mproject`, without the governance watch."""
    from hestai_tmws.mcpserver import build_server

    server = build_server(mproject, watch=False)
    yield server
    if server.watcher is not None:
        server.watcher.stop()


def subprocess_env(**extra: str) -> dict[str, str]:
    """The environment for a `tmws` child process: this checkout's sources first on the path."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(SRC), env.get("PYTHONPATH", "")) if p)
    env.update(extra)
    return env
