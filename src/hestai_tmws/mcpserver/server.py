"""Build the hestai-tmws MCP server: tools, resources, prompts and the governance watch.

`populate` injects (and heals) governance first, so that resources and prompts describe
the tree the agent will actually read, then registers every tool module whose core service
is importable. `build_server` returns a populated server (tests, docs, in-process clients);
`tmws serve` (`boot`) populates its running server on the first request instead.
"""

from __future__ import annotations

import functools
import importlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from hestai_tmws.governance.inject import inject
from hestai_tmws.governance.watch import GovernanceWatcher
from hestai_tmws.mcpserver.cancel import make_cancellable
from hestai_tmws.mcpserver.context import ServerContext
from hestai_tmws.mcpserver.lazy import INSTRUCTIONS, SERVER_NAME, new_server
from hestai_tmws.mcpserver.prompts import register_prompts
from hestai_tmws.mcpserver.resources import register_resources
from hestai_tmws.mcpserver.strict import lean_surface
from hestai_tmws.mcpserver.tools import TOOL_MODULES
from hestai_tmws.mcpserver.tracing import ensure_traced
from hestai_tmws.project import Project

log = logging.getLogger("hestai_tmws.mcp")

__all__ = ["INSTRUCTIONS", "SERVER_NAME", "TmwsServer", "build_server", "populate"]


@dataclass
class TmwsServer:
    """The SDK server plus what hestai-tmws keeps beside it."""

    mcp: Any  # hestai_tmws.mcpserver.strict.StrictServer (an mcp.server.MCPServer)
    ctx: ServerContext
    watcher: GovernanceWatcher | None
    tools: list[str] = field(default_factory=list)
    prompts: list[str] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)  # tool module → why it is missing
    governance_version: str | None = None


def _inject(project: Project) -> str | None:
    result = inject(project)
    if result.action != "unchanged":
        log.info("governance %s: %s", result.version, result.summary())
    return result.version


def initialised(project: Project) -> bool:
    """`tmws init` has run here: the memory folder exists (and with it the .gitignore lines)."""
    return project.hestai.is_dir()


def _not_initialised(project: Project) -> str | None:
    if initialised(project):
        return None
    return (
        f"this repository has no tmws memory yet ({project.root}/.hestai/ is missing); "
        "run `tmws init` there, commit what it creates, then call again"
    )


def _register_tools(server: Any, ctx: ServerContext, bundle: TmwsServer) -> None:
    for name in TOOL_MODULES:
        module_name = f"{__package__}.tools.{name}"
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            # a core service that is not there yet takes its tools with it, nothing else
            if exc.name and exc.name.startswith("hestai_tmws"):
                bundle.skipped[name] = f"{exc.name} is not available"
                log.warning("MCP tools of %s skipped: %s is not available", name, exc.name)
                continue
            raise
        try:
            names = module.register(server, ctx)
        except Exception as exc:  # a broken plug-in must not take the other tools down with it
            bundle.skipped[name] = f"{type(exc).__name__}: {exc}"
            log.warning("MCP tools of %s not registered: %s: %s", name, type(exc).__name__, exc)
            continue
        bundle.tools.extend(names or [])


def populate(
    server: Any,
    project: Project,
    *,
    inject: bool = True,
    watch: bool = True,
    client_pid: int | None = None,
) -> TmwsServer:
    """Inject governance and register every tool, resource and prompt of `server`.

    The watch is created, not started: whoever runs the server starts it (the lifespan of
    `build_server`, or `boot` when it populates a running server on first use).
    """
    ctx = ServerContext(project=project)
    if client_pid is not None:
        ctx.client_pid = client_pid
    ready = initialised(project)  # never half-initialise a repository: writes wait for init
    version = _inject(project) if inject and ready else None
    watcher = GovernanceWatcher(project) if watch and ready else None
    server.write_guard = functools.partial(_not_initialised, project)
    bundle = TmwsServer(mcp=server, ctx=ctx, watcher=watcher, governance_version=version)
    _register_tools(server, ctx, bundle)
    ensure_traced(server, ctx)
    make_cancellable(server)
    lean_surface(server)
    register_resources(server, ctx)
    bundle.prompts = register_prompts(server, ctx)
    return bundle


def build_server(
    project: Project,
    *,
    inject: bool = True,
    watch: bool = True,
    log_level: str = "WARNING",
) -> TmwsServer:
    """A ready MCP server for `project` (governance injected; the watch starts with the server)."""
    bundles: list[TmwsServer] = []

    @asynccontextmanager
    async def lifespan(_server: Any) -> AsyncIterator[dict[str, Any]]:
        watcher = bundles[0].watcher if bundles else None
        if watcher is not None:
            watcher.start()
        try:
            yield {}
        finally:
            if watcher is not None:
                watcher.stop()
            if bundles:
                bundles[0].ctx.learning.flush()  # archives still waiting for their step

    server = new_server(lifespan, log_level)
    bundles.append(populate(server, project, inject=inject, watch=watch))
    return bundles[0]
