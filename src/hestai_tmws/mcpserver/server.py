"""Build the hestai-tmws MCP server: tools, resources, prompts and the governance watch.

`build_server` injects (and heals) governance first, so that resources and prompts describe
the tree the agent will actually read, then registers every tool module whose core service
is importable. The stdio runner adds what a long-lived child process needs: it notices when
its parent is gone, and stops the watch and releases everything on the way out.
"""

from __future__ import annotations

import functools
import importlib
import logging
import os
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import anyio

from hestai_tmws import __version__
from hestai_tmws.governance.inject import inject
from hestai_tmws.governance.watch import GovernanceWatcher
from hestai_tmws.mcpserver.cancel import make_cancellable
from hestai_tmws.mcpserver.context import ServerContext
from hestai_tmws.mcpserver.prompts import register_prompts
from hestai_tmws.mcpserver.resources import register_resources
from hestai_tmws.mcpserver.strict import StrictServer, lean_surface
from hestai_tmws.mcpserver.tools import TOOL_MODULES
from hestai_tmws.mcpserver.tracing import ensure_traced
from hestai_tmws.project import Project

log = logging.getLogger("hestai_tmws.mcp")

SERVER_NAME = "hestai-tmws"
PARENT_POLL_SECONDS = 1.0
EXIT_GRACE_SECONDS = 1.0
INSTRUCTIONS = """\
hestai-tmws keeps this project's governance (.hestai-sys/, read-only) and memory (.hestai/,
written only by these tools) in git.
Workflow: clock_in (role, focus) → read what it lists (get_context, hestai:// resources) →
anchor_submit → work; record decisions/reports with document_submit and change context
documents with context_update (pass the base_hash you read) → clock_out with a summary.
Never edit .hestai/ or .hestai-sys/ files directly. Every tool call is traced in the session.
"""


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


def build_server(
    project: Project,
    *,
    inject: bool = True,
    watch: bool = True,
    log_level: str = "WARNING",
) -> TmwsServer:
    """A ready MCP server for `project` (governance injected; the watch starts with the server)."""
    ctx = ServerContext(project=project)
    ready = initialised(project)  # never half-initialise a repository: writes wait for init
    version = _inject(project) if inject and ready else None
    watcher = GovernanceWatcher(project) if watch and ready else None

    @asynccontextmanager
    async def lifespan(_server: Any) -> AsyncIterator[dict[str, Any]]:
        if watcher is not None:
            watcher.start()
        try:
            yield {}
        finally:
            if watcher is not None:
                watcher.stop()

    server = StrictServer(
        SERVER_NAME,
        version=__version__,
        instructions=INSTRUCTIONS,
        lifespan=lifespan,
        log_level=log_level,  # type: ignore[arg-type]
    )
    server.write_guard = functools.partial(_not_initialised, project)
    bundle = TmwsServer(mcp=server, ctx=ctx, watcher=watcher, governance_version=version)
    _register_tools(server, ctx, bundle)
    ensure_traced(server, ctx)
    make_cancellable(server)
    lean_surface(server)
    register_resources(server, ctx)
    bundle.prompts = register_prompts(server, ctx)
    return bundle


# -- running over stdio ------------------------------------------------------------------------


def _exit_soon(code: int, grace: float) -> None:
    """Leave even if a worker thread is stuck reading a pipe nobody will close."""

    def force() -> None:
        os._exit(code)

    timer = threading.Timer(grace, force)
    timer.daemon = True
    timer.start()


async def _watch_parent(bundle: TmwsServer, scope: Any, parent: int) -> None:
    while True:
        await anyio.sleep(PARENT_POLL_SECONDS)
        if os.getppid() != parent:
            log.warning("the MCP client (pid %s) is gone; stopping", parent)
            if bundle.watcher is not None:
                bundle.watcher.stop()
            _exit_soon(0, EXIT_GRACE_SECONDS)
            scope.cancel()
            return


async def serve_stdio(bundle: TmwsServer, parent: int | None = None) -> None:
    """Serve until stdin closes or the parent process (`parent`, default: now) disappears."""
    parent = os.getppid() if parent is None else parent
    async with anyio.create_task_group() as tg:
        if parent > 1:
            tg.start_soon(_watch_parent, bundle, tg.cancel_scope, parent)
        try:
            await bundle.mcp.run_stdio_async()
        finally:
            tg.cancel_scope.cancel()
            if bundle.watcher is not None:
                bundle.watcher.stop()


def serve(project_dir: Path | str | None = None) -> None:
    """`tmws serve`: the project is `project_dir`, else $TMWS_PROJECT, else the current folder."""
    parent = os.getppid()  # before the slow start: a client gone meanwhile is still noticed
    logging.basicConfig(level=logging.WARNING, format="tmws serve: %(message)s")
    project = Project.discover(project_dir)
    bundle = build_server(project)
    with suppress(KeyboardInterrupt):
        anyio.run(serve_stdio, bundle, parent)
